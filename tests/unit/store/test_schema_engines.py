"""The schema the migrations build equals the models on each engine (SQLite and PostgreSQL).

What the models cannot express, and so is left out of the comparison on purpose:
- SQLite: the FTS5 virtual table `applicants_fts` and its shadow tables (raw SQL in 0001);
- PostgreSQL: the trigram index `ix_applicants_name_trgm` (a GIN index with pg_trgm's operator
  class, raw SQL in 0001) and `ix_files_agency_received` (a centre's name search, 0026: on
  PostgreSQL only, which no model index can say);
- on both: triggers and trigger functions (append-only tables, sync marks, change notices),
  which Alembic's comparison does not look at; tests/unit/services/test_append_only.py (run
  on both engines) holds the append-only ones to their work instead.
"""

from __future__ import annotations

import re
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, text

from desk_app.store.engine import Database
from desk_app.store.models import Base

# Objects of the migrated schema that no model describes (see the module's docstring).
NOT_IN_MODELS = {
    "sqlite": re.compile(r"^applicants_fts"),
    "postgresql": re.compile(r"^(ix_applicants_name_trgm|ix_files_agency_received)$"),
}


def _default_text(value: Any) -> str | None:
    """A column default as comparable text: no cast (PostgreSQL's `''::character varying`), no
    quotes or parentheses, a boolean as 0/1 (the models say "0", PostgreSQL says false)."""
    if value is None:
        return None
    text_ = str(getattr(value, "arg", value))
    text_ = re.sub(r"::[a-z ]+$", "", text_.strip())
    text_ = text_.strip("()")
    if len(text_) >= 2 and text_[0] == text_[-1] == "'":
        text_ = text_[1:-1].replace("''", "'")
    return {"false": "0", "true": "1"}.get(text_.lower(), text_)


def _defaults_differ(
    _context: MigrationContext,
    _inspected: Column[Any],
    metadata_column: Column[Any],
    inspected_default: str | None,
    metadata_default: Any,
    _rendered: str | None,
) -> bool:
    # Alembic's own comparison on PostgreSQL calls every `server_default=""` different from the
    # `''::character varying` it reads back; compare the values themselves instead.
    return _default_text(inspected_default) != _default_text(metadata_default)


def _differences(db: Database) -> list[Any]:
    dialect = db.engine.dialect.name
    hidden = NOT_IN_MODELS[dialect]
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": _defaults_differ,
                "include_name": lambda name, _kind, _parent: not hidden.match(str(name)),
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_the_migrated_schema_equals_the_models(empty_db: Database) -> None:
    assert _differences(empty_db) == []


def test_the_comparison_sees_a_column_the_migrations_lack(empty_db: Database) -> None:
    # The comparison above could pass by looking at nothing: a column and an index added behind
    # Alembic's back must show up (and the default texts are held by the test below).
    with empty_db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE users ADD COLUMN stray INTEGER"))
        conn.execute(text("CREATE INDEX ix_stray ON users (stray)"))
    found = {(d[0], d[-1].name) if isinstance(d, tuple) else None for d in _differences(empty_db)}
    assert ("remove_index", "ix_stray") in found
    assert any(
        isinstance(d, tuple) and d[0] == "remove_column" and d[-1].name == "stray"
        for d in _differences(empty_db)
    )


def test_default_texts_of_both_engines_compare_by_value() -> None:
    assert _default_text("''::character varying") == _default_text("") == ""
    assert _default_text("'BỘ PHẬN MỘT CỬA'::character varying") == "BỘ PHẬN MỘT CỬA"
    assert _default_text("'BỘ PHẬN MỘT CỬA'") == "BỘ PHẬN MỘT CỬA"
    assert _default_text("false") == _default_text("0") == _default_text("'0'") == "0"
    assert _default_text("'07:00-11:30'") != _default_text("'07:00-11:00'::character varying")
    assert _default_text(None) is None
