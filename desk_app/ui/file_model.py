"""The file list as a lazy table model: a queue's ids arrive first, rows are read in blocks."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.due import DeadlineState
from desk_app.domain.workflow import Status
from desk_app.services import browse
from desk_app.services.browse import Deadline, ListQueue, ListRow, SortKey
from desk_app.services.context import SOLO_AGENCY, load_context
from desk_app.services.scope import Scope, agency_ids
from desk_app.ui.context import UiContext

FILE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3

BLOCK = 200  # rows read per query when the view scrolls onto rows not yet cached
CACHE_ROWS = 4000

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # English source; translated in headerData
    sort: SortKey | None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


def _translate(text: str) -> str:
    return QCoreApplication.translate("FileListModel", text)


# Declared once, in the order shown: first what says whether a file is late (code,
# appointment, time left, status), so it fits a small screen. QT_TRANSLATE_NOOP marks the
# headers for lupdate, headerData translates them.
COLUMNS: tuple[Column, ...] = (
    Column("code", str(QT_TRANSLATE_NOOP("FileListModel", "File code")), SortKey.CODE),
    Column("due", str(QT_TRANSLATE_NOOP("FileListModel", "Appointment")), SortKey.DUE),
    Column("remaining", str(QT_TRANSLATE_NOOP("FileListModel", "Time left")), None),
    Column("status", str(QT_TRANSLATE_NOOP("FileListModel", "Status")), SortKey.STATUS),
    Column("applicant", str(QT_TRANSLATE_NOOP("FileListModel", "Applicant")), SortKey.APPLICANT),
    Column("procedure", str(QT_TRANSLATE_NOOP("FileListModel", "Procedure")), SortKey.PROCEDURE),
    Column("received", str(QT_TRANSLATE_NOOP("FileListModel", "Received")), SortKey.RECEIVED),
    Column("officer", str(QT_TRANSLATE_NOOP("FileListModel", "Officer")), SortKey.OFFICER),
)
STATE_COLOURS: dict[DeadlineState, tuple[str, str]] = {
    # (background, text): overdue red, due soon orange, paused grey.
    DeadlineState.OVERDUE: ("#fde0e0", "#9b1c1c"),
    DeadlineState.DUE_SOON: ("#ffe9cc", "#8a4b00"),
    DeadlineState.PAUSED: ("#ececec", "#555555"),
}

# The list's words for a status, where the national name is too long for the column at a
# 1366 px screen: the queue's name for a file waiting on its fee, the action's name for a
# withdrawal. The cell's tooltip keeps the national name.
SHORT_STATUS: dict[Status, str] = {
    Status.FINANCIAL: "Chờ nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
}


def status_text(status: Status) -> str:
    """What the list's status column says for `status`."""
    return SHORT_STATUS.get(status, status.label)


def moment_text(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


@dataclass(frozen=True)
class Clock:
    """How one agency's deadlines are judged: its calendar (the centre's days off, the
    agency's office hours) and how long before a due its files turn "due soon"."""

    calendar: WorkCalendar
    due_soon: timedelta


@dataclass(frozen=True)
class Loaded:
    """What a background load hands to the model."""

    ids: array[int]
    clocks: dict[int, Clock]  # by agency: every agency the list can show (at least one)
    now: datetime


def read_clocks(session: Session, scope: Scope, now: datetime) -> dict[int, Clock]:
    """The clock of every agency `scope` covers (every agency of the database for ALL; a solo
    desk's one), each file coloured by its own agency's. Each calendar builds its holiday
    table on first use (~0.1 s): here, off the GUI thread, not while the first rows paint."""
    agencies = sorted(scope.agencies) if scope.agencies is not None else agency_ids(session)
    clocks = {}
    for agency in agencies or [SOLO_AGENCY]:
        ctx = load_context(session, agency)
        ctx.calendar.add_working_time(now, ctx.due_soon)
        clocks[agency] = Clock(ctx.calendar, ctx.due_soon)
    return clocks


class FileListModel(QAbstractTableModel):
    """Rows of files for one queue (or search results).

    Signals:
        loading(bool): a background load started (True) or ended (False).
        loaded(int): the new row count after a load.
    """

    loading = Signal(bool)
    loaded = Signal(int)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._ids: array[int] = array("q")
        self._position: dict[int, int] | None = None
        self._cache: OrderedDict[int, tuple[ListRow, Deadline]] = OrderedDict()
        self._pending_blocks: set[int] = set()  # first ids of blocks being read
        # Every id of those blocks: a row inside a block already asked for does not ask again
        # (each row would otherwise start its own block while the first is still on its way).
        self._pending_ids: set[int] = set()
        self._requesting = False
        self._clocks: dict[int, Clock] = {}  # none until the first load
        self._now = ctx.now()
        self.queue: ListQueue | None = ListQueue.NEW
        self.sort_key = SortKey.NATURAL
        self.descending = False
        self._generation = 0

    # --- loading -----------------------------------------------------------------------------

    def load(
        self,
        queue: ListQueue,
        sort: SortKey = SortKey.NATURAL,
        descending: bool = False,
    ) -> None:
        """Read the queue's ids off the GUI thread; the view keeps the old rows until then."""
        self.queue, self.sort_key, self.descending = queue, sort, descending
        now = self._ctx.now()
        self._generation += 1
        generation = self._generation
        scope = self._ctx.scope

        def job(s: Session) -> Loaded:
            clocks = read_clocks(s, scope, now)
            return Loaded(
                browse.queue_ids(s, queue, now, sort, descending, scope=scope), clocks, now
            )

        self.loading.emit(True)
        self._ctx.ops.read(
            job,
            lambda loaded: self._apply(loaded, generation),
            lambda exc: self._failed(exc, generation),
            owner=self,
            label="load queue",
        )

    def show_ids(self, ids: Sequence[int]) -> None:
        """Show exactly these files (search results), in this order."""
        self.queue = None
        self.sort_key, self.descending = SortKey.NATURAL, False
        self._generation += 1
        generation = self._generation
        now = self._ctx.now()
        if not self._clocks:  # nothing loaded yet: read the calendars once, off the GUI thread
            scope = self._ctx.scope
            self._ctx.ops.read(
                lambda s: read_clocks(s, scope, now),
                lambda clocks: self._apply(Loaded(array("q", ids), clocks, now), generation),
                lambda exc: self._failed(exc, generation),
                owner=self,
                label="load calendar",
            )
            return
        self._apply(Loaded(array("q", ids), self._clocks, now), generation)

    def tick(self, now: datetime) -> None:
        """The clock moved: deadline colours and words are computed again for what is shown,
        without reading the ids again (their membership does not depend on the clock)."""
        self._now = now
        self.forget(None)

    def _apply(self, loaded: Loaded, generation: int) -> None:
        if generation != self._generation:
            return  # a newer load was asked for meanwhile
        self.beginResetModel()
        self._ids = loaded.ids
        self._position = None
        self._cache.clear()
        self._clocks = loaded.clocks
        self._now = loaded.now
        self.endResetModel()
        self.loading.emit(False)
        self.loaded.emit(len(self._ids))

    def _failed(self, exc: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.loading.emit(False)
        self._ctx.runner.failed.emit(exc)

    def reload(self) -> None:
        if self.queue is not None:
            self.load(self.queue, self.sort_key, self.descending)
        else:
            self.forget(None)

    def forget(self, ids: set[int] | None) -> None:
        """Drop cached rows (all when `ids` is None) so they are read again when shown."""
        if ids is None:
            self._cache.clear()
        else:
            for i in ids:
                self._cache.pop(i, None)
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    # --- lookups -----------------------------------------------------------------------------

    def file_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, file_id: int) -> int:
        """The row showing `file_id`, or -1."""
        if self._position is None:
            self._position = {fid: i for i, fid in enumerate(self._ids)}
        return self._position.get(file_id, -1)

    def list_row(self, row: int) -> ListRow:
        entry = self._entry(row)
        if entry is None:  # still being read
            raise LookupError(self._ids[row])
        return entry[0]

    def _entry(self, row: int) -> tuple[ListRow, Deadline] | None:
        """The row's data, or None while its block is read off the GUI thread (the view is
        told by dataChanged when it arrives; a runner that runs jobs inline fills it at once)."""
        fid = self._ids[row]
        entry = self._cache.get(fid)
        if entry is None:
            self._request_block(row)
            return self._cache.get(fid)
        self._cache.move_to_end(fid)
        return entry

    def _request_block(self, row: int) -> None:
        if self._ids[row] in self._pending_ids:
            return
        start = max(0, row - BLOCK // 4)
        ids = self._ids[start : start + BLOCK]
        first = ids[0]
        if first in self._pending_blocks:
            return
        self._pending_blocks.add(first)
        asked = set(ids)
        self._pending_ids |= asked

        def failed(exc: BaseException) -> None:
            self._pending_blocks.discard(first)
            self._pending_ids -= asked
            self._ctx.runner.failed.emit(exc)

        self._requesting = True
        try:
            self._ctx.ops.read(
                lambda s: browse.rows_by_id(s, ids),
                lambda found: self._on_block_read(first, found, asked),
                failed,
                owner=self,
                label="list rows",
            )
        finally:
            self._requesting = False

    def _on_block_read(self, first: int, found: dict[int, ListRow], asked: set[int]) -> None:
        self._pending_blocks.discard(first)
        self._pending_ids -= asked
        for fid, list_row in found.items():
            self._cache[fid] = (list_row, self._deadline(list_row))
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        if self._requesting:
            return  # read inline, inside data(): the caller takes the row from the cache
        rows = [r for r in (self.row_of(fid) for fid in found) if r >= 0]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))

    def _deadline(self, row: ListRow) -> Deadline:
        """The row's state and words by its own agency's calendar and warning (a file of an
        agency not loaded, one closed since, by the first agency's)."""
        if not self._clocks:
            return Deadline(None, "")
        clock = self._clocks.get(row.agency) or next(iter(self._clocks.values()))
        return browse.row_deadline(row, clock.calendar, self._now, clock.due_soon)

    # --- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._ids)

    def columnCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _translate(COLUMNS[section].header)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == FILE_ID_ROLE:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            CODE_ROLE,
            STATE_ROLE,
        ):
            return None
        entry = self._entry(index.row())
        if entry is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        row, deadline = entry
        if role == CODE_ROLE:
            return row.code
        if role == STATE_ROLE:
            return deadline.state.value if deadline.state else ""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = STATE_COLOURS.get(deadline.state) if deadline.state else None
            if colours is None:
                return None
            return QBrush(QColor(colours[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "procedure":
                return f"{row.procedure_code} — {row.procedure_name}"
            if key == "status":
                return row.status.label
            if key == "remaining":
                return deadline.words
            if key == "applicant":
                return row.applicant_name
            return None
        return self._display(row, deadline, key)

    @staticmethod
    def _display(row: ListRow, deadline: Deadline, key: str) -> str:
        if key == "code":
            return row.code
        if key == "applicant":
            return row.applicant_name
        if key == "procedure":
            return f"{row.procedure_code} — {row.procedure_name}"
        if key == "received":
            return moment_text(row.received)
        if key == "due":
            return moment_text(row.due)
        if key == "remaining":
            return deadline.words
        if key == "status":
            return status_text(row.status)
        return row.officer or ""

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database (the list may hold a million files); unsortable: natural order."""
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if self.queue is None:
            return  # search results keep their relevance order
        self.load(self.queue, key or SortKey.NATURAL, descending)
