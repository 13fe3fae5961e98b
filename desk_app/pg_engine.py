"""PostgreSQL engine set-up in one place (centre mode): the counterpart of sqlite_engine.

SQLite serialises writers with BEGIN IMMEDIATE. On PostgreSQL a writer's transaction first takes
a transaction-scoped advisory lock (execution option `pg_writer_lock`), before its first
statement, so the services' rule "read, decide, write" holds as on SQLite: two counters never
read the same state and both act on it. A use case that reads a lot before it writes and checks
again what it read (accepting a file: services/intake.py) may ask for the lock later
(`defer_writer_lock`, then `take_writer_lock`), so that twenty counters do not queue for the
Python work of validating a form and computing a due. The counters for codes and numbers are
rows taken with INSERT … ON CONFLICT … RETURNING, which holds the row's lock until commit, so
numbers stay gap-free and unique either way. A wait longer than the busy timeout fails with
PostgreSQL's lock_not_available, which store.busy turns into the same "database busy" message
as SQLite's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session

from desk_app.sqlite_engine import BUSY_TIMEOUT_MS

# The advisory lock key of the desk's writers (any 64-bit number the program alone uses).
WRITER_LOCK_KEY = 0x6465736B  # "desk"
CONNECT_TIMEOUT_S = 5
_LOCK_SQL = f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})"
# The writers' lock of a connection's transaction, in the connection's info: asked for (taken
# before the first statement), deferred (taken by take_writer_lock), or held.
_LOCK_STATE = "desk_writer_lock"
_PENDING, _DEFERRED, _HELD = "pending", "deferred", "held"


def is_server_url(value: object) -> bool:
    """True for a PostgreSQL URL (centre mode), False for a path or an SQLite URL."""
    text = str(value)
    if "://" not in text:
        return False
    return make_url(text).get_backend_name() == "postgresql"


def pg_engine(url: str) -> Engine:
    """An engine for the PostgreSQL database at `url`."""
    engine = create_engine(
        url,
        hide_parameters=True,  # as on SQLite: an error's text never carries an applicant's data
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=4,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "one-stop-desk",
            # jit=off: PostgreSQL's JIT spent about a second compiling the statistics queries
            # before running them (a quarter on 200,000 files: 1.1–1.35 s with it, 0.22–0.35 s
            # without; make bench).
            "options": f"-c lock_timeout={BUSY_TIMEOUT_MS} -c timezone=UTC -c jit=off",
        },
    )

    event.listen(engine, "handle_error", _terse_error)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writer = conn.get_execution_options().get("pg_writer_lock")
        conn.info[_LOCK_STATE] = _PENDING if writer else None

    @event.listens_for(engine, "before_cursor_execute")
    def _before_statement(conn: Connection, cursor: Any, *args: Any) -> None:
        if conn.info.get(_LOCK_STATE) == _PENDING:
            conn.info[_LOCK_STATE] = _HELD
            cursor.execute(_LOCK_SQL)  # on the statement's own cursor, as SQLAlchemy's docs do

    return engine


def defer_writer_lock(session: Session) -> bool:
    """Let `session`'s writer transaction read without the writers' lock until
    `take_writer_lock`. True when deferred; False when the lock is already held (the session ran
    statements before) or there is no such lock (a reader; SQLite, whose writer began with
    BEGIN IMMEDIATE and holds its lock already)."""
    info = session.connection().info
    if info.get(_LOCK_STATE) != _PENDING:
        return False
    info[_LOCK_STATE] = _DEFERRED
    return True


def take_writer_lock(session: Session) -> None:
    """Take the writers' lock that `defer_writer_lock` put off (waiting for it as any writer
    does); nothing when it is held already or there is none."""
    conn = session.connection()
    if conn.info.get(_LOCK_STATE) == _DEFERRED:
        conn.info[_LOCK_STATE] = _HELD
        conn.exec_driver_sql(_LOCK_SQL)


def _terse_error(context: ExceptionContext) -> None:
    """A server error's text without its DETAIL lines: PostgreSQL puts the row's values there
    ("Key (name)=(…) already exists", "Failing row contains (…)"), and an error's text goes to
    the log and the screen, where SQLite's never carries an applicant's data (hide_parameters
    covers only what the program sent). The details stay on the error's `diag`."""
    orig = context.original_exception
    diag = getattr(orig, "diag", None)  # psycopg's errors (psycopg itself is not loaded here)
    primary = getattr(diag, "message_primary", None)
    if not primary:  # no server message (e.g. a connection that failed): the text is libpq's
        return
    orig.args = (primary,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        kind = type(orig)
        wrapped.args = (f"({kind.__module__}.{kind.__name__}) {primary}",)


def redacted(url: str) -> str:
    """`url` with its password hidden, for the status bar, messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
