"""The file list's view: the deadline columns first and wide enough, each user's layout kept."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desk_app.domain.workflow import Status
from desk_app.ui.file_model import COLUMNS, FileListModel, status_text
from desk_app.ui.prefs import Prefs

# What the widest ordinary cell of a column says; the width fits it (or the header, if wider).
SAMPLES: dict[str, str] = {
    "code": "000.00.20.H37-260312-0000",
    "due": "00/00/0000 00:00",
    "received": "00/00/0000 00:00",
    "remaining": "còn 10 ngày 7 giờ 30 phút",
    "applicant": "Công ty TNHH Dịch vụ Du lịch",
    "procedure": "1.001029 — Cấp Giấy phép đủ điều kiện kinh",
    "officer": "Nguyễn Thị Thanh",
}
# Every status the column may say: the width fits the widest, so none is cut.
STATUS_SAMPLES = tuple(status_text(s) for s in Status)
# The columns that answer "is it late?": they come first and must always be in view.
DEADLINE_KEYS = ("code", "due", "remaining", "status")
HEADER_STATE = "fileTable/header"
PADDING = 18  # the cell's margins and the focus frame
SORT_ARROW = 22  # room for the sort indicator next to a header's text

_Index = QModelIndex | QPersistentModelIndex


class _MiddleElide(QStyledItemDelegate):
    """Elides in the middle: a procedure keeps its code and the end of its name."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class FileTable(QTableView):
    """The list of files: one row per file, sorted by a header click (in the database).

    The user may widen, narrow and move columns; `restore_layout(user)` and
    `save_layout(user)` keep that per user name in the preferences.
    """

    def __init__(self, model: FileListModel, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self.setObjectName("fileTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._elide = _MiddleElide(self)
        self.setItemDelegateForColumn(self.column("procedure"), self._elide)
        self._default_state = QByteArray()
        self.set_default_widths()

    @staticmethod
    def column(key: str) -> int:
        return [c.key for c in COLUMNS].index(key)

    def default_width(self, key: str) -> int:
        """Wide enough for the column's usual cell and for its whole header text."""
        samples = STATUS_SAMPLES if key == "status" else (SAMPLES.get(key, ""),)
        cell = max(self.fontMetrics().horizontalAdvance(t) for t in samples) + PADDING
        column = self.column(key)
        text = str(self.model().headerData(column, Qt.Orientation.Horizontal))
        head = self.horizontalHeader().fontMetrics().horizontalAdvance(text) + PADDING
        if COLUMNS[column].sort is not None:
            head += SORT_ARROW
        return max(cell, head)

    def deadline_width(self) -> int:
        """The width the deadline columns need together, with the vertical scroll bar."""
        columns = sum(self.default_width(k) for k in DEADLINE_KEYS)
        return columns + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def set_default_widths(self) -> None:
        for column in COLUMNS:
            self.setColumnWidth(self.column(column.key), self.default_width(column.key))
        self._default_state = self.horizontalHeader().saveState()

    def restore_layout(self, user: str) -> None:
        """The user's own widths and column order, or the defaults for someone new here."""
        header = self.horizontalHeader()
        state = self._prefs.user_state(user, HEADER_STATE)
        if state is None or not header.restoreState(state) or header.count() != len(COLUMNS):
            header.restoreState(self._default_state)
        header.setSortIndicatorShown(False)  # the list opens in its natural order

    def save_layout(self, user: str) -> None:
        self._prefs.set_user_state(user, HEADER_STATE, self.horizontalHeader().saveState())
