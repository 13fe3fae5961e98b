"""Period statistics: every identity holds and every column equals an independent count."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from desk_app.domain.statistics import StatCounts
from desk_app.services.demo import generate_demo
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, Pause, PostalItem, Procedure

NOW = datetime(2026, 3, 2, 10, 0)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from desk_app.store.engine import open_database

    db = open_database(tmp_path_factory.mktemp("stats") / "stats.sqlite3")
    generate_demo(db, 3000, seed=11, now=NOW)
    return db


def _independent(db: Database, start: date, end: date) -> dict[str, Counter[str]]:
    """Count by walking every file in Python, straight from DOMAIN §9's wording."""
    s = datetime.combine(start, time())
    e = datetime.combine(end + timedelta(days=1), time())
    with db.reader.begin() as session:
        fields = {p.id: p.field for p in session.scalars(select(Procedure))}
        open_pause = {
            p.file_id: p.start_at for p in session.scalars(select(Pause)) if p.end_at is None
        }
        files = list(session.scalars(select(FileRecord)))
        postal = list(session.scalars(select(PostalItem).where(PostalItem.direction == "out")))
    out: dict[str, Counter[str]] = {}
    for f in files:
        if f.status in (1, 3):
            continue
        c = out.setdefault(fields[f.procedure_id], Counter())
        if s <= f.received_at < e:
            c["received_online" if f.channel == "online" else "received_direct_postal"] += 1
            if f.channel == "postal":
                c["postal_received"] += 1
        ended_before_start = (f.settled_at is not None and f.settled_at < s) or (
            f.closed_at is not None and f.closed_at < s
        )
        if f.received_at < s and not ended_before_start:
            c["carried_over"] += 1
        if f.settled_at is not None and s <= f.settled_at < e:
            c[f"settled_{f.outcome}"] += 1
        if f.settled_at is None and f.closed_at is not None and s <= f.closed_at < e:
            c["withdrawn" if f.status == 7 else "stopped"] += 1
        is_open = (
            f.received_at < e
            and (f.settled_at is None or f.settled_at >= e)
            and (f.closed_at is None or f.closed_at >= e)
        )
        if is_open:
            limit = min(e, open_pause.get(f.id, e)) if f.status in (5, 6) else e
            late = f.original_due_at is not None and f.original_due_at < limit
            c["open_overdue" if late else "open_in_time"] += 1
    by_file = {f.id: fields[f.procedure_id] for f in files}
    for p in postal:
        c = out.setdefault(by_file[p.file_id], Counter())
        if p.handed_at is not None and s <= p.handed_at < e:
            c["postal_sent"] += 1
        if p.state_at is not None and s <= p.state_at < e and p.handed_at and p.handed_at < e:
            if p.state == "delivered":
                c["postal_delivered"] += 1
            if p.state == "returned":
                c["postal_returned"] += 1
    return out


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 2)),
        (date(2024, 3, 2), date(2026, 3, 2)),
        (date(2025, 6, 15), date(2025, 6, 15)),
    ],
)
def test_every_column_matches_an_independent_count(
    register: Database, start: date, end: date
) -> None:
    with register.reader.begin() as session:
        report = period_report(session, start, end, GroupBy.FIELD)
    expected = _independent(register, start, end)
    assert report.rows, "the demo register should have files in every tested period"
    for row in report.rows:
        assert row.counts.identity_errors() == []
        want = StatCounts.from_dict(dict(expected.get(row.group, Counter())))
        assert row.counts == want, row.group
    assert {r.group for r in report.rows} == {k for k, v in expected.items() if sum(v.values())}
    assert report.total.identity_errors() == []
    assert report.total.received_total == sum(r.counts.received_total for r in report.rows)


def test_grouping_by_procedure_adds_up_to_the_same_total(register: Database) -> None:
    with register.reader.begin() as session:
        by_field = period_report(session, date(2025, 4, 1), date(2025, 6, 30), GroupBy.FIELD)
        by_proc = period_report(session, date(2025, 4, 1), date(2025, 6, 30), GroupBy.PROCEDURE)
    assert by_proc.total == by_field.total
    assert len(by_proc.rows) > len(by_field.rows)
    assert by_field.total.settled_total > 100
    assert by_field.total.settled_late > 0
    assert by_field.total.open_total + by_field.total.carried_over > 0


def test_json_shape_has_the_documented_keys(register: Database) -> None:
    with register.reader.begin() as session:
        data = period_report(session, date(2025, 1, 1), date(2025, 12, 31)).to_json()
    assert data["from"] == "2025-01-01" and data["to"] == "2025-12-31"
    total = data["total"]
    assert isinstance(total, dict)
    assert total["received_total"] == (
        total["received_online"] + total["received_direct_postal"] + total["carried_over"]
    )
    assert set(total) >= {"settled_early", "open_overdue", "withdrawn", "postal_returned"}
