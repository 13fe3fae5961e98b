"""Phiếu kiểm soát quá trình giải quyết hồ sơ: who handed the file to whom, when, how timely."""

from __future__ import annotations

from typing import Any, ClassVar

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desk_app.printing.data import HandoverData, HandoverRow
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import (
    Styles,
    build_pdf,
    esc,
    form_number_line,
    frame_height,
    frame_width,
    header_block,
    markup,
    para,
    qr_corner,
    styles,
    title_block,
)
from desk_app.printing.qr import paper_qr
from desk_app.printing.register import NumberedCanvas, PagedTable
from desk_app.printing.wording import moment_words

HEADINGS = (
    "TÊN CƠ QUAN",
    "THỜI GIAN GIAO, NHẬN HỒ SƠ",
    "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
    "GHI CHÚ",
)
OUTCOME_HINT = "(Trước hạn/đúng hạn/quá hạn)"
# Where the headings break, so that no word is left alone on a line.
_HEADING_BREAKS = {"THỜI GIAN GIAO, NHẬN HỒ SƠ": "THỜI GIAN GIAO,<br/>NHẬN HỒ SƠ"}
_HINT_MARKUP = "(Trước hạn/<br/>đúng hạn/quá hạn)"
ATTACHED = "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"
POSTAL_NOTE = (
    "Ghi chú: Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận hồ sơ "
    "và việc ký nhận thể hiện trong hóa đơn của cơ quan bưu chính."
)
# Relative widths of TÊN CƠ QUAN, THỜI GIAN (with the two signature boxes), KẾT QUẢ, GHI CHÚ.
_WEIGHTS = (46, 54, 32, 28)
_PAD = 3  # grid_style's left and right cell padding (the dotted lines stop 2 pt short anyway)
_SIGN_SPACE = 15 * mm  # room to sign under "Người giao" / "Người nhận"
# Rows printed for filling in by hand when nothing is recorded yet.
DEFAULT_BLANK_ROWS = 3
# Two lines, broken after "phút," rather than wherever the dots run out.
_DOTS_TIME = "…… giờ …… phút,<br/>ngày ……/……/………"


class _HandoverCanvas(NumberedCanvas):
    """Numbers the pages ("Trang x/y") only when the sheet runs past one page."""

    number_single_page: ClassVar[bool] = False


def _time_text(row: HandoverRow) -> str:
    """'09 giờ 15 phút, ngày 02/03/2026'."""
    return f"{row.at.hour:02d} giờ {row.at.minute:02d} phút, ngày {row.at:%d/%m/%Y}"


def _dotted(label: str, width: float, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """'label ……………' filled with dots to the end of the line, for writing in by hand."""
    font = f"{FAMILY}-Bold" if bold else style.fontName
    used = stringWidth(label + " ", font, style.fontSize)
    dot = stringWidth(".", style.fontName, style.fontSize)
    count = max(3, int((width - used - 2) / dot))
    text = f"<b>{esc(label)}</b>" if bold else esc(label)
    return markup(f"{text} {'.' * count}", style)


def _signature_boxes(s: Styles) -> Table:
    """'Người giao' and 'Người nhận' side by side with empty room to sign under each; the
    halves are relative, so the boxes fill the cell whatever its padding."""
    label = ParagraphStyle("ho_sign", parent=s.cell_centre, fontName=f"{FAMILY}-Italic")
    table = Table(
        [[para("Người giao", label), para("Người nhận", label)], ["", ""]],
        colWidths=["50%", "50%"],
        rowHeights=[None, _SIGN_SPACE],
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _header_row(s: Styles) -> list[Any]:
    hint = ParagraphStyle("ho_hint", parent=s.cell_centre, fontName=f"{FAMILY}-Italic")
    cells: list[Any] = [markup(_HEADING_BREAKS.get(h, esc(h)), s.cell_head) for h in HEADINGS]
    cells[2] = [para(HEADINGS[2], s.cell_head), markup(_HINT_MARKUP, hint)]
    return [cells]


def _agencies(giver: str, receiver: str, s: Styles) -> list[Flowable]:
    return [
        markup(f"<b>1. Giao:</b> {esc(giver)}", s.cell),
        Spacer(1, 2),
        markup(f"<b>2. Nhận:</b> {esc(receiver)}", s.cell),
    ]


def _row(row: HandoverRow, s: Styles) -> list[Any]:
    return [
        _agencies(row.giver, row.receiver, s),
        [para(_time_text(row), s.cell_centre), _signature_boxes(s)],
        para(row.outcome, s.cell_centre),
        para(row.note, s.cell),
    ]


def _blank_row(widths: list[float], s: Styles) -> list[Any]:
    return [
        [
            _dotted("1. Giao:", widths[0] - 2 * _PAD, s.cell, bold=True),
            Spacer(1, 2),
            _dotted("2. Nhận:", widths[0] - 2 * _PAD, s.cell, bold=True),
        ],
        [markup(_DOTS_TIME, s.cell_centre), _signature_boxes(s)],
        "",
        "",
    ]


def column_widths(width: float) -> list[float]:
    """The widths of the four columns on a frame `width` points wide."""
    return [width * w / sum(_WEIGHTS) for w in _WEIGHTS]


def handover_table(data: HandoverData, width: float, s: Styles, blank_rows: int) -> Flowable:
    """The control table: a header row on top of every page, one unbreakable row per handover."""
    widths = column_widths(width)
    body = [_row(r, s) for r in data.rows]
    body += [_blank_row(widths, s) for _ in range(blank_rows)]
    commands = [("VALIGN", (2, 1), (2, -1), "MIDDLE")]
    return PagedTable(_header_row(s), body, widths, commands, frame_height(A4))


def render_handover(
    data: HandoverData, form_set: FormSet, *, blank_rows: int | None = None
) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ on A4 portrait.

    `blank_rows`: empty rows to fill in by hand after the recorded ones; by default three when
    nothing is recorded yet, none otherwise.
    """
    form = form_set["handover"]
    s = styles()
    width = frame_width(A4)
    if blank_rows is None:
        blank_rows = 0 if data.rows else DEFAULT_BLANK_ROWS
    qr = paper_qr(data.qr, code=data.code, title=form.title)
    story: list[Flowable] = [
        *qr_corner(
            qr,
            form_number_line(form, s),
            lambda w: header_block(data.header, data.issued, w, s),
            width,
            s,
        ),
        Spacer(1, 4 * mm),
        title_block(form.title, s),
        markup(f"Mã hồ sơ: <b>{esc(data.code)}</b>", s.centre),
        para(ATTACHED, s.centre_italic),
        Spacer(1, 3 * mm),
        markup(f"Tổ chức, cá nhân nộp hồ sơ: <b>{esc(data.applicant_name)}</b>", s.body),
        para(f"Tên thủ tục hành chính: {data.procedure_name}", s.body_justified),
        para(f"Thời gian nhận hồ sơ: {moment_words(data.received)}", s.body),
    ]
    if data.due is not None:
        story.append(para(f"Thời gian hẹn trả kết quả: {moment_words(data.due)}", s.body))
    story += [
        para(f"Cơ quan (bộ phận) giải quyết hồ sơ: {data.settling_agency}", s.body),
        _dotted("Cơ quan phối hợp giải quyết hồ sơ:", width, s.body),
        Spacer(1, 3 * mm),
        handover_table(data, width, s, blank_rows),
        Spacer(1, 3 * mm),
        para(POSTAL_NOTE, s.small_italic),
    ]
    return build_pdf(
        story,
        title=form.title,
        author=data.header.unit_name,
        pagesize=A4,
        canvasmaker=_HandoverCanvas,
    )
