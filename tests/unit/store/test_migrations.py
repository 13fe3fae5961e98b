"""Migrations: the schema they build equals the models, and upgrading keeps every row."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desk_app.store.engine import make_engine, open_database
from desk_app.store.migrate import current_revision, head_revision, upgrade
from desk_app.store.models import Base
from tests.unit.store.test_migration_agencies import _source

TABLES = (
    "applicants",
    "files",
    "events",
    "pauses",
    "reschedules",
    "postal_items",
    "procedures",
    "users",
    "audit_log",
    "counters",
    "desk_settings",
    "document_sets",
)


def test_schema_from_migrations_matches_models(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    upgrade(path)
    engine = make_engine(path)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            # The FTS5 index and its shadow tables are made by raw SQL, not by the models.
            opts={
                "include_name": lambda name, kind, _parent: (
                    not str(name).startswith("applicants_fts")
                )
            },
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_new_database_is_at_head_and_has_its_settings_row(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    assert current_revision(db.path) == head_revision()
    with closing(sqlite3.connect(db.path)) as conn:
        assert conn.execute("SELECT id, unit_name FROM desk_settings").fetchall() == [
            (1, "BỘ PHẬN MỘT CỬA")
        ]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.dispose()


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_upgrade_over_a_populated_database_loses_no_row(tmp_path: Path) -> None:
    """0002 rebuilds the files table; with foreign keys on, SQLite would take children along."""
    path = tmp_path / "old.sqlite3"
    upgrade(path, "0001")
    assert current_revision(path) == "0001"
    # Fill the old schema through the ORM of today minus the columns 0001 lacks: raw demo data
    # needs the new columns, so populate with the demo on a head copy and move rows back.
    head = _source(tmp_path)  # a demo register of 300 files at head, shared with its neighbours
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(f"ATTACH DATABASE '{head}' AS h")
        conn.execute("DELETE FROM desk_settings")
        for table in TABLES:
            theirs = {r[1] for r in conn.execute(f"PRAGMA h.table_info({table})")}
            columns = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            cols = ", ".join(c for c in columns if c in theirs)
            conn.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM h.{table}")
        conn.commit()
        conn.execute("DETACH DATABASE h")
    before = _counts(path)
    assert before["files"] == 300
    assert before["events"] > 600
    upgrade(path)
    assert current_revision(path) == head_revision()
    after = _counts(path)
    with closing(sqlite3.connect(path)) as conn:
        # 0008: every file received for settlement has its due history; the files whose due the
        # old pause rules got wrong are corrected and listed (an audit row and a timeline event
        # each), and nothing else is added.
        fixed = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'due_rule_fix'"
        ).fetchone()[0]
        assert after == {
            **before,
            "events": before["events"] + fixed,
            "audit_log": before["audit_log"] + fixed,
        }
        unhistoried = conn.execute(
            "SELECT count(*) FROM files f WHERE f.status NOT IN (1, 3) AND NOT EXISTS"
            " (SELECT 1 FROM due_history h WHERE h.file_id = f.id)"
        ).fetchone()[0]
        assert unhistoried == 0
        # The history's last word is the file's original due.
        disagree = conn.execute(
            "SELECT count(*) FROM files f WHERE f.status NOT IN (1, 3) AND f.original_due_at IS NOT"
            " (SELECT h.new_original_due_at FROM due_history h WHERE h.file_id = f.id"
            " ORDER BY h.at DESC, h.id DESC LIMIT 1)"
        ).fetchone()[0]
        assert disagree == 0
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # The CHECK constraint added by 0002 now guards the status column.
        try:
            conn.execute("UPDATE files SET status = 42 WHERE id = 1")
        except sqlite3.IntegrityError as exc:
            assert "ck_files_status" in str(exc)
        else:
            raise AssertionError("status 42 was accepted")
        # 0007: the sync settings row, and triggers that mark the day a change can move.
        # (0008 marked the days of the files it corrected: they go to the department again.)
        first_fixed = conn.execute(
            "SELECT substr(min(f.received_at), 1, 10) FROM files f JOIN audit_log a"
            " ON a.entity_id = f.code AND a.action = 'due_rule_fix'"
        ).fetchone()[0]
        assert conn.execute("SELECT id, dirty_from FROM sync_settings").fetchall() == [
            (1, first_fixed)
        ]
        conn.execute("UPDATE sync_settings SET dirty_from = NULL")
        conn.execute("UPDATE files SET status = 7, closed_at = '2026-03-02 09:00:00' WHERE id = 5")
        received = conn.execute("SELECT received_at FROM files WHERE id = 5").fetchone()[0]
        dirty = conn.execute("SELECT dirty_from FROM sync_settings").fetchone()[0]
        assert dirty == received[:10]


def test_the_known_head_is_alembics_head_and_an_older_file_is_still_upgraded(
    tmp_path: Path,
) -> None:
    from desk_app.store.engine import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD
    path = tmp_path / "old.sqlite3"
    upgrade(path, "0004")
    assert current_revision(path) == "0004"
    db = open_database(path)  # takes the quick path only when the file is at the head
    db.dispose()
    assert current_revision(path) == SCHEMA_HEAD
    with closing(sqlite3.connect(path)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_files_status_result" in names
