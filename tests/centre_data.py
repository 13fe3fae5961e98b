"""A centre of two agencies for the supervisor's tests: the second agency added as plain rows
(its settings row, its sync row, its catalogue), files accepted at three counters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from desk_app.domain.catalog import DocumentSpec, ProcedureSpec, bundled_catalog
from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.services import desk, intake, lifecycle, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, SyncSettings

JUSTICE = 2  # the second agency's id
JUSTICE_NAME = "SỞ TƯ PHÁP"
KARAOKE = "1.001029"  # 5 working days, in both agencies' catalogues
TOURS = "VHTTDL-DL-01"  # 10 working days, the first agency's only
COPY = ProcedureSpec(
    code="2.000815",
    name="Chứng thực bản sao từ bản chính",
    field="Chứng thực",
    settling_agency="Sở Tư pháp",
    duration=Decimal(3),
    unit=DurationUnit.WORKING_DAYS,
    fee=2000,
    documents=(DocumentSpec("Bản chính giấy tờ", CopyType.ORIGINAL, 1),),
)


def add_justice(db: Database, *, due_soon_days: Decimal = Decimal(3)) -> None:
    """The second agency: "Sở Tư pháp", warned three working days before a due (the first
    agency keeps one), with the karaoke licence and certified copies in its catalogue."""
    with db.writer.begin() as s:
        s.add(
            DeskSettings(
                id=JUSTICE,
                agency_id="000.00.21.H37",
                agency_name=JUSTICE_NAME,
                short_name="Sở Tư pháp",
                governing_body="UBND TỈNH LẠNG SƠN",
                place_name="Lạng Sơn",
                due_soon_days=due_soon_days,
            )
        )
        s.add(SyncSettings(id=JUSTICE, install_id=str(uuid.uuid4())))
        s.flush()
        karaoke = next(p for p in bundled_catalog() if p.code == KARAOKE)
        desk.import_catalog(s, [karaoke, COPY], COMMAND_LINE, agency=JUSTICE)


@dataclass(frozen=True)
class Desks:
    """Who receives: two counters of the first agency (and one computer that names none), one
    counter of the second."""

    first_counter: Actor
    no_counter: Actor
    supervisor_counter: Actor
    justice: Actor


def desks(db: Database, officer: Actor, supervisor: Actor) -> Desks:
    with db.writer.begin() as s:
        clerk = users.create_user(
            s,
            "tuphap",
            "Hoàng Văn Tư",
            users.Role.OFFICER,
            "matkhau123",
            COMMAND_LINE,
            agencies=[JUSTICE],
        )
    return Desks(
        first_counter=replace(officer, agencies=frozenset({1}), counter="Quầy 1"),
        no_counter=replace(officer, agencies=frozenset({1}), counter=""),
        supervisor_counter=replace(supervisor, agencies=frozenset({1}), counter="Quầy 2"),
        justice=Actor(
            user_id=clerk.id,
            name="Hoàng Văn Tư",
            role="officer",
            username="tuphap",
            agencies=frozenset({JUSTICE}),
            counter="Quầy 5",
        ),
    )


def accept(
    db: Database, actor: Actor, procedure: str, received: datetime, name: str, agency: int
) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name=name),
        received_at=received,
        agency=agency,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=received).code


# Working days from Monday 16 February to Friday 27 March 2026 (no holiday falls in them).
def _weekdays(first: datetime, count: int) -> list[datetime]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def centre_files(db: Database, who: Desks) -> dict[str, str]:
    """About thirty files over February and March 2026 in both agencies, at every counter:
    settled early, on time and late, withdrawn, paused and left open (name -> code)."""
    actors = (who.first_counter, who.justice, who.no_counter, who.supervisor_counter, who.justice)
    procedures = {1: (KARAOKE, TOURS), JUSTICE: (KARAOKE, COPY.code)}
    codes = {}
    for i, day in enumerate(_weekdays(datetime(2026, 2, 16, 9, 0), 30)):
        actor = actors[i % len(actors)]
        agency = JUSTICE if actor is who.justice else 1
        procedure = procedures[agency][i % 2]
        received = day + timedelta(minutes=7 * i)
        code = accept(db, actor, procedure, received, f"Người thứ {i}", agency)
        codes[f"f{i}"] = code
        with db.writer.begin() as s:
            move = MoveInput(code)
            if i % 4 == 0:  # settled soon: early
                lifecycle.record_result(s, move, actor, now=received + timedelta(days=1))
            elif i % 4 == 1 and i < 20:  # settled a fortnight later: late for most
                lifecycle.record_result(s, move, actor, now=received + timedelta(days=14))
            elif i % 8 == 3:
                lifecycle.withdraw(s, move, "Xin rút", actor, now=received + timedelta(days=2))
            elif i % 8 in (6, 7):
                lifecycle.request_supplement(
                    s, move, "Thiếu bản sao", actor, now=received + timedelta(hours=3)
                )
    return codes
