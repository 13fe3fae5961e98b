"""Issue 13: signing in checks the password off the GUI thread, and the dialog says it is busy.

The real dialog on the real worker thread, on its own connection to the test desk, while another
process holds SQLite's write lock (so the attempt's write waits about a second): the scrypt
check and every statement run on the worker, a 10 ms timer on the GUI thread keeps ticking,
past 300 ms the dialog shows that it is checking, and the answer arrives once the lock goes.
The GUI-thread probes are tests/ui/test_gui_thread.py's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desk_app.services import users
from desk_app.store.engine import Database, open_database
from desk_app.ui.bus import ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.signin import SignInDialog
from tests.ui.lock_holder import LockHolder
from tests.ui.test_gui_thread import GUI_BUDGET_S, HOLD_S, Executes, Ticks

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@dataclass
class Live:
    db: Database
    runner: OpRunner
    ops: DbOps


@pytest.fixture
def live(qapp: object, db: Database) -> Iterator[Live]:
    """The runner as run_gui makes it before the sign-in: a real worker, its own connection."""
    window_db = open_database(db.path)
    runner = OpRunner()
    yield Live(window_db, runner, DbOps(window_db, runner, ChangeBus()))
    runner.shutdown()
    window_db.dispose()


@pytest.fixture
def checked_on(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The threads the password hashes were checked on."""
    threads: list[int] = []
    real = users.verify_password

    def verify(password: str, stored: str) -> bool:
        threads.append(threading.get_ident())
        return real(password, stored)

    monkeypatch.setattr(users, "verify_password", verify)
    return threads


def _dialog(qtbot: QtBot, ops: DbOps, tmp_path: Path) -> SignInDialog:
    dialog = SignInDialog(ops, Prefs(tmp_path / "p.ini"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_password_is_checked_on_the_worker_while_the_dialog_stays_responsive(
    qtbot: QtBot, live: Live, checked_on: list[int], tmp_path: Path
) -> None:
    gui = threading.get_ident()
    dialog = _dialog(qtbot, live.ops, tmp_path)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.username.setText("canbo")
    qtbot.keyClicks(dialog.password, "matkhau123")
    executes = Executes(live.db)
    ticks = Ticks()
    seen_busy: list[tuple[bool, bool, bool]] = []
    holder = LockHolder(live.db.path)
    locked_at = time.perf_counter()
    ticks.start()
    try:
        # Peek half-way through the wait: the busy note is up, Sign in is off, the fields wait.
        QTimer.singleShot(
            int(HOLD_S * 600),
            lambda: seen_busy.append(
                (dialog.busy.is_shown(), ok.isEnabled(), dialog.password.isReadOnly())
            ),
        )
        QTimer.singleShot(int(HOLD_S * 1000), holder.let_go)
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
            assert dialog.is_checking()  # Enter returned at once: the check is on its way
    finally:
        holder.release()
        ticks.timer.stop()
        executes.remove()
    waited = time.perf_counter() - locked_at
    let_go_at = holder.let_go_at
    assert let_go_at is not None

    actor = dialog.actor()
    assert actor is not None and actor.name == "Nguyễn Thị Lan"
    assert checked_on and gui not in checked_on
    assert executes.seen, "the sign-in ran no statement"
    assert [stmt for thread, _took, stmt in executes.seen if thread == gui] == []
    assert waited >= HOLD_S * 0.9  # the attempt's write really met the lock
    assert seen_busy == [(True, False, True)]
    assert not dialog.busy.is_shown()  # gone with the answer
    assert ticks.longest(locked_at, let_go_at) < GUI_BUDGET_S


def test_a_wrong_password_from_the_worker_keeps_the_field_with_the_message(
    qtbot: QtBot, live: Live, checked_on: list[int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, live.ops, tmp_path)
    dialog.username.setText("canbo")
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.is_checking(), timeout=20_000)
    assert threading.get_ident() not in checked_on
    assert dialog.isVisible() and dialog.actor() is None
    assert dialog.errors.message("password") == WRONG
    # The password stays, selected, with the cursor in it: typing replaces it.
    assert dialog.password.text() == "sai-mat-khau"
    assert dialog.password.selectedText() == "sai-mat-khau"
    assert not dialog.password.isReadOnly()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert dialog.focusWidget() is dialog.password


def test_closing_the_dialog_during_the_check_is_not_undone_by_its_answer(
    qtbot: QtBot, live: Live, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, live.ops, tmp_path)
    dialog.username.setText("canbo")
    dialog.password.setText("matkhau123")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        dialog.reject()
    qtbot.waitUntil(lambda: not live.runner.busy, timeout=20_000)
    assert dialog.actor() is None
    assert not dialog.isVisible()
