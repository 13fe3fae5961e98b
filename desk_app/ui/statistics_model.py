"""The period report (Biểu 06/VPCP/KSTT) as a table model, with a header for its column groups."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

from desk_app.domain.statistics import StatCounts
from desk_app.services.statistics import PeriodReport

# The number as an int (DisplayRole holds the text written with the locale's separators).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
# The header text of a column's group ("" when the column stands alone over both header rows).
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_CONTEXT = "StatisticsModel"

STT_COLUMN = 0
LABEL_COLUMN = 1
FIRST_COUNT_COLUMN = 2


def _translate(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


@dataclass(frozen=True)
class Column:
    """One column of the report: its StatCounts key, group, header and the form's wording."""

    key: str
    group: str  # English source of the group header; "" when none
    header: str  # English source of the column header
    tip: str  # the form's column, with its number where the form numbers it


# Declared once, in the form's order; QT_TRANSLATE_NOOP marks them for lupdate.
_RECEIVED = str(QT_TRANSLATE_NOOP("StatisticsModel", "Received for settlement"))
_SETTLED = str(QT_TRANSLATE_NOOP("StatisticsModel", "Settled"))
_OPEN = str(QT_TRANSLATE_NOOP("StatisticsModel", "Being settled"))
_CLOSED = str(QT_TRANSLATE_NOOP("StatisticsModel", "Closed unsettled"))
_POST = str(QT_TRANSLATE_NOOP("StatisticsModel", "Public postal service"))

COUNT_COLUMNS: tuple[Column, ...] = (
    Column(
        "received_total",
        _RECEIVED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Total")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(3) Received, total = (4) + (5) + (6)")),
    ),
    Column(
        "received_online",
        _RECEIVED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Online")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(4) Received online in the period")),
    ),
    Column(
        "received_direct_postal",
        _RECEIVED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Direct, post")),
        str(
            QT_TRANSLATE_NOOP(
                "StatisticsModel", "(5) Received at the counter or by post in the period"
            )
        ),
    ),
    Column(
        "carried_over",
        _RECEIVED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Carried over")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(6) Still open at the start of the period")),
    ),
    Column(
        "settled_total",
        _SETTLED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Total")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(7) Settled, total = (8) + (9) + (10)")),
    ),
    Column(
        "settled_early",
        _SETTLED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Early")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(8) Settled before the appointment")),
    ),
    Column(
        "settled_on_time",
        _SETTLED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "On time")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(9) Settled on the appointment day")),
    ),
    Column(
        "settled_late",
        _SETTLED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Late")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(10) Settled after the appointment")),
    ),
    Column(
        "open_total",
        _OPEN,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Total")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(11) Being settled, total = (12) + (13)")),
    ),
    Column(
        "open_in_time",
        _OPEN,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "In time")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(12) Open at the end, not yet due")),
    ),
    Column(
        "open_overdue",
        _OPEN,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Overdue")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "(13) Open at the end and overdue")),
    ),
    Column(
        "withdrawn",
        _CLOSED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Withdrawn")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Withdrawn by the applicant in the period")),
    ),
    Column(
        "stopped",
        _CLOSED,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Stopped")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Stopped by the agency in the period")),
    ),
    Column(
        "postal_received",
        _POST,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Received")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Files received by post in the period")),
    ),
    Column(
        "postal_sent",
        _POST,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Sent")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Results handed to the post in the period")),
    ),
    Column(
        "postal_delivered",
        _POST,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Delivered")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Results delivered in the period")),
    ),
    Column(
        "postal_returned",
        _POST,
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Returned")),
        str(QT_TRANSLATE_NOOP("StatisticsModel", "Results returned to the desk in the period")),
    ),
)

_STT = str(QT_TRANSLATE_NOOP("StatisticsModel", "No."))
_STT_TIP = str(QT_TRANSLATE_NOOP("StatisticsModel", "(1) Ordinal number"))
_FIELD = str(QT_TRANSLATE_NOOP("StatisticsModel", "Field of work"))
_PROCEDURE = str(QT_TRANSLATE_NOOP("StatisticsModel", "Procedure"))
# Column 2's heading per grouping (GroupBy's values); a field of work when none is known.
_LABEL_HEADINGS = {
    "field": _FIELD,
    "procedure": _PROCEDURE,
    "agency": str(QT_TRANSLATE_NOOP("StatisticsModel", "Agency")),
    "officer": str(QT_TRANSLATE_NOOP("StatisticsModel", "Receiving officer")),
    "counter": str(QT_TRANSLATE_NOOP("StatisticsModel", "Counter")),
}
_LABEL_TIP = str(QT_TRANSLATE_NOOP("StatisticsModel", "(2) Field of work or procedure"))
_TOTAL = str(QT_TRANSLATE_NOOP("StatisticsModel", "Total"))


def two_lines(text: str, metrics: QFontMetrics) -> str:
    """`text` broken at the space that leaves the narrowest two lines (as it is, if one word)."""
    words = text.split(" ")
    best, widest = text, metrics.horizontalAdvance(text)
    for cut in range(1, len(words)):
        lines = (" ".join(words[:cut]), " ".join(words[cut:]))
        width = max(metrics.horizontalAdvance(line) for line in lines)
        if width < widest:
            best, widest = "\n".join(lines), width
    return best


def column_of(key: str) -> int:
    """The model column that shows StatCounts key `key`."""
    for offset, column in enumerate(COUNT_COLUMNS):
        if column.key == key:
            return FIRST_COUNT_COLUMN + offset
    raise KeyError(key)


class StatisticsModel(QAbstractTableModel):
    """Rows: one per group of the report, then the bold total row. Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report: PeriodReport | None = None
        self._by = "field"
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- content ---------------------------------------------------------------------------

    def set_report(self, report: PeriodReport | None) -> None:
        """Show `report` (None: empty the table)."""
        self.beginResetModel()
        self._report = report
        self._by = str(report.by) if report is not None else "field"
        self.endResetModel()
        # The label column's header names the grouping, which may have changed.
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, LABEL_COLUMN, LABEL_COLUMN)

    @property
    def report(self) -> PeriodReport | None:
        return self._report

    def is_total_row(self, row: int) -> bool:
        return self._report is not None and row == len(self._report.rows)

    def _counts(self, row: int) -> StatCounts:
        assert self._report is not None
        if row == len(self._report.rows):
            return self._report.total
        return self._report.rows[row].counts

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: _Index | None = None) -> int:
        if (parent is not None and parent.isValid()) or self._report is None:
            return 0
        return len(self._report.rows) + 1

    def columnCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return FIRST_COUNT_COLUMN + len(COUNT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if section == STT_COLUMN:
            texts = (_STT, _STT_TIP, "")
        elif section == LABEL_COLUMN:
            texts = (_LABEL_HEADINGS.get(self._by, _FIELD), _LABEL_TIP, "")
        else:
            column = COUNT_COLUMNS[section - FIRST_COUNT_COLUMN]
            texts = (column.header, column.tip, column.group)
        if role == Qt.ItemDataRole.DisplayRole:
            return _translate(texts[0])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _translate(texts[1])
        if role == GROUP_ROLE:
            return _translate(texts[2]) if texts[2] else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self._report is None or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= col < self.columnCount()):
            return None
        total = row == len(self._report.rows)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if total else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == LABEL_COLUMN:
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if col == STT_COLUMN:
                return Qt.AlignmentFlag.AlignCenter
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if col == STT_COLUMN:
            if role in (Qt.ItemDataRole.DisplayRole, VALUE_ROLE):
                return None if total else row + 1
            return None
        if col == LABEL_COLUMN:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return _translate(_TOTAL) if total else self._report.rows[row].label
            return None
        value = int(getattr(self._counts(row), COUNT_COLUMNS[col - FIRST_COUNT_COLUMN].key))
        if role == VALUE_ROLE:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._locale.toString(value)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class GroupedHeader(QHeaderView):
    """A horizontal header in two rows: the group over its columns, then each column's name.

    Columns whose GROUP_ROLE is empty take both rows, as on the printed form. Groups are
    consecutive columns with the same group text. When `set_wrapped(True)`, a column name
    wider than its column is written on two lines, so that the numbers' columns may be
    narrower than their one-line names (the table then fits a 1366 px window).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("statisticsHeader")
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._wrapped = False
        # A resized column moves the group cells drawn over its neighbours too.
        self.sectionResized.connect(self._on_section_resized)

    def set_wrapped(self, wrapped: bool) -> None:
        """Allow (True) or forbid column names on two lines; the header's height follows."""
        if wrapped != self._wrapped:
            self._wrapped = wrapped
            self.updateGeometry()
            self.viewport().update()

    def is_wrapped(self) -> bool:
        return self._wrapped

    def _header_text(self, logical: int, role: int) -> str:
        model = self.model()
        if model is None:
            return ""
        value = model.headerData(logical, Qt.Orientation.Horizontal, role)
        return value if isinstance(value, str) else ""

    def _group(self, logical: int) -> str:
        return self._header_text(logical, GROUP_ROLE)

    def group_span(self, logical: int) -> tuple[int, int] | None:
        """The first and last logical column of `logical`'s group, or None when it has none."""
        group = self._group(logical)
        if not group:
            return None
        first = last = logical
        while first > 0 and self._group(first - 1) == group:
            first -= 1
        while last + 1 < self.count() and self._group(last + 1) == group:
            last += 1
        return first, last

    def margin(self) -> int:
        """The room a header cell leaves around its text: the style's margins and a little air,
        so that no name touches the lines between the cells."""
        return 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self) + 8

    def name_lines(self, logical: int) -> str:
        """The column's name as drawn: on two lines where the header may wrap and one line is
        wider than the column."""
        text = self._header_text(logical, Qt.ItemDataRole.DisplayRole)
        metrics = self.fontMetrics()
        room = self.sectionSize(logical) - self.margin()
        if not self._wrapped or self.group_span(logical) is None:
            return text
        if metrics.horizontalAdvance(text) <= room:
            return text
        return two_lines(text, metrics)

    def group_width(self, logical: int) -> int:
        """The width the group over `logical` needs for its text ("" groups: 0)."""
        group = self._group(logical)
        return self.fontMetrics().horizontalAdvance(group) + self.margin() if group else 0

    def _name_rows(self) -> int:
        return 2 if self._wrapped else 1

    def sectionSizeFromContents(self, logical_index: int) -> QSize:
        # Room for the group row above every column's own name (two lines of it when wrapped).
        size = super().sectionSizeFromContents(logical_index)
        metrics = self.fontMetrics()
        height = 2 * size.height() + (self._name_rows() - 1) * metrics.height()
        text = self._header_text(logical_index, Qt.ItemDataRole.DisplayRole)
        if self._wrapped and self.group_span(logical_index) is not None:
            text = two_lines(text, metrics)
        width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        return QSize(width + self.margin(), height)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        if self.group_span(logical_index) is not None:
            option.text = self.name_lines(logical_index)

    def paintSection(self, painter: QPainter | None, rect: QRect, logical_index: int) -> None:
        if painter is None or not rect.isValid():
            return
        span = self.group_span(logical_index)
        if span is None:
            super().paintSection(painter, rect, logical_index)
            return
        extra = (self._name_rows() - 1) * self.fontMetrics().height()
        top_height = (rect.height() - extra) // 2
        bottom = QRect(
            rect.left(), rect.top() + top_height, rect.width(), rect.height() - top_height
        )
        painter.save()
        super().paintSection(painter, bottom, logical_index)
        painter.restore()
        # The group cell is drawn whole across its columns, each section showing its own slice.
        first, last = span
        left = self.sectionViewportPosition(first)
        right = self.sectionViewportPosition(last) + self.sectionSize(last)
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = QRect(left, rect.top(), right - left, top_height)
        option.text = self._group(logical_index)
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        option.section = first
        option.position = QStyleOptionHeader.SectionPosition.Middle
        option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        painter.save()
        painter.setClipRect(QRect(rect.left(), rect.top(), rect.width(), top_height))
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()

    def _on_section_resized(self, _logical: int, _old: int, _new: int) -> None:
        self.viewport().update()
