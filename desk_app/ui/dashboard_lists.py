"""The overdue watch's lists: their columns, models and views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
)

from desk_app.domain.due import DeadlineState
from desk_app.domain.text import fold
from desk_app.services.watch import WatchRow
from desk_app.ui.file_model import STATE_COLOURS
from desk_app.ui.table_model import ListTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def _moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _sortable(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    """A watch column: header (English source), display text and sort key of a row."""

    header: str
    text: Callable[[WatchRow], str]
    key: Callable[[WatchRow], str]


def _column(header: str, text: Callable[[WatchRow], str], key: Callable[[WatchRow], str]) -> Column:
    return Column(header, text, key)


_CODE = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "File code")), lambda r: r.code, lambda r: r.code
)
_APPLICANT = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "Applicant")),
    lambda r: r.applicant_name,
    lambda r: fold(r.applicant_name),
)
_TAIL = (
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Reason for delay")),
        lambda r: r.delay_reason or "",
        lambda r: fold(r.delay_reason or ""),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Procedure")),
        lambda r: r.procedure_name,
        lambda r: fold(r.procedure_name),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Settling agency")),
        lambda r: r.settling_agency,
        lambda r: fold(r.settling_agency),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Officer")),
        lambda r: r.officer or "",
        lambda r: fold(r.officer or ""),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Received")),
        lambda r: _moment(r.received),
        lambda r: _sortable(r.received),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Status")),
        lambda r: r.status.label,
        lambda r: r.status.label,
    ),
)
_APPOINTMENT = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "Appointment")),
    lambda r: _moment(r.due),
    lambda r: _sortable(r.due),
)
# What the supervisor acts on comes first: the file, how late, by which due, and why.
RUNNING_COLUMNS: tuple[Column, ...] = (
    _CODE,
    _APPLICANT,
    # Time left orders like the rule's due: the least left (the most overdue) first.
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Time left")),
        lambda r: r.words,
        lambda r: _sortable(r.original_due),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Rule's due")),
        lambda r: _moment(r.original_due),
        lambda r: _sortable(r.original_due),
    ),
    _APPOINTMENT,
    *_TAIL,
)
PAUSED_COLUMNS: tuple[Column, ...] = (
    _CODE,
    _APPLICANT,
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Waiting")),
        lambda r: r.words,
        lambda r: _sortable(r.paused_since),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Paused since")),
        lambda r: _moment(r.paused_since),
        lambda r: _sortable(r.paused_since),
    ),
    _APPOINTMENT,
    *_TAIL,
)
WORDS_HEADERS = {"Time left", "Waiting"}
NATURAL_COLUMN = 3  # "Rule's due" or "Paused since": the watch's own order


class WatchModel(ListTableModel[WatchRow]):
    """Rows of one watch list; the time column is coloured by the list's deadline state."""

    def __init__(
        self,
        columns: Sequence[Column],
        state: DeadlineState,
        parent: QObject | None = None,
    ) -> None:
        super().__init__([c.header for c in columns], parent, translate=_tr)
        self._columns = tuple(columns)
        self._state = state

    def cell(self, row: WatchRow, column_index: int, role: int) -> object:
        column = self._columns[column_index]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == CODE_ROLE:
            return row.code
        if column.header in WORDS_HEADERS and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            colours = STATE_COLOURS.get(self._state)
            if colours is None:
                return None
            return QBrush(QColor(colours[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
        return None


COUNT_HEADERS = (
    str(QT_TRANSLATE_NOOP("Dashboard", "Overdue")),
    str(QT_TRANSLATE_NOOP("Dashboard", "Due soon")),
)
MAX_COLUMN_WIDTH = 240  # pixels; a long procedure name is read in its tooltip


class CountsModel(ListTableModel[tuple[str, int, int]]):
    """(name, overdue, due soon) rows; numbers sort as numbers."""

    def __init__(self, name_header: str, parent: QObject | None = None) -> None:
        super().__init__((name_header, *COUNT_HEADERS), parent, translate=_tr)

    def cell(self, row: tuple[str, int, int], column: int, role: int) -> object:
        value = row[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0 and not value:
                return _tr("(not recorded)")
            return str(value)
        if role == SORT_ROLE:
            return fold(str(value)) if column == 0 else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def watch_table(model: QAbstractTableModel, name: str, *, multi: bool) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# --- the two dialogs ------------------------------------------------------------------------
