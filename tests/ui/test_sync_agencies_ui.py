"""The sync screens of a centre's database with two agencies: the Sync tab chooses the agency
whose settings and token it shows and saves; the sync window says each agency's state and lists
the chosen agency's outbox."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.domain.documents import Channel
from desk_app.services import intake, users
from desk_app.services.context import COMMAND_LINE
from desk_app.services.scope import assign
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, Procedure, User
from desk_app.sync import outbox
from desk_app.sync.secret import SecretStore
from desk_app.ui.context import UiContext
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.sync_controller import SyncController
from desk_app.ui.sync_window import SyncWindow

SHOTS = Path(os.environ.get("DESK_SHOTS_DIR", "/tmp"))
TOKEN_A = "token-of-the-culture-department-0001"
TOKEN_B = "token-of-the-justice-department-0002"


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SecretStore:
    folder = tmp_path / "secrets"
    monkeypatch.setenv("DESK_SECRETS_DIR", str(folder))
    return SecretStore(folder)


def _second_agency(db: Database) -> None:
    with db.writer.begin() as s:
        s.add(
            DeskSettings(
                id=2,
                agency_id="000.00.21.H37",
                agency_name="SỞ TƯ PHÁP TỈNH LẠNG SƠN",
                short_name="Sở Tư pháp",
                place_name="Lạng Sơn",
            )
        )
        first = s.get(DeskSettings, 1)
        assert first is not None
        first.short_name = "Sở VHTTDL"
        s.flush()
        outbox.ensure_sync_row(s, 2)
        columns = [c.key for c in Procedure.__table__.columns if c.key not in ("id", "agency")]
        for proc in s.scalars(select(Procedure).where(Procedure.agency == 1)).all():
            s.add(Procedure(agency=2, **{c: getattr(proc, c) for c in columns}))
        officer = s.scalar(select(User).where(User.username == "canbo"))
        assert officer is not None
        assign(s, officer, {1, 2})
    with db.reader.begin() as s:
        actor = users.sign_in(s, "canbo", "matkhau123")
    for agency, days in ((1, (26, 27)), (2, (27,))):
        for day in days:
            at = datetime(2026, 2, day, 9, agency)
            with db.writer.begin() as s:
                intake.accept_file(
                    s,
                    intake.IntakeInput(
                        procedure="1.001029",
                        agency=agency,
                        applicant=intake.ApplicantInput(name="Hoàng Thị Mai", address="Lạng Sơn"),
                        channel=Channel.DIRECT,
                        received_at=at,
                    ),
                    actor,
                    now=at,
                )


def test_the_sync_tab_edits_the_chosen_agencys_settings_and_token(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore
) -> None:
    _second_agency(admin_ctx.db)
    dialog = SettingsDialog(admin_ctx, tab="sync")
    qtbot.addWidget(dialog)
    tab = dialog.sync_tab
    assert tab is not None and not tab.agency_box.isHidden()
    names = [tab.agency_box.itemText(i) for i in range(tab.agency_box.count())]
    assert names == ["Sở VHTTDL", "Sở Tư pháp"] and tab.agency == 1

    tab.url.setText("https://so-vhttdl.example.gov.vn")
    tab.token.setText(TOKEN_A)
    tab.enabled.setChecked(True)
    tab.save_button.click()
    assert tab.notice.text() == "Saved."

    tab.agency_box.setCurrentIndex(1)
    tab.agency_box.activated.emit(1)
    assert tab.agency == 2
    assert tab.url.text() == "" and not tab.enabled.isChecked()  # agency 2's own, not set up
    assert "A token is stored" not in tab.token.placeholderText()
    tab.url.setText("https://so-tuphap.example.gov.vn")
    tab.token.setText(TOKEN_B)
    tab.interval.setValue(30)
    tab.save_button.click()
    assert tab.notice.text() == "Saved."

    with admin_ctx.db.reader.begin() as s:
        a, b = outbox.read_config(s, 1), outbox.read_config(s, 2)
    assert (a.url, a.interval_minutes, a.enabled) == ("https://so-vhttdl.example.gov.vn", 15, True)
    assert (b.url, b.interval_minutes, b.enabled) == ("https://so-tuphap.example.gov.vn", 30, False)
    assert secrets.load(a.token_key) == TOKEN_A and secrets.load(b.token_key) == TOKEN_B

    tab.agency_box.setCurrentIndex(0)
    tab.agency_box.activated.emit(0)
    assert tab.url.text() == "https://so-vhttdl.example.gov.vn"
    assert "A token is stored" in tab.token.placeholderText()
    tab.remove_token.click()  # agency 1's token only
    assert secrets.load(a.token_key) is None and secrets.load(b.token_key) == TOKEN_B

    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(SHOTS / "sync_tab_two_agencies.png"))
    dialog.close()


def test_the_sync_window_says_each_agencys_state(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore
) -> None:
    _second_agency(admin_ctx.db)
    with admin_ctx.db.writer.begin() as s:
        outbox.save_config(
            s, enabled=True, url="http://127.0.0.1:9", interval_minutes=15, actor=COMMAND_LINE
        )
        for agency in (1, 2):
            outbox.refresh(s, admin_ctx.now().date(), agency=agency)
        first = outbox.entries(s, agency=1)[0]
        outbox.reject(s, first.id, "Sở không nhận mã truy cập (token) của Một cửa (401).")
    controller = SyncController(admin_ctx)
    window = SyncWindow(admin_ctx, controller)
    qtbot.addWidget(window)
    lines = window.state_label.text().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "Sở VHTTDL — http://127.0.0.1:9: Sync: not yet · 4 unsent · 1 refused"
    )
    assert lines[1].startswith("Sở Tư pháp — (no address): Sync: not set up")
    assert not window.agency_box.isHidden() and window.agency == 1
    assert window.model.rowCount() == 5 and window.retry_button.isEnabled()
    assert window.error_label.isHidden()  # no pass yet: nothing went wrong
    window.agency_box.setCurrentIndex(1)
    window.agency_box.activated.emit(1)
    assert window.agency == 2 and window.model.rowCount() == 4  # 27/02 to 02/03
    assert not window.retry_button.isEnabled()
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.grab().save(str(SHOTS / "sync_window_two_agencies.png"))
    controller.shutdown()
    window.close()


def test_the_timer_runs_each_agency_on_its_own_interval(
    qtbot: QtBot, admin_ctx: UiContext, secrets: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    _second_agency(admin_ctx.db)
    with admin_ctx.db.writer.begin() as s:
        for agency, minutes in ((1, 15), (2, 5)):
            outbox.save_config(
                s,
                enabled=True,
                url="http://127.0.0.1:9",
                interval_minutes=minutes,
                actor=COMMAND_LINE,
                agency=agency,
            )
    controller = SyncController(admin_ctx)
    assert controller.interval_ms == 5 * 60_000 and controller.first_pass_due
    assert set(controller.statuses) == {1, 2}
    asked: list[dict[str, object]] = []
    monkeypatch.setattr(controller, "start_pass", lambda **kw: asked.append(kw))
    controller._on_timer_timeout()  # never run by this window: both are due
    assert asked == [{"force": False, "agencies": frozenset({1, 2})}]
    five_minutes_ago = time.monotonic() - 5 * 60
    controller._last_run = {1: five_minutes_ago, 2: five_minutes_ago}
    controller._on_timer_timeout()  # agency 1 waits ten more minutes
    assert asked[-1] == {"force": False, "agencies": frozenset({2})}
    controller._last_run = {1: time.monotonic() - 14 * 60, 2: time.monotonic()}
    controller._on_timer_timeout()  # within half a tick of its interval: agency 1 goes now
    assert asked[-1] == {"force": False, "agencies": frozenset({1})}
    controller.shutdown()
