"""The supervisor's satisfaction report (issue 16): the ratings of a period by officer,
procedure, service or agency, on screen, as PDF and as XLSX. Counts only, never a comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from desk_app.printing import satisfaction_report as form
from desk_app.printing import statistics_report as stats_form
from desk_app.services import ratings, reports, statistics
from desk_app.services.ratings import RatingCounts
from desk_app.services.scope import ALL, Scope

GROUPINGS = ("officer", "procedure", "service", "agency")
# Column 2's heading for each grouping.
GROUP_HEADINGS = {
    "officer": "Cán bộ phục vụ",
    "procedure": "Thủ tục hành chính",
    "service": "Loại phục vụ",
    "agency": "Cơ quan",
}


def satisfied_percent(counts: RatingCounts) -> float | None:
    """(Very satisfied + satisfied) over the ratings given, in percent; None when none was."""
    share = counts.share_satisfied
    return None if share is None else 100.0 * share


@dataclass(frozen=True)
class SatisfactionRow:
    key: str
    label: str
    counts: RatingCounts

    @property
    def rated(self) -> int:
        return self.counts.total_rated

    @property
    def percent(self) -> float | None:
        return satisfied_percent(self.counts)


@dataclass(frozen=True)
class SatisfactionReport:
    """A period's ratings grouped `by`, the agencies of `scope` only. A group with visits but
    no rating given has no row; its visits are in `total.not_rated`."""

    start: date
    end: date
    by: str
    scope: Scope
    rows: tuple[SatisfactionRow, ...]
    total: RatingCounts

    @property
    def total_row(self) -> SatisfactionRow:
        return SatisfactionRow("", form.TOTAL_LABEL, self.total)


def satisfaction_report(
    session: Session, start: date, end: date, *, by: str = "officer", scope: Scope = ALL
) -> SatisfactionReport:
    """The ratings of [start, end] (a rating by the day it was given) grouped `by`."""
    statistics.period_bounds(start, end)  # the same checks (and messages) as every report
    if by not in GROUPINGS:
        raise ValueError(by)
    found = ratings.rating_counts(session, start, end, scope=scope, by=by)
    rows = tuple(SatisfactionRow(key, label, counts) for key, label, counts in found)
    rows = tuple(r for r in rows if r.rated)
    total = ratings.total_counts(session, start, end, scope=scope)
    return SatisfactionReport(start, end, by, scope, rows, total)


def _line(row: SatisfactionRow) -> form.SatisfactionLine:
    c = row.counts
    return form.SatisfactionLine(
        row.label, c.very_satisfied, c.satisfied, c.dissatisfied, row.percent
    )


def satisfaction_data(
    session: Session, report: SatisfactionReport, issued: date | None = None
) -> form.SatisfactionData:
    """What the printed report shows (the header and scope lines as Biểu 06's)."""
    return form.SatisfactionData(
        header=reports.scope_header(session, report.scope),
        start=report.start,
        end=report.end,
        group_heading=GROUP_HEADINGS[report.by],
        lines=tuple(_line(r) for r in report.rows),
        total=_line(report.total_row),
        not_rated=report.total.not_rated,
        scope_line=reports.scope_line(session, report.scope),
        issued=issued,
    )


def satisfaction_pdf(
    session: Session, report: SatisfactionReport, *, issued: date | None = None
) -> bytes:
    """The report on portrait A4 with the desk's header; `issued` None leaves the date blank."""
    return form.render_satisfaction(satisfaction_data(session, report, issued))


XLSX_HEADINGS = ("STT", *form.LEVEL_HEADINGS, form.TOTAL_HEADING, form.SHARE_HEADING)


def satisfaction_xlsx(session: Session, report: SatisfactionReport) -> bytes:
    """The report as a workbook: the header and titles, one row per group (counts as numbers,
    the share as a number with one decimal), the total. Names are written as text (reports'
    rule), so a name that looks like a formula stays a name."""
    data = satisfaction_data(session, report)
    headings = ("STT", data.group_heading, *XLSX_HEADINGS[1:])
    period = stats_form.period_line(report.start, report.end)
    wb, ws, header_row = reports._portrait_sheet(
        "Mức độ hài lòng",
        data.header,
        headings,
        (form.TITLE, form.SUBTITLE, period),
        data.scope_line,
    )
    row = header_row
    lines = [(str(n), line) for n, line in enumerate(data.lines, start=1)]
    for number, line in [*lines, ("", data.total)]:
        row += 1
        bold = not number
        fill = reports._TOTAL_FILL if bold else None
        # The share a number, to sort and chart; none rated: left empty.
        share = None if line.share is None else float(line.share)
        values = (line.very_satisfied, line.satisfied, line.dissatisfied, line.rated, share)
        reports._numbered_row(
            ws, row, int(number) if number else None, line.label, values, bold=bold, fill=fill
        )
    notes = [form.SHARE_NOTE]
    if data.not_rated:
        notes.append(f"Lượt phục vụ không được đánh giá trong kỳ: {data.not_rated}.")
    reports._portrait_notes(ws, row + 2, len(headings), notes)
    reports._portrait_table(ws, header_row, (6, 44, 14, 12, 16, 16, 16))
    return reports._workbook_bytes(wb)
