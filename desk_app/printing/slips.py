"""Pieces the one-page slips share: opening, addressee, labelled lines, signatures, blanks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from desk_app.printing.data import DeskHeader
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormText
from desk_app.printing.layout import (
    MARGINS,
    Signature,
    Styles,
    esc,
    form_number_line,
    header_block,
    markup,
    para,
    qr_corner,
    signature_row,
    title_block,
)
from desk_app.printing.wording import addressee_line, nfc

# Printed when a slip has no number yet, so that the desk can write one in by hand.
BLANK_NUMBER = "……/……"
# Dots to write a missing reason on by hand: as many as fit on the line after "Lý do:".
BLANK_LINE = "…" * 24
# Known unit names whose proper spelling a plain lower-casing would lose.
_PROPER_NAMES = {"bộ phận một cửa": "Bộ phận Một cửa"}
_ABBREVIATIONS = {"UBND", "HĐND"}


def body_style(s: Styles) -> ParagraphStyle:
    """Justified body text with a first-line indent and a little air between paragraphs."""
    return ParagraphStyle(
        "slip_body",
        parent=s.body_justified,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceBefore=1,
        spaceAfter=4,
    )


def slip_opening(
    form: FormText,
    header: DeskHeader,
    issued: date,
    number: str,
    s: Styles,
    width: float,
    qr: Flowable | None = None,
) -> list[Flowable]:
    """The QR code of the paper (if any) in the upper-left corner, the form number line, the
    national header with 'Số: …', the title."""
    shown = number.strip() or BLANK_NUMBER
    return [
        *qr_corner(
            qr,
            form_number_line(form, s),
            lambda w: header_block(header, issued, w, s, number=shown),
            width,
            s,
        ),
        Spacer(1, 6 * mm),
        title_block(form.title, s),
        Spacer(1, 2 * mm),
    ]


def addressee(applicant_name: str, s: Styles, organisation: bool = False) -> Paragraph:
    """'Kính gửi: Ông/Bà …' (an organisation by its name alone), centred under the title."""
    style = ParagraphStyle("slip_to", parent=s.centre, spaceBefore=2, spaceAfter=8)
    return para(addressee_line(applicant_name, organisation), style)


def labelled(label: str, text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph opening with a bold label, e.g. '<b>Lý do:</b> …'; dots to write on if empty."""
    return markup(f"<b>{esc(label)}</b> {esc(text.strip() or BLANK_LINE)}", style)


def right_signature(signature: Signature, width: float, s: Styles, space: float = 22 * mm) -> Table:
    """One signature block in the right half of the page, as on official papers."""
    half = width / 2
    block = signature_row([signature], half, s, space=space)
    table = Table([["", block]], colWidths=[width - half, half])
    table.setStyle(plain_table_style())
    return table


def in_sentence(name: str) -> str:
    """A name stored in capitals ('BỘ PHẬN MỘT CỬA') as it is written inside a sentence.

    Names already in mixed case are kept; an all-capital one is put in sentence case, except for
    abbreviations (UBND) and the few names whose proper spelling is known.
    """
    name = " ".join(nfc(name).split())
    if not name or name != name.upper():
        return name
    known = _PROPER_NAMES.get(name.lower())
    if known is not None:
        return known
    words = [w if w in _ABBREVIATIONS else w.lower() for w in name.split()]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def slip_label(kind: str, number: str) -> str:
    """'Phiếu xin lỗi số 05/XLHS', or the kind alone when the slip has no number."""
    return f"{kind} số {number.strip()}" if number.strip() else kind


def continuation_head(label: str, code: str) -> Callable[[object, BaseDocTemplate], None]:
    """A small italic line at the top of the second and later pages, naming the slip."""
    parts = [p for p in (label.strip(), f"Mã hồ sơ: {code.strip()}" if code.strip() else "") if p]

    def draw(canvas: object, doc: BaseDocTemplate) -> None:
        assert isinstance(canvas, Canvas)
        page = canvas.getPageNumber()
        if page == 1:
            return
        canvas.saveState()
        canvas.setFont(f"{FAMILY}-Italic", 10)
        text = nfc(f"{' – '.join(parts)} (tiếp theo, trang {page})")
        canvas.drawRightString(A4[0] - MARGINS["right"], A4[1] - MARGINS["top"] + 5 * mm, text)
        canvas.restoreState()

    return draw


def plain_table_style() -> TableStyle:
    """A layout table without padding or lines, cells aligned to the top."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
