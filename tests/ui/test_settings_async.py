"""Issue 13: the Settings dialog saves on the worker thread, once per click, and keeps what was
typed when a save fails.

Another process really holds SQLite's write lock while a tab saves; every statement the
engine runs is recorded with its thread (tests/ui/test_gui_thread.py's helpers).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from desk_app.services import desk, users
from desk_app.services.context import Actor
from desk_app.store.engine import Database, open_database
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.busy import BusyBox
from desk_app.ui.context import UiContext
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.settings.users import UserDialog
from tests.ui.lock_holder import LockHolder
from tests.ui.test_gui_thread import HOLD_S, NOW, Executes, Ticks
from tests.ui.test_settings import admin_ctx, idle

__all__ = ["admin_ctx"]  # the administrator with a real worker thread, as in test_settings

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)
BUSY = "Cơ sở dữ liệu đang bận"


@pytest.fixture
def impatient_ctx(
    qapp: object, db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[UiContext]:
    """The administrator on a connection that gives up on a held lock after 0.3 s."""
    monkeypatch.setattr("desk_app.sqlite_engine.BUSY_TIMEOUT_MS", 300)
    quick = open_database(db.path)
    runner = OpRunner()
    yield UiContext(
        db=quick,
        actor=admin,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    runner.shutdown()
    quick.dispose()


def _settings(qtbot: QtBot, ctx: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    idle(qtbot, ctx)
    return dialog


def _changes(ctx: UiContext) -> list[Change]:
    seen: list[Change] = []
    ctx.bus.changed.connect(seen.append)
    return seen


def _give_up_when_busy(qtbot: QtBot, ctx: UiContext) -> None:
    """Wait for the runner's «database is busy» box and close it without trying again."""
    boxes: list[BusyBox] = []
    ctx.runner.busy_prompted.connect(boxes.append)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    boxes[0].cancel_button.click()
    idle(qtbot, ctx)


def test_a_double_clicked_save_under_a_held_lock_writes_once_on_the_worker(
    qtbot: QtBot, admin_ctx: UiContext
) -> None:
    gui = threading.get_ident()
    seen = _changes(admin_ctx)
    settings = _settings(qtbot, admin_ctx)
    tab = settings.desk_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.edits["place_name"].setText("Thành phố Lạng Sơn")
    tab.edits["office_hours"].setText("07:30-11:30,13:30-17:00")  # previewed, then saved
    executes = Executes(admin_ctx.db)
    ticks = Ticks()
    holder = LockHolder(admin_ctx.db.path)
    try:
        started = time.perf_counter()
        ticks.start()
        tab.save_button.click()
        assert not tab.save_button.isEnabled()
        assert not tab.revert_button.isEnabled()
        tab.save_button.click()  # the second click of a double click
        tab._on_save_clicked()  # and one that would reach the slot anyway
        settings.reject()  # Esc or Close while it saves: the outcome must be seen
        assert settings.isVisible()
        tab.edits["phone"].setText("0205 3870 123")  # typed while it saves: kept, not sent
        QTimer.singleShot(int(HOLD_S * 1000), holder.let_go)
        qtbot.waitUntil(lambda: tab.notice.text() == "Saved.", timeout=20_000)
        waited = time.perf_counter() - started
        idle(qtbot, admin_ctx)
    finally:
        holder.release()
        ticks.timer.stop()
        executes.remove()
    let_go_at = holder.let_go_at
    assert let_go_at is not None

    on_gui = [stmt for thread, _took, stmt in executes.seen if thread == gui]
    updates = [stmt for _t, _took, stmt in executes.seen if stmt.startswith("UPDATE desk_settings")]
    assert on_gui == []
    assert len(updates) == 1  # one write for three clicks
    assert waited >= HOLD_S * 0.9  # the save really met the lock ...
    assert max(took for _t, took, _s in executes.seen) >= HOLD_S * 0.8  # ... on the worker
    # The GUI thread went on ticking while the save waited for the lock.
    assert len([1 for at, _gap in ticks.gaps if at <= let_go_at]) >= 40
    assert [c.kinds for c in seen] == [frozenset({"settings"})]
    assert seen[0].origin is tab  # the runner's notice, stamped with the tab
    assert tab.save_button.isEnabled()
    assert tab.edits["phone"].text() == "0205 3870 123"
    settings.reject()
    assert not settings.isVisible()
    with admin_ctx.db.reader.begin() as s:
        saved = desk.get_settings(s)
    assert (saved.place_name, saved.office_hours, saved.phone) == (
        "Thành phố Lạng Sơn",
        "07:30-11:30,13:30-17:00",
        "",
    )


def test_a_failed_desk_save_keeps_what_was_typed(qtbot: QtBot, impatient_ctx: UiContext) -> None:
    seen = _changes(impatient_ctx)
    settings = _settings(qtbot, impatient_ctx)
    tab = settings.desk_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.edits["place_name"].setText("Thành phố Lạng Sơn")
    tab.edits["phone"].setText("0205 3870 123")
    holder = LockHolder(impatient_ctx.db.path)
    try:
        tab.save_button.click()
        _give_up_when_busy(qtbot, impatient_ctx)
    finally:
        holder.release()
    assert tab.general_error.text().startswith(BUSY)
    assert tab.general_error.isVisible()
    assert tab.edits["place_name"].text() == "Thành phố Lạng Sơn"
    assert tab.edits["phone"].text() == "0205 3870 123"
    assert tab.save_button.isEnabled()
    assert seen == []
    with impatient_ctx.db.reader.begin() as s:
        assert desk.get_settings(s).place_name == "Lạng Sơn"

    tab.save_button.click()  # the lock is gone: the same values save
    idle(qtbot, impatient_ctx)
    assert tab.notice.text() == "Saved."
    assert not tab.general_error.isVisible()
    with impatient_ctx.db.reader.begin() as s:
        assert desk.get_settings(s).place_name == "Thành phố Lạng Sơn"


def test_a_failed_user_save_keeps_the_dialog_and_what_was_typed(
    qtbot: QtBot, impatient_ctx: UiContext
) -> None:
    settings = _settings(qtbot, impatient_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, UserDialog)
    typed = {
        "username": "ngothihoa",
        "full_name": "Ngô Thị Hoa",
        "password": "matkhau123",
        "password2": "matkhau123",
    }
    for name, value in typed.items():
        widget = dialog.widgets[name]
        assert isinstance(widget, QLineEdit)
        widget.setText(value)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    holder = LockHolder(impatient_ctx.db.path)
    try:
        ok.click()
        assert not ok.isEnabled()
        dialog.reject()  # Esc while it saves: the dialog stays, or the outcome would be unseen
        assert tab.dialog is dialog
        _give_up_when_busy(qtbot, impatient_ctx)
    finally:
        holder.release()
    assert tab.dialog is dialog and dialog.isVisible()
    assert dialog.general.text().startswith(BUSY)
    assert {name: v for name, v in dialog.values().items() if name != "role"} == typed
    assert ok.isEnabled()

    ok.click()
    idle(qtbot, impatient_ctx)
    assert tab.dialog is None
    assert tab.notice.text() == "User ngothihoa added."
    with impatient_ctx.db.reader.begin() as s:
        assert users.sign_in(s, "ngothihoa", "matkhau123").name == "Ngô Thị Hoa"
