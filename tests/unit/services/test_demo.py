"""The demo register: a fresh training desk has work in every queue as of its `now`."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from desk_app.domain.workflow import Status
from desk_app.services import watch
from desk_app.services.browse import ListQueue, queue_counts
from desk_app.services.demo import generate_demo
from desk_app.store.engine import Database
from desk_app.store.models import DueChange, Event, FileRecord


@pytest.mark.parametrize(
    ("now", "files"),
    [
        (datetime(2026, 3, 2, 10, 0), 40),  # a plain Monday morning, a small desk
        (datetime(2026, 3, 6, 16, 45), 300),  # Friday after the cut-off
        (datetime(2027, 2, 9, 9, 30), 40),  # mùng bốn Tết: the desk has been closed for days
        (datetime(2026, 12, 31, 23, 59), 40),  # the last minute of the year
        (datetime(2026, 8, 22, 9, 30), 40),  # a make-up Saturday
    ],
)
def test_a_fresh_demo_desk_has_work_in_every_queue(
    empty_db: Database, now: datetime, files: int
) -> None:
    generate_demo(empty_db, files, seed=2026, now=now)
    with empty_db.reader.begin() as s:
        counts = queue_counts(s, now)
        seen = watch.watch(s, now)
        total = s.scalar(select(func.count()).select_from(FileRecord))
        latest = s.scalar(select(func.max(Event.at)))
        latest_received = s.scalar(select(func.max(FileRecord.received_at)))
        without_history = s.scalar(
            select(func.count())
            .select_from(FileRecord)
            .where(
                FileRecord.status != int(Status.REFUSED),
                ~select(DueChange.id).where(DueChange.file_id == FileRecord.id).exists(),
            )
        )
    assert set(counts) == set(ListQueue)
    empty = [q.value for q, n in counts.items() if n == 0]
    assert empty == [], counts
    assert min(seen.overdue_total, seen.due_soon_total, seen.paused_total) > 0
    assert seen.overdue and seen.due_soon and seen.paused
    assert total == files
    # Nothing happens after the pinned moment, and every file taken in has its due history.
    assert latest is not None and latest <= now
    assert latest_received is not None and latest_received <= now
    assert without_history == 0
