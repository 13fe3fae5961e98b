"""Background work: one worker thread for database and PDF jobs, results back on the GUI thread.

Anki's CollectionOp in small: a job is a plain callable that never touches a widget; its
result (or its error) is handed to callbacks that run on the GUI thread. Jobs run one at a time
in the order they were submitted, which keeps writes serialised. Tests may build the runner with
`synchronous=True` to run jobs inline.

A job that meets a busy database (another connection held SQLite's write lock past the busy
timeout) is not an unexpected error: the officer gets a box that says so, with a button that
runs the same job again. Every job is one transaction, rolled back whole when it met the lock,
so running it again is safe; a job that is not can say `retry_busy=False`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.errors import DatabaseBusyError, ServerOfflineError
from desk_app.store.busy import as_known_error

log = logging.getLogger(__name__)

Done = Callable[[Any], object]
Failed = Callable[[BaseException], None]


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_done: Done | None
    on_error: Failed | None
    owner: QObject | None
    label: str
    retry_busy: bool = True
    # Runs on the GUI thread after a job succeeded, even when its owner is gone: what a
    # committed write changed is announced whether or not the dialog that asked still exists.
    on_success: Done | None = None
    result: Any = None
    error: BaseException | None = None
    trace: str = field(default="", repr=False)


class _Worker(QObject):
    """Lives on the worker thread; runs each job it is given and reports back."""

    finished = Signal(object)

    @Slot(object)
    def run(self, job: _Job) -> None:
        try:
            job.result = job.fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            job.error = as_known_error(exc)
            job.trace = traceback.format_exc()
        self.finished.emit(job)


class OpRunner(QObject):
    """Runs jobs off the GUI thread, one at a time.

    Signals:
        busy_changed(bool): work started (True) or the queue drained (False).
        failed(str): a job without its own error callback failed; the text is for the status bar.
        busy_prompted(object): a job met a busy database; the BusyBox now open asks to retry.
        slow_changed(bool): work has gone on for SLOW_MS (True), or ended after that (False);
            the window shows its busy indicator only then, so quick jobs do not flicker.
        server_lost(object): a job failed because the centre's server was out of reach (the
            ServerOfflineError; emitted whoever asked, before its own callbacks run).
    """

    SLOW_MS = 300

    busy_changed = Signal(bool)
    failed = Signal(object)
    busy_prompted = Signal(object)
    slow_changed = Signal(bool)
    server_lost = Signal(object)
    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self._synchronous = synchronous
        self._pending = 0
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._slow = False
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(self.SLOW_MS)
        self._slow_timer.timeout.connect(self._on_slow_timer_timeout)
        if not synchronous:
            self._thread = QThread()
            self._thread.setObjectName("desk-worker")
            self._worker = _Worker()
            self._worker.moveToThread(self._thread)
            self._submit.connect(self._worker.run)
            self._worker.finished.connect(self._on_worker_finished)
            self._thread.start()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        owner: QObject | None = None,
        label: str = "",
        retry_busy: bool = True,
        on_success: Done | None = None,
    ) -> None:
        """Run `fn` on the worker; call `on_done(result)` or `on_error(exc)` on the GUI thread.

        When `owner` is given and has been deleted by the time the job ends, no callback runs
        except `on_success` (used by DbOps to announce a committed change). A busy database
        first asks the officer to retry (unless `retry_busy` is False); giving up hands the
        DatabaseBusyError to `on_error`.
        """
        self._start(_Job(fn, on_done, on_error, owner, label, retry_busy, on_success))

    def _start(self, job: _Job) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
            if not self._synchronous:
                self._slow_timer.start()
        if self._synchronous:
            self._run_inline(job)
            return
        self._submit.emit(job)

    def _run_inline(self, job: _Job) -> None:
        try:
            job.result = job.fn()
        except BaseException as exc:
            job.error = as_known_error(exc)
            job.trace = traceback.format_exc()
        self._on_worker_finished(job)

    @Slot(object)
    def _on_worker_finished(self, job: _Job) -> None:
        self._pending -= 1
        try:
            if isinstance(job.error, ServerOfflineError):
                self.server_lost.emit(job.error)
            if job.error is None and job.on_success is not None:
                job.on_success(job.result)
            if job.owner is not None and not shiboken6.isValid(job.owner):
                return
            if job.error is None:
                if job.on_done is not None:
                    job.on_done(job.result)
            elif isinstance(job.error, DatabaseBusyError) and job.retry_busy:
                self._ask_retry(job)
            else:
                self._deliver_error(job)
        finally:
            if self._pending == 0:
                self._slow_timer.stop()
                if self._slow:
                    self._slow = False
                    self.slow_changed.emit(False)
                self.busy_changed.emit(False)

    def _on_slow_timer_timeout(self) -> None:
        if self._pending > 0 and not self._slow:
            self._slow = True
            self.slow_changed.emit(True)

    def _deliver_error(self, job: _Job) -> None:
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return
        assert job.error is not None
        if job.on_error is not None:
            job.on_error(job.error)
        elif isinstance(job.error, ServerOfflineError):
            log.warning("background job %r: the server is out of reach", job.label)
            self.failed.emit(job.error)
        else:
            log.error("background job %r failed:\n%s", job.label, job.trace)
            self.failed.emit(job.error)

    def _ask_retry(self, job: _Job) -> None:
        from desk_app.ui.busy import BusyBox

        log.warning("background job %r met a busy database", job.label)
        parent = job.owner if isinstance(job.owner, QWidget) else QApplication.activeWindow()
        box = BusyBox(parent)

        def retry() -> None:
            job.result, job.error, job.trace = None, None, ""
            self._start(job)

        box.retry_requested.connect(retry)
        box.given_up.connect(lambda: self._deliver_error(job))
        box.open()
        self.busy_prompted.emit(box)

    def shutdown(self) -> None:
        """Let the running job finish, then stop the worker thread."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
