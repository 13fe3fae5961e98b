"""The hall's queue for a period (issue 16) on portrait A4: per service group and, under it, per
officer, the tickets issued, served and skipped, and the waiting and service minutes (mean and
90th percentile).

Drawn from plain data like the satisfaction report (printing/satisfaction_report.py), on the
portrait scaffolding of statistics_report: Biểu 06's header, title, period and scope lines, the
table, small notes and the two signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from desk_app.printing import index_report
from desk_app.printing import statistics_report as stats_form
from desk_app.printing.data import DeskHeader
from desk_app.printing.layout import grid_style, para

TITLE = "THỜI GIAN CHỜ VÀ THỜI GIAN PHỤC VỤ TẠI BỘ PHẬN MỘT CỬA"
SUBTITLE = "theo nhóm dịch vụ và cán bộ tiếp nhận (hệ thống xếp hàng lấy số thứ tự)"
LABEL_HEADING = "Nhóm dịch vụ, cán bộ"
COUNT_HEADINGS = ("Số đã cấp", "Đã phục vụ", "Bỏ qua")
WAIT_HEADING = "Thời gian chờ (phút)"
SERVICE_HEADING = "Thời gian phục vụ (phút)"
MEAN_HEADING = "Trung bình"
P90_HEADING = "P90"
TOTAL_LABEL = "Tổng cộng"
EMPTY_MESSAGE = "Không có số thứ tự nào được cấp trong kỳ báo cáo."
NOTES = (
    "Thời gian chờ: từ lúc cấp số đến lúc quầy gọi số; thời gian phục vụ: từ lúc gọi số đến lúc "
    "xong (số bị bỏ qua không tính). P90: 90% số lượt không quá số phút này.",
)
_SIZE = 9


@dataclass(frozen=True)
class QueueReportLine:
    """One row: a group (`level` "group", numbered), an officer under it ("officer"), or the
    total ("total"). `issued` None: not counted on that row (an officer's)."""

    level: str
    label: str
    issued: int | None
    served: int
    skipped: int
    wait_mean: float | None
    wait_p90: float | None
    service_mean: float | None
    service_p90: float | None

    def values(self) -> tuple[int | float | None, ...]:
        """The row's figures in the columns' order (3 to 9)."""
        return (
            self.issued,
            self.served,
            self.skipped,
            self.wait_mean,
            self.wait_p90,
            self.service_mean,
            self.service_p90,
        )


@dataclass(frozen=True)
class QueueReportData:
    header: DeskHeader
    start: date
    end: date
    lines: tuple[QueueReportLine, ...]  # groups, each followed by its officers
    total: QueueReportLine
    not_called: int = 0  # tickets issued that no counter called
    scope_line: str = ""
    issued: date | None = None  # None: the date is left blank for the signer


def value_text(value: int | float | None, column: int) -> str:
    """Column `column`'s (0-based among the seven figures) text: counts whole, minutes to 0.1."""
    if value is None:
        return index_report.DASH if column >= 3 else ""
    if column < 3:
        return stats_form.count_text(int(value))
    return index_report.number_or_dash(float(value), 1)  # '12,5', a Vietnamese comma


def notes(data: QueueReportData) -> list[str]:
    found = list(NOTES)
    if data.not_called:
        found.append(
            f"Số đã cấp nhưng không được gọi (người dân không chờ, hết giờ làm việc): "
            f"{stats_form.count_text(data.not_called)}."
        )
    return found


def _table(data: QueueReportData, width: float) -> Table:
    cs = stats_form.report_cell_styles(_SIZE)
    widths = [9 * mm, 0.0, 15 * mm, 15 * mm, 13 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm]
    widths[1] = width - sum(widths)
    head = [para(h, cs["head"]) for h in ("STT", LABEL_HEADING, *COUNT_HEADINGS)]
    rows: list[list[Any]] = [
        [*head, para(WAIT_HEADING, cs["head"]), "", para(SERVICE_HEADING, cs["head"]), ""],
        ["", "", "", "", "", *(para(h, cs["head"]) for h in (MEAN_HEADING, P90_HEADING) * 2)],
        [para(f"({n})", cs["centre"]) for n in range(1, 10)],
    ]
    style: list[Any] = [
        *(("SPAN", (c, 0), (c, 1)) for c in range(5)),
        ("SPAN", (5, 0), (6, 0)),
        ("SPAN", (7, 0), (8, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.93, 0.93, 0.93)),
    ]
    if not data.lines:
        stats_form.add_message_row(rows, style, EMPTY_MESSAGE, cs)
    number = 0
    for line in data.lines:
        group = line.level == "group"
        if group:
            number += 1
            style.append(
                ("BACKGROUND", (0, len(rows)), (-1, len(rows)), colors.Color(0.97, 0.97, 0.97))
            )
        lead = para(str(number), cs["centre_bold"]) if group else ""
        label = para(line.label if group else f"– {line.label}", cs["bold" if group else "cell"])
        numbers = cs["number_bold" if group else "number"]
        rows.append(
            [lead, label, *(para(value_text(v, i), numbers) for i, v in enumerate(line.values()))]
        )
    total = data.total
    rows.append(
        [
            "",
            para(TOTAL_LABEL, cs["bold"]),
            *(para(value_text(v, i), cs["number_bold"]) for i, v in enumerate(total.values())),
        ]
    )
    style.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.93, 0.93, 0.93)))
    table = Table(rows, colWidths=widths, repeatRows=3)
    table.setStyle(grid_style(header_rows=3))
    table.setStyle(TableStyle(style))
    return table


def render_queue(data: QueueReportData) -> bytes:
    """The report on portrait A4, "Trang x/y" at the foot of every page."""
    return stats_form.render_portrait_report(
        data.header,
        title=TITLE,
        subtitle=SUBTITLE,
        period=stats_form.period_line(data.start, data.end),
        scope_line=data.scope_line,
        table=_table(data, stats_form.portrait_width()),
        notes=notes(data),
        issued=data.issued,
    )
