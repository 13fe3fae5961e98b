"""The settings dialog: desk identity, users, calendar, procedures, this computer; roles.

The administrator's dialog runs on a real worker thread, as in the window: every save is
asynchronous, so each step waits for the runner to go idle before looking at the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.domain.catalog import DocumentSpec
from desk_app.domain.documents import CopyType
from desk_app.services import desk, intake, queries, users
from desk_app.services.context import Actor
from desk_app.store.engine import Database, open_database
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.settings.catalog import CatalogTab, ProcedureDialog
from desk_app.ui.settings.users import UserDialog, UsersTab

# The offscreen platform cannot size or raise a dialog's native window; nothing is wrong here.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)
SATURDAY = date(2026, 3, 7)
NOW = datetime(2026, 3, 2, 10, 0)  # as in tests/ui/conftest.py


@pytest.fixture
def admin_ctx(qapp: object, db: Database, admin: Actor, tmp_path: Path) -> Iterator[UiContext]:
    """The administrator on the window's own connection to the test desk, with a real worker
    thread (the shared fixture runs jobs inline, which would hide a missing wait)."""
    window_db = open_database(db.path)
    runner = OpRunner()
    yield UiContext(
        db=window_db,
        actor=admin,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    runner.shutdown()
    window_db.dispose()


def idle(qtbot: QtBot, ctx: UiContext) -> None:
    """Wait until the runner has done every read and write asked of it so far."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


def _dialog(qtbot: QtBot, ctx: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()  # error labels count as shown only in a visible window
    idle(qtbot, ctx)  # each tab reads what it shows
    return dialog


def _changes(ctx: UiContext) -> list[Change]:
    seen: list[Change] = []
    ctx.bus.changed.connect(seen.append)
    return seen


def _ok(dialog: UserDialog | ProcedureDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    if button is None:
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None
    button.click()


def _users_dialog(tab: UsersTab) -> UserDialog:
    assert tab.dialog is not None
    return tab.dialog


def _set(dialog: UserDialog, **values: str) -> None:
    for name, value in values.items():
        widget = dialog.widgets[name]
        assert isinstance(widget, QLineEdit)
        widget.setText(value)


def test_officer_sees_only_this_computer(qtbot: QtBot, ui_ctx: UiContext) -> None:
    dialog = _dialog(qtbot, ui_ctx)
    assert dialog.tab_titles() == ["This computer"]
    assert dialog.desk_tab is None
    assert dialog.users_tab is None
    assert dialog.findChild(QLabel, "adminOnlyNote") is not None


def test_admin_sees_every_tab(qtbot: QtBot, admin_ctx: UiContext) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    assert dialog.tab_titles() == [
        "Desk",
        "Agencies",
        "Users",
        "Calendar",
        "Procedures",
        "Queue",
        "Sync",
        "E-mail",
        "This computer",
    ]


def test_admin_edits_the_place_name(qtbot: QtBot, admin_ctx: UiContext) -> None:
    seen = _changes(admin_ctx)
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.desk_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    assert tab.edits["place_name"].text() == "Lạng Sơn"
    tab.edits["place_name"].setText("  Thành phố   Lạng Sơn ")
    tab.save_button.click()
    idle(qtbot, admin_ctx)
    with admin_ctx.db.reader.begin() as s:
        assert desk.get_settings(s).place_name == "Thành phố Lạng Sơn"
    assert tab.edits["place_name"].text() == "Thành phố Lạng Sơn"  # the core's clean value
    assert tab.notice.text() == "Saved."
    assert [c.kinds for c in seen] == [frozenset({"settings"})]


def test_wrong_desk_values_show_next_to_their_fields(qtbot: QtBot, admin_ctx: UiContext) -> None:
    seen = _changes(admin_ctx)
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.desk_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.edits["agency_id"].setText("H37")
    tab.edits["office_hours"].setText("17:00-07:00")
    tab.save_button.click()
    idle(qtbot, admin_ctx)
    assert "Mã định danh cơ quan" in tab.errors.message("agency_id")
    assert "giờ bắt đầu phải trước" in tab.errors.message("office_hours")
    assert tab.edits["agency_id"].text() == "H37"  # what was typed stays
    with admin_ctx.db.reader.begin() as s:
        assert desk.get_settings(s).agency_id == "000.00.20.H37"
    assert seen == []


def test_added_user_can_sign_in(qtbot: QtBot, admin_ctx: UiContext) -> None:
    seen = _changes(admin_ctx)
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.add_button.click()
    dialog = _users_dialog(tab)
    _set(dialog, username="NgoThiHoa", full_name="Ngô Thị Hoa", password="matkhau123")
    _set(dialog, password2="matkhau12")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert dialog.errors.message("password2") == "The two passwords differ."
    _set(dialog, password2="matkhau123")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert tab.dialog is None
    with admin_ctx.db.reader.begin() as s:
        actor = users.sign_in(s, "ngothihoa", "matkhau123")
    assert (actor.name, actor.role) == ("Ngô Thị Hoa", "officer")
    selected = tab.selected()
    assert selected is not None
    assert selected.username == "ngothihoa"
    assert [c.kinds for c in seen] == [frozenset({"users"})]


def test_duplicate_user_name_is_shown_in_the_dialog(qtbot: QtBot, admin_ctx: UiContext) -> None:
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.add_button.click()
    dialog = _users_dialog(tab)
    _set(dialog, username="canbo", full_name="Ai Đó", password="matkhau123")
    _set(dialog, password2="matkhau123")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert tab.dialog is dialog  # still open, with the core's message next to the name
    assert dialog.errors.message("username") == "Tên đăng nhập “canbo” đã có."


def test_last_admin_cannot_be_closed_or_demoted(qtbot: QtBot, admin_ctx: UiContext) -> None:
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.select("quantri")
    assert tab.active_button.text() == "Close account"
    tab.active_button.click()
    idle(qtbot, admin_ctx)
    assert "quản trị viên duy nhất" in tab.notice.text()
    assert tab.notice.isVisibleTo(tab)
    tab.role_button.click()
    dialog = _users_dialog(tab)
    combo = dialog.widgets["role"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("officer"))
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert "quản trị viên duy nhất" in dialog.errors.message("role")
    with admin_ctx.db.reader.begin() as s:
        assert users.count_admins(s) == 1


def test_officer_account_is_closed_and_reopened(qtbot: QtBot, admin_ctx: UiContext) -> None:
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.select("canbo")
    tab.active_button.click()
    idle(qtbot, admin_ctx)
    assert tab.active_button.text() == "Reopen account"
    with admin_ctx.db.reader.begin() as s:
        assert not users.get_user(s, "canbo").active
    tab.active_button.click()
    idle(qtbot, admin_ctx)
    with admin_ctx.db.reader.begin() as s:
        assert users.get_user(s, "canbo").active


def test_password_reset(qtbot: QtBot, admin_ctx: UiContext) -> None:
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.users_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.select("canbo")
    tab.password_button.click()
    dialog = _users_dialog(tab)
    _set(dialog, password="mat-khau-moi", password2="mat-khau-moi")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    with admin_ctx.db.reader.begin() as s:
        assert users.sign_in(s, "canbo", "mat-khau-moi").role == "officer"


def test_saturday_made_a_working_day_is_stored_and_shown(
    qtbot: QtBot, admin_ctx: UiContext
) -> None:
    seen = _changes(admin_ctx)
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.calendar_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.select_date(SATURDAY)
    assert tab.state_label.text() == "Day off"
    tab.working_button.click()
    idle(qtbot, admin_ctx)
    assert "Cần ghi chú" in tab.errors.message("note")  # the core wants the basis
    tab.note.setText("Công văn 123/UBND")
    tab.working_button.click()
    idle(qtbot, admin_ctx)
    with admin_ctx.db.reader.begin() as s:
        info = next(d for d in desk.calendar_year(s, 2026) if d.date == SATURDAY)
    assert info.working
    assert info.reason == "Điều chỉnh của quản trị: Công văn 123/UBND"
    assert tab.state_label.text() == "Working day"
    assert tab.reason_label.text() == info.reason
    shown = tab.calendar.dateTextFormat().get(tab.calendar.selectedDate())
    assert shown is not None
    assert shown.fontUnderline()
    assert shown.toolTip() == info.reason
    rows = [tab.model.payload(r) for r in range(tab.model.rowCount())]
    assert SATURDAY in rows
    assert [c.kinds for c in seen] == [frozenset({"calendar"})]
    # And back to the usual rule.
    assert tab.clear_button.isEnabled()
    tab.clear_button.click()
    idle(qtbot, admin_ctx)
    assert tab.state_label.text() == "Day off"
    assert not tab.clear_button.isEnabled()


def test_calendar_shows_tet_as_holidays(qtbot: QtBot, admin_ctx: UiContext) -> None:
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.calendar_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    info = tab.day(date(2026, 2, 17))
    assert info is not None
    assert not info.working
    tab.select_date(date(2026, 2, 17))
    assert tab.state_label.text() == "Day off"
    assert "Tết" in tab.reason_label.text()


def _catalog(qtbot: QtBot, ctx: UiContext) -> tuple[SettingsDialog, CatalogTab]:
    settings = _dialog(qtbot, ctx)
    assert settings.catalog_tab is not None
    settings.tabs.setCurrentWidget(settings.catalog_tab)
    return settings, settings.catalog_tab


def test_procedure_added_edited_and_retired(qtbot: QtBot, admin_ctx: UiContext) -> None:
    seen = _changes(admin_ctx)
    _settings, tab = _catalog(qtbot, admin_ctx)
    count = len(tab.specs())
    tab.add_button.click()
    dialog = tab.dialog
    assert dialog is not None
    dialog.code.setText("2.000815")
    dialog.name.setText("Chứng thực bản sao từ bản chính")
    dialog.field.setCurrentText("Chứng thực")
    dialog.settling_agency.setText("Bộ phận Một cửa")
    dialog.duration.setText("0,5")
    dialog.fee.setText("2.000")
    docs = dialog.documents.model
    for name, copy_type, copies, required in (
        ("Bản chính giấy tờ", "original", 1, True),
        ("Ảnh", "photo", 2, False),
    ):
        row = docs.add_row()
        docs.setData(docs.index(row, 0), name)
        docs.setData(docs.index(row, 1), copy_type)
        docs.setData(docs.index(row, 2), copies)
        if not required:
            docs.setData(
                docs.index(row, 3), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
            )
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert tab.dialog is None
    assert len(tab.specs()) == count + 1
    with admin_ctx.db.reader.begin() as s:
        spec = next(p for p in desk.export_catalog(s) if p.code == "2.000815")
    assert (str(spec.duration), spec.fee, len(spec.documents)) == ("0.5", 2000, 2)
    assert not spec.documents[1].required
    selected = tab.selected()
    assert selected is not None
    assert selected.code == "2.000815"

    tab.edit_button.click()
    dialog = tab.dialog
    assert dialog is not None
    assert dialog.code.isReadOnly()
    dialog.fee.setText("3000")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    tab.retire_button.click()
    idle(qtbot, admin_ctx)
    with admin_ctx.db.reader.begin() as s:
        spec = next(p for p in desk.export_catalog(s) if p.code == "2.000815")
    assert (spec.fee, spec.active) == (3000, False)
    assert tab.retire_button.text() == "Bring back"
    assert [c.kinds for c in seen] == [frozenset({"catalog"})] * 3


def test_the_document_checklist_is_a_table_with_vietnamese_copy_types(
    qtbot: QtBot, admin_ctx: UiContext, qtmodeltester: ModelTester
) -> None:
    _settings, tab = _catalog(qtbot, admin_ctx)
    karaoke = next(i for i, p in enumerate(tab.specs()) if p.code == "1.001029")
    tab.table.selectRow(karaoke)
    tab.edit_button.click()
    dialog = tab.dialog
    assert dialog is not None
    editor = dialog.documents
    model = editor.model
    qtmodeltester.check(model)
    before = model.specs()
    assert len(before) == model.rowCount() >= 2
    shown = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown <= {"Bản chính", "Bản sao chứng thực", "Bản photo"}
    assert not dialog.findChildren(QPlainTextEdit, "documents")

    # A new row through the buttons and the editors the table opens.
    editor.add_button.click()
    row = model.rowCount() - 1
    name_editor = editor.table.findChild(QLineEdit)
    assert name_editor is not None
    name_editor.setText("Bản sao Giấy chứng nhận đăng ký doanh nghiệp")
    editor.table.commitData(name_editor)
    editor.table.closeEditor(name_editor, QAbstractItemDelegate.EndEditHint.NoHint)
    editor.table.setCurrentIndex(model.index(row, 1))
    editor.table.edit(model.index(row, 1))
    combo = editor.table.findChild(QComboBox, "copy_type_editor")
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Bản chính",
        "Bản sao chứng thực",
        "Bản photo",
    ]
    combo.setCurrentIndex(1)
    editor.table.commitData(combo)
    editor.table.closeEditor(combo, QAbstractItemDelegate.EndEditHint.NoHint)
    editor.table.edit(model.index(row, 2))
    spin = editor.table.findChild(QSpinBox, "count_editor")
    assert spin is not None
    spin.setValue(2)
    editor.table.commitData(spin)
    editor.table.closeEditor(spin, QAbstractItemDelegate.EndEditHint.NoHint)
    model.setData(model.index(row, 3), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    added = DocumentSpec(
        "Bản sao Giấy chứng nhận đăng ký doanh nghiệp", CopyType.CERTIFIED, 2, required=False
    )
    assert model.specs() == (*before, added)
    # The first paper goes; a row left empty is not a paper.
    editor.table.setCurrentIndex(model.index(0, 0))
    editor.remove_button.click()
    editor.add_button.click()
    qtmodeltester.check(model)
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert tab.dialog is None
    with admin_ctx.db.reader.begin() as s:
        spec = next(p for p in desk.export_catalog(s) if p.code == "1.001029")
    assert spec.documents == (*before[1:], added)


def test_a_repeated_document_is_refused_under_the_table(qtbot: QtBot, admin_ctx: UiContext) -> None:
    _settings, tab = _catalog(qtbot, admin_ctx)
    tab.table.selectRow(0)
    tab.edit_button.click()
    dialog = tab.dialog
    assert dialog is not None
    model = dialog.documents.model
    first = model.index(0, 0).data()
    row = model.add_row()
    model.setData(model.index(row, 0), first)
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert tab.dialog is dialog
    assert dialog.errors.message("documents") == f"Thành phần hồ sơ «{first}» bị lặp."


def test_bad_procedure_values_show_next_to_their_fields(qtbot: QtBot, admin_ctx: UiContext) -> None:
    _settings, tab = _catalog(qtbot, admin_ctx)
    tab.add_button.click()
    dialog = tab.dialog
    assert dialog is not None
    dialog.code.setText("1.001029")
    dialog.name.setText("Trùng mã")
    dialog.field.setCurrentText("Văn hóa")
    dialog.settling_agency.setText("Sở")
    dialog.duration.setText("năm")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    message = dialog.errors.message("duration")
    assert message.startswith("Thời hạn giải quyết «năm» không phải là số")
    dialog.duration.setText("5")
    _ok(dialog)
    idle(qtbot, admin_ctx)
    assert dialog.errors.message("code") == "Mã thủ tục «1.001029» đã có trong danh mục."
    assert tab.dialog is dialog


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_catalogue_export_and_import(
    qtbot: QtBot, admin_ctx: UiContext, tmp_path: Path, suffix: str
) -> None:
    _settings, tab = _catalog(qtbot, admin_ctx)
    path = tmp_path / f"catalog{suffix}"
    assert tab.export_file(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "1.001029" in text
    seen = _changes(admin_ctx)
    tab.import_file(path)
    assert not tab.import_button.isEnabled()  # until the import has ended
    idle(qtbot, admin_ctx)
    assert tab.import_button.isEnabled()
    assert f"0 added, 0 updated, {len(tab.specs())} unchanged" in tab.notice.text()
    assert [c.kinds for c in seen] == [frozenset({"catalog"})]
    bad = tmp_path / "catalog.txt"
    bad.write_text("x", encoding="utf-8")
    tab.import_file(bad)  # refused before anything is written
    assert "đuôi .json hoặc .csv" in tab.notice.text()
    assert not admin_ctx.runner.busy
    assert len(seen) == 1


def test_this_computer_language_and_lock(qtbot: QtBot, ui_ctx: UiContext) -> None:
    settings = _dialog(qtbot, ui_ctx)
    tab = settings.machine_tab
    assert tab.language.currentData() == "vi"
    tab.language.setCurrentIndex(tab.language.findData("en"))
    assert ui_ctx.prefs.language == "en"
    assert "next time the program starts" in tab.language_note.text()
    tab.lock_minutes.setValue(0)
    assert ui_ctx.prefs.lock_minutes == 0
    assert tab.lock_minutes.text() == "Never"
    tab.lock_minutes.setValue(15)
    assert ui_ctx.prefs.lock_minutes == 15


def answer_moves_box(qtbot: QtBot, ctx: UiContext, button: QMessageBox.StandardButton) -> str:
    """Wait for the "due dates will move" box (it opens once the preview read on the worker
    came back), answer it, wait for what follows; returns the text it showed."""
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000
    )
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.objectName() == "confirmMovesBox"
    shown = box.text()
    box.button(button).click()
    idle(qtbot, ctx)
    return shown


def test_a_day_off_that_moves_open_files_asks_first(qtbot: QtBot, admin_ctx: UiContext) -> None:
    """DOMAIN §4.1 rule 7: the files that would move are listed before anything is saved."""
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=datetime(2026, 3, 2, 9, 15),
    )
    with admin_ctx.db.writer.begin() as s:
        code = intake.accept_file(s, data, admin_ctx.actor, now=data.received_at).code
    settings = _dialog(qtbot, admin_ctx)
    tab = settings.calendar_tab
    assert tab is not None
    settings.tabs.setCurrentWidget(tab)
    tab.select_date(date(2026, 3, 4))
    tab.note.setText("Thông báo nghỉ 12/TB")
    seen = _changes(admin_ctx)
    tab.off_button.click()
    assert not tab.off_button.isEnabled()  # from the click until the box is answered
    shown = answer_moves_box(qtbot, admin_ctx, QMessageBox.StandardButton.Cancel)
    assert code in shown and "09:15 09/03/2026 → 09:15 10/03/2026" in shown
    assert tab.off_button.isEnabled()
    assert tab.note.text() == "Thông báo nghỉ 12/TB"  # declined: nothing written, nothing lost
    assert seen == []
    with admin_ctx.db.reader.begin() as s:
        assert next(d for d in desk.calendar_year(s, 2026) if d.date == date(2026, 3, 4)).working
    tab.off_button.click()
    shown = answer_moves_box(qtbot, admin_ctx, QMessageBox.StandardButton.Save)
    assert code in shown
    assert [c.kinds for c in seen] == [frozenset({"calendar"})]
    assert tab.state_label.text() == "Day off"
    with admin_ctx.db.reader.begin() as s:
        assert not next(
            d for d in desk.calendar_year(s, 2026) if d.date == date(2026, 3, 4)
        ).working
        assert queries.show_file(s, code).original_due == datetime(2026, 3, 10, 9, 15)
