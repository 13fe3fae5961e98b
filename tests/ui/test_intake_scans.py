"""Scans at the intake form with real files: the scanner's folder watched (a file offered only once
it stops growing), scans assigned to papers by click and by drop, the page counts, a paper left
unanswered refused beside the papers, "scan later" and the Chờ số hóa queue, the file and its scans
in one transaction, the database's folder refused, and the draft keeping the scans. Issue 15's
leftovers: the first page of each scan drawn small on the reader's thread, and a scan saved with a
file or dismissed never offered to the next applicant (a new one under the same name is)."""

from __future__ import annotations

import io
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from desk_app.domain.digitising import LineState
from desk_app.services import browse, digitise
from desk_app.services.browse import ListQueue
from desk_app.store.models import FileRecord
from desk_app.store.pages import FolderStore, pages_folder
from desk_app.ui import scan_panel
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.intake_draft import read_draft
from desk_app.ui.intake_form import IntakeForm
from desk_app.ui.scan_folder import REMEMBER_S, ScanFolderWatcher, TakenScans
from desk_app.ui.settings.machine import MachineTab

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

KARAOKE = "1.001029"  # two papers on its checklist
SETTLE_MS = 20


def png(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for i in range(pages):
        c.drawString(72, 720, f"Trang {i + 1}")
        c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.fixture
def scanner(tmp_path: Path) -> Path:
    folder = tmp_path / "scanner"
    folder.mkdir()
    return folder


@pytest.fixture
def no_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes answered (Yes) and remembered instead of shown; PDFs not shown."""
    seen: list[str] = []

    def box(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        seen.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", box)
    monkeypatch.setattr(QMessageBox, "warning", box)
    monkeypatch.setattr("desk_app.ui.preview.show_pdf", lambda *_a, **_k: None)
    return seen


@pytest.fixture
def dialog(
    ui_ctx: UiContext, qtbot: QtBot, scanner: Path, no_boxes: list[str]
) -> Iterator[IntakeDialog]:
    ui_ctx.prefs.scan_folder = scanner
    d = IntakeDialog(ui_ctx)
    qtbot.addWidget(d)
    assert d.form.scans.folder == scanner
    d.form.scans.watch(scanner, ui_ctx.db.path, settle_ms=SETTLE_MS)  # quicker than a scanner's
    d.show()
    qtbot.waitExposed(d)
    qtbot.waitUntil(lambda: d.form.scans.watcher is not None, timeout=3000)  # folder checked
    yield d


def _fill(qtbot: QtBot, d: IntakeDialog) -> None:
    d.form.procedure.choose(KARAOKE)
    d.form.name.setText("Đặng Thị Ánh")
    d.form.phone.setText("0912345678")


def _item(d: IntakeDialog, name: str) -> QWidget | None:
    for key, item in d.form.scans._items().items():
        if Path(key).name == name:
            return item  # type: ignore[return-value]
    return None


def _files(ctx: UiContext) -> list[str]:
    with ctx.db.reader.begin() as s:
        return list(s.scalars(select(FileRecord.code)))


def _save(qtbot: QtBot, d: IntakeDialog) -> str:
    with qtbot.waitSignal(d.accepted_file, timeout=3000) as accepted:
        qtbot.mouseClick(d.accept_button, Qt.MouseButton.LeftButton)
    return str(accepted.args[0].code)


def test_scans_landing_in_the_folder_are_assigned_and_saved_with_the_file(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, scanner: Path
) -> None:
    _fill(qtbot, dialog)
    panel, table = dialog.form.scans, dialog.form.documents.table
    (scanner / "scan_0001.pdf").write_bytes(pdf(2))
    (scanner / "scan_0002.png").write_bytes(png("yellow"))
    (scanner / "notes.txt").write_text("not a scan")
    qtbot.waitUntil(lambda: panel.scan_list.count() == 2, timeout=3000)
    shutil.copy(scanner / "scan_0002.png", scanner / "scan_0003.png")  # the same page again
    qtbot.waitUntil(lambda: panel.scan_list.count() == 3, timeout=3000)
    assert _item(dialog, "notes.txt") is None
    # The PDF on the first paper: select the paper, double-click the scan.
    table.setCurrentIndex(dialog.form.documents.model.index(0, 0))
    first = _item(dialog, "scan_0001.pdf")
    panel.scan_list.itemActivated.emit(first)
    # Both pictures on the second paper (the current one now): select them, press the button.
    panel.scan_list.clearSelection()
    for name in ("scan_0002.png", "scan_0003.png"):
        _item(dialog, name).setSelected(True)  # type: ignore[union-attr]
    qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    model = dialog.form.documents.model
    # The pages are counted on the panel's reader thread: "Counting pages…" until it answers.
    qtbot.waitUntil(
        lambda: [model.scan_text(model.row_at(i)) for i in range(2)] == ["2 page(s)"] * 2,
        timeout=3000,
    )
    assert "→ paper 1" in first.text()  # type: ignore[union-attr]
    assert not dialog.form.errors.message("scans")

    code = _save(qtbot, dialog)
    with ui_ctx.db.reader.begin() as s:
        lines = digitise.file_lines(s, code)
        store = digitise.page_store(s)
    assert [(v.state, len(v.pages)) for v in lines] == [
        (LineState.DIGITISED, 2),
        (LineState.DIGITISED, 2),
    ]
    assert lines[1].pages[0].sha256 == lines[1].pages[1].sha256
    assert isinstance(store, FolderStore)
    assert sum(1 for p in store.root.rglob("*") if p.is_file()) == 3  # two PDF pages, one PNG


def test_a_file_still_being_written_is_not_offered_until_it_stops_growing(
    qapp: QApplication, scanner: Path
) -> None:
    watcher = ScanFolderWatcher(scanner, settle_ms=10_000)  # looks by hand only
    offered: list[Path] = []
    watcher.arrived.connect(offered.append)
    whole = pdf(3)
    target = scanner / "scan_0009.pdf"
    target.write_bytes(whole[: len(whole) // 2])
    watcher.look()
    with target.open("ab") as f:
        f.write(whole[len(whole) // 2 :])
    watcher.look()
    assert offered == []  # it grew since the last look
    watcher.look()
    assert offered == [target]
    watcher.look()
    assert offered == [target]  # offered once
    watcher.stop()
    watcher.deleteLater()


def test_a_paper_left_unanswered_is_refused_beside_the_papers_until_answered(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, scanner: Path
) -> None:
    _fill(qtbot, dialog)
    panel = dialog.form.scans
    (scanner / "don.png").write_bytes(png())
    qtbot.waitUntil(lambda: panel.scan_list.count() == 1, timeout=3000)
    panel.scan_list.itemActivated.emit(panel.scan_list.item(0))  # the first paper to scan
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    message = dialog.form.errors.message("scans")
    assert message.startswith("Papers without a scan: 2. Giấy chứng nhận đủ điều kiện")
    assert "1. " not in message
    assert _files(ui_ctx) == []
    assert dialog.isVisible() and dialog.accept_button.isEnabled()
    # The second paper is the current one: it is confidential, but the reason is missing.
    assert panel.line.text().startswith("Paper 2:")
    panel.answer.setCurrentIndex(panel.answer.findData(str(LineState.CONFIDENTIAL)))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.form.errors.message("scans").startswith("Write why these papers are not scanned")
    assert _files(ui_ctx) == []
    qtbot.keyClicks(panel.reason, "Mat theo van ban 12/MAT")
    assert not dialog.form.errors.message("scans")  # answered: the message goes
    code = _save(qtbot, dialog)
    with ui_ctx.db.reader.begin() as s:
        lines = digitise.file_lines(s, code)
    assert [(v.state, v.reason) for v in lines] == [
        (LineState.DIGITISED, None),
        (LineState.CONFIDENTIAL, "Mat theo van ban 12/MAT"),
    ]


def test_scan_later_puts_the_file_in_the_to_digitise_queue(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _fill(qtbot, dialog)
    model = dialog.form.documents.model
    assert model.scan_text(model.row_at(0)) == "To scan"
    qtbot.mouseClick(dialog.form.scans.later_rest, Qt.MouseButton.LeftButton)
    assert model.scan_text(model.row_at(1)) == "Scan later"
    code = _save(qtbot, dialog)
    with ui_ctx.db.reader.begin() as s:
        queued = list(browse.queue_ids(s, ListQueue.TO_DIGITISE, ui_ctx.now()))
        file_id = s.scalar(select(FileRecord.id).where(FileRecord.code == code))
    assert queued == [file_id]


def test_an_online_file_needs_no_scan(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _fill(qtbot, dialog)
    form = dialog.form
    form.channel.setCurrentIndex(form.channel.findData("online"))
    assert form.documents.model.scan_text(form.documents.model.row_at(0)) == "Submitted online"
    code = _save(qtbot, dialog)
    with ui_ctx.db.reader.begin() as s:
        assert {v.state for v in digitise.file_lines(s, code)} == {LineState.ONLINE}


def test_a_page_that_cannot_be_stored_leaves_no_file(
    dialog: IntakeDialog,
    qtbot: QtBot,
    ui_ctx: UiContext,
    scanner: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full_disk(_self: object, _data: bytes) -> str:
        raise OSError(28, "No space left on device")

    shown: list[BaseException] = []
    monkeypatch.setattr(FolderStore, "put", full_disk)
    monkeypatch.setattr("desk_app.ui.intake.show_error", lambda _p, exc: shown.append(exc))
    _fill(qtbot, dialog)
    (scanner / "don.png").write_bytes(png())
    qtbot.waitUntil(lambda: dialog.form.scans.scan_list.count() == 1, timeout=3000)
    dialog.form.scans.scan_list.itemActivated.emit(dialog.form.scans.scan_list.item(0))
    qtbot.mouseClick(dialog.form.scans.later_rest, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "No space left" in str(shown[0])
    assert _files(ui_ctx) == []
    with ui_ctx.db.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(FileRecord)) == 0
    assert dialog.isVisible() and dialog.accept_button.isEnabled()


def test_files_dropped_on_a_paper_are_assigned_to_it(
    dialog: IntakeDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    _fill(qtbot, dialog)
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    scan = elsewhere / "gcn.pdf"
    scan.write_bytes(pdf(3))
    table = dialog.form.documents.table
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    at = QPointF(table.visualRect(dialog.form.documents.model.index(1, 0)).center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # A drop goes where the drag entered (Qt's drag manager keeps the target).
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(table.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(at, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(table.viewport(), drop)
    model = dialog.form.documents.model
    assert model.row_at(1).scans == [str(scan)]
    qtbot.waitUntil(lambda: model.scan_text(model.row_at(1)) == "3 page(s)", timeout=3000)
    assert model.row_at(0).scans == []


def test_the_database_folder_is_never_watched_nor_taken_from(
    ui_ctx: UiContext, qtbot: QtBot, no_boxes: list[str], tmp_path: Path
) -> None:
    assert ui_ctx.db.path is not None
    db_folder = ui_ctx.db.path.parent
    ui_ctx.prefs.scan_folder = db_folder
    d = IntakeDialog(ui_ctx)
    qtbot.addWidget(d)
    panel = d.form.scans
    qtbot.waitUntil(lambda: "folder of the desk's database" in panel.source.text(), timeout=3000)
    assert panel.watcher is None
    stray = db_folder / "stray.png"
    stray.write_bytes(png())
    assert panel.add_scans([stray]) == []
    assert "folder of the desk's database" in panel.notice.text()
    assert panel.scan_list.count() == 0
    # Settings › This computer refuses it too, and the pages' folder.
    tab = MachineTab(ui_ctx)
    qtbot.addWidget(tab)
    assert not tab.set_scan_folder(db_folder)
    pages = pages_folder(ui_ctx.db.path)
    pages.mkdir(exist_ok=True)
    assert not tab.set_scan_folder(pages)
    assert "database" in tab.scan_folder_note.text()
    good = tmp_path / "scanner-2"
    good.mkdir()
    assert tab.set_scan_folder(good)
    assert ui_ctx.prefs.scan_folder == good
    assert tab.scan_folder.text() == str(good)
    d.discard_draft()


def test_the_draft_keeps_the_scans_and_their_answers(
    dialog: IntakeDialog, qtbot: QtBot, scanner: Path
) -> None:
    _fill(qtbot, dialog)
    (scanner / "don.pdf").write_bytes(pdf(2))
    qtbot.waitUntil(lambda: dialog.form.scans.scan_list.count() == 1, timeout=3000)
    dialog.form.scans.scan_list.itemActivated.emit(dialog.form.scans.scan_list.item(0))
    dialog.form.documents.model.set_answer(1, LineState.SHOWN_ONLY, "Bản chính, đã trả")
    dialog.save_draft()
    state = read_draft(dialog.draft_path)
    assert state is not None
    restored = IntakeForm()
    qtbot.addWidget(restored)
    restored.restore(state)
    model = restored.documents.model
    assert model.row_at(0).scans == [str(scanner / "don.pdf")]
    assert model.scan_text(model.row_at(0)) == "2 page(s)"  # counted again
    assert (model.row_at(1).scan_state, model.row_at(1).scan_reason) == (
        "shown_only",
        "Bản chính, đã trả",
    )
    assert restored.scans.scan_list.count() == 1
    dialog.discard_draft()


# --- issue 15: thumbnails, and scans not offered twice --------------------------------------------

T = 1_772_445_600.0  # 2 March 2026 10:00 UTC+7, as the file system's clock in the pinned tests


def _colour_at_middle(icon_image: object) -> tuple[int, int, int]:
    from PySide6.QtGui import QImage

    assert isinstance(icon_image, QImage)
    c = icon_image.pixelColor(icon_image.width() // 2, icon_image.height() // 2)
    return c.red(), c.green(), c.blue()


def _red_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setFillColorRGB(0.9, 0.1, 0.1)
    c.rect(40, 40, A4[0] - 80, A4[1] - 80, stroke=0, fill=1)
    c.showPage()
    c.drawString(72, 720, "Trang 2")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _picture(kind: str, colour: str, size: tuple[int, int] = (300, 420)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


def test_each_scan_shows_its_first_page_small_drawn_on_the_readers_thread(
    dialog: IntakeDialog, qtbot: QtBot, scanner: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    real_look = scan_panel.look_at

    def look(path: Path) -> scan_panel.Look:
        threads.append(threading.get_ident())
        return real_look(path)

    monkeypatch.setattr(scan_panel, "look_at", look)
    panel = dialog.form.scans
    (scanner / "don.pdf").write_bytes(_red_pdf())
    (scanner / "cccd.jpg").write_bytes(_picture("JPEG", "#1040d0"))
    (scanner / "so_do.tif").write_bytes(_picture("TIFF", "#10a040"))
    (scanner / "hong.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    qtbot.waitUntil(
        lambda: len(panel.model.pages) == 3 and len(panel.model.broken) == 1, timeout=3000
    )
    assert threading.get_ident() not in threads and len(threads) == 4
    icons = {
        name: _item(dialog, name).icon().pixmap(scan_panel.THUMB).toImage()  # type: ignore[union-attr]
        for name in ("don.pdf", "cccd.jpg", "so_do.tif", "hong.png")
    }
    r, g, b = _colour_at_middle(icons["don.pdf"])  # PDFium drew the red page
    assert r > 180 and g < 80 and b < 80
    r, g, b = _colour_at_middle(icons["cccd.jpg"])
    assert b > 150 and r < 80
    r, g, b = _colour_at_middle(icons["so_do.tif"])
    assert g > 120 and r < 60 and b < 100
    # An A4 page stands upright in its square, framed; the damaged file keeps the file icon.
    pdf_icon = icons["don.pdf"]
    assert pdf_icon.pixelColor(2, pdf_icon.height() // 2).alpha() == 0
    broken = _item(dialog, "hong.png")
    assert "unreadable" in broken.text()  # type: ignore[union-attr]
    assert broken.icon().cacheKey() == panel._file_icon.cacheKey()  # type: ignore[union-attr]
    assert _item(dialog, "don.pdf").text() == "don.pdf · 2 page(s)"  # type: ignore[union-attr]


def test_a_scan_saved_with_a_file_is_not_offered_to_the_next_applicant_but_a_new_one_is(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, scanner: Path
) -> None:
    _fill(qtbot, dialog)
    first = scanner / "scan_0001.pdf"
    first.write_bytes(pdf(2))
    panel = dialog.form.scans
    qtbot.waitUntil(lambda: "scan_0001.pdf · 2 page(s)" in _texts(dialog), timeout=3000)
    panel.scan_list.itemActivated.emit(_item(dialog, "scan_0001.pdf"))
    qtbot.mouseClick(panel.later_rest, Qt.MouseButton.LeftButton)
    _save(qtbot, dialog)
    memory = ui_ctx.prefs.path.with_name("scans-taken.json")
    assert list(json.loads(memory.read_text())) == [str(first)]

    # The next applicant, a minute later: the scanner has written the next page.
    second = _next_dialog(ui_ctx, qtbot, scanner)
    (scanner / "scan_0002.png").write_bytes(png("yellow"))
    qtbot.waitUntil(lambda: _texts(second) == ["scan_0002.png · 1 page(s)"], timeout=3000)
    watcher = second.form.scans.watcher
    assert watcher is not None
    for _ in range(2):  # still not offered, look after look
        looks = watcher.looks
        watcher.look()
        qtbot.waitUntil(lambda: watcher.looks > looks, timeout=3000)  # noqa: B023
    assert _item(second, "scan_0001.pdf") is None
    # The scanner starts its numbering again: a new scan under the taken name is offered.
    first.write_bytes(pdf(3))
    os.utime(first, ns=(first.stat().st_mtime_ns + 10**9,) * 2)
    qtbot.waitUntil(lambda: "scan_0001.pdf · 3 page(s)" in _texts(second), timeout=3000)
    second.discard_draft()


def test_a_scan_removed_from_the_list_is_not_offered_again_on_this_computer(
    dialog: IntakeDialog, qtbot: QtBot, ui_ctx: UiContext, scanner: Path
) -> None:
    _fill(qtbot, dialog)
    panel = dialog.form.scans
    (scanner / "nham.png").write_bytes(png("red"))
    (scanner / "dung.png").write_bytes(png("blue"))
    qtbot.waitUntil(lambda: panel.scan_list.count() == 2, timeout=3000)
    panel.scan_list.itemActivated.emit(_item(dialog, "dung.png"))  # on paper 1
    panel.scan_list.clearSelection()
    for name in ("nham.png", "dung.png"):
        _item(dialog, name).setSelected(True)  # type: ignore[union-attr]
    panel.scan_list.setFocus()
    qtbot.keyClick(panel.scan_list, Qt.Key.Key_Delete)
    assert _item(dialog, "nham.png") is None
    assert _item(dialog, "dung.png") is not None  # on a paper: it stays, with a word why
    assert panel.notice.text() == "dung.png is on paper 1: take it off the paper first."
    # Another form on this computer, after a restart: the dismissed scan is not offered.
    watcher = ScanFolderWatcher(scanner, taken=TakenScans.beside(ui_ctx.prefs.path))
    offered: list[Path] = []
    watcher.arrived.connect(offered.append)
    watcher.look()
    watcher.look()
    assert offered == [scanner / "dung.png"]
    watcher.deleteLater()
    dialog.discard_draft()


def test_only_the_last_ten_minutes_are_offered_and_the_memory_stays_small(
    qapp: QApplication, scanner: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def scan_at(name: str, when: float) -> Path:
        path = scanner / name
        path.write_bytes(png())
        os.utime(path, (when, when))
        return path

    old = scan_at("truoc.png", T - 11 * 60)
    recent = scan_at("vua_quet.png", T - 9 * 60)
    memory = tmp_path / "scans-taken.json"
    taken = TakenScans(memory, clock=lambda: T)
    watcher = ScanFolderWatcher(scanner, taken=taken, clock=lambda: T)
    offered: list[Path] = []
    watcher.arrived.connect(offered.append)
    watcher.look()
    watcher.look()
    assert offered == [recent] and old not in offered
    # What is remembered is dropped a day after the scan was written, and a damaged memory is
    # started afresh rather than trusted.
    stamp = (recent.stat().st_size, recent.stat().st_mtime_ns)
    taken.add({recent: stamp, scanner / "hom_qua.png": (10, int((T - REMEMBER_S - 60) * 1e9))})
    assert list(json.loads(memory.read_text())) == [str(recent)]
    assert (recent, stamp) in TakenScans(memory)
    memory.write_text("{not json")
    assert (recent, stamp) not in TakenScans(memory)
    assert "unreadable" in caplog.text
    watcher.deleteLater()


def _texts(d: IntakeDialog) -> list[str]:
    return [d.form.scans.scan_list.item(i).text() for i in range(d.form.scans.scan_list.count())]


def _next_dialog(ctx: UiContext, qtbot: QtBot, scanner: Path) -> IntakeDialog:
    d = IntakeDialog(ctx)
    qtbot.addWidget(d)
    d.form.scans.watch(scanner, ctx.db.path, settle_ms=SETTLE_MS)
    qtbot.waitUntil(lambda: d.form.scans.watcher is not None, timeout=3000)
    return d
