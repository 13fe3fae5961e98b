"""The intake form's scans: the newest files of the scanner's folder, files dropped or chosen, each
assigned to a paper of the checklist, and for a paper not scanned now, why (Circular 03/2025).

Nothing here reads a scan on the GUI thread: the page count (and a small picture of an image)
comes from the worker; the bytes themselves are read when the file is saved (the dialog's job,
desk_app/services/intake_scans.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
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
from desk_app.ui.forms import ERROR_STYLE
from desk_app.ui.intake_documents import ANSWERS, DocumentsEditor
from desk_app.ui.ops import OpRunner
from desk_app.ui.scan_folder import (
    SETTLE_MS,
    ScanFolderWatcher,
    files_dragged,
    forbidden_reason,
    refused_file,
)

THUMB = 32
PATH_ROLE = Qt.ItemDataRole.UserRole


def _look_at(path: Path) -> tuple[int, QImage | None]:
    """On the worker: the scan's pages and, for a picture, a small image of it."""
    pages = count_pages(path)
    image: QImage | None = None
    if path.suffix.lower() != ".pdf":
        loaded = QImage(str(path))
        if not loaded.isNull():
            image = loaded.scaled(
                THUMB,
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
    return pages, image


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
        # The dialog's worker, which reads the scans; the bare form (no worker) reads in place.
        self.runner: OpRunner | None = None
        self.database: Path | None = None
        self.folder: Path | None = None
        self.watcher: ScanFolderWatcher | None = None
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
        self.scan_list.setMinimumHeight(2 * THUMB + 12)
        self.scan_list.setToolTip(
            self.tr("Double-click a scan (or press Enter) to assign it to the current paper")
        )
        self.scan_list.viewport().setAcceptDrops(True)
        # A picture gets its own small image once read; a PDF keeps the file icon.
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

    def watch(self, folder: Path | None, database: Path | None, settle_ms: int = SETTLE_MS) -> None:
        """Offer the scans landing in `folder` (None: no folder); never the database's."""
        self.database = database
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        self.folder = folder
        why = forbidden_reason(folder, database) if folder is not None else ""
        if folder is not None and not why:
            self.watcher = ScanFolderWatcher(folder, self, settle_ms=settle_ms)
            self.watcher.arrived.connect(self._on_watcher_arrived)
            self.watcher.start()
        self.show_source(why)

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def show_source(self, problem: str = "") -> None:
        if problem:
            self.source.setText(problem)
            self.source.setStyleSheet(ERROR_STYLE)
            return
        self.source.setStyleSheet("color: #555;")
        if self.watcher is not None:
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
        self.add_scans([path], select=False)

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
            if str(path) in self._items():
                continue
            item = QListWidgetItem(self._file_icon, path.name)
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.scan_list.insertItem(0, item)
            self._count(path)
        self.notice.setText("\n".join(refused))
        self.notice.setVisible(bool(refused))
        if select and taken:
            self.scan_list.clearSelection()
            for item in self._items().values():
                item.setSelected(Path(str(item.data(PATH_ROLE))) in taken)
        self._label_items()
        return taken

    def _items(self) -> dict[str, QListWidgetItem]:
        found = {}
        for i in range(self.scan_list.count()):
            item = self.scan_list.item(i)
            found[str(item.data(PATH_ROLE))] = item
        return found

    def _count(self, path: Path) -> None:
        def done(result: object) -> None:
            assert isinstance(result, tuple)
            pages, image = result
            item = self._items().get(str(path))
            if item is not None and isinstance(image, QImage):
                item.setIcon(QIcon(QPixmap.fromImage(image)))
            self.model.set_pages(path, int(pages))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, DeskError):
                raise exc
            self.model.set_pages(path, None, exc.message)

        if self.runner is not None:
            self.runner.run(lambda: _look_at(path), done, failed, owner=self, label="scan pages")
            return
        try:
            result = _look_at(path)
        except DeskError as exc:
            failed(exc)
            return
        done(result)

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

    def _label_items(self) -> None:
        """Each scan's name with its pages and the paper it went to."""
        where: dict[str, int] = {}
        for i in range(self.model.rowCount()):
            for p in self.model.row_at(i).scans:
                where.setdefault(p, i + 1)
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
