"""Engine set-up in one place: SQLite pragmas on every connection, explicit BEGIN modes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desk_app.errors import DeskError
from desk_app.sqlite_engine import BUSY_TIMEOUT_MS, sqlite_engine

APP_DIR_NAME = "one-stop-desk"


def default_data_dir() -> Path:
    """The per-user folder for the database, backups, logs and generated PDFs."""
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


def default_database_path() -> Path:
    return default_data_dir() / "desk.sqlite3"


def make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    """An engine for the desk's SQLite file at `path` (see desk_app.sqlite_engine)."""
    return sqlite_engine(f"sqlite:///{path}", foreign_keys=foreign_keys)


@dataclass(frozen=True)
class Database:
    """An open desk database: `reader` for look-ups, `writer` for changes (BEGIN IMMEDIATE).

    Use one session per user action: `with db.writer.begin() as session: ...`.
    """

    path: Path
    engine: Engine
    reader: sessionmaker[Session]
    writer: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


# The newest migration in db/versions (a test checks it against Alembic's head). Knowing it here
# lets an up-to-date database open without loading Alembic and its scripts: a faster start.
SCHEMA_HEAD = "0007"


class DatabaseFileError(DeskError):
    """The path given for the database is not a desk database: missing, a folder, another file."""

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
            f"{path} là cơ sở dữ liệu của một chương trình khác, không phải của Bộ phận Một cửa."
        )
    return str(row[0]) if row else None


def check_database_path(path: Path, *, create: bool) -> str | None:
    """Refuse, before SQLite opens anything for writing, a path that is no desk database.

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


def open_database(
    path: Path | None = None, *, migrate: bool = True, create: bool = True
) -> Database:
    """Open (migrating when needed) the desk database at `path`; with `create`, a missing or
    empty file becomes a new database. Raises DatabaseFileError for a path that is no desk
    database (a folder, a text file, another program's database), or a missing one without
    `create`, before anything is written."""
    from desk_app.store.migrate import upgrade

    path = (path or default_database_path()).expanduser().resolve()
    revision = check_database_path(path, create=create)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseFileError(
            f"Không tạo được thư mục {path.parent}: {exc.strerror or exc}."
        ) from None
    if migrate and revision != SCHEMA_HEAD:
        upgrade(path)
    engine = make_engine(path)
    writer_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    return Database(
        path=path,
        engine=engine,
        reader=sessionmaker(engine, expire_on_commit=False),
        writer=sessionmaker(writer_engine, expire_on_commit=False),
    )
