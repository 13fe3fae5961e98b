"""A desk's register sent day by day: the department's report equals the desk's own report."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from desk_app.department import service
from desk_app.department.db import open_department_db
from desk_app.department.server import start_in_thread
from desk_app.services.demo import generate_demo
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import open_database
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


@pytest.mark.parametrize("seed", [7])
def test_the_department_report_equals_the_desks_report(tmp_path: Path, seed: int) -> None:
    desk_db = open_database(tmp_path / "desk.sqlite3")
    generate_demo(desk_db, 800, seed=seed, now=NOW)
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
    finally:
        server.stop()
        desk_db.dispose()
