"""Bảng kê giao bưu chính: content, totals, signatures and long lists, read back from the PDF."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from pypdf import PdfReader

from desk_app.printing.data import DeskHeader
from desk_app.printing.postal_list import (
    HEADINGS,
    PostalListData,
    PostalListRow,
    render_postal_list,
    totals_text,
)

HEADER = DeskHeader(
    governing_body="UBND TỈNH LẠNG SƠN",
    agency_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    unit_name="BỘ PHẬN MỘT CỬA",
    place_name="Lạng Sơn",
)
DAY = date(2026, 3, 5)


def _pages(pdf: bytes) -> list[str]:
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = unicodedata.normalize("NFC", page.extract_text() or "")
        out.append(" ".join(text.split()))
    return out


def _row(i: int, postage: int | None = 28_000, paid_by: str = "Tổ chức, cá nhân") -> PostalListRow:
    return PostalListRow(
        code=f"000.00.20.H37-260305-{i:04d}",
        recipient=f"Đặng Thị Ánh {i}",
        address="Số 12 đường Trần Đăng Ninh, phường Đông Kinh, tỉnh Lạng Sơn",
        phone="0912 345 678",
        tracking=f"RR{i:08d}5VN",
        postage=postage,
        paid_by=paid_by,
    )


def test_one_page_list_has_every_part() -> None:
    rows = (_row(1), _row(2, 30_000, "Ngân sách tỉnh"), _row(3, None))
    [page] = _pages(render_postal_list(PostalListData(HEADER, DAY, rows)))
    assert "BẢNG KÊ GIAO BƯU CHÍNH" in page
    assert "Lạng Sơn, ngày 05 tháng 3 năm 2026" in page
    assert "Ngày giao: 05/03/2026" in page
    for heading in ("TT", "Người nhận", "Địa chỉ", "Số điện thoại", "Người trả cước"):
        assert heading in page
    assert HEADINGS[1] == "Mã hồ sơ"
    assert "RR000000025VN" in page
    assert "Đặng Thị Ánh 2" in page
    assert "0912 345 678" in page
    assert "Ngân sách tỉnh" in page
    assert (
        "Tổng số: 3 bưu gửi. Tổng cước: 58.000 đồng (trong đó: tổ chức, cá nhân trả 28.000 đồng; "
        "ngân sách tỉnh trả 30.000 đồng)." in page
    )
    for words in (
        "NGƯỜI GIAO",
        "(Cán bộ Bộ phận Một cửa)",
        "NGƯỜI NHẬN",
        "(Nhân viên bưu chính)",
        "(Ký và ghi rõ họ tên)",
    ):
        assert words in page
    assert "Trang" not in page  # a one-page list carries no page number


def test_long_list_repeats_the_header_and_numbers_pages() -> None:
    rows = tuple(_row(i) for i in range(1, 41))
    pages = _pages(render_postal_list(PostalListData(HEADER, DAY, rows)))
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert "Số hiệu bưu gửi" in page
        assert f"Trang {n}/{len(pages)}" in page
    text = " ".join(pages)
    assert all(f"RR{i:08d}5VN" in text for i in range(1, 41))
    assert "NGƯỜI NHẬN" in pages[-1]
    assert "Tổng số: 40 bưu gửi. Tổng cước: 1.120.000 đồng." in pages[-1]


def test_empty_day_says_so() -> None:
    [page] = _pages(render_postal_list(PostalListData(HEADER, DAY, ())))
    assert "Không có bưu gửi nào được giao trong ngày." in page
    assert "Tổng số: 0 bưu gửi." in page


def test_totals_without_known_postage() -> None:
    assert totals_text((_row(1, None),)) == "Tổng số: 1 bưu gửi."


def test_same_data_gives_the_same_bytes() -> None:
    data = PostalListData(HEADER, DAY, (_row(1),))
    assert render_postal_list(data) == render_postal_list(data)
