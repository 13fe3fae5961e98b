"""Amendments: the supervisor's reschedule with an apology, and corrections of recorded fields."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select

from desk_app.errors import ValidationError
from desk_app.services import amend, desk, intake, lifecycle, queries
from desk_app.services.amend import Correction, PermissionDeniedError
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

Accept = Callable[..., FileView]

RECEIVED = datetime(2026, 3, 2, 9, 15)  # karaoke, due Monday 9 March 09:15
DUE = datetime(2026, 3, 9, 9, 15)
WEDNESDAY = datetime(2026, 3, 4, 10, 0)
NEW_DUE = datetime(2026, 3, 13, 17, 0)


def _reschedule(
    db: Database, actor: Actor, code: str, new_due: datetime, *, now: datetime = WEDNESDAY
) -> FileView:
    with db.writer.begin() as s:
        return amend.reschedule(s, code, new_due, "Chờ ý kiến của Công an tỉnh", actor, now=now)


def _correct(db: Database, actor: Actor, correction: Correction) -> FileView:
    with db.writer.begin() as s:
        return amend.correct_field(s, correction, actor, now=WEDNESDAY)


def _audit_details(db: Database, action: str, code: str) -> list[dict[str, object]]:
    with db.reader.begin() as s:
        rows = s.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == action, AuditEntry.entity_id == code
            )
        )
        return [json.loads(r or "{}") for r in rows]


# --- reschedule ------------------------------------------------------------------------------


def test_an_officer_may_not_reschedule(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(PermissionDeniedError), db.writer.begin() as s:
        amend.reschedule(s, code, NEW_DUE, "Chậm", officer, now=WEDNESDAY)

    with db.reader.begin() as s:
        view = queries.show_file(s, code)
    assert (view.due, view.reschedules) == (DUE, ())


def test_supervisor_reschedules_and_the_original_due_stays(
    db: Database, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    view = _reschedule(db, supervisor, code, datetime(2026, 3, 13, 17, 0, 30))

    assert view.due == NEW_DUE
    assert view.original_due == DUE
    assert [(r.at, r.old_due, r.new_due, r.slip_number, r.officer) for r in view.reschedules] == [
        (WEDNESDAY, DUE, NEW_DUE, "1/XLHS", "Vi Đức Thắng")
    ]
    assert view.events[-1].action == "reschedule"
    assert view.events[-1].note == "Chờ ý kiến của Công an tỉnh"
    assert view.events[-1].data == {
        "old_due": "2026-03-09 09:15:00",
        "new_due": "2026-03-13 17:00:00",
        "slip_number": "1/XLHS",
        "late_notice": False,  # Wed 10:00 is more than a working day before Mon 09:15
    }
    assert _audit_details(db, "reschedule", code) == [view.events[-1].data]


def test_notice_less_than_a_working_day_before_the_due_is_marked_late(
    db: Database, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    # Fri 6 March 15:00 -> Mon 9 March 09:15 is 4 h 15 of working time.
    view = _reschedule(db, supervisor, code, NEW_DUE, now=datetime(2026, 3, 6, 15, 0))

    assert view.events[-1].data is not None
    assert view.events[-1].data["late_notice"] is True


def test_only_one_reschedule_by_default(db: Database, supervisor: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    _reschedule(db, supervisor, code, NEW_DUE)
    with pytest.raises(ValidationError, match="tối đa 1 lần"), db.writer.begin() as s:
        amend.reschedule(
            s, code, datetime(2026, 3, 20, 17, 0), "Lại chậm", supervisor, now=WEDNESDAY
        )

    with db.reader.begin() as s:
        view = queries.show_file(s, code)
    assert view.due == NEW_DUE
    assert len(view.reschedules) == 1


def test_a_desk_allowing_two_reschedules_accepts_a_second(
    db: Database, supervisor: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(max_reschedules=2), COMMAND_LINE, now=WEDNESDAY)
    code = accept(received=RECEIVED).code
    _reschedule(db, supervisor, code, NEW_DUE)
    view = _reschedule(db, supervisor, code, datetime(2026, 3, 20, 17, 0))

    assert (view.due, view.original_due) == (datetime(2026, 3, 20, 17, 0), DUE)
    assert [(r.old_due, r.new_due, r.slip_number) for r in view.reschedules] == [
        (DUE, NEW_DUE, "1/XLHS"),
        (NEW_DUE, datetime(2026, 3, 20, 17, 0), "2/XLHS"),
    ]


@pytest.mark.parametrize(
    "new_due",
    [
        DUE,  # the same appointment
        datetime(2026, 3, 6, 17, 0),  # earlier than the current one
    ],
)
def test_new_due_must_be_later(
    db: Database, supervisor: Actor, accept: Accept, new_due: datetime
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.reschedule(s, code, new_due, "Chậm", supervisor, now=WEDNESDAY)

    assert caught.value.field == "new_due"


def test_reschedule_needs_a_reason(db: Database, supervisor: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.reschedule(s, code, NEW_DUE, " ", supervisor, now=WEDNESDAY)

    assert caught.value.field == "reason"


# --- corrections -----------------------------------------------------------------------------


def test_correction_logs_old_and_new_values(db: Database, officer: Actor, accept: Accept) -> None:
    before = accept(received=RECEIVED)
    view = _correct(db, officer, Correction(before.code, "sets_count", "2", "Nhập nhầm số bộ"))

    assert view.sets_count == 2
    assert view.version > before.version
    expected = {"field": "sets_count", "label": "Số bộ hồ sơ", "old": 1, "new": 2}
    assert (view.events[-1].action, view.events[-1].note, view.events[-1].data) == (
        "correct",
        "Nhập nhầm số bộ",
        expected,
    )
    assert view.events[-1].at == WEDNESDAY
    assert _audit_details(db, "correct", before.code) == [expected]


@pytest.mark.parametrize("field", ["status", "code", "register_seq", "original_due_at"])
def test_correction_of_an_unknown_field_is_refused(
    db: Database, officer: Actor, accept: Accept, field: str
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.correct_field(s, Correction(code, field, "1", "Sửa"), officer, now=WEDNESDAY)

    assert caught.value.field == "field"


def test_correction_needs_a_reason(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.correct_field(s, Correction(code, "sets_count", "2", "   "), officer, now=WEDNESDAY)

    assert caught.value.field == "reason"
    with db.reader.begin() as s:
        assert queries.show_file(s, code).sets_count == 1


def test_corrected_applicant_name_is_what_search_finds(
    db: Database, officer: Actor, accept: Accept
) -> None:
    before = accept(received=RECEIVED, name="Đặng Thị Ánh")
    view = _correct(
        db,
        officer,
        Correction(before.code, "applicant_name", " Hoàng  Văn Bình ", "Nhập nhầm tên chủ hồ sơ"),
    )

    assert view.applicant_name == "Hoàng Văn Bình"
    assert view.version > before.version  # open views of the file are stale now
    assert view.events[-1].data == {
        "field": "applicant_name",
        "label": "Họ tên chủ hồ sơ",
        "old": "Đặng Thị Ánh",
        "new": "Hoàng Văn Bình",
    }
    with db.reader.begin() as s:
        assert [r.code for r in queries.search_files(s, "hoang van binh")] == [before.code]
        assert [r.code for r in queries.search_files(s, "BINH")] == [before.code]
        assert queries.search_files(s, "dang thi anh") == []


def test_corrected_phone_is_normalised(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED, phone="0912345678").code
    view = _correct(db, officer, Correction(code, "phone", "+84 98 765 4321", "Đổi số"))

    assert view.phone == "0987654321"
    assert view.events[-1].data is not None
    assert (view.events[-1].data["old"], view.events[-1].data["new"]) == (
        "0912345678",
        "0987654321",
    )


def test_correction_to_the_same_value_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError, match="trùng"), db.writer.begin() as s:
        amend.correct_field(s, Correction(code, "sets_count", "1", "Sửa"), officer, now=WEDNESDAY)


def test_corrected_receipt_time_recomputes_the_due(
    db: Database, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    view = _correct(
        db, supervisor, Correction(code, "received_at", "2026-03-02T14:00", "Ghi nhầm giờ nhận")
    )

    assert view.received == datetime(2026, 3, 2, 14, 0)
    assert view.due == datetime(2026, 3, 9, 14, 0)
    assert view.original_due == datetime(2026, 3, 9, 14, 0)
    assert view.events[-1].data == {
        "field": "received_at",
        "label": "Thời điểm tiếp nhận",
        "old": "2026-03-02 09:15:00",
        "new": "2026-03-02 14:00:00",
    }


def test_receipt_time_cannot_move_to_another_day(
    db: Database, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError, match="cùng ngày"), db.writer.begin() as s:
        amend.correct_field(
            s, Correction(code, "received_at", "2026-03-03T09:15", "Sửa"), supervisor, now=WEDNESDAY
        )

    with db.reader.begin() as s:
        view = queries.show_file(s, code)
    assert (view.received, view.due) == (RECEIVED, DUE)


def test_receipt_time_cannot_move_past_a_recorded_move(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0))
    # Received at 14:00 but forwarded at 10:00 the same morning: the timeline would lie.
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.correct_field(
            s,
            Correction(code, "received_at", "2026-03-02T14:00", "Sửa"),
            supervisor,
            now=WEDNESDAY,
        )

    assert caught.value.field == "received_at"
    with db.reader.begin() as s:
        assert queries.show_file(s, code).received == RECEIVED


def test_corrected_receipt_time_of_a_settled_file_rejudges_its_outcome(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 11, 0))
    with db.writer.begin() as s:
        settled = lifecycle.record_result(
            s, MoveInput(code), officer, now=datetime(2026, 3, 9, 10, 0)
        )
    assert settled.outcome == "late"  # 45 minutes after Mon 9 March 09:15
    with db.writer.begin() as s:
        view = amend.correct_field(
            s,
            Correction(code, "received_at", "2026-03-02T10:30", "Ghi nhầm giờ nhận"),
            supervisor,
            now=datetime(2026, 3, 10, 8, 0),
        )

    # Received 10:30, so due Mon 9 March 10:30: the result at 10:00 was on time.
    assert view.original_due == datetime(2026, 3, 9, 10, 30)
    assert view.outcome == "on_time"


def test_corrected_receipt_time_of_a_refused_file_gives_it_no_due(
    db: Database, officer: Actor, supervisor: Actor
) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        code = intake.refuse_file(s, data, "Sai thẩm quyền", officer, now=RECEIVED).code
    with db.writer.begin() as s:
        view = amend.correct_field(
            s,
            Correction(code, "received_at", "2026-03-02T09:00", "Ghi nhầm giờ"),
            supervisor,
            now=WEDNESDAY,
        )

    assert view.received == datetime(2026, 3, 2, 9, 0)
    assert (view.due, view.original_due) == (None, None)
    assert view.closed == datetime(2026, 3, 2, 9, 0)  # refused the moment it was received


def test_a_pause_after_a_reschedule_pushes_the_appointment_past_the_letter(
    db: Database, supervisor: Actor, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _reschedule(db, supervisor, code, NEW_DUE)
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s,
            MoveInput(code),
            "Thiếu bản sao chứng thực",
            officer,
            now=datetime(2026, 3, 4, 10, 30),
        )
    with db.writer.begin() as s:
        view = lifecycle.receive_supplement(
            s, MoveInput(code), officer, now=datetime(2026, 3, 12, 10, 30)
        )
    # Paused Wed 4/3 10:30 - Thu 12/3 10:30: 4 h 30 + 5 full days + 3 h 30 = 6 working days,
    # so the rule's due moves from Mon 9/3 09:15 to Tue 17/3 09:15 - past the letter's Fri 13/3.
    assert view.original_due == datetime(2026, 3, 17, 9, 15)
    assert view.due == datetime(2026, 3, 17, 9, 15)
    assert view.reschedules[0].new_due == NEW_DUE


def test_a_short_pause_after_a_reschedule_keeps_the_letter_appointment(
    db: Database, supervisor: Actor, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _reschedule(db, supervisor, code, NEW_DUE)
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu ảnh", officer, now=datetime(2026, 3, 4, 13, 30)
        )
    with db.writer.begin() as s:
        view = lifecycle.receive_supplement(
            s, MoveInput(code), officer, now=datetime(2026, 3, 5, 13, 30)
        )
    # One working day of pause: the rule gives Tue 10/3 09:15, the letter still says Fri 13/3.
    assert view.original_due == datetime(2026, 3, 10, 9, 15)
    assert view.due == NEW_DUE
