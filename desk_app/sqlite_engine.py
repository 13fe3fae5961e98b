"""SQLite engine set-up in one place, for the desk's database and the department's: pragmas on
every connection, explicit BEGIN modes, and the check that a path given as a database holds one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from desk_app.errors import DeskError

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


class DatabaseFileError(DeskError):
    """The path given for a database is none: missing, a folder, a text file, another program's."""

    code = "database_file"


# The revision of a database that SQLite could not read (damaged, locked): the migration step
# runs and meets the real error, as before these checks existed.
UNREADABLE = "?"


def _revision_or_refuse(path: Path) -> str | None:
    """The schema revision stored in the existing file at `path` (None: an empty database).

    Read through SQLite in read-only mode, so a file that is no database is left as it was:
    no -wal or -shm beside it, not a byte changed. Refuses a file that is no SQLite database and
    a database of another program (tables but no Alembic revision); UNREADABLE for other errors.
    """
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            row = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise DatabaseFileError(
                f"{path} không phải là tệp cơ sở dữ liệu của chương trình (không phải SQLite)."
            ) from None
        return UNREADABLE
    if row is None and tables:
        raise DatabaseFileError(
            f"{path} là cơ sở dữ liệu của một chương trình khác, không phải của chương trình này."
        )
    return str(row[0]) if row else None


def check_database_path(path: Path, *, create: bool) -> str | None:
    """Refuse, before SQLite opens anything for writing, a path that holds no database of ours.

    `path` must be resolved. A missing file is refused unless `create` (only `init` and the
    window's first-run wizard create a database; a mistyped --db must not leave an empty one
    behind). Returns the stored schema revision (None for a new or empty database).
    """
    if path.is_dir():
        raise DatabaseFileError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.")
    if not path.exists():
        if not create:
            raise DatabaseFileError(
                f"Không có cơ sở dữ liệu {path}. Kiểm tra lại đường dẫn --db, "
                "hoặc tạo cơ sở dữ liệu mới bằng lệnh init."
            )
        if path.parent.exists() and not path.parent.is_dir():
            raise DatabaseFileError(f"{path.parent} là một tệp, không phải thư mục.")
        return None
    if not path.is_file():
        raise DatabaseFileError(f"{path} không phải là tệp cơ sở dữ liệu.")
    revision = _revision_or_refuse(path)
    if revision is None and not create:
        raise DatabaseFileError(
            f"{path} chưa phải cơ sở dữ liệu của chương trình (tệp trống). "
            "Tạo cơ sở dữ liệu bằng lệnh init."
        )
    return revision
