"""The supervisor's queue page (issue 16): the tickets of the period per group and officer with
the waiting and service minutes counted by hand, the chart, the out-of-date note, the exports
read back; its tab in the supervisor window after the satisfaction page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.services import tickets
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.queue_model import LEVEL_ROLE, VALUE_ROLE
from desk_app.ui.queue_view import QueueView
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.ui.period_pages import (
    compute,
    export,
    export_pdf,
    no_error_box,  # noqa: F401 (autouse fixture)
    sheet_rows,
)

DAY = date(2026, 3, 2)
LAN = "Nguyễn Thị Lan"


def _at(hour: int, minute: int) -> datetime:
    return datetime.combine(DAY, datetime.min.time()).replace(hour=hour, minute=minute)


@pytest.fixture
def hall(ui_ctx: UiContext) -> None:
    """By hand, group A on 2 March 2026 at Lan's counter:
    A001 issued 08:00, called 08:10, served when the next is called at 08:30 (waited 10,
    served in 20); A002 issued 08:05, called 08:30 (waited 25), skipped 08:32; A003 issued
    08:20, never called. And one ticket the day before, outside the period."""
    lan = replace(ui_ctx.actor, counter="Quầy 1")
    with ui_ctx.db.writer.begin() as s:
        a = tickets.groups(s)[0].id
        tickets.issue_ticket(s, a, _at(8, 0) - timedelta(days=1))
        for minute in (0, 5, 20):
            tickets.issue_ticket(s, a, _at(8, minute))
        tickets.call_next(s, lan, [a], _at(8, 10))
        second = tickets.call_next(s, lan, [a], _at(8, 30))
        assert second is not None
        tickets.skip(s, second.id, lan, _at(8, 32))


def _view(ctx: UiContext, qtbot: QtBot) -> QueueView:
    view = QueueView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 640)
    view.set_dates(DAY, DAY)
    return view


def _rows(view: QueueView) -> list[tuple[object, ...]]:
    m = view.model
    return [
        tuple(m.index(r, c).data() for c in range(m.columnCount())) for r in range(m.rowCount())
    ]


def test_the_period_is_counted_by_group_and_officer_as_by_hand(
    ui_ctx: UiContext, qtbot: QtBot, hall: None, qtmodeltester: ModelTester
) -> None:
    view = _view(ui_ctx, qtbot)
    qtmodeltester.check(view.model)
    view.compute()
    assert _rows(view) == [
        ("A – Tiếp nhận và trả kết quả", "3", "1", "1", "17.5", "25.0", "20.0", "20.0"),
        (f"    {LAN}", "", "1", "1", "17.5", "25.0", "20.0", "20.0"),
        ("Total", "3", "1", "1", "17.5", "25.0", "20.0", "20.0"),
    ]
    m = view.model
    assert [m.index(r, 0).data(LEVEL_ROLE) for r in range(3)] == ["group", "officer", "total"]
    assert m.index(0, 4).data(VALUE_ROLE) == pytest.approx(17.5)
    assert m.index(1, 1).data(VALUE_ROLE) is None  # a ticket is nobody's until called
    assert view.summary_label.text() == (
        "From 02/03/2026 to 02/03/2026. 3 tickets issued, 1 served, 1 skipped, 1 not called; "
        "mean wait 17.5 min, mean service 20.0 min."
    )
    assert [s.label() for s in view.series.barSets()] == ["Service", "Waiting"]
    assert view.series.barSets()[1].at(0) == pytest.approx(17.5)
    qtmodeltester.check(view.model)

    # A ticket issued at a kiosk: the figures on show are out of date.
    view.show()
    view.ctx.bus.announce(Change.of("tickets"))
    assert view.stale_label.isVisible()
    view.set_dates(DAY + timedelta(days=1), DAY + timedelta(days=1))
    view.compute()
    assert view.summary_label.text().endswith("No ticket was issued in this period.")
    assert _rows(view) == [("Total", "0", "0", "0", "—", "—", "—", "—")]


def test_the_exports_write_the_table(
    ui_ctx: UiContext,
    qtbot: QtBot,
    hall: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    view = _view(ui_ctx, qtbot)
    compute(view)
    offered, text = export_pdf(view, tmp_path / "hang-doi", qtbot, monkeypatch)
    assert offered == ["hang-doi-2026-03-02-2026-03-02.pdf"]
    assert "THỜI GIAN CHỜ VÀ THỜI GIAN PHỤC VỤ" in text
    assert "1 A – Tiếp nhận và trả kết quả 3 1 1 17,5 25,0 20,0 20,0" in text
    assert f"– {LAN} 1 1 17,5 25,0 20,0 20,0" in text
    assert "Tổng cộng 3 1 1 17,5 25,0 20,0 20,0" in text
    assert "không được gọi (người dân không chờ, hết giờ làm việc): 1" in text

    export(view.xlsx_button, tmp_path / "hang-doi.xlsx", qtbot, monkeypatch)
    rows = sheet_rows(tmp_path / "hang-doi.xlsx")
    body = [r[:9] for r in rows if r[1] and str(r[1]).startswith(("A –", "– ", "Tổng"))]
    assert body == [
        (1, "A – Tiếp nhận và trả kết quả", 3, 1, 1, 17.5, 25.0, 20.0, 20.0),
        (None, f"– {LAN}", None, 1, 1, 17.5, 25.0, 20.0, 20.0),
        (None, "Tổng cộng", 3, 1, 1, 17.5, 25.0, 20.0, 20.0),
    ]


def test_the_supervisor_window_has_the_tab_after_satisfaction(
    ui_ctx: UiContext, qtbot: QtBot, hall: None
) -> None:
    window = SupervisorWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.queue) == window.tabs.indexOf(window.satisfaction) + 1
    assert window.tabs.tabText(window.tabs.indexOf(window.queue)) == "Queue"
    assert window.queue.report is None  # nothing counted while the tab is not shown
    window.show()
    window.tabs.setCurrentWidget(window.queue)
    qtbot.waitUntil(lambda: window.queue.report is not None, timeout=2000)
    assert window.queue.report.total.issued == 4  # the clock's quarter: 1 and 2 March
