"""Engine set-up in one place: a solo desk's SQLite file (pragmas on every connection, explicit
BEGIN modes) or a centre's PostgreSQL database (desk_app.pg_engine)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desk_app.pg_engine import is_server_url, pg_engine, redacted

# DatabaseFileError is named here too: callers of open_database catch it from this module.
from desk_app.sqlite_engine import DatabaseFileError as DatabaseFileError
from desk_app.sqlite_engine import check_database_path, sqlite_engine

APP_DIR_NAME = "one-stop-desk"

# Where the database is: an SQLite file's path, or a PostgreSQL URL (a str with "://").
Target = Path | str


def default_data_dir() -> Path:
    """The per-user folder for the database, backups, logs and generated PDFs."""
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


def default_database_path() -> Path:
    return default_data_dir() / "desk.sqlite3"


def sqlite_file(target: Target) -> Path | None:
    """The SQLite file `target` names (None for a server URL)."""
    text = str(target)
    if is_server_url(text):
        return None
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    return Path(text).expanduser().resolve()


def make_engine(target: Target, *, foreign_keys: bool = True) -> Engine:
    """An engine for the desk's database: the SQLite file at `target` or the server it names."""
    if is_server_url(target):
        return pg_engine(str(target))
    return sqlite_engine(f"sqlite:///{sqlite_file(target)}", foreign_keys=foreign_keys)


@dataclass(frozen=True)
class Database:
    """An open desk database: `reader` for look-ups, `writer` for changes (they queue: BEGIN
    IMMEDIATE on SQLite, the writers' advisory lock on PostgreSQL).

    `path` is the SQLite file; None on a server (centre mode), where `url` says which.
    Use one session per user action: `with db.writer.begin() as session: ...`.
    """

    url: str
    path: Path | None
    engine: Engine
    reader: sessionmaker[Session]
    writer: sessionmaker[Session]

    @property
    def is_server(self) -> bool:
        return self.path is None

    @property
    def label(self) -> str:
        """Where the database is, for people: the file's path, or the URL without password."""
        return str(self.path) if self.path is not None else redacted(self.url)

    def local_dir(self) -> Path:
        """The folder for this machine's own files beside the database (drafts, lock files):
        the SQLite file's folder, or the per-user data folder on a server."""
        return self.path.parent if self.path is not None else default_data_dir()

    def dispose(self) -> None:
        self.engine.dispose()


# The newest migration in db/versions (a test checks it against Alembic's head). Knowing it here
# lets an up-to-date database open without loading Alembic and its scripts: a faster start.
SCHEMA_HEAD = "0026"


def open_database(
    target: Target | None = None, *, migrate: bool = True, create: bool = True
) -> Database:
    """Open (migrating when needed) the desk database at `target`: an SQLite file's path (with
    `create`, a missing or empty file becomes a new database) or a PostgreSQL URL (the database
    must exist; an empty one is set up). Raises DatabaseFileError for a path or server database
    that is no desk database (a folder, a text file, another program's database), or a missing
    one without `create`, before anything is written."""
    from desk_app.store.migrate import server_revision, upgrade

    if target is not None and is_server_url(target):
        url = str(target)
        revision = server_revision(url, create=create)
        if migrate and revision != SCHEMA_HEAD:
            upgrade(url)
        engine = pg_engine(url)
        writer_engine = engine.execution_options(pg_writer_lock=True)
        return Database(
            url=url,
            path=None,
            engine=engine,
            reader=sessionmaker(engine, expire_on_commit=False),
            writer=sessionmaker(writer_engine, expire_on_commit=False),
        )
    path = sqlite_file(target) if target is not None else default_database_path().resolve()
    assert path is not None
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
        url=f"sqlite:///{path}",
        path=path,
        engine=engine,
        reader=sessionmaker(engine, expire_on_commit=False),
        writer=sessionmaker(writer_engine, expire_on_commit=False),
    )
