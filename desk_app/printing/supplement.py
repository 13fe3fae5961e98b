"""Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: for an accepted file, or for papers not accepted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from desk_app.printing.data import CounterSupplementData, DeskHeader, PaperQr, SupplementData
from desk_app.printing.formset import FormSet, FormText
from desk_app.printing.layout import (
    Signature,
    Styles,
    build_pdf,
    esc,
    frame_height,
    frame_width,
    grid_style,
    markup,
    para,
    styles,
)
from desk_app.printing.qr import paper_qr
from desk_app.printing.slips import (
    addressee,
    body_style,
    continuation_head,
    in_sentence,
    labelled,
    right_signature,
    slip_label,
    slip_opening,
)
from desk_app.printing.wording import addressed, moment_words, nfc

TT_WIDTH = 14 * mm


def render_supplement(data: SupplementData, form_set: FormSet) -> bytes:
    """The supplement request on A4 portrait: the items to add or correct in a table.

    A table longer than the page goes on over the next page with its header row repeated; the
    closing lines and the signature never end up alone on a page.
    """
    desk = in_sentence(data.header.unit_name) or "Bộ phận Một cửa"
    you = addressed(data.organisation)
    opening = (
        f"{esc(desk)} đã tiếp nhận hồ sơ của {you} vào lúc {esc(moment_words(data.received))}"
        f", mã hồ sơ <b>{esc(data.code)}</b>, về việc: {esc(data.procedure_name)}."
    )
    help_text = (
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ với "
        f"{_contact(data.officer_name, data.officer_phone, desk)} để được hướng dẫn./."
    )
    return _render(
        form_set["supplement"],
        _Slip(
            header=data.header,
            number=data.number,
            issued=data.issued,
            code=data.code,
            applicant_name=data.applicant_name,
            opening=opening,
            items=data.items,
            reason=data.reason,
            help_text=help_text,
            officer_name=data.officer_name,
            organisation=data.organisation,
            qr=data.qr,
        ),
    )


def render_counter_supplement(data: CounterSupplementData, form_set: FormSet) -> bytes:
    """The same request for papers checked at the counter and not accepted (no file exists).

    The form and its layout are those of `render_supplement`; only the wording differs: the
    desk checked the papers and did not accept them, so no file code or receipt is named.
    """
    desk = in_sentence(data.header.unit_name) or "Bộ phận Một cửa"
    you = addressed(data.organisation)
    opening = (
        f"Vào lúc {esc(moment_words(data.checked))}, {esc(desk)} đã kiểm tra hồ sơ của {you} "
        f"đề nghị giải quyết thủ tục: {esc(data.procedure_name)}. Hồ sơ chưa đầy đủ, chưa hợp "
        "lệ theo quy định nên chưa được tiếp nhận."
    )
    help_text = (
        f"Sau khi hoàn thiện, {you} nộp lại hồ sơ tại {desk}. Nếu có vướng mắc, {you} liên hệ "
        f"với {_contact(data.officer_name, data.officer_phone, desk)} để được hướng dẫn./."
    )
    return _render(
        form_set["supplement"],
        _Slip(
            header=data.header,
            number=data.number,
            issued=data.checked.date(),
            code="",
            applicant_name=data.applicant_name,
            opening=opening,
            items=data.items,
            reason=data.reason,
            help_text=help_text,
            officer_name=data.officer_name,
            organisation=data.organisation,
            qr=data.qr,
        ),
    )


@dataclass(frozen=True)
class _Slip:
    """What both supplement requests print; `opening` is markup, `help_text` plain text."""

    header: DeskHeader
    number: str
    issued: date
    code: str
    applicant_name: str
    opening: str
    items: tuple[str, ...]
    reason: str
    help_text: str
    officer_name: str
    organisation: bool = False
    qr: PaperQr | None = None


def _contact(officer_name: str, phone: str, desk: str) -> str:
    """Whom to call: the officer (or the desk) and the desk's phone when there is one."""
    contact = " ".join(nfc(officer_name).split()) or desk
    return f"{contact} số điện thoại {phone.strip()}" if phone.strip() else contact


def _render(form: FormText, slip: _Slip) -> bytes:
    s = styles()
    width = frame_width()
    body = body_style(s)
    qr = paper_qr(slip.qr, code=slip.code, title=form.title, number=slip.number)
    story = slip_opening(form, slip.header, slip.issued, slip.number, s, width, qr)
    story.append(addressee(slip.applicant_name, s, slip.organisation))
    story.append(markup(slip.opening, body))
    you = addressed(slip.organisation)
    story.append(para(f"Yêu cầu {you} hoàn thiện hồ sơ gồm những nội dung như sau:", body))
    story.append(Spacer(1, 1 * mm))
    story.append(_items_table(slip.items, s, width))
    story.append(Spacer(1, 4 * mm))
    story.append(labelled("Lý do:", slip.reason, body))
    help_line = para(slip.help_text, body)
    signature = right_signature(
        Signature("NGƯỜI HƯỚNG DẪN", name=slip.officer_name.strip()), width, s
    )
    story.append(KeepTogether([help_line, Spacer(1, 4 * mm), signature]))
    return build_pdf(
        story,
        title=f"{form.title} – {slip.number}",
        author=slip.header.unit_name,
        on_page=continuation_head(slip_label("Phiếu yêu cầu bổ sung", slip.number), slip.code),
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
