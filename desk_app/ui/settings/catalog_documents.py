"""A procedure's document checklist as a small table: name, copy type, count, required."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.catalog import MAX_DOCUMENT_COUNT, DocumentSpec
from desk_app.domain.documents import CopyType
from desk_app.ui.intake_documents import COPY_TYPE, COUNT, NAME, CopyTypeCountDelegate
from desk_app.ui.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex
REQUIRED = 3  # after NAME, COPY_TYPE and COUNT, the intake table's columns


@dataclass(frozen=True)
class ChecklistRow:
    """One paper as typed; checked only when the dialog saves (`ChecklistModel.specs`)."""

    name: str = ""
    copy_type: CopyType = CopyType.PHOTO
    count: int = 1
    required: bool = True


class ChecklistModel(ListTableModel[ChecklistRow]):
    """The papers of one procedure, in the order the receipt lists them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self._headers = [
            self.tr("Document"),
            self.tr("Copy type"),
            self.tr("Count"),
            self.tr("Required"),
        ]

    # --- public ------------------------------------------------------------------------------

    def set_specs(self, documents: Sequence[DocumentSpec]) -> None:
        self.set_rows([ChecklistRow(d.name, d.copy_type, d.count, d.required) for d in documents])

    def specs(self) -> tuple[DocumentSpec, ...]:
        """The papers as the catalogue keeps them; rows left without a name are dropped.

        A bad row raises the core's ValidationError (field "documents").
        """
        return tuple(
            DocumentSpec(r.name, r.copy_type, r.count, r.required)
            for r in self._rows
            if r.name.strip()
        )

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(ChecklistRow())
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    # --- Qt model ----------------------------------------------------------------------------

    def cell(self, r: ChecklistRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole and col != REQUIRED:
            return (r.name, r.copy_type.label, r.count)[col]
        if role == Qt.ItemDataRole.EditRole and col != REQUIRED:
            return (r.name, r.copy_type.value, r.count)[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == REQUIRED:
            return Qt.CheckState.Checked if r.required else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == NAME and r.name:
            return r.name
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == REQUIRED:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
            r = replace(r, required=bool(checked))
        elif role == Qt.ItemDataRole.EditRole and col == NAME:
            r = replace(r, name=" ".join(str(value).split()))
        elif role == Qt.ItemDataRole.EditRole and col == COPY_TYPE:
            if str(value) not in set(CopyType):
                return False
            r = replace(r, copy_type=CopyType(str(value)))
        elif role == Qt.ItemDataRole.EditRole and col == COUNT:
            try:
                count = int(str(value))
            except ValueError:
                return False
            if not 1 <= count <= MAX_DOCUMENT_COUNT:
                return False
            r = replace(r, count=count)
        else:
            return False
        self._rows[index.row()] = r
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == REQUIRED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable


class ChecklistEditor(QWidget):
    """The checklist table with buttons to add and remove a paper (no signals of its own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChecklistModel(self)
        self.table = QTableView()
        self.table.setObjectName("documentsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CopyTypeCountDelegate(self.table, max_count=MAX_DOCUMENT_COUNT))
        # Tab leaves the table for the next field; the arrows move inside it.
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
        for column in (COPY_TYPE, COUNT, REQUIRED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        self.add_button = QPushButton(self.tr("Add document"))
        self.add_button.setObjectName("addDocument")
        self.remove_button = QPushButton(self.tr("Remove document"))
        self.remove_button.setObjectName("removeDocument")
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
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsInserted.connect(self._on_model_reset)

    def _on_model_reset(self, *_args: object) -> None:
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
