"""The audit log, the timeline and the due history are append-only: the database itself refuses
changes (SQLite's triggers, PostgreSQL's trigger functions: every test runs on both engines)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from desk_app.services.views import FileView
from desk_app.store.engine import Database

STATEMENTS = [
    "UPDATE audit_log SET action = 'nothing happened'",
    "UPDATE audit_log SET detail = NULL WHERE action = 'accept'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE action = 'accept'",
    "UPDATE events SET note = 'rewritten'",
    "UPDATE events SET at = '2026-01-01 00:00:00' WHERE action = 'accept'",
    "DELETE FROM events",
    "UPDATE due_history SET new_due_at = '2027-01-01 00:00:00'",
    "DELETE FROM due_history",
]


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        audit = conn.execute(text("SELECT * FROM audit_log ORDER BY id")).all()
        events = conn.execute(text("SELECT * FROM events ORDER BY id")).all()
        dues = conn.execute(text("SELECT * FROM due_history ORDER BY id")).all()
    return [tuple(r) for r in audit] + [tuple(r) for r in events] + [tuple(r) for r in dues]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_raw_sql_cannot_change_history(
    db: Database, accept: Callable[..., FileView], sql: str
) -> None:
    accept(received=datetime(2026, 3, 2, 9, 15))
    before = _snapshot(db)
    assert any("accept" in row for row in before)  # there is history to protect
    with db.engine.connect() as conn:  # and a due history
        assert conn.execute(text("SELECT count(*) FROM due_history")).scalar_one() > 0

    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(sql))

    assert _snapshot(db) == before


def test_history_can_still_grow(db: Database, accept: Callable[..., FileView]) -> None:
    accept(received=datetime(2026, 3, 2, 9, 15))
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log(at, action, entity) "
                "VALUES ('2026-03-02 10:00:00', 'note', 'desk')"
            )
        )
        count = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'note'"))
        assert count.scalar_one() == 1
