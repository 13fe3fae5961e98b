"""The national index page's tables: the groups and their figures, and the files behind one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desk_app.services.national_index import Figure, FileRef, GroupScore, IndexReport
from desk_app.ui.report_model import DASH, LEFT, RIGHT, ReportTableModel, shaded
from desk_app.ui.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex

# Custom roles (STYLE: from UserRole).
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # a figure's key, a group's key on its row
DRILL_ROLE = Qt.ItemDataRole.UserRole + 2  # True on a figure that lists its files
VALUE_ROLE = Qt.ItemDataRole.UserRole + 3  # the number (figure value or group points), or None
CODE_ROLE = Qt.ItemDataRole.UserRole + 4  # a file's code in the files list

DATE_TIME = "%d/%m/%Y %H:%M"

LABEL_COLUMN, VALUE_COLUMN, POINTS_COLUMN, NOTE_COLUMN = range(4)
ORIGINAL_DUE_COLUMN = 5  # of the files behind a figure

_INDEX = "IndexModel"
_INDEX_HEADERS = (
    str(QT_TRANSLATE_NOOP("IndexModel", "Group / figure")),
    str(QT_TRANSLATE_NOOP("IndexModel", "Value")),
    str(QT_TRANSLATE_NOOP("IndexModel", "Points / weight")),
    str(QT_TRANSLATE_NOOP("IndexModel", "How it is counted")),
)
_NOT_COMPUTED = str(QT_TRANSLATE_NOOP("IndexModel", "The desk cannot compute this group's points."))
_TOTAL = str(QT_TRANSLATE_NOOP("IndexModel", "Total of the groups computed at the desk"))
_DRILL_TIP = str(QT_TRANSLATE_NOOP("IndexModel", "Click to list the files behind this figure"))

_FILES = "FilesBehindModel"
_FILES_HEADERS = (
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "File code")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Procedure")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Status")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Received")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Due")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Original due")),
    str(QT_TRANSLATE_NOOP("FilesBehindModel", "Settled")),
)
_ORIGINAL_TIP = str(
    QT_TRANSLATE_NOOP(
        "FilesBehindModel",
        "The due set by the rules; on time and late are judged against it, not a rescheduled due",
    )
)


def _index_tr(text: str) -> str:
    return QCoreApplication.translate(_INDEX, text)


def _files_tr(text: str) -> str:
    return QCoreApplication.translate(_FILES, text)


def format_number(value: float, locale: QLocale | None = None) -> str:
    """A whole number as such ("1.234"), anything else with the decimals the service kept, at
    most two ("85,3", "4,81"), as the PDF writes them."""
    locale = locale or QLocale()
    if float(value).is_integer():
        return locale.toString(int(value))
    decimals = len(f"{float(value):.2f}".rstrip("0").split(".")[1])
    return locale.toString(float(value), "f", decimals)


def format_value(figure: Figure, locale: QLocale | None = None) -> str:
    """A figure's value with its unit, or the dash when the desk cannot compute it."""
    if figure.value is None:
        return DASH
    number = format_number(figure.value, locale)
    return f"{number}%" if figure.unit == "%" else f"{number} {figure.unit}"


def format_points(points: float | None, weight: float, locale: QLocale | None = None) -> str:
    """ "15,25 / 20" or "— / 18" (the group cannot be computed)."""
    locale = locale or QLocale()
    shown = DASH if points is None else locale.toString(float(points), "f", 2)
    return f"{shown} / {format_number(weight, locale)}"


@dataclass(frozen=True)
class IndexRow:
    """One line of the table: a group's heading, one of its figures, or the total (both None)."""

    group: GroupScore | None
    figure: Figure | None = None


class IndexModel(ReportTableModel[IndexRow, IndexReport]):
    """Each group on a bold line (points of its weight), its figures under it (value with unit,
    how it is counted); the total of the computed groups last. The values of drillable figures
    with files behind them look like links (not a 0). Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_INDEX_HEADERS, parent, translate=_index_tr)
        self._link = QFont()
        self._link.setUnderline(True)

    def set_report(self, report: IndexReport | None) -> None:
        """Show `report` (None: empty the table)."""
        rows: list[IndexRow] = []
        if report is not None:
            for group in report.groups:
                rows.append(IndexRow(group))
                rows.extend(IndexRow(group, figure) for figure in group.figures)
            rows.append(IndexRow(None))
        self._show_report(report, rows)

    def row_of(self, key: str) -> int:
        """The row of the figure (or group) with `key`; -1 when there is none."""
        for row in range(self.rowCount()):
            entry = self.row_at(row)
            found = entry.figure.key if entry.figure else entry.group.key if entry.group else ""
            if found == key:
                return row
        return -1

    def cell(self, row: IndexRow, column: int, role: int) -> object:
        if row.figure is not None:
            return self._figure_cell(row.figure, column, role)
        if row.group is not None:
            return self._group_cell(row.group, column, role)
        return self._total_cell(column, role)

    def _figure_cell(self, figure: Figure, column: int, role: int) -> object:
        drill = figure.drill and bool(figure.value)  # none behind 0 (nor behind "—")
        if role == KEY_ROLE:
            return figure.key
        if role == DRILL_ROLE:
            return drill
        if role == VALUE_ROLE:
            return figure.value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align(column)
        if role == Qt.ItemDataRole.FontRole:
            return self._link if drill and column == VALUE_COLUMN else None
        if role == Qt.ItemDataRole.ForegroundRole and drill and column == VALUE_COLUMN:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.Link))
        texts = {
            LABEL_COLUMN: "    " + figure.label,  # under its group's heading
            VALUE_COLUMN: format_value(figure, self._locale),
            POINTS_COLUMN: "",
            NOTE_COLUMN: figure.note,
        }
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if drill:
                return _index_tr(_DRILL_TIP)
            return figure.note or texts[column].strip() or None
        return None

    def _group_cell(self, group: GroupScore, column: int, role: int) -> object:
        if role == KEY_ROLE:
            return group.key
        if role == DRILL_ROLE:
            return False
        if role == VALUE_ROLE:
            return group.points
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align(column)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return shaded()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LABEL_COLUMN:
                return group.label
            if column == POINTS_COLUMN:
                return format_points(group.points, group.weight, self._locale)
            return ""
        if role == Qt.ItemDataRole.ToolTipRole and column == POINTS_COLUMN:
            # Why a dash: the figures under it say what the desk holds of the group.
            return _index_tr(_NOT_COMPUTED) if group.points is None else None
        return None

    def _total_cell(self, column: int, role: int) -> object:
        report = self._report
        if report is None:
            return None
        if role == VALUE_ROLE:
            return report.points
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align(column)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LABEL_COLUMN:
                return _index_tr(_TOTAL)
            if column == POINTS_COLUMN:
                return format_points(report.points, report.max_points, self._locale)
            return ""
        return None

    @staticmethod
    def _align(column: int) -> Qt.AlignmentFlag:
        return RIGHT if column in (VALUE_COLUMN, POINTS_COLUMN) else LEFT


class FilesBehindModel(ListTableModel[FileRef]):
    """The files behind one figure: code, procedure, status, received, due, the original due
    (on time and late are judged against it, so a file settled before a rescheduled due can be
    late) and settled."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_FILES_HEADERS, parent, translate=_files_tr)

    def cell(self, row: FileRef, column: int, role: int) -> object:
        if role == CODE_ROLE:
            return row.code
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == ORIGINAL_DUE_COLUMN and role == Qt.ItemDataRole.ToolTipRole:
            return _files_tr(_ORIGINAL_TIP)
        if column == 0:
            return row.code
        if column == 1:
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.procedure_code} — {row.procedure_name}"
            return row.procedure_name
        if column == 2:
            return row.status
        moment = (row.received_at, row.due_at, row.original_due_at, row.settled_at)[column - 3]
        return _moment(moment)


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.strftime(DATE_TIME)
