"""Shortcuts for the service tests: accept a file in its own transaction, count table rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import func, select

from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import (
    Applicant,
    AuditEntry,
    Base,
    Counter,
    Event,
    FileRecord,
    Pause,
    Reschedule,
)

KARAOKE = "1.001029"  # 5 working days
TABLES: dict[str, type[Base]] = {
    "files": FileRecord,
    "applicants": Applicant,
    "events": Event,
    "audit_log": AuditEntry,
    "counters": Counter,
    "pauses": Pause,
    "reschedules": Reschedule,
}


@pytest.fixture
def accept(db: Database, officer: Actor) -> Callable[..., FileView]:
    """`accept(procedure, received, now=..., name=..., actor=..., backdate_reason=...,
    **applicant)`: one committed intake (by the officer unless `actor` is given).

    `now` defaults to the receipt moment itself, so nothing depends on the day the tests run.
    """

    def _accept(
        procedure: str = KARAOKE,
        received: datetime = datetime(2026, 3, 2, 9, 15),
        *,
        now: datetime | None = None,
        name: str = "Đặng Thị Ánh",
        actor: Actor | None = None,
        backdate_reason: str | None = None,
        **applicant: str,
    ) -> FileView:
        data = intake.IntakeInput(
            procedure=procedure,
            applicant=intake.ApplicantInput(name=name, **applicant),
            received_at=received,
            backdate_reason=backdate_reason,
        )
        with db.writer.begin() as s:
            return intake.accept_file(s, data, actor or officer, now=now or received)

    return _accept


@pytest.fixture
def count_rows(db: Database) -> Callable[[str], int]:
    """`count_rows("files")`: rows now committed in that table."""

    def _count(table: str) -> int:
        with db.reader.begin() as s:
            return int(s.scalar(select(func.count()).select_from(TABLES[table])) or 0)

    return _count


@pytest.fixture
def table_counts(count_rows: Callable[[str], int]) -> Callable[[], dict[str, int]]:
    """`table_counts()`: the row count of every table that a use case writes to."""

    def _counts() -> dict[str, int]:
        return {name: count_rows(name) for name in TABLES}

    return _counts
