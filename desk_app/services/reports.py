"""Period statistics and the register as files: Biểu 06 in PDF, XLSX and JSON, the register XLSX."""

from __future__ import annotations

import calendar
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desk_app.domain.statistics import STAT_KEYS
from desk_app.domain.text import escape_controls
from desk_app.errors import ValidationError
from desk_app.printing import statistics_report as form
from desk_app.printing.data import DeskHeader
from desk_app.printing.formset import load_form_set
from desk_app.printing.layout import MOTTO, NATIONAL_NAME
from desk_app.printing.register import DATES_HEADING, HEADINGS
from desk_app.printing.register import EMPTY_MESSAGE as REGISTER_EMPTY
from desk_app.printing.wording import nfc
from desk_app.services.context import get_settings
from desk_app.services.printing import desk_header, register_data, scope_agency
from desk_app.services.scope import ALL, Scope, agency_ids
from desk_app.services.statistics import GroupBy, PeriodReport, agency_title

PERIOD_KINDS = ("month", "quarter", "half", "year")
_PERIOD_COUNT = {"month": 12, "quarter": 4, "half": 2, "year": 1}

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
_TOTAL_FILL = PatternFill("solid", fgColor="F5F5F5")
_FONT = "Times New Roman"
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_DATE_FORMAT = "dd/mm/yyyy hh:mm"
CellValue = str | int | float | datetime | None
# What a spreadsheet program reads as the start of a formula when the text is typed or edited.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _text_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    """Write `text` as a string cell, always: openpyxl would store a leading "=" as a formula
    (a name "=HYPERLINK(...)" becoming a live link), and refuses control characters outright.

    Control characters (kept out of the database by the services, but possible in old rows)
    are shown escaped; text that a spreadsheet would read as a formula if it were edited gets
    the quote prefix (Excel's leading apostrophe), so it stays text after an edit too.
    """
    shown = escape_controls(nfc(text), keep="\n\t")
    cell = ws.cell(row=row, column=col)
    cell.value = shown
    cell.data_type = "s"
    if shown.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True


def period_of(kind: str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of a month (1-12), quarter (1-4), half-year (1-2) or year."""
    if kind not in _PERIOD_COUNT:
        raise ValidationError(
            f"Kỳ báo cáo “{kind}” không hợp lệ; chọn: {', '.join(PERIOD_KINDS)}.", field="kind"
        )
    count = _PERIOD_COUNT[kind]
    if not 1 <= number <= count:
        raise ValidationError(f"Số thứ tự của kỳ phải từ 1 đến {count}.", field="number")
    if not 1 <= year <= 9999:
        raise ValidationError("Năm không hợp lệ.", field="year")
    months = 12 // count
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return (
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


# --- Biểu 06 ------------------------------------------------------------------------------------


# Column 2's heading for each grouping (the form's own for fields of work).
GROUP_HEADINGS = {
    GroupBy.FIELD: form.GROUP_HEADING,
    GroupBy.PROCEDURE: "Thủ tục hành chính",
    GroupBy.AGENCY: "Cơ quan",
    GroupBy.OFFICER: "Cán bộ tiếp nhận",
    GroupBy.COUNTER: "Quầy",
}
WHOLE_CENTRE = "Toàn Trung tâm"


def _group_heading(report: PeriodReport) -> str:
    return GROUP_HEADINGS.get(GroupBy(report.by), form.GROUP_HEADING)


def scope_line(session: Session, scope: Scope) -> str:
    """The line under the period that names what a report counts: "" on a solo desk (one
    agency in the database), the agency's name for one agency, "Toàn Trung tâm" for several."""
    every = agency_ids(session)
    if len(every) <= 1:
        return ""
    covered = [a for a in every if scope.covers(a)]
    if len(covered) == 1:
        return f"Phạm vi: {agency_title(session, covered[0])}"
    return f"Phạm vi: {WHOLE_CENTRE}"


def scope_header(session: Session, scope: Scope) -> DeskHeader:
    """Who issues a report of `scope`: the one agency it covers, else the centre's first row."""
    return desk_header(get_settings(session, scope_agency(scope)))


def statistics_data(
    header: DeskHeader,
    report: PeriodReport,
    issued: date | None = None,
    *,
    scope_line: str = "",
) -> form.StatisticsData:
    return form.StatisticsData(
        header=header,
        start=report.start,
        end=report.end,
        lines=tuple(form.StatisticsLine(label=r.label, counts=r.counts) for r in report.rows),
        total=report.total,
        group_heading=_group_heading(report),
        issued=issued,
        as_of=report.as_of,
        scope_line=scope_line,
    )


def statistics_pdf(
    session: Session,
    report: PeriodReport,
    *,
    issued: date | None = None,
    scope: Scope | None = None,
) -> bytes:
    """Biểu 06 as landscape A4 with the desk's header; `issued` None leaves the date blank.
    `scope` None: the agencies the report counted (`report.scope`)."""
    scope = report.scope if scope is None else scope
    data = statistics_data(
        scope_header(session, scope), report, issued, scope_line=scope_line(session, scope)
    )
    return form.render_statistics(data)


def statistics_json(report: PeriodReport) -> str:
    """The machine-readable report (Vietnamese kept as it is); a report of some agencies of a
    centre lists their ids under "agencies"."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def _font(bold: bool = False, italic: bool = False, size: float = 11) -> Font:
    return Font(name=_FONT, bold=bold, italic=italic, size=size)


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: CellValue,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 11,
    align: Alignment = _CENTRE,
    box: bool = False,
    fill: PatternFill | None = None,
) -> None:
    if isinstance(value, str):
        _text_cell(ws, row, col, value)
        cell = ws.cell(row=row, column=col)
    else:
        cell = ws.cell(row=row, column=col, value=value)
    cell.font = _font(bold, italic, size)
    cell.alignment = align
    if box:
        cell.border = _BOX
    if fill is not None:
        cell.fill = fill


def _merge(
    ws: Worksheet,
    first_row: int,
    first_col: int,
    last_row: int,
    last_col: int,
    value: CellValue,
    **style: Any,
) -> None:
    """Write the value in the top-left cell, then merge; every cell of a boxed merge gets the
    border, or spreadsheet programs draw the merged block without its inner edges."""
    _put(ws, first_row, first_col, value, **style)
    if style.get("box"):
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                ws.cell(row=r, column=c).border = _BOX
                fill = style.get("fill")
                if isinstance(fill, PatternFill):
                    ws.cell(row=r, column=c).fill = fill
    if (first_row, first_col) != (last_row, last_col):
        ws.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )


def _national_header(ws: Worksheet, header: DeskHeader, columns: int, left_cols: int) -> int:
    """Agency left, national name and motto right, on rows 1-2; returns the next free row."""
    right_first = left_cols + 2
    top = header.governing_body.upper() if header.governing_body else ""
    agency = (header.agency_name or header.unit_name).upper()
    _merge(ws, 1, 1, 1, left_cols, top, size=12)
    _merge(ws, 2, 1, 2, left_cols, agency, bold=True, size=12)
    _merge(ws, 1, right_first, 1, columns, NATIONAL_NAME, bold=True, size=12)
    _merge(ws, 2, right_first, 2, columns, MOTTO, bold=True, size=12)
    return 4


def _title_lines(
    ws: Worksheet, row: int, columns: int, lines: list[tuple[str, dict[str, Any]]]
) -> int:
    for text, style in lines:
        _merge(ws, row, 1, row, columns, text, **style)
        row += 1
    return row


def _fit_a4(ws: Worksheet, orientation: Literal["landscape", "portrait"]) -> None:
    """Printed on A4 turned as `orientation` says, as wide as one page and as long as it needs."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _portrait_head(
    ws: Worksheet,
    header: DeskHeader,
    columns: int,
    titles: list[tuple[str, dict[str, Any]]],
    scope_line: str,
) -> int:
    """A portrait report's top: the national header (the agency over three columns), its
    title lines and a centre's scope; returns the row for the headings, one row below."""
    _national_header(ws, header, columns, left_cols=3)
    if scope_line:
        titles = [*titles, (scope_line, {"bold": True})]
    return _title_lines(ws, 4, columns, titles) + 1


def _portrait_sheet(
    sheet_title: str,
    header: DeskHeader,
    headings: Sequence[str],
    titles: tuple[str, str, str],
    scope_line: str,
) -> tuple[Workbook, Worksheet, int]:
    """A workbook of one portrait report's sheet, called `sheet_title`: the national header,
    `titles` (title, subtitle, period), a centre's scope, and `headings` in a row (bold, boxed,
    shaded). Returns the workbook, the sheet and the headings' row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = sheet_title
    title, subtitle, period = titles
    lines: list[tuple[str, dict[str, Any]]] = [
        (title, {"bold": True, "size": 14}),
        (subtitle, {"bold": True, "size": 11}),
        (period, {"italic": True}),
    ]
    row = _portrait_head(ws, header, len(headings), lines, scope_line)
    for col, name in enumerate(headings, start=1):
        _put(ws, row, col, name, bold=True, box=True, fill=_HEAD_FILL)
    return wb, ws, row


def _portrait_notes(ws: Worksheet, row: int, columns: int, notes: Sequence[str]) -> None:
    """`notes` under the table from `row`, one a row across its `columns`, small italics."""
    for note in notes:
        _merge(ws, row, 1, row, columns, note, italic=True, size=10, align=_LEFT)
        row += 1


def _portrait_table(ws: Worksheet, header_row: int, widths: tuple[float, ...]) -> None:
    """The columns' widths, the headings (row `header_row`) and the first two columns kept in
    view and printed on every page, on portrait A4 as wide as one page."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"C{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    _fit_a4(ws, "portrait")


def _numbered_row(
    ws: Worksheet,
    row: int,
    number: int | None,
    label: str,
    values: Sequence[int | float | None],
    *,
    bold: bool = False,
    fill: PatternFill | None = None,
) -> None:
    """One row of a portrait report's table: its number (None: none, a total's row), the label
    in column 2 (text, left), then `values` from column 3 (right; a float with one decimal, so
    it sorts and charts as a number; None left empty)."""
    _put(ws, row, 1, number, box=True, fill=fill)
    _put(ws, row, 2, label, bold=bold, box=True, align=_LEFT, fill=fill)
    for col, value in enumerate(values, start=3):
        number_value = round(value, 1) if isinstance(value, float) else value
        _put(ws, row, col, number_value, bold=bold, box=True, align=_RIGHT, fill=fill)
        if isinstance(value, float):
            ws.cell(row=row, column=col).number_format = "0.0"


def _workbook_bytes(wb: Workbook) -> bytes:
    wb.properties.creator = "Bộ phận Một cửa"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Spreadsheet columns of Biểu 06: STT, column 2, then every key of STAT_KEYS in order.
_XLSX_LEAVES = [name for _, name in form.MAIN_KEYS] + [name for _, name in form.EXTRA_KEYS]
_XLSX_KEYS = [key for key, _ in form.MAIN_KEYS] + [key for key, _ in form.EXTRA_KEYS]
assert tuple(_XLSX_KEYS) == STAT_KEYS  # the JSON and the spreadsheet share one column order
# Rows 4-6 title, period (and a centre's scope) and unit, 8-10 headings, 11 column numbers.
STATS_FIRST_DATA_ROW = 12


def _stats_headings(ws: Worksheet, top: int, group_heading: str) -> None:
    head: dict[str, Any] = {"bold": True, "box": True, "fill": _HEAD_FILL, "size": 11}
    r0, r1, r2 = top, top + 1, top + 2
    _merge(ws, r0, 1, r2, 1, "STT", **head)
    _merge(ws, r0, 2, r2, 2, group_heading, **head)
    _merge(ws, r0, 3, r0, 6, form.RECEIVED_GROUP, **head)
    _merge(ws, r0, 7, r0, 10, form.SETTLED_GROUP, **head)
    _merge(ws, r0, 11, r0, 13, form.OPEN_GROUP, **head)
    _merge(ws, r1, 3, r2, 3, "Tổng số", **head)
    _merge(ws, r1, 4, r1, 5, form.IN_PERIOD, **head)
    _put(ws, r2, 4, "Trực tuyến", **head)
    _put(ws, r2, 5, "Trực tiếp, dịch vụ bưu chính", **head)
    _merge(ws, r1, 6, r2, 6, "Từ kỳ trước", **head)
    for col in range(7, 14):
        _merge(ws, r1, col, r2, col, _XLSX_LEAVES[col - 3], **head)
    _merge(ws, r0, 14, r2, 14, form.EXTRA_KEYS[0][1], **head)
    _merge(ws, r0, 15, r2, 15, form.EXTRA_KEYS[1][1], **head)
    _merge(ws, r0, 16, r0, 19, form.POSTAL_GROUP, **head)
    for col in range(16, 20):
        _merge(ws, r1, col, r2, col, _XLSX_LEAVES[col - 3], **head)
    for col in range(1, 20):
        _put(ws, top + 3, col, f"({col})", italic=True, size=10, box=True)


def statistics_xlsx(session: Session, report: PeriodReport, *, scope: Scope | None = None) -> bytes:
    """Biểu 06 as a workbook: the same merged headings, one row per group, the total row.
    `scope` None: the agencies the report counted (`report.scope`)."""
    scope = report.scope if scope is None else scope
    header = scope_header(session, scope)
    scope_text = scope_line(session, scope)
    columns = 19
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Biểu 06"
    _national_header(ws, header, columns, left_cols=6)
    row = _title_lines(
        ws,
        4,
        columns,
        [
            (form.TITLE, {"bold": True, "size": 14}),
            (
                form.period_line(report.start, report.end, report.as_of),
                {"italic": True, "size": 12},
            ),
            *([(scope_text, {"bold": True, "size": 12})] if scope_text else []),
        ],
    )
    _merge(
        ws,
        row,
        1,
        row,
        columns,
        form.UNIT_LINE,
        italic=True,
        align=Alignment(horizontal="right", vertical="center"),
    )
    _stats_headings(ws, STATS_FIRST_DATA_ROW - 4, _group_heading(report))
    row = STATS_FIRST_DATA_ROW
    for n, line in enumerate(report.rows, start=1):
        values = line.counts.as_dict()
        _put(ws, row, 1, n, box=True)
        _put(ws, row, 2, line.label, box=True, align=_LEFT)
        for col, key in enumerate(_XLSX_KEYS, start=3):
            _put(ws, row, col, values[key], box=True, align=_RIGHT)
        row += 1
    totals = report.total.as_dict()
    _put(ws, row, 1, None, box=True, fill=_TOTAL_FILL)
    _put(ws, row, 2, form.TOTAL_LABEL, bold=True, box=True, align=_LEFT, fill=_TOTAL_FILL)
    for col, key in enumerate(_XLSX_KEYS, start=3):
        _put(ws, row, col, totals[key], bold=True, box=True, align=_RIGHT, fill=_TOTAL_FILL)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for col in range(3, columns + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11.5
    ws.row_dimensions[STATS_FIRST_DATA_ROW - 2].height = 45
    ws.row_dimensions[4].height = 36
    ws.freeze_panes = f"C{STATS_FIRST_DATA_ROW}"
    _fit_a4(ws, "landscape")
    ws.print_title_rows = f"{STATS_FIRST_DATA_ROW - 4}:{STATS_FIRST_DATA_ROW - 1}"
    _signature_rows(ws, row + 2, header.place_name, columns)
    return _workbook_bytes(wb)


def _signature_rows(ws: Worksheet, row: int, place: str, columns: int) -> None:
    _merge(ws, row, 12, row, columns, form.place_date_line(place, None), italic=True)
    _merge(ws, row + 1, 1, row + 1, 6, form.SIGNER_LEFT, bold=True)
    _merge(ws, row + 1, 12, row + 1, columns, form.SIGNER_RIGHT, bold=True)
    _merge(ws, row + 2, 1, row + 2, 6, form.SIGNER_LEFT_NOTE, italic=True)
    _merge(ws, row + 2, 12, row + 2, columns, form.SIGNER_RIGHT_NOTE, italic=True)


# --- the register -------------------------------------------------------------------------------

# The register's date columns (Nhận hồ sơ … Trả kết quả) sit under one "Ngày, tháng, năm".
_DATE_FIRST = HEADINGS.index("Nhận hồ sơ")
_DATE_LAST = HEADINGS.index("Trả kết quả")
_REGISTER_WIDTHS = (6, 24, 40, 9, 24, 34, 26, 17, 17, 17, 17, 17, 14, 10, 18)
REGISTER_FIRST_DATA_ROW = 9  # rows 7-8 headings; see `register_xlsx`


def register_xlsx(session: Session, start: date, end: date, *, scope: Scope = ALL) -> bytes:
    """Sổ theo dõi hồ sơ as a workbook: the columns of the printed register, one row per file
    of `scope`'s agencies."""
    data = register_data(session, start, end, scope=scope)
    title = load_form_set(get_settings(session, scope_agency(scope)).form_set)["register"].title
    columns = len(HEADINGS)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sổ theo dõi"
    _merge(ws, 1, 1, 1, 5, data.header.governing_body.upper(), size=12)
    _merge(ws, 2, 1, 2, 5, data.header.agency_name.upper(), size=12)
    _merge(ws, 3, 1, 3, 5, data.header.unit_name.upper(), bold=True, size=12)
    _title_lines(
        ws,
        4,
        columns,
        [
            (title, {"bold": True, "size": 14}),
            (f"Quyển số: {data.book}", {"size": 12}),
            (form.period_line(data.start, data.end), {"italic": True, "size": 12}),
        ],
    )
    head: dict[str, Any] = {"bold": True, "box": True, "fill": _HEAD_FILL}
    top = REGISTER_FIRST_DATA_ROW - 2
    for col, name in enumerate(HEADINGS, start=1):
        if _DATE_FIRST <= col - 1 <= _DATE_LAST:
            _put(ws, top + 1, col, name, **head)
        else:
            _merge(ws, top, col, top + 1, col, name, **head)
    _merge(ws, top, _DATE_FIRST + 1, top, _DATE_LAST + 1, DATES_HEADING, **head)
    row = REGISTER_FIRST_DATA_ROW
    for n, r in enumerate(data.rows, start=1):
        values: list[CellValue] = [
            n,
            r.code,
            r.procedure_name,
            r.sets_count,
            r.applicant_name,
            r.address_phone,
            r.settling_agency,
            r.received,
            r.due,
            r.forwarded,
            r.result_back,
            r.returned,
            r.return_method,
            "",
            r.note,
        ]
        for col, value in enumerate(values, start=1):
            centre = isinstance(value, (int, datetime)) or col == len(values) - 2
            _put(ws, row, col, value, box=True, align=_CENTRE if centre else _LEFT)
            if isinstance(value, datetime):
                ws.cell(row=row, column=col).number_format = _DATE_FORMAT
        row += 1
    if not data.rows:
        _merge(ws, row, 1, row, columns, REGISTER_EMPTY, italic=True, box=True)
    else:
        sets = sum(r.sets_count for r in data.rows)
        _merge(
            ws,
            row + 1,
            1,
            row + 1,
            columns,
            f"Tổng số: {form.count_text(len(data.rows))} hồ sơ ({form.count_text(sets)} bộ).",
            align=_LEFT,
        )
    for col, width in enumerate(_REGISTER_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[top + 1].height = 48
    ws.freeze_panes = f"C{REGISTER_FIRST_DATA_ROW}"
    _fit_a4(ws, "landscape")
    ws.print_title_rows = f"{top}:{top + 1}"
    return _workbook_bytes(wb)


__all__ = [
    "GROUP_HEADINGS",
    "PERIOD_KINDS",
    "WHOLE_CENTRE",
    "period_of",
    "register_xlsx",
    "scope_header",
    "scope_line",
    "statistics_data",
    "statistics_json",
    "statistics_pdf",
    "statistics_xlsx",
]
