"""Sổ theo dõi hồ sơ: landscape, both header rows and "Trang x/y" on every page, clean wrapping."""

from __future__ import annotations

import io
import random
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from reportlab.pdfbase.pdfmetrics import stringWidth

from desk_app.domain.catalog import bundled_catalog
from desk_app.printing.data import DeskHeader, RegisterData, RegisterRow
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet, load_form_set
from desk_app.printing.layout import LANDSCAPE_A4, MARGINS, frame_width
from desk_app.printing.register import (
    DATES_HEADING,
    EMPTY_MESSAGE,
    HEADINGS,
    column_widths,
    render_register,
)
from desk_app.services.demo_people import (
    FAMILY as SURNAMES,
)
from desk_app.services.demo_people import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    STREETS,
    WARDS,
)

from .conftest import HEADER, pdf_pages, pdf_text, render_png

START = datetime(2025, 3, 3, 7, 30)
LONG_PROCEDURE = (
    "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lữ hành quốc tế đối với doanh nghiệp "
    "có vốn đầu tư nước ngoài theo quy định của Luật Du lịch năm 2017 và các văn bản hướng dẫn "
    "thi hành có liên quan"
)
LONG_APPLICANT = (
    "Công ty Trách nhiệm hữu hạn Một thành viên Du lịch, Thương mại và Dịch vụ Lữ hành Quốc tế "
    "Hoàng Sơn Xứ Lạng, chi nhánh thành phố Lạng Sơn, do ông Nguyễn Văn Quyết làm người đại "
    "diện theo pháp luật, giám đốc"
)
LONG_ADDRESS = (
    "Số nhà 128, ngõ 4, đường Trần Đăng Ninh, khối 7, phường Lương Văn Tri, tỉnh Lạng Sơn; "
    "điện thoại 0205 3812 345; 0912 345 678; thư điện tử hoangson.xulang.dulich@example.vn"
)


def _person(rnd: random.Random) -> str:
    if rnd.random() < 0.5:
        return f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE_MALE)} {rnd.choice(GIVEN_MALE)}"
    return f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE_FEMALE)} {rnd.choice(GIVEN_FEMALE)}"


def sample_rows(count: int, seed: int = 7) -> tuple[RegisterRow, ...]:
    """`count` files received 20 minutes apart, with realistic names, addresses and outcomes."""
    rnd = random.Random(seed)
    procedures = bundled_catalog()
    rows = []
    for i in range(count):
        received = START + timedelta(minutes=20 * i)
        procedure = procedures[i % len(procedures)]
        done = i % 3 != 0
        rows.append(
            RegisterRow(
                code=f"000.17.22.H56-{received:%y%m%d}-{i + 1:04d}",
                procedure_name=procedure.name,
                sets_count=1 + i % 2,
                applicant_name=_person(rnd),
                address_phone=(
                    f"Số {rnd.randint(1, 300)}, đường {rnd.choice(STREETS)}, "
                    f"{rnd.choice(WARDS)}, 09{i:08d}"
                ),
                settling_agency=procedure.settling_agency,
                received=received,
                due=received + timedelta(days=7),
                forwarded=received + timedelta(hours=2),
                result_back=received + timedelta(days=5) if done else None,
                returned=received + timedelta(days=6) if done else None,
                return_method="Bưu chính" if i % 4 == 0 else "Trực tiếp",
                note="Đã rút hồ sơ" if i % 11 == 5 else "",
            )
        )
    return tuple(rows)


def register(header: DeskHeader, rows: tuple[RegisterRow, ...]) -> RegisterData:
    return RegisterData(
        header=header, start=date(2025, 3, 1), end=date(2025, 3, 31), book="2025", rows=rows
    )


def printed_code(code: str) -> str:
    """The code as extracted: it breaks after the agency part, so a space follows that dash."""
    return code.replace("-", "- ", 1)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _font(base_font: str) -> str:
    bold, italic = "Bold" in base_font, "Italic" in base_font
    return FAMILY + {(1, 0): "-Bold", (0, 1): "-Italic", (1, 1): "-BoldItalic"}.get(
        (bold, italic), ""
    )


def _page_runs(page: PageObject) -> list[tuple[str, float, float, float]]:
    runs: list[tuple[str, float, float, float]] = []
    line_start: tuple[float, float] | None = None
    offset = 0.0

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        nonlocal line_start, offset
        line = text.rstrip("\n")
        if not line.strip() or not isinstance(font, dict):
            return
        x, y = cm[4] + tm[4], cm[5] + tm[5]
        offset = offset if line_start == (x, y) else 0.0
        width = stringWidth(line, _font(str(font.get("/BaseFont", ""))), size)
        runs.append((line, x + offset, x + offset + width, y))
        line_start, offset = (x, y), offset + width

    page.extract_text(visitor_text=visit)
    return runs


def text_runs(pdf: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Per page, each drawn run of text as (text, x start, x end, baseline y) in points.

    pypdf reports every run of a line at the line's start, so runs sharing a start are laid
    end to end (a bold label followed by its value).
    """
    return [_page_runs(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_inside_columns(
    pdf: bytes, widths: list[float], heading: str, stop: str | None = None
) -> int:
    """Every run of the table body lies inside one column: nothing overlaps a neighbour or
    runs off the page. Returns how many runs were checked."""
    edges = [MARGINS["left"]]
    for w in widths:
        edges.append(edges[-1] + w)
    checked = 0
    for runs in text_runs(pdf):
        tops = [y for text, _, _, y in runs if text == heading]
        assert tops, f"no '{heading}' header on a page"
        bottom = min((y for text, _, _, y in runs if stop and text.startswith(stop)), default=0)
        for text, x0, x1, y in runs:
            if y >= tops[0] or y <= bottom or text.startswith("Trang "):
                continue
            column = next(i for i in range(len(widths)) if x0 < edges[i + 1])
            assert x0 >= edges[column] - 0.5, (text, x0, edges[column])
            assert x1 <= edges[column + 1] + 0.5, (text, x1, edges[column + 1])
            checked += 1
    return checked


@dataclass(frozen=True)
class Printed:
    data: RegisterData
    pdf: bytes
    pages: list[str]


@pytest.fixture(scope="module")
def thousand() -> Printed:
    """One 1,000-row register shared by the tests that read it (it takes seconds to draw)."""
    data = register(HEADER, sample_rows(1000))
    pdf = render_register(data, load_form_set("2025"))
    return Printed(data, pdf, pdf_pages(pdf))


def test_first_page_carries_the_title_block(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_register(register(header, sample_rows(3)), form_set)
    first = pdf_pages(pdf)[0]
    for text in (
        "Mẫu số 07",
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "UBND TỈNH LẠNG SƠN",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "BỘ PHẬN MỘT CỬA",
        "SỔ THEO DÕI HỒ SƠ",
        "Quyển số: 2025",
        "(Từ ngày 01/03/2025 đến ngày 31/03/2025)",
    ):
        assert text in first, text
    # A register is not a dispatched document: no national motto, no place-and-date line.
    assert "Độc lập - Tự do - Hạnh phúc" not in first


def test_landscape_a4(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_register(register(header, sample_rows(3)), form_set)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_headers_and_the_fields_of_a_row(header: DeskHeader, form_set: FormSet) -> None:
    rows = sample_rows(3)
    row = rows[1]
    text = pdf_text(render_register(register(header, rows), form_set))
    for heading in (*HEADINGS, DATES_HEADING):
        assert heading in text, heading
    fields = (
        printed_code(row.code),
        row.procedure_name,
        row.applicant_name,
        row.address_phone,
        row.settling_agency,
        "03/03/2025 07:50",  # received
        "10/03/2025 07:50",  # due
        "03/03/2025 09:50",  # forwarded
        "08/03/2025 07:50",  # result back
        "09/03/2025 07:50",  # returned
        "Trực tiếp",
    )
    for value in fields:
        assert value in text, value
    assert "Bưu chính" in text  # rows[0]
    assert "Tổng số: 3 hồ sơ (4 bộ)." in text


def test_missing_moments_print_empty_cells(header: DeskHeader, form_set: FormSet) -> None:
    row = sample_rows(1)[0]  # i = 0: still open, nothing back from the agency yet
    assert row.result_back is None and row.returned is None
    text = pdf_text(render_register(register(header, (row,)), form_set))
    assert "03/03/2025 07:30 10/03/2025 07:30 03/03/2025 09:30 Bưu chính" in text


def test_diacritics_survive_in_nfc(header: DeskHeader, form_set: FormSet) -> None:
    row = sample_rows(1)[0]
    decomposed = unicodedata.normalize("NFD", "Hoàng Thị Hằng, Ủy ban nhân dân xã Đồng Đăng")
    odd = replace(row, applicant_name=decomposed, note="Quá hạn 01 ngày")
    pdf = render_register(register(header, (odd,)), form_set)
    raw = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Hoàng Thị Hằng, Ủy ban nhân dân xã Đồng Đăng" in raw
    assert "Quá hạn 01 ngày" in raw


def test_empty_range_prints_the_headers_and_a_message(
    header: DeskHeader, form_set: FormSet
) -> None:
    pdf = render_register(register(header, ()), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    assert EMPTY_MESSAGE in pages[0]
    assert "Không có hồ sơ trong khoảng thời gian này." in pages[0]
    for heading in (*HEADINGS, DATES_HEADING):
        assert heading in pages[0], heading
    assert "Trang 1/1" in pages[0]
    assert "Tổng số" not in pages[0]


@pytest.mark.slow
def test_thousand_rows_repeat_the_header_on_every_page(thousand: Printed) -> None:
    pages = thousand.pages
    assert len(pages) == page_count(thousand.pdf) > 20
    for number, page in enumerate(pages, start=1):
        for heading in (*HEADINGS, DATES_HEADING):
            assert heading in page, (number, heading)
        # The two header rows stand before the first file of the page.
        assert page.index("Ghi chú") < page.index("000.17.22.H56-"), number


@pytest.mark.slow
def test_thousand_rows_number_every_page(thousand: Printed) -> None:
    pages = thousand.pages
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert re.findall(r"Trang \d+/\d+", page) == [f"Trang {number}/{total}"]


@pytest.mark.slow
def test_thousand_rows_all_present_in_order_never_split(thousand: Printed) -> None:
    data, pages = thousand.data, thousand.pages
    assert printed_code(data.rows[0].code) in pages[0]
    assert printed_code(data.rows[-1].code) in pages[-1]
    assert "Tổng số: 1.000 hồ sơ (1.500 bộ)." in pages[-1]
    where = []
    for row in data.rows:
        found = [i for i, page in enumerate(pages) if printed_code(row.code) in page]
        assert len(found) == 1, row.code
        # The whole row is on that page: its address (with the unique phone) and its agency.
        assert row.address_phone in pages[found[0]], row.code
        where.append(found[0])
    assert where == sorted(where)


def test_identical_data_gives_identical_bytes(header: DeskHeader, form_set: FormSet) -> None:
    rows = sample_rows(60)
    first = render_register(register(header, rows), form_set)
    again = render_register(register(header, sample_rows(60)), form_set)
    assert first == again
    other = render_register(register(header, sample_rows(60, seed=8)), form_set)
    assert other != first


def test_long_content_wraps_inside_its_column(header: DeskHeader, form_set: FormSet) -> None:
    rows = sample_rows(12)
    long_rows = tuple(
        replace(
            r,
            procedure_name=LONG_PROCEDURE,
            applicant_name=LONG_APPLICANT,
            address_phone=LONG_ADDRESS,
            settling_agency="Phòng Quản lý Văn hóa và Gia đình, Sở Văn hóa, Thể thao và Du lịch "
            "tỉnh Lạng Sơn",
            note="Hồ sơ chuyển qua dịch vụ bưu chính công ích; người nộp đề nghị nhận kết quả "
            "tại nhà",
        )
        if i % 2
        else r
        for i, r in enumerate(rows)
    )
    assert len(LONG_PROCEDURE) >= 200 and len(LONG_APPLICANT) >= 200
    pdf = render_register(register(header, long_rows), form_set)
    text = pdf_text(pdf)
    for value in (LONG_PROCEDURE, LONG_APPLICANT):
        assert value in text
    # The e-mail address is one long word: it is broken, but all of it is printed.
    assert "hoangson.xulang.dulich@example.vn" in text.replace(" ", "")
    width = frame_width(LANDSCAPE_A4)
    checked = assert_inside_columns(pdf, column_widths(width), "TT", stop="Tổng số")
    assert checked > 500


def test_a_row_taller_than_a_page_breaks_rather_than_fails(
    header: DeskHeader, form_set: FormSet
) -> None:
    rows = sample_rows(5)
    words = [f"mục{i:03d}" for i in range(600)]  # ~4,000 characters in the narrow note column
    huge = replace(rows[2], note="Ghi chú dài: " + " ".join(words))
    pdf = render_register(register(header, (*rows[:2], huge, *rows[3:])), form_set)
    text = pdf_text(pdf)
    assert all(w in text for w in words)
    assert printed_code(rows[4].code) in text
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page
        assert page.count("Tên TTHC") == 1, number  # the header once per page, never twice
    # The tall row starts on a fresh page, and the rows after it on the next fresh page.
    assert printed_code(rows[1].code) in pages[0]
    assert printed_code(huge.code) not in pages[0]
    assert printed_code(rows[3].code) not in pages[-2]


def test_pages_render_as_images(thousand: Printed, tmp_path: Path) -> None:
    """Poppler draws the first, a middle and the last page (kept in tmp_path to look at)."""
    reader = PdfReader(io.BytesIO(thousand.pdf))
    total = len(reader.pages)
    pngs = []
    for number in (1, total // 2, total):
        folder = tmp_path / f"page{number}"
        folder.mkdir()
        pngs += render_png(_one_page(reader, number), folder)
    assert len(pngs) == 3
    assert all(p.stat().st_size > 10_000 for p in pngs)


def _one_page(reader: PdfReader, number: int) -> bytes:
    writer = PdfWriter()
    writer.add_page(reader.pages[number - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
