"""The national index (Decision 766/QĐ-TTg) as far as the desk computes it, on portrait A4.

Drawn from plain data like Biểu 06 (printing/statistics_report.py): the same header (the
agency on the left, the national name and motto on the right), period and scope lines, one
table of the groups and their figures, the weights' source and what is unverified, and the two
signatures. No QR code: like Biểu 06, a report is not a paper issued for a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from desk_app.printing import statistics_report as stats_form
from desk_app.printing.data import DeskHeader
from desk_app.printing.layout import grid_style, para

TITLE = "CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"
SUBTITLE = (
    "trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực "
    "(Quyết định số 766/QĐ-TTg) — phần số liệu tính tại Bộ phận Một cửa"
)
HEADINGS = ("STT", "Nhóm chỉ số, chỉ số", "Số liệu", "Cách tính, ghi chú", "Trọng số", "Điểm")
TOTAL_LABEL = "Tổng điểm các nhóm tính được"
NOT_VERIFIED = (
    "Trọng số và cách quy đổi số liệu thành điểm chưa được kiểm chứng với văn bản hiện hành; "
    "điểm chính thức do Cổng Dịch vụ công quốc gia tính."
)
DASH = "—"
_SIZE = 10
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def number_text(value: float, decimals: int = 0) -> str:
    """'1.234' or '89,6': Vietnamese groups thousands with a dot and marks decimals with a comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def value_text(value: float | None, unit: str) -> str:
    """A figure as printed: counts whole, shares to 0.1 %, days and points to 0.01; "—" empty."""
    if value is None:
        return DASH
    if unit == "%":
        return f"{number_text(value, 1)} %"
    if unit in ("hồ sơ", "lượt", "trang"):
        return f"{number_text(value)} {unit}"
    return f"{number_text(value, 2)} {unit}"


def number_or_dash(value: float | None, decimals: int) -> str:
    """`value` with `decimals` decimals ('89,5' for 1), or the dash when there is none."""
    return DASH if value is None else number_text(value, decimals)


def points_text(points: float | None) -> str:
    return number_or_dash(points, 2)


@dataclass(frozen=True)
class IndexLine:
    label: str
    value: str  # as printed, with its unit
    note: str


@dataclass(frozen=True)
class IndexGroup:
    label: str
    weight: str
    points: str
    lines: tuple[IndexLine, ...]


@dataclass(frozen=True)
class IndexData:
    header: DeskHeader
    start: date
    end: date
    groups: tuple[IndexGroup, ...]
    total: str  # "37,85 / 42"
    weights_source: str
    verify_note: str = ""
    as_of: datetime | None = None
    scope_line: str = ""
    issued: date | None = None  # None: the date is left blank for the signer


def _table(data: IndexData, width: float) -> Table:
    cs = stats_form.report_cell_styles(_SIZE)
    widths = [10 * mm, 46 * mm, 25 * mm, 0.0, 15 * mm, 18 * mm]
    widths[3] = width - sum(widths)
    rows: list[list[Any]] = [[para(h, cs["head"]) for h in HEADINGS]]
    group_rows = []
    for n, group in enumerate(data.groups):
        group_rows.append(len(rows))
        rows.append(
            [
                para(_ROMAN[n] if n < len(_ROMAN) else str(n + 1), cs["centre_bold"]),
                para(group.label, cs["bold"]),
                "",
                "",
                para(group.weight, cs["number_bold"]),
                para(group.points, cs["number_bold"]),
            ]
        )
        for i, line in enumerate(group.lines, start=1):
            rows.append(
                [
                    para(str(i), cs["centre"]),
                    para(line.label, cs["cell"]),
                    para(line.value, cs["number"]),
                    para(line.note, cs["note"]),
                    "",
                    "",
                ]
            )
    rows.append(
        ["", para(TOTAL_LABEL, cs["bold"]), "", "", para(data.total, cs["number_bold"]), ""]
    )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(header_rows=1))
    grey = colors.Color(0.93, 0.93, 0.93)
    light = colors.Color(0.96, 0.96, 0.96)
    style: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), grey),
        ("SPAN", (1, -1), (3, -1)),
        ("SPAN", (4, -1), (5, -1)),
        ("BACKGROUND", (0, -1), (-1, -1), light),
    ]
    for r in group_rows:
        style += [("SPAN", (1, r), (3, r)), ("BACKGROUND", (0, r), (-1, r), light)]
    table.setStyle(TableStyle(style))
    return table


def render_index(data: IndexData) -> bytes:
    """The index on portrait A4, "Trang x/y" at the foot of every page."""
    notes = [f"Trọng số: {data.weights_source}.", NOT_VERIFIED]
    if data.verify_note:
        notes.append(data.verify_note)
    return stats_form.render_portrait_report(
        data.header,
        title=TITLE,
        subtitle=SUBTITLE,
        period=stats_form.period_line(data.start, data.end, data.as_of),
        scope_line=data.scope_line,
        table=_table(data, stats_form.portrait_width()),
        notes=notes,
        issued=data.issued,
    )
