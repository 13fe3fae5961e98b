"""The documents checklist of the intake form: received or not, copy type and count per paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
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

from desk_app.domain.documents import CopyType
from desk_app.services.lookup import ChecklistItem
from desk_app.services.views import DocumentLine
from desk_app.ui.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex
NAME, COPY_TYPE, COUNT = range(3)
MAX_COUNT = 99
_NOT_RECEIVED = QColor("#8a8a8a")


@dataclass
class DocumentRow:
    """One line of the checklist; `received` is the tick the officer gives when checking."""

    name: str
    copy_type: str = CopyType.PHOTO.value
    count: int = 1
    received: bool = True
    required: bool = True

    @classmethod
    def from_json(cls, raw: object) -> DocumentRow:
        if not isinstance(raw, dict):
            msg = "a document row must be an object"
            raise TypeError(msg)
        copy_type = str(raw.get("copy_type", CopyType.PHOTO.value))
        return cls(
            name=str(raw.get("name", "")),
            copy_type=copy_type if copy_type in set(CopyType) else CopyType.PHOTO.value,
            count=max(1, min(MAX_COUNT, int(raw.get("count", 1)))),
            received=bool(raw.get("received", True)),
            required=bool(raw.get("required", True)),
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
        self._headers = [self.tr("Document"), self.tr("Copy type"), self.tr("Count")]

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

    def missing(self) -> list[str]:
        """Names of the papers not ticked: what a supplement request asks for."""
        return [r.name.strip() for r in self._rows if not r.received and r.name.strip()]

    # --- Qt model ----------------------------------------------------------------------------

    def cell(self, r: DocumentRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.name, _copy_label(r.copy_type), r.count)[col]
        if role == Qt.ItemDataRole.EditRole:
            return (r.name, r.copy_type, r.count)[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == NAME:
            return Qt.CheckState.Checked if r.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == NAME:
            return r.name
        if role == Qt.ItemDataRole.ForegroundRole and not r.received:
            return QBrush(_NOT_RECEIVED)
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
    """

    changed = Signal()

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
