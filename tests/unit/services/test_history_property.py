"""Property (DOMAIN §4.1 rule 5): the report of a closed period made at its end equals the report
made after any sequence of later actions — pauses, resumes, results, withdrawals, reschedules and
calendar edits — for random histories, also for each day's summary."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from desk_app.domain.workflow import Status
from desk_app.errors import DeskError
from desk_app.services import amend, desk, intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database, open_database
from desk_app.sync.summary import day_summaries
from tests.pg_server import DatabasePool

PERIOD = (date(2026, 3, 2), date(2026, 3, 13))
END = datetime(2026, 3, 14)  # the period is over from Saturday 14/03 00:00
PROCEDURES = ("1.001029", "CHUNG-CT-01", "CHUNG-CT-02")  # 5 working days, same day, 4 hours

# One step of a file's life: (what, hours after the previous step).
step = st.tuples(
    st.sampled_from(["forward", "supplement", "financial", "resume", "result", "withdraw"]),
    st.integers(min_value=1, max_value=60),
)
file_plan = st.tuples(
    st.sampled_from(PROCEDURES),
    st.integers(min_value=0, max_value=10 * 24 - 1),  # hours after Mon 02/03 07:00
    st.lists(step, min_size=0, max_size=6),
)
later_edit = st.tuples(
    st.integers(min_value=0, max_value=16),  # day after 02/03: past days off move open dues out
    st.sampled_from([False, False, True]),  # off (mostly) or working
    st.integers(min_value=1, max_value=200),  # hours after the period's end
)


@contextmanager
def _copy(src: Database, dest: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A copy of `src` for one example: a backup of the SQLite file at `dest`, or on a server a
    database of the desk pool put back to the set-up desk (`src` is one too: the officers signed
    in are the same users there)."""
    if src.path is None:
        pool: DatabasePool = request.getfixturevalue("pg_desk_pool")
        url = pool.checkout()
        work = open_database(url)
        try:
            yield work
        finally:
            work.dispose()
            pool.checkin(url)
        return
    with closing(sqlite3.connect(src.path)) as a, closing(sqlite3.connect(dest)) as b:
        a.backup(b)
    work = open_database(dest)
    try:
        yield work
    finally:
        work.dispose()


def _apply(s: Session, code: str, what: str, at: datetime, officer: Actor) -> None:
    data = MoveInput(code)
    calls = {
        "forward": lambda: lifecycle.forward(s, data, officer, now=at),
        "supplement": lambda: lifecycle.request_supplement(s, data, "Thiếu", officer, now=at),
        "financial": lambda: lifecycle.request_financial(s, data, "Phí", officer, now=at),
        "result": lambda: lifecycle.record_result(s, data, officer, now=at),
        "withdraw": lambda: lifecycle.withdraw(s, data, "Rút", officer, now=at),
    }
    if what == "resume":
        status = lifecycle.get_file(s, code).status
        if status == Status.SUPPLEMENT:
            lifecycle.receive_supplement(s, data, officer, now=at)
        elif status == Status.FINANCIAL:
            lifecycle.record_financial(s, data, officer, now=at)
        return
    calls[what]()


def _numbers(db: Database, now: datetime) -> str:
    with db.reader.begin() as s:
        report = period_report(s, *PERIOD, GroupBy.PROCEDURE, now=now).to_json()
        days = day_summaries(s, PERIOD[0], PERIOD[1], now)
    per_day = {d.isoformat(): [r.as_json() for r in rows] for d, rows in days.items()}
    return json.dumps([report, per_day], ensure_ascii=False, sort_keys=True)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(file_plan, min_size=1, max_size=5),
    edits=st.lists(later_edit, min_size=1, max_size=4),
    reschedule_hours=st.lists(st.integers(min_value=1, max_value=100), max_size=2),
)
def test_a_closed_period_never_moves(
    db: Database,
    officer: Actor,
    supervisor: Actor,
    admin: Actor,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    plans: list[tuple[str, int, list[tuple[str, int]]]],
    edits: list[tuple[int, bool, int]],
    reschedule_hours: list[int],
) -> None:
    folder = tmp_path_factory.mktemp("history")
    with _copy(db, folder / "desk.sqlite3", request) as work:
        actions: list[tuple[datetime, int, str]] = []
        codes: list[str] = []
        for i, (procedure, offset, steps) in enumerate(plans):
            received = datetime(2026, 3, 2, 7) + timedelta(hours=offset)
            data = intake.IntakeInput(
                procedure=procedure,
                applicant=intake.ApplicantInput(name=f"Người nộp {i}"),
                received_at=received,
            )
            with work.writer.begin() as s:
                codes.append(intake.accept_file(s, data, officer, now=received).code)
            at = received
            for what, hours in steps:
                at += timedelta(hours=hours)
                actions.append((at, i, what))
        actions.sort()
        later = [(END + timedelta(hours=h), day, working) for day, working, h in edits]

        def run(until: datetime | None, since: datetime | None = None) -> None:
            for at, i, what in actions:
                if (until is not None and at >= until) or (since is not None and at < since):
                    continue
                try:
                    with work.writer.begin() as s:
                        _apply(s, codes[i], what, at, officer)
                except DeskError:
                    pass  # a step the file's status does not allow: the plan skips it

        run(END)
        before = _numbers(work, END)
        # Then anything at all after the end: the rest of the plans, reschedules, calendar edits.
        for hours, code in zip(reschedule_hours, codes, strict=False):
            at = END + timedelta(hours=hours)
            try:
                with work.writer.begin() as s:
                    amend.reschedule(s, code, at + timedelta(days=20), "Chậm", supervisor, now=at)
            except DeskError:
                pass
        for at, day, working in later:
            with work.writer.begin() as s:
                desk.set_calendar_day(
                    s, date(2026, 3, 2) + timedelta(days=day), working, "Thông báo", admin, now=at
                )
        run(None, END)
        assert _numbers(work, END + timedelta(days=30)) == before
