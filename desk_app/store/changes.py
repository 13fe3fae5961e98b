"""Watching the database for writes made elsewhere: another counter, the command line, an import.

One interface, `ChangeFeed`, two ways of hearing:

- `SqliteChangeFeed` (a solo desk): a dedicated connection reads `PRAGMA data_version` a few
  times a second. The number moves whenever another connection has committed; SQLite does not
  say what changed, so each move is reported as "everything may have changed".
- `PgChangeFeed` (centre mode): a dedicated connection does `LISTEN desk_changes`. The triggers
  of migration 0013 send `NOTIFY desk_changes, 'table:ids'` from every committed write to a
  file's rows (or `table:*`), whoever wrote it. Triggers rather than a NOTIFY sent by the window
  after its commits: the command line, imports, sync passes and any other program are heard too,
  and a rolled-back write is never announced.

Both run on a thread of their own and never touch the caller's thread: `start(deliver)` returns
at once and `deliver(notice)` is called on the feed's thread with a `FeedNotice`; the window
(desk_app.ui.dbops.ChangeRelay) carries it over to the GUI thread as a typed `Change`.

Notices a few milliseconds apart are gathered into one (a file's acceptance writes five tables).
The window's own writes are left out: on PostgreSQL by the sending backend's pid (the pids of the
window's own pooled connections are known), on SQLite by the writing connection's own
`data_version`, which tells whether anyone else committed after the window's commit (see
SqliteChangeFeed): a write the runner announces is not announced again, and another process's
write that lands right after it is never lost.

A lost connection (the server restarted, the network dropped, an administrator killed the
backend) is retried with a growing pause (0.5 s doubling to 10 s); once listening again the feed
reports "everything may have changed", since notices sent meanwhile were lost.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, event, select

from desk_app.store.engine import Database
from desk_app.store.models import FileRecord

log = logging.getLogger(__name__)

CHANNEL = "desk_changes"  # the channel of migration 0013's triggers

# What a notice of each table means to the window (kinds of desk_app.ui.bus.Change).
TABLE_KINDS: dict[str, frozenset[str]] = {
    "files": frozenset({"files"}),
    "events": frozenset({"files"}),
    "pauses": frozenset({"files"}),
    "reschedules": frozenset({"files"}),
    "due_history": frozenset({"files"}),
    "postal_items": frozenset({"files"}),
    "printed_slips": frozenset({"slips"}),
    "desk_settings": frozenset({"settings"}),
    "calendar_overrides": frozenset({"calendar"}),
    "procedures": frozenset({"catalog"}),
    # The hall's queue (migration 0022): the counters' waiting counts and groups.
    "tickets": frozenset({"tickets"}),
    "ticket_groups": frozenset({"tickets"}),
}
# Kinds whose notices name files (by ids and codes) when they can.
FILE_KINDS = frozenset({"files", "slips"})
# "Everything may have changed": every kind of data the database holds.
ALL_KINDS = frozenset(
    {
        "files",
        "slips",
        "settings",
        "calendar",
        "catalog",
        "users",
        "sync",
        "sync-settings",
        "tickets",
    }
)

GATHER_S = 0.01  # after a first notice, wait this long for the rest of its burst
MAX_IDS = 200  # more file ids than this in one notice: "many files"
BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 10.0
SQLITE_POLL_S = 0.25
# An own commit not accounted for after this long (its connection was never returned to the
# pool): the poll stops waiting for it and reports what it sees.
OWN_COMMIT_MAX_S = 5.0
PG_WAIT_S = 0.25  # how often the listening thread looks whether it should stop


@dataclass(frozen=True)
class FeedNotice:
    """What another connection changed: kinds of data; for files their ids and codes when
    known (empty: many or unknown). `everything`: notices may have been missed, read all again.
    `heard_at`: time.monotonic() when the first notice of the batch arrived."""

    kinds: frozenset[str]
    ids: frozenset[int] = frozenset()
    codes: frozenset[str] = frozenset()
    everything: bool = False
    heard_at: float = field(default=0.0, compare=False)

    @staticmethod
    def all(heard_at: float) -> FeedNotice:
        return FeedNotice(ALL_KINDS, everything=True, heard_at=heard_at)

    @property
    def names_files(self) -> bool:
        return bool(self.kinds & FILE_KINDS)

    def merged(self, other: FeedNotice) -> FeedNotice:
        """One notice saying what both say: files named only while each notice about files
        names its own (a notice about files without codes means many or unknown ones)."""
        heard_at = min(self.heard_at, other.heard_at)
        if self.everything or other.everything:
            return FeedNotice.all(heard_at)
        about_files = [n for n in (self, other) if n.names_files]
        named = all(n.codes for n in about_files)
        return FeedNotice(
            self.kinds | other.kinds,
            frozenset().union(*(n.ids for n in about_files)) if named else frozenset(),
            frozenset().union(*(n.codes for n in about_files)) if named else frozenset(),
            heard_at=heard_at,
        )


Deliver = Callable[[FeedNotice], None]


class ChangeFeed(ABC):
    """A thread that hears other connections' commits and calls `deliver` for each batch."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._deliver: Deliver | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Set while the feed hears nothing: between a lost connection and the next one.
        self.connected = threading.Event()

    def start(self, deliver: Deliver) -> None:
        """Start listening on the feed's own thread; returns at once."""
        if self._thread is not None:
            return
        self._deliver = deliver
        self._stop.clear()
        self._thread = threading.Thread(target=self._main, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, wait_s: float = 2.0) -> None:
        """Stop listening (waits up to `wait_s` for the thread to end)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(wait_s)

    def check(self) -> None:
        """Called on the writer's thread inside the window's own write transaction, before its
        commit: report what others committed before it. A no-op where the feed tells writers
        apart by itself."""
        return None

    def absorb(self) -> None:
        """Called on the writer's thread right after the window's own commit: that commit is
        not news. A no-op where the feed tells writers apart by itself."""
        return None

    @contextlib.contextmanager
    def own_writes(self) -> Iterator[None]:
        """Every commit made on this thread meanwhile is the window's own, announced by its
        runner once the work is done: work that commits in steps (DbOps.write_steps). Others'
        commits between the steps are still news. Nothing to do where the feed tells writers
        apart by itself."""
        yield

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    thread_name = "desk-changes"

    @abstractmethod
    def _main(self) -> None: ...

    def _tell(self, notice: FeedNotice) -> None:
        deliver = self._deliver
        if deliver is None or self._stop.is_set():
            return
        try:
            deliver(notice)
        except Exception:  # a broken receiver must not end the feed
            log.exception("change notice not delivered")

    def _pause(self, seconds: float) -> bool:
        """Sleep unless told to stop; True when told to stop."""
        return self._stop.wait(seconds)


def open_feed(db: Database) -> ChangeFeed:
    """The feed for `db`'s engine: LISTEN/NOTIFY on a server, data_version polling on a file."""
    return PgChangeFeed(db) if db.is_server else SqliteChangeFeed(db)


class SqliteChangeFeed(ChangeFeed):
    """`PRAGMA data_version` on a dedicated connection, read every SQLITE_POLL_S.

    The number moves when any other connection has committed, the window's own pooled ones
    included, and says nothing of who. The window's own writes are told apart by the one
    connection that knows: the writing one, whose own `data_version` moves only for commits
    by others. The runner calls `check()` inside its write transaction (SQLite's write lock
    held): what the feed sees moved since its last look is news, reported now, and the
    thread's next commit is marked as the window's own. Just before that commit (the engine's
    `commit` event) the writing connection's number is read; when the connection goes back
    to the pool (its `checkin` event, on the same thread, before anyone else can use it) the
    feed reads its own number, then the writing connection's again. Unchanged: nobody
    committed between the window's commit and the feed's reading, so what the feed sees is
    that commit alone, which the runner announces; it is adopted without a word. Changed:
    another process committed meanwhile, and everything is reported. Meanwhile the poll
    leaves the number alone, so it never reports the window's own commit either. `absorb()`
    (after the commit) only clears the thread's mark. Inside `own_writes()` every commit of the
    thread is marked so, each first reporting what others committed before it.
    """

    thread_name = "desk-changes-sqlite"

    def __init__(self, db: Database, poll_s: float = SQLITE_POLL_S) -> None:
        super().__init__(db)
        assert db.path is not None
        self.poll_s = poll_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._local = threading.local()  # .own: this thread's next commit is the window's
        # Own commits under way: id(writing connection) -> (it, its data_version before the
        # commit, time.monotonic() then). Guarded by _lock.
        self._own: dict[int, tuple[Any, int, float]] = {}
        self._engine_listeners: list[tuple[Any, str, Callable[..., None]]] = []

    def start(self, deliver: Deliver) -> None:
        if not self._engine_listeners:
            engine = self.db.engine
            self._engine_listeners = [
                (engine, "commit", self._on_engine_commit),
                (engine, "checkin", self._on_engine_checkin),
            ]
            for target, name, fn in self._engine_listeners:
                event.listen(target, name, fn)
        super().start(deliver)

    def stop(self, wait_s: float = 2.0) -> None:
        super().stop(wait_s)
        for target, name, fn in self._engine_listeners:
            with contextlib.suppress(Exception):
                event.remove(target, name, fn)
        self._engine_listeners = []
        with self._lock:
            self._own.clear()

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: a file deleted meanwhile is an error, not a new empty database.
        uri = f"{self.db.path.as_uri()}?mode=rw" if self.db.path else ""
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=1.0)
        return conn

    def _read(self) -> int:
        """data_version on the dedicated connection (connecting when needed); caller locks."""
        if self._conn is None:
            self._conn = self._connect()
        return _data_version(self._conn)

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def check(self) -> None:
        """Report a change made elsewhere since the last look, now; called by the window's
        writer inside its transaction, it also marks the thread's next commit as its own."""
        self._local.own = True
        with self._lock:
            try:
                version = self._read()
            except sqlite3.Error:
                self._close()
                return  # the poller reconnects and reports everything
            changed = self._version is not None and version != self._version
            self._version = version
        if changed:
            self._tell(FeedNotice.all(time.monotonic()))

    def absorb(self) -> None:
        """After the window's commit: it was accounted for when its connection went back to
        the pool; only the thread's mark is left to clear."""
        self._local.own = False

    @contextlib.contextmanager
    def own_writes(self) -> Iterator[None]:
        self._local.steps = True
        try:
            yield
        finally:
            self._local.steps = False

    def _on_engine_commit(self, conn: Connection) -> None:
        """Just before a commit on the window's engine (the committing thread, write lock
        held): for the window's own write, what others committed before it is news (as in
        `check`), and its connection's number before it is kept."""
        if not (getattr(self._local, "own", False) or getattr(self._local, "steps", False)):
            return
        self._local.own = False
        try:
            raw = conn.connection.dbapi_connection
            before = _data_version(raw)
        except (sqlite3.Error, AttributeError):
            return  # not followed: the poll reports the commit as news, which is safe
        with self._lock:
            try:
                version = self._read()
            except sqlite3.Error:
                self._close()
                return  # the poller reconnects and reports everything
            changed = self._version is not None and version != self._version
            self._version = version
            self._own[id(raw)] = (raw, before, time.monotonic())
        if changed:
            self._tell(FeedNotice.all(time.monotonic()))

    def _on_engine_checkin(self, dbapi_conn: Any, _record: Any) -> None:
        """The connection of an own commit goes back to the pool: was the commit alone?"""
        with self._lock:
            entry = self._own.get(id(dbapi_conn))
            if entry is None or entry[0] is not dbapi_conn:
                return
            del self._own[id(dbapi_conn)]
            try:
                version = self._read()  # first the feed's number, then the writer's
            except sqlite3.Error:
                self._close()
                return  # the poller reconnects and reports everything
            try:
                alone = _data_version(dbapi_conn) == entry[1]
            except sqlite3.Error:
                alone = False
            self._version = version
        if not alone:
            self._tell(FeedNotice.all(time.monotonic()))

    def _waiting_for_own(self) -> bool:
        """An own commit is under way (caller locks): its connection's return decides."""
        if not self._own:
            return False
        now = time.monotonic()
        for key, (_raw, _before, since) in list(self._own.items()):
            if now - since > OWN_COMMIT_MAX_S:
                log.warning("change feed: an own commit was not followed; reading on")
                del self._own[key]
        return bool(self._own)

    def _main(self) -> None:
        backoff = BACKOFF_FIRST_S
        lost = False
        while not self._stop.is_set():
            changed = False
            with self._lock:
                try:
                    version = self._read()
                except sqlite3.Error as exc:
                    self._close()
                    self.connected.clear()
                    if not lost:
                        log.warning("change feed: cannot read the database: %s", exc)
                    lost = True
                    version = None
                if version is not None:
                    if not self._waiting_for_own() or self._version is None:
                        changed = self._version is not None and version != self._version
                        self._version = version
                    self.connected.set()
            if version is None:
                if self._pause(backoff):
                    break
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            if lost:
                lost, backoff = False, BACKOFF_FIRST_S
                self._tell(FeedNotice.all(time.monotonic()))
            elif changed:
                self._tell(FeedNotice.all(time.monotonic()))
            if self._pause(self.poll_s):
                break
        with self._lock:
            self._close()
        self.connected.clear()


def _data_version(conn: Any) -> int:
    """SQLite's data_version on `conn`: it moves when another connection has committed."""
    row = conn.execute("PRAGMA data_version").fetchone()
    return int(row[0])


class PgChangeFeed(ChangeFeed):
    """LISTEN on a dedicated autocommit connection (not the pool's: it stays open for the
    session), with TCP keepalives so a dead network is noticed within half a minute."""

    thread_name = "desk-changes-pg"

    def __init__(self, db: Database, *, ignore_own: bool = True) -> None:
        super().__init__(db)
        self._own_pids: set[int] = set()
        self._pid_lock = threading.Lock()
        self._listener_pid: int | None = None
        self._ignore_own = ignore_own
        self._pool_listeners: list[tuple[str, Callable[..., None]]] = []

    def start(self, deliver: Deliver) -> None:
        if self._ignore_own and not self._pool_listeners:
            self._watch_pool(self.db.engine)
        super().start(deliver)

    def stop(self, wait_s: float = 2.0) -> None:
        super().stop(wait_s)
        for name, fn in self._pool_listeners:
            with contextlib.suppress(Exception):
                event.remove(self.db.engine, name, fn)
        self._pool_listeners = []

    @property
    def listener_pid(self) -> int | None:
        """The server pid of the listening connection (None while not connected)."""
        return self._listener_pid

    def _watch_pool(self, engine: Engine) -> None:
        """Remember the server pids of the window's own connections: their notices are the
        window's own writes, which its runner has announced already."""

        def checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            pid = _backend_pid(dbapi_conn)
            if pid is not None:
                with self._pid_lock:
                    self._own_pids.add(pid)

        def closed(dbapi_conn: Any, _record: Any = None) -> None:
            pid = _backend_pid(dbapi_conn)
            if pid is not None:
                with self._pid_lock:
                    self._own_pids.discard(pid)

        self._pool_listeners = [
            ("checkout", checkout),
            ("close", closed),
            ("close_detached", closed),
        ]
        for name, fn in self._pool_listeners:
            event.listen(engine, name, fn)

    def _is_own(self, pid: int) -> bool:
        with self._pid_lock:
            return pid in self._own_pids

    def _connect(self) -> Any:
        import psycopg

        engine = self.db.engine
        _args, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)
        conn = psycopg.connect(
            **params,
            autocommit=True,
            connect_timeout=5,
            application_name="one-stop-desk changes",
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _main(self) -> None:
        import psycopg

        backoff = BACKOFF_FIRST_S
        missed = False  # a connection was lost (or never made): notices may have gone by
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except psycopg.Error as exc:
                log.warning("change feed: cannot listen on the server: %s", exc)
                missed = True
                if self._pause(backoff):
                    break
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_FIRST_S
            self._listener_pid = conn.info.backend_pid
            self.connected.set()
            if missed:
                missed = False
                self._tell(FeedNotice.all(time.monotonic()))
            try:
                self._listen(conn)
            except psycopg.Error as exc:
                log.warning("change feed: connection lost: %s", exc)
                missed = True
            finally:
                self.connected.clear()
                self._listener_pid = None
                with contextlib.suppress(Exception):
                    conn.close()

    def _listen(self, conn: Any) -> None:
        while not self._stop.is_set():
            first = list(conn.notifies(timeout=PG_WAIT_S, stop_after=1))
            if not first:
                continue
            heard_at = time.monotonic()
            batch = first + list(conn.notifies(timeout=GATHER_S))
            notice = self._notice(((n.pid, n.payload) for n in batch), heard_at)
            if notice is not None:
                self._tell(notice)

    def _notice(self, items: Iterable[tuple[int, str]], heard_at: float) -> FeedNotice | None:
        """One notice for a batch of (pid, payload), or None when all were the window's own."""
        kinds: set[str] = set()
        ids: set[int] = set()
        many = False
        for pid, payload in items:
            if self._is_own(pid):
                continue
            table, _, rest = payload.partition(":")
            table_kinds = TABLE_KINDS.get(table)
            if table_kinds is None:
                continue
            kinds |= table_kinds
            if table_kinds & FILE_KINDS:
                if rest == "*" or not rest:
                    many = True
                else:
                    ids.update(int(x) for x in rest.split(",") if x.isdigit())
        if not kinds:
            return None
        if many or len(ids) > MAX_IDS:
            return FeedNotice(frozenset(kinds), heard_at=heard_at)
        return FeedNotice(frozenset(kinds), frozenset(ids), self._codes(ids), heard_at=heard_at)

    def _codes(self, ids: set[int]) -> frozenset[str]:
        """The codes of files `ids` (empty when they cannot be read: the notice then names
        many files, and every view refreshes)."""
        if not ids:
            return frozenset()
        try:
            with self.db.reader.begin() as s:
                found = s.execute(
                    select(FileRecord.id, FileRecord.code).where(FileRecord.id.in_(ids))
                ).all()
        except Exception as exc:
            log.warning("change feed: cannot read the changed files' codes: %s", exc)
            return frozenset()
        if len(found) != len(ids):  # a file gone (an import rolled back): say "many"
            return frozenset()
        return frozenset(code for _id, code in found)


def _backend_pid(dbapi_conn: Any) -> int | None:
    info = getattr(dbapi_conn, "info", None)
    pid = getattr(info, "backend_pid", None)
    return pid if isinstance(pid, int) else None
