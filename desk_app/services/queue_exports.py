"""The queue report's PDF and workbook (issue 16): services/tickets.queue_report drawn by
printing/queue_report.py, or written to a sheet with the satisfaction report's portrait helpers
(services/reports)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desk_app.printing import queue_report as form
from desk_app.printing import statistics_report as stats_form
from desk_app.services import reports
from desk_app.services.tickets import QueueLine, QueueReport


def _line(level: str, line: QueueLine) -> form.QueueReportLine:
    return form.QueueReportLine(
        level=level,
        label=line.label,
        issued=line.issued,
        served=line.served,
        skipped=line.skipped,
        wait_mean=line.wait.mean,
        wait_p90=line.wait.p90,
        service_mean=line.service.mean,
        service_p90=line.service.p90,
    )


def queue_data(
    session: Session, report: QueueReport, issued: date | None = None
) -> form.QueueReportData:
    """What the printed report shows: each group's line followed by its officers' lines."""
    lines: list[form.QueueReportLine] = []
    for group in report.groups:
        lines.append(_line("group", group.line))
        lines.extend(_line("officer", officer) for officer in group.officers)
    return form.QueueReportData(
        header=reports.scope_header(session, report.scope),
        start=report.start,
        end=report.end,
        lines=tuple(lines),
        total=_line("total", report.total),
        not_called=report.not_called,
        scope_line=reports.scope_line(session, report.scope),
        issued=issued,
    )


def queue_pdf(session: Session, report: QueueReport, *, issued: date | None = None) -> bytes:
    """The report on portrait A4 with the desk's header; `issued` None leaves the date blank."""
    return form.render_queue(queue_data(session, report, issued))


HEADINGS = (
    "STT",
    form.LABEL_HEADING,
    *form.COUNT_HEADINGS,
    f"{form.WAIT_HEADING}: {form.MEAN_HEADING.lower()}",
    f"{form.WAIT_HEADING}: {form.P90_HEADING}",
    f"{form.SERVICE_HEADING}: {form.MEAN_HEADING.lower()}",
    f"{form.SERVICE_HEADING}: {form.P90_HEADING}",
)


def queue_xlsx(session: Session, report: QueueReport) -> bytes:
    """The report as a workbook: the header and titles, a group's row (bold, numbered) then
    its officers' rows, the total; counts and minutes as numbers (minutes to 0.1), a figure
    not counted left empty. Names are written as text (reports' rule)."""
    data = queue_data(session, report)
    period = stats_form.period_line(report.start, report.end)
    wb, ws, header_row = reports._portrait_sheet(
        "Hàng đợi", data.header, HEADINGS, (form.TITLE, form.SUBTITLE, period), data.scope_line
    )
    row = header_row
    number = 0
    for line in (*data.lines, data.total):
        row += 1
        group = line.level == "group"
        number += int(group)
        label = line.label if line.level != "officer" else f"– {line.label}"
        fill = reports._TOTAL_FILL if line.level == "total" else None
        reports._numbered_row(
            ws,
            row,
            number if group else None,
            label,
            line.values(),
            bold=line.level != "officer",
            fill=fill,
        )
    reports._portrait_notes(ws, row + 2, len(HEADINGS), form.notes(data))
    reports._portrait_table(ws, header_row, (6, 40, 11, 11, 10, 13, 13, 13, 13))
    return reports._workbook_bytes(wb)
