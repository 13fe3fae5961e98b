"""The intake form's scans: the newest files of the scanner's folder, files dropped or chosen, each
assigned to a paper of the checklist, and for a paper not scanned now, why (Circular 03/2025).

Nothing here reads a scan or lists a folder on the GUI thread: the scan folder's listing, each
scan's page count and its small picture (a PDF's first page drawn by PDFium, a picture's own)
come from the scan reader's thread (desk_app/ui/scan_folder.py ScanReader); the bytes themselves
are read when the file is saved (the dialog's job, desk_app/services/intake_scans.py). A scan
saved with the file or removed from the list is remembered (scan_folder.TakenScans) and not
offered to the next applicant.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QRect, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.digitising import LineState
from desk_app.errors import DeskError
from desk_app.services.intake_scans import count_pages
from desk_app.services.scan_files import MAX_INPUT_BYTES
from desk_app.ui.forms import ERROR_STYLE
from desk_app.ui.intake_documents import ANSWERS, DocumentsEditor
from desk_app.ui.scan_folder import (
    SETTLE_MS,
    ScanFolderWatcher,
    ScanReader,
    Stamp,
    TakenScans,
    files_dragged,
    forbidden_reason,
    refused_file,
    stamp_of,
)

log = logging.getLogger(__name__)

THUMB = 36  # the side of a scan's picture in the list, in pixels
THUMB_DPI = 12  # a PDF's first page is drawn this small (A4: 99 × 140 px), then fitted
PATH_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Look:
    """What the scan reader found in a scan file."""

    stamp: Stamp | None  # its size and time when read (None: gone)
    pages: int | None  # None: unreadable, and `problem` says why
    problem: str = ""
    image: QImage | None = None  # its first page, small


def _fitted(image: QImage) -> QImage:
    """`image` fitted into a THUMB square, framed in grey so a white page shows on white."""
    small = image.scaled(
        THUMB - 2,
        THUMB - 2,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    framed = QImage(THUMB, THUMB, QImage.Format.Format_ARGB32_Premultiplied)
    framed.fill(Qt.GlobalColor.transparent)
    painter = QPainter(framed)
    try:
        x, y = (THUMB - small.width()) // 2, (THUMB - small.height()) // 2
        painter.drawImage(x, y, small)
        painter.setPen(QColor("#9a9a9a"))
        painter.drawRect(QRect(x - 1, y - 1, small.width() + 1, small.height() + 1))
    finally:
        painter.end()
    return framed


def thumbnail(data: bytes) -> QImage | None:
    """A small picture of a scan's first page: a PDF's drawn by PDFium, a picture decoded at a
    reduced size by Qt (Pillow for a TIFF Qt cannot read); None when nothing can be drawn.
    Safe off the GUI thread."""
    image = QImage()
    if data.startswith(b"%PDF-"):
        from desk_app.ui.preview import render_page

        try:
            image = render_page(data, 0, THUMB_DPI)
        except Exception as exc:  # PDFium's own error: the count said the file is a PDF
            log.info("no thumbnail for a PDF: %s", exc)
            return None
    else:
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        size = reader.size()
        if size.isValid():
            box = QSize(2 * THUMB, 2 * THUMB)
            reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        del reader  # before its device: the TIFF reader's end reads the buffer (a crash)
        buffer.close()
        if image.isNull():
            image = _pillow_thumbnail(data)
    return None if image.isNull() else _fitted(image)


def _pillow_thumbnail(data: bytes) -> QImage:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.thumbnail((2 * THUMB, 2 * THUMB))
            out = io.BytesIO()
            picture.convert("RGB").save(out, format="PNG")
    except Exception:  # the page count has already said whether the file is readable
        return QImage()
    return QImage.fromData(out.getvalue())


def look_at(path: Path) -> Look:
    """On the scan reader's thread: the scan's stamp, its pages and a small picture of it."""
    try:
        stamp = stamp_of(path)
    except OSError:
        stamp = None
    try:
        pages = count_pages(path)
    except DeskError as exc:
        return Look(stamp, None, exc.message)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_INPUT_BYTES else b""
    except OSError:
        return Look(stamp, pages)
    return Look(stamp, pages, "", thumbnail(data))


class ScanPanel(QGroupBox):
    """The scans waiting to be assigned and the current paper's answer.

    The current paper is the documents table's current row (the first paper still to scan when
    none is); assigning a scan moves on to the next paper still to scan, as papers are scanned
    in the order of the checklist. No signals: every change lands in the documents model,
    whose own signals tell the form.
    """

    def __init__(self, documents: DocumentsEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Scans"))
        self.setObjectName("scan_panel")
        self.documents = documents
        self.model = documents.model
        # Lists the folder and reads the scans; in place until `watch` gives it a thread.
        self.files_reader = ScanReader(self, synchronous=True)
        self.taken = TakenScans(None)
        self.stamps: dict[str, Stamp] = {}  # each listed scan as it was when last read
        self.database: Path | None = None
        self.folder: Path | None = None
        self.watcher: ScanFolderWatcher | None = None
        self._watches = 0  # `watch` calls: a folder's check answered after another is dropped
        self._loading = False
        self._build_widgets()
        self._lay_out()
        self._connect()
        self.show_source()
        self._on_current_changed()

    # --- building ----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.source = QLabel()
        self.source.setObjectName("scan_source")
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #555;")
        self.scan_list = QListWidget()
        self.scan_list.setObjectName("scan_list")
        self.scan_list.setIconSize(QSize(THUMB, THUMB))
        self.scan_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.scan_list.setMinimumHeight(THUMB + 16)  # one scan; the form must fit 1366 × 768
        self.scan_list.setToolTip(
            self.tr(
                "Double-click a scan (or press Enter) to assign it to the current paper; "
                "Delete takes it off the list"
            )
        )
        self.scan_list.viewport().setAcceptDrops(True)
        self.dismiss_action = QAction(self.tr("Remove from the list"), self.scan_list)
        self.dismiss_action.setObjectName("dismiss_scans")
        self.dismiss_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.dismiss_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.scan_list.addAction(self.dismiss_action)
        self.scan_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # Each scan shows the file icon until the reader has drawn its first page.
        self._file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.notice = QLabel()
        self.notice.setObjectName("scan_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(ERROR_STYLE)
        self.notice.hide()
        self.assign_button = QPushButton(self.tr("Assign to paper"))
        self.assign_button.setObjectName("assign_scans")
        self.choose_button = QPushButton(self.tr("Choose files…"))
        self.choose_button.setObjectName("choose_scans")
        self.remove_button = QPushButton(self.tr("Remove scans"))
        self.remove_button.setObjectName("remove_scans")
        self.remove_button.setToolTip(self.tr("Take the scans off the current paper"))
        self.line = QLabel()
        self.line.setObjectName("scan_line")
        self.answer = QComboBox()
        self.answer.setObjectName("scan_answer")
        self.answer.addItem(self.tr("Scanned now"), "")
        names = {
            LineState.SCAN_LATER: self.tr("Scan later"),
            LineState.SHOWN_ONLY: self.tr("Shown only, handed back"),
            LineState.PRODUCED_IN_PROCESSING: self.tr("Produced during processing"),
            LineState.CONFIDENTIAL: self.tr("Confidential"),
        }
        for state in ANSWERS:
            self.answer.addItem(names[state], str(state))
        self.reason = QLineEdit()
        self.reason.setObjectName("scan_reason")
        self.reason.setPlaceholderText(self.tr("Reason (required when not scanned)"))
        self.reason.setMaxLength(500)
        self.later_rest = QPushButton(self.tr("Scan the rest later"))
        self.later_rest.setObjectName("scan_later_rest")
        self.later_rest.setToolTip(
            self.tr("Every received paper still without a scan or a reason: scan later")
        )
        for button in (self.assign_button, self.choose_button, self.remove_button, self.later_rest):
            button.setAutoDefault(False)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_rest)
        answer = QHBoxLayout()
        answer.addWidget(self.answer)
        answer.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.source)
        layout.addWidget(self.scan_list, 1)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        layout.addWidget(self.line)
        layout.addLayout(answer)

    def tab_chain(self) -> list[QWidget]:
        return [
            self.scan_list,
            self.assign_button,
            self.choose_button,
            self.remove_button,
            self.later_rest,
            self.answer,
            self.reason,
        ]

    def _connect(self) -> None:
        self.scan_list.itemActivated.connect(self._on_scan_list_item_activated)
        self.dismiss_action.triggered.connect(self._on_dismiss_action_triggered)
        self.scan_list.viewport().installEventFilter(self)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.later_rest.clicked.connect(self._on_later_rest_clicked)
        self.answer.currentIndexChanged.connect(self._on_answer_changed)
        self.reason.textEdited.connect(self._on_answer_changed)
        self.documents.files_dropped.connect(self._on_documents_files_dropped)
        self.documents.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        for signal in (self.model.dataChanged, self.model.modelReset, self.model.rowsRemoved):
            signal.connect(self._on_model_changed)
        self.model.modelReset.connect(self._on_model_reset)

    # --- where scans come from -----------------------------------------------------------------

    def watch(
        self,
        folder: Path | None,
        database: Path | None,
        settle_ms: int = SETTLE_MS,
        *,
        taken: TakenScans | None = None,
        reader: ScanReader | None = None,
    ) -> None:
        """Offer the scans landing in `folder` (None: no folder), never the database's nor
        those in `taken`; from now on the folder is listed and the scans are read on `reader`
        (by default a thread of the panel's own)."""
        self.database = database
        if taken is not None:
            self.taken = taken
        if reader is None and (self.files_reader.synchronous or self.files_reader.closed):
            reader = ScanReader(self)
        if reader is not None:
            self.files_reader.close()
            self.files_reader = reader
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        self.folder = folder
        self.show_source()
        if folder is None:
            return
        self._watches += 1
        watches = self._watches

        def checked(why: str) -> None:
            if watches != self._watches:
                return  # another folder was set meanwhile
            if why:
                self.show_source(why)
                return
            self.watcher = ScanFolderWatcher(
                folder, self, settle_ms=settle_ms, reader=self.files_reader, taken=self.taken
            )
            self.watcher.arrived.connect(self._on_watcher_arrived)
            self.watcher.start()

        def failed(exc: Exception) -> None:
            checked(str(exc) or type(exc).__name__)

        # Is it a folder, and not the database's? Asked on the reader too: a share that does
        # not answer must not hold the form up as it opens.
        self.files_reader.run(lambda: forbidden_reason(folder, database), checked, failed)

    def stop(self) -> None:
        """The form is done with: no more looks, nothing more delivered."""
        if self.watcher is not None:
            self.watcher.stop()
        self.files_reader.close()

    def remember_saved(self) -> None:
        """The file is saved with its scans: never offer them again on this computer."""
        self.remember([Path(p) for line in self.model.scan_plan() for p in line.paths])

    def show_source(self, problem: str = "") -> None:
        if problem:
            self.source.setText(problem)
            self.source.setStyleSheet(ERROR_STYLE)
            return
        self.source.setStyleSheet("color: #555;")
        if self.folder is not None:
            self.source.setText(self.tr("New scans from {0}").format(str(self.folder)))
            self.source.setToolTip(self.tr("Files can also be dropped here or chosen."))
        else:
            self.source.setText(
                self.tr(
                    "Drop scans here or choose files. A scan folder (Settings › This computer) "
                    "lists the scanner's new files by itself."
                )
            )

    def _on_watcher_arrived(self, path: Path) -> None:
        if str(path) in self._items():
            self._count(path)  # written again under the same name: read it again
            return
        # The folder was checked and the file listed on the reader: nothing to ask the disk.
        self._list(path)
        self._label_items()

    def remember(self, paths: list[Path]) -> None:
        """Remember `paths` as taken, each as it was last read (or as the folder listed it)."""
        offered = self.watcher.offered if self.watcher is not None else {}
        found = {}
        for path in paths:
            stamp = self.stamps.get(str(path)) or offered.get(path)
            if stamp is not None:
                found[path] = stamp
        self.taken.add(found)

    def dismiss(self, paths: list[Path]) -> list[Path]:
        """Take scans off the list for good (not offered again unless written anew); a scan
        on a paper stays, with a word why. The scans taken off."""
        where = self._papers_of()
        gone, kept = [], []
        items = self._items()
        for path in paths:
            key = str(path)
            if key in where:
                kept.append(
                    self.tr("{0} is on paper {1}: take it off the paper first.").format(
                        path.name, where[key]
                    )
                )
                continue
            item = items.get(key)
            if item is not None:
                self.scan_list.takeItem(self.scan_list.row(item))
                gone.append(path)
        self.remember(gone)
        self.notice.setText("\n".join(kept))
        self.notice.setVisible(bool(kept))
        return gone

    def _on_dismiss_action_triggered(self) -> None:
        self.dismiss(self.selected_paths())

    def add_scans(self, paths: list[Path], *, select: bool = True) -> list[Path]:
        """Put scan files in the list (newest first) and count their pages on the worker;
        files refused (the database's, not a scan) are named under the list. The files taken."""
        taken, refused = [], []
        for path in paths:
            why = refused_file(path, self.database)
            if why:
                refused.append(why)
                continue
            taken.append(path)
            if str(path) not in self._items():
                self._list(path)
        self.notice.setText("\n".join(refused))
        self.notice.setVisible(bool(refused))
        if select and taken:
            self.scan_list.clearSelection()
            for item in self._items().values():
                item.setSelected(Path(str(item.data(PATH_ROLE))) in taken)
        self._label_items()
        return taken

    def _list(self, path: Path) -> None:
        """Put the scan at the top of the list and read it."""
        item = QListWidgetItem(self._file_icon, path.name)
        item.setData(PATH_ROLE, str(path))
        item.setToolTip(str(path))
        self.scan_list.insertItem(0, item)
        self._count(path)

    def _items(self) -> dict[str, QListWidgetItem]:
        found = {}
        for i in range(self.scan_list.count()):
            item = self.scan_list.item(i)
            found[str(item.data(PATH_ROLE))] = item
        return found

    def _count(self, path: Path) -> None:
        """Count the scan's pages and draw its first page, on the reader."""

        def done(look: Look) -> None:
            if look.stamp is not None:
                self.stamps[str(path)] = look.stamp
            item = self._items().get(str(path))
            if item is not None and look.image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(look.image)))
            self.model.set_pages(path, look.pages, look.problem)
            self._label_items()  # the model says nothing while it has no paper

        def failed(exc: Exception) -> None:
            log.error("reading the scan %s failed", path, exc_info=exc)
            self.model.set_pages(path, None, str(exc))
            self._label_items()

        self.files_reader.run(lambda: look_at(path), done, failed)

    def _on_choose_button_clicked(self) -> None:
        from desk_app.ui.scan_folder import ask_scan_files

        chosen = ask_scan_files(self.window(), self.folder)
        if chosen and self.add_scans(chosen):
            self._assign_selected()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scan_list.viewport():
            paths = files_dragged(event)
            if paths is not None:
                if paths:
                    self.add_scans(paths)
                return True
        return super().eventFilter(watched, event)

    def _on_documents_files_dropped(self, row: int, paths: list[Path]) -> None:
        taken = self.add_scans(paths)
        if taken and row >= 0:
            self.assign(row, taken)

    # --- assigning -----------------------------------------------------------------------------

    def current_row(self) -> int:
        """The paper scans go to: the table's current row, else the first still to scan."""
        row = self.documents.table.currentIndex().row()
        if row >= 0:
            return row
        open_rows = self.model.unanswered()
        return open_rows[0] if open_rows else -1

    def selected_paths(self) -> list[Path]:
        """The selected scans, oldest first (the order they came out of the scanner)."""
        items = [
            self.scan_list.item(i)
            for i in reversed(range(self.scan_list.count()))
            if self.scan_list.item(i).isSelected()
        ]
        return [Path(str(item.data(PATH_ROLE))) for item in items]

    def assign(self, row: int, paths: list[Path]) -> None:
        """Put `paths` on the paper at `row`, then move on to the next paper still to scan."""
        if row < 0 or not paths:
            return
        self.model.assign(row, paths)
        later = [r for r in self.model.unanswered() if r > row]
        following = later[0] if later else row
        self.documents.table.setCurrentIndex(self.model.index(following, 0))

    def _assign_selected(self) -> None:
        self.assign(self.current_row(), self.selected_paths())

    def _on_assign_button_clicked(self) -> None:
        self._assign_selected()

    def _on_scan_list_item_activated(self, item: QListWidgetItem) -> None:
        self.assign(self.current_row(), [Path(str(item.data(PATH_ROLE)))])

    def _on_remove_button_clicked(self) -> None:
        self.model.clear_scans(self.current_row())

    def _on_later_rest_clicked(self) -> None:
        self.model.answer_rest_later()

    # --- the current paper's answer ------------------------------------------------------------

    def _on_answer_changed(self, *_args: object) -> None:
        if self._loading:
            return
        row = self.current_row()
        value = str(self.answer.currentData() or "")
        self.model.set_answer(row, LineState(value) if value else None, self.reason.text())

    def _on_current_changed(self, *_args: object) -> None:
        row = self.current_row()
        rows = self.model.rowCount()
        with_paper = 0 <= row < rows
        for widget in (self.answer, self.reason, self.remove_button, self.assign_button):
            widget.setEnabled(with_paper)
        if not with_paper:
            self.line.setText(self.tr("No paper to scan: choose a procedure first."))
            return
        r = self.model.row_at(row)
        self.line.setText(self.tr("Paper {0}: {1}").format(row + 1, r.name))
        self._loading = True
        try:
            self.answer.setCurrentIndex(max(0, self.answer.findData(r.scan_state)))
            if self.reason.text() != r.scan_reason:
                self.reason.setText(r.scan_reason)
            self.reason.setEnabled(bool(r.scan_state))
            self.remove_button.setEnabled(bool(r.scans))
        finally:
            self._loading = False

    def _on_model_reset(self) -> None:
        """A restored draft names scans this list has not seen: list and count them again."""
        known = self._items()
        for key in sorted(self.model.scan_paths() - known.keys()):
            path = Path(key)
            why = refused_file(path, self.database)
            if why:
                self.model.set_pages(path, None, why)
            else:
                self.add_scans([path], select=False)

    def _on_model_changed(self, *_args: object) -> None:
        self._on_current_changed()
        self._label_items()

    def _papers_of(self) -> dict[str, int]:
        """Each assigned scan's paper (numbered from 1)."""
        where: dict[str, int] = {}
        for i in range(self.model.rowCount()):
            for p in self.model.row_at(i).scans:
                where.setdefault(p, i + 1)
        return where

    def _label_items(self) -> None:
        """Each scan's name with its pages and the paper it went to."""
        where = self._papers_of()
        for key, item in self._items().items():
            parts = [Path(key).name]
            if key in self.model.broken:
                parts.append(self.tr("unreadable"))
            elif key in self.model.pages:
                parts.append(self.tr("%n page(s)", "", self.model.pages[key]))
            if key in where:
                parts.append(self.tr("→ paper {0}").format(where[key]))
            item.setText(" · ".join(parts))
            item.setForeground(
                QColor("#b00020")
                if key in self.model.broken
                else QColor("#8a8a8a")
                if key in where
                else QColor("#000000")
            )
