"""The PDF preview: pages drawn with PDFium, printing at >= 300 dpi, saving the exact bytes."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desk_app.services import intake, printing
from desk_app.ui import file_dialogs
from desk_app.ui.context import UiContext
from desk_app.ui.preview import PdfPreviewDialog, print_dpi, render_page, show_pdf

# The offscreen platform says it cannot resize or raise a shown window; nothing else may warn.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

KARAOKE = "1.001029"
RECEIVED = datetime(2026, 3, 2, 10, 0)
A4_300 = (2480, 3508)


def _receipt(ctx: UiContext) -> bytes:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Nguyễn Văn An", phone="0912345678"),
        received_at=RECEIVED,
    )
    with ctx.db.writer.begin() as s:
        view = intake.accept_file(s, data, ctx.actor, now=RECEIVED)
        doc = printing.print_slip(s, view.code, printing.SlipKind.RECEIPT, ctx.actor, now=RECEIVED)
    return doc.pdf


def _register(ctx: UiContext) -> bytes:
    _receipt(ctx)
    with ctx.db.writer.begin() as s:
        return printing.print_register(s, date(2026, 3, 1), date(2026, 3, 31))


def _dialog(qtbot: QtBot, pdf: bytes, save_dir: Path | None = None) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, "Giấy tiếp nhận", "receipt.pdf", save_dir=save_dir)
    qtbot.addWidget(dialog)
    return dialog


def _dark_pixels(image: QImage) -> int:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())
    dark = bytes(1 if value < 100 else 0 for value in range(256))
    return data.translate(dark).count(1)


def _pdf_output(printer: QPrinter, path: Path) -> None:
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))


def _image_widths(path: Path) -> list[int]:
    """The pixel widths of the pictures on each printed page (read from the PDF, not decoded)."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    widths: list[int] = []
    for page in reader.pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        xobjects = cast(DictionaryObject, resources.get("/XObject", DictionaryObject()))
        for ref in xobjects.values():
            xobject = cast(DictionaryObject, ref.get_object())
            if xobject.get("/Subtype") == "/Image":
                widths.append(int(cast(int, xobject["/Width"])))
    return widths


def test_page_count_of_a_receipt(ui_ctx: UiContext, qtbot: QtBot) -> None:
    pdf = _receipt(ui_ctx)
    dialog = _dialog(qtbot, pdf)
    assert dialog.page_count() == len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert dialog.windowTitle() == "Giấy tiếp nhận"


def test_render_page_at_300_dpi_is_an_a4_image_with_ink(ui_ctx: UiContext, qapp: object) -> None:
    image = render_page(_receipt(ui_ctx), 0, 300)
    assert abs(image.width() - A4_300[0]) <= 2
    assert abs(image.height() - A4_300[1]) <= 2
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    assert _dark_pixels(image) > 20_000
    # The margins stay paper-white: the bytes were read with the right stride and format.
    assert image.pixelColor(5, 5).lightness() == 255
    assert image.pixelColor(image.width() - 5, image.height() - 5).lightness() == 255


def test_render_page_rejects_a_page_that_does_not_exist(ui_ctx: UiContext, qapp: object) -> None:
    with pytest.raises(IndexError):
        render_page(_receipt(ui_ctx), 2, 72)


def test_save_to_writes_the_exact_bytes(ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path) -> None:
    pdf = _receipt(ui_ctx)
    target = tmp_path / "out" / "receipt.pdf"
    _dialog(qtbot, pdf).save_to(target)
    assert target.read_bytes() == pdf
    assert [p.name for p in target.parent.iterdir()] == ["receipt.pdf"]


def test_save_action_suggests_the_name_and_adds_the_suffix(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _receipt(ui_ctx)
    asked: list[str] = []

    def fake_save(
        parent: QWidget, caption: str, folder: Path | None, name: str, filt: str
    ) -> tuple[Path, str]:
        asked.append(str((folder or Path("?")) / name))
        return tmp_path / "chosen", filt

    monkeypatch.setattr(file_dialogs, "ask_save_path", fake_save)
    dialog = _dialog(qtbot, pdf, save_dir=tmp_path / "slips")
    dialog.save_button.click()
    assert asked == [str(tmp_path / "slips" / "receipt.pdf")]
    assert (tmp_path / "chosen.pdf").read_bytes() == pdf


def test_save_failure_shows_the_core_message(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder where the file should go: the write fails at the rename, after the bytes.
    taken = tmp_path / "taken.pdf"
    taken.mkdir()
    shown: list[str] = []
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: (taken, "PDF documents (*.pdf)"))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    dialog = _dialog(qtbot, _receipt(ui_ctx))
    dialog.save_action.trigger()
    assert len(shown) == 1
    assert shown[0].startswith("Không ghi được tệp")
    assert not (tmp_path / "taken.pdf.partial").exists()


def test_print_to_a_pdf_printer_prints_every_page_at_300_dpi_or_more(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = _receipt(ui_ctx)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    out = tmp_path / "printed.pdf"
    _pdf_output(printer, out)
    assert print_dpi(printer) >= 300
    _dialog(qtbot, pdf).print_to(printer)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2
    assert out.stat().st_size > 50_000
    # Each page went out as one picture at least 300 dpi across the A4 width.
    widths = _image_widths(out)
    assert len(widths) == 2
    assert all(width >= A4_300[0] - 2 for width in widths)


def test_print_to_honours_the_chosen_page_range(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    out = tmp_path / "second.pdf"
    _pdf_output(printer, out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    # A low-resolution printer still gets pages drawn at 300 dpi, for the barcode.
    assert printer.resolution() < 300
    assert print_dpi(printer) == 300
    _dialog(qtbot, _receipt(ui_ctx)).print_to(printer)
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 1


def test_ctrl_p_opens_the_print_dialog_and_prints(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ctrl-p.pdf"
    seen: list[QPrinter] = []

    def fake_exec(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        seen.append(printer)
        _pdf_output(printer, out)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    dialog = _dialog(qtbot, _receipt(ui_ctx))
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    QTest.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    printer = seen[0]
    assert printer.pageLayout().pageSize().id() == printer.pageLayout().pageSize().id().A4
    assert printer.fullPage()
    assert printer.docName() == "Giấy tiếp nhận"
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 2


def test_cancelled_print_dialog_prints_nothing(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "cancelled.pdf"

    def fake_exec(dialog: QPrintDialog) -> int:
        _pdf_output(dialog.printer(), out)
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    dialog = _dialog(qtbot, _receipt(ui_ctx))
    dialog.print_button.click()
    assert not out.exists()


def test_a_landscape_register_is_offered_landscape(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    orientations: list[QPageLayout.Orientation] = []

    def fake_exec(dialog: QPrintDialog) -> int:
        orientations.append(dialog.printer().pageLayout().orientation())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    dialog = _dialog(qtbot, _register(ui_ctx))
    dialog.print_action.trigger()
    assert orientations == [QPageLayout.Orientation.Landscape]


def test_shortcuts_are_bound(ui_ctx: UiContext, qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _receipt(ui_ctx))
    assert QKeySequence("Ctrl+P") in dialog.print_action.shortcuts()
    assert QKeySequence("Ctrl+S") in dialog.save_action.shortcuts()
    assert QKeySequence("Ctrl++") in dialog.zoom_in_action.shortcuts()
    assert QKeySequence("Ctrl+-") in dialog.zoom_out_action.shortcuts()


def test_ctrl_s_saves_and_escape_closes(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _receipt(ui_ctx)
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: (tmp_path / "k.pdf", "PDF"))
    dialog = _dialog(qtbot, pdf)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "k.pdf").read_bytes() == pdf
    with qtbot.waitSignal(dialog.rejected):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_zoom_and_page_indicator(ui_ctx: UiContext, qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _receipt(ui_ctx))
    dialog.resize(800, 900)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.render_now()
    assert dialog.page_label.text() == "Page 1 of 2"
    assert 0 in dialog.drawn_pages()
    fitted = dialog.zoom()
    page = dialog.findChild(QWidget, "pdfPage1")
    assert page is not None
    fitted_width = page.width()

    dialog.zoom_in_action.trigger()
    assert dialog.zoom() == pytest.approx(fitted * 1.25)
    assert not dialog.fit_width_action.isChecked()
    assert page.width() > fitted_width
    dialog.zoom_out_action.trigger()
    dialog.zoom_out_action.trigger()
    assert dialog.zoom() == pytest.approx(fitted / 1.25)
    dialog.fit_width_action.trigger()
    assert dialog.zoom() == pytest.approx(fitted)
    assert dialog.fit_width_action.isChecked()

    scroll = dialog.findChild(QScrollArea, "pdfScroll")
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    dialog.render_now()
    assert dialog.page_label.text() == "Page 2 of 2"
    assert 1 in dialog.drawn_pages()


def test_show_pdf_opens_a_non_modal_preview_that_deletes_itself(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_pdf(parent, _receipt(ui_ctx), "Giấy tiếp nhận", "000.00.20.H37-260302-0001")
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    assert dialog.parent() is parent
    # Close (like Esc) rejects; the preview must not linger hidden for the whole session.
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close_button.click()


def test_a_preview_opens_at_the_top_of_the_first_page(ui_ctx: UiContext, qtbot: QtBot) -> None:
    # Issue 13: fitting the width on show kept the middle of the view in place, so the page
    # grew around it and the preview opened scrolled down past the header.
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_pdf(parent, _receipt(ui_ctx), "Giấy tiếp nhận", "receipt.pdf")
    dialog.resize(700, 600)  # a later resize while still at the top keeps the top too
    QApplication.processEvents()
    dialog.render_now()
    scroll = dialog.findChild(QScrollArea, "pdfScroll")
    page = dialog.findChild(QWidget, "pdfPage1")
    assert scroll is not None and page is not None
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0  # there is somewhere to scroll to
    assert bar.value() == 0
    assert page.mapTo(scroll.viewport(), page.rect().topLeft()).y() >= 0
    assert dialog.page_label.text() == "Page 1 of 2"
