"""Post-office staff at the counter in the window: the panel offers them the counter's steps
only, a step not theirs is refused without its dialog, Settings and the supervisor's window are
not there, and the administrator can give the role when adding a user."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

import desk_app.ui.actions
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle, queries, users
from desk_app.services.context import COMMAND_LINE, Actor, PermissionDeniedError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database, open_database
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.actions import actions_for, run_action
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.file_detail import FileDetail
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.post_dialogs import postal_actions_for
from desk_app.ui.prefs import Prefs
from desk_app.ui.settings import SettingsDialog
from tests.ui.conftest import NOW, make_ui_context

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

KARAOKE = "1.001029"
RECEIVED = datetime(2026, 3, 2, 9, 15)  # the fixtures' clock is 10:00 the same day


@pytest.fixture
def postal_ctx(qapp: object, db: Database, tmp_path: Path) -> Iterator[UiContext]:
    """A post-office staff member signed in at the fixed test moment."""
    with db.writer.begin() as s:
        users.create_user(
            s, "buudien1", "Lò Thị Mai", users.Role.POSTAL, "matkhau123", COMMAND_LINE, now=NOW
        )
    with db.writer.begin() as s:
        actor = users.sign_in(s, "buudien1", "matkhau123", now=NOW)
    yield make_ui_context(db, actor, tmp_path)


def _accept(ctx: UiContext) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=RECEIVED)


def _keys(view: FileView, ctx: UiContext) -> list[str]:
    return [spec.key for spec in actions_for(view, ctx)]


def test_the_panel_offers_postal_staff_the_counter_steps_only(
    postal_ctx: UiContext, ui_ctx: UiContext
) -> None:
    accepted = _accept(postal_ctx)  # received by the postal staff member
    assert accepted.officer == "Lò Thị Mai"
    # No forward, supplement or fee request, withdrawal, result, correction or reschedule.
    assert _keys(accepted, postal_ctx) == []
    assert "forward" in _keys(accepted, ui_ctx)
    with ui_ctx.db.writer.begin() as s:
        paused = lifecycle.request_supplement(
            s, MoveInput(accepted.code), "Thiếu bản vẽ", ui_ctx.actor, now=NOW
        )
    assert _keys(paused, postal_ctx) == ["receive_supplement"]
    with ui_ctx.db.writer.begin() as s:
        lifecycle.receive_supplement(s, MoveInput(paused.code), ui_ctx.actor, now=NOW)
        settled = lifecycle.record_result(s, MoveInput(paused.code), ui_ctx.actor, now=NOW)
    assert _keys(settled, postal_ctx) == ["return_result"]
    # The post's steps are theirs too.
    assert [s.key for s in postal_actions_for(settled, [], postal_ctx)] == ["choose_post"]


def test_the_panel_shows_return_and_receipt_but_no_agency_step(
    postal_ctx: UiContext, ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _accept(postal_ctx)
    panel = FileDetail(postal_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_code(view.code)
    assert set(panel.action_buttons) == {"receipt", "choose_post"}
    officer_panel = FileDetail(ui_ctx)
    qtbot.addWidget(officer_panel)
    officer_panel.show()
    officer_panel.show_code(view.code)
    assert "action_forward" in {b.objectName() for b in officer_panel.action_buttons.values()}
    with ui_ctx.db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(view.code), ui_ctx.actor, now=NOW)
    panel.show_code(view.code)
    assert set(panel.action_buttons) == {"receipt", "return_result", "choose_post"}
    assert panel.action_buttons["return_result"].isVisible()


def test_postal_staff_return_the_result_through_its_dialog(
    postal_ctx: UiContext, ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _accept(postal_ctx)
    with ui_ctx.db.writer.begin() as s:
        settled = lifecycle.record_result(s, MoveInput(view.code), ui_ctx.actor, now=NOW)
    parent = QWidget()
    qtbot.addWidget(parent)

    def fill(dialog: ActionDialog) -> None:
        dialog.submit()

    returned = run_action("return_result", settled, postal_ctx, parent, dialog_hook=fill)
    assert returned is not None and returned.status is Status.RETURNED
    with postal_ctx.db.reader.begin() as s:
        stored = queries.show_file(s, view.code)
    assert stored.events[-1].officer == "Lò Thị Mai"


@pytest.mark.parametrize("key", ["forward", "record_result", "withdraw", "correct", "reschedule"])
def test_a_step_not_theirs_is_refused_without_its_dialog(
    postal_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    view = _accept(postal_ctx)
    errors: list[BaseException] = []
    monkeypatch.setattr(
        desk_app.ui.actions, "show_error", lambda parent, exc, title="": errors.append(exc)
    )
    opened: list[ActionDialog] = []
    parent = QWidget()
    qtbot.addWidget(parent)

    def hook(dialog: ActionDialog) -> None:  # a dialog opened by mistake is closed at once
        opened.append(dialog)
        dialog.reject()

    assert run_action(key, view, postal_ctx, parent, dialog_hook=hook) is None
    assert opened == []
    assert [type(e) for e in errors] == [PermissionDeniedError]
    with postal_ctx.db.reader.begin() as s:
        assert queries.show_file(s, view.code).version == view.version


def test_the_window_has_no_settings_and_no_supervisor_view(
    postal_ctx: UiContext, qtbot: QtBot
) -> None:
    window = MainWindow(postal_ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert "Lò Thị Mai (bưu điện)" in window.user_label.text()
    assert not window.settings_action.isVisible()
    assert not window.supervisor_action.isVisible()
    assert window.new_file_action.isVisible()
    # Their shortcuts do nothing either.
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.findChildren(SettingsDialog) == []
    assert window._supervisor is None


def test_the_role_is_offered_when_adding_a_user(
    qapp: object, qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    window_db = open_database(db.path)
    runner = OpRunner()
    ctx = UiContext(
        db=window_db,
        actor=admin,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    try:
        dialog = SettingsDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        tab = dialog.users_tab
        assert tab is not None
        dialog.tabs.setCurrentWidget(tab)
        tab.add_button.click()
        form = tab.dialog
        assert form is not None
        combo = form.widgets["role"]
        assert isinstance(combo, QComboBox)
        offered = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
        assert offered["postal"] == "Nhân viên bưu điện"
        combo.setCurrentIndex(combo.findData("postal"))
        for name, value in {
            "username": "buudien2",
            "full_name": "Hà Văn Tú",
            "password": "matkhau123",
            "password2": "matkhau123",
        }.items():
            field = form.widgets[name]
            assert isinstance(field, QLineEdit)
            field.setText(value)
        ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.click()
        qtbot.waitUntil(lambda: not runner.busy and tab.dialog is None, timeout=10_000)
        with window_db.reader.begin() as s:
            assert users.sign_in(s, "buudien2", "matkhau123").role == "postal"
        m = tab.model
        rows = [[m.data(m.index(r, c)) for c in range(3)] for r in range(m.rowCount())]
        assert ["buudien2", "Hà Văn Tú", "Nhân viên bưu điện"] in rows
    finally:
        runner.shutdown()
        window_db.dispose()
