"""Runs sync passes in the background: on a timer, and at once when asked ("Đồng bộ ngay")."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from sqlalchemy.orm import Session

from desk_app.sync import outbox
from desk_app.sync.outbox import SyncConfig, SyncStatus
from desk_app.sync.protocol import DEFAULT_TIMEOUT
from desk_app.sync.runner import CentreReport, run_agencies
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext

log = logging.getLogger(__name__)

FIRST_PASS_MS = 3_000  # soon after start, once the window is up


@dataclass(frozen=True)
class _Request:
    """A pass asked for: `agencies` None runs every agency set up to send."""

    force: bool
    agencies: frozenset[int] | None

    def merged(self, other: _Request | None) -> _Request:
        if other is None:
            return self
        agencies = (
            None
            if self.agencies is None or other.agencies is None
            else self.agencies | other.agencies
        )
        return _Request(self.force or other.force, agencies)


class SyncController(QObject):
    """Owns the timer and the worker thread of the sync passes.

    Passes run on a thread of their own, never on the GUI thread nor on the window's database
    worker (which must not wait on the network); one at a time, and a request that arrives
    during a pass runs right after it. Listens to ctx.bus: "sync-settings" re-reads the settings
    and restarts the timer; "sync" and "files" re-read the outbox's counts.

    A centre's database holds several agencies, each with its own settings: the timer ticks at
    the shortest interval of the agencies that send automatically, and each tick runs those
    whose own interval has passed since this window last ran them, one after the other in one
    pass ("Đồng bộ ngay" runs every agency set up). `statuses` holds each agency's state,
    `status` the one the status bar shows (`outbox.overall`).

    Signals:
    status_changed(SyncStatus): the state the status bar and the sync window show.
    pass_started(): a pass began.
    pass_finished(object): a pass ended with its CentreReport (or the exception it raised).
    """

    status_changed = Signal(object)
    pass_started = Signal()
    pass_finished = Signal(object)
    _worker_done = Signal(object)
    _progress = Signal(object)  # a SyncStatus read by the pass as it goes

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.timeout = DEFAULT_TIMEOUT
        self.configs: dict[int, SyncConfig] = {}
        self.statuses: dict[int, SyncStatus] = {}
        self.status: SyncStatus | None = None
        self._thread: threading.Thread | None = None
        self._again: _Request | None = None  # a pass asked for while one ran
        self._last_run: dict[int, float] = {}  # agency: monotonic start of its last timed pass
        self._timer = QTimer(self)
        self._first = QTimer(self)
        self._first.setSingleShot(True)

        self._timer.timeout.connect(self._on_timer_timeout)
        self._first.timeout.connect(self._on_first_timeout)
        self._worker_done.connect(self._on_worker_done, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        ctx.bus.changed.connect(self._on_bus_changed)

        self.reload()
        if self._timer.isActive():
            self._first.start(FIRST_PASS_MS)

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def interval_ms(self) -> int | None:
        """The timer's period, None while it is stopped (sync off or not set up)."""
        return self._timer.interval() if self._timer.isActive() else None

    @property
    def first_pass_due(self) -> bool:
        """The pass soon after start is still to come."""
        return self._first.isActive()

    def reload(self) -> None:
        """Read the settings and the outbox again (off the GUI thread); then restart the timer
        as the settings say."""

        def job(s: Session) -> tuple[dict[int, SyncConfig], dict[int, SyncStatus]]:
            found = outbox.statuses(s)
            return {a: outbox.read_config(s, a) for a in found}, found

        self.ctx.ops.read(job, self._on_reloaded, owner=self, label="sync settings")

    def _timed(self) -> dict[int, int]:
        """The agencies that send on the timer, each with its interval in ms."""
        return {
            a: c.interval_minutes * 60_000 for a, c in self.configs.items() if c.enabled and c.url
        }

    def _on_reloaded(self, found: tuple[dict[int, SyncConfig], dict[int, SyncStatus]]) -> None:
        self.configs, statuses = found
        timed = self._timed()
        if timed:
            interval = min(timed.values())
            if not self._timer.isActive() or self._timer.interval() != interval:
                self._timer.start(interval)
        else:
            self._timer.stop()
            self._first.stop()
        self._on_statuses_read(statuses)

    def reload_status(self) -> None:
        """Read the outbox's counts again (after a write elsewhere), the timer untouched."""
        self.ctx.ops.read(outbox.statuses, self._on_statuses_read, owner=self, label="sync status")

    def _on_statuses_read(self, statuses: dict[int, SyncStatus]) -> None:
        self.statuses = statuses
        self.status = outbox.overall(statuses)
        self.status_changed.emit(self.status)

    def sync_now(self) -> None:
        """A pass now for every agency set up, the rows still backing off included."""
        self.start_pass(force=True)

    def start_pass(self, *, force: bool = False, agencies: frozenset[int] | None = None) -> None:
        """A pass for `agencies` (None: every agency set up to send)."""
        request = _Request(force, agencies)
        if self._thread is not None:
            self._again = request.merged(self._again)
            return
        self._thread = threading.Thread(
            target=self._work, args=(request,), name="desk-sync", daemon=True
        )
        self.pass_started.emit()
        self._thread.start()

    def shutdown(self, wait_s: float = 2.0) -> None:
        """Stop the timers; give a running pass a moment to finish its row."""
        self._timer.stop()
        self._first.stop()
        self._again = None
        thread = self._thread
        if thread is not None:
            thread.join(wait_s)

    def _work(self, request: _Request) -> None:
        """On the worker thread: no widget, no Qt object but the queued signal."""
        result: CentreReport | BaseException
        try:
            result = run_agencies(
                self.ctx.db,
                None if request.agencies is None else sorted(request.agencies),
                now=self.ctx.now,
                force=request.force,
                timeout=self.timeout,
                progress=self._tell_progress,
            )
        except Exception as exc:  # shown in the status; the next pass tries again
            log.exception("sync pass failed")
            result = exc
        try:
            self._worker_done.emit(result)
        except RuntimeError:  # the window closed and took the controller while the pass ran
            log.info("sync pass ended after the window closed")

    def _tell_progress(self, status: SyncStatus) -> None:
        """On the worker thread: the outbox's counts while the pass builds and sends (a first
        pass takes minutes; the status bar said "0 unsent" all along while the outbox filled)."""
        with contextlib.suppress(RuntimeError):  # the window closed while the pass ran
            self._progress.emit(status)

    def _on_progress(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_worker_done(self, result: object) -> None:
        self._thread = None
        self.pass_finished.emit(result)
        # The pass wrote on its own thread and connection (it waits on the network, so it
        # does not hold the window's one worker); its notice goes out like any other.
        self.ctx.ops.notify(Change.of("sync"), origin=self)
        self.reload()
        again, self._again = self._again, None
        if again is not None:
            self.start_pass(force=again.force, agencies=again.agencies)

    def _on_first_timeout(self) -> None:
        self._run_timed(every=True)

    def _on_timer_timeout(self) -> None:
        self._run_timed(every=False)

    def _run_timed(self, *, every: bool) -> None:
        """The agencies that send on the timer whose interval has passed since this window
        last ran them (half a tick early counts: the timer runs at the shortest interval)."""
        timed = self._timed()
        clock_now = time.monotonic()
        half_tick = self._timer.interval() / 2_000
        due = frozenset(
            a
            for a, interval_ms in timed.items()
            if every
            or a not in self._last_run
            or clock_now - self._last_run[a] + half_tick >= interval_ms / 1000
        )
        if not due:
            return
        for agency in due:
            self._last_run[agency] = clock_now
        self.start_pass(force=False, agencies=due)

    def _on_bus_changed(self, change: Change) -> None:
        if change.touches("sync-settings"):
            self.reload()
        elif change.origin is not self and (change.touches("sync") or change.touches("files")):
            self.reload_status()
