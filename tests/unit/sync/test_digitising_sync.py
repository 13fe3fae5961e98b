"""The day summary sent to the department carries the digitising counts (never a page), the
department accepts them, and a line changed later makes a new revision of its file's day."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from desk_app.department.schemas import SummaryIn
from desk_app.domain.digitising import LineState
from desk_app.services import digitise, intake
from desk_app.services.context import Actor
from desk_app.store.engine import Database
from desk_app.store.models import OutboxRow
from desk_app.store.pages import sha256_of
from desk_app.sync import outbox
from tests.unit.services.test_digitise import picture

RECEIVED = datetime(2026, 3, 2, 9, 15)


def _payloads(db: Database) -> list[dict[str, object]]:
    with db.writer.begin() as s:
        outbox.refresh(s, RECEIVED.date())
        rows = s.scalars(select(OutboxRow.payload).order_by(OutboxRow.revision)).all()
    return [json.loads(p) for p in rows]


def test_the_counts_travel_and_a_late_change_makes_a_new_revision(
    db: Database, officer: Actor
) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    png = picture("PNG")
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=RECEIVED).code
        digitise.open_lines(s, code, officer, RECEIVED)
        digitise.attach(s, code, [(png, "a.png")], officer, RECEIVED, line=0)
    (first,) = _payloads(db)
    SummaryIn.model_validate(first)  # the department takes it as it is
    (row,) = first["rows"]  # type: ignore[misc]
    assert row["digitising"]["lines_digitised"] == 1
    assert row["digitising"]["files_digitised"] == 0  # line 1 still to scan
    assert sha256_of(png) not in json.dumps(first)

    with db.writer.begin() as s:
        digitise.set_state(s, code, LineState.SHOWN_ONLY, officer, RECEIVED, line=1, reason="Xem")
    first_again, second = _payloads(db)
    assert first_again == first and second["revision"] == 2
    (row,) = second["rows"]  # type: ignore[misc]
    assert row["digitising"]["files_digitised"] == 1 and row["digitising"]["shown_only"] == 1
