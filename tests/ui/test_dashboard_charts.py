"""The dashboard's charts (issue 13): whole-number count axes, bars labelled by procedure code."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QValueAxis
from pytestqt.qtbot import QtBot

from desk_app.services.watch import LateProcedure
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import ChartData, DashboardCharts, count_step

KARAOKE = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
DANCE = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường"


@pytest.mark.parametrize(
    ("top", "step"), [(0, 1), (1, 1), (2, 1), (6, 1), (7, 2), (12, 2), (13, 5), (31, 10), (61, 20)]
)
def test_count_steps_are_whole_and_few(top: int, step: int) -> None:
    assert count_step(top) == step


def _ticks(axis: QValueAxis) -> list[float]:
    assert axis.tickType() is QValueAxis.TickType.TicksDynamic
    first, step = axis.tickAnchor(), axis.tickInterval()
    count = round((axis.max() - first) / step)
    return [first + i * step for i in range(count + 1)]


def test_late_bars_carry_the_code_and_the_axes_count_in_whole_numbers(
    supervisor_ctx: UiContext, qtbot: QtBot
) -> None:
    charts = DashboardCharts(supervisor_ctx)
    qtbot.addWidget(charts)
    late = [LateProcedure("1.001029", KARAOKE, 2), LateProcedure("1.001036", DANCE, 1)]
    months = [("2026-02", 1, 0, 0), ("2026-03", 0, 1, 1)]
    charts.show_data(ChartData(date(2026, 2, 1), date(2026, 3, 2), months, late))

    # Two names that share their first thirty characters no longer share one cut label.
    assert charts.late_axis.categories() == ["1.001036", "1.001029"]  # the most late on top
    assert charts.late_tooltip(1) == f"1.001029 – {KARAOKE}: 2"
    assert charts.late_tooltip(0) == f"1.001036 – {DANCE}: 1"
    for chart in (charts.late_chart, charts.on_time_chart):
        (values,) = [a for a in chart.axes() if isinstance(a, QValueAxis)]
        # Qt's nice numbers put ticks at 0, 0.5, 1, 1.5, 2, printed "0 0 1 1 2".
        assert _ticks(values) == [0.0, 1.0, 2.0]
        assert values.labelFormat() == "%d"
    charts.resize(900, 400)
    charts.show()
    charts.grab()  # laid out and drawn with these axes without a warning

    # Another period keeps the axes and changes their values: axes removed and made anew left
    # their old labels drawn under the new ones.
    axes = {chart: chart.axes() for chart in (charts.late_chart, charts.on_time_chart)}
    charts.show_data(ChartData(date(2026, 3, 1), date(2026, 3, 2), months[1:], late[:1]))
    for chart, before in axes.items():
        assert chart.axes() == before and len(before) == 2
    assert charts.late_axis.categories() == ["1.001029"]
    assert charts.on_time_axis.categories() == ["03/26"]
    charts.grab()
