"""Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from desk_app.printing.data import SupplementData
from desk_app.printing.formset import FormSet
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
from desk_app.printing.wording import moment_words, nfc

TT_WIDTH = 14 * mm


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
