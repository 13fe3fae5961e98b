"""The scanned pages of one line of a file: look, page through, zoom, turn, remove."""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.digitising import PDF
from desk_app.errors import ValidationError
from desk_app.services import digitise
from desk_app.services.digitise import LineView, PageView
from desk_app.store.pages import PageMissingError
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error

# A scanned A4 page drawn at this resolution is sharp at the panel's width and at twice that.
PDF_DPI = 150
MIN_ZOOM = 0.1
MAX_ZOOM = 4.0
ZOOM_STEP = 1.25
CACHED_PAGES = 12  # decoded pages kept, so paging back and forth reads nothing again


class _PageScroll(QScrollArea):
    """A scroll area whose size hint stays put: QScrollArea's follows its widget, so a page
    zoomed in would ask the panel's splitter for more room and move the room a fitted page
    is fitted to."""

    def sizeHint(self) -> QSize:
        return QSize(320, 360)


def decode_page(data: bytes, media_type: str) -> QImage:
    """A page's bytes as an image that owns its pixels: a PDF page drawn by PDFium, a picture
    read by Qt (or by Pillow for a TIFF Qt has no plugin for). Safe off the GUI thread."""
    if media_type == PDF:
        from desk_app.ui.preview import render_page

        return render_page(data, 0, PDF_DPI)
    image = QImage()
    if image.loadFromData(data):
        return image
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            buffer = io.BytesIO()
            picture.convert("RGB").save(buffer, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError("Không đọc được hình của trang này (tệp hỏng?).") from None
    if not image.loadFromData(buffer.getvalue()):
        raise ValidationError("Không đọc được hình của trang này (tệp hỏng?).")
    return image


class PageViewer(QWidget):
    """One line's pages, one at a time: previous/next, zoom to fit (the default), zoom in and
    out, turn left or right and remove (writes, offered when `set_editable(True)`). A page whose
    bytes the store has lost shows a message instead of the picture.

    Pages are read and decoded on the worker (ctx.ops.read); a page already seen comes from a
    small cache. Turning and removing announce a change of the file on the bus, which reloads
    the panel and with it this viewer (`show_line` keeps the page shown).

    Signals:
        page_shown(int): the page at this index (from 0) of the line is now shown (-1: none).
    """

    page_shown = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._code: str | None = None
        self._file_id: int | None = None
        self._line: LineView | None = None
        self._index = 0
        self._zoom: float | None = None  # None: fit the page in the view
        self._image: QImage | None = None
        self._cache: OrderedDict[str, QImage] = OrderedDict()
        self._editable = False
        self._busy = False

        self.setObjectName("pageViewer")
        self.previous_button = self._tool("pagePrevious", "◀", self.tr("Previous page (PgUp)"))
        self.next_button = self._tool("pageNext", "▶", self.tr("Next page (PgDown)"))
        self.page_label = QLabel()
        self.page_label.setObjectName("pageNumber")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out_button = self._tool("pageZoomOut", "−", self.tr("Zoom out"))
        self.fit_button = self._tool("pageFit", self.tr("Fit"), self.tr("Zoom to fit the page"))
        self.fit_button.setCheckable(True)
        self.zoom_in_button = self._tool("pageZoomIn", "+", self.tr("Zoom in"))
        self.left_button = self._tool(
            "pageRotateLeft", self.tr("↺ Left"), self.tr("Turn the page a quarter to the left")
        )
        self.right_button = self._tool(
            "pageRotateRight", self.tr("↻ Right"), self.tr("Turn the page a quarter to the right")
        )
        self.remove_button = self._tool(
            "pageRemove", self.tr("Remove"), self.tr("Take this page off the line")
        )

        self.image_label = QLabel()
        self.image_label.setObjectName("pageImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(12)
        self._scroll = _PageScroll()
        self._scroll.setObjectName("pageScroll")
        self._scroll.setWidget(self.image_label)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scroll.setBackgroundRole(QPalette.ColorRole.Mid)
        self._scroll.setFrameShape(QFrame.Shape.StyledPanel)

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        for w in (self.previous_button, self.page_label, self.next_button):
            tools.addWidget(w)
        tools.addSpacing(8)
        for w in (self.zoom_out_button, self.fit_button, self.zoom_in_button):
            tools.addWidget(w)
        tools.addStretch(1)
        for w in (self.left_button, self.right_button, self.remove_button):
            tools.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        # The message takes the page's place, so showing it moves nothing around it.
        self._stack = QStackedWidget()
        self._stack.addWidget(self._scroll)
        self._stack.addWidget(self.message)
        layout.addWidget(self._stack, 1)

        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_button_clicked)
        self.fit_button.clicked.connect(self._on_fit_button_clicked)
        self.zoom_in_button.clicked.connect(self._on_zoom_in_button_clicked)
        self.left_button.clicked.connect(self._on_left_button_clicked)
        self.right_button.clicked.connect(self._on_right_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self._scroll.viewport().installEventFilter(self)

        self.show_line(None, None, None)

    def _tool(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        return button

    # --- what is shown -------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self._line.pages) if self._line is not None else 0

    @property
    def index(self) -> int:
        return self._index

    @property
    def zoom(self) -> float | None:
        """The zoom over the decoded page's pixels; None while it fits the page in the view."""
        return self._zoom

    def image(self) -> QImage | None:
        """The shown page as decoded (before zooming); None while none is shown."""
        return self._image

    def current_page(self) -> PageView | None:
        if self._line is None or not 0 <= self._index < len(self._line.pages):
            return None
        return self._line.pages[self._index]

    def set_editable(self, editable: bool) -> None:
        """Offer turning and removing (the signed-in role may digitise this file)."""
        self._editable = editable
        self._update_buttons()

    def show_line(
        self, code: str | None, file_id: int | None, line: LineView | None, page: int = 0
    ) -> None:
        """Show `line`'s page `page` (kept within the line's pages); None empties the viewer."""
        self._code, self._file_id, self._line = code, file_id, line
        self._index = max(0, min(page, self.page_count - 1))
        self._show_current()

    def show_page(self, index: int) -> None:
        if 0 <= index < self.page_count and index != self._index:
            self._index = index
            self._show_current()

    def _show_current(self) -> None:
        page = self.current_page()
        self._update_buttons()
        if page is None:
            self._image = None
            self.image_label.clear()
            if self._line is None:
                self._say(self.tr("Choose a line to see its scanned pages."))
            else:
                self._say(self.tr("No page scanned for this line yet."))
            self.page_shown.emit(-1)
            return
        cached = self._cache.get(page.sha256)
        if cached is not None:
            self._cache.move_to_end(page.sha256)
            self._put(cached)
            return
        self._say(self.tr("Loading the page…"))
        sha, media_type, index = page.sha256, page.media_type, self._index

        def job(s: Session) -> QImage:
            return decode_page(digitise.page_bytes(s, sha), media_type)

        def done(image: QImage) -> None:
            self._cache[sha] = image
            while len(self._cache) > CACHED_PAGES:
                self._cache.popitem(last=False)
            now_page = self.current_page()
            if now_page is not None and now_page.sha256 == sha and self._index == index:
                self._put(image)

        def failed(exc: BaseException) -> None:
            now_page = self.current_page()
            if now_page is None or now_page.sha256 != sha:
                return
            self._image = None
            self.image_label.clear()
            if isinstance(exc, PageMissingError):
                self._say(
                    self.tr(
                        "Page {0} of this line is missing from the page store (deleted or "
                        "moved). Restore the pages from a backup, or remove the page and scan "
                        "the paper again."
                    ).format(index + 1),
                    error=True,
                )
            elif isinstance(exc, ValidationError):
                self._say(exc.message, error=True)
            else:
                show_error(self, exc)

        self._ctx.ops.read(job, done, failed, owner=self, label="show scanned page")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e; font-weight: bold;" if error else "")
        self._stack.setCurrentWidget(self.message)

    def message_shown(self) -> bool:
        """Whether a message stands where the page would be (none chosen, loading, lost)."""
        return self._stack.currentWidget() is self.message

    def _put(self, image: QImage) -> None:
        self._image = image
        self._stack.setCurrentWidget(self._scroll)
        self._apply_zoom()
        self.page_shown.emit(self._index)

    def _fit_zoom(self) -> float:
        if self._image is None or self._image.isNull():
            return 1.0
        room = self._scroll.viewport().size()
        return max(
            MIN_ZOOM,
            min(
                (room.width() - 4) / self._image.width(),
                (room.height() - 4) / self._image.height(),
            ),
        )

    def shown_zoom(self) -> float:
        """The zoom the page is drawn at now (the fitted one while fitting)."""
        return self._fit_zoom() if self._zoom is None else self._zoom

    def _apply_zoom(self) -> None:
        self.fit_button.setChecked(self._zoom is None)
        # A fitted page needs no scroll bars; leaving them off keeps the room it fits in from
        # changing under it (a bar left from a zoom would shrink the fitted page).
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self._zoom is None
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self._scroll.setHorizontalScrollBarPolicy(policy)
        self._scroll.setVerticalScrollBarPolicy(policy)
        if self._image is None:
            return
        zoom = self.shown_zoom()
        width = max(1, round(self._image.width() * zoom))
        height = max(1, round(self._image.height() * zoom))
        pixmap = QPixmap.fromImage(
            self._image.scaled(
                width,
                height,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.image_label.setPixmap(pixmap)
        self.image_label.resize(pixmap.size())

    def _update_buttons(self) -> None:
        count, has_page = self.page_count, self.current_page() is not None
        self.page_label.setText(
            self.tr("Page {0} of {1}").format(self._index + 1, count) if count else ""
        )
        self.previous_button.setEnabled(has_page and self._index > 0)
        self.next_button.setEnabled(has_page and self._index < count - 1)
        for button in (self.zoom_out_button, self.fit_button, self.zoom_in_button):
            button.setEnabled(has_page)
        for button in (self.left_button, self.right_button, self.remove_button):
            button.setVisible(self._editable)
            button.setEnabled(has_page and not self._busy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._zoom is None:
            self._apply_zoom()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_PageDown:
            self.show_page(self._index + 1)
        elif event.key() == Qt.Key.Key_PageUp:
            self.show_page(self._index - 1)
        else:
            super().keyPressEvent(event)

    # --- writes --------------------------------------------------------------------------------

    def rotate(self, quarter_turns: int) -> None:
        """Turn the shown page (1: a quarter clockwise, -1: anticlockwise)."""
        page = self.current_page()
        if page is None or self._line is None or self._code is None or self._busy:
            return
        code, actor, now, line = self._code, self._ctx.actor, self._ctx.now(), self._line
        seq = page.seq
        self._write(
            lambda s: digitise.rotate_page(
                s, code, actor, now, line=line.line, seq=seq, quarter_turns=quarter_turns,
                kind=line.kind,
            ),
            "turn scanned page",
        )  # fmt: skip

    def remove(self, *, confirmed: bool = False) -> None:
        """Take the shown page off its line, after the officer confirms (unless `confirmed`)."""
        page = self.current_page()
        if page is None or self._line is None or self._code is None or self._busy:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                self.tr("Remove the page"),
                self.tr(
                    "Remove page {0} of {1} from “{2}”? A line left without pages is to scan again."
                ).format(self._index + 1, self.page_count, self._line.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        code, actor, now, line = self._code, self._ctx.actor, self._ctx.now(), self._line
        seq = page.seq
        self._write(
            lambda s: digitise.remove_page(
                s, code, actor, now, line=line.line, seq=seq, kind=line.kind
            ),
            "remove scanned page",
        )

    def _write(self, fn: Callable[[Session], object], label: str) -> None:
        if self._code is None:
            return
        ids = frozenset({self._file_id}) if self._file_id is not None else frozenset()
        self._busy = True
        self._update_buttons()

        def finished(_result: object) -> None:
            self._busy = False
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            finished(None)
            show_error(self, exc)

        self._ctx.ops.write(
            fn,
            finished,
            failed,
            # The panel reloads the file (and this viewer); the lists recount "Chờ số hóa".
            changes=Change(frozenset({"files"}), frozenset({self._code}), ids),
            owner=self,
            label=label,
        )

    # --- slots ---------------------------------------------------------------------------------

    def _on_previous_button_clicked(self) -> None:
        self.show_page(self._index - 1)

    def _on_next_button_clicked(self) -> None:
        self.show_page(self._index + 1)

    def _on_zoom_out_button_clicked(self) -> None:
        self._zoom = max(MIN_ZOOM, self.shown_zoom() / ZOOM_STEP)
        self._apply_zoom()

    def _on_zoom_in_button_clicked(self) -> None:
        self._zoom = min(MAX_ZOOM, self.shown_zoom() * ZOOM_STEP)
        self._apply_zoom()

    def _on_fit_button_clicked(self) -> None:
        self._zoom = None
        self._apply_zoom()

    def _on_left_button_clicked(self) -> None:
        self.rotate(-1)

    def _on_right_button_clicked(self) -> None:
        self.rotate(1)

    def _on_remove_button_clicked(self) -> None:
        self.remove()
