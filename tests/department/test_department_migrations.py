"""The department's schema comes from its own Alembic scripts and equals its models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from desk_app.department.db import open_department_db, upgrade
from desk_app.department.models import Base
from desk_app.sync.protocol import COUNT_KEYS


def test_the_migrated_schema_equals_the_models_and_opening_again_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "department.sqlite3"
    open_department_db(path).dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == "d0004"
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


def test_d0004_keeps_the_rows_received_before_with_no_ratings(tmp_path: Path) -> None:
    path = tmp_path / "department.sqlite3"
    upgrade(path, "d0003")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO desks (id, name, name_key, role, token_hash, created_at, last_software, "
            "agency_id, agency_name, unit_name) VALUES (1, 'A', 'a', 'desk', 'h', '2026-01-01', "
            "'', '', '', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO day_summaries (id, desk_id, day, revision, receipt_id, content_hash, "
            "received_at) VALUES (1, 1, '2026-03-02', 1, 'r1', 'x', '2026-03-02 10:00:00')"
        )
        counts = ", ".join(COUNT_KEYS)
        conn.exec_driver_sql(
            f"INSERT INTO summary_rows (summary_id, procedure, name, field, {counts}) "
            f"VALUES (1, '1.001029', 'Karaoke', 'Văn hóa', {', '.join(['2'] * len(COUNT_KEYS))})"
        )
    upgrade(path)
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT procedure, received_online, rated_very_satisfied, rated_satisfied, "
            "rated_dissatisfied FROM summary_rows"
        ).one()
    engine.dispose()
    assert tuple(row) == ("1.001029", 2, 0, 0, 0)
