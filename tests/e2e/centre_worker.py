"""One counter PC in its own process, for the centre concurrency test (test_centre_concurrency.py).

`run` opens the database itself (an SQLite file's path or the centre's PostgreSQL URL, as a PC
is told), signs its officer in for the one agency the PC serves (its Actor's `agencies`, and its
counter's name as `counter`), waits for every other counter on a shared barrier, then for a
fixed time does what a counter does, each step in its own writer transaction through the real
services: accept a file, forward one, record its result, return it at the counter, now and then
withdraw one (files of its own agency), with a random pause (the officer reading the file)
between reading a file and acting on it, so that another counter may move it in between and the
step is refused as stale. Every fifth step fails by design, each kind in turn: a move with a
version the officer never saw, a move out of order (returning a result that is not there yet),
and a save that breaks after its code and register number were taken (a postal file with an
unknown receipt-return choice), which must roll the numbers back with everything else.

No step reads the real clock. Each step's "now" is pinned: the day the file was (or is) received,
at a fixed hour for each kind of step (accept 08:00, forward 10:00, withdraw 12:00, result 13:00,
return 15:00), plus the counter's own running step number in seconds. So every move of a file is
after its previous one, whichever counters made them, and the whole run is on known days.

The counter reports one tuple per step tried (see `Step`) on the results queue once the time is
up, only for steps whose transaction has committed ("ok") or was refused ("stale", "refused"),
or ("crash", worker, traceback) when anything else happened, then exits non-zero.
"""

from __future__ import annotations

import random
import time
import traceback
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from multiprocessing import Queue
from multiprocessing.synchronize import Barrier
from typing import NamedTuple

from sqlalchemy import select

from desk_app.domain.documents import Channel
from desk_app.domain.workflow import Status
from desk_app.errors import IllegalTransitionError, StaleEditError, ValidationError
from desk_app.services import intake, lifecycle, users
from desk_app.services.context import Actor, load_context
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord

PASSWORD = "matkhau123"
# The hour each kind of step is pinned to, on the file's own day.
HOURS = {
    "accept": clock_time(8, 0),
    "forward": clock_time(10, 0),
    "withdraw": clock_time(12, 0),
    "record_result": clock_time(13, 0),
    "return_result": clock_time(15, 0),
}
MAX_STEPS = 3600  # a counter's step number stays inside its hour
# At least this many steps, however slow the machine: each kind of failure by design comes
# every fifth step in turn, so 15 steps try each of them once.
MIN_STEPS = 15
BROKEN_PREFIX = "Hồ sơ hỏng"  # the applicants of the saves that break by design


class Step(NamedTuple):
    """One step a counter tried, as reported to the test."""

    worker: int
    action: str  # accept, forward, withdraw, record_result, return_result
    code: str  # "" for an accept that was refused
    outcome: str  # ok, stale, refused
    by_design: bool  # meant to fail (a version never seen, out of order, a broken save)
    register: tuple[str, int] | None = None  # an accepted file's register book and number
    at: str = ""  # the pinned moment, ISO


def _pinned(day: date, action: str, step: int) -> datetime:
    if step >= MAX_STEPS:
        raise RuntimeError("too many steps for the pinned clock")
    return datetime.combine(day, HOURS[action]) + timedelta(seconds=step)


def _pause(rng: random.Random) -> None:
    time.sleep(rng.uniform(0.0, 0.02))


def _pick(
    db: Database, rng: random.Random, agency: int, statuses: tuple[int, ...]
) -> FileRecord | None:
    """A file of the counter's agency some counter has to move on, among the newest ones (where
    counters collide)."""
    with db.reader.begin() as s:
        rows = list(
            s.scalars(
                select(FileRecord)
                .where(FileRecord.agency == agency, FileRecord.status.in_(statuses))
                .order_by(FileRecord.id.desc())
                .limit(30)
            )
        )
    if not rows:
        return None
    # Most often the file furthest along, as a counter clears the results waiting first: files
    # then reach the end of their life within a short run, and counters reach for the same one.
    furthest = max(r.status for r in rows)
    if rng.random() < 0.6:
        rows = [r for r in rows if r.status == furthest]
    return rng.choice(rows)


def _move(db: Database, actor: Actor, action: str, code: str, version: int, now: datetime) -> None:
    data = lifecycle.MoveInput(code=code, expected_version=version)
    with db.writer.begin() as s:
        if action == "forward":
            lifecycle.forward(s, data, actor, now=now)
        elif action == "withdraw":
            lifecycle.withdraw(s, data, "Người nộp rút hồ sơ", actor, now=now)
        elif action == "record_result":
            lifecycle.record_result(s, data, actor, now=now)
        elif action == "return_result":
            lifecycle.return_result(s, data, actor, receiver="Người nhận", now=now)
        else:  # pragma: no cover - a typo in this module
            raise AssertionError(action)


def _next_action(status: int, rng: random.Random) -> str:
    if status == Status.ACCEPTED:
        return "withdraw" if rng.random() < 0.1 else "forward"
    if status == Status.PROCESSING:
        return "withdraw" if rng.random() < 0.05 else "record_result"
    return "return_result"


def _counter(
    db: Database,
    actor: Actor,
    worker: int,
    agency: int,
    day: date,
    procedures: tuple[str, ...],
    seconds: float,
    seed: int,
) -> list[Step]:
    rng = random.Random(seed)
    steps: list[Step] = []
    n = 0
    until = time.monotonic() + seconds
    while time.monotonic() < until or n < MIN_STEPS:
        n += 1
        if n == 1:
            kind = "accept"  # every counter starts by receiving a file
        elif n % 5 == 0:  # every fifth step fails by design, each kind in turn
            kind = ("broken", "stale", "wrong_order")[(n // 5 + worker) % 3]
        else:
            kind = "accept" if rng.random() < 0.45 else "move"
        if kind in ("accept", "broken"):
            broken = kind == "broken"
            now = _pinned(day, "accept", n)
            name = f"{BROKEN_PREFIX} {worker}-{n}" if broken else f"Người nộp {worker}-{n}"
            data = intake.IntakeInput(
                procedure=rng.choice(procedures),
                agency=agency,  # the code is in every agency's catalogue: the counter's own
                applicant=intake.ApplicantInput(name=name),
                # A postal file with an unknown receipt-return choice is refused after its
                # code and register number were taken: they must be rolled back.
                channel=Channel.POSTAL if broken else Channel.DIRECT,
                receipt_return="bogus" if broken else None,
            )
            _pause(rng)
            try:
                with db.writer.begin() as s:
                    view = intake.accept_file(s, data, actor, now=now)
            except ValidationError:
                if not broken:
                    raise
                steps.append(Step(worker, "accept", "", "refused", True, at=now.isoformat()))
                continue
            steps.append(
                Step(
                    worker,
                    "accept",
                    view.code,
                    "ok",
                    broken,
                    (view.register_book, view.register_seq),
                    now.isoformat(),
                )
            )
            continue
        stale = kind == "stale"  # a version the officer never saw
        wrong_order = kind == "wrong_order"  # returning a result that is not there yet
        statuses: tuple[int, ...] = (Status.ACCEPTED, Status.PROCESSING, Status.SETTLED)
        if wrong_order:
            statuses = (Status.ACCEPTED, Status.PROCESSING)
        record = _pick(db, rng, agency, statuses)
        if record is None:
            continue
        action = "return_result" if wrong_order else _next_action(record.status, rng)
        version = record.version - 1 if stale else record.version
        now = _pinned(record.received_at.date(), action, n)
        _pause(rng)
        try:
            _move(db, actor, action, record.code, version, now)
        except StaleEditError:
            outcome = "stale"
        except IllegalTransitionError:
            if not wrong_order:
                raise
            outcome = "refused"
        else:
            outcome = "ok"
        steps.append(
            Step(worker, action, record.code, outcome, stale or wrong_order, at=now.isoformat())
        )
    return steps


def run(
    target: str,
    username: str,
    worker: int,
    agency: int,
    counter: str,
    day: date,
    procedures: tuple[str, ...],
    seconds: float,
    start: Barrier,
    results: Queue[object],
) -> None:
    """A counter's whole life: open, sign in, wait for the others, work `seconds`, report."""
    try:
        db = open_database(target, migrate=False)
        try:
            with db.writer.begin() as s:
                actor = users.sign_in(
                    s,
                    username,
                    PASSWORD,
                    now=datetime.combine(day, clock_time(7, 30)),
                    served=[agency],
                    counter=counter,
                )
            with db.reader.begin() as s:
                # The working calendar of the run's days, built before the race starts (a
                # counter open all day has it): one whole year of holidays to work out.
                calendar = load_context(s, agency).calendar
            calendar.add_working_time(datetime.combine(day, clock_time(8)), timedelta(days=1))
            start.wait(timeout=60)
            steps = _counter(
                db, actor, worker, agency, day, procedures, seconds, seed=1000 + worker
            )
        finally:
            db.dispose()
    except BaseException:
        results.put(("crash", worker, traceback.format_exc()))
        raise
    results.put(("done", worker, steps))
