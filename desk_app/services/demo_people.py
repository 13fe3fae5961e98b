"""Realistic Vietnamese names, organisations and addresses (Lạng Sơn) for demo files."""

from __future__ import annotations

import random

from desk_app.domain.people import PROVINCE_CODES

FAMILY = (
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Hoàng Nông Nông Lương Vi Lăng "
    "Chu Triệu Hà Lộc Mã Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Vũ Võ Phan Tô Hứa Hoàng "
    "Lành Chu Nông"
).split()
MIDDLE_MALE = ("Văn Văn Văn Đức Minh Quang Hữu Xuân Thanh Ngọc Tiến Công Đình Mạnh").split()
MIDDLE_FEMALE = ("Thị Thị Thị Thu Thanh Ngọc Minh Phương Hồng Thùy Diệu Bích").split()
GIVEN_MALE = (
    "An Anh Bình Cường Dũng Đạt Đông Giang Hải Hiếu Hùng Huy Khánh Khoa Kiên Lâm "
    "Long Lực Mạnh Nam Nghĩa Phong Phúc Quân Quang Sơn Tài Thắng Thành Thịnh Toàn "
    "Trung Tuấn Tùng Việt Vinh Vượng Hưng Lợi Chiến Định Tâm"
).split()
GIVEN_FEMALE = (
    "Ánh Anh Châu Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huế Hương Lan Liên "
    "Linh Loan Mai My Nga Ngân Ngọc Nhung Oanh Phương Quyên Thảo Thơm Thủy Trang "
    "Tuyết Uyên Vân Yến Xuân Lụa Nhàn"
).split()
ORG_KIND = (
    "Công ty TNHH Du lịch",
    "Công ty Cổ phần Du lịch và Thương mại",
    "Công ty TNHH Dịch vụ Lữ hành",
    "Hộ kinh doanh Karaoke",
    "Công ty TNHH Giải trí",
    "Khách sạn",
    "Câu lạc bộ Thể thao",
    "Nhà nghỉ",
)
ORG_NAME = (
    "Hoàng Sơn|Xứ Lạng|Kỳ Lừa|Tam Thanh|Mẫu Sơn|Đồng Đăng|Hữu Nghị|Bắc Sơn|Phai Loan|"
    "Ánh Dương|Hoa Sen|Tân Thanh|Chi Lăng|Phố Cũ|Sao Mai|Bình Minh|Thành Công|"
    "Ngọc Tuyền"
).split("|")
STREETS = (
    "Lê Lợi",
    "Trần Đăng Ninh",
    "Bà Triệu",
    "Tam Thanh",
    "Ngô Quyền",
    "Lý Thái Tổ",
    "Trần Hưng Đạo",
    "Bắc Sơn",
    "Hùng Vương",
    "Phai Vệ",
    "Nguyễn Du",
    "Lê Đại Hành",
)
WARDS = (
    "phường Lương Văn Tri",
    "phường Tam Thanh",
    "phường Đông Kinh",
    "phường Kỳ Lừa",
    "xã Cao Lộc",
    "xã Đồng Đăng",
    "xã Hoàng Văn Thụ",
    "xã Na Sầm",
    "xã Thất Khê",
    "xã Bình Gia",
    "xã Văn Quan",
    "xã Bắc Sơn",
    "xã Hữu Lũng",
    "xã Chi Lăng",
    "xã Đình Lập",
    "xã Lộc Bình",
    "xã Mẫu Sơn",
    "xã Tân Thanh",
)
VILLAGES = ("Nà Pàn|Khòn Phổ|Pác Cáp|Bản Ngõa|Nà Lằm|Còn Quan|Phai Duốc|Khau Khuốc").split("|")
MOBILE_PREFIXES = (
    "091 094 088 083 084 085 081 082 090 093 089 070 079 077 076 078 096 097 098 086 "
    "032 033 034 035 036 037 038 039 056 058 059"
).split()


def person_name(rng: random.Random) -> tuple[str, int]:
    """A full name and a sex digit parity (0 male, 1 female)."""
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {middle} {given}", int(female)


def organisation_name(rng: random.Random) -> str:
    return f"{rng.choice(ORG_KIND)} {rng.choice(ORG_NAME)}"


def address(rng: random.Random) -> str:
    if rng.random() < 0.55:
        street = f"Số {rng.randint(1, 250)}, đường {rng.choice(STREETS)}"
        return f"{street}, {rng.choice(WARDS)}, tỉnh Lạng Sơn"
    return f"Thôn {rng.choice(VILLAGES)}, {rng.choice(WARDS)}, tỉnh Lạng Sơn"


def cccd(rng: random.Random, female: int) -> str:
    """A well-formed citizen identity number for a person born 1950–2005 (no check digit)."""
    province = "020" if rng.random() < 0.7 else rng.choice(sorted(PROVINCE_CODES))
    year = rng.randint(1950, 2005)
    century = 0 if year < 2000 else 2
    return f"{province}{century + female}{year % 100:02d}{rng.randint(0, 999_999):06d}"


def tax_code(rng: random.Random) -> str:
    return f"49{rng.randint(0, 99_999_999):08d}"


def mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
