"""Many counters of two agencies writing one centre database at once (issue 14, centre mode):
on a centre's PostgreSQL server 8 counter processes of agency A and 4 of agency B, on an SQLite
file 2 and 2, each accepting, forwarding, settling, returning and now and then withdrawing its
own agency's files for a few seconds through the real services, with random pauses and steps
that fail by design (see centre_worker.py). Both agencies have procedures of the same codes; each
counter's officer is assigned to one agency and signs in at a computer serving that agency, under
the counter's name.

Afterwards, per agency: no code and no register number is missing or given twice (codes per day,
register numbers per book, each from 1); every file's timeline holds exactly the steps that
committed, complete and in order, under the counter's name, and nothing of a step that failed;
the period statistics equal a count made independently from the events; and no counter crashed.
Half of each agency's counters receive on Monday and half on Tuesday.

Every "now" is pinned (see centre_worker.py): the run always happens on 2 and 3 March 2026.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.statistics import GroupBy, StatCounts
from desk_app.services import desk, statistics, users
from desk_app.services.context import COMMAND_LINE, SOLO_AGENCY, agency_counter
from desk_app.services.scope import Scope
from desk_app.store.engine import Database
from desk_app.store.models import (
    Applicant,
    Event,
    FileRecord,
    Procedure,
    SyncSettings,
    User,
)
from desk_app.store.models import Counter as CounterRow
from tests.conftest import AGENCY_ID
from tests.e2e import centre_worker
from tests.e2e.centre_worker import BROKEN_PREFIX, PASSWORD, Step

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
# The shortest of these takes 5 working days: no file is overdue on the days of the run.
PROCEDURES = ("1.001029", "VHTTDL-VH-04", "VHTTDL-DL-01", "VHTTDL-DL-10")
# Agency B, added to the set-up desk's database (whose agency, id 1, is A).
B_ID = "000.00.21.H37"
# Counter processes of agency A and of agency B, and seconds of work: SQLite lets one writer in
# at a time, so fewer there.
RUNS = {"postgresql": ((8, 4), 8.0), "sqlite": ((2, 2), 5.0)}

# What the counters' processes import before they are forked: the program, and what opening
# a database and working out the calendar import on first use.
PRELOAD = ("desk_app.store.migrate", "psycopg", "holidays.countries.vietnam")

# A file's timeline, complete and in order, whatever point it has reached.
LIFE = ("accept", "forward", "record_result", "return_result")
WITHDRAWN_LIVES = (("accept", "withdraw"), ("accept", "forward", "withdraw"))


def _collect(
    workers: Sequence[BaseProcess], results: multiprocessing.Queue[object]
) -> list[object]:
    """One report per counter; stops early when every counter has exited (e.g. a crash)."""
    reported: list[object] = []
    deadline = time.monotonic() + 120
    while len(reported) < len(workers) and time.monotonic() < deadline:
        try:
            reported.append(results.get(timeout=0.5))
        except queue.Empty:
            if not any(w.is_alive() for w in workers) and results.empty():
                break
    return reported


class Seat(NamedTuple):
    """A counter process: its officer, agency, counter name and day of receiving."""

    worker: int
    username: str
    agency: int
    counter: str
    day: date


def _seats(agencies: Sequence[tuple[int, int]]) -> list[Seat]:
    """`agencies`: (agency, processes); half of each agency's counters receive on each day."""
    seats: list[Seat] = []
    for agency, count in agencies:
        for i in range(count):
            n = len(seats)
            seats.append(Seat(n, f"quay{n:02d}", agency, f"Quầy {n + 1}", (MONDAY, TUESDAY)[i % 2]))
    return seats


def _add_agency(s: Session, agency_id: str, name: str, short: str) -> int:
    """A second agency in the database, added as the administrator adds one (its settings row
    and sync row), with the same procedure codes as agency 1's in its own catalogue."""
    added = desk.add_agency(
        s,
        desk.IdentityInput(
            governing_body="UBND TỈNH LẠNG SƠN",
            agency_name=name,
            agency_id=agency_id,
            place_name="Lạng Sơn",
        ),
        COMMAND_LINE,
        short_name=short,
        now=datetime(2026, 3, 1, 9, 0),
    )
    assert s.get(SyncSettings, added.id) is not None
    columns = [c.key for c in Procedure.__table__.columns if c.key not in ("id", "agency")]
    for proc in s.scalars(
        select(Procedure).where(Procedure.agency == SOLO_AGENCY, Procedure.code.in_(PROCEDURES))
    ).all():
        s.add(Procedure(agency=added.id, **{c: getattr(proc, c) for c in columns}))
    s.flush()
    return added.id


def _run_counters(db: Database, seats: Sequence[Seat], seconds: float) -> list[Step]:
    # Fresh processes (no connection or thread of this one inherited), forked from a server that
    # has imported the program once: twelve interpreters each importing it would take longer than
    # the run itself on a two-core machine.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([centre_worker.__name__, *PRELOAD])
    processes = len(seats)
    start = ctx.Barrier(processes)
    results: multiprocessing.Queue[object] = ctx.Queue()
    target = str(db.path) if db.path is not None else db.url  # what a PC is told
    workers = [
        ctx.Process(
            target=centre_worker.run,
            args=(
                target,
                seat.username,
                seat.worker,
                seat.agency,
                seat.counter,
                seat.day,
                PROCEDURES,
                seconds,
                start,
                results,
            ),
        )
        for seat in seats
    ]
    for w in workers:
        w.start()
    reported = _collect(workers, results)
    for w in workers:
        w.join(timeout=30)
    crashes = [r for r in reported if isinstance(r, tuple) and r[0] != "done"]
    assert not crashes, "\n".join(str(c[2]) for c in crashes)
    assert [w.exitcode for w in workers] == [0] * processes, reported
    assert sorted(r[1] for r in reported if isinstance(r, tuple)) == list(range(processes))
    return [step for r in reported if isinstance(r, tuple) for step in r[2]]


def _expected_counts(
    lives: dict[int, dict[str, tuple[datetime, str]]],
    procedure_of: dict[int, int],
    start: date,
    now: datetime,
) -> dict[int, StatCounts]:
    """The report's numbers for [start, now], counted from the events alone (DOMAIN §9)."""
    s = datetime.combine(start, datetime.min.time())
    e = now + timedelta(seconds=1)
    out: dict[int, StatCounts] = {}
    for file_id, life in lives.items():
        received = life["accept"][0]
        settled = life["record_result"][0] if "record_result" in life else None
        closed_at = [life[a][0] for a in ("withdraw", "return_result") if a in life]
        closed = closed_at[0] if closed_at else None
        if received >= e:
            continue
        if settled is not None and settled < s:
            continue
        if settled is None and closed is not None and closed < s:
            continue
        row: dict[str, int] = defaultdict(int)
        row["received_direct_postal" if received >= s else "carried_over"] = 1
        if settled is not None and s <= settled < e:
            row[f"settled_{life['record_result'][1]}"] = 1
        if (settled is None or settled >= e) and (closed is None or closed >= e):
            row["open_in_time"] = 1  # nothing is overdue before 5 working days (PROCEDURES)
        if settled is None and "withdraw" in life and life["withdraw"][0] < e:
            row["withdrawn"] = 1
        pid = procedure_of[file_id]
        out[pid] = out.get(pid, StatCounts()) + StatCounts.from_dict(row)
    return out


def _plain_counts(s: Session, agency: int, first: date, now: datetime) -> tuple[int, int]:
    """Files received and files settled in [first 00:00, now] of one agency, counted with SQL
    from the events (independent of the statistics' queries)."""
    period = {"s": datetime.combine(first, datetime.min.time()), "e": now + timedelta(seconds=1)}
    received, settled = s.execute(
        select(
            func.count().filter(Event.action == "accept"),
            func.count().filter(Event.action == "record_result"),
        )
        .join(FileRecord, FileRecord.id == Event.file_id)
        .where(FileRecord.agency == agency, Event.at >= period["s"], Event.at < period["e"])
    ).one()
    return int(received), int(settled)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["postgresql", "sqlite"], indirect=True)
def test_counters_of_two_agencies_never_lose_or_repeat_a_number_and_the_statistics_match(
    db: Database, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The counters' processes import centre_worker by its module name: make the folder that name
    # starts from importable (they copy this process's sys.path).
    depth = len(centre_worker.__name__.split("."))
    monkeypatch.syspath_prepend(str(Path(centre_worker.__file__).resolve().parents[depth - 1]))
    (in_a, in_b), seconds = RUNS[engine_name]
    a = SOLO_AGENCY
    with db.writer.begin() as s:
        b = _add_agency(s, B_ID, "SỞ TƯ PHÁP", "Sở Tư pháp")
        seats = _seats(((a, in_a), (b, in_b)))
        for seat in seats:
            users.create_user(
                s,
                seat.username,
                f"Cán bộ {seat.counter}",
                users.Role.OFFICER,
                PASSWORD,
                COMMAND_LINE,
                now=datetime(2026, 3, 1, 9, 0),
                agencies=[seat.agency],
            )
    identifier = {a: AGENCY_ID, b: B_ID}
    seat_of = {seat.worker: seat for seat in seats}

    steps = _run_counters(db, seats, seconds)

    with db.reader.begin() as s:
        files = list(s.scalars(select(FileRecord).order_by(FileRecord.id)))
        events = list(s.scalars(select(Event).order_by(Event.id)))
        counters = {c.name: c.value for c in s.scalars(select(CounterRow))}
        broken_applicants = s.scalars(
            select(Applicant.name).where(Applicant.name.like(f"{BROKEN_PREFIX}%"))
        ).all()
        usernames: dict[int, str] = dict(s.execute(select(User.id, User.username)).all())
        procedures = {p.id: (p.agency, p.code) for p in s.scalars(select(Procedure))}

    # The run was a real race: every counter worked, each agency's files interleave in its
    # register, and each kind of failure by design happened (else the checks below could not fail).
    accepted = [st for st in steps if st.action == "accept" and st.outcome == "ok"]
    assert {st.worker for st in accepted} == set(seat_of)
    by_code = {st.code: st for st in accepted}
    tried = Counter((st.action, st.outcome) for st in steps if st.by_design)
    assert tried[("accept", "refused")] > 0  # broke after taking its numbers
    assert tried[("return_result", "refused")] > 0  # out of order
    assert sum(n for (_, outcome), n in tried.items() if outcome == "stale") > 0
    assert not [st for st in steps if st.by_design and st.outcome == "ok"]
    assert broken_applicants == []

    # Every file is its accepting counter's agency's, under that agency's procedure and
    # identifier, with the counter's name on it.
    assert sorted(f.code for f in files) == sorted(by_code)
    for f in files:
        seat = seat_of[by_code[f.code].worker]
        assert f.agency == seat.agency == procedures[f.procedure_id][0], f.code
        assert f.code.startswith(f"{identifier[f.agency]}-"), f.code
        assert f.counter_name == seat.counter, f.code

    # Per agency: codes per day 1..n with no gap and no repeat; register numbers per book the
    # same. The counters stand at n: the broken saves gave their numbers back.
    assert sorted((f.code, f.register_book, f.register_seq) for f in files) == sorted(
        (st.code, *st.register) for st in accepted if st.register is not None
    )
    for agency, processes in ((a, in_a), (b, in_b)):
        register = sorted((f for f in files if f.agency == agency), key=lambda f: f.register_seq)
        owners = [by_code[f.code].worker for f in register]
        assert sum(x != y for x, y in pairwise(owners)) >= processes, agency
        for day in (MONDAY, TUESDAY):
            codes = sorted(f.code for f in register if f.received_at.date() == day)
            assert codes, (agency, day)
            prefix = f"{identifier[agency]}-{day:%y%m%d}-"
            assert codes == [f"{prefix}{n:04d}" for n in range(1, len(codes) + 1)]
            assert counters[f"file:{identifier[agency]}:{day:%y%m%d}"] == len(codes)
        assert {f.register_book for f in register} == {"2026"}
        assert [f.register_seq for f in register] == list(range(1, len(register) + 1))
        assert counters[agency_counter(agency, "register:2026")] == len(register)

    # Timelines: exactly the steps that committed (nothing of a refused one), each file's
    # complete and in order, every move after the one before, the file where its last event left it.
    # Each step is under the name of the officer who made it and of their counter.
    committed = Counter(
        (st.code, st.action, seat_of[st.worker].username, seat_of[st.worker].counter)
        for st in steps
        if st.outcome == "ok"
    )
    code_of = {f.id: f.code for f in files}
    assert (
        Counter(
            (code_of[e.file_id], e.action, usernames[e.officer_id or 0], e.counter_name)
            for e in events
        )
        == committed
    )
    timeline: dict[int, list[Event]] = defaultdict(list)
    for e in events:
        timeline[e.file_id].append(e)
    lives = {LIFE[:n] for n in range(1, len(LIFE) + 1)} | set(WITHDRAWN_LIVES)
    for f in files:
        mine = timeline[f.id]
        assert tuple(e.action for e in mine) in lives, (f.code, [e.action for e in mine])
        assert [e.at for e in mine] == sorted(e.at for e in mine), f.code
        assert all(e.at.date() == f.received_at.date() for e in mine), f.code
        assert [e.from_status for e in mine[1:]] == [e.to_status for e in mine[:-1]], f.code
        assert mine[-1].to_status == f.status
    for agency in (a, b):
        assert [f for f in files if f.agency == agency and f.status == 10], agency
    assert all(f.status == 7 for f in files if "withdraw" in {e.action for e in timeline[f.id]})

    # Statistics of each day and of both, as of 17:00 of the last day, against the events:
    # per agency (its own procedures' rows, against the events of its files), and for the
    # whole centre (a code's row adds up both agencies' procedures of that code).
    life_of: dict[int, dict[str, tuple[datetime, str]]] = {
        fid: {e.action: (e.at, str(json.loads(e.data or "{}").get("outcome", ""))) for e in mine}
        for fid, mine in timeline.items()
    }
    agency_of = {f.id: f.agency for f in files}
    procedure_of = {f.id: f.procedure_id for f in files}
    for first, last in ((MONDAY, MONDAY), (TUESDAY, TUESDAY), (MONDAY, TUESDAY)):
        now = datetime.combine(last, datetime.min.time()).replace(hour=17)
        expected = _expected_counts(life_of, procedure_of, first, now)
        with db.reader.begin() as s:
            counted = statistics.counts_by_procedure(s, first, last, now=now)
            report = statistics.period_report(s, first, last, GroupBy.PROCEDURE, now=now)
        assert counted == expected, (first, last)
        for agency in (a, b):
            lives_here = {fid: life for fid, life in life_of.items() if agency_of[fid] == agency}
            own = _expected_counts(lives_here, procedure_of, first, now)
            scope = Scope.of({agency})
            with db.reader.begin() as s:
                plain = _plain_counts(s, agency, first, now)
                assert statistics.counts_by_procedure(s, first, last, now=now, scope=scope) == own
                mine = statistics.period_report(
                    s, first, last, GroupBy.PROCEDURE, now=now, scope=scope
                )
            assert {r.group: r.counts for r in mine.rows} == {
                procedures[pid][1]: c for pid, c in own.items()
            }, agency
            assert mine.total == sum(own.values(), StatCounts())
            assert (mine.total.received_direct_postal, mine.total.settled_total) == plain, agency
            if first != last:  # each agency settled files and has open ones (over both days)
                assert mine.total.settled_total > 0 and mine.total.open_total > 0, agency
        by_code: dict[str, StatCounts] = defaultdict(StatCounts)
        for pid, c in expected.items():
            by_code[procedures[pid][1]] += c
        assert {r.group: r.counts for r in report.rows} == by_code
        total = sum(expected.values(), StatCounts())
        assert report.total == total
        assert total.settled_total > 0 and total.open_total > 0, (first, last)
        assert report.total.identity_errors() == []
        assert report.as_of == now
    # The independent count itself, against plainer counts: Tuesday carries over Monday's files
    # neither settled nor withdrawn, and the two days hold every file and every settlement.
    tuesday = sum(_expected_counts(life_of, procedure_of, TUESDAY, now).values(), StatCounts())
    monday_open = [
        fid
        for fid, life in life_of.items()
        if life["accept"][0].date() == MONDAY and not {"record_result", "withdraw"} & set(life)
    ]
    assert tuesday.carried_over == len(monday_open) > 0
    both = sum(_expected_counts(life_of, procedure_of, MONDAY, now).values(), StatCounts())
    assert both.received_direct_postal == len(files)
    assert both.settled_total == sum(1 for e in events if e.action == "record_result")
