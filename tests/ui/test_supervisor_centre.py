"""The supervisor's window in a centre: a scope chooser over the watch and the statistics (one
agency or the whole centre), more groupings; a solo desk's window as it always was."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from desk_app.services import lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import Scope
from desk_app.services.statistics import GroupBy
from desk_app.store.engine import Database
from desk_app.ui.context import UiContext
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.centre_data import COPY, JUSTICE, KARAOKE, accept, add_justice, desks
from tests.ui.at_the_desk import as_at_the_desk
from tests.ui.conftest import make_ui_context

# The window tests live at Monday 2 March 2026, 10:00. The first agency warns one working day
# before a due, the second (Sở Tư pháp) three.
FILES = (
    # agency, procedure, received        due (5 or 3 working days)   at NOW
    (1, KARAOKE, datetime(2026, 2, 23, 8, 0)),  # Mon 2/3 08:00   overdue
    (1, KARAOKE, datetime(2026, 2, 24, 9, 0)),  # Tue 3/3 09:00   due soon
    (1, KARAOKE, datetime(2026, 2, 25, 9, 0)),  # Wed 4/3 09:00   not yet (one day's warning)
    (1, KARAOKE, datetime(2026, 2, 24, 10, 0)),  # paused below
    (JUSTICE, KARAOKE, datetime(2026, 2, 23, 9, 0)),  # Mon 2/3 09:00   overdue
    (JUSTICE, KARAOKE, datetime(2026, 2, 25, 9, 0)),  # Wed 4/3 09:00   due soon (three days)
    (JUSTICE, COPY.code, datetime(2026, 2, 27, 9, 0)),  # Wed 4/3 09:00  due soon
)
# (overdue, due soon, paused) per chooser entry.
EXPECTED = {None: (2, 3, 1), 1: (1, 1, 1), JUSTICE: (1, 2, 0)}


@pytest.fixture
def centre_ctx(
    qapp: object, db: Database, officer: Actor, supervisor: Actor, tmp_path: Path
) -> UiContext:
    add_justice(db)
    who = desks(db, officer, supervisor)
    codes = []
    for i, (agency, procedure, received) in enumerate(FILES):
        actor = who.justice if agency == JUSTICE else who.first_counter
        codes.append(accept(db, actor, procedure, received, f"Nguyễn Văn {chr(65 + i)}", agency))
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(codes[3]), "Thiếu bản sao", officer, now=datetime(2026, 2, 25, 9)
        )
    boss = dataclasses.replace(supervisor, agencies=frozenset({1, JUSTICE}))
    return make_ui_context(db, boss, tmp_path)


def _counts(window: SupervisorWindow) -> tuple[int, int, int]:
    found = window.dashboard.watch
    assert found is not None
    return found.overdue_total, found.due_soon_total, found.paused_total


def test_the_scope_chooser_switches_the_watch_and_the_statistics(
    centre_ctx: UiContext, qtbot: QtBot
) -> None:
    window = SupervisorWindow(centre_ctx)
    qtbot.addWidget(window)
    window.show()
    combo = window.findChild(QComboBox, "scopeCombo")
    assert combo is not None and combo.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Whole centre",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Sở Tư pháp",
    ]
    assert _counts(window) == EXPECTED[None]
    stats = window.statistics
    stats.set_dates(datetime(2026, 2, 1).date(), datetime(2026, 3, 2).date())
    stats.set_group_by(GroupBy.AGENCY)
    stats.compute()
    assert stats.report is not None and len(stats.report.rows) == 2
    assert stats.report.total.received_total == len(FILES)
    for agency in (JUSTICE, 1, None):
        window.set_agency(agency)
        assert _counts(window) == EXPECTED[agency], agency
        listed = [r.agency for r in window.dashboard.watch.overdue]  # type: ignore[union-attr]
        assert listed == ([1, JUSTICE] if agency is None else [agency])
        # Each agency's own warning names the list; the whole centre's two differ.
        soon = {None: "Due soon", 1: "Due within one working day", JUSTICE: "Due within 3 "}
        assert window.dashboard.lists.tabText(1).startswith(soon[agency])
        # The statistics follow, computed again at once for the report on show.
        report = stats.report
        assert report is not None
        assert report.scope == (centre_ctx.scope if agency is None else Scope.of({agency}))
        own = sum(1 for a, _, _ in FILES if agency is None or a == agency)
        assert report.total.received_total == own
    # Every grouping of the centre is offered; the totals do not move with it.
    groups = [stats.group_combo.itemData(i) for i in range(stats.group_combo.count())]
    assert groups == [str(g) for g in GroupBy]
    totals = set()
    for by in GroupBy:
        stats.set_group_by(by)
        stats.compute()
        assert stats.report is not None
        totals.add(stats.report.total)
    assert len(totals) == 1
    stats.set_group_by(GroupBy.COUNTER)
    stats.compute()
    assert stats.report is not None
    assert [r.label for r in stats.report.rows] == ["Quầy 1", "Quầy 5"]
    assert stats.model.headerData(1, stats.header.orientation()) == "Counter"


def test_a_solo_desk_has_no_chooser(supervisor_ctx: UiContext, qtbot: QtBot) -> None:
    window = SupervisorWindow(supervisor_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.agencies is not None and window.agencies.count == 1
    assert window.centralWidget() is window.tabs
    assert window.findChild(QComboBox, "scopeCombo") is None  # not in the window at all
    group = window.statistics.group_combo
    assert [group.itemData(i) for i in range(group.count())] == ["field", "procedure"]


def test_screenshot_of_the_centre_window_at_1366x768(
    centre_ctx: UiContext,
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with as_at_the_desk(qapp, tmp_path, monkeypatch):
        window = SupervisorWindow(centre_ctx)
        qtbot.addWidget(window)
        window.show()
        window.resize(1366, 768)
        window.set_agency(JUSTICE)
        qtbot.waitUntil(lambda: window.width() == 1366)
        QApplication.processEvents()
        combo = window.findChild(QComboBox, "scopeCombo")
        assert combo is not None
        assert combo.itemText(0) == "Toàn trung tâm"
        assert combo.currentText() == "Sở Tư pháp"
        assert combo.width() >= combo.sizeHint().width()
        assert window.dashboard.lists.tabText(1) == "Đến hạn trong 3 ngày làm việc (2)"
        shot = window.grab()
        path = tmp_path / "supervisor-centre-1366x768.png"
        assert shot.save(str(path))
        assert (shot.width(), shot.height()) == (1366, 768)
        # The statistics of the whole centre by counter, for the eye (not compared).
        window.set_agency(None)
        window.tabs.setCurrentIndex(1)
        window.statistics.set_dates(datetime(2026, 2, 1).date(), datetime(2026, 3, 2).date())
        window.statistics.set_group_by(GroupBy.COUNTER)
        window.statistics.compute()
        QApplication.processEvents()
        assert window.statistics.model.headerData(1, window.statistics.header.orientation()) == (
            "Quầy"
        )
        assert window.grab().save(str(tmp_path / "statistics-centre.png"))
