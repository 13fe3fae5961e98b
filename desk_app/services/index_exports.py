"""The national index on paper (printing/index_report.py) and in a spreadsheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desk_app.printing import index_report as form
from desk_app.printing.statistics_report import period_line
from desk_app.services import reports
from desk_app.services.index_weights import load_weights
from desk_app.services.national_index import IndexReport

# --- on paper and in a spreadsheet ----------------------------------------------------------------


def _total_text(report: IndexReport) -> str:
    return f"{form.points_text(report.points)} / {form.number_text(report.max_points, 0)}"


def index_data(session: Session, report: IndexReport, issued: date | None = None) -> form.IndexData:
    """What the printed index shows, from the report (the header and scope lines as Biểu 06's)."""
    groups = tuple(
        form.IndexGroup(
            label=g.label,
            weight=form.number_text(g.weight, 0 if g.weight == int(g.weight) else 1),
            points=form.points_text(g.points),
            lines=tuple(
                form.IndexLine(f.label, form.value_text(f.value, f.unit), f.note) for f in g.figures
            ),
        )
        for g in report.groups
    )
    return form.IndexData(
        header=reports.scope_header(session, report.scope),
        start=report.start,
        end=report.end,
        groups=groups,
        total=_total_text(report),
        weights_source=report.weights_source,
        verify_note=load_weights().verify_note,
        as_of=report.as_of,
        scope_line=reports.scope_line(session, report.scope),
        issued=issued,
    )


def index_pdf(session: Session, report: IndexReport) -> bytes:
    """The index on portrait A4 with the desk's header; the date is left to the signer."""
    return form.render_index(index_data(session, report))


_XLSX_COUNTS = ("hồ sơ", "lượt", "trang")


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: str | float | None,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 11,
    left: bool = False,
    fill: bool = False,
) -> None:
    """A boxed cell of the index's table: text always as text (reports' rule), numbers as
    numbers."""
    if isinstance(value, str):
        reports._text_cell(ws, row, col, value)
        cell = ws.cell(row=row, column=col)
    else:
        cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=reports._FONT, bold=bold, italic=italic, size=size)
    cell.border = reports._BOX
    if isinstance(value, str):
        cell.alignment = reports._LEFT if left else reports._CENTRE
    else:
        cell.alignment = reports._RIGHT
    if fill:
        cell.fill = reports._TOTAL_FILL


def index_xlsx(session: Session, report: IndexReport) -> bytes:
    """The index as a workbook: the header, one row per group and per figure (the value as a
    number, its unit and note beside it), the total and the weights' source. Text cells are
    written as text (as in services/reports.py), so nothing in them is taken for a formula."""
    data = index_data(session, report)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Chỉ số 766"
    columns = len(XLSX_HEADINGS)
    titles: list[tuple[str, dict[str, Any]]] = [
        (form.TITLE, {"bold": True, "size": 14}),
        (form.SUBTITLE, {"bold": True, "size": 11}),
        (period_line(report.start, report.end, report.as_of), {"italic": True}),
    ]
    row = reports._portrait_head(ws, data.header, columns, titles, data.scope_line)
    header_row = row
    for col, name in enumerate(XLSX_HEADINGS, start=1):
        _put(ws, row, col, name, bold=True, fill=True)
    for n, group in enumerate(report.groups, start=1):
        row += 1
        _put(ws, row, 1, n, bold=True, fill=True)
        _put(ws, row, 2, group.label, bold=True, left=True, fill=True)
        for col in (3, 4, 5):
            _put(ws, row, col, None, fill=True)
        _put(ws, row, 6, group.weight, bold=True, fill=True)
        _put(ws, row, 7, group.points, bold=True, fill=True)
        for figure in group.figures:
            row += 1
            value = figure.value
            if value is not None and figure.unit in _XLSX_COUNTS:
                value = int(value)
            for col, cell in enumerate(
                (None, figure.label, value, figure.unit, figure.note, None, None), start=1
            ):
                _put(ws, row, col, cell, left=col in (2, 5), size=10 if col == 5 else 11)
    row += 1
    for col in range(1, columns):
        _put(ws, row, col, form.TOTAL_LABEL if col == 2 else None, bold=True, left=True)
    _put(ws, row, columns, report.points, bold=True)
    row += 2
    notes = [f"Trọng số: {report.weights_source}.", form.NOT_VERIFIED]
    if data.verify_note:
        notes.append(data.verify_note)
    for note in notes:
        reports._merge(ws, row, 1, row, columns, note, italic=True, size=10, align=reports._LEFT)
        ws.row_dimensions[row].height = 30
        row += 1
    reports._portrait_table(ws, header_row, (6, 40, 12, 13, 60, 10, 10))
    return reports._workbook_bytes(wb)


XLSX_HEADINGS = (
    "STT",
    "Nhóm chỉ số, chỉ số",
    "Số liệu",
    "Đơn vị",
    "Cách tính, ghi chú",
    "Trọng số",
    "Điểm",
)
