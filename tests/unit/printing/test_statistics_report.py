"""Biểu 06 on paper: title, period, the 13 numbered columns, totals, signatures, long tables."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from desk_app.domain.statistics import StatCounts
from desk_app.printing.data import DeskHeader
from desk_app.printing.statistics_report import (
    EMPTY_MESSAGE,
    StatisticsData,
    StatisticsLine,
    count_text,
    place_date_line,
    render_statistics,
)

COUNTS = StatCounts(
    received_online=1234,
    received_direct_postal=56,
    carried_over=7,
    settled_early=800,
    settled_on_time=300,
    settled_late=97,
    open_in_time=60,
    open_overdue=31,
    withdrawn=5,
    stopped=4,
    postal_received=21,
    postal_sent=42,
    postal_delivered=40,
    postal_returned=2,
)


def _pages(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in reader.pages
    ]


def _data(header: DeskHeader, lines: int, issued: date | None = None) -> StatisticsData:
    rows = tuple(StatisticsLine(f"Lĩnh vực thử số {i}", COUNTS) for i in range(1, lines + 1))
    total = StatCounts()
    for row in rows:
        total = total + row.counts
    return StatisticsData(
        header=header,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        lines=rows,
        total=total,
        issued=issued,
    )


def test_the_form_carries_title_period_unit_and_signatures(header: DeskHeader) -> None:
    text = " ".join(_pages(render_statistics(_data(header, 2))))
    assert "Biểu số 06/VPCP/KSTT" in text
    assert (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC" in text
    )
    assert "(Từ ngày 01/01/2026 đến ngày 31/03/2026)" in text
    assert "Đơn vị tính: Số hồ sơ TTHC" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH LẠNG SƠN" in text and "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in text
    assert "Lạng Sơn, ngày …… tháng …… năm ………" in text


def test_the_table_has_grouped_headings_numbers_and_cells(header: DeskHeader) -> None:
    text = " ".join(_pages(render_statistics(_data(header, 2))))
    for heading in (
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
        "Trong kỳ",
        "Từ kỳ trước",
        "Trước hạn",
        "Rút hồ sơ",
        "Dừng xử lý",
        "Chuyển hoàn",
    ):
        assert heading in text, heading
    assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)" in text
    assert "(14) (15) (16) (17) (18) (19)" in text
    # Row 1: STT, label, then columns 3..13 with thousands grouped by a dot.
    assert "1 Lĩnh vực thử số 1 1.297 1.234 56 7 1.197 800 300 97 91 60 31" in text
    # The total of two rows.
    assert "Tổng số 2.594 2.468 112 14 2.394 1.600 600 194 182 120 62" in text
    assert "Lĩnh vực thử số 1 5 4 21 42 40 2" in text


def test_a_long_table_repeats_its_headings_on_every_page(header: DeskHeader) -> None:
    pages = _pages(render_statistics(_data(header, 60)))
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert f"Trang {n}/{len(pages)}" in page
    main_pages = [p for p in pages if "Lĩnh vực thử số" in p and "(13)" in p]
    assert len(main_pages) >= 2
    for page in main_pages:
        assert "Số hồ sơ nhận giải quyết" in page and "(1) (2) (3)" in page
    assert "Lĩnh vực thử số 60" in " ".join(pages)


def test_an_empty_period_prints_the_form_with_a_message(header: DeskHeader) -> None:
    text = " ".join(_pages(render_statistics(_data(header, 0))))
    assert EMPTY_MESSAGE in text
    assert "Số hồ sơ đã giải quyết" in text and "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text


def test_an_issue_date_is_printed_when_given(header: DeskHeader) -> None:
    text = " ".join(_pages(render_statistics(_data(header, 1, issued=date(2026, 4, 3)))))
    assert "Lạng Sơn, ngày 03 tháng 4 năm 2026" in text


def test_decomposed_labels_are_drawn_as_nfc(header: DeskHeader) -> None:
    label = unicodedata.normalize("NFD", "Văn hóa cơ sở")
    data = StatisticsData(
        header=header,
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        lines=(StatisticsLine(label, COUNTS),),
        total=COUNTS,
    )
    assert "Văn hóa cơ sở" in " ".join(_pages(render_statistics(data)))


def test_small_helpers() -> None:
    assert count_text(0) == "0" and count_text(1234567) == "1.234.567"
    assert place_date_line("", date(2026, 1, 5)) == "Ngày 05 tháng 01 năm 2026"
    assert place_date_line("Lạng Sơn", None).startswith("Lạng Sơn, ngày ……")


def test_a_long_governing_body_breaks_without_a_lone_word(header: DeskHeader) -> None:
    # Issue 13: the report's own header broke greedily, "… HỮU LŨNG, TỈNH LẠNG" / "SƠN".
    body = "ỦY BAN NHÂN DÂN HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN"
    pdf = render_statistics(_data(replace(header, governing_body=body), 2))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert "SƠN" not in lines
    assert "ỦY BAN NHÂN DÂN HUYỆN" in lines and "HỮU LŨNG, TỈNH LẠNG SƠN" in lines
