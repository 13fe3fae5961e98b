"""Queries: the search box and the work queues an officer works from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from desk_app.domain.workflow import Status
from desk_app.services import amend, intake, lifecycle, queries
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.queries import Queue
from desk_app.services.views import FileView
from desk_app.store.engine import Database

Accept = Callable[..., FileView]


# --- search ----------------------------------------------------------------------------------


@pytest.fixture
def anh(accept: Accept) -> FileView:
    """Đặng Thị Ánh's file, beside two other people's."""
    accept(received=datetime(2026, 3, 2, 8, 0), name="Nguyễn Văn Đặng", phone="0987000111")
    view = accept(
        received=datetime(2026, 3, 2, 9, 15),
        name="Đặng Thị Ánh",
        id_number="020185001234",
        phone="0912.345.678",
    )
    accept(received=datetime(2026, 3, 2, 9, 30), name="Hoàng Văn Bình", id_number="020090004321")
    return view


def _search(db: Database, text: str) -> list[str]:
    with db.reader.begin() as s:
        return [r.applicant_name for r in queries.search_files(s, text)]


@pytest.mark.parametrize(
    "typed",
    [
        "dang thi anh",
        "Đặng Thị Ánh",
        "ĐẶNG THỊ ÁNH",
        "  đặng   thị  ",
        "thi anh",
        "anh",
        "an",  # the last word is a prefix
        "020185001234",
        "0201 8500 1234",
        "+84 912 345 678",
        "0912345678",
        "0912.345.678",
    ],
)
def test_search_finds_anh(db: Database, anh: FileView, typed: str) -> None:
    assert _search(db, typed) == ["Đặng Thị Ánh"]


def test_search_by_a_name_word_finds_everyone_with_it(db: Database, anh: FileView) -> None:
    # Newest receipt first.
    assert _search(db, "DANG") == ["Đặng Thị Ánh", "Nguyễn Văn Đặng"]
    assert _search(db, "van") == ["Hoàng Văn Bình", "Nguyễn Văn Đặng"]


@pytest.mark.parametrize("typed", ["le van tam", "0999999999", "020185009999", "", "   ", "?!"])
def test_search_without_a_match_is_empty(db: Database, anh: FileView, typed: str) -> None:
    assert _search(db, typed) == []


def test_search_by_file_code(db: Database, anh: FileView) -> None:
    assert anh.code == "000.00.20.H37-260302-0002"
    with db.reader.begin() as s:
        exact = queries.search_files(s, "000.00.20.H37-260302-0002")
        lower = queries.search_files(s, "000.00.20.h37-260302-0002")
        other_day = queries.search_files(s, "000.00.20.H37-260303-0002")
    assert [(r.code, r.applicant_name, r.status) for r in exact] == [
        ("000.00.20.H37-260302-0002", "Đặng Thị Ánh", Status.ACCEPTED)
    ]
    assert [r.code for r in lower] == ["000.00.20.H37-260302-0002"]
    assert other_day == []


def test_search_by_file_code_typed_with_spaces(db: Database, anh: FileView) -> None:
    with db.reader.begin() as s:
        found = queries.search_files(s, " 000.00.20.H37 - 260302 - 0002 ")
    assert [r.code for r in found] == ["000.00.20.H37-260302-0002"]


@pytest.mark.parametrize("typed", ["0123456789-001", "0123456789001", "0123456789 - 001"])
def test_search_by_tax_code_of_an_organisation(db: Database, accept: Accept, typed: str) -> None:
    accept(name="Công ty TNHH Karaoke Hoa Mai", id_number="0123456789001")

    assert _search(db, typed) == ["Công ty TNHH Karaoke Hoa Mai"]


def test_search_by_passport_number(db: Database, accept: Accept) -> None:
    accept(name="Trần Văn Hải", id_number="c1234567")
    accept(received=datetime(2026, 3, 2, 9, 30), name="John Smith", id_number="AB1234567")

    assert _search(db, "C1234567") == ["Trần Văn Hải"]
    assert _search(db, "c1234567") == ["Trần Văn Hải"]
    assert _search(db, "ab1234567") == ["John Smith"]


# --- queues ----------------------------------------------------------------------------------

QUEUE_NOW = datetime(2026, 3, 9, 10, 0)  # Monday of the second week


@pytest.fixture
def register(db: Database, officer: Actor, supervisor: Actor, accept: Accept) -> dict[str, str]:
    """Eleven files in every situation a queue must tell apart; name -> code."""
    mon = datetime(2026, 3, 2, 10, 0)
    codes = {
        # karaoke 5 working days; due Mon 9 March 08:00, forwarded (status 4)
        "A": accept(received=datetime(2026, 3, 2, 8, 0), name="A").code,
        # travel licence, 10 working days: due Mon 16 March 08:00
        "B": accept("VHTTDL-DL-01", datetime(2026, 3, 2, 8, 0), name="B").code,
        # 4 working hours from 08:00: due Mon 2 March 14:00
        "C": accept("CHUNG-CT-02", datetime(2026, 3, 2, 8, 0), name="C").code,
        # waiting for a supplement since 09:30; its due (Mon 9 March 09:00) is past at QUEUE_NOW
        "D": accept(received=datetime(2026, 3, 2, 9, 0), name="D").code,
        # same-day, settled
        "F": accept("CHUNG-CT-01", datetime(2026, 3, 2, 9, 0), name="F").code,
        # no time limit
        "G": accept("VHTTDL-DL-04", datetime(2026, 3, 2, 9, 0), name="G").code,
        # due Mon 9 March 08:30, rescheduled to Fri 13 March 17:00
        "H": accept(received=datetime(2026, 3, 2, 8, 30), name="H").code,
        # due Tue 10 March 09:00, 10:00 and 10:30
        "I": accept(received=datetime(2026, 3, 3, 9, 0), name="I").code,
        "K": accept(received=datetime(2026, 3, 3, 10, 0), name="K").code,
        "J": accept(received=datetime(2026, 3, 3, 10, 30), name="J").code,
    }
    refusal = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="E"),
        received_at=datetime(2026, 3, 2, 9, 0),
    )
    with db.writer.begin() as s:
        codes["E"] = intake.refuse_file(
            s, refusal, "Sai thẩm quyền", officer, now=refusal.received_at
        ).code
        lifecycle.forward(s, MoveInput(codes["A"]), officer, now=mon)
        lifecycle.request_supplement(
            s, MoveInput(codes["D"], at=datetime(2026, 3, 2, 9, 30)), "Thiếu", officer, now=mon
        )
        lifecycle.record_result(
            s, MoveInput(codes["F"], at=datetime(2026, 3, 2, 9, 45)), officer, now=mon
        )
        amend.reschedule(
            s,
            codes["H"],
            datetime(2026, 3, 13, 17, 0),
            "Chờ xác minh",
            supervisor,
            now=datetime(2026, 3, 4, 10, 0),
        )
    return codes


def _queue(db: Database, queue: Queue, now: datetime = QUEUE_NOW) -> tuple[list[str], int]:
    with db.reader.begin() as s:
        rows = queries.list_files(s, queue, now)
        return [r.applicant_name for r in rows], queries.count_queue(s, queue, now)


def test_open_queue_holds_accepted_processing_and_paused_files(
    db: Database, register: dict[str, str]
) -> None:
    # Most urgent appointment first (the applicant's due), no time limit last.
    names = ["C", "A", "D", "I", "K", "J", "H", "B", "G"]
    assert _queue(db, Queue.OPEN) == (names, 9)


def test_overdue_is_judged_against_the_original_due_of_running_files(
    db: Database, register: dict[str, str]
) -> None:
    # H was rescheduled to Friday but is still overdue by the rules; D is paused, not overdue.
    assert _queue(db, Queue.OVERDUE) == (["C", "A", "H"], 3)


def test_due_soon_is_within_one_working_day(db: Database, register: dict[str, str]) -> None:
    # Mon 10:00 + 8 working hours = Tue 10:00: I (09:00) and K (10:00) but not J (10:30).
    assert _queue(db, Queue.DUE_SOON) == (["I", "K"], 2)


def test_paused_queue(db: Database, register: dict[str, str]) -> None:
    assert _queue(db, Queue.PAUSED) == (["D"], 1)


def test_all_queue_newest_first(db: Database, register: dict[str, str]) -> None:
    assert _queue(db, Queue.ALL) == (["E", "J", "K", "I", "H", "G", "F", "D", "C", "B", "A"], 11)


def test_queues_on_the_first_day(db: Database, register: dict[str, str]) -> None:
    # Mon 2 March 14:30: only C (due 14:00) is overdue; due soon means by Tue 3 March 14:30.
    at = datetime(2026, 3, 2, 14, 30)
    assert _queue(db, Queue.OVERDUE, at) == (["C"], 1)
    assert _queue(db, Queue.DUE_SOON, at) == ([], 0)


def test_list_pages_through_a_queue(db: Database, register: dict[str, str]) -> None:
    with db.reader.begin() as s:
        first = queries.list_files(s, Queue.OPEN, QUEUE_NOW, limit=4)
        second = queries.list_files(s, Queue.OPEN, QUEUE_NOW, limit=4, offset=4)
    assert [r.applicant_name for r in first] == ["C", "A", "D", "I"]
    assert [r.applicant_name for r in second] == ["K", "J", "H", "B"]
    h = next(r for r in second if r.applicant_name == "H")
    assert (h.due, h.original_due) == (datetime(2026, 3, 13, 17, 0), datetime(2026, 3, 9, 8, 30))
