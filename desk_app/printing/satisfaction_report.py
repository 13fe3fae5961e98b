"""The applicants' satisfaction with the counter's service for a period (issue 16), on A4.

Drawn from plain data like Biểu 06 (printing/statistics_report.py): the same header (the
agency on the left, the national name and motto on the right), period and scope lines, one
table of the groups (officer, procedure or service) with the counts by level, the ratings in
all and the share satisfied, the total, and the two signatures. Counts only: no comment and no
reason is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from desk_app.printing import index_report
from desk_app.printing import statistics_report as stats_form
from desk_app.printing.data import DeskHeader
from desk_app.printing.layout import grid_style, para

TITLE = "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG"
SUBTITLE = "của người dân, doanh nghiệp đối với việc phục vụ tại Bộ phận Một cửa"
LEVEL_HEADINGS = ("Rất hài lòng", "Hài lòng", "Không hài lòng")
TOTAL_HEADING = "Tổng lượt đánh giá"
SHARE_HEADING = "Tỷ lệ hài lòng (%)"
TOTAL_LABEL = "Tổng cộng"
EMPTY_MESSAGE = "Không có lượt đánh giá trong kỳ báo cáo."
SHARE_NOTE = (
    "Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / Tổng lượt đánh giá; "
    "lượt phục vụ không được đánh giá không tính vào tỷ lệ."
)
_SIZE = 10


@dataclass(frozen=True)
class SatisfactionLine:
    """One row: what column 2 prints and its counts (the share in percent, None: none rated)."""

    label: str
    very_satisfied: int
    satisfied: int
    dissatisfied: int
    share: float | None

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied


@dataclass(frozen=True)
class SatisfactionData:
    header: DeskHeader
    start: date
    end: date
    group_heading: str  # "Cán bộ tiếp nhận", "Thủ tục hành chính", "Loại phục vụ", …
    lines: tuple[SatisfactionLine, ...]
    total: SatisfactionLine
    not_rated: int = 0  # visits of the period the applicant did not rate
    scope_line: str = ""
    issued: date | None = None  # None: the date is left blank for the signer


def _numbers(line: SatisfactionLine, style: ParagraphStyle) -> list[Any]:
    values = (line.very_satisfied, line.satisfied, line.dissatisfied, line.rated)
    return [para(stats_form.count_text(v), style) for v in values] + [
        para(index_report.number_or_dash(line.share, 1), style)  # the dash: none rated
    ]


def _table(data: SatisfactionData, width: float) -> Table:
    cs = stats_form.report_cell_styles(_SIZE)
    widths = [10 * mm, 0.0, 22 * mm, 20 * mm, 22 * mm, 22 * mm, 22 * mm]
    widths[1] = width - sum(widths)
    headings = ("STT", data.group_heading, *LEVEL_HEADINGS, TOTAL_HEADING, SHARE_HEADING)
    rows: list[list[Any]] = [[para(h, cs["head"]) for h in headings]]
    rows.append([para(f"({n})", cs["centre"]) for n in range(1, len(headings) + 1)])
    style: list[Any] = []
    if not data.lines:
        stats_form.add_message_row(rows, style, EMPTY_MESSAGE, cs)
    for n, line in enumerate(data.lines, start=1):
        number, label = para(str(n), cs["centre"]), para(line.label, cs["cell"])
        rows.append([number, label, *_numbers(line, cs["number"])])
    rows.append(["", para(TOTAL_LABEL, cs["bold"]), *_numbers(data.total, cs["number_bold"])])
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(grid_style(header_rows=2))
    style += [
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.96, 0.96, 0.96)),
    ]
    table.setStyle(TableStyle(style))
    return table


def render_satisfaction(data: SatisfactionData) -> bytes:
    """The report on portrait A4, "Trang x/y" at the foot of every page."""
    notes = [SHARE_NOTE]
    if data.not_rated:
        notes.append(
            f"Lượt phục vụ không được đánh giá trong kỳ: {stats_form.count_text(data.not_rated)}."
        )
    return stats_form.render_portrait_report(
        data.header,
        title=TITLE,
        subtitle=SUBTITLE,
        period=stats_form.period_line(data.start, data.end),
        scope_line=data.scope_line,
        table=_table(data, stats_form.portrait_width()),
        notes=notes,
        issued=data.issued,
    )
