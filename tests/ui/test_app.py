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
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.ops import OpRunner
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
    running = app.Session(_context(db, officer, prefs))
    qtbot.addWidget(running.window)
    running.window.show()
    yield running
    running.close()
    running.ctx.runner.shutdown()


def _context(db: Database, actor: Actor, prefs: Prefs) -> UiContext:
    """As run_gui builds it: the database's one runner (a real worker) and bus."""
    return UiContext(db=db, actor=actor, runner=OpRunner(), bus=ChangeBus(), prefs=prefs)


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


def test_the_status_bar_names_nobody_after_sign_out(session: app.Session, qtbot: QtBot) -> None:
    before = session.window.user_label.text()
    assert session.ctx.actor.name in before
    during: list[str] = []
    QTimer.singleShot(0, lambda: during.append(session.window.user_label.text()))
    _answer_sign_in(qtbot, "lanhdao", "matkhau123")
    session.window.sign_out_requested.emit()
    assert during == ["Signed out"]
    assert "Vi Đức Thắng" in session.window.user_label.text()
    assert before not in session.window.user_label.text()


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


def test_a_bug_in_a_slot_is_logged_and_shown_as_unexpected(
    qapp: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sys

    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    app.install_excepthook()
    try:
        raise KeyError("file id 7")
    except KeyError as exc:
        sys.excepthook(KeyError, exc, exc.__traceback__)
    assert shown == [
        "An unexpected error occurred. This action saved nothing; the details are in the log."
    ]
    assert "unexpected error" in caplog.text
    assert "file id 7" in caplog.text


def test_the_log_goes_to_the_data_folder(tmp_path: Path) -> None:
    import logging

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = app.setup_logging(tmp_path / "data")
        logging.getLogger("desk_app.test").warning("ghi nhật ký")
        for handler in root.handlers:
            handler.flush()
        assert "ghi nhật ký" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_alembic_s_steps_stay_in_the_log_file_and_httpx_says_only_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    root = logging.getLogger()
    before = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    try:
        path = app.setup_logging(tmp_path / "data")
        logging.getLogger("alembic.runtime.migration").info("Running upgrade 0001 -> 0002")
        logging.getLogger("alembic").warning("cảnh báo của alembic")
        logging.getLogger("httpx").info("HTTP Request: POST https://so.example/api")
        logging.getLogger("httpcore.connection").info("connect_tcp.started")
        logging.getLogger("httpx").warning("cảnh báo của httpx")
        logging.getLogger("desk_app.sync").info("đã gửi 3 bản tổng hợp")
        for handler in root.handlers:
            handler.flush()
        console = capsys.readouterr().err
        logged = path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert "Running upgrade 0001 -> 0002" in logged
    assert "Running upgrade" not in console
    assert "cảnh báo của alembic" in console
    assert "HTTP Request" not in logged + console and "connect_tcp" not in logged + console
    assert "cảnh báo của httpx" in console and "cảnh báo của httpx" in logged
    assert "đã gửi 3 bản tổng hợp" in console


def test_a_database_that_cannot_be_opened_is_reported(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(app.sys, "excepthook", app.sys.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    # The shared test application keeps its language, font and style (other tests read English).
    monkeypatch.setattr(app, "make_application", lambda _argv, _prefs: QApplication.instance())
    not_a_database = tmp_path / "desk.sqlite3"
    not_a_database.write_bytes(b"this is not SQLite" * 100)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert app.run_gui(not_a_database) == 1
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    assert len(shown) == 1
    assert str(not_a_database) in shown[0]
    assert not_a_database.read_bytes().startswith(b"this is not SQLite")


def test_the_start_undoes_an_import_that_was_killed_half_way(
    qapp: object, db: Database, officer: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    from datetime import datetime

    from sqlalchemy import select

    from desk_app.services import intake
    from desk_app.store.models import FileRecord, ImportBatch, ImportBatchFile

    now = datetime(2026, 3, 2, 10, 0)
    data = intake.IntakeInput("1.001029", intake.ApplicantInput(name="Người nộp 1"))
    with db.writer.begin() as s:
        written = intake.accept_file(s, data, officer, now=now)
        # What a killed `files import` leaves: a running batch, its files, nobody importing.
        batch = ImportBatch(source="so-giay.csv", state="running", rows_total=400, started_at=now)
        s.add(batch)
        s.flush()
        s.add(ImportBatchFile(file_id=written.id, batch_id=batch.id))

    def state() -> str:
        with db.reader.begin() as s:
            return str(s.scalar(select(ImportBatch.state)))

    running = app.Session(_context(db, officer, Prefs(tmp_path / "prefs.ini")))
    heard: list[Change] = []
    running.ctx.bus.changed.connect(heard.append)
    try:
        qtbot.addWidget(running.window)
        qtbot.waitUntil(lambda: state() == "rolled_back", timeout=10_000)
        # The window's lists hear that files went away (they refresh from the notice).
        qtbot.waitUntil(lambda: any(c.touches("files") for c in heard), timeout=10_000)
    finally:
        running.close()
        running.ctx.runner.shutdown()
    with db.reader.begin() as s:
        assert s.scalars(select(FileRecord.code)).all() == []


def test_the_first_sign_in_runs_on_the_runner_the_window_gets(
    qapp: object, db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    from desk_app.ui.dbops import DbOps

    runner = OpRunner()
    ops = DbOps(db, runner, ChangeBus())
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)
    try:
        seen = _answer_sign_in(qtbot, "canbo", "matkhau123")
        actor = app.first_actor(ops, Prefs(tmp_path / "prefs.ini"))
    finally:
        runner.shutdown()
    assert seen == ["One-stop desk: sign in"]
    assert actor is not None and actor.name == "Nguyễn Thị Lan"
    # Two jobs, one after the other: the set-up state read, then the sign-in's write.
    assert busy == [True, False, True, False]


def test_a_new_desk_gets_the_wizard_from_the_same_runner(
    qapp: object, empty_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    from desk_app.ui.dbops import DbOps
    from desk_app.ui.wizard import SetupWizard

    runner = OpRunner()
    opened: list[str] = []

    def cancel() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, SetupWizard):
            QTimer.singleShot(20, cancel)
            return
        opened.append(wizard.currentPage().objectName())
        wizard.reject()

    QTimer.singleShot(0, cancel)
    try:
        actor = app.first_actor(DbOps(empty_db, runner, ChangeBus()), Prefs(tmp_path / "p.ini"))
    finally:
        runner.shutdown()
    assert actor is None
    assert opened == ["identityPage"]
