"""PostgreSQL engine set-up in one place (centre mode): the counterpart of sqlite_engine.

SQLite serialises writers with BEGIN IMMEDIATE. On PostgreSQL a writer's transaction first takes
a transaction-scoped advisory lock (execution option `pg_writer_lock`), so the services' rule
"read, decide, write" holds as on SQLite: two counters never read the same state and both act
on it. The counters for codes and numbers are rows taken with INSERT … ON CONFLICT … RETURNING,
which holds the row's lock until commit, so numbers stay gap-free and unique either way.
A wait longer than the busy timeout fails with PostgreSQL's lock_not_available, which
store.busy turns into the same "database busy" message as SQLite's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url

from desk_app.sqlite_engine import BUSY_TIMEOUT_MS

# The advisory lock key of the desk's writers (any 64-bit number the program alone uses).
WRITER_LOCK_KEY = 0x6465736B  # "desk"
CONNECT_TIMEOUT_S = 5


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
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("pg_writer_lock"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")

    return engine


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
