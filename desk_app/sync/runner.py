"""One sync pass: bring the outbox up to date, send what is due, record what became of it.

Only one pass runs at a time on a database in a process; a second caller is told so. Each
row's result is written in its own short transaction as soon as the answer arrives, so a crash
or a cut cable loses at most the row in flight (it stays "sending" and is taken again once its
lease ends; the department answers the same receipt for the same revision).

A centre's database holds several agencies, each sending with its own settings and token as
another desk would: a pass over the database (`run_agencies`) runs them in turn under the one
lock, and one agency's failure (a refused token, its department down, an error of its own) is
reported for it while the others go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from desk_app import clock
from desk_app.errors import DeskError
from desk_app.services.context import SOLO_AGENCY
from desk_app.store.engine import Database
from desk_app.store.runlock import database_lock
from desk_app.sync import lookup, outbox
from desk_app.sync.outbox import SyncStatus
from desk_app.sync.protocol import DEFAULT_TIMEOUT, LOOKUP_PATH
from desk_app.sync.secret import SecretStore, default_store

if TYPE_CHECKING:
    from desk_app.sync.client import DepartmentClient

log = logging.getLogger(__name__)

# One pass at a time per database (two desks' databases may sync side by side).
_PASSES: dict[str, threading.Lock] = {}
_PASSES_GUARD = threading.Lock()


# A pass tells the outbox's counts as it goes (a first pass builds and sends a thousand days or
# more), at most this often, so the status bar and the sync window never show a count the pass
# has long left behind.
PROGRESS_EVERY_S = 1.0

Progress = Callable[[SyncStatus], None]


class _Teller:
    """Reads `outbox.status` in a short read transaction of its own and hands it to `progress`,
    at most every PROGRESS_EVERY_S (always when `final`)."""

    def __init__(self, db: Database, progress: Progress | None) -> None:
        self._db, self._progress = db, progress
        self._last = time.monotonic()

    def __call__(self, *, final: bool = False) -> None:
        if self._progress is None:
            return
        if not final and time.monotonic() - self._last < PROGRESS_EVERY_S:
            return
        with self._db.reader.begin() as s:
            found = outbox.overall_status(s)
        self._last = time.monotonic()
        self._progress(found)


def _pass_lock(db: Database) -> threading.Lock:
    with _PASSES_GUARD:
        # The file's path, or the server's URL without password (`path` is None on a server).
        return _PASSES.setdefault(db.label, threading.Lock())


@dataclass(frozen=True)
class Sent:
    day: date
    revision: int
    receipt_id: str


@dataclass(frozen=True)
class Failed:
    day: date
    revision: int
    error: str
    rejected: bool


@dataclass(frozen=True)
class PassReport:
    """What one agency's pass did, for the command line and the status bar."""

    ran: bool  # False: not set up, or another pass was running
    new_revisions: int = 0
    sent: tuple[Sent, ...] = ()
    failed: tuple[Failed, ...] = ()
    online: bool | None = None
    unsent: int = 0
    message: str = ""
    agency: int = SOLO_AGENCY


@dataclass(frozen=True)
class CentreReport:
    """What a pass over the database did: one PassReport per agency, in id order. Its totals
    read like one agency's report (a solo desk's is exactly its agency's)."""

    reports: tuple[PassReport, ...] = ()
    message: str = ""  # why no agency ran at all (another pass was running)

    @property
    def ran(self) -> bool:
        return any(r.ran for r in self.reports)

    @property
    def new_revisions(self) -> int:
        return sum(r.new_revisions for r in self.reports)

    @property
    def sent(self) -> tuple[Sent, ...]:
        return tuple(s for r in self.reports for s in r.sent)

    @property
    def failed(self) -> tuple[Failed, ...]:
        return tuple(f for r in self.reports for f in r.failed)

    @property
    def online(self) -> bool | None:
        said = [r.online for r in self.reports]
        return False if False in said else (True if True in said else None)

    @property
    def unsent(self) -> int:
        return sum(r.unsent for r in self.reports)


BUSY = "Một lượt đồng bộ khác đang chạy."
BUSY_CENTRE = "Một máy khác của Trung tâm đang đồng bộ với Sở."


@contextmanager
def _one_pass(db: Database) -> Iterator[str]:
    """Held while a pass runs: yields "" when this pass may run, else why it may not."""
    lock = _pass_lock(db)
    if not lock.acquire(blocking=False):
        yield BUSY
        return
    try:
        # On a centre's server, one pass at a time for the whole centre: every counter PC runs
        # the timer, one of them sends (the lock dies with its holder's connection).
        with database_lock(db.engine, db.path, "sync") if db.is_server else nullcontext() as held:
            if held is not None and not held.acquire():
                yield BUSY_CENTRE
                return
            yield ""
    finally:
        lock.release()


def run_pass(
    db: Database,
    *,
    now: Callable[[], datetime] = clock.now,
    url: str | None = None,
    token: str | None = None,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    secrets: SecretStore | None = None,
    progress: Progress | None = None,
    agency: int = SOLO_AGENCY,
) -> PassReport:
    """Run one pass for one agency. `url` and `token` override its settings (the command
    line's options); `force` sends pending rows whose back-off has not ended yet ("Đồng bộ
    ngay"). `progress` is given the outbox's status (`outbox.overall_status`, the one count
    every screen shows) while the pass builds and sends, on the pass's thread."""
    with _one_pass(db) as busy:
        if busy:
            return PassReport(ran=False, message=busy, agency=agency)
        tell = _Teller(db, progress)
        store = secrets or default_store()
        return _run(db, agency, now, url, token, force, timeout, store, tell)


def run_agencies(
    db: Database,
    agencies: Sequence[int] | None = None,
    *,
    enabled_only: bool = False,
    now: Callable[[], datetime] = clock.now,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    secrets: SecretStore | None = None,
    progress: Progress | None = None,
) -> CentreReport:
    """One pass over the database: each of `agencies` in turn (None: every agency set up to
    send, `outbox.sending_agencies`), each with its own settings and token. An agency that
    fails (its token refused, its department down, an error) is reported for it, and the next
    one runs all the same."""
    with _one_pass(db) as busy:
        if busy:
            return CentreReport(message=busy)
        if agencies is None:
            with db.reader.begin() as s:
                agencies = outbox.sending_agencies(s, enabled_only=enabled_only)
        tell = _Teller(db, progress)
        store = secrets or default_store()
        reports: list[PassReport] = []
        for agency in agencies:
            try:
                report = _run(db, agency, now, None, None, force, timeout, store, tell)
            except DeskError as exc:
                report = PassReport(ran=False, message=exc.message, agency=agency)
            except Exception as exc:  # one agency's fault must not stop the others
                log.exception("sync pass of agency %s failed", agency)
                report = PassReport(ran=False, message=f"Lỗi: {exc}", agency=agency)
            reports.append(report)
        return CentreReport(tuple(reports))


# At most this many look-up batches a pass (500 rows each): a first pass over a long register
# sends the rest at the next passes.
LOOKUP_BATCHES = 200


def _send_lookup(db: Database, agency: int, client: DepartmentClient) -> str | None:
    """Send the files whose look-up row the department lacks (sync/lookup.py); the error that
    stopped it, if any (what was acknowledged stays acknowledged)."""
    for _ in range(LOOKUP_BATCHES):
        with db.writer.begin() as s:  # writer: an agency's secret may be made on first use
            batch = lookup.pending(s, agency)
        if not batch.size:
            return None
        answer = client.send(batch.body, LOOKUP_PATH)
        if not answer.receipt_id:
            # A department not yet updated has no such address: the summaries still count.
            return None if answer.error and "(404)" in answer.error else answer.error
        with db.writer.begin() as s:
            lookup.acknowledge(s, batch)
    return None


def _run(
    db: Database,
    agency: int,
    now: Callable[[], datetime],
    url: str | None,
    token: str | None,
    force: bool,
    timeout: float,
    secrets: SecretStore,
    tell: _Teller,
) -> PassReport:
    with db.reader.begin() as s:
        config = outbox.read_config(s, agency)
    url = outbox.check_url(url if url is not None else config.url)
    if token is None:
        token = secrets.load(config.token_key) if config.token_key else None
    started = now().replace(microsecond=0)
    added, built = 0, False
    while not built:  # a long history is rebuilt a few weeks per transaction
        with db.writer.begin() as s:
            more, built = outbox.refresh_step(s, started.date(), agency=agency)
            added += more
        tell(final=built)
    with db.writer.begin() as s:
        if not url or not token:
            message = (
                "Chưa có địa chỉ của Sở." if not url else "Chưa có mã truy cập (token) do Sở cấp."
            )
            outbox.record_pass(s, started, online=None, success=False, error=message, agency=agency)
            unsent = outbox.status(s, agency).unsent
            return PassReport(
                ran=False, new_revisions=added, unsent=unsent, message=message, agency=agency
            )
        claimed = outbox.claim(s, started, force=force, agency=agency)
    # Imported here: httpx costs the window ~90 ms of its start for a pass that comes later.
    from desk_app.sync.client import DepartmentClient

    sent: list[Sent] = []
    failed: list[Failed] = []
    online: bool | None = True
    error: str | None = None
    with DepartmentClient(url, token, timeout=timeout) as client:
        if not claimed:
            answer = client.check()
            online, error = not answer.offline, answer.error
        for i, row in enumerate(claimed):
            tell()  # the rows answered so far are committed
            answer = client.send(row.payload)
            moment = now().replace(microsecond=0)
            with db.writer.begin() as s:
                if answer.receipt_id:
                    outbox.acknowledge(s, row.id, answer.receipt_id)
                    sent.append(Sent(row.day, row.revision, answer.receipt_id))
                    continue
                message = answer.error or ""
                rejected = not answer.retry and not answer.conflict
                failed.append(Failed(row.day, row.revision, message, rejected))
                if answer.conflict:
                    outbox.bump_revision(s, row.id, message)
                elif answer.retry:
                    outbox.postpone(s, row.id, message, moment)
                else:
                    outbox.reject(s, row.id, message)
                if answer.offline:
                    # The department cannot be reached: the rest wait as long as this row.
                    online, error = False, message
                    rest = [r.id for r in claimed[i + 1 :]]
                    outbox.release(s, rest, moment + outbox.backoff(row.attempts + 1))
                    break
                error = message
        if online is not False:
            error = error or _send_lookup(db, agency, client)
    finished = now().replace(microsecond=0)
    with db.writer.begin() as s:
        outbox.record_pass(
            s,
            finished,
            online=online,
            success=online is not False and not failed and error is None,
            error=error,
            agency=agency,
        )
        unsent = outbox.status(s, agency).unsent
    return PassReport(
        ran=True,
        new_revisions=added,
        sent=tuple(sent),
        failed=tuple(failed),
        online=online,
        unsent=unsent,
        message=error or "",
        agency=agency,
    )
