"""store.sqlfn.index_paths: PostgreSQL's planner told to walk indexes for a block, no longer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.services.statistics import period_report
from desk_app.store.engine import Database
from desk_app.store.sqlfn import index_paths


def _seqscan(db: Database, s: Session) -> str | None:
    if not db.is_server:
        return None
    return str(s.execute(text("SELECT current_setting('enable_seqscan')")).scalar_one())


def test_the_planner_is_told_inside_the_block_and_set_back_after(db: Database) -> None:
    with db.reader.begin() as s:
        before = _seqscan(db, s)
        with index_paths(s):
            inside = _seqscan(db, s)
        after = _seqscan(db, s)
        period_report(s, date(2026, 1, 1), date(2026, 3, 31))
        after_report = _seqscan(db, s)

    if db.is_server:
        assert (before, inside, after, after_report) == ("on", "off", "on", "on")
    else:  # SQLite is told by INDEXED BY in the statements themselves: nothing to set
        assert (before, inside, after, after_report) == (None, None, None, None)
