"""Engine set-up in one place: SQLite pragmas on every connection, explicit BEGIN modes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

# DatabaseFileError is named here too: callers of open_database catch it from this module.
from desk_app.sqlite_engine import DatabaseFileError as DatabaseFileError
from desk_app.sqlite_engine import check_database_path, sqlite_engine

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
SCHEMA_HEAD = "0012"


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
