"""The one way the window runs database work: typed reads and writes on the worker thread.

Anki's QueryOp and CollectionOp in small. `read(fn, done)` opens a reader session, runs
`fn(session)` on the worker and hands its result to `done` on the GUI thread; `write(fn, done,
changes=...)` does the same in one writer transaction (BEGIN IMMEDIATE) and, once it has
committed, announces one Change on the bus, stamped with who started it. No widget opens a
session or announces a change itself (tests/ui/test_db_boundary.py checks the sources).

A write that meets a busy database gets the runner's «Cơ sở dữ liệu đang bận» box with "Thử
lại": the whole transaction was rolled back, so running `fn` again is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desk_app.store.engine import Database
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.ops import Failed, OpRunner

T = TypeVar("T")

# What a write changed: fixed, or worked out from its result (e.g. the code of a new file).
Changes = Change | Callable[[T], Change | None] | None


class DbOps:
    """Reads and writes for one window: its database, its worker and its change bus."""

    def __init__(self, db: Database, runner: OpRunner, bus: ChangeBus) -> None:
        self._db = db
        self._runner = runner
        self._bus = bus

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
            with db.reader.begin() as session:
                return fn(session)

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

        def job() -> T:
            with db.writer.begin() as session:
                return fn(session)

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
        db = self._db
        self._run_write(
            lambda: fn(db), done, failed, changes, owner, label or _name(fn), retry_busy
        )

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

    def notify(self, change: Change, *, origin: object) -> None:
        """Announce a change made outside `write`: the sync pass, which writes on its own
        thread and connection while it waits on the network, and the per-machine prefs."""
        self._bus.announce(change.from_origin(origin))


def _name(fn: Callable[..., object]) -> str:
    return getattr(fn, "__qualname__", "") or repr(fn)
