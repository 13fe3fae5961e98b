"""The sync screens: the status bar from offline to synced, the outbox window, the Sync tab."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.department.db import open_department_db
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.department.service import add_desk
from desk_app.domain.documents import Channel
from desk_app.services import intake
from desk_app.sync import outbox
from desk_app.sync.secret import SecretStore
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from desk_app.ui.settings import SettingsDialog
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
                now=ctx.now(),
            )


def _configure(ctx: UiContext, secrets: SecretStore, url: str, token: str) -> None:
    with ctx.db.writer.begin() as s:
        config = outbox.save_config(s, enabled=True, url=url, interval_minutes=15)
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
        ModelTester(None).check(dialog.model)  # type: ignore[arg-type]
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
    tab.save_button.click()
    token_error = tab.findChild(type(tab.general_error), "error_token")
    assert token_error is not None and not token_error.isHidden()
    assert "16 đến 200 ký tự" in token_error.text()
    assert tab.url.text() == "so.langson.gov.vn" and tab.token.text() == "short"

    token = "Zq7-department-token-0123456789"
    tab.token.setText(token)
    tab.enabled.setChecked(True)
    tab.save_button.click()
    url_error = tab.findChild(type(tab.general_error), "error_url")
    assert url_error is not None and not url_error.isHidden()
    assert "http://" in url_error.text()
    assert tab.token.text() == token  # nothing typed is lost

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
