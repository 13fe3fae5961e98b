"""A counter day by keyboard: sign in, accept, print the receipt to PDF, forward, supplement,
result, return; the database and the list agree after every step."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.domain.workflow import Status
from desk_app.services import queries
from desk_app.services.browse import ListQueue
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord
from desk_app.ui import preview
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import DbOps
from desk_app.ui.file_model import CODE_ROLE
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from desk_app.ui.signin import SignInDialog

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NOW_TEXT = "2026-03-02 10:00"


def _keys(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type key by key; letters beyond ASCII arrive as an input method delivers them."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def _activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def _focused(widget: QWidget) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    return focus


def _in_database(db: Database, code: str) -> FileView:
    with db.reader.begin() as s:
        return queries.show_file(s, code)


def _listed(window: MainWindow) -> list[str]:
    m = window.model
    return [str(m.data(m.index(r, 0), CODE_ROLE)) for r in range(m.rowCount())]


def _agree(qtbot: QtBot, window: MainWindow, code: str, status: Status, queue: ListQueue) -> None:
    """The database, the queue counts, the list and the detail all say the same; then the
    clock moves on an hour for the next step."""
    # A button's shortcut clicks it after a short animation, hence the wait.
    qtbot.waitUntil(lambda: _in_database(window.ctx.db, code).status is status, timeout=5000)
    window.queues.select(queue)
    assert code in _listed(window)
    assert (window.queues.queue_model.count(queue) or 0) >= 1
    assert window.detail.view is not None
    assert window.detail.view.code == code
    assert window.detail.view.status is status
    later = window.ctx.now() + timedelta(hours=1)
    window.ctx.clock = lambda: later
    # The offscreen platform does not hand activation back when a dialog closes; a desktop does.
    if QApplication.activeWindow() is not window:
        _activate(qtbot, window)
    window.table.setFocus()


def _close_previews(
    qtbot: QtBot, previews: list[preview.PdfPreviewDialog], window: MainWindow
) -> int:
    """Close the slips an action opened (Esc, as the officer does) and return to the window."""
    closed = 0
    for dialog in previews:
        if shiboken6.isValid(dialog) and dialog.isVisible():
            _activate(qtbot, dialog)
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
            closed += 1
    _activate(qtbot, window)
    window.table.setFocus()
    return closed


def _when_modal(qtbot: QtBot, fill: Callable[[QDialog], None]) -> None:
    """Answer the next modal dialog (action dialogs run their own event loop)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        _activate(qtbot, dialog)
        fill(dialog)

    QTimer.singleShot(0, answer)


def _ctrl_return(qtbot: QtBot) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return, CTRL)

    return fill


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[preview.PdfPreviewDialog]:
    """Real preview dialogs, remembered so the test can print from them."""
    opened: list[preview.PdfPreviewDialog] = []
    real = preview.show_pdf

    def show(parent: QWidget | None, pdf: bytes, title: str, name: str) -> preview.PdfPreviewDialog:
        dialog = real(parent, pdf, title, name)
        opened.append(dialog)
        return dialog

    monkeypatch.setattr(preview, "show_pdf", show)
    return opened


def test_a_file_from_sign_in_to_return_by_keyboard(
    db: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    previews: list[preview.PdfPreviewDialog],
) -> None:
    # Sign in.
    prefs = Prefs(tmp_path / "prefs.ini")
    runner, bus = OpRunner(synchronous=True), ChangeBus()  # the database's one runner and bus
    signin = SignInDialog(DbOps(db, runner, bus), prefs)
    qtbot.addWidget(signin)
    signin.show()
    _activate(qtbot, signin)
    qtbot.keyClicks(signin.username, "canbo")
    qtbot.keyClick(signin.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(_focused(signin), "matkhau123")
    with qtbot.waitSignal(signin.accepted):
        qtbot.keyClick(_focused(signin), Qt.Key.Key_Return)
    actor = signin.actor()
    assert actor is not None
    assert actor.role == "officer"

    ctx = UiContext(
        db=db,
        actor=actor,
        runner=runner,
        bus=bus,
        prefs=prefs,
        clock=lambda: datetime(2026, 3, 2, 10, 0),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    _activate(qtbot, window)
    assert _listed(window) == []

    # Accept a file: Ctrl+N, type the form, Ctrl+Return.
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    intake = window.findChild(IntakeDialog)
    assert intake is not None
    _activate(qtbot, intake)
    with qtbot.waitSignal(intake.accepted_file) as accepted:
        qtbot.keyClicks(intake.form.procedure, "giay phep KARAOKE")
        qtbot.keyClick(intake.form.procedure, Qt.Key.Key_Return)
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Tab)
        _keys(qtbot, _focused(intake), "Đặng Thị Ánh")
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Tab)
        _keys(qtbot, _focused(intake), "020190001234")
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Tab)
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Tab)
        _keys(qtbot, _focused(intake), "0912345678")
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Return, CTRL)
        # No paper scanned: refused beside the papers, the focus on "Scan the rest later".
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Space)
        qtbot.keyClick(_focused(intake), Qt.Key.Key_Return, CTRL)
    view: FileView = accepted.args[0]
    code = view.code
    with db.reader.begin() as s:
        assert list(s.scalars(select(FileRecord.code))) == [code]
    assert _in_database(db, code).applicant_name == "Đặng Thị Ánh"
    _agree(qtbot, window, code, Status.ACCEPTED, ListQueue.NEW)

    # The receipt opened in the preview: print it (to a PDF file) with Ctrl+P.
    assert len(previews) == 1
    receipt = previews[0]
    out = tmp_path / "receipt-printed.pdf"

    def pdf_printer(self: preview.PdfPreviewDialog) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setFullPage(True)
        return printer

    monkeypatch.setattr(preview.PdfPreviewDialog, "_new_printer", pdf_printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    _activate(qtbot, receipt)
    qtbot.keyClick(receipt, Qt.Key.Key_P, CTRL)
    assert out.exists()
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == receipt.page_count() >= 2
    receipt.close()
    _activate(qtbot, window)

    # Forward (Ctrl+Shift+F), then a supplement request with its reason.
    window.table.setFocus()
    _when_modal(qtbot, _ctrl_return(qtbot))
    qtbot.keyClick(window.table, Qt.Key.Key_F, CTRL_SHIFT)
    _agree(qtbot, window, code, Status.PROCESSING, ListQueue.PROCESSING)
    assert _close_previews(qtbot, previews, window) == 1  # the handover control sheet

    def supplement(dialog: QDialog) -> None:
        _keys(qtbot, _focused(dialog), "Thiếu bản sao giấy chứng nhận an ninh, trật tự")
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return, CTRL)

    _when_modal(qtbot, supplement)
    qtbot.keyClick(window.table, Qt.Key.Key_B, CTRL_SHIFT)
    _agree(qtbot, window, code, Status.SUPPLEMENT, ListQueue.SUPPLEMENT)
    paused = _in_database(db, code)
    assert paused.pauses[-1].reason == "Thiếu bản sao giấy chứng nhận an ninh, trật tự"
    assert _close_previews(qtbot, previews, window) == 1  # the supplement request slip

    # Supplement received, result back, result returned at the counter.
    _when_modal(qtbot, _ctrl_return(qtbot))
    qtbot.keyClick(window.table, Qt.Key.Key_N, CTRL_SHIFT)
    _agree(qtbot, window, code, Status.PROCESSING, ListQueue.PROCESSING)
    _when_modal(qtbot, _ctrl_return(qtbot))
    qtbot.keyClick(window.table, Qt.Key.Key_K, CTRL_SHIFT)
    _agree(qtbot, window, code, Status.SETTLED, ListQueue.RESULT_READY)
    _when_modal(qtbot, _ctrl_return(qtbot))
    qtbot.keyClick(window.table, Qt.Key.Key_T, CTRL_SHIFT)
    _agree(qtbot, window, code, Status.RETURNED, ListQueue.RETURNED)

    final = _in_database(db, code)
    assert [e.action for e in final.events] == [
        "accept",
        "forward",
        "request_supplement",
        "receive_supplement",
        "record_result",
        "return_result",
    ]
    assert final.outcome == "early"
    counts = window.queues.queue_model
    assert counts.count(ListQueue.RETURNED) == 1
    assert counts.count(ListQueue.ALL) == 1
    assert counts.count(ListQueue.NEW) == counts.count(ListQueue.PROCESSING) == 0
    # The slips printed on the way are archived with the file.
    kinds = [s.kind for s in window.detail.slips]
    assert "receipt" in kinds
    assert "supplement" in kinds
