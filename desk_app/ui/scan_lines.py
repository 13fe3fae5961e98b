"""The file panel's "Scans" tab: each line's digitising state, scanning later, and the viewer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.digitising import EXCEPTIONS, LineKind, LineState
from desk_app.domain.workflow import Status
from desk_app.services import digitise, permissions, queries
from desk_app.services.digitise import RESULT_NAME, LineView
from desk_app.services.views import FileView
from desk_app.ui.action_base import ActionDialog, Write
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.file_model import moment_text
from desk_app.ui.page_viewer import PageViewer
from desk_app.ui.scan_folder import ask_scan_files, refused_file
from desk_app.ui.table_model import ListTableModel

# A file only registered, refused, or withdrawn by its applicant kept none of its papers (the
# "Chờ số hóa" queue leaves it out too): its lines are shown, not changed.
NO_PAPERS = frozenset({Status.REGISTERED, Status.REFUSED, Status.WITHDRAWN})
# The states the officer may give a line without a scan, in the order the dialog offers them.
ANSWERS: tuple[LineState, ...] = (LineState.SCAN_LATER, *EXCEPTIONS)

Key = tuple[LineKind, int]


def refused_scans(parent: QWidget | None, paths: Sequence[Path], database: Path | None) -> bool:
    """Say why (in a box) and return True when one of `paths` may not be read as a scan: a
    file of the database or in its folder (reading it would drop SQLite's locks), or no scan
    at all. The intake's scans pass the same test (ui/scan_folder.py refused_file)."""
    for path in paths:
        why = refused_file(path, database)
        if why:
            QMessageBox.warning(
                parent, QCoreApplication.translate("ScanLinesTab", "Attach scans"), why
            )
            return True
    return False


def may_digitise(ctx: UiContext, view: FileView) -> bool:
    """Whether the tab offers its changes: the role digitises (permissions.DIGITISE, postal
    staff included) and the file kept its papers."""
    return ctx.actor.role in permissions.DIGITISE and view.status not in NO_PAPERS


def with_result(view: FileView, lines: Sequence[LineView]) -> tuple[LineView, ...]:
    """The lines, and the result's line for a file whose result came back before results were
    digitised (no row yet): it can still be scanned from here."""
    has_result = any(v.kind == LineKind.RESULT for v in lines)
    if has_result or view.settled is None:
        return tuple(lines)
    blank = LineView(LineKind.RESULT, 0, RESULT_NAME, LineState.PENDING, None, None, None)
    return (*lines, blank)


class ScanLinesModel(ListTableModel[LineView]):
    """A file's lines: the paper, its state in words (an exception with its reason), its pages;
    who answered it and when in the tooltip and in `recorded`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([self.tr("Paper"), self.tr("State"), self.tr("Pages")], parent)

    def paper(self, v: LineView) -> str:
        return v.name if v.kind == LineKind.RESULT else f"{v.line + 1}. {v.name}"

    def state(self, v: LineView) -> str:
        if v.state == LineState.PENDING:
            return self.tr("To scan")
        if v.reason and v.state != LineState.DIGITISED:
            return f"{v.state.label}: {v.reason}"
        return v.state.label

    def recorded(self, v: LineView) -> str:
        """Who set the line's state and when ("" for a line never answered)."""
        if v.at is None:
            return ""
        if v.officer:
            return f"{v.officer}, {moment_text(v.at)}"
        return moment_text(v.at)

    def cell(self, row: LineView, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.paper(row)
            if column == 1:
                return self.state(row)
            return str(len(row.pages)) if row.pages else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [self.paper(row), self.state(row)]
            if row.pages:
                parts.append(self.tr("%n page(s)", "", len(row.pages)))
            if recorded := self.recorded(row):
                parts.append(recorded)
            return "\n".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return Qt.AlignmentFlag.AlignCenter
        return None


class ScanStateDialog(ActionDialog):
    """A line without a scan: one of the Circular's four exceptions with its reason, or "scan
    later" (a reason optional). Errors sit next to their field, as in every action dialog."""

    def __init__(
        self, view: FileView, line: LineView, ctx: UiContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, ctx, parent)
        self.line = line
        self.set_texts(self.tr("No scan for this paper"), self.tr("Record"))
        paper = QLabel(line.name)
        paper.setWordWrap(True)
        self.form.addRow(self.tr("Paper"), paper)
        self.state = QComboBox()
        for state in ANSWERS:
            self.state.addItem(state.label, state)
        self.add_field(self.tr("Why"), self.state, "state")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            self.tr("Required for an exception: what the paper is and why it is not scanned")
        )
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        self.add_field(self.tr("Reason"), self.reason, "reason")
        if line.state in ANSWERS:
            self.state.setCurrentIndex(ANSWERS.index(line.state))
            self.reason.setPlainText(line.reason or "")
        self.state.setFocus()

    def field_alias(self, field: str) -> str:
        return "state" if field == "line" else field

    def write(self) -> Write:
        code, actor, now = self.view.code, self.ctx.actor, self.ctx.now()
        state = LineState(self.state.currentData())
        reason, line = self.reason.toPlainText(), self.line

        def run(s: Session) -> FileView:
            digitise.set_state(
                s, code, state, actor, now, line=line.line, kind=line.kind, reason=reason
            )
            return queries.show_file(s, code)

        return run


class ScanLinesTab(QWidget):
    """The lines of the shown file (paper, state in words, pages, who and when) over the page
    viewer. Attach scans to the chosen line by choosing files or dropping them on the tab;
    record an exception or "scan later". Every change is one write that announces the file's
    change: the panel reloads, and the lists recount "Chờ số hóa".

    No signals of its own.
    """

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.view: FileView | None = None
        self.lines: tuple[LineView, ...] = ()
        self._editable = False
        self._want: tuple[Key, int] | None = None  # the line and page to show after a write

        self.setObjectName("scanLinesTab")
        self.model = ScanLinesModel(self)
        self.table = QTableView()
        self.table.setObjectName("scanLinesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # One line per paper, long names and reasons cut short (the tooltip has them whole): the
        # viewer below keeps most of the panel's height.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 4 * rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The state fits its words up to a third of the table (a long reason is cut short).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)

        self.attach_button = QPushButton(self.tr("Attach scans…"))
        self.attach_button.setObjectName("scanAttach")
        self.attach_button.setToolTip(
            self.tr("Choose PDF, JPEG, PNG or TIFF files for the chosen paper (or drop them here)")
        )
        self.state_button = QPushButton(self.tr("No scan / later…"))
        self.state_button.setObjectName("scanState")
        self.state_button.setToolTip(
            self.tr("Record one of the four exceptions with its reason, or scan later")
        )
        self.hint = QLabel(self.tr("or drop files here"))
        self.hint.setObjectName("scanDropHint")
        self.hint.setToolTip(self.tr("Drop scans here to attach them to the chosen paper."))
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        # Who answered the chosen line and when (each row's tooltip says it too).
        self.info = QLabel()
        self.info.setObjectName("scanLineInfo")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.viewer = PageViewer(ctx)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.info)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.state_button)
        buttons.addWidget(self.hint, 1)
        top_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("scanSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.state_button.clicked.connect(self._on_state_button_clicked)
        self.table.viewport().installEventFilter(self)
        self.setAcceptDrops(True)
        self._update_buttons()

    # --- showing -------------------------------------------------------------------------------

    def show_file(self, view: FileView, lines: Sequence[LineView]) -> None:
        """Show `view`'s lines; the line (and page) shown before stays shown when it is there."""
        same_file = self.view is not None and self.view.code == view.code
        keep: tuple[Key, int] | None = None
        if self._want is not None and same_file:
            keep = self._want
        elif same_file and (current := self.current_line()) is not None:
            keep = ((current.kind, current.line), self.viewer.index)
        self._want = None
        self.view, self.lines = view, with_result(view, lines)
        self._editable = may_digitise(self._ctx, view)
        self.viewer.set_editable(self._editable)
        self.model.set_rows(self.lines)
        self._size_state_column()
        keys = [(v.kind, v.line) for v in self.lines]
        if keep is not None and keep[0] in keys:
            row, page = keys.index(keep[0]), keep[1]
        else:
            row, page = self._first_row(), 0
        self._select(row, page)

    def _size_state_column(self) -> None:
        self.table.resizeColumnToContents(1)
        third = max(80, self.table.viewport().width() // 3)
        if self.table.columnWidth(1) > third:
            self.table.setColumnWidth(1, third)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._size_state_column()
        return super().eventFilter(watched, event)

    def _first_row(self) -> int:
        """The first line with pages to look at, else the first still to scan, else the first."""
        for wanted in (lambda v: bool(v.pages), lambda v: v.is_open):
            for i, v in enumerate(self.lines):
                if wanted(v):
                    return i
        return 0

    def _select(self, row: int, page: int = 0) -> None:
        if not self.lines:
            self.viewer.show_line(None, None, None)
            self._update_buttons()
            return
        row = max(0, min(row, len(self.lines) - 1))
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(False)
        self._show_line(row, page)

    def _show_line(self, row: int, page: int = 0) -> None:
        view = self.view
        line = self.lines[row] if 0 <= row < len(self.lines) else None
        if view is None or line is None:
            self.viewer.show_line(None, None, None)
        else:
            self.viewer.show_line(view.code, view.id, line, page)
        self._update_buttons()

    def choose_line(self, kind: LineKind, line: int) -> None:
        """Show the line (`kind`, `line`) and its first page."""
        keys = [(v.kind, v.line) for v in self.lines]
        if (kind, line) in keys:
            self._select(keys.index((kind, line)))

    def current_line(self) -> LineView | None:
        row = self.table.currentIndex().row()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def open_count(self) -> int:
        """Lines still to scan (pending or "scan later"): the tab's title shows it."""
        return sum(1 for v in self.lines if v.is_open)

    def _update_buttons(self) -> None:
        line = self.current_line()
        self.info.setText(self.model.recorded(line) if line is not None else "")
        self.attach_button.setVisible(self._editable)
        self.state_button.setVisible(self._editable)
        self.hint.setVisible(self._editable)
        self.attach_button.setEnabled(line is not None)
        # A line with pages is digitised: its pages come off first (the service says so too).
        self.state_button.setEnabled(line is not None and not line.pages)

    # --- writes --------------------------------------------------------------------------------

    def attach_files(self, paths: Sequence[Path]) -> None:
        """Attach the files at `paths` to the chosen line, in order (read on the worker)."""
        line, view = self.current_line(), self.view
        if line is None or view is None or not paths or not self._editable:
            return
        if refused_scans(self, paths, None if self._ctx.db.is_server else self._ctx.db.path):
            return
        code, actor, now, chosen = view.code, self._ctx.actor, self._ctx.now(), list(paths)
        self._want = ((line.kind, line.line), len(line.pages))  # the first page attached

        def job(s: Session) -> LineView:
            return digitise.attach_paths(
                s, code, chosen, actor, now, line=line.line, kind=line.kind
            )

        def failed(exc: BaseException) -> None:
            self._want = None
            show_error(self, exc)

        self._ctx.ops.write(
            job,
            None,
            failed,
            changes=Change(frozenset({"files"}), frozenset({code}), frozenset({view.id})),
            owner=self,
            label="attach scans",
        )

    def choose_files(self) -> list[Path]:
        """The scans the officer picks in the desk's file dialog (none when cancelled)."""
        return ask_scan_files(self, self._ctx.prefs.scan_folder)

    def state_dialog(self) -> ScanStateDialog | None:
        """The dialog for the chosen line (None when there is nothing to ask)."""
        line, view = self.current_line(), self.view
        if line is None or view is None or line.pages or not self._editable:
            return None
        return ScanStateDialog(view, line, self._ctx, self)

    # --- drag and drop -------------------------------------------------------------------------

    @staticmethod
    def _dropped(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return paths if paths and len(paths) == len(mime.urls()) else []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._editable and self.lines and self._dropped(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped(event)
        if not (self._editable and paths):
            event.ignore()
            return
        # Dropped on a line of the table: that line; anywhere else: the chosen one.
        at = self.table.viewport().mapFrom(self, event.position().toPoint())
        row = self.table.indexAt(at).row() if self.table.viewport().rect().contains(at) else -1
        if row >= 0 and row != self.table.currentIndex().row():
            self._select(row)
        event.acceptProposedAction()
        self.attach_files(paths)

    # --- slots ---------------------------------------------------------------------------------

    def _on_table_current_row_changed(self, current: object, _previous: object) -> None:
        self._show_line(self.table.currentIndex().row())

    def _on_attach_button_clicked(self) -> None:
        paths = self.choose_files()
        if paths:
            self.attach_files(paths)

    def _on_state_button_clicked(self) -> None:
        dialog = self.state_dialog()
        if dialog is None:
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
