"""The dashboard's charts (issue 13): whole-number count axes, bars labelled by procedure code,
every bar's label drawn at a 1366×768 screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView, QValueAxis
from PySide6.QtWidgets import QApplication, QGraphicsTextItem
from pytestqt.qtbot import QtBot

from desk_app.services.watch import LateProcedure
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import ChartData, DashboardCharts, count_step
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.ui.at_the_desk import as_at_the_desk

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


def _drawn_labels(view: QChartView) -> list[str]:
    """The texts of the chart's labels that Qt Charts shows (it hides a label that would
    overlap the one before)."""
    texts = []
    for item in view.scene().items():
        thing = item.toGraphicsObject()
        if isinstance(thing, QGraphicsTextItem) and item.isVisible():
            texts.append(thing.toPlainText())
    return texts


@pytest.fixture
def at_the_desk(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    with as_at_the_desk(qapp, tmp_path, monkeypatch):
        yield


def test_every_bar_is_labelled_at_1366x768(
    supervisor_ctx: UiContext, qtbot: QtBot, at_the_desk: None
) -> None:
    window = SupervisorWindow(supervisor_ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    charts = window.dashboard.charts
    # A year of a busy desk: late files in fifteen procedures, twelve months of settled files.
    late = [LateProcedure(f"1.0010{i:02d}", f"Thủ tục số {i}", 20 - i) for i in range(15)]
    months = [(f"2025-{m:02d}", m, 2, 1) for m in range(4, 13)] + [
        (f"2026-{m:02d}", 3, 2, 1) for m in range(1, 4)
    ]
    charts.show_data(ChartData(date(2025, 4, 1), date(2026, 3, 2), months, late))

    def labelled() -> None:
        drawn = _drawn_labels(charts.late_view)
        categories = charts.late_axis.categories()
        assert [c for c in categories if c not in drawn] == []
        assert set(charts.on_time_axis.categories()) <= set(_drawn_labels(charts.on_time_view))

    qtbot.waitUntil(labelled)
    # Beside the charts, the count tabs side by side without scroll arrows.
    bar = window.dashboard.counts.tabBar()
    assert bar.sizeHint().width() <= bar.width()
    categories = charts.late_axis.categories()
    assert len(categories) >= 6  # the chart is not just one "Other" bar
    assert len(categories) < len(late)  # fifteen labels do not fit there
    # The most late on top, each by its code; the ones left over summed in the bottom bar,
    # named in its tooltip: no procedure is dropped and no count lost.
    rest = len(late) - (len(categories) - 1)
    assert categories[0] == f"Khác ({rest})"
    assert categories[:0:-1] == [p.code for p in late[: len(categories) - 1]]
    (bars,) = charts.late_series.barSets()
    assert bars.at(0) == sum(p.count for p in late[-rest:])
    assert charts.late_tooltip(0).splitlines() == [
        f"{p.code} – {p.name}: {p.count}" for p in late[-rest:]
    ]
    assert charts.late_tooltip(1) == f"{late[len(categories) - 2].code} – " + (
        f"{late[len(categories) - 2].name}: {late[len(categories) - 2].count}"
    )

    # On a full-HD screen there is room for all fifteen, each with its label.
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: len(charts.late_axis.categories()) == len(late))
    qtbot.waitUntil(labelled)
