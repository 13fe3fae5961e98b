"""Start-up: the screen check, and a signed-in session's lock, unlock and sign-out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk_app.services.context import Actor
from desk_app.store.engine import Database
from desk_app.ui import app
from desk_app.ui.bus import Change
from desk_app.ui.prefs import Prefs
from desk_app.ui.signin import SignInDialog


def test_no_screen_is_reported_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    problem = app.display_problem()
    assert problem is not None
    assert "Không tìm thấy màn hình" in problem
    assert "xvfb-run" in problem
    monkeypatch.setenv("DISPLAY", ":0")
    assert app.display_problem() is None
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.display_problem() is None


@pytest.fixture
def session(
    qapp: object, db: Database, officer: Actor, tmp_path: Path, qtbot: QtBot
) -> Iterator[app.Session]:
    prefs = Prefs(tmp_path / "prefs.ini")
    prefs.last_user = "canbo"
    running = app.Session(db, prefs, officer)
    qtbot.addWidget(running.window)
    running.window.show()
    yield running
    running.close()


def _answer_sign_in(qtbot: QtBot, username: str | None, password: str | None) -> list[str]:
    """Fill the next sign-in dialog (None: cancel it); returns what its heading said."""
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.heading.text())
        if username is None or password is None:
            dialog.reject()
            return
        dialog.username.setText(username)
        dialog.password.setText(password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    return seen


def test_lock_hides_the_files_until_someone_signs_in(session: app.Session, qtbot: QtBot) -> None:
    central = session.window.centralWidget()
    assert central is not None
    hidden_while_locked: list[bool] = []

    def peek() -> None:
        hidden_while_locked.append(central.isHidden())

    QTimer.singleShot(0, peek)
    seen = _answer_sign_in(qtbot, "lanhdao", "matkhau123")
    session.window.lock_requested.emit()
    assert hidden_while_locked == [True]
    assert len(seen) == 1
    assert session.ctx.actor.role == "supervisor"
    assert "Vi Đức Thắng" in session.window.user_label.text()
    assert not central.isHidden()
    assert session.idle.is_running()


def test_cancelling_the_sign_in_closes_the_window(session: app.Session, qtbot: QtBot) -> None:
    _answer_sign_in(qtbot, None, None)
    session.window.sign_out_requested.emit()
    assert not session.window.isVisible()


def test_idle_lock_follows_a_new_idle_time(session: app.Session) -> None:
    session.ctx.prefs.lock_minutes = 3
    session.ctx.bus.announce(Change.of("prefs"))
    assert session.idle.is_running()
    assert session.idle.interval_ms() == 3 * 60_000
    session.ctx.prefs.lock_minutes = 0
    session.ctx.bus.announce(Change.of("prefs"))
    assert not session.idle.is_running()
