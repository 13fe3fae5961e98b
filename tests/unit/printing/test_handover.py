"""Phiếu kiểm soát quá trình giải quyết hồ sơ: preamble, one unbroken row per handover, wrapping."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from desk_app.printing.data import DeskHeader, HandoverData, HandoverRow
from desk_app.printing.formset import FormSet
from desk_app.printing.handover import (
    ATTACHED,
    DEFAULT_BLANK_ROWS,
    HEADINGS,
    POSTAL_NOTE,
    column_widths,
    render_handover,
)
from desk_app.printing.layout import frame_width

from .conftest import pdf_pages, pdf_text, render_png
from .test_register import assert_inside_columns

CODE = "000.17.22.H56-250305-0007"
RECEIVED = datetime(2025, 3, 5, 9, 15)
DESK = "Bộ phận Một cửa"
AGENCY = "Phòng Quản lý Du lịch"
LEADER = "Lãnh đạo Sở Văn hóa, Thể thao và Du lịch"
STEPS = (
    HandoverRow(DESK, AGENCY, RECEIVED + timedelta(hours=1, minutes=5), "Đúng hạn"),
    HandoverRow(AGENCY, LEADER, datetime(2025, 3, 7, 14, 30), "Trước hạn", "Trình ký"),
    HandoverRow(
        LEADER,
        DESK,
        datetime(2025, 3, 13, 8, 0),
        "Quá hạn",
        "Chậm 01 ngày do chờ ý kiến của Ủy ban nhân dân xã Đồng Đăng",
    ),
    HandoverRow(DESK, "Người nộp hồ sơ (nhận kết quả)", datetime(2025, 3, 13, 15, 45), "Quá hạn"),
)
LONG_AGENCY = (
    "Phòng Quản lý Văn hóa và Gia đình thuộc Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn, "
    "bộ phận thẩm định hồ sơ cấp phép tổ chức biểu diễn nghệ thuật, trình diễn thời trang, thi "
    "người đẹp và người mẫu cấp tỉnh"
)
LONG_NOTE = (
    "Hồ sơ được chuyển lại để xin ý kiến Ủy ban nhân dân xã Đồng Đăng về địa điểm tổ chức; thời "
    "gian chờ ý kiến không tính vào thời hạn giải quyết theo quy định tại Nghị định số "
    "118/2025/NĐ-CP của Chính phủ"
)


def handover(
    header: DeskHeader, rows: tuple[HandoverRow, ...] = STEPS, due: datetime | None = None
) -> HandoverData:
    return HandoverData(
        header=header,
        code=CODE,
        issued=date(2025, 3, 5),
        applicant_name="Công ty TNHH Du lịch Xứ Lạng",
        procedure_name="Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa",
        settling_agency=AGENCY,
        received=RECEIVED,
        due=due if due is not None else datetime(2025, 3, 12, 9, 15),
        rows=rows,
    )


def many_steps(count: int) -> tuple[HandoverRow, ...]:
    """`count` handovers, each with its own numbered agency so that a row can be found."""
    return tuple(
        HandoverRow(
            f"Tổ thẩm định số {i:02d}",
            f"Phòng tiếp nhận số {i:02d}",
            RECEIVED + timedelta(hours=5 * i),
            ("Trước hạn", "Đúng hạn", "Quá hạn")[i % 3],
            f"Bước {i:02d}",
        )
        for i in range(1, count + 1)
    )


def test_preamble(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_handover(handover(header), form_set))
    for value in (
        "Mẫu số 06",
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "UBND TỈNH LẠNG SƠN",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 05 tháng 3 năm 2025",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        ATTACHED,
        "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
        "Tổ chức, cá nhân nộp hồ sơ: Công ty TNHH Du lịch Xứ Lạng",
        "Tên thủ tục hành chính: Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa",
        "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 05 tháng 3 năm 2025",
        "Thời gian hẹn trả kết quả: 09 giờ 15 phút, ngày 12 tháng 3 năm 2025",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {AGENCY}",
        POSTAL_NOTE,
    ):
        assert value in text, value
    # The header block carries no number on this form.
    assert "Số:" not in text
    assert re.search(r"Cơ quan phối hợp giải quyết hồ sơ: \.{20,}", text)


def test_no_appointment_line_without_a_due_moment(header: DeskHeader, form_set: FormSet) -> None:
    data = replace(handover(header), due=None)
    text = pdf_text(render_handover(data, form_set))
    assert "Thời gian hẹn trả kết quả" not in text
    assert "Thời gian nhận hồ sơ" in text


def test_portrait_a4(header: DeskHeader, form_set: FormSet) -> None:
    box = PdfReader(io.BytesIO(render_handover(handover(header), form_set))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)


def test_table_headers(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_handover(handover(header), form_set))
    for heading in HEADINGS:
        assert heading in text, heading
    assert "THỜI GIAN GIAO, NHẬN HỒ SƠ" in text
    assert "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/quá hạn)" in text


def test_one_row_per_handover_with_time_signatures_and_outcome(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_handover(handover(header), form_set))
    expected = (
        f"1. Giao: {DESK} 2. Nhận: {AGENCY} 10 giờ 20 phút, ngày 05/03/2025 "
        "Người giao Người nhận Đúng hạn",
        f"1. Giao: {AGENCY} 2. Nhận: {LEADER} 14 giờ 30 phút, ngày 07/03/2025 "
        "Người giao Người nhận Trước hạn Trình ký",
        f"1. Giao: {LEADER} 2. Nhận: {DESK} 08 giờ 00 phút, ngày 13/03/2025 "
        "Người giao Người nhận Quá hạn Chậm 01 ngày do chờ ý kiến của Ủy ban nhân dân xã Đồng Đăng",
        f"1. Giao: {DESK} 2. Nhận: Người nộp hồ sơ (nhận kết quả) 15 giờ 45 phút, ngày "
        "13/03/2025 Người giao Người nhận Quá hạn",
    )
    for row in expected:
        assert row in text, row
    assert text.count("Người giao") == len(STEPS)
    # Recorded rows only: no rows left blank for writing in by hand.
    assert "…… giờ" not in text


def test_nothing_recorded_prints_rows_to_fill_in(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_handover(handover(header, rows=()), form_set))
    assert len(re.findall(r"1\. Giao: \.{10,} 2\. Nhận: \.{10,}", text)) == DEFAULT_BLANK_ROWS
    assert text.count("…… giờ …… phút, ngày ……/……/………") == DEFAULT_BLANK_ROWS
    assert text.count("Người nhận") == DEFAULT_BLANK_ROWS


def test_blank_rows_follow_the_recorded_ones(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_handover(handover(header), form_set, blank_rows=2))
    assert text.count("Người giao") == len(STEPS) + 2
    assert text.index("15 giờ 45 phút") < text.index("…… giờ …… phút")


def test_one_page_sheet_has_no_page_number(header: DeskHeader, form_set: FormSet) -> None:
    pages = pdf_pages(render_handover(handover(header), form_set))
    assert len(pages) == 1
    assert "Trang" not in pages[0]


def test_long_sheet_repeats_the_header_and_keeps_rows_whole(
    header: DeskHeader, form_set: FormSet
) -> None:
    steps = many_steps(14)
    pages = pdf_pages(render_handover(handover(header, rows=steps), form_set))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert all(h in page for h in HEADINGS), number
        assert re.findall(r"Trang \d+/\d+", page) == [f"Trang {number}/{len(pages)}"]
        assert page.index("GHI CHÚ") < page.index("1. Giao:"), number
    for step in steps:
        row = (
            f"1. Giao: {step.giver} 2. Nhận: {step.receiver} "
            f"{step.at:%H} giờ {step.at:%M} phút, ngày {step.at:%d/%m/%Y} "
            f"Người giao Người nhận {step.outcome} {step.note}"
        )
        assert sum(row in page for page in pages) == 1, row
    assert POSTAL_NOTE in pages[-1]


def test_long_names_and_notes_wrap_inside_their_columns(
    header: DeskHeader, form_set: FormSet
) -> None:
    assert len(LONG_AGENCY) >= 200 and len(LONG_NOTE) >= 200
    steps = (
        HandoverRow(DESK, LONG_AGENCY, RECEIVED, "Đúng hạn", LONG_NOTE),
        HandoverRow(LONG_AGENCY, LONG_AGENCY, RECEIVED + timedelta(days=2), "Quá hạn", LONG_NOTE),
        *STEPS,
    )
    data = replace(handover(header, rows=steps), settling_agency=LONG_AGENCY)
    pdf = render_handover(data, form_set)
    text = pdf_text(pdf)
    assert f"1. Giao: {LONG_AGENCY} 2. Nhận: {LONG_AGENCY}" in text
    # "118/2025/NĐ-CP" is wider than the note column: it is broken, but all of it is printed.
    assert text.replace(" ", "").count(LONG_NOTE.replace(" ", "")) == 2
    assert f"Cơ quan (bộ phận) giải quyết hồ sơ: {LONG_AGENCY}" in text
    checked = assert_inside_columns(
        pdf, column_widths(frame_width(A4)), "TÊN CƠ QUAN", stop="Ghi chú: Trường hợp"
    )
    assert checked > 60


def test_a_note_taller_than_a_page_breaks_rather_than_fails(
    header: DeskHeader, form_set: FormSet
) -> None:
    words = [f"ý{i:03d}" for i in range(700)]
    steps = (*STEPS[:2], replace(STEPS[2], note=" ".join(words)), STEPS[3])
    pdf = render_handover(handover(header, rows=steps), form_set)
    text = pdf_text(pdf)
    assert all(w in text for w in words)
    assert "15 giờ 45 phút, ngày 13/03/2025" in text  # the row after it
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("TÊN CƠ QUAN") == 1, number  # the header once per page, never twice
        assert f"Trang {number}/{len(pages)}" in page
    assert "ý000" not in pages[0] and "15 giờ 45 phút" in pages[-1]


def test_diacritics_are_printed_in_nfc(header: DeskHeader, form_set: FormSet) -> None:
    giver = unicodedata.normalize("NFD", "Ủy ban nhân dân xã Đồng Đăng")
    steps = (HandoverRow(giver, "Phòng Quản lý Văn hóa và Gia đình", RECEIVED, "Trước hạn"),)
    pdf = render_handover(handover(header, rows=steps), form_set)
    raw = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "1. Giao: Ủy ban nhân dân xã Đồng Đăng" in raw
    assert "2. Nhận: Phòng Quản lý Văn hóa và Gia đình" in raw


def test_identical_data_gives_identical_bytes(header: DeskHeader, form_set: FormSet) -> None:
    first = render_handover(handover(header), form_set)
    assert render_handover(handover(header), form_set) == first
    changed = (*STEPS[:3], replace(STEPS[3], outcome="Đúng hạn"))
    assert render_handover(handover(header, rows=changed), form_set) != first


def test_pages_render_as_images(header: DeskHeader, form_set: FormSet, tmp_path: Path) -> None:
    pdf = render_handover(handover(header, rows=many_steps(14)), form_set)
    pngs = render_png(pdf, tmp_path)
    assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages) >= 3
    assert all(p.stat().st_size > 10_000 for p in pngs)
