"""A counter PC in a centre (issue 14): the agencies it serves and its counter's name (Settings ›
This computer), the sign-in that refuses an officer of none of them, the status bar naming the
counter and the officer's agencies, lists and the procedure picker of the officer's agencies
only, and an intake for the agency of the procedure picked."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app import machine_prefs
from desk_app.services import intake, scope, users
from desk_app.services.browse import ListQueue
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, FileRecord, Procedure, SyncSettings, User
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import DbOps
from desk_app.ui.file_model import CODE_ROLE
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import PLACE_MAX_WIDTH, MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.settings.machine import MachineTab
from desk_app.ui.signin import SignInDialog
from tests.ui.conftest import NOW, make_ui_context

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

KARAOKE = "1.001029"  # in both catalogues
B_ONLY = "9.000001"  # only in agency B's
B_IDENT = "000.00.15.H37"
PASSWORD = "matkhau123"
NO_AGENCY_HERE = "Tài khoản chưa được phân công cho cơ quan nào mà máy này phục vụ"


def _add_agency(db: Database) -> int:
    """A second agency with plain rows (as an administrator's screen would add it): its
    identity, its sync row, two procedures (one code shared with A's catalogue, one its own),
    and an officer of its own."""
    with db.writer.begin() as s:
        s.get_one(DeskSettings, 1).short_name = "Sở VHTTDL"
        first = s.get_one(DeskSettings, 1).first_day
        row = DeskSettings(
            governing_body="UBND TỈNH LẠNG SƠN",
            agency_name="SỞ TƯ PHÁP TỈNH LẠNG SƠN",
            short_name="Sở Tư pháp",
            agency_id=B_IDENT,
            place_name="Lạng Sơn",
            first_day=first,
        )
        s.add(row)
        s.flush()
        s.add(SyncSettings(id=row.id, install_id="agency-b"))
        karaoke = s.scalars(
            select(Procedure).where(Procedure.code == KARAOKE, Procedure.agency == 1)
        ).one()
        for code, name in ((KARAOKE, karaoke.name), (B_ONLY, "Chứng thực bản sao từ bản chính")):
            s.add(
                Procedure(
                    agency=row.id,
                    code=code,
                    name=name,
                    name_folded=name.lower(),
                    field="Chứng thực",
                    settling_agency="Sở Tư pháp",
                    duration=karaoke.duration,
                    unit=karaoke.unit,
                    fee=karaoke.fee,
                    documents=karaoke.documents,
                )
            )
        users.create_user(
            s, "canbo_tp", "Trần Văn Bình", users.Role.OFFICER, PASSWORD, COMMAND_LINE,
            agencies=[row.id],
        )  # fmt: skip
        return row.id


def _sign_in(db: Database, username: str, served: frozenset[int] | None = None) -> Actor:
    with db.writer.begin() as s:
        return users.sign_in(s, username, PASSWORD, served=served, counter="Quầy 3")


def _assign(db: Database, username: str, agencies: list[int]) -> None:
    with db.writer.begin() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        scope.assign(s, user, agencies)


def _accept(db: Database, actor: Actor, name: str, agency: int | None = None) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name),
        received_at=datetime(2026, 3, 2, 8, 0),
        agency=agency,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=datetime(2026, 3, 2, 8, 0))


@pytest.fixture
def agency_b(db: Database) -> int:
    return _add_agency(db)


def _ctx(db: Database, actor: Actor, tmp_path: Path) -> UiContext:
    return make_ui_context(db, actor, tmp_path)


def _window(ctx: UiContext, qtbot: QtBot) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _codes(window: MainWindow) -> list[str]:
    m = window.model
    return [str(m.data(m.index(r, 0), CODE_ROLE)) for r in range(m.rowCount())]


# --- lists, counts, search and the picker of the officer's agencies --------------------------


def test_an_officer_of_agency_a_sees_only_a_files_and_procedures(
    qapp: object, db: Database, agency_b: int, qtbot: QtBot, tmp_path: Path
) -> None:
    officer_a = _sign_in(db, "canbo")
    officer_b = _sign_in(db, "canbo_tp")
    assert (officer_a.agencies, officer_b.agencies) == (frozenset({1}), frozenset({agency_b}))
    mine = _accept(db, officer_a, "Hà Thị Thu")
    theirs = _accept(db, officer_b, "Lý Văn Nam")
    assert theirs.code.startswith(B_IDENT)
    ctx = _ctx(db, officer_a, tmp_path)
    window = _window(ctx, qtbot)
    assert _codes(window) == [mine.code]
    counts = window.queues.queue_model
    assert (counts.count(ListQueue.NEW), counts.count(ListQueue.ALL)) == (1, 1)
    window.queues.select(ListQueue.ALL)
    assert _codes(window) == [mine.code]
    # The other agency's code scanned into the search box finds nothing here.
    window.search.setText(theirs.code)
    window._on_search_return_pressed()
    assert _codes(window) == []
    window.search.setText(mine.code)
    window._on_search_return_pressed()
    assert _codes(window) == [mine.code]
    # The picker offers A's catalogue only, without agency names (one agency).
    dialog = IntakeDialog(ctx, window)
    qtbot.addWidget(dialog)
    picker = dialog.form.procedure
    assert not picker.shows_agency()
    assert not picker.choose(B_ONLY)
    assert picker.choose(KARAOKE)
    choice = picker.choice()
    assert choice is not None
    assert choice.agency == 1
    assert " · " not in picker.text()
    dialog.discard_draft()
    dialog.done(0)


# --- the sign-in at a computer that serves some agencies --------------------------------------


def _sign_in_dialog(qtbot: QtBot, db: Database, prefs: Prefs) -> SignInDialog:
    ops = DbOps(db, OpRunner(synchronous=True), ChangeBus())
    dialog = SignInDialog(ops, prefs, database=db.label)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_pc_serving_only_b_refuses_an_officer_of_a_beside_the_field(
    qtbot: QtBot, db: Database, agency_b: int, tmp_path: Path
) -> None:
    prefs = Prefs(tmp_path / "p.ini")
    prefs.set_served_agencies(db.label, [agency_b])
    prefs.counter_name = "Quầy 3"
    dialog = _sign_in_dialog(qtbot, db, prefs)
    dialog.username.setText("canbo")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.actor() is None
    shown = dialog.errors.message("password")
    assert shown.startswith(NO_AGENCY_HERE)
    label = dialog.findChild(QWidget, "error_password")
    assert label is not None
    assert label.isVisible()
    # The officer of B signs in here, for B only, at counter 3.
    dialog.username.setText("canbo_tp")
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    actor = dialog.actor()
    assert actor is not None
    assert (actor.username, actor.agencies, actor.counter) == (
        "canbo_tp",
        frozenset({agency_b}),
        "Quầy 3",
    )


def test_the_served_agencies_are_kept_per_database(tmp_path: Path) -> None:
    prefs = Prefs(tmp_path / "p.ini")
    prefs.set_served_agencies("/srv/a/desk.sqlite3", [3, 2])
    prefs.set_served_agencies("desk@csdl.trungtam.lan:5432/desk", [5])
    prefs.counter_name = "  Quầy   3 "
    prefs.sync()
    assert Prefs(tmp_path / "p.ini").served_agencies("/srv/a/desk.sqlite3") == {2, 3}
    assert prefs.served_agencies("desk@csdl.trungtam.lan:5432/desk") == {5}
    assert prefs.served_agencies("/elsewhere.sqlite3") is None
    assert prefs.counter_name == "Quầy 3"
    # The command line reads the same file without Qt.
    path = tmp_path / "p.ini"
    assert machine_prefs.read_place(path, "/srv/a/desk.sqlite3") == (frozenset({2, 3}), "Quầy 3")
    assert machine_prefs.read_place(path, "/elsewhere.sqlite3") == (None, "Quầy 3")
    assert machine_prefs.read_place(tmp_path / "none.ini", "x") == (None, "")
    prefs.set_served_agencies("/srv/a/desk.sqlite3", [])  # none ticked: every agency again
    prefs.sync()
    assert machine_prefs.read_place(path, "/srv/a/desk.sqlite3") == (None, "Quầy 3")


# --- the status bar ----------------------------------------------------------------------------


def test_the_status_bar_names_the_counter_and_the_officer_agencies(
    qapp: object, db: Database, agency_b: int, qtbot: QtBot, tmp_path: Path
) -> None:
    _assign(db, "canbo", [1, agency_b])
    ctx = _ctx(db, _sign_in(db, "canbo"), tmp_path)
    assert ctx.actor.agencies is None  # every agency of the database
    window = _window(ctx, qtbot)
    window.resize(1366, 768)
    label = window.place_label
    assert label.text() == "Quầy 3 · Sở VHTTDL, Sở Tư pháp"
    assert label.isVisible()
    assert "SỞ TƯ PHÁP TỈNH LẠNG SƠN" in label.toolTip()
    # At a computer that serves B only, B alone.
    ctx.actor = _sign_in(db, "canbo", frozenset({agency_b}))
    window.set_actor_labels()
    assert label.text() == "Quầy 3 · Sở Tư pháp"
    # A long name is elided to fit the bar, whole in the tooltip.
    with db.writer.begin() as s:
        s.get_one(DeskSettings, agency_b).short_name = "Sở Tư pháp " + "rất dài " * 20
    window._read_agencies()
    assert label.text().endswith("…")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= PLACE_MAX_WIDTH
    assert "rất dài rất dài" in label.toolTip()
    assert window.statusBar().sizeHint().width() <= 1366


def test_with_one_agency_the_status_bar_shows_only_the_counter_name(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    window = _window(ui_ctx, qtbot)
    assert window.place_label.text() == ""
    assert not window.place_label.isVisible()
    ui_ctx.actor = replace(ui_ctx.actor, counter="Quầy 1")
    window.set_actor_labels()
    assert window.place_label.text() == "Quầy 1"


# --- Settings › This computer ------------------------------------------------------------------


def test_the_machine_tab_ticks_the_agencies_this_pc_serves(
    qapp: object, db: Database, agency_b: int, qtbot: QtBot, tmp_path: Path
) -> None:
    admin = _sign_in(db, "quantri")
    ctx = _ctx(db, admin, tmp_path)
    tab = MachineTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.served_box.isVisible()
    assert sorted(tab.served_checks) == [1, agency_b]
    assert not any(check.isChecked() for check in tab.served_checks.values())
    assert tab.served() is None
    tab.served_checks[agency_b].setChecked(True)
    assert ctx.prefs.served_agencies(db.label) == {agency_b}
    assert ctx.prefs.served_agencies("another.sqlite3") is None
    tab.served_checks[agency_b].setChecked(False)
    assert ctx.prefs.served_agencies(db.label) is None
    qtbot.keyClicks(tab.counter_name, "Quay 3")  # (QTest types Latin-1 only)
    assert ctx.prefs.counter_name == "Quay 3"
    assert ctx.actor.counter == "Quay 3"  # at once: the files received from now on
    # Reopened, the tab shows what was saved.
    tab.served_checks[agency_b].setChecked(True)
    again = MachineTab(ctx)
    qtbot.addWidget(again)
    assert again.counter_name.text() == "Quay 3"
    assert again.served() == {agency_b}


def test_the_machine_tab_of_a_solo_desk_has_no_agencies_and_officers_only_read(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    ui_ctx.prefs.counter_name = "Quầy 2"
    tab = MachineTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.served_box.isVisible()
    assert tab.served_checks == {}
    assert tab.counter_name.text() == "Quầy 2"
    assert tab.counter_name.isReadOnly()


# --- intake for the agency of the procedure picked ---------------------------------------------


def test_intake_of_a_b_procedure_makes_a_b_file(
    qapp: object,
    db: Database,
    agency_b: int,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        "desk_app.ui.preview.show_pdf", lambda _p, pdf, _title, name: shown.append((pdf, name))
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    _assign(db, "canbo", [1, agency_b])
    ctx = _ctx(db, _sign_in(db, "canbo"), tmp_path)
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    picker = dialog.form.procedure
    assert picker.shows_agency()
    qtbot.keyClicks(picker, "karaoke")
    rows = picker.popup.model()
    texts = [str(rows.index(r, 0).data()) for r in range(rows.rowCount())]
    assert any(t.startswith("Sở Tư pháp · " + KARAOKE) for t in texts)
    assert any(t.startswith("Sở VHTTDL · " + KARAOKE) for t in texts)
    picker.clear()
    assert picker.choose(KARAOKE, agency_b)
    assert picker.text().startswith("Sở Tư pháp · ")
    assert dialog.due == datetime(2026, 3, 9, 10, 0)  # B's calendar: the same hours
    dialog.form.name.setText("Đặng Thị Ánh")
    dialog.form.phone.setText("0912345678")
    assert dialog.form.intake_input(NOW).agency == agency_b
    dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
    with qtbot.waitSignal(dialog.accepted_file) as accepted:
        dialog.save()
    view = accepted.args[0]
    assert view.code.startswith(B_IDENT)
    with db.reader.begin() as s:
        record = s.scalars(select(FileRecord).where(FileRecord.code == view.code)).one()
        assert record.agency == agency_b
        assert record.counter_name == "Quầy 3"
    assert [name for _pdf, name in shown] == [f"giay-tiep-nhan-{view.code}.pdf"]
    # The receipt is headed by agency B.
    reader = PdfReader(io.BytesIO(shown[0][0]))
    text = " ".join(unicodedata.normalize("NFC", p.extract_text() or "") for p in reader.pages)
    assert "SỞ TƯ PHÁP TỈNH LẠNG SƠN" in " ".join(text.split())
    assert "SỞ VĂN HÓA" not in text
