"""Many counters writing one register at once (issue 14, centre mode): 12 counter processes on a
centre's PostgreSQL server, 4 on an SQLite file, each accepting, forwarding, settling, returning
and now and then withdrawing files for a few seconds through the real services, with random
pauses and steps that fail by design (see centre_worker.py).

Afterwards: no code and no register number is missing or given twice; every file's timeline holds
exactly the steps that committed, complete and in order, and nothing of a step that failed; the
period statistics equal a count made independently from the events; and no counter crashed.

One database is one agency for now: a centre database holding several agencies is not built yet,
so "8 counters of one agency and 4 of another" is here 12 counters of the one agency the database
holds, half of them receiving on Monday and half on Tuesday (codes are numbered per day, register
numbers per register book, i.e. per year). When agencies share a database, this test gets a second
agency and the same checks per agency.

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

import pytest
from sqlalchemy import select

from desk_app.domain.statistics import GroupBy, StatCounts
from desk_app.services import statistics, users
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import Database
from desk_app.store.models import Applicant, Event, FileRecord, Procedure, User
from desk_app.store.models import Counter as CounterRow
from tests.conftest import AGENCY_ID
from tests.e2e import centre_worker
from tests.e2e.centre_worker import BROKEN_PREFIX, PASSWORD, Step

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
# The shortest of these takes 5 working days: no file is overdue on the days of the run.
PROCEDURES = ("1.001029", "VHTTDL-VH-04", "VHTTDL-DL-01", "VHTTDL-DL-10")
# Counter processes and seconds of work: SQLite lets one writer in at a time, so fewer there.
RUNS = {"postgresql": (12, 8.0), "sqlite": (4, 5.0)}

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


def _run_counters(db: Database, processes: int, seconds: float) -> list[Step]:
    # Fresh processes (no connection or thread of this one inherited), forked from a server that
    # has imported the program once: twelve interpreters each importing it would take longer than
    # the run itself on a two-core machine.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([centre_worker.__name__, *PRELOAD])
    start = ctx.Barrier(processes)
    results: multiprocessing.Queue[object] = ctx.Queue()
    target = str(db.path) if db.path is not None else db.url  # what a PC is told
    workers = [
        ctx.Process(
            target=centre_worker.run,
            args=(
                target,
                f"quay{n:02d}",
                n,
                (MONDAY, TUESDAY)[n % 2],
                PROCEDURES,
                seconds,
                start,
                results,
            ),
        )
        for n in range(processes)
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


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["postgresql", "sqlite"], indirect=True)
def test_counters_at_once_never_lose_or_repeat_a_number_and_the_statistics_match_the_events(
    db: Database, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The counters' processes import centre_worker by its module name: make the folder that name
    # starts from importable (they copy this process's sys.path).
    depth = len(centre_worker.__name__.split("."))
    monkeypatch.syspath_prepend(str(Path(centre_worker.__file__).resolve().parents[depth - 1]))
    processes, seconds = RUNS[engine_name]
    with db.writer.begin() as s:
        for n in range(processes):
            users.create_user(
                s,
                f"quay{n:02d}",
                f"Cán bộ quầy {n}",
                users.Role.OFFICER,
                PASSWORD,
                COMMAND_LINE,
                now=datetime(2026, 3, 1, 9, 0),
            )

    steps = _run_counters(db, processes, seconds)

    with db.reader.begin() as s:
        files = list(s.scalars(select(FileRecord).order_by(FileRecord.register_seq)))
        events = list(s.scalars(select(Event).order_by(Event.id)))
        counters = {c.name: c.value for c in s.scalars(select(CounterRow))}
        broken_applicants = s.scalars(
            select(Applicant.name).where(Applicant.name.like(f"{BROKEN_PREFIX}%"))
        ).all()
        usernames: dict[int, str] = dict(s.execute(select(User.id, User.username)).all())
        procedure_codes: dict[int, str] = dict(
            s.execute(select(Procedure.id, Procedure.code)).all()
        )

    # The run was a real race: every counter worked, their files interleave in the register,
    # and each kind of failure by design happened (else the checks below could not fail).
    accepted = [st for st in steps if st.action == "accept" and st.outcome == "ok"]
    assert {st.worker for st in accepted} == set(range(processes))
    by_code = {st.code: st for st in accepted}
    owners = [by_code[f.code].worker for f in files]
    assert sum(a != b for a, b in pairwise(owners)) >= processes
    tried = Counter((st.action, st.outcome) for st in steps if st.by_design)
    assert tried[("accept", "refused")] > 0  # broke after taking its numbers
    assert tried[("return_result", "refused")] > 0  # out of order
    assert sum(n for (_, outcome), n in tried.items() if outcome == "stale") > 0
    assert not [st for st in steps if st.by_design and st.outcome == "ok"]

    # Codes: per day, 1..n with no gap and no repeat; register numbers: per book, the same.
    # The counters stand at n: the broken saves gave their numbers back.
    assert sorted((f.code, f.register_book, f.register_seq) for f in files) == sorted(
        (st.code, *st.register) for st in accepted if st.register is not None
    )
    for day in (MONDAY, TUESDAY):
        codes = sorted(f.code for f in files if f.received_at.date() == day)
        assert codes, day
        assert codes == [f"{AGENCY_ID}-{day:%y%m%d}-{n:04d}" for n in range(1, len(codes) + 1)]
        assert counters[f"file:{AGENCY_ID}:{day:%y%m%d}"] == len(codes)
    assert {f.register_book for f in files} == {"2026"}
    assert [f.register_seq for f in files] == list(range(1, len(files) + 1))
    assert counters["register:2026"] == len(files)
    assert broken_applicants == []

    # Timelines: exactly the steps that committed (nothing of a refused one), each file's
    # complete and in order, every move after the one before, the file where its last event left it.
    # Each step is under the name of the counter's officer who made it.
    committed = Counter(
        (st.code, st.action, f"quay{st.worker:02d}") for st in steps if st.outcome == "ok"
    )
    code_of = {f.id: f.code for f in files}
    assert (
        Counter((code_of[e.file_id], e.action, usernames[e.officer_id or 0]) for e in events)
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
    finished = [f for f in files if f.status == 10]
    assert finished
    assert all(f.status == 7 for f in files if "withdraw" in {e.action for e in timeline[f.id]})

    # Statistics of each day and of both, as of 17:00 of the last day, against the events.
    life_of: dict[int, dict[str, tuple[datetime, str]]] = {
        fid: {e.action: (e.at, str(json.loads(e.data or "{}").get("outcome", ""))) for e in mine}
        for fid, mine in timeline.items()
    }
    procedure_of = {f.id: f.procedure_id for f in files}
    for first, last in ((MONDAY, MONDAY), (TUESDAY, TUESDAY), (MONDAY, TUESDAY)):
        now = datetime.combine(last, datetime.min.time()).replace(hour=17)
        expected = _expected_counts(life_of, procedure_of, first, now)
        with db.reader.begin() as s:
            counted = statistics.counts_by_procedure(s, first, last, now=now)
            report = statistics.period_report(s, first, last, GroupBy.PROCEDURE, now=now)
        assert counted == expected, (first, last)
        assert {r.group: r.counts for r in report.rows} == {
            procedure_codes[pid]: c for pid, c in expected.items()
        }
        total = sum(expected.values(), StatCounts())
        assert report.total == total
        assert report.total.identity_errors() == []
        assert report.as_of == now
        assert total.settled_total > 0 and total.open_total > 0, (first, last)
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
