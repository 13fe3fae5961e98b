"""The department's schema comes from its own Alembic scripts and equals its models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from desk_app.department.db import open_department_db, upgrade
from desk_app.department.models import Base


def test_the_migrated_schema_equals_the_models_and_opening_again_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "department.sqlite3"
    open_department_db(path).dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == "d0003"
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(conn).get_table_names())
    assert tables == {
        "alembic_version",
        "desks",
        "day_summaries",
        "current_days",
        "summary_rows",
        "audit_log",
        "lookup_rows",
    }
    db = open_department_db(path)
    with db.writer.begin() as s:
        from desk_app.department.service import add_desk

        add_desk(s, "Một cửa")
    db.dispose()
    upgrade(path)  # at the head already: nothing to do, nothing lost
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM desks").scalars().all() == ["Một cửa"]
    engine.dispose()


def test_desks_registered_before_d0002_keep_working_even_when_their_names_look_alike(
    tmp_path: Path,
) -> None:
    from desk_app.department.service import authenticate, hash_token

    path = tmp_path / "department.sqlite3"
    upgrade(path, "d0001")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for name, token in (("Một cửa A", "t1"), ("MỘT  CỬA a", "t2")):
            conn.exec_driver_sql(
                "INSERT INTO desks (name, role, token_hash, created_at, last_software, "
                "agency_id, agency_name, unit_name) VALUES (?, 'desk', ?, '2026-01-01', '', '', "
                "'', '')",
                (name, hash_token(token)),
            )
    engine.dispose()
    db = open_department_db(path)
    try:
        with db.reader.begin() as s:
            found = [authenticate(s, t) for t in ("t1", "t2")]
        assert [p.name for p in found if p] == ["Một cửa A", "MỘT  CỬA a"]
        with db.engine.connect() as conn:
            keys = conn.exec_driver_sql("SELECT name_key FROM desks ORDER BY id").scalars().all()
        assert keys == ["một cửa a", "một cửa a#2"]
    finally:
        db.dispose()
