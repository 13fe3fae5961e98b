"""The file panel's Scans tab and its page viewer, on real scans (a ReportLab PDF, Pillow PNGs):
pages drawn, paged through, zoomed, turned and removed; a lost page said in words; scans attached
by choosing or dropping files; an exception with its reason; who may change what."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas

from desk_app.domain.digitising import LineKind, LineState
from desk_app.services import browse, digitise, intake, lifecycle, queries, users
from desk_app.services.browse import ListQueue
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.store.pages import FolderStore, page_store
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.file_detail import FileDetail
from desk_app.ui.page_viewer import PageViewer
from desk_app.ui.scan_lines import ScanLinesTab, ScanStateDialog
from tests.ui.conftest import NOW, make_ui_context

RECEIVED = datetime(2026, 3, 2, 9, 15)


def picture(colour: str = "white", size: tuple[int, int] = (60, 30)) -> bytes:
    """A PNG with a red square in its upper-left corner (to see where a turn put it)."""
    image = Image.new("RGB", size, colour)
    image.paste((255, 0, 0), (0, 0, 10, 10))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def black_corner_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages have a black square in the upper-left corner and white elsewhere."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(200, 300))
    for number in range(1, pages + 1):
        pdf.rect(0, 240, 60, 60, stroke=0, fill=1)
        pdf.drawString(80, 150, f"Trang {number}")  # each page its own bytes
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _file(ctx: UiContext, *, scanned: bool = True) -> str:
    """A file whose first paper is a two-page PDF and its second a PNG (or nothing scanned)."""
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Lương Thị Thu Hằng"),
        received_at=RECEIVED,
    )
    with ctx.db.writer.begin() as s:
        code = intake.accept_file(s, data, ctx.actor, now=RECEIVED).code
        digitise.open_lines(s, code, ctx.actor, RECEIVED)
        if scanned:
            digitise.attach(s, code, [(black_corner_pdf(), "don.pdf")], ctx.actor, RECEIVED)
            digitise.attach(s, code, [(picture(), "gcn.png")], ctx.actor, RECEIVED, line=1)
    return code


def _panel(ctx: UiContext, qtbot: QtBot, code: str) -> FileDetail:
    panel = FileDetail(ctx)
    qtbot.addWidget(panel)
    panel.resize(560, 720)
    panel.show()
    panel.show_code(code)
    panel.tabs.setCurrentWidget(panel.scans)
    return panel


def _lines(ctx: UiContext, code: str) -> tuple[digitise.LineView, ...]:
    with ctx.db.reader.begin() as s:
        return digitise.file_lines(s, code)


def _fitted(viewer: PageViewer) -> QSize:
    """The shown page's size, once the layout has settled, checked to fit the view."""
    QApplication.processEvents()
    shown = viewer.image_label.pixmap().size()
    room = viewer._scroll.viewport().size()
    assert shown.height() <= room.height() and shown.width() <= room.width()
    assert room.height() - shown.height() <= 4 or room.width() - shown.width() <= 4
    return shown


def _scanner(tmp_path: Path) -> Path:
    """The scanner's folder: not the database's (tmp_path), whose files are never read."""
    folder = tmp_path / "scanner"
    folder.mkdir(exist_ok=True)
    return folder


def _to_digitise(ctx: UiContext) -> int:
    with ctx.db.reader.begin() as s:
        return browse.queue_count(s, ListQueue.TO_DIGITISE, NOW)


def test_the_tab_lists_the_lines_and_the_viewer_pages_through_a_pdf_and_a_picture(
    ui_ctx: UiContext, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    code = _file(ui_ctx)
    panel = _panel(ui_ctx, qtbot, code)
    tab, viewer = panel.scans, panel.scans.viewer
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == 2
    assert tab.model.index(0, 0).data().startswith("1. Đơn đề nghị")
    assert [tab.model.index(r, 1).data() for r in range(2)] == ["Đã số hóa"] * 2
    assert [tab.model.index(r, 2).data() for r in range(2)] == ["2", "1"]
    # Who answered the line and when: under the table for the chosen line, in each tooltip.
    recorded = f"{ui_ctx.actor.name}, 02/03/2026 09:15"
    assert tab.info.text() == recorded
    assert (
        tab.model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole).endswith("\n1 page(s)\n" + recorded)
    )
    # The first line's first page: the PDF drawn, its black corner upper-left.
    assert viewer.index == 0 and viewer.page_count == 2
    image = viewer.image()
    assert image is not None and image.height() > image.width()
    assert image.pixelColor(5, 5).lightness() < 40
    assert image.pixelColor(image.width() - 5, image.height() - 5).lightness() > 220
    # Fitted: the whole page in the view, as tall (or as wide) as the view allows.
    assert viewer.zoom is None and viewer.fit_button.isChecked()
    shown = _fitted(viewer)
    assert not viewer.previous_button.isEnabled() and viewer.next_button.isEnabled()
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    assert viewer.index == 1 and viewer.page_label.text() == "Page 2 of 2"
    assert not viewer.next_button.isEnabled()
    qtbot.mouseClick(viewer.zoom_in_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom is not None and not viewer.fit_button.isChecked()
    assert viewer.image_label.pixmap().height() > shown.height()
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom is None
    _fitted(viewer)
    # The second line: the PNG as it was scanned.
    tab.table.selectRow(1)
    picture_shown = viewer.image()
    assert viewer.page_count == 1 and picture_shown is not None
    assert (picture_shown.width(), picture_shown.height()) == (60, 30)
    assert picture_shown.pixelColor(2, 2).red() > 200
    assert picture_shown.pixelColor(2, 2).green() < 60


def test_turning_a_page_keeps_it_shown_turned_and_removing_asks_first(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _file(ui_ctx)
    panel = _panel(ui_ctx, qtbot, code)
    tab, viewer = panel.scans, panel.scans.viewer
    heard: list[Change] = []
    ui_ctx.bus.changed.connect(heard.append)
    tab.table.selectRow(1)
    before = viewer.current_page()
    assert before is not None and viewer.left_button.isVisible()
    qtbot.mouseClick(viewer.right_button, Qt.MouseButton.LeftButton)
    after = viewer.current_page()
    assert after is not None and after.sha256 != before.sha256 and after.seq == before.seq
    assert tab.current_line() is not None and tab.current_line().line == 1  # type: ignore[union-attr]
    turned = viewer.image()
    assert turned is not None and (turned.width(), turned.height()) == (30, 60)
    assert turned.pixelColor(27, 2).red() > 200  # the upper-left mark went upper-right
    assert heard and heard[-1].touches("files") and code in heard[-1].codes
    with ui_ctx.db.reader.begin() as s:
        stored = digitise.page_bytes(s, after.sha256)
    assert Image.open(io.BytesIO(stored)).size == (30, 60)
    qtbot.mouseClick(viewer.left_button, Qt.MouseButton.LeftButton)
    back = viewer.image()
    assert back is not None and (back.width(), back.height()) == (60, 30)

    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(viewer.remove_button, Qt.MouseButton.LeftButton)  # No: nothing happens
    assert len(_lines(ui_ctx, code)[1].pages) == 1
    qtbot.mouseClick(viewer.remove_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and "Giấy chứng nhận" in asked[0]
    line = _lines(ui_ctx, code)[1]
    assert line.pages == () and line.state == LineState.PENDING
    # The line is to scan again: the panel says so, the viewer has nothing to show.
    assert tab.model.index(1, 1).data() == "To scan" and tab.model.index(1, 2).data() == ""
    assert viewer.current_page() is None and viewer.message_shown()
    assert _to_digitise(ui_ctx) == 1


@pytest.mark.sqlite_only
def test_a_page_lost_from_the_store_is_said_in_the_viewer(ui_ctx: UiContext, qtbot: QtBot) -> None:
    code = _file(ui_ctx)
    sha = _lines(ui_ctx, code)[0].pages[1].sha256
    with ui_ctx.db.reader.begin() as s:
        store = page_store(s)
    assert isinstance(store, FolderStore)
    store.path_of(sha).unlink()
    panel = _panel(ui_ctx, qtbot, code)
    viewer = panel.scans.viewer
    assert viewer.image() is not None  # page 1 is there
    viewer.show_page(1)
    assert viewer.image() is None and viewer.image_label.pixmap().isNull()
    assert viewer.message_shown() and "Page 2 of this line is missing" in viewer.message.text()
    viewer.show_page(0)  # the others still show
    assert viewer.image() is not None and not viewer.message_shown()


def test_scans_chosen_or_dropped_are_attached_and_the_queue_recounts(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    code = _file(ui_ctx, scanned=False)
    panel = _panel(ui_ctx, qtbot, code)
    tab = panel.scans
    assert _to_digitise(ui_ctx) == 1
    assert panel.tabs.tabToolTip(panel.tabs.indexOf(tab)) == "2 paper(s) still to scan"
    heard: list[Change] = []
    ui_ctx.bus.changed.connect(heard.append)
    first = _scanner(tmp_path) / "don.pdf"
    first.write_bytes(black_corner_pdf(pages=3))
    tab.choose_line(LineKind.DOCUMENT, 0)
    tab.attach_files([first])
    assert heard and heard[-1].touches("files") and heard[-1].codes == {code}
    assert [len(v.pages) for v in _lines(ui_ctx, code)] == [3, 0]
    assert tab.viewer.page_count == 3 and tab.viewer.index == 0
    # Dropped on the second line of the table: attached there, and shown.
    second = _scanner(tmp_path) / "gcn.png"
    second.write_bytes(picture("yellow"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    row = tab.table.visualRect(tab.model.index(1, 0)).center()
    at = QPointF(tab.table.viewport().mapTo(tab, row))
    event = QDropEvent(
        at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    tab.dropEvent(event)
    assert event.isAccepted()
    lines = _lines(ui_ctx, code)
    assert [v.state for v in lines] == [LineState.DIGITISED, LineState.DIGITISED]
    assert tab.current_line() == lines[1] and tab.viewer.image() is not None
    assert _to_digitise(ui_ctx) == 0
    assert panel.tabs.tabToolTip(panel.tabs.indexOf(tab)) == ""


def test_an_exception_needs_its_reason_next_to_the_field(ui_ctx: UiContext, qtbot: QtBot) -> None:
    code = _file(ui_ctx, scanned=False)
    panel = _panel(ui_ctx, qtbot, code)
    tab = panel.scans
    tab.choose_line(LineKind.DOCUMENT, 1)
    dialog = tab.state_dialog()
    assert isinstance(dialog, ScanStateDialog)
    qtbot.addWidget(dialog)
    dialog.state.setCurrentIndex(dialog.state.findData(LineState.CONFIDENTIAL))
    dialog.submit()
    error = dialog.findChild(QLabel, "error_reason")
    assert error is not None and "lý do" in error.text() and dialog.result() == 0
    dialog.findChild(QPlainTextEdit, "reason").setPlainText("Tài liệu mật của doanh nghiệp")  # type: ignore[union-attr]
    dialog.submit()
    assert dialog.result() == ScanStateDialog.DialogCode.Accepted
    line = _lines(ui_ctx, code)[1]
    assert (line.state, line.reason) == (LineState.CONFIDENTIAL, "Tài liệu mật của doanh nghiệp")
    assert tab.model.index(1, 1).data() == "Tài liệu mật: Tài liệu mật của doanh nghiệp"
    # A scanned line takes no exception: its pages come off first.
    tab.attach_files([])  # nothing chosen: nothing written
    with ui_ctx.db.writer.begin() as s:
        digitise.attach(s, code, [(picture(), "a.png")], ui_ctx.actor, NOW)
    panel.show_code(code)
    tab.choose_line(LineKind.DOCUMENT, 0)
    assert not tab.state_button.isEnabled() and tab.state_dialog() is None


def test_the_result_back_is_a_line_to_scan_and_roles_without_digitising_only_look(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    code = _file(ui_ctx)
    with ui_ctx.db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), ui_ctx.actor, now=NOW)
    panel = _panel(ui_ctx, qtbot, code)
    tab = panel.scans
    assert tab.model.rowCount() == 3 and tab.model.index(2, 1).data() == "To scan"
    assert tab.current_line() == _lines(ui_ctx, code)[0]  # the first with pages to look at
    result = _scanner(tmp_path) / "ket-qua.png"
    result.write_bytes(picture("lime"))
    tab.choose_line(LineKind.RESULT, 0)
    tab.attach_files([result])
    assert _lines(ui_ctx, code)[2].state == LineState.DIGITISED and _to_digitise(ui_ctx) == 0

    guest = make_ui_context(
        ui_ctx.db, Actor(user_id=None, name="Khách", role="guest"), tmp_path / "guest"
    )
    looker = FileDetail(guest)
    qtbot.addWidget(looker)
    looker.show()
    looker.show_code(code)
    looker.tabs.setCurrentWidget(looker.scans)
    hidden = [looker.scans.findChild(QPushButton, n) for n in ("scanAttach", "scanState")] + [
        looker.scans.findChild(QToolButton, n) for n in ("pageRotateLeft", "pageRemove")
    ]
    assert all(w is not None and not w.isVisible() for w in hidden)
    assert looker.scans.viewer.image() is not None  # looking is for everyone
    looker.scans.attach_files([result])  # a stale call writes nothing
    assert len(_lines(ui_ctx, code)[2].pages) == 1

    # Post-office staff at the counter digitise (Decree 118): the tab offers them its changes.
    with ui_ctx.db.writer.begin() as s:
        users.create_user(
            s, "buudien1", "Lò Thị Mai", users.Role.POSTAL, "matkhau123", COMMAND_LINE, now=NOW
        )
    with ui_ctx.db.writer.begin() as s:
        postal = users.sign_in(s, "buudien1", "matkhau123", now=NOW)
    counter = FileDetail(make_ui_context(ui_ctx.db, postal, tmp_path / "postal"))
    qtbot.addWidget(counter)
    counter.show()
    counter.show_code(code)
    counter.tabs.setCurrentWidget(counter.scans)
    assert counter.scans.attach_button.isVisible() and counter.scans.viewer.left_button.isVisible()


def test_the_viewer_alone_says_when_there_is_nothing_to_show(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    viewer = PageViewer(ui_ctx)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.current_page() is None and viewer.message_shown()
    assert not viewer.next_button.isEnabled() and not viewer.zoom_in_button.isEnabled()
    tab = ScanLinesTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.current_line() is None and tab.open_count() == 0


def test_the_window_lists_the_file_to_digitise_until_its_last_line_is_answered(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    from desk_app.ui.main_window import MainWindow

    code = _file(ui_ctx, scanned=False)
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    counts = window.queues.queue_model
    assert counts.count(ListQueue.TO_DIGITISE) == 1
    window.queues.select(ListQueue.TO_DIGITISE)
    window.open_code(code)
    tab = window.detail.scans
    assert tab.view is not None and tab.view.code == code
    scan = _scanner(tmp_path) / "don.png"
    scan.write_bytes(picture())
    tab.choose_line(LineKind.DOCUMENT, 0)
    tab.attach_files([scan])
    assert counts.count(ListQueue.TO_DIGITISE) == 1  # the second paper still waits
    tab.choose_line(LineKind.DOCUMENT, 1)
    dialog = tab.state_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.state.setCurrentIndex(dialog.state.findData(LineState.SHOWN_ONLY))
    dialog.reason.setPlainText("Bản chính xem rồi trả lại")
    dialog.submit()
    assert counts.count(ListQueue.TO_DIGITISE) == 0  # the bus recounted the queues


def test_a_result_back_before_results_were_digitised_can_still_be_scanned(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    from sqlalchemy import delete

    from desk_app.store.models import ScanLine

    code = _file(ui_ctx)
    with ui_ctx.db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), ui_ctx.actor, now=NOW)
        s.execute(delete(ScanLine).where(ScanLine.kind == "result"))  # as before migration 0016
    panel = _panel(ui_ctx, qtbot, code)
    tab = panel.scans
    assert [v.kind for v in tab.lines] == [LineKind.DOCUMENT, LineKind.DOCUMENT, LineKind.RESULT]
    assert tab.model.index(2, 1).data() == "To scan"
    tab.choose_line(LineKind.RESULT, 0)
    assert tab.attach_button.isEnabled() and tab.state_button.isEnabled()


def test_the_result_dialog_attaches_the_results_scan_in_the_same_step(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    from desk_app.ui.action_base import ActionDialog
    from desk_app.ui.action_dialogs import RecordResultDialog
    from desk_app.ui.actions import run_action

    code = _file(ui_ctx)
    with ui_ctx.db.reader.begin() as s:
        view = queries.show_file(s, code)
    broken, good = _scanner(tmp_path) / "hong.pdf", _scanner(tmp_path) / "ket-qua.pdf"
    broken.write_bytes(b"%PDF-1.4 cut short")
    good.write_bytes(black_corner_pdf(pages=2))
    refused: list[str] = []

    def broken_scan(dialog: ActionDialog) -> None:
        assert isinstance(dialog, RecordResultDialog)
        assert dialog.findChild(QLabel, "resultScans") is not None
        dialog.set_scans([broken])
        dialog.submit()
        refused.append(dialog.errors.visible_messages().get("pages", ""))
        dialog.reject()

    parent = QWidget()
    qtbot.addWidget(parent)
    assert run_action("record_result", view, ui_ctx, parent, dialog_hook=broken_scan) is None
    assert refused and refused[0]  # said under the scan's field; the step rolled back whole
    assert [v.kind for v in _lines(ui_ctx, code)] == [LineKind.DOCUMENT] * 2

    def with_scan(dialog: ActionDialog) -> None:
        assert isinstance(dialog, RecordResultDialog)
        dialog.set_scans([good])
        dialog.submit()

    settled = run_action("record_result", view, ui_ctx, parent, dialog_hook=with_scan)
    assert settled is not None and settled.settled is not None
    result = _lines(ui_ctx, code)[-1]
    assert (result.kind, result.state, len(result.pages)) == (
        LineKind.RESULT,
        LineState.DIGITISED,
        2,
    )
    assert _to_digitise(ui_ctx) == 0


def test_the_database_dropped_on_the_tab_is_refused_unread(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Reading the database's own file (or a file beside it) would drop SQLite's locks: the
    tab refuses it with a word why, as the intake's scans do, and nothing is attached."""
    code = _file(ui_ctx, scanned=False)
    panel = _panel(ui_ctx, qtbot, code)
    tab = panel.scans
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    reads: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or real_read(p))
    beside = ui_ctx.db.path.parent / "scan.png"  # type: ignore[union-attr]
    beside.write_bytes(picture())
    for path in (ui_ctx.db.path, beside):
        tab.choose_line(LineKind.DOCUMENT, 0)
        tab.attach_files([path])  # type: ignore[list-item]
    assert len(said) == 2 and all("cơ sở dữ liệu" in t or "database" in t for t in said)
    assert reads == []
    assert [len(v.pages) for v in _lines(ui_ctx, code)] == [0, 0]
