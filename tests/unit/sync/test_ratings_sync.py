"""The day summary carries the applicants' ratings of the day by level (issue 16): counts only,
never a comment, a reason or a name; a day without ratings is sent byte for byte as before."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select

from desk_app.department.schemas import SummaryIn
from desk_app.services import intake, lifecycle, ratings
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.ratings import Level
from desk_app.store.engine import Database
from desk_app.store.models import OutboxRow
from desk_app.sync import outbox
from desk_app.sync.summary import NO_RATINGS, RatingsOnDay, day_summaries, day_summary

KARAOKE, TRAVEL = "1.001029", "VHTTDL-DL-05"
MONDAY = datetime(2026, 3, 2, 9, 0)
COMMENT = "Chị Lan hướng dẫn rất kỹ"


def _accept(db: Database, actor: Actor, procedure: str, at: datetime) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name="Hoàng Văn Thụ"),
        received_at=at,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=at).code


def _open(db: Database, actor: Actor, code: str, service: str, at: datetime) -> str:
    with db.writer.begin() as s:
        return ratings.open_visit(s, code, service, actor, at).token


def _rate(db: Database, token: str, level: Level, at: datetime, comment: str = "") -> None:
    with db.writer.begin() as s:
        ratings.record_rating(s, token, level, ["thai_do", "huong_dan"], comment, at)


def _visit(
    db: Database, actor: Actor, code: str, at: datetime, level: Level, service: str = "accept"
) -> None:
    _rate(db, _open(db, actor, code, service, at), level, at + timedelta(minutes=2), COMMENT)


def _rows(db: Database, day: date) -> dict[str, object]:
    with db.reader.begin() as s:
        return {r.procedure: r for r in day_summary(s, day)}


def test_the_day_counts_its_ratings_by_level_per_procedure(db: Database, officer: Actor) -> None:
    k1 = _accept(db, officer, KARAOKE, MONDAY)
    k2 = _accept(db, officer, KARAOKE, MONDAY + timedelta(minutes=20))
    t1 = _accept(db, officer, TRAVEL, MONDAY + timedelta(minutes=40))
    _visit(db, officer, k1, MONDAY, Level.VERY_SATISFIED)
    _visit(db, officer, k2, MONDAY + timedelta(minutes=20), Level.VERY_SATISFIED)
    _visit(db, officer, k2, MONDAY + timedelta(minutes=30), Level.DISSATISFIED, "refuse")
    _visit(db, officer, t1, MONDAY + timedelta(minutes=40), Level.SATISFIED)
    _open(db, officer, t1, "accept", MONDAY + timedelta(minutes=50))  # never rated
    # Rated just before midnight of the next day: that day's, not Monday's.
    late = datetime(2026, 3, 3, 23, 50)
    _rate(db, _open(db, officer, t1, "return", late), Level.SATISFIED, late + timedelta(minutes=9))

    with db.reader.begin() as s:
        days = day_summaries(s, MONDAY.date(), date(2026, 3, 4))
    monday = {r.procedure: r.ratings for r in days[MONDAY.date()]}
    assert monday == {KARAOKE: RatingsOnDay(2, 0, 1), TRAVEL: RatingsOnDay(0, 1, 0)}
    tuesday = {r.procedure: r.ratings for r in days[date(2026, 3, 3)]}
    assert tuesday == {KARAOKE: NO_RATINGS, TRAVEL: RatingsOnDay(0, 1, 0)}
    assert {r.procedure: r.ratings for r in days[date(2026, 3, 4)]} == {
        KARAOKE: NO_RATINGS,
        TRAVEL: NO_RATINGS,
    }
    row = next(r for r in days[MONDAY.date()] if r.procedure == KARAOKE)
    assert row.as_json()["ratings"] == {"very_satisfied": 2, "satisfied": 0, "dissatisfied": 1}
    # Tuesday's karaoke row (its files open, no rating) has no "ratings" key at all.
    quiet = next(r for r in days[date(2026, 3, 3)] if r.procedure == KARAOKE)
    assert "ratings" not in quiet.as_json()


def test_a_rating_on_a_day_without_other_numbers_makes_the_procedures_row(
    db: Database, officer: Actor
) -> None:
    code = _accept(db, officer, KARAOKE, MONDAY)
    with db.writer.begin() as s:
        at = MONDAY + timedelta(hours=1)
        lifecycle.forward(s, MoveInput(code, at=at), officer, now=at)
        at += timedelta(hours=1)
        lifecycle.record_result(s, MoveInput(code, at=at), officer, now=at)
    wednesday = datetime(2026, 3, 4, 10, 0)
    assert _rows(db, wednesday.date()) == {}  # settled on Monday: nothing on Wednesday
    _visit(db, officer, code, wednesday, Level.VERY_SATISFIED, "return")
    (row,) = _rows(db, wednesday.date()).values()
    assert row.ratings == RatingsOnDay(1, 0, 0)  # type: ignore[attr-defined]
    assert not any(row.counts.as_dict().values())  # type: ignore[attr-defined]


def test_a_rating_makes_a_new_revision_of_its_day_and_travels_as_counts_only(
    db: Database, officer: Actor
) -> None:
    code = _accept(db, officer, KARAOKE, MONDAY)
    today = MONDAY.date()

    def payloads() -> list[str]:
        with db.writer.begin() as s:
            outbox.refresh(s, today)
            return list(
                s.scalars(
                    select(OutboxRow.payload)
                    .where(OutboxRow.day == today)
                    .order_by(OutboxRow.revision)
                )
            )

    (before,) = payloads()
    assert '"ratings"' not in before
    token = _open(db, officer, code, "accept", MONDAY)
    assert payloads() == [before]  # a visit not rated yet changes no byte
    _rate(db, token, Level.DISSATISFIED, MONDAY + timedelta(minutes=3), COMMENT)
    first, second = payloads()
    assert first == before
    body = json.loads(second)
    assert body["revision"] == 2
    SummaryIn.model_validate(body)  # the department takes it as it is
    (row,) = body["rows"]
    assert row["ratings"] == {"very_satisfied": 0, "satisfied": 0, "dissatisfied": 1}
    assert json.loads(before)["rows"][0]["counts"] == row["counts"]
    for private in (COMMENT, "thai_do", "huong_dan", "Nguyễn Thị Lan", token, code):
        assert private not in second
