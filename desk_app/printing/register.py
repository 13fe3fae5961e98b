"""Sổ theo dõi hồ sơ: the landscape register of the files received in a date range."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, Table, TableStyle

from desk_app.printing.data import DeskHeader, RegisterData, RegisterRow
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import (
    LANDSCAPE_A4,
    MARGINS,
    Styles,
    balanced_para,
    build_pdf,
    esc,
    form_number_line,
    frame_height,
    frame_width,
    grid_style,
    markup,
    para,
    rule,
    styles,
)
from desk_app.printing.wording import nfc, short_date, short_moment

CELL_SIZE = 9  # the table's point size: 15 columns across a landscape A4 page
EMPTY_MESSAGE = "Không có hồ sơ trong khoảng thời gian này."
# Relative column widths (mm on the frame of the present margins; scaled to the real frame).
# The five date columns fit "dd/mm/yyyy" on one line and the time under it.
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("TT", 8.5),
    ("Mã hồ sơ", 22),
    ("Tên TTHC", 26.5),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 19.5),
    ("Địa chỉ, số điện thoại", 25.5),
    ("Cơ quan chủ trì giải quyết", 17.5),
    ("Nhận hồ sơ", 16),
    ("Hẹn trả kết quả", 16),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 16),
    ("Nhận kết quả từ cơ quan giải quyết", 16),
    ("Trả kết quả", 16),
    ("Phương thức nhận kết quả", 13.5),
    ("Ký nhận", 11.5),
    ("Ghi chú", 12.5),
)
_DATE_FIRST = 7  # columns 7..11 sit under the grouped "Ngày, tháng, năm" header
_DATE_LAST = 11
DATES_HEADING = "Ngày, tháng, năm"
HEADINGS = tuple(name for name, _ in _COLUMNS)


class NumberedCanvas(Canvas):
    """The classic two-pass ReportLab canvas: pages are kept until the end, then each one gets
    "Trang x/y" at the bottom right, once the total is known."""

    font_size: ClassVar[float] = 9
    # False: a one-page document gets no page number (a short form rarely needs one).
    number_single_page: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas's own, missing from the stubs

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if total > 1 or self.number_single_page:
                self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        width, _ = self._pagesize  # type: ignore[attr-defined]  # missing from the stubs
        self.saveState()
        self.setFont(FAMILY, self.font_size)
        self.drawRightString(
            width - MARGINS["right"],
            MARGINS["bottom"] / 2,
            f"Trang {self.getPageNumber()}/{total}",
        )
        self.restoreState()


class PagedTable(Flowable):
    """A long grid laid out one page at a time, its header rows on top of every page.

    ReportLab's own Table split re-measures the whole remaining table at every page break
    (quadratic: a 2,000-row register took three times as long as a 1,000-row one). Here every
    row is measured once, by ReportLab itself, and each page gets a small Table (with
    repeatRows) holding exactly the rows that fit. A row is never split, unless it is taller
    than a whole page (a pathological note): such a row starts on a fresh page, ReportLab breaks
    it inside itself, and the rows after it go on from the next fresh page.
    """

    def __init__(
        self,
        head: Sequence[Sequence[Any]],
        body: Sequence[Sequence[Any]],
        col_widths: Sequence[float],
        commands: Sequence[Any],
        room: float,
    ) -> None:
        super().__init__()
        self._head = [list(r) for r in head]
        self._body = [list(r) for r in body]  # shared, never copied, by the remainders
        self._col_widths = list(col_widths)
        self._commands = list(commands)
        self._room = room  # the height of an empty frame
        heights = self._measure()
        self._head_height = sum(heights[: len(self._head)])
        self._heights = heights[len(self._head) :]
        self._start = 0  # the first body row not yet placed
        self._left = sum(self._heights)  # the height of the rows not yet placed
        self._fresh_page = False  # wait for an empty page (after a row broken across pages)
        self._page: Table | None = None

    def _measure(self) -> list[float]:
        """Every row's height, the header rows first, from one pass over the whole table."""
        probe = LongTable(
            [*self._head, *self._body], colWidths=self._col_widths, longTableOptimize=0
        )
        probe.setStyle(grid_style(header_rows=len(self._head)))
        probe.setStyle(TableStyle(self._commands))
        probe.wrap(sum(self._col_widths), 1e9)
        return [float(h) for h in probe._rowHeights]  # type: ignore[attr-defined]

    def _table(self, end: int, split_in_row: int = 0) -> Table:
        table = Table(
            [*self._head, *self._body[self._start : end]],
            colWidths=self._col_widths,
            repeatRows=len(self._head),
            splitInRow=split_in_row,
        )
        table.setStyle(grid_style(header_rows=len(self._head)))
        table.setStyle(TableStyle(self._commands))
        if split_in_row:
            # ReportLab 5.1 breaks a row with a vertically centred cell into endless empty
            # pieces; a row broken across pages is top-aligned anyway.
            table.setStyle(TableStyle([("VALIGN", (0, len(self._head)), (-1, -1), "TOP")]))
        return table

    def _rest(self, start: int, *, fresh_page: bool = False) -> PagedTable:
        rest = copy.copy(self)
        rest.__dict__.pop("_postponed", None)
        rest._start = start
        rest._left = self._left - sum(self._heights[self._start : start])
        rest._fresh_page = fresh_page
        rest._page = None
        return rest

    def _at_top(self, ah: float) -> bool:
        return ah >= self._room - 1

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._page = None
        total = self._head_height + self._left
        if self._fresh_page and not self._at_top(ah):
            return sum(self._col_widths), max(total, ah + 1)
        if total <= ah:
            self._page = self._table(len(self._body))
            return self._page.wrap(aw, ah)
        return sum(self._col_widths), total

    def split(self, aw: float, ah: float, /) -> list[Flowable]:
        if self._fresh_page and not self._at_top(ah):
            return []
        end, used = self._start, self._head_height
        while end < len(self._body) and used + self._heights[end] <= ah:
            used += self._heights[end]
            end += 1
        if end == len(self._body):
            return [self._table(end)]
        if end > self._start:
            return [self._table(end), self._rest(end)]
        # Not even one row fits. On an empty page it will, unless it is taller than a page:
        # then, from the top of a page, let ReportLab break the row itself.
        if self._head_height + self._heights[self._start] <= self._room:
            return []
        if not self._at_top(ah):
            return []
        parts = self._table(self._start + 1, split_in_row=1).split(aw, ah)
        if not parts or self._start + 1 == len(self._body):
            return list(parts)
        return [*parts, self._rest(self._start + 1, fresh_page=True)]

    def draw(self) -> None:
        if self._page is not None:
            self._page.drawOn(self.canv, 0, 0)


def _cell_styles(s: Styles) -> dict[str, ParagraphStyle]:
    size, lead = CELL_SIZE, CELL_SIZE * 1.2
    return {
        "left": ParagraphStyle("reg_left", parent=s.cell, fontSize=size, leading=lead),
        "centre": ParagraphStyle(
            "reg_centre", parent=s.cell_centre, fontSize=size, leading=lead, alignment=TA_CENTER
        ),
        "head": ParagraphStyle("reg_head", parent=s.cell_head, fontSize=size, leading=lead),
        "message": ParagraphStyle(
            "reg_message",
            parent=s.cell_centre,
            fontName=f"{FAMILY}-Italic",
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
        ),
    }


def _unit_block(header: DeskHeader, width: float, s: Styles) -> Table:
    """The left half of the national header (who keeps the book); a register is not a dispatched
    document, so it carries neither the national motto nor a place-and-date line."""
    left_w = width * 0.4
    small = ParagraphStyle("reg_unit", parent=s.centre, fontSize=12, leading=14.4)
    small_bold = ParagraphStyle("reg_unit_b", parent=s.centre_bold, fontSize=12, leading=14.4)
    block: list[Flowable] = []
    if header.governing_body:
        block.append(balanced_para(header.governing_body.upper(), small, left_w))
    if header.agency_name:
        block.append(balanced_para(header.agency_name.upper(), small, left_w))
    unit = header.unit_name.upper()
    block.append(balanced_para(unit, small_bold, left_w))
    # As on the other forms (Decree 30): a rule about half as long as the unit's name, kept
    # clear of the dots under Ậ and Ộ.
    unit_w = stringWidth(nfc(unit), small_bold.fontName, small_bold.fontSize)
    block += [Spacer(1, 2.4), rule(min(max(unit_w * 0.45, 15 * mm), left_w))]
    table = Table([[block, ""]], colWidths=[left_w, width - left_w])
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the rule too, not only the text
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _count(n: int) -> str:
    """'1.000': Vietnamese groups thousands with a dot."""
    return f"{n:,}".replace(",", ".")


def _code_markup(code: str) -> str:
    """A file code breaks after the agency part ("000.17.22.H56-" / "250305-0001"), never at
    an arbitrary digit."""
    agency, dash, rest = code.partition("-")
    if not dash:
        return esc(code)
    return f"{esc(agency)}-<br/>{esc(rest)}"


def _moment_markup(value: datetime | None) -> str:
    """'02/03/2026' over '09:15' so that a date column stays narrow."""
    text = short_moment(value)
    day, _, time = text.partition(" ")
    return f"{day}<br/>{time}" if time else day


def _header_rows(cs: dict[str, ParagraphStyle]) -> list[list[Any]]:
    top: list[Any] = []
    bottom: list[Any] = []
    for i, name in enumerate(HEADINGS):
        if _DATE_FIRST <= i <= _DATE_LAST:
            top.append(para(DATES_HEADING, cs["head"]) if i == _DATE_FIRST else "")
            bottom.append(para(name, cs["head"]))
        else:
            top.append(para(name, cs["head"]))
            bottom.append("")
    return [top, bottom]


def _row(n: int, r: RegisterRow, cs: dict[str, ParagraphStyle]) -> list[Any]:
    left, centre = cs["left"], cs["centre"]
    return [
        para(str(n), centre),
        markup(_code_markup(r.code), left),
        para(r.procedure_name, left),
        para(str(r.sets_count), centre),
        para(r.applicant_name, left),
        para(r.address_phone, left),
        para(r.settling_agency, left),
        markup(_moment_markup(r.received), centre),
        markup(_moment_markup(r.due), centre),
        markup(_moment_markup(r.forwarded), centre),
        markup(_moment_markup(r.result_back), centre),
        markup(_moment_markup(r.returned), centre),
        para(r.return_method, centre),
        "",
        para(r.note, left),
    ]


def _table_style() -> list[Any]:
    cmds: list[Any] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        # "dd/mm/yyyy" fills a date column; 1 pt each side leaves a hair of white either side.
        ("LEFTPADDING", (_DATE_FIRST, 1), (_DATE_LAST, -1), 1),
        ("RIGHTPADDING", (_DATE_FIRST, 1), (_DATE_LAST, -1), 1),
        ("SPAN", (_DATE_FIRST, 0), (_DATE_LAST, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.93, 0.93, 0.93)),
    ]
    for i in range(len(HEADINGS)):
        if not _DATE_FIRST <= i <= _DATE_LAST:
            cmds.append(("SPAN", (i, 0), (i, 1)))
    return cmds


def column_widths(width: float) -> list[float]:
    """The widths of the 15 columns on a frame `width` points wide."""
    weights = [w for _, w in _COLUMNS]
    return [width * w / sum(weights) for w in weights]


def register_table(data: RegisterData, width: float, s: Styles) -> Flowable:
    """The register table alone: two header rows (repeated on every page), one row per file."""
    cs = _cell_styles(s)
    col_widths = column_widths(width)
    head = _header_rows(cs)
    commands = _table_style()
    if not data.rows:
        message = [para(EMPTY_MESSAGE, cs["message"])] + [""] * (len(HEADINGS) - 1)
        table = Table([*head, message], colWidths=col_widths, repeatRows=2)
        table.setStyle(grid_style(header_rows=2))
        table.setStyle(
            TableStyle(
                [
                    *commands,
                    ("SPAN", (0, 2), (-1, 2)),
                    ("TOPPADDING", (0, 2), (-1, 2), 8),
                    ("BOTTOMPADDING", (0, 2), (-1, 2), 8),
                ]
            )
        )
        return table
    body = [_row(n, r, cs) for n, r in enumerate(data.rows, start=1)]
    return PagedTable(head, body, col_widths, commands, frame_height(LANDSCAPE_A4))


def render_register(data: RegisterData, form_set: FormSet) -> bytes:
    """Sổ theo dõi hồ sơ on landscape A4, "Trang x/y" on every page."""
    form = form_set["register"]
    s = styles()
    width = frame_width(LANDSCAPE_A4)
    story: list[Flowable] = [
        *form_number_line(form, s),
        _unit_block(data.header, width, s),
        Spacer(1, 2 * mm),
        Paragraph(
            esc(form.title), ParagraphStyle("reg_title", parent=s.title, fontSize=16, leading=20)
        ),
        para(f"Quyển số: {data.book}", s.centre),
        para(
            f"(Từ ngày {short_date(data.start)} đến ngày {short_date(data.end)})",
            s.centre_italic,
        ),
        Spacer(1, 4 * mm),
        register_table(data, width, s),
    ]
    if data.rows:
        total_sets = sum(r.sets_count for r in data.rows)
        story += [
            Spacer(1, 2 * mm),
            para(
                f"Tổng số: {_count(len(data.rows))} hồ sơ ({_count(total_sets)} bộ).",
                s.small,
            ),
        ]
    return build_pdf(
        story,
        title=form.title,
        author=data.header.unit_name,
        pagesize=LANDSCAPE_A4,
        canvasmaker=NumberedCanvas,
    )
