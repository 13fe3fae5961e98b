"""The overdue watch: which files are late, nearly late or paused, and the reasons for delay."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import select

from desk_app.errors import ValidationError
from desk_app.services import lifecycle, watch
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.records import get_file
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry, DeskSettings, Event
from tests.centre_data import JUSTICE, JUSTICE_NAME, add_justice
from tests.centre_data import accept as accept_in

Accept = Callable[..., FileView]

KARAOKE = "1.001029"  # 5 working days
DANCE_HALL = "VHTTDL-VH-01"  # 5 working days, same settling agency
TOURS = "VHTTDL-DL-01"  # 10 working days, another agency
# Tuesday 10 March 2026, 10:00: files received on Monday 2 March at 09:00 are a day overdue.
NOW = datetime(2026, 3, 10, 10, 0)


@pytest.fixture
def desk(db: Database, officer: Actor, accept: Accept) -> dict[str, str]:
    """Files overdue, due soon, in time, paused and settled at NOW (name -> code)."""
    spec = {
        # name: (procedure, received)        due (original)         at NOW
        "late-first": (KARAOKE, datetime(2026, 3, 2, 9, 0)),  # Mon 9/3 09:00  overdue
        "late-second": (DANCE_HALL, datetime(2026, 3, 2, 9, 30)),  # Mon 9/3 09:30  overdue
        "soon-first": (KARAOKE, datetime(2026, 3, 3, 14, 0)),  # Tue 10/3 14:00 2 h left
        "soon-second": (KARAOKE, datetime(2026, 3, 4, 9, 0)),  # Wed 11/3 09:00 7 h left
        "in-time": (TOURS, datetime(2026, 3, 5, 9, 0)),  # 19/3: not on the watch
        "paused-later": (KARAOKE, datetime(2026, 3, 2, 7, 30)),  # paused Wed 4/3
        "paused-earlier": (KARAOKE, datetime(2026, 3, 2, 8, 0)),  # paused Tue 3/3
        "settled": (KARAOKE, datetime(2026, 3, 2, 8, 30)),
    }
    codes = {
        name: accept(proc, received, name=f"Người {i}").code
        for i, (name, (proc, received)) in enumerate(spec.items())
    }
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(codes["late-second"]), officer, now=datetime(2026, 3, 3))
        lifecycle.request_supplement(
            s, MoveInput(codes["paused-earlier"]), "Thiếu bản sao", officer,
            now=datetime(2026, 3, 3, 9, 0),
        )  # fmt: skip
        lifecycle.request_financial(
            s, MoveInput(codes["paused-later"]), "Nộp phí", officer,
            now=datetime(2026, 3, 4, 9, 0),
        )  # fmt: skip
        lifecycle.record_result(s, MoveInput(codes["settled"]), officer, now=NOW)
    return codes


def _watch(db: Database, now: datetime = NOW, **kw: int) -> watch.Watch:
    with db.reader.begin() as s:
        return watch.watch(s, now, **kw)


def test_the_watch_lists_overdue_due_soon_and_paused_files_in_order(
    db: Database, desk: dict[str, str]
) -> None:
    w = _watch(db)
    assert [r.code for r in w.overdue] == [desk["late-first"], desk["late-second"]]
    assert [r.code for r in w.due_soon] == [desk["soon-first"], desk["soon-second"]]
    # Waiting longest first: by when the pause began, not by when the file came in.
    assert [r.code for r in w.paused] == [desk["paused-earlier"], desk["paused-later"]]
    assert (w.overdue_total, w.due_soon_total, w.paused_total) == (2, 2, 2)

    first = w.overdue[0]
    assert first.original_due == datetime(2026, 3, 9, 9, 0)
    assert first.words == "quá hạn 1 ngày 1 giờ"
    assert first.applicant_name == "Người 0"
    assert first.settling_agency == "Phòng Quản lý Văn hóa và Gia đình"
    assert first.officer == "Nguyễn Thị Lan"
    assert first.delay_reason is None
    assert w.due_soon[0].words == "còn 2 giờ"
    assert w.due_soon[1].words == "còn 7 giờ"
    assert w.paused[0].paused_since == datetime(2026, 3, 3, 9, 0)
    assert w.paused[0].words == "tạm dừng 7 ngày"
    assert w.overdue[0].paused_since is None
    # A solo desk's rows name no agency (the lists show no agency column).
    assert {r.agency_name for r in (*w.overdue, *w.due_soon, *w.paused)} == {""}


def test_a_centre_watch_names_each_files_agency(
    db: Database, desk: dict[str, str], officer: Actor
) -> None:
    add_justice(db)
    clerk = Actor(officer.user_id, officer.name, "officer", "canbo", frozenset({JUSTICE}), "Q5")
    late = accept_in(db, clerk, KARAOKE, datetime(2026, 3, 2, 8, 45), "Người Tư pháp", JUSTICE)
    with db.writer.begin() as s:
        s.get_one(DeskSettings, 1).short_name = "Sở VHTTDL"
    w = _watch(db)
    names = {r.code: r.agency_name for r in (*w.overdue, *w.due_soon, *w.paused)}
    assert names.pop(late) == "Sở Tư pháp"
    assert set(names.values()) == {"Sở VHTTDL"}
    # An agency with no short name is named in full.
    with db.writer.begin() as s:
        s.get_one(DeskSettings, JUSTICE).short_name = ""
    assert {r.agency_name for r in _watch(db).overdue if r.code == late} == {JUSTICE_NAME}


def test_the_counts_cover_every_running_file_even_beyond_the_limit(
    db: Database, desk: dict[str, str]
) -> None:
    w = _watch(db, limit=1)
    assert len(w.overdue) == len(w.due_soon) == len(w.paused) == 1
    assert (w.overdue_total, w.due_soon_total, w.paused_total) == (2, 2, 2)
    karaoke = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
    dance = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường"
    assert w.by_procedure == [(karaoke, 1, 2), (dance, 1, 0)]
    assert w.by_agency == [("Phòng Quản lý Văn hóa và Gia đình", 2, 2)]
    assert w.by_officer == [("Nguyễn Thị Lan", 2, 2)]


def test_the_watch_moves_with_the_clock(db: Database, desk: dict[str, str]) -> None:
    # A week earlier nothing running was late or nearly late; a pause stays whatever the clock.
    w = _watch(db, datetime(2026, 3, 3, 10, 0))
    assert w.overdue == [] and w.due_soon == []
    assert (w.overdue_total, w.due_soon_total, w.paused_total) == (0, 0, 2)
    assert w.by_procedure == w.by_agency == w.by_officer == []
    # On the Friday, the files due Monday morning are within one working day.
    friday = _watch(db, datetime(2026, 3, 6, 10, 0))
    assert [r.code for r in friday.due_soon] == [desk["late-first"], desk["late-second"]]
    assert friday.overdue == []


def test_a_delay_reason_is_stored_on_the_timeline_and_audited(
    db: Database, desk: dict[str, str], supervisor: Actor
) -> None:
    codes = [desk["late-first"], desk["late-second"], desk["late-first"].lower()]
    with db.writer.begin() as s:
        changed = watch.set_delay_reason(
            s, codes, "  Chờ ý kiến   liên ngành ", supervisor, now=NOW
        )
    assert changed == 2  # the repeated code counts once
    w = _watch(db)
    assert [r.delay_reason for r in w.overdue] == ["Chờ ý kiến liên ngành"] * 2
    with db.reader.begin() as s:
        record = get_file(s, desk["late-first"])
        events = s.scalars(
            select(Event).where(Event.file_id == record.id, Event.action == "delay_reason")
        ).all()
        audits = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "delay_reason", AuditEntry.entity_id == record.code
            )
        ).all()
    assert len(events) == 1
    assert events[0].note == "Chờ ý kiến liên ngành"
    assert events[0].officer_id == supervisor.user_id
    assert len(audits) == 1
    assert json.loads(audits[0].detail or "{}") == {"old": None, "new": "Chờ ý kiến liên ngành"}

    # The same reason again changes nothing; a new one replaces it and keeps the old in the log.
    with db.writer.begin() as s:
        assert (
            watch.set_delay_reason(s, [desk["late-first"]], "Chờ ý kiến liên ngành", supervisor)
            == 0
        )
        assert watch.set_delay_reason(s, [desk["late-first"]], "Thiếu chữ ký", supervisor) == 1
    with db.reader.begin() as s:
        last = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "delay_reason")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).one()
    assert json.loads(last.detail or "{}") == {
        "old": "Chờ ý kiến liên ngành",
        "new": "Thiếu chữ ký",
    }


def test_a_delay_reason_is_refused_to_an_officer_and_without_words(
    db: Database, desk: dict[str, str], officer: Actor, supervisor: Actor
) -> None:
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError) as denied:
        watch.set_delay_reason(s, [desk["late-first"]], "Chờ ý kiến", officer, now=NOW)
    assert "lãnh đạo" in denied.value.message
    with db.writer.begin() as s, pytest.raises(ValidationError) as empty:
        watch.set_delay_reason(s, [desk["late-first"]], "   ", supervisor, now=NOW)
    assert empty.value.field == "reason"
    with db.writer.begin() as s, pytest.raises(ValidationError) as none:
        watch.set_delay_reason(s, [], "Chờ ý kiến", supervisor, now=NOW)
    assert none.value.field == "codes"
    assert [r.delay_reason for r in _watch(db).overdue] == [None, None]


def test_on_time_by_month_counts_each_outcome_in_its_month(
    db: Database, officer: Actor, accept: Accept
) -> None:
    # All due Monday 9 March 09:00 (received Monday 2 March 09:00, 5 working days).
    settled_at = {
        "early": datetime(2026, 3, 6, 15, 0),
        "on-time": datetime(2026, 3, 9, 8, 0),
        "late": datetime(2026, 3, 10, 8, 0),
        "late-april": datetime(2026, 4, 1, 8, 0),
    }
    for i, at in enumerate(settled_at.values()):
        code = accept(KARAOKE, datetime(2026, 3, 2, 9, i), name=f"Người {i}").code
        with db.writer.begin() as s:
            lifecycle.record_result(s, MoveInput(code), officer, now=at)
    with db.reader.begin() as s:
        months = watch.on_time_by_month(s, date(2026, 2, 1), date(2026, 4, 30))
        march_only = watch.on_time_by_month(s, date(2026, 3, 7), date(2026, 3, 31))
    # The minutes of the receipt push "on-time" and "late" later but not past their moments.
    assert months == [("2026-02", 0, 0, 0), ("2026-03", 1, 1, 1), ("2026-04", 0, 0, 1)]
    assert march_only == [("2026-03", 0, 1, 1)]


def test_overdue_by_procedure_adds_late_settlements_and_open_overdue_files(
    db: Database, desk: dict[str, str], officer: Actor
) -> None:
    with db.writer.begin() as s:  # one karaoke file settled early, one late
        lifecycle.record_result(s, MoveInput(desk["soon-second"]), officer, now=NOW)
        lifecycle.record_result(
            s, MoveInput(desk["soon-first"]), officer, now=datetime(2026, 3, 12, 10, 0)
        )
    with db.reader.begin() as s:
        march = watch.overdue_by_procedure(s, date(2026, 3, 1), date(2026, 3, 31))
        february = watch.overdue_by_procedure(s, date(2026, 2, 1), date(2026, 2, 28))
    karaoke = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
    dance = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường"
    # Karaoke: late-first still open and overdue at the end of March, "settled" and soon-first
    # settled late; soon-second settled early and the paused files stopped before their due.
    # The tours file, due 19 March and still open, is overdue by the end of the month.
    tours = "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa"
    assert [(p.name, p.count) for p in march] == [(karaoke, 3), (dance, 1), (tours, 1)]
    assert march[0].code == "1.001029"
    assert february == []


def test_reschedule_does_not_take_a_file_off_the_overdue_watch(
    db: Database, desk: dict[str, str], supervisor: Actor
) -> None:
    from desk_app.services import amend

    with db.writer.begin() as s:
        amend.reschedule(
            s, desk["late-first"], datetime(2026, 3, 20, 9, 0), "Chờ xác minh", supervisor,
            now=NOW,
        )  # fmt: skip
    row = _watch(db).overdue[0]
    assert row.code == desk["late-first"]
    assert row.due == datetime(2026, 3, 20, 9, 0)
    assert row.original_due == datetime(2026, 3, 9, 9, 0)
