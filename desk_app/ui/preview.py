"""Looking at, printing and saving the PDFs the core makes (pages drawn with PDFium)."""

from __future__ import annotations

import threading
from pathlib import Path

# pypdfium2 ships no type information (no py.typed); its calls are kept to this module.
import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskError
from desk_app.store.files import write_atomically
from desk_app.ui import file_dialogs
from desk_app.ui.errors import show_error

# PDFium is not thread-safe; the preview renders on the GUI thread while a job on the worker
# thread may render too (the self-test does), so every call into it holds this lock.
_PDFIUM = threading.Lock()

POINTS_PER_INCH = 72.0
# Below 300 dpi the Code 128 bars on the slips no longer scan reliably.
MIN_PRINT_DPI = 300
# A print driver may ask for 1200 dpi (Qt's PDF output does): an A4 page would then be a
# 557 MB bitmap taking seconds; 600 dpi is already sharper than the barcode needs.
MAX_PRINT_DPI = 600
MIN_ZOOM = 0.25
MAX_ZOOM = 4.0
ZOOM_STEP = 1.25
PAGE_GAP = 12
# Pages this far outside the visible part are drawn too, so a short scroll shows no blank page.
RENDER_MARGIN = 400


class PrintError(Exception):
    """The printer (or the file it prints to) could not be opened."""


def _arg(text: str, *values: object) -> str:
    """Fill `%1`, `%2`, ... the way QString::arg does (translators keep the markers)."""
    for number, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{number}", str(value))
    return text


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, read without drawing anything."""
    with _PDFIUM, pdfium.PdfDocument(pdf) as doc:
        return [doc.get_page_size(i) for i in range(len(doc))]


def _render_bitmap(
    doc: pdfium.PdfDocument, index: int, dpi: float
) -> tuple[pdfium.PdfBitmap, QImage]:
    """Draw one page; the image shares the bitmap's memory, so close the bitmap after use.

    The caller holds the PDFium lock.
    """
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, prefer_bgrx=True, rev_byteorder=True)
    finally:
        page.close()
    # rev_byteorder gives R, G, B, x bytes in memory whatever the CPU's endianness, which is
    # exactly Format_RGBX8888; the stride may exceed width * 4.
    image = QImage(
        memoryview(bitmap.buffer).cast("B"),
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGBX8888,
    )
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return bitmap, image


def _render_image(doc: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """Draw one page into an image that owns its pixels (the caller holds the PDFium lock)."""
    bitmap, shared = _render_bitmap(doc, index, dpi)
    try:
        return shared.copy()
    finally:
        bitmap.close()


def render_page(pdf: bytes, index: int, dpi: float) -> QImage:
    """Page `index` (from 0) of `pdf` as an opaque image at `dpi`; safe on any thread."""
    with _PDFIUM, pdfium.PdfDocument(pdf) as doc:
        if not 0 <= index < len(doc):
            raise IndexError(f"page {index} of a {len(doc)}-page document")
        return _render_image(doc, index, dpi)


def print_dpi(printer: QPrinter) -> int:
    """The resolution pages are drawn at for `printer`: its own, kept within 300–600 dpi."""
    return max(MIN_PRINT_DPI, min(printer.resolution(), MAX_PRINT_DPI))


class PdfPreviewDialog(QDialog):
    """Shows the pages of a PDF; buttons Print… (Ctrl+P), Save as PDF… (Ctrl+S), Close (Esc).

    Pages are laid out at once with their real proportions but drawn only when they come near
    the visible part, so a long register opens as fast as a one-page slip. No signals of its
    own beyond QDialog's. `pdf` must be a PDF (PDFium raises PdfiumError otherwise): the core
    makes these, the user never types them.
    """

    def __init__(
        self,
        pdf: bytes,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        *,
        save_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._pdf = pdf
        self._file_name = file_name if file_name.lower().endswith(".pdf") else file_name + ".pdf"
        self._save_dir = save_dir
        self._sizes = _page_sizes(pdf)
        self._zoom = 1.0
        self._fit_width = True
        self._restore: tuple[int, float] | None = None
        # The zoom each page's pixmap was drawn at (None: not drawn yet at the current zoom).
        self._drawn_at: list[float | None] = [None] * len(self._sizes)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)

        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        self._build_actions()
        self._build_widgets()
        self._connect()
        self._initial_size()
        self._apply_zoom()

    # --- building -------------------------------------------------------------------------

    def _action(self, name: str, text: str, *keys: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        # The platform's standard key and the spelled-out one are often the same; a sequence
        # registered twice makes Qt call the shortcut ambiguous and ignore it.
        unique: list[QKeySequence] = []
        for sequence in keys:
            if not sequence.isEmpty() and sequence not in unique:
                unique.append(sequence)
        action.setShortcuts(unique)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.print_action = self._action(
            "printAction", self.tr("Print…"), key(key.StandardKey.Print), key("Ctrl+P")
        )
        self.save_action = self._action(
            "saveAction", self.tr("Save as PDF…"), key(key.StandardKey.Save), key("Ctrl+S")
        )
        self.zoom_in_action = self._action(
            "zoomInAction",
            self.tr("Zoom in"),
            key(key.StandardKey.ZoomIn),
            key("Ctrl++"),
            key("Ctrl+="),
        )
        self.zoom_out_action = self._action(
            "zoomOutAction", self.tr("Zoom out"), key(key.StandardKey.ZoomOut), key("Ctrl+-")
        )
        self.fit_width_action = self._action("fitWidthAction", self.tr("Fit width"), key("Ctrl+0"))
        self.fit_width_action.setCheckable(True)
        self.fit_width_action.setChecked(True)
        has_pages = bool(self._sizes)
        for action in (self.print_action, self.save_action):
            action.setEnabled(has_pages)

    def _tool_button(self, action: QAction, name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setDefaultAction(action)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text()} ({keys})")
        return button

    def _build_widgets(self) -> None:
        self._pages: list[QLabel] = []
        self._page_box = QWidget()
        self._page_box.setObjectName("pdfPages")
        box_layout = QVBoxLayout(self._page_box)
        box_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        box_layout.setSpacing(PAGE_GAP)
        for number in range(1, len(self._sizes) + 1):
            page = QLabel()
            page.setObjectName(f"pdfPage{number}")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # Paper stays white whatever the palette, as the page will be on paper.
            page.setStyleSheet("background: white; border: 1px solid #9a9a9a;")
            page.setAccessibleName(_arg(self.tr("Page %1"), number))
            box_layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self._pages.append(page)
        if not self._sizes:
            empty = QLabel(self.tr("This document has no pages."))
            empty.setObjectName("pdfEmpty")
            box_layout.addWidget(empty, 0, Qt.AlignmentFlag.AlignCenter)
        # Extra room goes below the last page, so a short page sits at the top, not mid-air.
        box_layout.addStretch(1)

        self._scroll = QScrollArea()
        self._scroll.setObjectName("pdfScroll")
        self._scroll.setWidget(self._page_box)
        self._scroll.setWidgetResizable(True)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._scroll.setBackgroundRole(QPalette.ColorRole.Mid)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._page_box.setBackgroundRole(QPalette.ColorRole.Mid)
        self._page_box.setAutoFillBackground(True)

        self.page_label = QLabel()
        self.page_label.setObjectName("pageLabel")
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("0000%"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        tools = QHBoxLayout()
        tools.addWidget(self._tool_button(self.zoom_out_action, "zoomOutButton"))
        tools.addWidget(self.zoom_label)
        tools.addWidget(self._tool_button(self.zoom_in_action, "zoomInButton"))
        tools.addWidget(self._tool_button(self.fit_width_action, "fitWidthButton"))
        tools.addStretch(1)
        tools.addWidget(self.page_label)

        self.print_button = QPushButton(self.print_action.text())
        self.print_button.setObjectName("printButton")
        self.print_button.setEnabled(self.print_action.isEnabled())
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.save_action.text())
        self.save_button.setObjectName("saveButton")
        self.save_button.setEnabled(self.save_action.isEnabled())
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(buttons)
        self.print_button.setFocus()

    def _connect(self) -> None:
        self.print_action.triggered.connect(self._on_print_action_triggered)
        self.save_action.triggered.connect(self._on_save_action_triggered)
        self.zoom_in_action.triggered.connect(self._on_zoom_in_action_triggered)
        self.zoom_out_action.triggered.connect(self._on_zoom_out_action_triggered)
        self.fit_width_action.triggered.connect(self._on_fit_width_action_triggered)
        self.print_button.clicked.connect(self.print_action.trigger)
        self.save_button.clicked.connect(self.save_action.trigger)
        self.close_button.clicked.connect(self.reject)
        self._scroll.verticalScrollBar().valueChanged.connect(self._on_scroll_moved)
        self._scroll.horizontalScrollBar().valueChanged.connect(self._on_scroll_moved)
        self._scroll.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        self._scroll.viewport().installEventFilter(self)
        self._render_timer.timeout.connect(self._render_visible)

    def _initial_size(self) -> None:
        """Wide enough for a page at 100 %, as tall as the screen allows."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        widest = max((w for w, _ in self._sizes), default=595.0)
        page_px = widest / POINTS_PER_INCH * self.logicalDpiX()
        width = min(int(page_px) + 2 * PAGE_GAP + 60, int(available.width() * 0.9))
        height = int(available.height() * 0.9)
        self.resize(max(width, 480), max(height, 400))

    # --- public API -----------------------------------------------------------------------

    def page_count(self) -> int:
        return len(self._sizes)

    def zoom(self) -> float:
        """The current scale: 1.0 shows a page at its real size on a 96-dpi screen."""
        return self._zoom

    def save_to(self, path: Path) -> None:
        """Write the PDF's exact bytes to `path` (never half a file); DeskError if it fails."""
        write_atomically(path, self._pdf)

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page (or the range chosen in the print dialog) on `printer`.

        Each page is drawn at the printer's resolution (see `print_dpi`) and scaled to the
        printable area keeping its proportions, centred. Raises PrintError when the printer
        cannot be opened.
        """
        indexes = self._print_indexes(printer)
        if not indexes:
            return
        dpi = print_dpi(printer)
        previous: pdfium.PdfBitmap | None = None
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(printer.outputFileName() or printer.printerName())
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            with _PDFIUM, pdfium.PdfDocument(self._pdf) as doc:
                for position, index in enumerate(indexes):
                    if position and not printer.newPage():
                        raise PrintError(printer.outputFileName() or printer.printerName())
                    # At 600 dpi a page is 139 MB: paint from PDFium's memory without a copy,
                    # and free it only once the page is finished, in case the engine waits.
                    if previous is not None:
                        previous.close()
                    previous, image = _render_bitmap(doc, index, dpi)
                    painter.drawImage(self._print_target(painter, index), image)
        finally:
            painter.end()
            if previous is not None:
                previous.close()

    def _print_indexes(self, printer: QPrinter) -> list[int]:
        count = self.page_count()
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(printer.fromPage(), 1)
            last = min(printer.toPage() or count, count)
            return list(range(first - 1, last))
        return list(range(count))

    def _print_target(self, painter: QPainter, index: int) -> QRectF:
        area = QRectF(painter.viewport())
        width, height = self._sizes[index]
        scale = min(area.width() / width, area.height() / height)
        target = QRectF(0, 0, width * scale, height * scale)
        target.moveCenter(area.center())
        return target

    # --- zoom and lazy drawing ------------------------------------------------------------

    def _page_pixels(self, index: int) -> tuple[int, int]:
        width, height = self._sizes[index]
        per_point = self.logicalDpiX() * self._zoom / POINTS_PER_INCH
        return round(width * per_point), round(height * per_point)

    def _fit_width_zoom(self) -> float:
        widest = max((w for w, _ in self._sizes), default=595.0)
        room = self._scroll.viewport().width() - 2 * PAGE_GAP - 2
        page_px = widest / POINTS_PER_INCH * self.logicalDpiX()
        return max(MIN_ZOOM, min(MAX_ZOOM, room / page_px))

    def _set_zoom(self, zoom: float, *, fit_width: bool = False) -> None:
        self._fit_width = fit_width
        self.fit_width_action.setChecked(fit_width)
        self._zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        before = [page.size() for page in self._pages]
        # At the top (as every preview opens) the top stays put: anchoring the middle of the
        # view would scroll a growing first page down past its header.
        at_top = self._scroll.verticalScrollBar().value() == 0
        anchor = self._view_anchor() if self._pages and self.isVisible() and not at_top else None
        if self._fit_width:
            self._zoom = self._fit_width_zoom()
        for index, page in enumerate(self._pages):
            width, height = self._page_pixels(index)
            page.setFixedSize(width, height)
            if self._drawn_at[index] != self._zoom:
                self._drawn_at[index] = None
        if anchor is not None and before != [page.size() for page in self._pages]:
            # Back to the same spot once the scroll area knows the new sizes (rangeChanged).
            self._restore = self._restore or anchor
        self.zoom_label.setText(f"{round(self._zoom * 100)}%")
        self.zoom_in_action.setEnabled(self._zoom < MAX_ZOOM)
        self.zoom_out_action.setEnabled(self._zoom > MIN_ZOOM)
        self._update_page_label()
        self._render_timer.start()

    def _visible_indexes(self, margin: int = RENDER_MARGIN) -> list[int]:
        viewport = self._scroll.viewport()
        top = self._scroll.verticalScrollBar().value() - margin
        bottom = self._scroll.verticalScrollBar().value() + viewport.height() + margin
        return [
            index
            for index, page in enumerate(self._pages)
            if page.y() < bottom and page.y() + page.height() > top
        ]

    def _view_anchor(self) -> tuple[int, float]:
        index = self._current_page()
        page = self._pages[index]
        middle = self._scroll.verticalScrollBar().value() + self._scroll.viewport().height() / 2
        return index, min(max((middle - page.y()) / max(page.height(), 1), 0.0), 1.0)

    def _on_range_changed(self, _low: int, _high: int) -> None:
        if self._restore is None:
            return
        index, fraction = self._restore
        self._restore = None
        page = self._pages[index]
        middle = page.y() + fraction * page.height()
        bar = self._scroll.verticalScrollBar()
        bar.setValue(round(middle - self._scroll.viewport().height() / 2))

    def _render_visible(self, *, all_at_once: bool = False) -> None:
        """Draw the pages near the visible part that are not drawn at the current zoom yet.

        One page a turn of the event loop (the timer comes back for the next), so that the
        window keeps painting between pages; `all_at_once` draws them all now.
        """
        wanted = [i for i in self._visible_indexes() if self._drawn_at[i] != self._zoom]
        if not wanted:
            return
        if not all_at_once and len(wanted) > 1:
            wanted = wanted[:1]
            self._render_timer.start()
        ratio = self.devicePixelRatioF()
        dpi = self.logicalDpiX() * self._zoom * ratio
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with _PDFIUM, pdfium.PdfDocument(self._pdf) as doc:
                for index in wanted:
                    pixmap = QPixmap.fromImage(_render_image(doc, index, dpi))
                    pixmap.setDevicePixelRatio(ratio)
                    self._pages[index].setPixmap(pixmap)
                    self._drawn_at[index] = self._zoom
        finally:
            QApplication.restoreOverrideCursor()

    def render_now(self) -> None:
        """Draw the visible pages at once instead of on the next turns of the event loop."""
        self._render_timer.stop()
        layout = self._page_box.layout()
        if layout is not None:
            layout.activate()
        self._render_visible(all_at_once=True)

    def drawn_pages(self) -> list[int]:
        """The pages (from 0) that hold a picture at the current zoom."""
        return [i for i, zoom in enumerate(self._drawn_at) if zoom == self._zoom]

    def _current_page(self) -> int:
        middle = self._scroll.verticalScrollBar().value() + self._scroll.viewport().height() // 2
        for index, page in enumerate(self._pages):
            if middle < page.y() + page.height() + PAGE_GAP:
                return index
        return max(len(self._pages) - 1, 0)

    def _update_page_label(self) -> None:
        if not self._pages:
            self.page_label.clear()
            return
        self.page_label.setText(
            _arg(self.tr("Page %1 of %2"), self._current_page() + 1, len(self._pages))
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            if self._fit_width:
                self._apply_zoom()
            else:
                self._render_timer.start()
        return super().eventFilter(watched, event)

    # --- slots ----------------------------------------------------------------------------

    def _on_scroll_moved(self, _value: int) -> None:
        self._update_page_label()
        self._render_timer.start()

    def _on_zoom_in_action_triggered(self) -> None:
        self._set_zoom(self._zoom * ZOOM_STEP)

    def _on_zoom_out_action_triggered(self) -> None:
        self._set_zoom(self._zoom / ZOOM_STEP)

    def _on_fit_width_action_triggered(self) -> None:
        self._set_zoom(self._zoom, fit_width=True)

    def _new_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        width, height = self._sizes[0]
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if width > height
            else QPageLayout.Orientation.Portrait
        )
        # The forms carry their own margins: the whole sheet is the page, so an A4 form
        # prints at its real size (the barcode keeps its designed bar widths).
        printer.setFullPage(True)
        printer.setFromTo(1, self.page_count())
        return printer

    def _on_print_action_triggered(self) -> None:
        if not self._sizes:
            return
        printer = self._new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle(self.tr("Print"))
        dialog.setMinMax(1, self.page_count())
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.print_to(dialog.printer())
        except PrintError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(
                self,
                self.tr("Cannot print"),
                _arg(self.tr("The printer %1 could not be started."), str(exc)),
            )
            return
        QApplication.restoreOverrideCursor()

    def _on_save_action_triggered(self) -> None:
        if not self._sizes:
            return
        chosen = file_dialogs.ask_save_path(
            self,
            self.tr("Save as PDF"),
            self._save_dir,
            self._file_name,
            self.tr("PDF documents (*.pdf)"),
        )
        if chosen is None:
            return
        path = chosen[0]
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            self.save_to(path)
        except (DeskError, OSError) as exc:
            # write_atomically turns most failures into a DeskError, but an OSError can still
            # escape its clean-up (a file where a folder should be); both are shown, not raised.
            show_error(self, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._render_timer.stop()
        super().closeEvent(event)


def show_pdf(parent: QWidget | None, pdf: bytes, title: str, file_name: str) -> PdfPreviewDialog:
    """Open the preview non-modally (WA_DeleteOnClose) and return it."""
    dialog = PdfPreviewDialog(pdf, title, file_name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
