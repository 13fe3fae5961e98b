"""Read-only table models for short lists: one base with the Qt plumbing, and plain string rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1

T = TypeVar("T")


class ListTableModel(QAbstractTableModel, Generic[T]):
    """Rows of one type under fixed headers; a subclass says what each cell shows in `cell`.

    `translate` turns a stored header into the shown one (headers declared at import time are
    translated when read, after the translator is installed).
    """

    def __init__(
        self,
        headers: Sequence[str],
        parent: QObject | None = None,
        *,
        translate: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._translate = translate
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def cell(self, row: T, column: int, role: int) -> object:
        """What `role` shows at (`row`, `column`); None for nothing."""
        raise NotImplementedError

    def rowCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._rows)

    def columnCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            header = self._headers[section]
            return self._translate(header) if self._translate else header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._headers):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RowsModel(ListTableModel[tuple[str, ...]]):
    """Rows of display strings with translated headers; each row may carry a payload object."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._payloads: list[object] = []

    def set_rows(self, rows: Sequence[Sequence[str]], payloads: Sequence[object] = ()) -> None:
        self._payloads = list(payloads) or [None] * len(rows)
        super().set_rows([tuple(r) for r in rows])

    def payload(self, row: int) -> object:
        return self._payloads[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == PAYLOAD_ROLE:
            valid = index.isValid() and 0 <= index.row() < len(self._payloads)
            return self._payloads[index.row()] if valid else None
        return super().data(index, role)

    def cell(self, row: tuple[str, ...], column: int, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row[column] if column < len(row) else ""
        return None
