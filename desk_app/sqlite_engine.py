"""SQLite engine set-up in one place, for the desk's database and the department's: pragmas on
every connection and explicit BEGIN modes."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 15_000


def sqlite_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for the SQLite database at `url` with WAL, synchronous=FULL and a busy timeout.

    Transactions are begun by us, not by the sqlite3 module, so a writer can say
    BEGIN IMMEDIATE (execution option `sqlite_begin`): it takes the write lock before reading,
    which is what keeps two writers from reading the same next number.
    """
    # hide_parameters: an error's text never carries the values bound to its statement (an
    # applicant's name, identity number, phone and address would otherwise reach desk.log).
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
