"""Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, and the pieces the other one-page slips share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from desk_app.printing.data import DeskHeader, SupplementData
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet, FormText
from desk_app.printing.layout import (
    MARGINS,
    Signature,
    Styles,
    build_pdf,
    esc,
    form_number_line,
    frame_height,
    frame_width,
    grid_style,
    header_block,
    markup,
    para,
    signature_row,
    styles,
    title_block,
)
from desk_app.printing.wording import moment_words, nfc

# Printed when a slip has no number yet, so that the desk can write one in by hand.
BLANK_NUMBER = "……/……"
# Dots to write a missing reason on by hand: as many as fit on the line after "Lý do:".
BLANK_LINE = "…" * 24
TT_WIDTH = 14 * mm
# Known unit names whose proper spelling a plain lower-casing would lose.
_PROPER_NAMES = {"bộ phận một cửa": "Bộ phận Một cửa"}
_ABBREVIATIONS = {"UBND", "HĐND"}


def render_supplement(data: SupplementData, form_set: FormSet) -> bytes:
    """The supplement request on A4 portrait: the items to add or correct in a table.

    A table longer than the page goes on over the next page with its header row repeated; the
    closing lines and the signature never end up alone on a page.
    """
    form = form_set["supplement"]
    s = styles()
    width = frame_width()
    body = body_style(s)
    desk = in_sentence(data.header.unit_name) or "Bộ phận Một cửa"
    story = slip_opening(form, data.header, data.issued, data.number, s, width)
    story.append(addressee(data.applicant_name, s))
    story.append(
        markup(
            f"{esc(desk)} đã tiếp nhận hồ sơ của Ông/Bà vào lúc {esc(moment_words(data.received))}"
            f", mã hồ sơ <b>{esc(data.code)}</b>, về việc: {esc(data.procedure_name)}.",
            body,
        )
    )
    story.append(para("Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:", body))
    story.append(Spacer(1, 1 * mm))
    story.append(_items_table(data.items, s, width))
    story.append(Spacer(1, 4 * mm))
    story.append(labelled("Lý do:", data.reason, body))
    contact = " ".join(nfc(data.officer_name).split()) or desk
    phone = f" số điện thoại {data.officer_phone.strip()}" if data.officer_phone.strip() else ""
    help_line = para(
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
        f"{contact}{phone} để được hướng dẫn./.",
        body,
    )
    signature = right_signature(
        Signature("NGƯỜI HƯỚNG DẪN", name=data.officer_name.strip()), width, s
    )
    story.append(KeepTogether([help_line, Spacer(1, 4 * mm), signature]))
    return build_pdf(
        story,
        title=f"{form.title} – {data.number}",
        author=data.header.unit_name,
        on_page=continuation_head(slip_label("Phiếu yêu cầu bổ sung", data.number), data.code),
    )


def _items_table(items: Sequence[str], s: Styles, width: float) -> Table:
    """TT / Nội dung yêu cầu bổ sung, hoàn thiện; the header row repeats on each page."""
    size = s.size - 1
    cell = ParagraphStyle("supplement_cell", parent=s.cell, fontSize=size, leading=size * 1.25)
    head = ParagraphStyle(
        "supplement_head", parent=cell, fontName=s.cell_head.fontName, alignment=TA_CENTER
    )
    centre = ParagraphStyle("supplement_centre", parent=cell, alignment=TA_CENTER)
    rows: list[list[object]] = [
        [Paragraph("TT", head), Paragraph(esc("Nội dung yêu cầu bổ sung, hoàn thiện"), head)]
    ]
    for n, item in enumerate(items or ("",), start=1):
        rows.append([Paragraph(str(n), centre), Paragraph(esc(item), cell)])
    widths = [TT_WIDTH, width - TT_WIDTH]
    style = grid_style()
    for side, pad in _CELL_PADDING.items():
        style.add(f"{side}PADDING", (0, 0), (-1, -1), pad)
    # Rows move to the next page whole, except an item taller than half a page (a few thousand
    # characters): that one is split, or ReportLab would stop with a layout error on a row
    # taller than the page, or leave half a page empty.
    split = any(_row_height(row[1], widths[1]) > frame_height() / 2 for row in rows[1:])
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=int(split))
    table.setStyle(style)
    return table


_CELL_PADDING = {"TOP": 3, "BOTTOM": 4, "LEFT": 5, "RIGHT": 5}


def _row_height(cell: object, width: float) -> float:
    assert isinstance(cell, Paragraph)
    inner = width - _CELL_PADDING["LEFT"] - _CELL_PADDING["RIGHT"]
    return cell.wrap(inner, frame_height())[1] + _CELL_PADDING["TOP"] + _CELL_PADDING["BOTTOM"]


# --- shared by the supplement, refusal and apology slips -------------------------------------


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
    form: FormText, header: DeskHeader, issued: date, number: str, s: Styles, width: float
) -> list[Flowable]:
    """Form number line, the national header with 'Số: …', the title."""
    return [
        *form_number_line(form, s),
        header_block(header, issued, width, s, number=number.strip() or BLANK_NUMBER),
        Spacer(1, 6 * mm),
        title_block(form.title, s),
        Spacer(1, 2 * mm),
    ]


def addressee(applicant_name: str, s: Styles) -> Paragraph:
    """'Kính gửi: Ông/Bà …', centred under the title."""
    style = ParagraphStyle("slip_to", parent=s.centre, spaceBefore=2, spaceAfter=8)
    return para(f"Kính gửi: Ông/Bà {applicant_name.strip()}", style)


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
