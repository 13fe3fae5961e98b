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
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
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


def styles(size: float = BASE_SIZE) -> Styles:
    """Paragraph styles of the forms in the registered serif (13 pt by default)."""
    register_fonts()
    lead = size * 1.25

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


def form_number_line(form: FormText, s: Styles) -> list[Flowable]:
    """'Mẫu số 01' and the legal basis, small and italic at the top right."""
    out: list[Flowable] = [markup(f"<b>{esc(form.number)}</b>", _right(s.small))]
    if form.legal_basis:
        out.append(para(form.legal_basis, _right(s.small_italic)))
    out.append(Spacer(1, 2 * mm))
    return out


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=TA_RIGHT)


def header_block(
    header: DeskHeader, issued: date, width: float, s: Styles, number: str | None = None
) -> Table:
    """The two-column national header of DOMAIN §7.

    Left: the governing body in capitals, the unit in bold capitals, a short rule, "Số: …".
    Right: the national name, the motto with a rule under it, the italic place-and-date line.
    """
    left_w = width * 0.46
    right_w = width - left_w
    small = ParagraphStyle(
        "hdr", parent=s.centre, fontSize=BASE_SIZE - 1, leading=(BASE_SIZE - 1) * 1.2
    )
    small_bold = ParagraphStyle(
        "hdr_b", parent=s.centre_bold, fontSize=BASE_SIZE - 1, leading=(BASE_SIZE - 1) * 1.2
    )
    left: list[Flowable] = []
    if header.governing_body:
        left.append(para(header.governing_body.upper(), small))
    if header.agency_name:
        left.append(para(header.agency_name.upper(), small))
    left.append(para(header.unit_name.upper(), small_bold))
    left.append(rule(left_w * 0.4))
    if number is not None:
        left.append(para(f"Số: {number}", small))
    right: list[Flowable] = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", small_bold),
        para("Độc lập - Tự do - Hạnh phúc", s.centre_bold),
        rule(right_w * 0.62),
        Spacer(1, 1 * mm),
        para(place_date(header.place_name, issued), s.centre_italic),
    ]
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
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
    signatures: Sequence[Signature], width: float, s: Styles, space: float = 22 * mm
) -> Table:
    """Signature blocks side by side, each with room to sign above the printed name."""
    cells = []
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
    return pagesize[0] - MARGINS["left"] - MARGINS["right"]


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
    register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
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
    kwargs: dict[str, object] = {}
    if on_page is not None:
        kwargs["onFirstPage"] = on_page
        kwargs["onLaterPages"] = on_page
    if canvasmaker is not None:
        kwargs["canvasmaker"] = canvasmaker
    doc.build(story, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()


LANDSCAPE_A4 = landscape(A4)
