"""Signing in with Enter, the core's message for a wrong password, unlocking, the idle lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desk_app.services import users
from desk_app.store.engine import Database
from desk_app.ui.bus import ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.signin import IdleLock, SignInDialog

# The offscreen platform cannot size or raise a dialog's native window; nothing is wrong here.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _dialog(
    qtbot: QtBot, db: Database, prefs: Prefs, locked_user: str | None = None
) -> SignInDialog:
    """The dialog on the test desk, its runner running jobs inline (the real worker thread is
    tests/ui/test_signin_thread.py's)."""
    ops = DbOps(db, OpRunner(synchronous=True), ChangeBus())
    dialog = SignInDialog(ops, prefs, locked_user=locked_user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_signs_in_and_remembers_the_user(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    prefs = Prefs(tmp_path / "p.ini")
    dialog = _dialog(qtbot, db, prefs)
    qtbot.keyClicks(dialog.username, "CanBo")
    qtbot.keyClicks(dialog.password, "matkhau123")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    actor = dialog.actor()
    assert actor is not None
    assert (actor.name, actor.role) == ("Nguyễn Thị Lan", "officer")
    assert prefs.last_user == "canbo"
    # Next time the user name is filled in and the cursor waits in the password field.
    again = _dialog(qtbot, db, prefs)
    assert again.username.text() == "canbo"
    assert again.focusWidget() is again.password


def test_wrong_password_shows_the_core_message_and_stays_open(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    dialog.username.setText("canbo")
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.actor() is None
    assert dialog.errors.message("password") == WRONG
    assert dialog.username.text() == "canbo"
    # Typing again clears the message.
    qtbot.keyClicks(dialog.password, "x")
    assert dialog.errors.message("password") == ""


def test_unknown_user_gets_the_same_message(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    dialog.username.setText("khongco")
    dialog.password.setText("matkhau123")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Enter)
    assert dialog.errors.message("password") == WRONG


def test_five_failures_make_the_next_attempt_wait_with_the_message_in_vietnamese(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    dialog.username.setText("canbo")
    for _ in range(users.FREE_FAILURES):
        dialog.password.setText("sai-mat-khau")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.errors.message("password") == WRONG
    # Counted in the database, so a new dialog (or a restarted program) waits as well; even
    # the right password is not checked during the wait.
    again = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    again.username.setText("canbo")
    again.password.setText("matkhau123")
    qtbot.keyClick(again.password, Qt.Key.Key_Return)
    assert again.actor() is None and again.isVisible()
    message = again.errors.message("password")
    assert message.startswith("Đăng nhập sai nhiều lần liên tiếp; hãy chờ ")
    assert "giây rồi thử lại" in message


def test_empty_user_name_is_asked_for(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    dialog.username.clear()
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.errors.message("username") == "Enter your user name."


def test_locked_mode_names_the_user_and_lets_another_sign_in(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"), locked_user="canbo")
    assert "Locked — signed in as canbo" in dialog.heading.text()
    assert dialog.username.text() == "canbo"
    dialog.username.setText("lanhdao")
    dialog.password.setText("matkhau123")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    actor = dialog.actor()
    assert actor is not None
    assert actor.role == "supervisor"


def test_idle_lock_fires_after_the_interval_without_input(qtbot: QtBot, tmp_path: Path) -> None:
    lock = IdleLock(Prefs(tmp_path / "p.ini"), interval_ms=50)
    with qtbot.waitSignal(lock.locked, timeout=2000):
        lock.start()
    assert not lock.is_running()  # fires once; the unlock starts it again


def test_idle_lock_waits_while_keys_are_pressed(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, db, Prefs(tmp_path / "p.ini"))
    lock = IdleLock(Prefs(tmp_path / "p.ini"), interval_ms=300)
    fired: list[bool] = []
    lock.locked.connect(lambda: fired.append(True))
    lock.start()
    for _ in range(8):  # 8 x 100 ms of typing: longer than the interval in all
        qtbot.keyClick(dialog.password, Qt.Key.Key_A)
        qtbot.wait(100)
    assert fired == []
    assert lock.is_running()
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    lock.stop()


def test_idle_lock_is_off_at_zero_minutes(qtbot: QtBot, tmp_path: Path) -> None:
    prefs = Prefs(tmp_path / "p.ini")
    prefs.lock_minutes = 0
    lock = IdleLock(prefs)
    lock.start()
    assert not lock.is_running()
    prefs.lock_minutes = 5
    lock.start()
    assert lock.is_running()
    assert lock.interval_ms() == 300_000
    lock.stop()
    assert not lock.is_running()
