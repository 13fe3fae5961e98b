"""Shared layout of the forms: page set-up, styles, the national header block, signatures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from desk_app.printing.data import DeskHeader
from desk_app.printing.fonts import FAMILY, register_fonts
from desk_app.printing.formset import FormText
from desk_app.printing.wording import nfc, place_date

# Margins of Decree 30/2020 on administrative documents (left 30 mm for binding).
MARGINS = {"left": 30 * mm, "right": 20 * mm, "top": 20 * mm, "bottom": 20 * mm}
BASE_SIZE = 13


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_justified: ParagraphStyle
    small: ParagraphStyle
    small_italic: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    centre_italic: ParagraphStyle
    title: ParagraphStyle
    right_italic: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    size: float = BASE_SIZE  # the body size the styles were made for


def styles(size: float = BASE_SIZE, *, spacing: float = 1.25) -> Styles:
    """Paragraph styles of the forms in the registered serif (13 pt by default).

    `spacing` is the body's line height in font sizes; 1.15 is Word's "single" for Times.
    """
    register_fonts()
    lead = size * spacing

    def st(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {"fontName": FAMILY, "fontSize": size, "leading": lead}
        base.update(kw)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    cell = size - 2
    return Styles(
        body=st("body", alignment=TA_LEFT, spaceAfter=2),
        body_justified=st("body_justified", alignment=TA_JUSTIFY, spaceAfter=2),
        small=st("small", fontSize=size - 2, leading=(size - 2) * 1.2),
        small_italic=st(
            "small_italic",
            fontName=f"{FAMILY}-Italic",
            fontSize=size - 2,
            leading=(size - 2) * 1.2,
        ),
        centre=st("centre", alignment=TA_CENTER),
        centre_bold=st("centre_bold", alignment=TA_CENTER, fontName=f"{FAMILY}-Bold"),
        centre_italic=st("centre_italic", alignment=TA_CENTER, fontName=f"{FAMILY}-Italic"),
        title=st(
            "title",
            alignment=TA_CENTER,
            fontName=f"{FAMILY}-Bold",
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
            spaceBefore=6,
            spaceAfter=6,
        ),
        right_italic=st("right_italic", alignment=TA_RIGHT, fontName=f"{FAMILY}-Italic"),
        cell=st("cell", fontSize=cell, leading=cell * 1.2),
        cell_centre=st("cell_centre", fontSize=cell, leading=cell * 1.2, alignment=TA_CENTER),
        cell_head=st(
            "cell_head",
            fontSize=cell,
            leading=cell * 1.2,
            alignment=TA_CENTER,
            fontName=f"{FAMILY}-Bold",
        ),
        size=size,
    )


def esc(text: str) -> str:
    """NFC and escaped for a Paragraph (which reads a little XML)."""
    return nfc(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from plain text; use `markup` for text with <b>/<i> already in it."""
    return Paragraph(esc(text), style)


def markup(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(nfc(text), style)


def rule(width: float) -> HRFlowable:
    return HRFlowable(
        width=width, thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1, spaceAfter=2
    )


def form_number_line(form: FormText, s: Styles, *, one_line: bool = False) -> list[Flowable]:
    """'Mẫu số 01' and the legal basis, small and italic at the top right.

    `one_line` puts both on one line, for half-page forms where every line counts.
    """
    number = f"<b>{esc(form.number)}</b>"
    if one_line:
        basis = f" – <i>{esc(form.legal_basis)}</i>" if form.legal_basis else ""
        return [markup(number + basis, _right(s.small)), Spacer(1, 1 * mm)]
    out: list[Flowable] = [markup(number, _right(s.small))]
    if form.legal_basis:
        out.append(para(form.legal_basis, _right(s.small_italic)))
    out.append(Spacer(1, 2 * mm))
    return out


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=TA_RIGHT)


NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Where a name in the header may break best: after a comma, or before a conjunction.
_GOOD_BREAK_AFTER = (",", ";", "-", "–")
_GOOD_BREAK_BEFORE = {"VÀ"}
# Two-syllable words of agency names that a break should not cut in half ("HÀNH / CHÍNH").
_COMPOUNDS = frozenset(
    tuple(w.split())
    for w in (
        "BỘ PHẬN",
        "MỘT CỬA",
        "ỦY BAN",
        "UỶ BAN",
        "NHÂN DÂN",
        "TRUNG TÂM",
        "PHỤC VỤ",
        "HÀNH CHÍNH",
        "THỦ TỤC",
        "TIẾP NHẬN",
        "KẾT QUẢ",
        "GIẢI QUYẾT",
        "VĂN HÓA",
        "VĂN HOÁ",
        "THỂ THAO",
        "DU LỊCH",
        "VĂN PHÒNG",
        "THÀNH PHỐ",
        "THỊ XÃ",
        "TÀI NGUYÊN",
        "MÔI TRƯỜNG",
        "XÂY DỰNG",
        "GIAO THÔNG",
        "VẬN TẢI",
        "CÔNG THƯƠNG",
        "NÔNG NGHIỆP",
        "NÔNG THÔN",
        "PHÁT TRIỂN",
        "KẾ HOẠCH",
        "ĐẦU TƯ",
        "TÀI CHÍNH",
        "TƯ PHÁP",
        "NỘI VỤ",
        "Y TẾ",
        "GIÁO DỤC",
        "ĐÀO TẠO",
        "KHOA HỌC",
        "CÔNG NGHỆ",
        "LAO ĐỘNG",
        "THƯƠNG BINH",
        "XÃ HỘI",
        "THÔNG TIN",
        "TRUYỀN THÔNG",
        "DÂN TỘC",
        "THANH TRA",
        "NGOẠI VỤ",
    )
)


# A way to set the first words of a name: lines, score, longest line, bad breaks, break positions.
_Way = tuple[int, float, float, int, tuple[int, ...]]


def balanced_lines(text: str, font_name: str, size: float, width: float) -> list[str]:
    """Break `text` into as few lines as fit `width`, made about equally long.

    A greedy break of "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" leaves "DU LỊCH" alone on the second
    line; Vietnamese papers break agency names in balanced lines, preferably after a comma
    ("SỞ VĂN HÓA, / THỂ THAO VÀ DU LỊCH"), which is what this chooses.
    """
    words = nfc(text).split()
    if not words:
        return []
    space = stringWidth(" ", font_name, size)
    sizes = [stringWidth(w, font_name, size) for w in words]

    def line_width(i: int, j: int) -> float:  # words[i:j] on one line
        return sum(sizes[i:j]) + space * (j - i - 1)

    if line_width(0, len(words)) <= width:
        return [" ".join(words)]
    n = len(words)
    lines_needed = _greedy_count(sizes, space, width)
    # What an unnatural break costs, in points of line length: a third of an ideal line, so a
    # comma wins unless it leaves one line less than about half as long as the other.
    penalty = 0.3 * line_width(0, n) / lines_needed
    # best[j]: the best way to set words[:j] as (lines, score, longest line, bad breaks, breaks).
    # Fewest lines first, then the longest line plus the penalties: a long line is what makes a
    # two-line name look lopsided.
    best: list[_Way | None] = [None] * (n + 1)
    best[0] = (0, 0.0, 0.0, 0, ())
    for j in range(1, n + 1):
        for i in range(j):
            prev = best[i]
            w = line_width(i, j)
            if prev is None or (w > width and j - i > 1):
                continue
            longest = max(prev[2], w)
            bad = prev[3] + _break_cost(words, j)
            way: _Way = (prev[0] + 1, longest + bad * penalty, longest, bad, (*prev[4], j))
            current = best[j]
            if current is None or way[:2] < current[:2]:
                best[j] = way
    final = best[n]
    assert final is not None  # a word alone on a line is always allowed above
    lines, start = [], 0
    for stop in final[4]:
        lines.append(" ".join(words[start:stop]))
        start = stop
    return lines


def _break_cost(words: list[str], j: int) -> int:
    """0 for a natural break before words[j] (or the end), 2 inside a known word, else 1."""
    if j == len(words):
        return 0
    before, after = words[j - 1].upper(), words[j].upper()
    if before.endswith(_GOOD_BREAK_AFTER) or after in _GOOD_BREAK_BEFORE:
        return 0
    return 2 if (before, after) in _COMPOUNDS else 1


def _greedy_count(sizes: list[float], space: float, width: float) -> int:
    """How many lines a first-fit break of words with these widths takes."""
    lines, current = 1, -space
    for w in sizes:
        if current + space + w > width and current > 0:
            lines, current = lines + 1, w
        else:
            current += space + w
    return lines


def balanced_para(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A name of a header block set in `balanced_lines` (no greedy break leaving a last word
    alone on its line)."""
    lines = balanced_lines(text, style.fontName, style.fontSize, width)
    return Paragraph("<br/>".join(esc(line) for line in lines), style)


_HEADER_GAP = 2 * mm


def header_right_width(width: float, s: Styles) -> float:
    """The width of the header's right column (the national name and motto) in `width`."""
    bold = f"{FAMILY}-Bold"
    national_w = stringWidth(NATIONAL_NAME, bold, s.size - 1)
    motto_w = stringWidth(MOTTO, bold, s.size)
    return min(max(national_w, motto_w) + 2 * _HEADER_GAP, width * 0.62)


def header_block(
    header: DeskHeader, issued: date, width: float, s: Styles, number: str | None = None
) -> Table:
    """The two-column national header of DOMAIN §7 (Decree 30/2020, appendix I).

    Left: the governing body in capitals, the unit in bold capitals, a short rule, "Số: …".
    Right: the national name, the motto with a rule as long as it, the italic place-and-date.
    The right column is as wide as the national name needs; long names on the left break into
    balanced lines. "Số: …" and the place-and-date line share a baseline, as on printed papers.
    """
    size = s.size
    small_size = size - 1
    lead = small_size * 1.2
    bold = f"{FAMILY}-Bold"
    small = ParagraphStyle("hdr", parent=s.centre, fontSize=small_size, leading=lead)
    small_bold = ParagraphStyle("hdr_b", parent=s.centre_bold, fontSize=small_size, leading=lead)
    gap = _HEADER_GAP
    motto_w = stringWidth(MOTTO, bold, size)
    right_w = header_right_width(width, s)
    left_w = width - right_w
    text_w = left_w - gap

    left: list[Flowable] = []
    if header.governing_body:
        left.append(balanced_para(header.governing_body.upper(), small, text_w))
    if header.agency_name:
        left.append(balanced_para(header.agency_name.upper(), small, text_w))
    unit_lines = balanced_lines(header.unit_name.upper(), bold, small_size, text_w)
    left.append(balanced_para(header.unit_name.upper(), small_bold, text_w))
    unit_w = max((stringWidth(line, bold, small_size) for line in unit_lines), default=0.0)
    # Decree 30: a rule a third to a half as long as the line above it. The small spacer keeps
    # it clear of the dots under Ậ, Ộ, Ạ.
    left += [Spacer(1, 0.2 * size), rule(min(max(unit_w * 0.45, 15 * mm), text_w))]
    right: list[Flowable] = [
        para(NATIONAL_NAME, small_bold),
        para(MOTTO, s.centre_bold),
        Spacer(1, 0.2 * size),
        rule(motto_w),
    ]
    date_cell: list[Flowable] = [para(place_date(header.place_name, issued), s.centre_italic)]
    rows: list[list[object]]
    if number is None:
        # Nothing to line the date up with: it goes straight under the motto.
        right += [Spacer(1, 0.2 * size), *date_cell]
        rows = [[left, right]]
    else:
        rows = [[left, right], [[para(f"Số: {number}", s.centre)], date_cell]]
    table = Table(rows, colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), 0.5 * size),
            ]
        )
    )
    return table


# Between the QR code's quiet zone and what stands beside it.
QR_GAP = 2 * mm
# The narrowest the header's left column may get beside the QR code: the unit's name in two
# balanced lines ("SỞ VĂN HÓA, / THỂ THAO VÀ DU LỊCH") at a half sheet's 9 pt needs ~45 mm.
MIN_HEADER_LEFT = 55 * mm


def qr_corner(
    qr: Flowable | None,
    top: list[Flowable],
    header: Callable[[float], Flowable],
    width: float,
    s: Styles,
    rest: Callable[[float], list[Flowable]] | None = None,
) -> list[Flowable]:
    """The top of a paper: its QR code in the upper-left corner (Circular 01/2023/TT-VPCP
    Art. 26), `top` (the form number line, right-aligned), the national header `header(w)`
    and then `rest(w)` (what follows the header, if given), each laid out `w` wide.

    Where the header's left column keeps `MIN_HEADER_LEFT` beside the code (a half sheet's
    smaller type), the code stands beside all of them, so that it costs no height of its own.
    On A4 at 13 pt the national name alone takes 92 of the 160 mm: the code stands beside the
    number line and the header follows under it at full width. Nothing is drawn over the header.
    """
    following = rest or (lambda w: [])
    if qr is None:
        return [*top, header(width), *following(width)]
    side = qr.width + QR_GAP
    narrow = width - side
    if narrow - header_right_width(narrow, s) >= MIN_HEADER_LEFT:
        return [_beside(qr, [*top, header(narrow), *following(narrow)], width)]
    return [_beside(qr, top, width), header(width), *following(width)]


def _beside(qr: Flowable, right: list[Flowable], width: float) -> Table:
    side = qr.width + QR_GAP
    table = Table([[qr, right]], colWidths=[side, width - side])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def title_block(title: str, s: Styles) -> Paragraph:
    return para(title, s.title)


@dataclass(frozen=True)
class Signature:
    """One signature column: its title, the italic note under it, and a printed name."""

    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


def signature_row(
    signatures: Sequence[Signature],
    width: float,
    s: Styles,
    space: float = 22 * mm,
) -> Table:
    """Signature blocks side by side, each with room to sign above the printed name."""
    cells: list[object] = []
    for sig in signatures:
        block: list[Flowable] = [para(sig.title, s.centre_bold)]
        if sig.note:
            block.append(para(sig.note, s.centre_italic))
        block.append(Spacer(1, space))
        if sig.name:
            block.append(para(sig.name, s.centre_bold))
        cells.append(block)
    col = width / len(signatures)
    table = Table([cells], colWidths=[col] * len(signatures))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def grid_style(header_rows: int = 1) -> TableStyle:
    """Thin black grid, bold centred header rows, cells aligned to the top."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def frame_width(pagesize: tuple[float, float] = A4) -> float:
    """The width flowables get on a page with the standard margins (frames have no padding)."""
    return pagesize[0] - MARGINS["left"] - MARGINS["right"]


def frame_height(pagesize: tuple[float, float] = A4) -> float:
    return pagesize[1] - MARGINS["top"] - MARGINS["bottom"]


def page_frame(x: float, y: float, width: float, height: float, frame_id: str) -> Frame:
    """A frame without ReportLab's default 6 pt padding, so `width` is what a table may use."""
    return Frame(
        x,
        y,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )


def _body_frame(pagesize: tuple[float, float]) -> Frame:
    width, height = frame_width(pagesize), frame_height(pagesize)
    return page_frame(MARGINS["left"], MARGINS["bottom"], width, height, "body")


def new_document(
    buffer: BytesIO,
    *,
    title: str,
    author: str,
    pagesize: tuple[float, float] = A4,
    templates: Sequence[PageTemplate] = (),
) -> BaseDocTemplate:
    """A document with the forms' metadata and `invariant` output (see `build_pdf`).

    Without `templates` it has one page template: the standard margins, one frame.
    """
    register_fonts()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=nfc(title),
        author=nfc(author),
        creator="Bộ phận Một cửa",
        invariant=1,
    )
    if not templates:
        body = page_frame(
            MARGINS["left"],
            MARGINS["bottom"],
            frame_width(pagesize),
            frame_height(pagesize),
            "body",
        )
        templates = [PageTemplate(id="page", frames=[body], pagesize=pagesize)]
    doc.addPageTemplates(list(templates))
    return doc


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    pagesize: tuple[float, float] = A4,
    on_page: Callable[[object, BaseDocTemplate], None] | None = None,
    canvasmaker: object | None = None,
) -> bytes:
    """Lay out `story` on A4 (or `pagesize`) and return the PDF bytes.

    `invariant` output: the same data gives byte-identical PDFs (no creation date or random id),
    which is what makes a regenerated form comparable with the stored first print.
    """
    buffer = BytesIO()
    template = PageTemplate(
        id="page",
        frames=[_body_frame(pagesize)],
        pagesize=pagesize,
        onPage=on_page if on_page is not None else _no_decoration,
    )
    doc = new_document(buffer, title=title, author=author, pagesize=pagesize, templates=[template])
    kwargs: dict[str, object] = {}
    if canvasmaker is not None:
        kwargs["canvasmaker"] = canvasmaker
    doc.build(story, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()


def _no_decoration(canvas: object, doc: BaseDocTemplate) -> None:
    """Pages without running heads or footers."""


LANDSCAPE_A4 = landscape(A4)
