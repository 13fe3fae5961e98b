"""A desk's register sent day by day: the department's report equals the desk's own report."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from desk_app.department import service
from desk_app.department.app import RATINGS_PATH
from desk_app.department.db import open_department_db
from desk_app.department.server import start_in_thread
from desk_app.services import ratings
from desk_app.services.context import COMMAND_LINE
from desk_app.services.demo import generate_demo
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord
from desk_app.sync.protocol import REPORT_PATH, SUMMARIES_PATH
from desk_app.sync.summary import day_summaries, desk_identity, payload

NOW = datetime(2026, 3, 2, 10, 0)
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 2)
PERIODS = (
    (FIRST, LAST),
    (date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 2, 10), date(2026, 2, 10)),
    (date(2026, 1, 15), date(2026, 2, 20)),
)


def _rate_some(db: Database) -> None:
    """Ratings on every seventh file, at its reception, of every level and some never given."""
    with db.writer.begin() as s:
        files = s.execute(
            select(FileRecord.code, FileRecord.received_at).order_by(FileRecord.id)
        ).all()
        for i, (code, at) in enumerate(files[::7]):
            if at is None or at > NOW:
                continue
            visit = ratings.open_visit(s, code, "accept", COMMAND_LINE, at)
            if i % 4:
                level = ratings.Level(i % 3 + 1)
                ratings.record_rating(s, visit.token, level, [], "", at + timedelta(minutes=3))


def _check_ratings(client: httpx.Client, desk_db: Database, start: date, end: date) -> None:
    """The department's ratings by procedure are the desk's own count of the same days."""
    with desk_db.reader.begin() as s:
        mine = {
            code: (c.very_satisfied, c.satisfied, c.dissatisfied)
            for code, _label, c in ratings.rating_counts(s, start, end, by="procedure")
            if c.total_rated
        }
    got = client.get(
        RATINGS_PATH, params={"from": start.isoformat(), "to": end.isoformat(), "by": "procedure"}
    ).json()
    theirs = {
        r["group"]: (r["very_satisfied"], r["satisfied"], r["dissatisfied"]) for r in got["rows"]
    }
    assert theirs == mine, (start, end)
    assert mine, "every period has ratings"


@pytest.mark.parametrize("seed", [7])
def test_the_department_report_equals_the_desks_report(tmp_path: Path, seed: int) -> None:
    desk_db = open_database(tmp_path / "desk.sqlite3")
    generate_demo(desk_db, 800, seed=seed, now=NOW)
    _rate_some(desk_db)
    with desk_db.reader.begin() as s:
        days = day_summaries(s, FIRST, LAST)
        identity = desk_identity(s)
    dept_path = tmp_path / "department.sqlite3"
    dept_db = open_department_db(dept_path)
    with dept_db.writer.begin() as s:
        token = service.add_desk(s, "Một cửa Sở").token
    dept_db.dispose()
    assert len(days) > 40
    server = start_in_thread(str(dept_path))
    try:
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
        ) as client:
            for day, rows in days.items():
                r = client.post(
                    SUMMARIES_PATH,
                    content=payload(identity, day, 1, rows).encode("utf-8"),
                    headers={"Content-Type": "application/json"},
                )
                assert r.status_code == 200, r.text
            for start, end in PERIODS:
                for by in (GroupBy.FIELD, GroupBy.PROCEDURE):  # what the department keeps
                    with desk_db.reader.begin() as s:
                        want = period_report(s, start, end, by).to_json()
                    got = client.get(
                        REPORT_PATH,
                        params={"from": start.isoformat(), "to": end.isoformat(), "by": str(by)},
                    )
                    assert got.json() == want, (start, end, by)
                    assert want["rows"], "the demo register has files in every period"
                    _check_ratings(client, desk_db, start, end)
    finally:
        server.stop()
        desk_db.dispose()
