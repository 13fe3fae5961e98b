"""Schema migrations on start: Alembic upgrade with foreign-key enforcement off."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from desk_app.errors import ConfigurationError
from desk_app.pg_engine import is_server_url, redacted
from desk_app.resources import program_root
from desk_app.sqlite_engine import DatabaseFileError
from desk_app.store.engine import Target, make_engine

MIGRATION_LOCK_KEY = 0x6D696772  # "migr": one migrating program at a time on a server
# What an officer or the centre's administrator can do when the server does not answer.
UNREACHABLE_ADVICE = (
    "Hãy kiểm tra máy chủ của trung tâm đã bật, máy này nối mạng tới máy chủ, và địa chỉ, cổng, "
    "tên cơ sở dữ liệu, tên người dùng, mật khẩu đã đúng (hỏi người quản trị máy chủ), rồi thử lại"
)


def migrations_dir() -> Path:
    """The `db/` folder of Alembic scripts, in the source tree or a PyInstaller bundle."""
    return program_root() / "db"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(target: Target) -> str | None:
    engine = make_engine(target, foreign_keys=False)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


class ServerUnreachableError(DatabaseFileError):
    """The centre's server did not answer (or refused the login): the window offers to retry."""

    code = "server_unreachable"


def server_revision(url: str, *, create: bool) -> str | None:
    """The schema revision of the PostgreSQL database at `url` (None: an empty database).

    Refuses, before anything is written, a server that cannot be reached, a database of another
    program (tables but no revision), and an empty one without `create`."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise ServerUnreachableError(
            f"Không kết nối được máy chủ cơ sở dữ liệu {redacted(url)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}. {UNREACHABLE_ADVICE}."
        ) from None
    finally:
        engine.dispose()
    if revision is None and tables - {"alembic_version"}:
        raise DatabaseFileError(
            f"{redacted(url)} là cơ sở dữ liệu của một chương trình khác, không phải của "
            "chương trình này."
        )
    if revision is None and not create:
        raise DatabaseFileError(
            f"{redacted(url)} chưa phải cơ sở dữ liệu của chương trình (trống). "
            "Tạo cơ sở dữ liệu bằng lệnh init."
        )
    return revision


class NewerSchemaError(ConfigurationError):
    """The database was written by a newer version of the program (a revision we do not know)."""

    code = "newer_schema"


def _refuse_unknown_revision(target: Target, current: str | None) -> None:
    """Refuse, before anything is written, a database whose schema this program cannot know:
    Alembic would fail half-way with a traceback, and downgrading is not ours to decide."""
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if current not in {r.revision for r in script.walk_revisions()}:
        raise NewerSchemaError(
            f"Cơ sở dữ liệu {_name(target)} do một phiên bản mới hơn của chương trình tạo ra "
            f"(lược đồ {current}); hãy cài phiên bản mới hơn để mở nó. "
            "Cơ sở dữ liệu không bị thay đổi."
        )


def _name(target: Target) -> str:
    return redacted(str(target)) if is_server_url(target) else Path(target).name


def upgrade(target: Target, revision: str = "head") -> None:
    """Bring the database at `target` (an SQLite file or a PostgreSQL URL) to `revision`.

    Foreign keys are off while migrating on SQLite: a batch migration copies and drops tables,
    and with enforcement on that drop silently cascades into child rows. On PostgreSQL the whole
    upgrade is one transaction (its DDL is transactional): a failed step leaves nothing half-done.
    """
    current = current_revision(target)
    if current == head_revision() and revision == "head":
        return
    _refuse_unknown_revision(target, current)
    engine = make_engine(target, foreign_keys=False)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two counters starting the new version at once: the second waits, then finds
                # the schema at its revision and does nothing.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        if is_server_url(target):
            return
        with engine.connect() as conn:
            problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise ConfigurationError(
                    f"Cơ sở dữ liệu có {len(problems)} liên kết hỏng sau khi nâng cấp."
                )
    finally:
        engine.dispose()
