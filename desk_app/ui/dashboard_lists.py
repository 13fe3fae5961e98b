"""The overdue watch's lists: their columns, models and views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desk_app.domain.due import DeadlineState
from desk_app.domain.text import fold
from desk_app.services.watch import WatchRow
from desk_app.ui.file_model import STATE_COLOURS, status_text
from desk_app.ui.table_model import ListTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2

SLACK = 3  # pixels beyond Qt's own reckoning of a text's room, against rounding

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def _moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _sortable(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    """A watch column: header (English source), display text, sort key and tooltip of a row.

    `share` 0: as wide as its widest cell and its header (codes, dates, names of officers,
    short words), never cut. `share` > 0: long text that takes that share of the room left,
    elided (`elide`) with the whole text in its tooltip.
    """

    header: str
    text: Callable[[WatchRow], str]
    key: Callable[[WatchRow], str]
    tip: Callable[[WatchRow], str] | None = None
    share: int = 0
    elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight
    # Shown only when some row has text in it (the agency: a centre's database alone).
    optional: bool = False


def _procedure(row: WatchRow) -> str:
    return f"{row.procedure_code} — {row.procedure_name}"


_CODE = Column(str(QT_TRANSLATE_NOOP("Dashboard", "File code")), lambda r: r.code, lambda r: r.code)
_APPOINTMENT = Column(
    str(QT_TRANSLATE_NOOP("Dashboard", "Appointment")),
    lambda r: _moment(r.due),
    lambda r: _sortable(r.due),
)
_WHO = (
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Applicant")),
        lambda r: r.applicant_name,
        lambda r: fold(r.applicant_name),
        share=3,
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Officer")),
        lambda r: r.officer or "",
        lambda r: fold(r.officer or ""),
    ),
    # The main list's words for the two long national names; the tooltip keeps the name.
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Status")),
        lambda r: status_text(r.status),
        lambda r: fold(status_text(r.status)),
        tip=lambda r: r.status.label,
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Received")),
        lambda r: _moment(r.received),
        lambda r: _sortable(r.received),
    ),
)
_WHAT = (
    # Whose file it is, in a database of several agencies: its short name (else its full name),
    # never cut. The service names none on a solo desk, and the column is then hidden.
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Agency")),
        lambda r: r.agency_name,
        lambda r: fold(r.agency_name),
        optional=True,
    ),
    # Elided in the middle: the start and the end of a name tell procedures apart.
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Procedure")),
        lambda r: r.procedure_name,
        lambda r: fold(r.procedure_name),
        tip=_procedure,
        share=3,
        elide=Qt.TextElideMode.ElideMiddle,
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Settling agency")),
        lambda r: r.settling_agency,
        lambda r: fold(r.settling_agency),
        share=2,
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Reason for delay")),
        lambda r: r.delay_reason or "",
        lambda r: fold(r.delay_reason or ""),
        share=1,
    ),
)
# Which file and how late first, then by which dues, then who: these fit a 1366 px screen
# whole; procedure, agency and reason take what is left.
RUNNING_COLUMNS: tuple[Column, ...] = (
    _CODE,
    # Time left orders like the rule's due: the least left (the most overdue) first.
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Time left")),
        lambda r: r.words,
        lambda r: _sortable(r.original_due),
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Rule's due")),
        lambda r: _moment(r.original_due),
        lambda r: _sortable(r.original_due),
    ),
    _APPOINTMENT,
    *_WHO,
    *_WHAT,
)
PAUSED_COLUMNS: tuple[Column, ...] = (
    _CODE,
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Waiting")),
        lambda r: r.words,
        lambda r: _sortable(r.paused_since),
    ),
    Column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Paused since")),
        lambda r: _moment(r.paused_since),
        lambda r: _sortable(r.paused_since),
    ),
    _APPOINTMENT,
    *_WHO,
    *_WHAT,
)
WORDS_COLUMN = 1  # "Time left" or "Waiting", coloured by the list's deadline state
NATURAL_COLUMN = 2  # "Rule's due" or "Paused since": the watch's own order


class WatchModel(ListTableModel[WatchRow]):
    """Rows of one watch list; the time column is coloured by the list's deadline state."""

    def __init__(
        self,
        columns: Sequence[Column],
        state: DeadlineState,
        parent: QObject | None = None,
    ) -> None:
        super().__init__([c.header for c in columns], parent, translate=_tr)
        self.columns = tuple(columns)
        self._state = state

    def cell(self, row: WatchRow, column_index: int, role: int) -> object:
        column = self.columns[column_index]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tip or column.text)(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == CODE_ROLE:
            return row.code
        if column_index == WORDS_COLUMN and role in (
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


def _configure(view: QTableView, model: QAbstractTableModel, name: str, *, multi: bool) -> None:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
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


def watch_table(model: QAbstractTableModel, name: str, *, multi: bool) -> QTableView:
    view = QTableView()
    _configure(view, model, name, multi=multi)
    return view


def share_room(
    room: int, least: Sequence[int], wanted: Sequence[int], shares: Sequence[int]
) -> list[int]:
    """Column widths that fill `room` pixels. A column without a share keeps its `least`; the
    others take widths in proportion to their shares, each between its `least` and `wanted`
    width; when all are whole, what is still left goes by the shares too. With too little
    room every column keeps its least (and the view scrolls)."""
    widths = list(least)
    growing = [c for c, share in enumerate(shares) if share]
    left = room - sum(widths)
    if left <= 0 or not growing:
        return widths
    if sum(wanted[c] - least[c] for c in growing) <= left:
        total = sum(shares[c] for c in growing)
        spare = left - sum(wanted[c] - least[c] for c in growing)
        for c in growing:
            widths[c] = wanted[c] + spare * shares[c] // total
    else:

        def at(scale: float) -> list[int]:
            return [
                min(max(least[c], int(scale * shares[c])), wanted[c]) if shares[c] else least[c]
                for c in range(len(least))
            ]

        low, high = 0.0, float(max(wanted))
        for _ in range(40):  # the largest scale whose widths still fit
            middle = (low + high) / 2
            low, high = (middle, high) if sum(at(middle)) <= room else (low, middle)
        widths = at(low)
    # The few pixels lost to rounding, to the widest share still short of its whole text.
    short = [c for c in growing if widths[c] < wanted[c]] or growing
    widths[max(short, key=lambda c: shares[c])] += room - sum(widths)
    return widths


class _Elide(QStyledItemDelegate):
    """Draws a column's text elided its own way (the view elides at the right)."""

    def __init__(self, mode: Qt.TextElideMode, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = mode

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self._mode


class WatchTable(QTableView):
    """A file list of the watch that fits its width without sideways scrolling.

    Whole columns (`Column.share` 0) are as wide as their widest cell and their header; the
    long texts share the rest, never narrower than their header. The columns are fitted again
    when the width, the rows or the sorted column (its header carries the arrow) change,
    until the supervisor drags a column's edge: from then on the widths are theirs.
    """

    def __init__(self, model: WatchModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = model
        self._cells = [0] * len(model.columns)  # each column's widest text, measured on reset
        self._fitting = False
        self.own_widths = False
        _configure(self, model, name, multi=True)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)  # the fit fills the width; a stretch would resize
        for column, spec in enumerate(model.columns):
            if spec.elide != Qt.TextElideMode.ElideRight:
                self.setItemDelegateForColumn(column, _Elide(spec.elide, self))

        header.sectionResized.connect(self._on_header_section_resized)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.model().modelReset.connect(self._on_model_reset)

    def fit_columns(self) -> None:
        if self.own_widths or self._fitting:
            return
        columns = self._source.columns
        heads = [self._header_width(c) for c in range(len(columns))]
        least = [
            h if spec.share else max(h, cell)
            for h, cell, spec in zip(heads, self._cells, columns, strict=True)
        ]
        wanted = [max(low, cell) for low, cell in zip(least, self._cells, strict=True)]
        shares = [c.share for c in columns]
        for column in range(len(columns)):
            if self.isColumnHidden(column):  # takes no room
                least[column] = wanted[column] = shares[column] = 0
        widths = share_room(self.viewport().width(), least, wanted, shares)
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for column, width in enumerate(widths):
                if self.isColumnHidden(column):
                    continue
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _header_width(self, column: int) -> int:
        """The least width that shows the header's text whole, reckoned as QHeaderView
        does before it elides (the label's margins, and the arrow beside a sorted column)."""
        header = self.horizontalHeader()
        style = header.style()
        text = str(self.model().headerData(column, Qt.Orientation.Horizontal) or "")
        option = QStyleOptionHeader()
        option.initFrom(header)
        option.rect = QRect(0, 0, 1000, max(header.height(), header.sizeHint().height()))
        margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
            arrow = Qt.AlignmentFlag(
                style.styleHint(QStyle.StyleHint.SH_Header_ArrowAlignment, None, header)
            )
            if arrow & Qt.AlignmentFlag.AlignVCenter:  # beside the text, not above it
                margin += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        label = style.subElementRect(QStyle.SubElement.SE_HeaderLabel, option, header)
        inset = option.rect.width() - label.width() + margin
        return header.fontMetrics().horizontalAdvance(text) + inset + SLACK

    def _measure_cells(self) -> None:
        # The cell's text margins (the focus frame's and one) on both sides, and the grid line.
        focus = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        padding = 2 * (focus + 1) + 1 + SLACK
        metrics = self.fontMetrics()
        rows = [self._source.row_at(r) for r in range(self._source.rowCount())]
        self._cells = [
            max((metrics.horizontalAdvance(spec.text(row)) for row in rows), default=0) + padding
            for spec in self._source.columns
        ]

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().viewportEvent(event)

    def _on_model_reset(self) -> None:
        self._measure_cells()
        rows = [self._source.row_at(r) for r in range(self._source.rowCount())]
        self._fitting = True  # hiding or showing a column is no drag of the supervisor's
        try:
            for column, spec in enumerate(self._source.columns):
                if spec.optional:
                    self.setColumnHidden(column, not any(spec.text(row) for row in rows))
        finally:
            self._fitting = False
        self.fit_columns()

    def _on_header_sort_indicator_changed(self, _column: int, _order: Qt.SortOrder) -> None:
        self.fit_columns()

    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.own_widths = True
