"""The one way the window runs database work: typed reads and writes on the worker thread.

Anki's QueryOp and CollectionOp in small. `read(fn, done)` opens a reader session, runs
`fn(session)` on the worker and hands its result to `done` on the GUI thread; `write(fn, done,
changes=...)` does the same in one writer transaction (BEGIN IMMEDIATE) and, once it has
committed, announces one Change on the bus, stamped with who started it. No widget opens a
session or announces a change itself (tests/ui/test_db_boundary.py checks the sources).

A write that meets a busy database gets the runner's «Cơ sở dữ liệu đang bận» box with "Thử
lại": the whole transaction was rolled back, so running `fn` again is safe. A job that finds
the centre's server out of reach fails with ServerOfflineError (nothing committed); the window
goes offline (desk_app.ui.offline) and a failed read shows no box of its own, as the banner says
why and every view reads again when the server is back.

Writes made elsewhere (another counter, the command line) are heard by the database's
`ChangeFeed` (desk_app.store.changes); `ChangeRelay` carries each of its notices to the GUI thread
and announces it on the same bus as a `Change` whose origin is ELSEWHERE, so every view
refreshes from the notice alone, as it does after the window's own writes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal
from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.errors import ServerOfflineError
from desk_app.store.busy import as_known_error
from desk_app.store.changes import ChangeFeed, FeedNotice
from desk_app.store.engine import Database
from desk_app.ui.bus import ELSEWHERE, Change, ChangeBus
from desk_app.ui.ops import Failed, OpRunner

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a write changed: fixed, or worked out from its result (e.g. the code of a new file).
Changes = Change | Callable[[T], Change | None] | None


class DbOps:
    """Reads and writes for one window: its database, its worker and its change bus."""

    def __init__(
        self, db: Database, runner: OpRunner, bus: ChangeBus, feed: ChangeFeed | None = None
    ) -> None:
        self._db = db
        self._runner = runner
        self._bus = bus
        self._feed = feed

    def read(
        self,
        fn: Callable[[Session], T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        owner: QObject | None = None,
        label: str = "",
    ) -> None:
        """Run `fn` in a reader session off the GUI thread; `done(result)` on the GUI thread."""
        db = self._db

        def job() -> T:
            try:
                with db.reader.begin() as session:
                    return fn(session)
            except Exception as exc:
                known = as_known_error(exc)
                if isinstance(known, ServerOfflineError):
                    raise ServerOfflineError(reading=True) from exc
                raise

        self._runner.run(job, done, failed, owner=owner, label=label or _name(fn))

    def write(
        self,
        fn: Callable[[Session], T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        changes: Changes[T],
        owner: QObject | None = None,
        label: str = "",
        retry_busy: bool = True,
    ) -> None:
        """Run `fn` in one writer transaction off the GUI thread. After the commit, announce
        `changes` (or `changes(result)`; None announces nothing) stamped with `owner` (or the
        label) as its origin, then call `done(result)` on the GUI thread. The notice goes out
        even when `owner` was closed meanwhile: the data did change."""
        db = self._db
        feed = self._feed

        def job() -> T:
            with db.writer.begin() as session:
                result = fn(session)
                if feed is not None:
                    feed.check()  # others' commits before this one are news (write lock held)
            if feed is not None:
                feed.absorb()  # this commit is announced below, not heard back as news
            return result

        self._run_write(job, done, failed, changes, owner, label or _name(fn), retry_busy)

    def write_steps(
        self,
        fn: Callable[[Database], T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        changes: Changes[T],
        owner: QObject | None = None,
        label: str = "",
        retry_busy: bool = False,
    ) -> None:
        """Run `fn(database)` on the worker for work that commits in short transactions of its
        own, so the counter can write between them (undoing a killed import, adding demo
        files); then announce `changes` and call `done` as `write` does. It is not one
        transaction: a busy database is offered again only when `fn` resumes where it stopped
        (`retry_busy`)."""
        db, feed = self._db, self._feed

        def job() -> T:
            # Its commits are the window's own: announced once, by the runner, when it ends.
            if feed is None:
                return fn(db)
            with feed.own_writes():
                return fn(db)

        self._run_write(job, done, failed, changes, owner, label or _name(fn), retry_busy)

    def _run_write(
        self,
        job: Callable[[], T],
        done: Callable[[T], object] | None,
        failed: Failed | None,
        changes: Changes[T],
        owner: QObject | None,
        label: str,
        retry_busy: bool,
    ) -> None:
        bus = self._bus

        def committed(result: T) -> None:
            change = changes(result) if callable(changes) else changes
            if change is not None:
                bus.announce(change.from_origin(owner if owner is not None else label))

        self._runner.run(
            job,
            done,
            failed,
            owner=owner,
            label=label,
            retry_busy=retry_busy,
            on_success=committed,
        )

    def ping(self, answered: Callable[[bool], object]) -> None:
        """Ask the database `SELECT 1` on a thread of its own and call `answered(ok)` there (the
        offline watch's probe: not on the worker, where it would wait behind a job stuck on the
        dead server, nor hold a job back for the connect timeout). The pool's pre-ping replaces
        the connections an outage killed."""
        db = self._db

        def probe() -> None:
            try:
                with db.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except Exception as exc:
                log.info("database still out of reach: %s", str(exc).strip().splitlines()[0])
                answered(False)
            else:
                answered(True)

        threading.Thread(target=probe, name="desk-server-probe", daemon=True).start()

    def notify(self, change: Change, *, origin: object) -> None:
        """Announce a change made outside `write`: the sync pass, which writes on its own
        thread and connection while it waits on the network, and the per-machine prefs."""
        self._bus.announce(change.from_origin(origin))


def change_of(notice: FeedNotice) -> Change:
    """The bus's notice for what the feed heard: from ELSEWHERE, with the files' codes and ids
    when known (no codes: many or unknown files, every file view refreshes)."""
    return Change(notice.kinds, notice.codes, notice.ids, origin=ELSEWHERE)


class ChangeRelay(QObject):
    """Starts the database's change feed and announces what it hears on the bus, on the GUI
    thread (the feed calls in on its own thread; a queued signal carries the notice over).

    Each notice makes the views read again (counts, the list, the open file), so a busy centre
    must not make the window do nothing else: a notice follows the previous one by at least
    EVERY_MS; what arrives meanwhile is merged into one.

    Signals:
    heard(Change): announced a change made elsewhere (after the bus has told the views).
    """

    heard = Signal(object)
    _arrived = Signal(object)  # emitted on the feed's thread

    EVERY_MS = 250

    def __init__(self, feed: ChangeFeed, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self._bus = bus
        self._pending: FeedNotice | None = None
        self._last = QElapsedTimer()
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self._later.timeout.connect(self._on_later_timeout)

    def start(self) -> None:
        self.feed.start(self._deliver)

    def stop(self) -> None:
        self._later.stop()
        self.feed.stop()

    def _deliver(self, notice: FeedNotice) -> None:
        """On the feed's thread: no widget, only the queued signal."""
        with contextlib.suppress(RuntimeError):  # the relay was deleted while the feed ran
            self._arrived.emit(notice)

    def _on_arrived(self, notice: FeedNotice) -> None:
        pending = self._pending
        self._pending = notice if pending is None else pending.merged(notice)
        if self._later.isActive():
            return
        since = self._last.elapsed() if self._last.isValid() else self.EVERY_MS
        if since >= self.EVERY_MS:
            self._on_later_timeout()
        else:
            self._later.start(self.EVERY_MS - since)

    def _on_later_timeout(self) -> None:
        notice, self._pending = self._pending, None
        if notice is None:
            return
        self._last.start()
        change = change_of(notice)
        self._bus.announce(change)
        self.heard.emit(change)


def _name(fn: Callable[..., object]) -> str:
    return getattr(fn, "__qualname__", "") or repr(fn)
