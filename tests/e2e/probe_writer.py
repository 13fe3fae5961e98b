"""A counter PC in its own process for the crash and concurrency probes (tests/e2e/crash_probe.py).

`python probe_writer.py life DB RUN SEED`: a stream of different writes through the real
services, each in its own transaction: accept a file, correct it, forward it, ask for and receive
a supplement, record the result, return it at the counter to a named recipient or hand it to the
post and record its delivery. The next step of a file is read from its last event inside the
write transaction, so a run killed half-way is picked up by the next run without repeating a
step. Each step is printed (`CODE STEP`) only after its transaction has committed. Run RUN works
in its own hour of the register's days, so the moments of a file's steps only move forward.

`python probe_writer.py accept DB WORKER COUNT`: prints `ready`, waits for a line on stdin, then
accepts COUNT files (every fourth refused at the desk) at the moment DESK_TEST_NOW pins, printing
`ok CODE BOOK SEQ ACTION` after each commit; any error is printed as `error TYPE: MESSAGE`.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import codes
from desk_app.domain.documents import ResultBy
from desk_app.services import amend, intake, lifecycle, post
from desk_app.services.context import Actor, load_context
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import open_database
from desk_app.store.models import Event, FileRecord, User

PROCEDURE = "1.001029"
FIRST_DAY = date(2026, 3, 2)  # a Monday
# A file's steps after its acceptance, by the action of its last event; None: finished.
COUNTER_STEPS = {
    "accept": "correct",
    "correct": "forward",
    "forward": "request_supplement",
    "request_supplement": "receive_supplement",
    "receive_supplement": "record_result",
    "record_result": "return_result",
}
POST_STEPS = {
    "accept": "correct",
    "correct": "forward",
    "forward": "record_result",
    "record_result": "postal_handover",
    "postal_handover": "postal_delivered",
}
IN_FLIGHT = 4  # files worked on side by side


def run_start(run: int) -> datetime:
    """Where run `run` starts: its own hour, 08:00-15:00 on working days from FIRST_DAY."""
    day, hour = divmod(run, 8)
    moment = datetime.combine(FIRST_DAY, datetime.min.time()).replace(hour=8 + hour)
    while day:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            day -= 1
    return moment


def officer(session: Session) -> Actor:
    """The officer `canbo`, as signing in would give it. The probes skip the password check:
    its scrypt hash takes about a second here, on every start of the writer."""
    user = session.scalars(select(User).where(User.username == "canbo")).one()
    return Actor(user_id=user.id, name=user.full_name, role=user.role)


def tracking_number(file_id: int) -> str:
    """A valid, never repeated S10 number for the result of file `file_id`."""
    serial = f"{file_id:08d}"
    return f"RR{serial}{codes.s10_check_digit(serial)}VN"


def next_step(session: Session, record: FileRecord) -> str | None:
    last = session.scalars(
        select(Event.action).where(Event.file_id == record.id).order_by(Event.id.desc()).limit(1)
    ).one()
    steps = POST_STEPS if record.result_by == "post" else COUNTER_STEPS
    return steps.get(last)


def do_step(session: Session, code: str, step: str, actor: Actor, now: datetime) -> None:
    """One step of a file through the service that the window's action calls."""
    move = MoveInput(code)
    if step == "correct":
        amend.correct_field(
            session,
            amend.Correction(code, "notes", f"Đã kiểm tra lúc {now:%H:%M:%S}", "Bổ sung ghi chú"),
            actor,
            now=now,
        )
    elif step == "forward":
        lifecycle.forward(session, move, actor, agency="Phòng Quản lý văn hóa", now=now)
    elif step == "request_supplement":
        lifecycle.request_supplement(
            session, move, "Thiếu bản sao giấy phép", actor, missing=("Giấy phép",), now=now
        )
    elif step == "receive_supplement":
        lifecycle.receive_supplement(session, move, actor, now=now)
    elif step == "record_result":
        lifecycle.record_result(session, move, actor, now=now)
    elif step == "return_result":
        lifecycle.return_result(
            session, move, actor, receiver="Trần Văn Nhận", receiver_id="001085012345", now=now
        )
    elif step == "postal_handover":
        record = session.scalars(select(FileRecord).where(FileRecord.code == code)).one()
        post.hand_over(
            session,
            code,
            tracking=tracking_number(record.id),
            postage=25000,
            paid_by="applicant",
            actor=actor,
            now=now,
        )
    elif step == "postal_delivered":
        post.record_delivered(session, code, at=now, signed_by="Lê Thị Ký", actor=actor, now=now)
    else:
        raise ValueError(step)


def new_file(n: int) -> intake.IntakeInput:
    by_post = n % 3 == 0
    return intake.IntakeInput(
        procedure=PROCEDURE,
        applicant=intake.ApplicantInput(
            name=f"Người nộp thử {n}", address=f"{n} Lê Lợi, Vĩnh Trại, Lạng Sơn"
        ),
        result_by=ResultBy.POST if by_post else ResultBy.COUNTER,
    )


def life(db_path: str, run: int, seed: int) -> int:
    db = open_database(Path(db_path), migrate=False)
    rng = random.Random(seed * 100_003 + run)
    clock = run_start(run)
    tick = 0

    def now() -> datetime:
        nonlocal tick
        tick += 1  # a second per step: a run of an hour has room for 3,600 steps
        return clock + timedelta(seconds=tick)

    try:
        with db.reader.begin() as s:
            actor = officer(s)
            load_context(s)
            unfinished = [
                r.code
                for r in s.scalars(select(FileRecord).order_by(FileRecord.id))
                if next_step(s, r) is not None
            ]
            n = len(s.scalars(select(FileRecord.id)).all())
        while tick < 3000:
            if len(unfinished) < IN_FLIGHT:
                n += 1
                with db.writer.begin() as s:
                    view = intake.accept_file(s, new_file(n), actor, now=now())
                print(f"{view.code} accept", flush=True)
                unfinished.append(view.code)
                continue
            code = rng.choice(unfinished)
            with db.writer.begin() as s:
                record = s.scalars(select(FileRecord).where(FileRecord.code == code)).one()
                step = next_step(s, record)
                if step is not None:
                    do_step(s, code, step, actor, now())
            if step is None:
                unfinished.remove(code)
            else:
                print(f"{code} {step}", flush=True)
    finally:
        db.dispose()
    return 0


def accept(db_path: str, worker: int, count: int) -> int:
    db = open_database(Path(db_path), migrate=False)
    failed = 0
    try:
        with db.reader.begin() as s:
            actor = officer(s)
            load_context(s)  # the working calendar is built now, not inside the first save
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(count):
            data = intake.IntakeInput(
                procedure=PROCEDURE,
                applicant=intake.ApplicantInput(name=f"Người nộp {worker}-{i}"),
            )
            try:
                with db.writer.begin() as s:
                    if i % 4 == 3:
                        view = intake.refuse_file(s, data, "Không thuộc thẩm quyền", actor)
                    else:
                        view = intake.accept_file(s, data, actor)
            except Exception as exc:  # reported, not hidden: the parent counts them
                failed += 1
                print(f"error {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
                continue
            action = "refuse" if i % 4 == 3 else "accept"
            print(f"ok {view.code} {view.register_book} {view.register_seq} {action}", flush=True)
    finally:
        db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    mode, path, *rest = sys.argv[1:]
    if mode == "life":
        sys.exit(life(path, int(rest[0]), int(rest[1])))
    sys.exit(accept(path, int(rest[0]), int(rest[1])))
