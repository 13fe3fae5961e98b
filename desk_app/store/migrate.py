"""Schema migrations on start: Alembic upgrade with foreign-key enforcement off."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from desk_app.errors import ConfigurationError
from desk_app.resources import program_root
from desk_app.store.engine import make_engine


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


def current_revision(path: Path) -> str | None:
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


class NewerSchemaError(ConfigurationError):
    """The database was written by a newer version of the program (a revision we do not know)."""

    code = "newer_schema"


def _refuse_unknown_revision(path: Path, current: str | None) -> None:
    """Refuse, before anything is written, a database whose schema this program cannot know:
    Alembic would fail half-way with a traceback, and downgrading is not ours to decide."""
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if current not in {r.revision for r in script.walk_revisions()}:
        raise NewerSchemaError(
            f"Cơ sở dữ liệu {path.name} do một phiên bản mới hơn của chương trình tạo ra (lược đồ "
            f"{current}); hãy cài phiên bản mới hơn để mở nó. Cơ sở dữ liệu không bị thay đổi."
        )


def upgrade(path: Path, revision: str = "head") -> None:
    """Bring the database at `path` to `revision`.

    Foreign keys are off while migrating: a batch migration on SQLite copies and drops tables,
    and with enforcement on that drop silently cascades into child rows.
    """
    current = current_revision(path)
    if current == head_revision() and revision == "head":
        return
    _refuse_unknown_revision(path, current)
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise ConfigurationError(
                    f"Cơ sở dữ liệu có {len(problems)} liên kết hỏng sau khi nâng cấp."
                )
    finally:
        engine.dispose()
