"""The sync screens: the status bar from offline to synced, the outbox window, the Sync tab."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.department.db import open_department_db
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.department.service import add_desk
from desk_app.domain.documents import Channel
from desk_app.services import intake
from desk_app.services.context import COMMAND_LINE
from desk_app.sync import outbox
from desk_app.sync.secret import SecretStore
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.sync_controller import SyncController
from desk_app.ui.sync_window import SyncWindow

PASS_MS = 15_000


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SecretStore:
    folder = tmp_path / "secrets"
    monkeypatch.setenv("DESK_SECRETS_DIR", str(folder))
    return SecretStore(folder)


@pytest.fixture
def department(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A department database with one desk registered: (URL, the desk's token)."""
    url = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    ddb = open_department_db(url)
    with ddb.writer.begin() as s:
        token = add_desk(s, "Một cửa Sở VHTTDL").token
    ddb.dispose()
    yield url, token


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return int(sock.getsockname()[1])


def _files(ctx: UiContext, count: int) -> None:
    for n in range(count):
        with ctx.db.writer.begin() as s:
            intake.accept_file(
                s,
                intake.IntakeInput(
                    procedure="1.001029",
                    applicant=intake.ApplicantInput(
                        name=f"Hoàng Thị Mai {n}", address="3 Lê Lợi, Lạng Sơn"
                    ),
                    channel=Channel.DIRECT,
                    received_at=datetime(2026, 2, 27 + n, 9, 0),
                ),
                ctx.actor,
                now=datetime(2026, 2, 27 + n, 9, 0),  # typed when received
            )


def _configure(ctx: UiContext, secrets: SecretStore, url: str, token: str) -> None:
    with ctx.db.writer.begin() as s:
        config = outbox.save_config(
            s, enabled=True, url=url, interval_minutes=15, actor=COMMAND_LINE
        )
    secrets.save(config.install_id, token)
    ctx.bus.announce(Change.of("sync-settings"))


def _run_pass(qtbot: QtBot, window: MainWindow, *, now: bool = True) -> object:
    with qtbot.waitSignal(window.sync.pass_finished, timeout=PASS_MS) as blocker:
        if now:
            window.sync_now_action.trigger()
    return blocker.args[0] if blocker.args else None


def test_the_status_bar_goes_from_offline_to_synced(
    qtbot: QtBot,
    admin_ctx: UiContext,
    secrets: SecretStore,
    department: tuple[str, str],
) -> None:
    _files(admin_ctx, 2)  # 27/02 and 28/02: four days to send up to Monday 02/03
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    assert window.sync_label.text() == "Sync: not set up"
    port = _free_port()
    _configure(admin_ctx, secrets, f"http://127.0.0.1:{port}", department[1])
    window.sync.timeout = 2.0
    assert window.sync_label.text() == "Sync: not yet · 0 unsent"

    report = _run_pass(qtbot, window)  # nobody listens on that port
    assert getattr(report, "online", None) is False
    assert window.sync_label.text() == "Offline · 4 unsent"
    assert "Không kết nối được với Sở" in window.sync_label.toolTip()

    server: RunningServer = start_in_thread(department[0], port=port)
    try:
        report = _run_pass(qtbot, window)
    finally:
        server.stop()
    assert len(getattr(report, "sent", ())) == 4
    assert window.sync_label.text() == "Online · 0 unsent · last sync 10:00"
    with admin_ctx.db.reader.begin() as s:
        assert {e.state for e in outbox.entries(s)} == {outbox.ACKNOWLEDGED}
    window.close()


def test_the_sync_window_lists_the_outbox_and_sends_refused_rows_again(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    admin_ctx: UiContext,
    secrets: SecretStore,
    department: tuple[str, str],
) -> None:
    _files(admin_ctx, 1)
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    server = start_in_thread(department[0])
    try:
        _configure(admin_ctx, secrets, server.url, "a-token-the-department-never-gave")
        _run_pass(qtbot, window)
        assert window.sync_label.text() == "Online · 0 unsent · 4 refused"
        window.sync_label.click()
        dialog = window.findChild(SyncWindow, "syncWindow")
        assert dialog is not None and dialog.isVisible()
        qtmodeltester.check(dialog.model)
        assert dialog.model.rowCount() == 4
        first = dialog.model.index(0, 0)
        assert first.data() == "02/03/2026"
        assert dialog.model.index(0, 2).data() == "Refused"
        assert "mã truy cập (token)" in dialog.model.index(0, 6).data()
        assert dialog.retry_button.isEnabled()
        assert "mã truy cập (token)" in dialog.error_label.text()

        with admin_ctx.db.reader.begin() as s:
            install = outbox.read_config(s).install_id
        secrets.save(install, department[1])
        with qtbot.waitSignal(window.sync.pass_finished, timeout=PASS_MS):
            dialog.retry_button.click()
        states = {dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())}
        assert states == {"Received by the department"}
        assert all(dialog.model.index(r, 5).data() for r in range(4))  # receipt ids
        assert not dialog.retry_button.isEnabled()
        assert window.sync_label.text() == "Online · 0 unsent · last sync 10:00"
    finally:
        server.stop()
    window.close()


def test_the_sync_tab_checks_fields_and_keeps_the_token_out_of_the_database(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore
) -> None:
    dialog = SettingsDialog(admin_ctx, tab="sync")
    qtbot.addWidget(dialog)
    tab = dialog.sync_tab
    assert tab is not None and dialog.tabs.currentWidget() is tab
    seen: list[Change] = []
    admin_ctx.bus.changed.connect(seen.append)

    tab.url.setText("so.langson.gov.vn")
    tab.token.setText("short")
    tab.save_button.click()  # both mistakes shown at once, nothing written
    token_error = tab.findChild(type(tab.general_error), "error_token")
    url_error = tab.findChild(type(tab.general_error), "error_url")
    assert token_error is not None and not token_error.isHidden()
    assert "16 đến 200 ký tự" in token_error.text()
    assert url_error is not None and not url_error.isHidden()
    assert "http://" in url_error.text()
    assert tab.url.text() == "so.langson.gov.vn" and tab.token.text() == "short"
    assert not any(c.touches("sync-settings") for c in seen)

    token = "Zq7-department-token-0123456789"
    tab.token.setText(token)
    tab.enabled.setChecked(True)
    tab.save_button.click()
    assert token_error.isHidden() and not url_error.isHidden()
    assert tab.token.text() == token  # nothing typed is lost

    tab.url.clear()
    tab.token.clear()
    tab.save_button.click()  # on, and no token anywhere: nothing could be sent
    assert token_error.text() == "Type the token given by the department."
    assert url_error.isHidden()

    tab.token.setText(token)
    tab.url.setText("https://so.langson.gov.vn/")
    tab.interval.setValue(30)
    tab.save_button.click()
    assert url_error.isHidden() and tab.notice.text() == "Saved."
    assert any(c.touches("sync-settings") for c in seen)
    with admin_ctx.db.reader.begin() as s:
        config = outbox.read_config(s)
    assert (config.url, config.interval_minutes, config.enabled) == (
        "https://so.langson.gov.vn",
        30,
        True,
    )
    assert secrets.load(config.install_id) == token
    assert token.encode() not in admin_ctx.db.path.read_bytes()
    assert tab.token.text() == "" and "A token is stored" in tab.token.placeholderText()

    tab.remove_token.click()
    assert secrets.load(config.install_id) is None
    assert not tab.remove_token.isEnabled()


def test_the_controller_follows_the_settings_and_runs_one_pass_at_a_time(
    qtbot: QtBot, ui_ctx: UiContext, secrets: SecretStore
) -> None:
    controller = SyncController(ui_ctx)
    assert controller.interval_ms is None and not controller.first_pass_due  # not set up
    _configure(ui_ctx, secrets, f"http://127.0.0.1:{_free_port()}", "x" * 24)
    assert controller.interval_ms == 15 * 60_000
    with ui_ctx.db.writer.begin() as s:
        outbox.save_config(
            s, enabled=True, url="http://127.0.0.1:9", interval_minutes=5, actor=COMMAND_LINE
        )
    ui_ctx.bus.announce(Change.of("sync-settings"))
    assert controller.interval_ms == 5 * 60_000

    controller.timeout = 1.0
    reports: list[object] = []
    statuses: list[object] = []
    changes: list[Change] = []
    controller.pass_finished.connect(reports.append)
    controller.status_changed.connect(statuses.append)
    ui_ctx.bus.changed.connect(changes.append)
    controller.sync_now()
    controller.sync_now()  # asked for during the first pass: runs right after it
    assert controller.running
    qtbot.waitUntil(lambda: len(reports) == 2 and not controller.running, timeout=PASS_MS)
    assert all(getattr(r, "online", None) is False for r in reports)
    # Per pass: the count once the outbox is built (told by the pass) and one read at its end;
    # not a third for its own announcement.
    assert len(statuses) == 4
    assert sum(c.touches("sync") for c in changes) == 2

    statuses.clear()
    ui_ctx.bus.announce(Change.files("X"))  # a write elsewhere: the counts are read again
    assert len(statuses) == 1 and getattr(statuses[0], "online", None) is False

    with ui_ctx.db.writer.begin() as s:
        outbox.save_config(
            s, enabled=False, url="http://127.0.0.1:9", interval_minutes=5, actor=COMMAND_LINE
        )
    ui_ctx.bus.announce(Change.of("sync-settings"))
    assert controller.interval_ms is None

    with ui_ctx.db.writer.begin() as s:
        outbox.save_config(
            s, enabled=True, url="http://127.0.0.1:9", interval_minutes=5, actor=COMMAND_LINE
        )
    started = SyncController(ui_ctx)  # the window opens with sync on: a pass comes soon
    assert started.first_pass_due and started.interval_ms == 5 * 60_000
    started.shutdown()
    controller.shutdown()
    assert not started.first_pass_due and started.interval_ms is None


def test_an_officer_sees_the_outbox_but_not_the_settings(
    qtbot: QtBot, ui_ctx: UiContext, secrets: SecretStore
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window.sync_now_action.shortcut() == QKeySequence("F9")
    window.sync_window_action.trigger()
    dialog = window.findChild(SyncWindow, "syncWindow")
    assert dialog is not None and dialog.isVisible()
    assert not dialog.settings_button.isEnabled()
    assert not dialog.sync_button.isEnabled()  # nothing set up: nowhere to send
    assert "(no address)" in dialog.state_label.text()
    settings = SettingsDialog(ui_ctx, tab="sync")
    qtbot.addWidget(settings)
    assert settings.sync_tab is None
    window.close()


def test_saving_a_new_token_sends_the_refused_rows_again(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore
) -> None:
    _files(admin_ctx, 1)
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    _configure(admin_ctx, secrets, f"http://127.0.0.1:{_free_port()}", "an-old-token-0123456789")
    window.sync.timeout = 1.0
    _run_pass(qtbot, window)  # offline: the four days wait
    with admin_ctx.db.writer.begin() as s:
        for entry in outbox.entries(s):
            outbox.reject(s, entry.id, "Sở không nhận mã truy cập (token) này.")
    admin_ctx.bus.announce(Change.of("sync"))
    assert window.sync_label.text() == "Offline · 0 unsent · 4 refused"

    settings = SettingsDialog(admin_ctx, tab="sync")
    qtbot.addWidget(settings)
    tab = settings.sync_tab
    assert tab is not None and "A token is stored" in tab.token.placeholderText()
    tab.token.setText("a-new-token-from-the-department")
    tab.save_button.click()
    assert tab.notice.text() == "Saved."
    with admin_ctx.db.reader.begin() as s:
        install = outbox.read_config(s).install_id
        assert {e.state for e in outbox.entries(s)} == {outbox.PENDING}
    assert secrets.load(install) == "a-new-token-from-the-department"
    assert window.sync_label.text() == "Offline · 4 unsent"
    window.close()


def test_the_status_bar_counts_with_the_pass_as_the_sync_window_does(
    qtbot: QtBot,
    admin_ctx: UiContext,
    secrets: SecretStore,
    department: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A first pass builds the outbox and sends it row by row: the status bar follows the count
    (it said "0 unsent" through a whole first pass while the sync window said 1,038), and at the
    end it reads what the sync window reads."""
    from desk_app.sync import runner

    monkeypatch.setattr(runner, "PROGRESS_EVERY_S", 0.0)
    _files(admin_ctx, 2)
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    port = _free_port()
    _configure(admin_ctx, secrets, f"http://127.0.0.1:{port}", department[1])
    qtbot.waitUntil(lambda: window.sync_label.text() == "Sync: not yet · 0 unsent")
    shown: list[str] = []
    window.sync.status_changed.connect(lambda _s: shown.append(window.sync_label.text()))
    server: RunningServer = start_in_thread(department[0], port=port)
    try:
        _run_pass(qtbot, window)
        qtbot.waitUntil(lambda: "0 unsent" in window.sync_label.text())
    finally:
        server.stop()
    # Built (four days), then one fewer before each request; the pass's own texts while running.
    assert shown[:4] == ["Syncing… · 4 unsent", "Syncing… · 4 unsent", "Syncing… · 3 unsent",
                         "Syncing… · 2 unsent"]  # fmt: skip
    sync_window = SyncWindow(admin_ctx, window.sync, window)
    qtbot.addWidget(sync_window)
    qtbot.waitUntil(lambda: "0 unsent" in sync_window.state_label.text())
    assert window.sync_label.text().split(" · ")[1] == "0 unsent"
    window.close()


@pytest.mark.parametrize(
    ("platform", "said", "not_said"),
    [("win32", "Windows user only (DPAPI)", "0600"), ("linux", "(mode 0600)", "Windows")],
)
def test_the_sync_tab_says_where_this_platform_keeps_the_token(
    platform: str, said: str, not_said: str
) -> None:
    from desk_app.ui.settings.sync import token_storage_words

    words = token_storage_words(platform)
    assert said in words and not_said not in words


def test_the_sync_tab_on_this_machine_names_its_own_token_store(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore
) -> None:
    import sys

    from PySide6.QtWidgets import QLabel

    from desk_app.ui.settings.sync import SyncTab, token_storage_words

    tab = SyncTab(admin_ctx, secrets=secrets)
    qtbot.addWidget(tab)
    texts = " ".join(label.text() for label in tab.findChildren(QLabel))
    assert token_storage_words() in texts
    assert ("Windows" in texts) == (sys.platform == "win32")
