"""The first-run wizard on a fresh database: identity, hours, administrator, catalogue."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desk_app import clock
from desk_app.services import desk, users
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord
from desk_app.ui.bus import ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.wizard import SetupWizard, read_setup_state, setup_state


def needs_setup(db: Database) -> bool:
    with db.reader.begin() as s:
        return setup_state(s).needed


def _wizard(qtbot: QtBot, db: Database, tmp_path: Path) -> tuple[SetupWizard, Prefs]:
    prefs = Prefs(tmp_path / "p.ini")
    ops = DbOps(db, OpRunner(synchronous=True), ChangeBus())
    wizard = SetupWizard(ops, prefs, read_setup_state(ops))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard, prefs


def _fill_identity(wizard: SetupWizard, agency_id: str = "000.00.20.H37") -> None:
    page = wizard.identity
    page.governing_body.setText("UBND TỈNH LẠNG SƠN")
    page.agency_name.setText("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    page.agency_id.setText(agency_id)
    page.place_name.setText("Lạng Sơn")


def test_fresh_database_is_set_up_in_one_pass(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    assert needs_setup(empty_db)
    wizard, prefs = _wizard(qtbot, empty_db, tmp_path)
    _fill_identity(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.hours
    # The schema's defaults are offered.
    assert wizard.hours.office_hours.text() == "07:00-11:30,13:30-17:00"
    assert wizard.hours.cutoff.time().toString("HH:mm") == "15:00"
    wizard.hours.office_hours.setText("07:30-11:30,13:30-17:00")
    wizard.next()
    assert wizard.currentPage() is wizard.admin
    wizard.admin.username.setText("QuanTri")
    wizard.admin.full_name.setText("Lăng Văn Quản")
    wizard.admin.password.setText("matkhau123")
    wizard.admin.password2.setText("matkhau123")
    assert wizard.admin.counter_name.text() == ""  # optional: this computer has none yet
    wizard.admin.counter_name.setText("  Quầy   3 ")
    wizard.next()
    assert wizard.currentPage() is wizard.data_page
    assert wizard.data_page.load_catalog.isChecked()
    assert not wizard.data_page.add_demo.isChecked()
    with qtbot.waitSignal(wizard.accepted):
        wizard.button(QWizard.WizardButton.FinishButton).click()

    assert not needs_setup(empty_db)
    actor = wizard.admin_actor()
    assert actor is not None
    assert (actor.name, actor.role, actor.counter) == ("Lăng Văn Quản", "admin", "Quầy 3")
    assert prefs.last_user == "quantri"
    # Kept per machine where Settings › This computer keeps it, read again on the next start.
    assert Prefs(tmp_path / "p.ini").counter_name == "Quầy 3"
    with empty_db.reader.begin() as s:
        settings = desk.get_settings(s)
        assert settings.agency_id == "000.00.20.H37"
        assert settings.place_name == "Lạng Sơn"
        assert settings.office_hours == "07:30-11:30,13:30-17:00"
        assert desk.catalog_size(s) > 10
        assert users.sign_in(s, "quantri", "matkhau123").user_id == actor.user_id


def test_wrong_agency_id_shows_the_core_message_and_blocks_next(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    wizard, _ = _wizard(qtbot, empty_db, tmp_path)
    _fill_identity(wizard, agency_id="H37")
    wizard.next()
    assert wizard.currentPage() is wizard.identity
    message = wizard.identity.errors.message("agency_id")
    assert "Mã định danh cơ quan" in message
    assert wizard.identity.agency_id.text() == "H37"  # what was typed is kept
    wizard.identity.agency_id.setText("000.00.20.H37")
    wizard.next()
    assert wizard.currentPage() is wizard.hours
    assert needs_setup(empty_db)  # nothing is written before Finish


def test_bad_hours_and_mismatched_passwords_stay_on_their_page(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    wizard, _ = _wizard(qtbot, empty_db, tmp_path)
    _fill_identity(wizard)
    wizard.next()
    wizard.hours.office_hours.setText("11:30-07:00")
    wizard.next()
    assert wizard.currentPage() is wizard.hours
    assert "giờ bắt đầu phải trước giờ kết thúc" in wizard.hours.errors.message("office_hours")
    wizard.hours.office_hours.setText("07:00-11:30,13:30-17:00")
    wizard.next()
    wizard.admin.full_name.setText("Lăng Văn Quản")
    wizard.admin.password.setText("ngan")
    wizard.next()
    assert wizard.currentPage() is wizard.admin
    assert "ít nhất 8 ký tự" in wizard.admin.errors.message("password")
    wizard.admin.password.setText("matkhau123")
    wizard.admin.password2.setText("matkhau124")
    wizard.next()
    assert wizard.currentPage() is wizard.admin
    assert wizard.admin.errors.message("password2") == "The two passwords differ."


def test_demo_files_are_added_after_the_setup(
    qtbot: QtBot, empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(clock.PIN_VARIABLE, "2026-03-02T10:00")  # the demo's "now"
    wizard, _ = _wizard(qtbot, empty_db, tmp_path)
    _fill_identity(wizard)
    wizard.next()
    wizard.next()
    wizard.admin.full_name.setText("Lăng Văn Quản")
    wizard.admin.password.setText("matkhau123")
    wizard.admin.password2.setText("matkhau123")
    wizard.next()
    wizard.data_page.add_demo.setChecked(True)
    assert wizard.data_page.demo_count.isEnabled()
    wizard.data_page.demo_count.setValue(5)
    with qtbot.waitSignal(wizard.accepted):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "5" in wizard.demo_summary
    # The summary names the accounts the demo added, to sign in with and to close later.
    accounts = wizard.demo_summary.split("Demo accounts (password motcua2026):\n")[1]
    assert accounts.splitlines()[:4] == [
        "  canbo1 – Nguyễn Thị Lan (Công chức một cửa)",
        "  canbo2 – Hoàng Văn Nam (Công chức một cửa)",
        "  canbo3 – Lương Thị Thu (Công chức một cửa)",
        "  lanhdao – Vi Đức Thắng (Lãnh đạo bộ phận)",
    ]
    assert "Settings › Users" in accounts
    with empty_db.reader.begin() as s:
        assert desk.get_settings(s).agency_id == "000.00.20.H37"  # not the demo identity
        assert s.scalar(select(func.count()).select_from(FileRecord)) == 5
        assert [u.username for u in users.demo_accounts(s)] == [
            "canbo1",
            "canbo2",
            "canbo3",
            "lanhdao",
        ]


@pytest.fixture
def live_ops(qapp: object, empty_db: Database) -> Iterator[DbOps]:
    """The runner as run_gui makes it before the wizard: a real worker thread."""
    runner = OpRunner()
    yield DbOps(empty_db, runner, ChangeBus())
    runner.shutdown()


def test_an_existing_administrator_signs_in_on_the_worker_and_finish_waits_for_the_write(
    qtbot: QtBot,
    empty_db: Database,
    live_ops: DbOps,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with empty_db.writer.begin() as s:  # an administrator left by the command line, no identity
        users.create_user(
            s, "quantri", "Lăng Văn Quản", users.Role.ADMIN, "matkhau123", COMMAND_LINE
        )
        users.create_user(
            s, "canbo", "Nguyễn Thị Lan", users.Role.OFFICER, "matkhau123", COMMAND_LINE
        )
    checked_on: list[int] = []
    verify = users.verify_password
    monkeypatch.setattr(
        users,
        "verify_password",
        lambda p, h: checked_on.append(threading.get_ident()) or verify(p, h),
    )
    state = read_setup_state(live_ops)
    assert state.needed and state.has_admin
    prefs = Prefs(tmp_path / "p.ini")
    prefs.counter_name = "Quầy 1"
    wizard = SetupWizard(live_ops, prefs, state)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_identity(wizard)
    wizard.next()
    wizard.next()
    page = wizard.admin
    assert wizard.currentPage() is page
    assert not page.full_name.isVisibleTo(wizard)  # signing in, not creating
    assert page.counter_name.text() == "Quầy 1"  # this computer's, as Settings shows it
    page.counter_name.setText("Quầy 2")

    def attempt(username: str, password: str) -> None:
        page.username.setText(username)
        page.password.clear()
        qtbot.keyClicks(page.password, password)
        wizard.next()
        qtbot.waitUntil(lambda: not page.is_checking(), timeout=20_000)

    attempt("canbo", "matkhau123")
    assert wizard.currentPage() is page
    assert page.errors.message("username") == "This account is not an administrator."
    attempt("quantri", "sai-mat-khau")
    assert wizard.currentPage() is page
    assert page.errors.message("password") == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert page.password.text() == "sai-mat-khau"  # kept, selected, to be typed over
    assert page.password.selectedText() == "sai-mat-khau"
    page.username.setText("quantri")
    page.password.clear()
    qtbot.keyClicks(page.password, "matkhau123")
    wizard.next()
    assert wizard.currentPage() is page and page.is_checking()  # Next waits for the answer
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.data_page, timeout=20_000)
    assert checked_on and threading.get_ident() not in checked_on

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.accepted, timeout=20_000):
        finish.click()
        # The write is on the worker: Finish and Back wait for it.
        assert wizard.is_working() and not finish.isEnabled()
        assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    actor = wizard.admin_actor()
    assert actor is not None and (actor.username, actor.counter) == ("quantri", "Quầy 2")
    assert prefs.counter_name == "Quầy 2"
    with empty_db.reader.begin() as s:
        assert setup_state(s).needed is False
        assert desk.get_settings(s).agency_id == "000.00.20.H37"
