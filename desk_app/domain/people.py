"""People and contact data: identity numbers (CCCD, CMND, passport, tax code), phones, e-mail."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from desk_app.errors import ValidationError

# Province codes of birth registration in the personal identification number (Circular
# 07/2016/TT-BCA, kept by Circular 59/2021/TT-BCA). They are the 63 provinces that existed when
# numbers were issued; a number keeps its code for life, whatever later mergers of provinces did.
PROVINCE_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "001": "Hà Nội",
        "002": "Hà Giang",
        "004": "Cao Bằng",
        "006": "Bắc Kạn",
        "008": "Tuyên Quang",
        "010": "Lào Cai",
        "011": "Điện Biên",
        "012": "Lai Châu",
        "014": "Sơn La",
        "015": "Yên Bái",
        "017": "Hòa Bình",
        "019": "Thái Nguyên",
        "020": "Lạng Sơn",
        "022": "Quảng Ninh",
        "024": "Bắc Giang",
        "025": "Phú Thọ",
        "026": "Vĩnh Phúc",
        "027": "Bắc Ninh",
        "030": "Hải Dương",
        "031": "Hải Phòng",
        "033": "Hưng Yên",
        "034": "Thái Bình",
        "035": "Hà Nam",
        "036": "Nam Định",
        "037": "Ninh Bình",
        "038": "Thanh Hóa",
        "040": "Nghệ An",
        "042": "Hà Tĩnh",
        "044": "Quảng Bình",
        "045": "Quảng Trị",
        "046": "Thừa Thiên Huế",
        "048": "Đà Nẵng",
        "049": "Quảng Nam",
        "051": "Quảng Ngãi",
        "052": "Bình Định",
        "054": "Phú Yên",
        "056": "Khánh Hòa",
        "058": "Ninh Thuận",
        "060": "Bình Thuận",
        "062": "Kon Tum",
        "064": "Gia Lai",
        "066": "Đắk Lắk",
        "067": "Đắk Nông",
        "068": "Lâm Đồng",
        "070": "Bình Phước",
        "072": "Tây Ninh",
        "074": "Bình Dương",
        "075": "Đồng Nai",
        "077": "Bà Rịa - Vũng Tàu",
        "079": "Hồ Chí Minh",
        "080": "Long An",
        "082": "Tiền Giang",
        "083": "Bến Tre",
        "084": "Trà Vinh",
        "086": "Vĩnh Long",
        "087": "Đồng Tháp",
        "089": "An Giang",
        "091": "Kiên Giang",
        "092": "Cần Thơ",
        "093": "Hậu Giang",
        "094": "Sóc Trăng",
        "095": "Bạc Liêu",
        "096": "Cà Mau",
    }
)


class IdKind(StrEnum):
    """Kind of identity document an applicant presents."""

    CCCD = "cccd"
    CMND = "cmnd"
    PASSPORT = "passport"
    TAX_CODE = "tax_code"

    @property
    def label(self) -> str:
        return _ID_KIND_LABELS[self]


_ID_KIND_LABELS: Final[Mapping[IdKind, str]] = MappingProxyType(
    {
        IdKind.CCCD: "Căn cước công dân / Số định danh cá nhân",
        IdKind.CMND: "Chứng minh nhân dân",
        IdKind.PASSPORT: "Hộ chiếu",
        IdKind.TAX_CODE: "Mã số thuế / Mã số doanh nghiệp",
    }
)


class Sex(StrEnum):
    """Sex as encoded in the fourth digit of a CCCD number."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        return "Nam" if self is Sex.MALE else "Nữ"


@dataclass(frozen=True)
class CccdInfo:
    """What a CCCD number tells: province code of birth registration, birth year and sex."""

    province: str
    birth_year: int
    sex: Sex

    @property
    def province_name(self) -> str:
        return PROVINCE_CODES[self.province]


_ID_FIELD = "id_number"
_DIGITS_12: Final = re.compile(r"[0-9]{12}")
_DIGITS_9: Final = re.compile(r"[0-9]{9}")
_PASSPORT_RE: Final = re.compile(r"[A-Z0-9]{6,9}")
_TAX_CODE_RE: Final = re.compile(r"[0-9]{10}(?:-[0-9]{3})?")
_TAX_CODE_13: Final = re.compile(r"[0-9]{13}")


def _compact(text: str, drop: str = "") -> str:
    """Remove all whitespace and the characters in `drop`."""
    value = "".join(text.split())
    for ch in drop:
        value = value.replace(ch, "")
    return value


# --- CCCD -----------------------------------------------------------------------------------------


def _cccd_century(digit: int) -> int:
    # Circular 07/2016/TT-BCA art. 7: 0/1 = 20th century (1900s), 2/3 = 21st, 4/5 = 22nd,
    # 6/7 = 23rd, 8/9 = 24th (2300s); the even digit is male, the odd one female.
    return 1900 + 100 * (digit // 2)


def validate_cccd(text: str, birth_year: int | None = None, *, field: str = _ID_FIELD) -> str:
    """Return the 12-digit CCCD number with spaces and dots removed, or raise ValidationError.

    There is no check digit; the province code must be known and, when `birth_year` is given,
    the century digit and the two year digits must spell it.
    """
    value = _compact(text, ".")
    if not value:
        raise ValidationError("Số CCCD không được để trống.", field=field)
    if _DIGITS_12.fullmatch(value) is None:
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.", field=field)
    province = value[:3]
    if province not in PROVINCE_CODES:
        raise ValidationError(
            f"Ba chữ số đầu của số CCCD ({province}) không phải mã tỉnh, thành phố "
            "nơi đăng ký khai sinh.",
            field=field,
        )
    if birth_year is not None:
        encoded = _cccd_century(int(value[3])) + int(value[4:6])
        if encoded != birth_year:
            raise ValidationError(
                f"Số CCCD ghi năm sinh {encoded}, không khớp với năm sinh đã khai ({birth_year}).",
                field=field,
            )
    return value


def cccd_info(number: str) -> CccdInfo:
    """Decode a CCCD number (validated first)."""
    value = validate_cccd(number)
    digit = int(value[3])
    return CccdInfo(
        province=value[:3],
        birth_year=_cccd_century(digit) + int(value[4:6]),
        sex=Sex.MALE if digit % 2 == 0 else Sex.FEMALE,
    )


# --- Other identity documents ---------------------------------------------------------------------


def validate_cmnd(text: str, *, field: str = _ID_FIELD) -> str:
    """Return the old 9-digit CMND number, spaces and dots removed.

    12-digit CMND cards (2012–2016) share the CCCD structure and are validated as CCCD.
    """
    value = _compact(text, ".")
    if not value:
        raise ValidationError("Số CMND không được để trống.", field=field)
    if _DIGITS_9.fullmatch(value) is None:
        raise ValidationError("Số CMND phải gồm đúng 9 chữ số.", field=field)
    return value


def validate_passport(text: str, *, field: str = _ID_FIELD) -> str:
    """Return the passport number upper-cased without spaces.

    Vietnamese passports are one letter and 7 digits (C1234567), but foreign applicants bring
    other formats, so 6 to 9 letters or digits with at least one digit are accepted (some foreign
    passports, e.g. the US one, are digits only). Requiring a digit stops a name typed into the
    wrong box from passing.
    """
    value = _compact(text).upper()
    if not value:
        raise ValidationError("Số hộ chiếu không được để trống.", field=field)
    if _PASSPORT_RE.fullmatch(value) is None or not any(ch.isdigit() for ch in value):
        raise ValidationError(
            "Số hộ chiếu phải gồm 6 đến 9 chữ cái hoặc chữ số "
            "(hộ chiếu Việt Nam: 1 chữ cái và 7 chữ số, ví dụ C1234567).",
            field=field,
        )
    return value


def validate_tax_code(text: str, *, field: str = _ID_FIELD) -> str:
    """Return a business registration / tax code: 10 digits, or 10 digits + "-" + 3 digits.

    13 digits typed without the dash are accepted and written with it.
    """
    value = _compact(text)
    if not value:
        raise ValidationError("Mã số thuế không được để trống.", field=field)
    if _TAX_CODE_13.fullmatch(value) is not None:
        value = f"{value[:10]}-{value[10:]}"
    if _TAX_CODE_RE.fullmatch(value) is None:
        raise ValidationError(
            "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001.", field=field
        )
    return value


def _detect_kind(text: str) -> IdKind | None:
    value = _compact(text, ".")
    if _DIGITS_12.fullmatch(value):
        return IdKind.CCCD
    if _DIGITS_9.fullmatch(value):
        return IdKind.CMND
    if _TAX_CODE_RE.fullmatch(value) or _TAX_CODE_13.fullmatch(value):
        return IdKind.TAX_CODE
    if value.isascii() and value.isalnum() and not value.isdigit():
        return IdKind.PASSPORT
    return None


def is_organisation(id_kind: str | None) -> bool:
    """An applicant identified by a tax code (business registration) is an organisation."""
    return id_kind == IdKind.TAX_CODE


def organisation_by_number(text: str | None) -> bool:
    """Whether an identity number as typed is an organisation's (a tax code); False if unclear."""
    return bool(text and text.strip()) and _detect_kind(text or "") is IdKind.TAX_CODE


def validate_id_number(
    text: str,
    kind: IdKind | None = None,
    birth_year: int | None = None,
    *,
    field: str = _ID_FIELD,
) -> tuple[IdKind, str]:
    """Validate an identity number of `kind`, or of the kind its shape shows when `kind` is None.

    Detection: 12 digits → CCCD, 9 → CMND, 10 or 13 (or 10-3) → tax code, letters and digits →
    passport. `birth_year` is checked against CCCD numbers only.
    """
    if not _compact(text):
        raise ValidationError("Số giấy tờ tùy thân không được để trống.", field=field)
    if kind is None:
        kind = _detect_kind(text)
        if kind is None:
            raise ValidationError(
                "Không nhận ra loại giấy tờ: số CCCD gồm 12 chữ số, CMND gồm 9 chữ số, "
                "mã số thuế gồm 10 hoặc 13 chữ số, số hộ chiếu gồm chữ cái và chữ số.",
                field=field,
            )
    if kind is IdKind.CCCD:
        return kind, validate_cccd(text, birth_year, field=field)
    if kind is IdKind.CMND:
        return kind, validate_cmnd(text, field=field)
    if kind is IdKind.PASSPORT:
        return kind, validate_passport(text, field=field)
    return kind, validate_tax_code(text, field=field)


# --- Phones ---------------------------------------------------------------------------------------

_MOBILE_RE: Final = re.compile(r"0[35789][0-9]{8}")
_LANDLINE_RE: Final = re.compile(r"02[0-9]{9}")
# Since the 2017 renumbering only Hà Nội (024) and Hồ Chí Minh City (028) have 3-digit area codes
# (with 8-digit subscriber numbers); every other province has 02xx and 7 digits.
_SHORT_AREA_CODES: Final = ("024", "028")
_PHONE_FIELD = "phone"


def normalise_phone(text: str, *, field: str = _PHONE_FIELD) -> str:
    """Return the phone number as national digits starting with 0 (length is not checked).

    Accepts spaces, dots, dashes, parentheses and a +84, 0084 or 84 country prefix, including
    the "+84 (0) 912 ..." habit of keeping the trunk zero.
    """
    value = _compact(text, ".-()")
    if not value:
        raise ValidationError("Số điện thoại không được để trống.", field=field)
    rest: str | None = None
    if value.startswith("+"):
        if not value.startswith("+84"):
            raise ValidationError("Chỉ nhận số điện thoại Việt Nam (mã nước +84).", field=field)
        rest = value[3:]
    elif value.startswith("0084"):
        rest = value[4:]
    elif value.startswith("84") and len(value) >= 11:
        # Without a plus sign "84" is only a country code when the rest is a full national
        # number; "84..." of 9-10 digits is more likely a local number missing its 0.
        rest = value[2:]
    if rest is not None:
        value = rest if rest.startswith("0") else "0" + rest
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            "Số điện thoại chỉ được gồm chữ số (có thể có dấu cách, dấu chấm, dấu gạch ngang "
            "hoặc mã nước +84).",
            field=field,
        )
    return value


def validate_mobile(text: str, *, field: str = _PHONE_FIELD) -> str:
    """Return a normalised mobile number: 0 + one of 3, 5, 7, 8, 9 + 8 digits."""
    value = normalise_phone(text, field=field)
    if _MOBILE_RE.fullmatch(value) is None:
        raise ValidationError(
            "Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.",
            field=field,
        )
    return value


def validate_landline(text: str, *, field: str = _PHONE_FIELD) -> str:
    """Return a normalised landline number: 02 + area code + subscriber number, 11 digits."""
    value = normalise_phone(text, field=field)
    if _LANDLINE_RE.fullmatch(value) is None:
        raise ValidationError(
            "Số điện thoại cố định phải gồm 11 chữ số, bắt đầu bằng 02 (ví dụ 0205 3812 345).",
            field=field,
        )
    return value


def validate_phone(text: str, *, field: str = _PHONE_FIELD) -> str:
    """Return a normalised mobile or landline number."""
    value = normalise_phone(text, field=field)
    if _MOBILE_RE.fullmatch(value) is None and _LANDLINE_RE.fullmatch(value) is None:
        raise ValidationError(
            "Số điện thoại không hợp lệ: số di động gồm 10 chữ số (bắt đầu bằng 03, 05, 07, 08, "
            "09), số cố định gồm 11 chữ số (bắt đầu bằng 02).",
            field=field,
        )
    return value


def format_phone(normalised: str) -> str:
    """Group a normalised number for display: "0912 345 678", "0205 3812 345", "024 3825 1234".

    Anything else (e.g. legacy data) is returned unchanged: display must never fail.
    """
    n = normalised
    if _MOBILE_RE.fullmatch(n):
        return f"{n[:4]} {n[4:7]} {n[7:]}"
    if _LANDLINE_RE.fullmatch(n):
        if n.startswith(_SHORT_AREA_CODES):
            return f"{n[:3]} {n[3:7]} {n[7:]}"
        return f"{n[:4]} {n[4:8]} {n[8:]}"
    return n


# --- E-mail ---------------------------------------------------------------------------------------

_EMAIL_MESSAGE = "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.com)."


def validate_email(text: str, *, field: str = "email") -> str:
    """Return the address with its domain lower-cased; a pragmatic shape check, not RFC 5322.

    One "@", a non-empty local part (kept as typed: it may be case-sensitive), a domain of at
    least two non-empty dot-separated labels, no whitespace.
    """
    value = text.strip()
    if not value:
        raise ValidationError("Địa chỉ thư điện tử không được để trống.", field=field)
    if any(ch.isspace() for ch in value) or value.count("@") != 1:
        raise ValidationError(_EMAIL_MESSAGE, field=field)
    local, _, domain = value.partition("@")
    labels = domain.split(".")
    # 64 and 254 are the SMTP limits (RFC 5321); longer addresses cannot be delivered anyway.
    if not local or len(local) > 64 or len(labels) < 2 or not all(labels) or len(value) > 254:
        raise ValidationError(_EMAIL_MESSAGE, field=field)
    return f"{local}@{domain.lower()}"
