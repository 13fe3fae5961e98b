"""Opening the department's database: an SQLAlchemy URL or a file path, migrated on open
(Alembic scripts in db/department/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk_app.sqlite_engine import check_database_path, sqlite_engine

APP_DIR_NAME = "one-stop-desk"


def default_database_path() -> Path:
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False)) / "department.sqlite3"


def database_url(value: str | Path | None) -> str:
    """An SQLAlchemy URL for `value`: a URL as it is, a plain path as an SQLite file."""
    if value is None:
        value = default_database_path()
    text = str(value)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class DepartmentDb:
    """An open department database: `reader` for look-ups, `writer` for changes.

    On SQLite the writer begins with BEGIN IMMEDIATE so that two desks posting at once queue
    on the write lock instead of failing when a read transaction tries to become a writer.
    """

    url: str
    engine: Engine
    reader: sessionmaker[Session]
    writer: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def open_department_db(value: str | Path | None = None) -> DepartmentDb:
    """Open the database at `value` (URL or path; None: the per-user default), migrated to the
    newest schema."""
    url = database_url(value)
    parsed = make_url(url)
    writer_engine: Engine
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # A folder or a text file given as --db: one line, and the file left as it was.
            check_database_path(Path(parsed.database), create=True)
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine(url)
        writer_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        writer_engine = engine
    upgrade(url)
    return DepartmentDb(
        url=url,
        engine=engine,
        reader=sessionmaker(engine, expire_on_commit=False),
        writer=sessionmaker(writer_engine, expire_on_commit=False),
    )


def migrations_dir() -> Path:
    """The department's Alembic scripts, in the source tree or a PyInstaller bundle."""
    from desk_app.resources import program_root

    return program_root() / "db" / "department"


def upgrade(value: str | Path | None = None, revision: str = "head") -> None:
    """Bring the database at `value` to `revision`. On SQLite foreign keys are off meanwhile: a
    batch migration copies and drops tables, and with enforcement on the drop would take the
    child rows along."""
    from alembic import command
    from alembic.config import Config

    url = database_url(value)
    sqlite = make_url(url).get_backend_name() == "sqlite"
    engine = sqlite_engine(url, foreign_keys=False) if sqlite else create_engine(url)
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(migrations_dir()))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()
