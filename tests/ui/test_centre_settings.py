"""Centre mode in the window: the server saved per machine (password outside the database and
the preferences), the window opened on it, the first-run wizard on an empty server database, a
server out of reach, and the status bar naming the server without the password."""

from __future__ import annotations

import logging
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from desk_app.services import users
from desk_app.store.engine import Database, open_database
from desk_app.store.server_login import PasswordStore, ServerLogin
from desk_app.ui import app
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import DbOps
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.settings.machine import MachineTab
from desk_app.ui.wizard import SetupWizard, read_setup_state
from tests.pg_server import PgServer
from tests.ui.conftest import make_ui_context
from tests.unit.store.test_backup_server import fill

PASSWORD = "Mật-khẩu-máy-chủ-7"


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user folders (data, settings, secrets) kept in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DESK_SECRETS_DIR", str(tmp_path / "secrets"))
    return tmp_path


@pytest.fixture
def server_db(pg_server: PgServer) -> Iterator[str]:
    """A new empty database on the test server (no desk in it yet)."""
    url = pg_server.new_database(prefix="ui")
    yield url
    pg_server.drop_database(url)


def login_of(url: str) -> ServerLogin:
    parsed = make_url(url)
    return ServerLogin(
        host=str(parsed.query["host"]),
        database=str(parsed.database),
        user=str(parsed.username),
        sslmode="disable",
    )


@pytest.fixture
def run_window(homes: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """run_gui up to the sign-in: the label of each database it reached."""
    monkeypatch.setattr(app.sys, "excepthook", app.sys.excepthook)
    monkeypatch.setattr(app, "make_application", lambda _argv, _prefs: QApplication.instance())
    reached: list[str] = []

    def first_actor(ops: DbOps, _prefs: Prefs, _database: str = "") -> None:
        reached.append(ops._db.label)

    monkeypatch.setattr(app, "first_actor", first_actor)
    root = logging.getLogger()
    before = list(root.handlers)
    yield reached
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_the_server_saved_on_this_computer_is_opened_at_the_next_start(
    qtbot: QtBot, admin_ctx: UiContext, homes: Path, server_db: str, run_window: list[str]
) -> None:
    tab = MachineTab(admin_ctx)
    qtbot.addWidget(tab)
    login = login_of(server_db)
    tab.server_host.setText(login.host)
    tab.server_database.setText(login.database)
    tab.server_user.setText(login.user)
    tab.server_tls.setCurrentIndex(tab.server_tls.findData("disable"))
    tab.server_password.setText(PASSWORD)
    tab.server_save.click()
    assert "from the next start" in tab.server_note.text()
    assert tab.server_password.text() == ""
    assert tab.server_password.placeholderText().startswith("saved")

    assert admin_ctx.prefs.centre_login() == login
    # The password: in the user's secret folder, owner-only, not in the preferences file nor in
    # the database.
    kept = list((homes / "secrets").glob("centre-password-*.bin"))
    assert len(kept) == 1
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert PASSWORD.encode() not in kept[0].read_bytes()  # not as typed (base64 / DPAPI)
    assert PasswordStore().load(login) == PASSWORD
    ini = admin_ctx.prefs.path.read_bytes()
    assert login.host.encode() in ini
    assert PASSWORD.encode() not in ini and "Mật-khẩu".encode() not in ini
    assert admin_ctx.db.path is not None
    with closing(sqlite3.connect(admin_ctx.db.path)) as conn:
        dump = "\n".join(conn.iterdump())
    assert PASSWORD not in dump

    # The window started without --db, with this computer's preferences, opens the server.
    admin_ctx.prefs.path.parent.mkdir(parents=True, exist_ok=True)
    home_prefs = Prefs()
    home_prefs.set_centre_login(login)
    home_prefs.sync()
    assert app.saved_server(home_prefs) == login.url(PASSWORD)
    assert app.run_gui() == 0
    assert run_window == [app.redacted(login.url(PASSWORD))]
    assert PASSWORD not in run_window[0]

    # Back to this computer's own file.
    tab.server_forget.click()
    assert admin_ctx.prefs.centre_login() is None
    assert not list((homes / "secrets").glob("centre-password-*.bin"))


def test_checking_the_connection_says_what_the_server_holds(
    qtbot: QtBot, admin_ctx: UiContext, homes: Path, server_db: str
) -> None:
    tab = MachineTab(admin_ctx)
    qtbot.addWidget(tab)
    login = login_of(server_db)
    tab.server_host.setText(login.host)
    tab.server_database.setText(login.database)
    tab.server_user.setText(login.user)
    tab.server_tls.setCurrentIndex(tab.server_tls.findData("disable"))
    tab.server_check.click()  # the runner of the tests works inline
    assert tab.server_note.text() == (
        "Connected. The database is empty: the window sets it up at its first start."
    )
    open_database(server_db).dispose()  # migrated
    tab.server_check.click()
    assert tab.server_note.text().startswith("Connected. The database holds a desk's register")
    assert admin_ctx.prefs.centre_login() is None  # checking saves nothing

    tab.server_host.setText("127.0.0.1")
    tab.server_port.setValue(1)
    tab.server_password.setText(PASSWORD)
    tab.server_check.click()
    note = tab.server_note.text()
    assert note.startswith("Không kết nối được máy chủ cơ sở dữ liệu")
    assert PASSWORD not in note and tab.server_check.isEnabled()


def test_an_incomplete_server_is_refused_in_words(qtbot: QtBot, admin_ctx: UiContext) -> None:
    tab = MachineTab(admin_ctx)
    qtbot.addWidget(tab)
    tab.server_host.setText("csdl.trungtam.lan")
    tab.server_database.setText("  ")
    tab.server_save.click()
    assert tab.server_note.text() == "Cần tên cơ sở dữ liệu."
    assert admin_ctx.prefs.centre_login() is None


def test_only_an_administrator_sets_the_server(qtbot: QtBot, ui_ctx: UiContext) -> None:
    tab = MachineTab(ui_ctx)
    qtbot.addWidget(tab)
    assert not tab.server_host.isEnabled() and not tab.server_save.isEnabled()
    assert not tab.server_box.isVisibleTo(tab) and tab.server_note.isVisibleTo(tab)
    assert tab.server_note.text() == "none: this computer's own database file"
    assert tab.open_now.text() == str(ui_ctx.db.path)
    assert tab.language.isEnabled()


def test_the_window_opens_a_server_given_as_db(run_window: list[str], server_db: str) -> None:
    password_url = make_url(server_db).set(password=PASSWORD).render_as_string(hide_password=False)
    assert app.run_gui(password_url) == 0
    assert run_window == [app.redacted(password_url)]
    assert "***" in run_window[0] and PASSWORD not in run_window[0]


def test_an_unreachable_server_says_what_to_do_and_retries(
    qtbot: QtBot, run_window: list[str], homes: Path
) -> None:
    shown: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "serverUnreachable":
            QTimer.singleShot(20, answer)
            return
        shown.append((box.text(), box.informativeText()))
        if len(shown) == 1:
            box.grab().save(str(homes / "unreachable.png"))
            box.button(QMessageBox.StandardButton.Retry).click()
            QTimer.singleShot(20, answer)
        else:
            box.button(QMessageBox.StandardButton.Close).click()

    QTimer.singleShot(20, answer)
    assert app.run_gui("postgresql+psycopg://desk:Bi-mat-99@127.0.0.1:1/desk") == 1
    assert run_window == []
    assert len(shown) == 2  # asked again after Retry
    text, advice = shown[0]
    assert text.startswith(
        "Không kết nối được máy chủ cơ sở dữ liệu postgresql+psycopg://desk:***@127.0.0.1:1/desk"
    )
    assert "Bi-mat-99" not in text + advice
    assert "Retry" in advice and "Settings › This computer" in advice


def test_the_wizard_sets_up_an_empty_server_database(
    qtbot: QtBot, server_db: str, tmp_path: Path
) -> None:
    db = open_database(server_db)  # an empty server database is migrated, as a new file is
    try:
        ops = DbOps(db, OpRunner(synchronous=True), ChangeBus())
        state = read_setup_state(ops)
        assert state.needed
        wizard = SetupWizard(ops, Prefs(tmp_path / "p.ini"), state)
        qtbot.addWidget(wizard)
        wizard.show()
        page = wizard.identity
        page.governing_body.setText("UBND TỈNH LẠNG SƠN")
        page.agency_name.setText("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
        page.agency_id.setText("000.00.20.H37")
        page.place_name.setText("Lạng Sơn")
        wizard.next()
        wizard.next()
        wizard.admin.username.setText("QuanTri")
        wizard.admin.full_name.setText("Lăng Văn Quản")
        wizard.admin.password.setText("matkhau123")
        wizard.admin.password2.setText("matkhau123")
        wizard.next()
        with qtbot.waitSignal(wizard.accepted):
            wizard.button(QWizard.WizardButton.FinishButton).click()
        actor = wizard.admin_actor()
        assert actor is not None and actor.role == "admin"
        assert not read_setup_state(ops).needed
        with db.reader.begin() as s:
            assert users.sign_in(s, "quantri", "matkhau123").name == "Lăng Văn Quản"
    finally:
        db.dispose()


def test_the_status_bar_names_the_server_without_its_password(
    qtbot: QtBot, pg_server: PgServer, pg_template: str, tmp_path: Path
) -> None:
    url = pg_server.new_database(template=pg_template)
    password_url = make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)
    db: Database = open_database(password_url)
    try:
        fill(db)
        with db.reader.begin() as s:
            actor = users.sign_in(s, "canbo", "matkhau123")
        window = MainWindow(make_ui_context(db, actor, tmp_path))
        qtbot.addWidget(window)
        label = window.db_label.toolTip()
        assert label.endswith(app.redacted(password_url))
        assert "***" in label and PASSWORD not in label
        # Shortened to fit the status bar at 1366 px, without the password either.
        shown = window.db_label.text()
        assert PASSWORD not in shown and "…" in shown
        assert window.db_label.sizeHint().width() <= 340
        window.close()
    finally:
        db.dispose()
        pg_server.drop_database(url)


def test_main_hands_a_server_url_to_the_window_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "desk_main", Path(__file__).resolve().parents[2] / "main.py"
    )
    assert spec is not None and spec.loader is not None
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    given: list[object] = []
    monkeypatch.setattr(app, "run_gui", lambda target=None: given.append(target) or 0)
    url = "postgresql+psycopg://desk@db.centre.lan:5432/desk?sslmode=verify-full"
    assert main.main(["--db", url]) == 0
    assert main.main([f"--db={url}"]) == 0
    assert main.main(["--db", "du-lieu/desk.sqlite3"]) == 0
    assert given == [url, url, Path("du-lieu/desk.sqlite3")]
