"""Biểu 06/VPCP/KSTT: the period statistics of the desk on landscape A4 (DOMAIN §9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk_app.domain.statistics import StatCounts
from desk_app.printing.data import DeskHeader
from desk_app.printing.fonts import FAMILY
from desk_app.printing.layout import (
    LANDSCAPE_A4,
    MOTTO,
    NATIONAL_NAME,
    Styles,
    balanced_para,
    build_pdf,
    esc,
    frame_width,
    grid_style,
    para,
    rule,
    styles,
)
from desk_app.printing.register import NumberedCanvas
from desk_app.printing.wording import date_words, nfc, short_date

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
LEGAL_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT_LINE = "Đơn vị tính: Số hồ sơ TTHC"
GROUP_HEADING = "Lĩnh vực, công việc giải quyết"
TOTAL_LABEL = "Tổng số"
EMPTY_MESSAGE = "Không có hồ sơ trong kỳ báo cáo."
RECEIVED_GROUP = "Số hồ sơ nhận giải quyết"
SETTLED_GROUP = "Số hồ sơ đã giải quyết"
OPEN_GROUP = "Số hồ sơ đang giải quyết"
IN_PERIOD = "Trong kỳ"
OTHER_TITLE = "Hồ sơ rút, dừng xử lý và hồ sơ qua dịch vụ bưu chính công ích"
POSTAL_GROUP = "Dịch vụ bưu chính công ích"
SIGNER_LEFT = "NGƯỜI LẬP BIỂU"
SIGNER_LEFT_NOTE = "(Ký, ghi rõ họ tên)"
SIGNER_RIGHT = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
SIGNER_RIGHT_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"

# Columns 3..13 of the main table: (StatCounts key, leaf heading). The grouped headings above
# them are drawn by `_main_head`.
MAIN_KEYS: tuple[tuple[str, str], ...] = (
    ("received_total", "Tổng số"),
    ("received_online", "Trực tuyến"),
    ("received_direct_postal", "Trực tiếp, dịch vụ bưu chính"),
    ("carried_over", "Từ kỳ trước"),
    ("settled_total", "Tổng số"),
    ("settled_early", "Trước hạn"),
    ("settled_on_time", "Đúng hạn"),
    ("settled_late", "Quá hạn"),
    ("open_total", "Tổng số"),
    ("open_in_time", "Trong hạn"),
    ("open_overdue", "Quá hạn"),
)
# Columns 14..19, in the second table (and after column 13 in the spreadsheet).
EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("withdrawn", "Rút hồ sơ"),
    ("stopped", "Dừng xử lý"),
    ("postal_received", "Nhận hồ sơ qua bưu chính"),
    ("postal_sent", "Gửi kết quả qua bưu chính"),
    ("postal_delivered", "Đã phát"),
    ("postal_returned", "Chuyển hoàn"),
)
CELL_SIZE = 10
_HEAD_ROWS = 4  # three heading levels and the column-number row
_STT_W, _LABEL_W = 11 * mm, 62 * mm


@dataclass(frozen=True)
class StatisticsLine:
    """One row of the report: what column 2 prints and its numbers."""

    label: str
    counts: StatCounts


@dataclass(frozen=True)
class StatisticsData:
    """Everything Biểu 06 prints, as plain data."""

    header: DeskHeader
    start: date
    end: date
    lines: tuple[StatisticsLine, ...]
    total: StatCounts
    group_heading: str = GROUP_HEADING
    issued: date | None = None  # None: the date is left blank for the signer to write
    extra: bool = field(default=True)  # print the withdrawn / stopped / postal table
    as_of: datetime | None = None  # a period not over yet: counted up to this moment
    # What a centre's report counts ("Phạm vi: Toàn Trung tâm"); "" on a solo desk.
    scope_line: str = ""


def count_text(n: int) -> str:
    """'1.000': Vietnamese groups thousands with a dot."""
    return f"{n:,}".replace(",", ".")


def period_line(start: date, end: date, as_of: datetime | None = None) -> str:
    """The period under the title; a period not over yet says up to when it is counted."""
    if as_of is None:
        return f"(Từ ngày {short_date(start)} đến ngày {short_date(end)})"
    return (
        f"(Từ ngày {short_date(start)} đến ngày {short_date(end)}; số liệu tính đến "
        f"{as_of:%H} giờ {as_of:%M} phút ngày {short_date(as_of.date())})"
    )


def place_date_line(place: str, issued: date | None) -> str:
    """The italic line over the head's signature; dots when the date is left to the signer."""
    when = date_words(issued) if issued else "ngày …… tháng …… năm ………"
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def _cell_styles(s: Styles) -> dict[str, ParagraphStyle]:
    size, lead = CELL_SIZE, CELL_SIZE * 1.2
    return {
        "left": ParagraphStyle("st_left", parent=s.cell, fontSize=size, leading=lead),
        "left_bold": ParagraphStyle(
            "st_left_b", parent=s.cell, fontName=f"{FAMILY}-Bold", fontSize=size, leading=lead
        ),
        "centre": ParagraphStyle(
            "st_centre", parent=s.cell_centre, fontSize=size, leading=lead, alignment=TA_CENTER
        ),
        "number": ParagraphStyle(
            "st_number", parent=s.cell, fontSize=size, leading=lead, alignment=TA_RIGHT
        ),
        "number_bold": ParagraphStyle(
            "st_number_b",
            parent=s.cell,
            fontName=f"{FAMILY}-Bold",
            fontSize=size,
            leading=lead,
            alignment=TA_RIGHT,
        ),
        "head": ParagraphStyle("st_head", parent=s.cell_head, fontSize=size, leading=lead),
        "index": ParagraphStyle(
            "st_index",
            parent=s.cell_centre,
            fontName=f"{FAMILY}-Italic",
            fontSize=size - 1,
            leading=(size - 1) * 1.2,
        ),
        "message": ParagraphStyle(
            "st_message",
            parent=s.cell_centre,
            fontName=f"{FAMILY}-Italic",
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
        ),
    }


def _head_block(header: DeskHeader, width: float, s: Styles) -> Table:
    """The agency on the left, the national name and motto on the right (no number, no date:
    the place and date go over the signature, as on the printed Biểu 06)."""
    size = s.size - 1
    small = ParagraphStyle("st_hdr", parent=s.centre, fontSize=size, leading=size * 1.2)
    small_bold = ParagraphStyle("st_hdr_b", parent=s.centre_bold, fontSize=size, leading=size * 1.2)
    left_w = width * 0.45
    left: list[Flowable] = []
    agency = header.agency_name or header.unit_name
    if header.governing_body:
        left.append(balanced_para(header.governing_body.upper(), small, left_w))
    left.append(balanced_para(agency.upper(), small_bold, left_w))
    agency_w = stringWidth(nfc(agency.upper()), f"{FAMILY}-Bold", size)
    left += [Spacer(1, 0.2 * size), rule(min(max(agency_w * 0.45, 15 * mm), left_w))]
    motto_w = stringWidth(MOTTO, f"{FAMILY}-Bold", s.size)
    right: list[Flowable] = [
        para(NATIONAL_NAME, small_bold),
        para(MOTTO, s.centre_bold),
        Spacer(1, 0.2 * size),
        rule(motto_w),
    ]
    table = Table([[left, right]], colWidths=[left_w, width - left_w])
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _form_lines(s: Styles) -> list[Flowable]:
    right = ParagraphStyle("st_form", parent=s.small, alignment=TA_RIGHT)
    right_italic = ParagraphStyle("st_form_i", parent=s.small_italic, alignment=TA_RIGHT)
    return [
        Paragraph(f"<b>{esc(FORM_NUMBER)}</b>", right),
        para(LEGAL_BASIS, right_italic),
        Spacer(1, 2 * mm),
    ]


def _main_head(cs: dict[str, ParagraphStyle], group_heading: str) -> list[list[Any]]:
    head = cs["head"]

    def h(text: str) -> Paragraph:
        return para(text, head)

    top: list[Any] = [h("STT"), h(group_heading), h(RECEIVED_GROUP), "", "", ""]
    top += [h(SETTLED_GROUP), "", "", "", h(OPEN_GROUP), "", ""]
    middle: list[Any] = ["", "", h("Tổng số"), h(IN_PERIOD), "", h("Từ kỳ trước")]
    middle += [h(name) for _, name in MAIN_KEYS[4:]]
    bottom: list[Any] = ["", "", "", h("Trực tuyến"), h("Trực tiếp, dịch vụ bưu chính"), ""]
    bottom += [""] * 7
    numbers = [para(f"({i})", cs["index"]) for i in range(1, 14)]
    return [top, middle, bottom, numbers]


def _main_spans() -> list[Any]:
    spans: list[Any] = [
        ("SPAN", (0, 0), (0, 2)),
        ("SPAN", (1, 0), (1, 2)),
        ("SPAN", (2, 0), (5, 0)),
        ("SPAN", (6, 0), (9, 0)),
        ("SPAN", (10, 0), (12, 0)),
        ("SPAN", (3, 1), (4, 1)),
        ("SPAN", (2, 1), (2, 2)),
        ("SPAN", (5, 1), (5, 2)),
    ]
    spans += [("SPAN", (c, 1), (c, 2)) for c in range(6, 13)]
    return spans


def _extra_head(cs: dict[str, ParagraphStyle], group_heading: str) -> list[list[Any]]:
    head = cs["head"]
    top: list[Any] = [para("STT", head), para(group_heading, head)]
    top += [para(EXTRA_KEYS[0][1], head), para(EXTRA_KEYS[1][1], head)]
    top += [para(POSTAL_GROUP, head), "", "", ""]
    bottom: list[Any] = ["", "", "", ""] + [para(name, head) for _, name in EXTRA_KEYS[2:]]
    numbers = [para(f"({i})", cs["index"]) for i in (1, 2, *range(14, 20))]
    return [top, bottom, numbers]


def _body(
    data: StatisticsData, keys: tuple[tuple[str, str], ...], cs: dict[str, ParagraphStyle]
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n, line in enumerate(data.lines, start=1):
        values = line.counts.as_dict()
        rows.append(
            [para(str(n), cs["centre"]), para(line.label, cs["left"])]
            + [para(count_text(values[k]), cs["number"]) for k, _ in keys]
        )
    totals = data.total.as_dict()
    rows.append(
        ["", para(TOTAL_LABEL, cs["left_bold"])]
        + [para(count_text(totals[k]), cs["number_bold"]) for k, _ in keys]
    )
    return rows


def _grid(
    head: list[list[Any]], body: list[list[Any]], widths: list[float], extra: list[Any]
) -> Table:
    table = Table([*head, *body], colWidths=widths, repeatRows=len(head))
    table.setStyle(grid_style(header_rows=len(head)))
    table.setStyle(
        TableStyle(
            [
                *extra,
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("VALIGN", (0, len(head)), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, len(head) - 2), colors.Color(0.93, 0.93, 0.93)),
                ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.96, 0.96, 0.96)),
            ]
        )
    )
    return table


def _empty_table(head: list[list[Any]], widths: list[float], extra: list[Any], cs: Any) -> Table:
    message = [para(EMPTY_MESSAGE, cs["message"])] + [""] * (len(widths) - 1)
    table = Table([*head, message], colWidths=widths, repeatRows=len(head))
    table.setStyle(grid_style(header_rows=len(head)))
    table.setStyle(
        TableStyle(
            [
                *extra,
                ("SPAN", (0, len(head)), (-1, len(head))),
                ("TOPPADDING", (0, len(head)), (-1, len(head)), 8),
                ("BOTTOMPADDING", (0, len(head)), (-1, len(head)), 8),
                ("BACKGROUND", (0, 0), (-1, len(head) - 2), colors.Color(0.93, 0.93, 0.93)),
            ]
        )
    )
    return table


def main_table(data: StatisticsData, width: float, s: Styles) -> Table:
    """Columns (1)…(13) of Biểu 06, the three heading levels repeated on every page."""
    cs = _cell_styles(s)
    number_w = (width - _STT_W - _LABEL_W) / len(MAIN_KEYS)
    widths = [_STT_W, _LABEL_W] + [number_w] * len(MAIN_KEYS)
    head = _main_head(cs, data.group_heading)
    if not data.lines:
        return _empty_table(head, widths, _main_spans(), cs)
    return _grid(head, _body(data, MAIN_KEYS, cs), widths, _main_spans())


def extra_table(data: StatisticsData, width: float, s: Styles) -> Table:
    """Withdrawn, stopped and the postal figures, in the rows of the main table."""
    cs = _cell_styles(s)
    number_w = (width - _STT_W - _LABEL_W) / 8  # narrower than the main table's on purpose
    widths = [_STT_W, _LABEL_W] + [number_w] * len(EXTRA_KEYS)
    spans: list[Any] = [("SPAN", (c, 0), (c, 1)) for c in range(4)]
    spans.append(("SPAN", (4, 0), (7, 0)))
    head = _extra_head(cs, data.group_heading)
    if not data.lines:
        table = _empty_table(head, widths, spans, cs)
    else:
        table = _grid(head, _body(data, EXTRA_KEYS, cs), widths, spans)
    table.hAlign = "LEFT"
    return table


def signatures(
    header: DeskHeader, issued: date | None, width: float, s: Styles, left_share: float = 0.5
) -> Flowable:
    """The maker on the left, the head under the place and date on the right, with room to
    sign; the left column takes `left_share` of `width`."""
    left_w = width * left_share
    date_line = para(place_date_line(header.place_name, issued), s.centre_italic)
    left: list[Flowable] = [
        Spacer(1, s.size * 1.25),
        para(SIGNER_LEFT, s.centre_bold),
        para(SIGNER_LEFT_NOTE, s.centre_italic),
    ]
    right: list[Flowable] = [
        date_line,
        para(SIGNER_RIGHT, s.centre_bold),
        para(SIGNER_RIGHT_NOTE, s.centre_italic),
    ]
    table = Table(
        [[left, right], ["", ""]], colWidths=[left_w, width - left_w], rowHeights=[None, 22 * mm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 5 * mm), table])


def report_cell_styles(size: float = CELL_SIZE) -> dict[str, ParagraphStyle]:
    """The cells of the portrait reports drawn like Biểu 06 (national index, satisfaction)."""
    s = styles()
    lead = size * 1.2
    cell = ParagraphStyle("rp_cell", parent=s.cell, fontSize=size, leading=lead)
    bold = ParagraphStyle("rp_bold", parent=cell, fontName=f"{FAMILY}-Bold")
    italic = f"{FAMILY}-Italic"
    return {
        "cell": cell,
        "bold": bold,
        "note": ParagraphStyle("rp_note", parent=cell, fontName=italic, fontSize=size - 1),
        "centre": ParagraphStyle("rp_centre", parent=cell, alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("rp_centre_b", parent=bold, alignment=TA_CENTER),
        "number": ParagraphStyle("rp_number", parent=cell, alignment=TA_RIGHT),
        "number_bold": ParagraphStyle("rp_number_b", parent=bold, alignment=TA_RIGHT),
        "head": ParagraphStyle("rp_head", parent=s.cell_head, fontSize=size, leading=lead),
        "message": ParagraphStyle("rp_message", parent=cell, fontName=italic, alignment=TA_CENTER),
    }


def add_message_row(
    rows: list[list[Any]], style: list[Any], text: str, cs: dict[str, ParagraphStyle]
) -> None:
    """A row across the whole table (as wide as its first row) saying `text`, e.g. that the
    period has nothing to count."""
    at = len(rows)
    rows.append([para(text, cs["message"])] + [""] * (len(rows[0]) - 1))
    style.append(("SPAN", (0, at), (-1, at)))


def render_portrait_report(
    header: DeskHeader,
    *,
    title: str,
    subtitle: str,
    period: str,
    scope_line: str,
    table: Table,
    notes: list[str],
    issued: date | None,
) -> bytes:
    """A report on portrait A4 with Biểu 06's header, the title and subtitle, the period (and
    a centre's scope) line, `table` (as wide as `portrait_width()`), small notes under it and
    the two signatures; "Trang x/y" at the foot of every page."""
    s = styles()
    width = portrait_width()
    title_style = ParagraphStyle("rp_title", parent=s.title, fontSize=14, leading=18, spaceAfter=1)
    sub = ParagraphStyle("rp_sub", parent=s.centre_bold, fontSize=11, leading=14)
    small = ParagraphStyle("rp_small", parent=s.small_italic, fontSize=9.5, leading=12)
    story: list[Flowable] = [
        _head_block(header, width, s),  # the same header as Biểu 06
        Spacer(1, 4 * mm),
        para(title, title_style),
        para(subtitle, sub),
        para(period, s.centre_italic),
        *([para(scope_line, s.centre_bold)] if scope_line else []),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
        *(para(note, small) for note in notes),
        signatures(header, issued, width, s, left_share=0.4),
    ]
    return build_pdf(
        story,
        title=title,
        author=header.agency_name or header.unit_name,
        pagesize=A4,
        canvasmaker=NumberedCanvas,
    )


def portrait_width() -> float:
    """The width of a portrait report's frame, its table's full width."""
    return frame_width(A4)


def render_statistics(data: StatisticsData) -> bytes:
    """Biểu 06 on landscape A4, "Trang x/y" at the foot of every page."""
    s = styles()
    width = frame_width(LANDSCAPE_A4)
    title = ParagraphStyle("st_title", parent=s.title, fontSize=14, leading=18, spaceAfter=2)
    unit = ParagraphStyle("st_unit", parent=s.small_italic, alignment=TA_RIGHT)
    story: list[Flowable] = [
        *_form_lines(s),
        _head_block(data.header, width, s),
        Spacer(1, 3 * mm),
        para(TITLE, title),
        para(period_line(data.start, data.end, data.as_of), s.centre_italic),
        *([para(data.scope_line, s.centre_bold)] if data.scope_line else []),
        para(UNIT_LINE, unit),
        Spacer(1, 1.5 * mm),
        main_table(data, width, s),
    ]
    if data.extra and data.lines:  # an empty period says so once, in the main table
        sub = ParagraphStyle(
            "st_sub",
            parent=s.body,
            fontName=f"{FAMILY}-Bold",
            alignment=TA_LEFT,
            spaceAfter=1.5 * mm,
            keepWithNext=1,
        )
        story += [Spacer(1, 5 * mm), para(OTHER_TITLE, sub), extra_table(data, width, s)]
    story.append(signatures(data.header, data.issued, width, s))
    return build_pdf(
        story,
        title=TITLE,
        author=data.header.agency_name or data.header.unit_name,
        pagesize=LANDSCAPE_A4,
        canvasmaker=NumberedCanvas,
    )
