"""Settings in a centre: the Agencies tab (add, edit, refusals next to the fields), the agency
chooser of the Desk and Procedures tabs (hidden on a solo desk), the users' agencies."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desk_app.domain.catalog import bundled_catalog, dump_catalog_file
from desk_app.services import desk, intake, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.store.engine import Database
from desk_app.ui.context import UiContext
from desk_app.ui.settings import SettingsDialog
from desk_app.ui.settings.agencies import AgenciesTab, AgencyDialog
from desk_app.ui.settings.users import AgencyTicks, UserDialog

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)
NOW = datetime(2026, 3, 2, 10, 0)


def _dialog(qtbot: QtBot, ctx: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()  # error labels count as shown only in a visible window
    return dialog


def _save(dialog: AgencyDialog | UserDialog) -> None:
    for kind in (QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Ok):
        button = dialog.buttons.button(kind)
        if button is not None:
            button.click()
            return
    raise AssertionError("no Save or OK button")


def _fill(dialog: AgencyDialog, **values: str) -> None:
    for name, value in values.items():
        dialog.edits[name].setText(value)


def _add_agency(db: Database, agency_id: str, name: str, short: str) -> int:
    with db.writer.begin() as s:
        view = desk.add_agency(
            s,
            desk.IdentityInput(agency_id=agency_id, agency_name=name, place_name="Lạng Sơn"),
            COMMAND_LINE,
            short_name=short,
            now=NOW,
        )
    return view.id


@pytest.fixture
def centre(db: Database) -> Callable[[], int]:
    """Adds the Department of Justice, with a few procedures of its own; returns its id."""

    def make() -> int:
        agency = _add_agency(db, "000.00.21.H37", "SỞ TƯ PHÁP TỈNH LẠNG SƠN", "Sở Tư pháp")
        with db.writer.begin() as s:
            desk.import_catalog(s, bundled_catalog()[:2], COMMAND_LINE, now=NOW, agency=agency)
            users.assign_agencies(s, "canbo", [1, agency], COMMAND_LINE, now=NOW)
        return agency

    return make


def test_a_solo_desk_shows_no_chooser_and_no_agencies_column(
    qtbot: QtBot, admin_ctx: UiContext
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    assert dialog.desk_tab is not None and dialog.catalog_tab is not None
    assert dialog.users_tab is not None and dialog.agencies_tab is not None
    assert dialog.desk_tab.chooser.isHidden()
    assert dialog.catalog_tab.chooser.isHidden()
    assert dialog.users_tab.table.isColumnHidden(4)
    assert dialog.users_tab.agencies_button.isHidden()
    assert [a.id for a in dialog.agencies_tab.agencies()] == [1]


def test_adding_an_agency_shows_the_choosers(
    qtbot: QtBot, admin_ctx: UiContext, db: Database
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    tab = dialog.agencies_tab
    assert tab is not None and dialog.desk_tab is not None and dialog.catalog_tab is not None
    tab.add_button.click()
    added = tab.dialog
    assert added is not None
    # The identifier of another agency: refused next to its field, the dialog stays open.
    _fill(added, agency_id="000.00.20.h37", agency_name="SỞ TƯ PHÁP", short_name="Sở Tư pháp")
    _save(added)
    assert tab.dialog is added
    message = added.errors.label_for("agency_id")
    assert message.isVisible() and "đã là mã của cơ quan khác" in message.text()
    assert len(tab.agencies()) == 1
    _fill(added, agency_id="000.00.21.h37", place_name="Lạng Sơn")
    _save(added)
    qtbot.waitUntil(lambda: tab.dialog is None)
    assert [(a.id, a.agency_id, a.short_name) for a in tab.agencies()] == [
        (1, "000.00.20.H37", ""),
        (2, "000.00.21.H37", "Sở Tư pháp"),
    ]
    assert tab.notice.text() == "Agency Sở Tư pháp added."
    # The tabs already open hear it: their choosers appear, on the first agency.
    assert not dialog.desk_tab.chooser.isHidden()
    assert not dialog.catalog_tab.chooser.isHidden()
    assert dialog.desk_tab.agency() == 1
    users_tab = dialog.users_tab
    assert users_tab is not None and not users_tab.table.isColumnHidden(4)


def test_editing_an_agency_with_files_keeps_its_identifier(
    qtbot: QtBot, admin_ctx: UiContext, centre: Callable[[], int], db: Database, officer: Actor
) -> None:
    agency = centre()
    dialog = _dialog(qtbot, admin_ctx)
    tab = dialog.agencies_tab
    assert tab is not None
    tab.select(agency)
    tab.edit_button.click()
    edited = tab.dialog
    assert edited is not None
    assert not edited.edits["agency_id"].isReadOnly()  # no file yet
    _fill(edited, short_name="STP", phone="0205 3812 345")
    edited.active.setChecked(False)
    _save(edited)
    qtbot.waitUntil(lambda: tab.dialog is None)
    with db.reader.begin() as s:
        view = desk.get_agency(s, agency)
    assert (view.short_name, view.phone, view.active) == ("STP", "0205 3812 345", False)
    # A closed agency leaves the choosers (one open agency: hidden again).
    assert dialog.desk_tab is not None and dialog.desk_tab.chooser.isHidden()

    # Agency 1 gets a file: its identifier is shown read-only.
    with db.writer.begin() as s:
        intake.accept_file(
            s,
            intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
                received_at=NOW,
                agency=1,
            ),
            officer,
            now=NOW,
        )
    tab.load()
    tab.select(1)
    tab.edit_button.click()
    first = tab.dialog
    assert first is not None and first.edits["agency_id"].isReadOnly()
    assert first.identity().agency_id is None  # not sent: the core would refuse a change
    first.reject()


def test_the_catalogue_chooser_shows_each_agencys_procedures(
    qtbot: QtBot, admin_ctx: UiContext, centre: Callable[[], int], db: Database, tmp_path: Path
) -> None:
    agency = centre()
    dialog = _dialog(qtbot, admin_ctx)
    catalog = dialog.catalog_tab
    desk_tab = dialog.desk_tab
    assert catalog is not None and desk_tab is not None
    with db.reader.begin() as s:
        solo = len(desk.export_catalog(s))
    assert not catalog.chooser.isHidden() and len(catalog.specs()) == solo
    catalog.chooser.choose(agency)
    assert [p.code for p in catalog.specs()] == [p.code for p in bundled_catalog()[:2]]
    # Retiring here retires the chosen agency's procedure only.
    catalog.select(catalog.specs()[0].code)
    catalog.retire_button.click()
    with db.reader.begin() as s:
        assert not desk.export_catalog(s, agency)[0].active
        assert all(p.active for p in desk.export_catalog(s, 1))
    # Importing a catalogue file adds to the chosen agency's catalogue only.
    third = bundled_catalog()[2]
    path = tmp_path / "thu-tuc.json"
    dump_catalog_file([third], path)
    catalog.import_file(path)
    assert "1 added" in catalog.notice.text()
    assert third.code in [p.code for p in catalog.specs()]
    with db.reader.begin() as s:
        assert len(desk.export_catalog(s, agency)) == 3
        assert len(desk.export_catalog(s, 1)) == solo
    # The Desk tab's chooser shows and saves the chosen agency's identity.
    desk_tab.chooser.choose(agency)
    assert desk_tab.edits["agency_id"].text() == "000.00.21.H37"
    desk_tab.edits["phone"].setText("0205 3999 999")
    desk_tab.save_button.click()
    with db.reader.begin() as s:
        assert desk.get_agency(s, agency).phone == "0205 3999 999"
        assert desk.get_agency(s, 1).phone == ""


def test_the_admin_ticks_a_users_agencies(
    qtbot: QtBot, admin_ctx: UiContext, centre: Callable[[], int], db: Database
) -> None:
    agency = centre()
    dialog = _dialog(qtbot, admin_ctx)
    tab = dialog.users_tab
    assert tab is not None
    assert not tab.table.isColumnHidden(4) and not tab.agencies_button.isHidden()
    rows = {tab.model.index(r, 0).data(): r for r in range(tab.model.rowCount())}
    assert tab.model.index(rows["canbo"], 4).data() == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH, Sở Tư pháp"
    tab.select("lanhdao")
    tab.agencies_button.click()
    ticks = tab.dialog
    assert ticks is not None
    boxes = ticks.widgets["agencies"]
    assert isinstance(boxes, AgencyTicks)
    assert boxes.ticked() == [1]
    boxes.boxes[1].setChecked(False)
    boxes.boxes[agency].setChecked(True)
    _save(ticks)
    qtbot.waitUntil(lambda: tab.dialog is None)
    with db.reader.begin() as s:
        assert {u.username: u.agencies for u in users.list_users(s)}["lanhdao"] == (agency,)
    rows = {tab.model.index(r, 0).data(): r for r in range(tab.model.rowCount())}
    assert tab.model.index(rows["lanhdao"], 4).data() == "Sở Tư pháp"

    # A new user of a centre gets the agencies ticked when added.
    tab.add_button.click()
    new = tab.dialog
    assert new is not None
    for name, value in {
        "username": "canbo2",
        "full_name": "Hoàng Văn Nam",
        "password": "matkhau123",
        "password2": "matkhau123",
    }.items():
        widget = new.widgets[name]
        assert isinstance(widget, QLineEdit)
        widget.setText(value)
    new_boxes = new.widgets["agencies"]
    assert isinstance(new_boxes, AgencyTicks) and new_boxes.ticked() == []
    new_boxes.boxes[agency].setChecked(True)
    _save(new)
    qtbot.waitUntil(lambda: tab.dialog is None)
    with db.reader.begin() as s:
        assert {u.username: u.agencies for u in users.list_users(s)}["canbo2"] == (agency,)


def _shoot(widget: QWidget, folder: Path, name: str) -> Path:
    path = folder / name
    assert widget.grab().save(str(path))
    return path


def test_screenshots_with_two_agencies(
    qtbot: QtBot,
    admin_ctx: UiContext,
    centre: Callable[[], int],
    db: Database,
    tmp_path: Path,
) -> None:
    """The tabs at 1366×768 with two agencies added (DESK_SHOTS names a folder to keep them)."""
    folder = Path(os.environ.get("DESK_SHOTS") or tmp_path)
    centre()
    _add_agency(db, "000.00.22.H37", "SỞ Y TẾ TỈNH LẠNG SƠN", "Sở Y tế")
    dialog = _dialog(qtbot, admin_ctx)
    assert isinstance(dialog.agencies_tab, AgenciesTab)
    dialog.tabs.setCurrentWidget(dialog.agencies_tab)
    assert _shoot(dialog, folder, "settings-agencies.png").stat().st_size > 0
    assert dialog.users_tab is not None
    dialog.tabs.setCurrentWidget(dialog.users_tab)
    assert _shoot(dialog, folder, "settings-users-agencies.png").stat().st_size > 0
    assert dialog.catalog_tab is not None
    dialog.tabs.setCurrentWidget(dialog.catalog_tab)
    assert _shoot(dialog, folder, "settings-catalog-agencies.png").stat().st_size > 0
    assert dialog.desk_tab is not None
    dialog.tabs.setCurrentWidget(dialog.desk_tab)
    assert _shoot(dialog, folder, "settings-desk-agencies.png").stat().st_size > 0
