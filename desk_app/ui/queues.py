"""The work queues on the left of the main window, each with its live count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListView, QWidget
from sqlalchemy.orm import Session

from desk_app.errors import ServerOfflineError
from desk_app.services import browse
from desk_app.services.browse import ListQueue
from desk_app.ui.context import UiContext
from desk_app.ui.offline import ServerWatch, queue_count_text

QUEUE_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex

# Queues whose non-zero count needs attention, with the colour of their count.
_ALERT = {ListQueue.OVERDUE: "#9b1c1c", ListQueue.DUE_SOON: "#8a4b00"}
_STALE = "#8a8a8a"  # counts that are not current (the centre's server is out of reach)


# The queues a file is in by its status (and postal state); the deadline queues and "all" cut
# across them.
STATUS_QUEUES = tuple(
    q for q in ListQueue if q not in (ListQueue.DUE_SOON, ListQueue.OVERDUE, ListQueue.ALL)
)


def queue_to_follow(
    shown: ListQueue | None, listing: Collection[ListQueue], in_results: bool = False
) -> ListQueue | None:
    """Where the list goes after a step (intake, refusal, any action) on a file, so that the
    file stays selected in a list that shows it: the queue shown while it still lists the
    file, else the queue of its new status, else all files. None: stay on the search results
    shown (`shown` is None), which still hold it (`in_results`). `listing` is
    browse.queues_listing of the file after the step."""
    if shown is None and in_results:
        return None
    if shown is not None and shown in listing:
        return shown
    return next((q for q in STATUS_QUEUES if q in listing), ListQueue.ALL)


class QueueListModel(QAbstractListModel):
    """The fixed list of queues; `set_counts` updates the numbers shown after each name.

    `set_stale` marks the numbers as not current (greyed, «chưa cập nhật», the time they were
    read in the tooltip) until the next `set_counts`: they are never shown as current when
    they could not be read again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queues = list(ListQueue)
        self._counts: dict[ListQueue, int] = {}
        self.read_at: datetime | None = None  # when the counts shown were read
        self.stale = False

    def queue_at(self, row: int) -> ListQueue:
        return self._queues[row]

    def row_of(self, queue: ListQueue) -> int:
        return self._queues.index(queue)

    def count(self, queue: ListQueue) -> int | None:
        return self._counts.get(queue)

    def set_counts(self, counts: dict[ListQueue, int], read_at: datetime | None = None) -> None:
        self._counts = dict(counts)
        self.read_at = read_at
        self.stale = False
        self._all_changed()

    def set_stale(self, stale: bool) -> None:
        """Mark the counts shown as not current (True), e.g. while the server is out of reach."""
        if stale != self.stale:
            self.stale = stale
            self._all_changed()

    def _all_changed(self) -> None:
        if self._queues:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._queues) - 1, 0))

    def rowCount(self, parent: _Index | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._queues)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._queues):
            return None
        queue = self._queues[index.row()]
        count = self._counts.get(queue)
        if role == Qt.ItemDataRole.DisplayRole:
            # Queue names are the desk's own Vietnamese terms, like the statuses.
            return queue_count_text(queue.label, count, self.stale)
        if role == QUEUE_ROLE:
            return queue.value
        if role == COUNT_ROLE:
            return count
        if role == Qt.ItemDataRole.ToolTipRole and self.stale and count is not None:
            at = self.read_at.strftime("%H:%M:%S %d/%m/%Y") if self.read_at else "?"
            return self.tr(
                "Counted at {0}; not current: the centre's server cannot be reached."
            ).format(at)
        if role == Qt.ItemDataRole.ForegroundRole and self.stale and count is not None:
            return QBrush(QColor(_STALE))
        if role == Qt.ItemDataRole.ForegroundRole and count and queue in _ALERT:
            return QBrush(QColor(_ALERT[queue]))
        if role == Qt.ItemDataRole.FontRole and count and queue in _ALERT:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class QueuePanel(QListView):
    """Signals:
    queue_chosen(ListQueue): the officer picked a queue.
    """

    queue_chosen = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.queue_model = QueueListModel(self)
        self.setObjectName("queues")
        self.setModel(self.queue_model)
        self.setUniformItemSizes(True)
        self.setSpacing(1)
        self.selectionModel().currentChanged.connect(self._on_selection_current_changed)
        self._refreshing = False
        self._again = False
        self.watch = ServerWatch.of(ctx)
        self.watch.offline_changed.connect(self._on_watch_offline_changed)
        self.queue_model.set_stale(self.watch.offline)

    def sizeHint(self) -> QSize:
        return QSize(250, 400)

    def select(self, queue: ListQueue) -> None:
        self.setCurrentIndex(self.queue_model.index(self.queue_model.row_of(queue), 0))

    def clear_choice(self) -> None:
        """No queue highlighted (the list shows search results)."""
        self.selectionModel().clearCurrentIndex()
        self.clearSelection()

    def current_queue(self) -> ListQueue | None:
        index = self.currentIndex()
        return self.queue_model.queue_at(index.row()) if index.isValid() else None

    def refresh_counts(self) -> None:
        """Count every queue off the GUI thread; a refresh asked for meanwhile runs once after."""
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        now, scope = self._ctx.now(), self._ctx.scope

        def job(s: Session) -> dict[ListQueue, int]:
            return browse.queue_counts(s, now, scope=scope)

        def done(counts: dict[ListQueue, int]) -> None:
            self.queue_model.set_counts(counts, now)
            self._finish()

        def failed(exc: BaseException) -> None:
            self._finish()
            if isinstance(exc, ServerOfflineError):
                self.queue_model.set_stale(True)  # the banner says why
                return
            self._ctx.runner.failed.emit(exc)

        self._ctx.ops.read(job, done, failed, owner=self, label="queue counts")

    def _finish(self) -> None:
        self._refreshing = False
        if self._again:
            self._again = False
            self.refresh_counts()

    def _on_watch_offline_changed(self, offline: bool) -> None:
        # Back online: the watch's change of everything refreshes the counts, which clears it.
        if offline:
            self.queue_model.set_stale(True)

    def _on_selection_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.queue_chosen.emit(self.queue_model.queue_at(current.row()))
