"""A place in the queue (issue 16), on both engines: tickets numbered per group and day (never
twice, again from 1 the next day), called by counters (two at once never take the same ticket),
recalled, skipped, linked to the file received, and the waiting and service times counted."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.errors import ValidationError
from desk_app.services import tickets
from desk_app.services.context import Actor
from desk_app.services.views import FileView
from desk_app.store.engine import Database

NOW = datetime(2026, 3, 2, 8, 0)


def _groups(db: Database) -> tuple[int, int]:
    with db.writer.begin() as s:
        a = tickets.groups(s)
        b = tickets.add_group(s, "b", "  Hộ tịch,   chứng thực ")
    assert [g.prefix for g in a] == ["A"] and b.prefix == "B" and b.name == "Hộ tịch, chứng thực"
    return a[0].id, b.id


def _issue(db: Database, group: int, now: datetime = NOW) -> tickets.TicketView:
    with db.writer.begin() as s:
        return tickets.issue_ticket(s, group, now)


def test_numbers_count_per_group_and_day_and_start_again_next_day(db: Database) -> None:
    a, b = _groups(db)
    first = _issue(db, a)
    assert (first.label, first.waiting, first.status) == ("A001", 0, "waiting")
    assert [_issue(db, a, NOW + timedelta(minutes=i)).label for i in (1, 2)] == ["A002", "A003"]
    third = _issue(db, a, NOW + timedelta(minutes=3))
    assert third.label == "A004" and third.waiting == 3
    assert _issue(db, b).label == "B001"
    tomorrow = _issue(db, a, NOW + timedelta(days=1))
    assert (tomorrow.label, tomorrow.day, tomorrow.waiting) == ("A001", date(2026, 3, 3), 0)
    with db.reader.begin() as s:
        assert tickets.waiting_count(s, [a, b], NOW.date()) == 5
    # The database itself refuses a number twice within a group's day.
    with pytest.raises(IntegrityError), db.writer.begin() as s:
        s.execute(
            text(
                "INSERT INTO tickets(group_id, day, number, status, issued_at, recalls) "
                "VALUES (:g, '2026-03-02', 1, 'waiting', '2026-03-02 09:00:00', 0)"
            ),
            {"g": a},
        )


def test_the_ticket_prints_with_the_number_and_the_people_waiting(db: Database) -> None:
    a, _b = _groups(db)
    _issue(db, a)
    second = _issue(db, a, NOW + timedelta(minutes=1))
    with db.reader.begin() as s:
        pdf = tickets.ticket_pdf(s, second)
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "A002" in page and "quý khách: 1" in page and "08:01 ngày 02/03/2026" in page


def test_a_group_needs_letters_a_name_and_its_own_prefix(db: Database) -> None:
    _groups(db)
    for prefix, name, field in (("1", "X", "prefix"), ("Ă", "X", "prefix"), ("C", " ", "name")):
        with pytest.raises(ValidationError) as err, db.writer.begin() as s:
            tickets.add_group(s, prefix, name)
        assert err.value.field == field
    with pytest.raises(ValidationError, match="Đã có nhóm ký hiệu B"), db.writer.begin() as s:
        tickets.add_group(s, "B", "Khác")


def test_a_counter_calls_recalls_skips_and_links_the_file(
    db: Database, officer: Actor, accept: Callable[..., FileView]
) -> None:
    a, b = _groups(db)
    desk = replace(officer, counter="Quầy 1")
    for i, group in enumerate((b, a, a)):
        _issue(db, group, NOW + timedelta(minutes=i))
    with db.writer.begin() as s:
        called = tickets.call_next(s, desk, [a, b], NOW + timedelta(minutes=10))
    assert called is not None and called.label == "B001" and called.counter == "Quầy 1"
    with db.writer.begin() as s:
        again = tickets.recall(s, called.id, desk)
        assert tickets.current_ticket(s, desk, NOW).label == "B001"  # type: ignore[union-attr]
    assert again.recalls == 1 and again.status == "called"
    with db.writer.begin() as s:
        skipped = tickets.skip(s, called.id, desk, NOW + timedelta(minutes=12))
    assert skipped.status == "skipped"
    with pytest.raises(ValidationError, match="không phải số"), db.writer.begin() as s:
        tickets.recall(s, called.id, desk)

    with db.writer.begin() as s:
        second = tickets.call_next(s, desk, [a], NOW + timedelta(minutes=13))
    assert second is not None and second.label == "A001"
    other = replace(officer, counter="Quầy 2")
    with pytest.raises(ValidationError, match="không phải số"), db.writer.begin() as s:
        tickets.skip(s, second.id, other, NOW)  # not that counter's ticket
    file = accept(received=NOW + timedelta(minutes=20))
    with db.writer.begin() as s:
        linked = tickets.link_ticket_to_file(s, second.id, file.code, NOW + timedelta(minutes=20))
    assert linked.status == "served" and linked.file_id is not None

    # Calling the next number finishes the counter's current ticket.
    with db.writer.begin() as s:
        third = tickets.call_next(s, desk, [a], NOW + timedelta(minutes=21))
        assert third is not None and third.label == "A002"
        assert tickets.call_next(s, desk, [a], NOW + timedelta(minutes=30)) is None
        assert tickets.current_ticket(s, desk, NOW) is None
    with db.reader.begin() as s:
        times = tickets.queue_times(s, NOW.date(), NOW.date())
    by_group = {t.group_prefix: t for t in times}
    # A001: issued 08:01, called 08:13, served 08:20; A002: 08:02 → 08:21 → 08:30.
    assert by_group["A"].served == 2 and by_group["A"].officer == "Nguyễn Thị Lan"
    assert by_group["A"].wait_minutes == pytest.approx((12 + 19) / 2, abs=0.05)
    assert by_group["A"].service_minutes == pytest.approx((7 + 9) / 2, abs=0.05)
    assert (by_group["B"].served, by_group["B"].skipped, by_group["B"].wait_minutes) == (0, 1, 10)


def test_two_counters_calling_at_once_never_take_the_same_ticket(
    db: Database, officer: Actor
) -> None:
    a, b = _groups(db)
    issued = 16
    for i in range(issued):
        _issue(db, a if i % 2 else b, NOW + timedelta(seconds=i))
    start = threading.Barrier(2)
    taken: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def counter(name: str) -> None:
        actor = replace(officer, counter=name)
        mine: list[str] = []
        try:
            for i in range(issued):
                start.wait(timeout=10)
                with db.writer.begin() as s:
                    ticket = tickets.call_next(s, actor, [a, b], NOW + timedelta(minutes=i))
                if ticket is not None:
                    mine.append(ticket.label)
        except BaseException as exc:  # reported below
            errors.append(exc)
            start.abort()
        taken[name] = mine

    threads = [threading.Thread(target=counter, args=(f"Quầy {n}",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    every = taken["Quầy 1"] + taken["Quầy 2"]
    assert len(every) == issued and len(set(every)) == issued
    assert taken["Quầy 1"] and taken["Quầy 2"]


def test_kiosks_issuing_at_once_never_repeat_a_number(db: Database) -> None:
    a, _b = _groups(db)
    start = threading.Barrier(3)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def kiosk() -> None:
        try:
            for _ in range(6):
                start.wait(timeout=10)
                numbers.append(_issue(db, a).number)
        except BaseException as exc:
            errors.append(exc)
            start.abort()

    threads = [threading.Thread(target=kiosk) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and sorted(numbers) == list(range(1, 19))


def test_a_counter_passes_over_the_ticket_another_is_calling(
    db: Database, officer: Actor, engine_name: str
) -> None:
    """Without the writers' lock (PostgreSQL's plain sessions): while one counter's call is still
    open, another's call takes the next ticket at once (SKIP LOCKED) instead of waiting for it."""
    if engine_name == "sqlite":
        pytest.skip("SQLite's writer holds its lock from BEGIN: nothing can come in between")
    a, _b = _groups(db)
    for i in range(2):
        _issue(db, a, NOW + timedelta(seconds=i))
    first = Session(db.engine)
    try:
        with first.begin():
            mine = tickets.call_next(first, replace(officer, counter="Quầy 1"), [a], NOW)
            other: list[str] = []

            def second() -> None:
                with Session(db.engine) as s, s.begin():
                    s.execute(text("SET LOCAL lock_timeout = '2s'"))
                    got = tickets.call_next(s, replace(officer, counter="Quầy 2"), [a], NOW)
                    other.append(got.label if got else "")

            thread = threading.Thread(target=second)
            thread.start()
            thread.join(timeout=10)
            assert mine is not None and mine.label == "A001" and other == ["A002"]
    finally:
        first.close()
