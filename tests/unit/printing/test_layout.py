"""Shared form layout: balanced header names, the national header, signatures, page frames."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from desk_app.printing import layout
from desk_app.printing.data import DeskHeader
from desk_app.printing.fonts import FAMILY, register_fonts
from desk_app.printing.formset import FormSet

from .conftest import pdf_text

BOLD = f"{FAMILY}-Bold"


def lines_of(pdf: bytes) -> list[str]:
    """The text lines of the first page as pypdf lays them out (not folded into one line)."""
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def baselines(pdf: bytes) -> dict[str, float]:
    """The y of each text run on the first page."""
    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found[" ".join(text.split())] = round(cm[5] + tm[5] * cm[3], 1)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


# --- balanced lines -------------------------------------------------------------------------


def test_a_name_that_fits_stays_on_one_line() -> None:
    register_fonts()
    assert layout.balanced_lines("  UBND  TỈNH LẠNG SƠN ", FAMILY, 12, 65 * mm) == [
        "UBND TỈNH LẠNG SƠN"
    ]
    assert layout.balanced_lines("", FAMILY, 12, 65 * mm) == []


def test_a_long_agency_name_breaks_after_its_comma() -> None:
    register_fonts()
    assert layout.balanced_lines("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", FAMILY, 12, 65 * mm) == [
        "SỞ VĂN HÓA,",
        "THỂ THAO VÀ DU LỊCH",
    ]


def test_lines_are_balanced_and_two_syllable_words_kept_whole() -> None:
    register_fonts()
    unit = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert layout.balanced_lines(unit, BOLD, 9, 95 * mm) == [
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    ]
    centre = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN"
    assert layout.balanced_lines(centre, FAMILY, 12, 75 * mm) == [
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH",
        "CÔNG TỈNH LẠNG SƠN",
    ]


@pytest.mark.parametrize("width_mm", [20, 30, 45, 60, 75, 90])
@pytest.mark.parametrize(
    "text",
    [
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "ỦY BAN NHÂN DÂN HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    ],
)
def test_balanced_lines_keep_every_word_and_fit_in_as_few_lines_as_possible(
    text: str, width_mm: int
) -> None:
    register_fonts()
    width = width_mm * mm
    lines = layout.balanced_lines(text, FAMILY, 12, width)
    assert " ".join(lines) == text
    assert all(stringWidth(x, FAMILY, 12) <= width or " " not in x for x in lines)
    # First fit gives the fewest lines; balancing may not add any.
    greedy: list[str] = []
    for word in text.split():
        if greedy and stringWidth(f"{greedy[-1]} {word}", FAMILY, 12) <= width:
            greedy[-1] = f"{greedy[-1]} {word}"
        else:
            greedy.append(word)
    assert len(lines) == len(greedy)


# --- header, title, signatures ----------------------------------------------------------------


def test_the_header_block_has_both_columns_and_a_wide_enough_right_one(
    header: DeskHeader,
) -> None:
    s = layout.styles()
    width = layout.frame_width()
    block = layout.header_block(header, date(2025, 3, 5), width, s)
    left_w, right_w = block._colWidths  # type: ignore[attr-defined]
    assert left_w + right_w == pytest.approx(width)
    assert right_w >= stringWidth(layout.NATIONAL_NAME, BOLD, s.size - 1)
    pdf = layout.build_pdf([block], title="t", author="a")
    lines = lines_of(pdf)
    for expected in (
        "UBND TỈNH LẠNG SƠN",
        "SỞ VĂN HÓA,",
        "THỂ THAO VÀ DU LỊCH",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 05 tháng 3 năm 2025",
    ):
        assert any(expected in line for line in lines), expected
    assert "Số:" not in pdf_text(pdf)


def test_the_number_and_the_place_date_line_share_a_baseline(header: DeskHeader) -> None:
    s = layout.styles()
    block = layout.header_block(header, date(2025, 3, 5), layout.frame_width(), s, number="12/HDHS")
    pdf = layout.build_pdf([block], title="t", author="a")
    ys = baselines(pdf)
    number_y = next(y for text, y in ys.items() if text.startswith("Số: 12/HDHS"))
    date_y = next(y for text, y in ys.items() if text.startswith("Lạng Sơn, ngày 05"))
    assert number_y == pytest.approx(date_y, abs=0.5)


def test_the_header_follows_the_size_of_the_styles(header: DeskHeader) -> None:
    big = layout.header_block(header, date(2025, 3, 5), 160 * mm, layout.styles(13))
    small = layout.header_block(header, date(2025, 3, 5), 160 * mm, layout.styles(10))
    assert small.wrap(160 * mm, 1000)[1] < big.wrap(160 * mm, 1000)[1]


def test_form_number_line_on_one_or_two_lines(form_set: FormSet) -> None:
    s = layout.styles()
    two = [f for f in layout.form_number_line(form_set["receipt"], s) if isinstance(f, Paragraph)]
    one = [
        f
        for f in layout.form_number_line(form_set["receipt"], s, one_line=True)
        if isinstance(f, Paragraph)
    ]
    assert len(two) == 2 and len(one) == 1
    text = pdf_text(layout.build_pdf(one, title="t", author="a"))
    assert text == f"Mẫu số 01 – {form_set['receipt'].legal_basis}"
    assert form_set["receipt"].legal_basis.startswith("Ban hành kèm theo Thông tư số 03/2025")


def test_signature_row_prints_titles_notes_and_names_in_equal_columns() -> None:
    s = layout.styles()
    width = layout.frame_width()
    row = layout.signature_row(
        [
            layout.Signature("NGƯỜI NỘP HỒ SƠ"),
            layout.Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name="Nguyễn Thị Lan"),
        ],
        width,
        s,
        space=20 * mm,
    )
    assert isinstance(row, Table)
    assert row._colWidths == [width / 2, width / 2]  # type: ignore[attr-defined]
    _, height = row.wrap(width, 1000)
    assert height > 20 * mm  # the room to sign is there
    text = pdf_text(layout.build_pdf([row], title="t", author="a"))
    assert text == (
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) "
        "Nguyễn Thị Lan"
    )


def test_styles_follow_the_size_and_line_spacing() -> None:
    s = layout.styles(10, spacing=1.15)
    assert s.size == 10
    assert s.body.fontSize == 10 and s.body.leading == pytest.approx(11.5)
    assert s.title.fontSize == 11
    assert layout.styles().body.leading == pytest.approx(13 * 1.25)


def test_esc_and_markup_keep_text_literal() -> None:
    s = layout.styles()
    p = layout.para("A <b> & C", s.body)
    assert "&lt;b&gt; &amp; C" in p.text
    assert layout.esc("A\u0301") == "Á"


# --- pages --------------------------------------------------------------------------------------


def test_frames_have_no_padding_so_frame_width_is_what_a_table_gets() -> None:
    doc = layout.new_document(io.BytesIO(), title="t", author="a")
    (frame,) = doc.pageTemplates[0].frames
    assert frame._aW == pytest.approx(layout.frame_width())  # type: ignore[attr-defined]
    landscape = layout.new_document(
        io.BytesIO(), title="t", author="a", pagesize=layout.LANDSCAPE_A4
    )
    (frame,) = landscape.pageTemplates[0].frames
    assert frame._aW == pytest.approx(layout.frame_width(layout.LANDSCAPE_A4))  # type: ignore[attr-defined]


def test_build_pdf_is_byte_identical_and_carries_its_metadata() -> None:
    s = layout.styles()

    def story() -> list[object]:
        return [layout.title_block("GIẤY TIẾP NHẬN HỒ SƠ", s), layout.para("Đặng Thị Ánh", s.body)]

    first = layout.build_pdf(story(), title="Giấy tiếp nhận", author="Bộ phận Một cửa")  # type: ignore[arg-type]
    again = layout.build_pdf(story(), title="Giấy tiếp nhận", author="Bộ phận Một cửa")  # type: ignore[arg-type]
    assert first == again
    info = PdfReader(io.BytesIO(first)).metadata
    assert info is not None and info.title == "Giấy tiếp nhận"
    assert not re.search(rb"/CreationDate \(D:20[0-9]{2}(?!0101)", first)


def test_build_pdf_calls_the_page_decoration_on_every_page() -> None:
    s = layout.styles()
    seen: list[int] = []

    def on_page(canvas: object, doc: object) -> None:
        seen.append(canvas.getPageNumber())  # type: ignore[attr-defined]

    story = [layout.para(f"Dòng {i}", s.body) for i in range(120)]
    pdf = layout.build_pdf(story, title="t", author="a", on_page=on_page)  # type: ignore[arg-type]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 1
    assert seen == list(range(1, pages + 1))
