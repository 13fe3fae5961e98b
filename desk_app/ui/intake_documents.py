"""The documents checklist of the intake form: received or not, copy type and count per paper,
and each received paper's scan (its scan files, or why it is not scanned now)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.digitising import LineState
from desk_app.domain.documents import CopyType
from desk_app.services.intake_scans import LinePlan
from desk_app.services.lookup import ChecklistItem
from desk_app.services.views import DocumentLine
from desk_app.ui.scan_folder import files_dragged
from desk_app.ui.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex
NAME, COPY_TYPE, COUNT, SCAN = range(4)
MAX_COUNT = 99
_NOT_RECEIVED = QColor("#8a8a8a")
_TO_SCAN = QColor("#b00020")
_SCANNED = QColor("#1b5e20")
# The answers a paper may get instead of a scan (the first exception, "online", is the file's).
ANSWERS = (
    LineState.SCAN_LATER,
    LineState.SHOWN_ONLY,
    LineState.PRODUCED_IN_PROCESSING,
    LineState.CONFIDENTIAL,
)


@dataclass
class DocumentRow:
    """One line of the checklist; `received` is the tick the officer gives when checking."""

    name: str
    copy_type: str = CopyType.PHOTO.value
    count: int = 1
    received: bool = True
    required: bool = True
    scans: list[str] = field(default_factory=list)  # scan files, in the order assigned
    scan_state: str = ""  # one of ANSWERS when the paper is not scanned now
    scan_reason: str = ""

    @classmethod
    def from_json(cls, raw: object) -> DocumentRow:
        if not isinstance(raw, dict):
            msg = "a document row must be an object"
            raise TypeError(msg)
        copy_type = str(raw.get("copy_type", CopyType.PHOTO.value))
        state = str(raw.get("scan_state", ""))
        return cls(
            name=str(raw.get("name", "")),
            copy_type=copy_type if copy_type in set(CopyType) else CopyType.PHOTO.value,
            count=max(1, min(MAX_COUNT, int(raw.get("count", 1)))),
            received=bool(raw.get("received", True)),
            required=bool(raw.get("required", True)),
            scans=[str(p) for p in raw.get("scans", []) if isinstance(p, str)],
            scan_state=state if state in {str(a) for a in ANSWERS} else "",
            scan_reason=str(raw.get("scan_reason", "")),
        )


def _copy_label(value: str) -> str:
    try:
        return CopyType(value).label
    except ValueError:
        return value


class DocumentsModel(ListTableModel[DocumentRow]):
    """The papers of the chosen procedure plus any the officer adds.

    The name column carries a check box: ticked papers go on the receipt, unticked ones are
    what the applicant still has to bring (offered for a supplement request).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self._headers = [
            self.tr("Document"),
            self.tr("Copy type"),
            self.tr("Count"),
            self.tr("Scan"),
        ]
        self.online = False  # a file submitted online: its papers need no scan
        self.pages: dict[str, int] = {}  # pages of each scan file, once counted
        self.broken: dict[str, str] = {}  # why a scan file cannot be read
        self._answer_names = {
            LineState.SCAN_LATER: self.tr("Scan later"),
            LineState.SHOWN_ONLY: self.tr("Not scanned: shown only"),
            LineState.PRODUCED_IN_PROCESSING: self.tr("Not scanned: produced in processing"),
            LineState.CONFIDENTIAL: self.tr("Not scanned: confidential"),
        }

    # --- public ------------------------------------------------------------------------------

    def set_checklist(self, items: Sequence[ChecklistItem]) -> None:
        """Start from a procedure's checklist: required papers ticked, optional ones not."""
        self.set_rows(
            [DocumentRow(i.name, i.copy_type, i.count, i.required, i.required) for i in items]
        )

    def set_rows(self, rows: Sequence[DocumentRow]) -> None:
        super().set_rows([DocumentRow(**asdict(r)) for r in rows])  # edits never touch the caller's

    def rows(self) -> list[DocumentRow]:
        return [DocumentRow(**asdict(r)) for r in self._rows]

    def add_row(self, name: str = "") -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(DocumentRow(name=name, required=False))
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def lines(self) -> tuple[DocumentLine, ...]:
        """The ticked papers, as the receipt lists them."""
        return tuple(
            DocumentLine(r.name.strip(), r.copy_type, r.count) for r in self._rows if r.received
        )

    # --- the scans ---------------------------------------------------------------------------

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def assign(self, row: int, paths: Sequence[Path]) -> None:
        """Add scan files after the paper's scans (a file already there is not added twice);
        the paper counts as scanned, and a received paper it had not been."""
        if not 0 <= row < len(self._rows):
            return
        r = self._rows[row]
        for path in paths:
            if str(path) not in r.scans:
                r.scans.append(str(path))
        r.scan_state, r.scan_reason, r.received = "", "", True
        self._changed(row)

    def clear_scans(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self._rows[row].scans.clear()
            self._changed(row)

    def set_answer(self, row: int, state: LineState | None, reason: str = "") -> None:
        """Why the paper is not scanned now (None: it is to be scanned); its scans go."""
        if not 0 <= row < len(self._rows):
            return
        r = self._rows[row]
        r.scan_state = str(state) if state is not None else ""
        r.scan_reason = reason if state is not None else ""
        if state is not None:
            r.scans.clear()
        self._changed(row)

    def answer_rest_later(self) -> int:
        """ "Scan later" for every received paper still without a scan or an answer."""
        rows = [
            i for i, r in enumerate(self._rows) if r.received and not r.scans and not r.scan_state
        ]
        for i in rows:
            self._rows[i].scan_state = str(LineState.SCAN_LATER)
            self._changed(i)
        return len(rows)

    def set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self._changed_all()

    def set_pages(self, path: Path, pages: int | None, broken: str = "") -> None:
        """What the worker found in a scan file: its page count, or why it cannot be read."""
        key = str(path)
        if pages is not None:
            self.pages[key] = pages
            self.broken.pop(key, None)
        else:
            self.pages.pop(key, None)
            self.broken[key] = broken
        self._changed_all()

    def _changed_all(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def scan_paths(self) -> set[str]:
        return {p for r in self._rows for p in r.scans}

    def page_count(self, r: DocumentRow) -> int | None:
        """The paper's pages; None while a file of it is still being counted or is broken."""
        counts = [self.pages.get(p) for p in r.scans]
        return None if any(c is None for c in counts) else sum(c or 0 for c in counts)

    def scan_plan(self) -> tuple[LinePlan, ...]:
        """What the service files for each received paper (its line: its place among them)."""
        plan = []
        for line, r in enumerate(r for r in self._rows if r.received):
            state = LineState(r.scan_state) if r.scan_state else None
            plan.append(LinePlan(line, tuple(Path(p) for p in r.scans), state, r.scan_reason))
        return tuple(plan)

    def unanswered(self) -> list[int]:
        """The rows of received papers with neither a scan nor an answer (none when online)."""
        if self.online:
            return []
        return [
            i for i, r in enumerate(self._rows) if r.received and not r.scans and not r.scan_state
        ]

    def scan_text(self, r: DocumentRow) -> str:
        if not r.received:
            return ""
        if r.scans:
            if any(p in self.broken for p in r.scans):
                return self.tr("Unreadable scan")
            n = self.page_count(r)
            return self.tr("Counting pages…") if n is None else self.tr("%n page(s)", "", n)
        if r.scan_state:
            return self._answer_names.get(LineState(r.scan_state), r.scan_state)
        if self.online:
            return self.tr("Submitted online")
        return self.tr("To scan")

    def _scan_tip(self, r: DocumentRow) -> str:
        if r.scans:
            return "\n".join(
                f"{Path(p).name}: {self.broken[p]}" if p in self.broken else Path(p).name
                for p in r.scans
            )
        return r.scan_reason

    def missing(self) -> list[str]:
        """Names of the papers not ticked: what a supplement request asks for."""
        return [r.name.strip() for r in self._rows if not r.received and r.name.strip()]

    # --- Qt model ----------------------------------------------------------------------------

    def cell(self, r: DocumentRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.name, _copy_label(r.copy_type), r.count, self.scan_text(r))[col]
        if role == Qt.ItemDataRole.EditRole:
            return (r.name, r.copy_type, r.count, self.scan_text(r))[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == NAME:
            return Qt.CheckState.Checked if r.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == NAME:
            return r.name
        if role == Qt.ItemDataRole.ToolTipRole and col == SCAN:
            return self._scan_tip(r) or None
        if role == Qt.ItemDataRole.ForegroundRole and not r.received:
            return QBrush(_NOT_RECEIVED)
        if role == Qt.ItemDataRole.ForegroundRole and col == SCAN:
            if any(p in self.broken for p in r.scans):
                return QBrush(_TO_SCAN)
            if r.scans:
                return QBrush(_SCANNED)
            if not r.scan_state and not self.online:
                return QBrush(_TO_SCAN)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == NAME:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
            r.received = bool(checked)
        elif role == Qt.ItemDataRole.EditRole and col == NAME:
            r.name = " ".join(str(value).split())
        elif role == Qt.ItemDataRole.EditRole and col == COPY_TYPE:
            if str(value) not in set(CopyType):
                return False
            r.copy_type = str(value)
        elif role == Qt.ItemDataRole.EditRole and col == COUNT:
            try:
                count = int(str(value))
            except ValueError:
                return False
            if not 1 <= count <= MAX_COUNT:
                return False
            r.count = count
        else:
            return False
        first = self.index(index.row(), 0)
        last = self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(first, last)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == SCAN:  # answered in the scan panel, not typed
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        if index.column() == NAME:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base


class CopyTypeCountDelegate(QStyledItemDelegate):
    """A copy-type list (column COPY_TYPE) and a count box (column COUNT) instead of free text;
    the intake's documents and the catalogue's checklist both use it."""

    def __init__(self, parent: QObject | None = None, *, max_count: int = MAX_COUNT) -> None:
        super().__init__(parent)
        self._max_count = max_count

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        if index.column() == COPY_TYPE:
            combo = QComboBox(parent)
            combo.setObjectName("copy_type_editor")
            for kind in CopyType:
                combo.addItem(kind.label, kind.value)
            return combo
        if index.column() == COUNT:
            spin = QSpinBox(parent)
            spin.setObjectName("count_editor")
            spin.setRange(1, self._max_count)
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class DocumentsEditor(QWidget):
    """The checklist table with buttons to add and remove papers.

    Signals:
        changed(): a row was ticked, edited, added or removed.
        files_dropped(int, list): local files dropped on a row (-1: below the rows), in order.
    """

    changed = Signal()
    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentsModel(self)
        self.table = QTableView()
        self.table.setObjectName("documents")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CopyTypeCountDelegate(self.table))
        # Tab leaves the table for the next field, as on the paper form; arrows move inside.
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COPY_TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SCAN, QHeaderView.ResizeMode.ResizeToContents)
        # Scan files dropped on a paper are assigned to it (desk_app/ui/scan_panel.py).
        self.table.viewport().setAcceptDrops(True)
        self.table.viewport().installEventFilter(self)
        self.add_button = QPushButton(self.tr("Add document"))
        self.add_button.setObjectName("add_document")
        self.remove_button = QPushButton(self.tr("Remove document"))
        self.remove_button.setObjectName("remove_document")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        for sig in (
            self.model.dataChanged,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
        ):
            sig.connect(self._on_model_changed)
        self.model.modelReset.connect(self._fit_rows)
        self.model.rowsInserted.connect(self._fit_rows)

    def _on_model_changed(self, *_args: object) -> None:
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport():
            paths = files_dragged(event)
            if paths is not None:
                if paths:
                    assert isinstance(event, QDropEvent)
                    row = self.table.indexAt(event.position().toPoint()).row()
                    self.files_dropped.emit(row, paths)
                return True
        return super().eventFilter(watched, event)

    def _fit_rows(self, *_args: object) -> None:
        self.table.resizeRowsToContents()

    def _on_add_button_clicked(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, NAME)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def _on_remove_button_clicked(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.model.remove_row(current.row())
