"""Life cycle after intake: moves, pauses and the due, illegal moves, stale edits, outcomes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest

from desk_app.domain.due import DurationUnit
from desk_app.domain.workflow import Status
from desk_app.errors import IllegalTransitionError, StaleEditError, ValidationError
from desk_app.services import amend, desk, intake, lifecycle, queries
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database

Accept = Callable[..., FileView]

# The karaoke file used throughout: received Monday 2 March 2026 09:15, 5 working days,
# due Monday 9 March 09:15.
RECEIVED = datetime(2026, 3, 2, 9, 15)
DUE = datetime(2026, 3, 9, 9, 15)


def _show(db: Database, code: str) -> FileView:
    with db.reader.begin() as s:
        return queries.show_file(s, code)


def _forward(db: Database, actor: Actor, code: str, at: datetime) -> FileView:
    with db.writer.begin() as s:
        return lifecycle.forward(s, MoveInput(code, at=at), actor, now=at)


# --- the full path ---------------------------------------------------------------------------


def test_full_path_from_accept_to_return(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        forwarded = lifecycle.forward(
            s,
            MoveInput(code, note="Chuyển bản giấy"),
            officer,
            agency="Phòng Quản lý Văn hóa và Gia đình",
            now=datetime(2026, 3, 2, 10, 0),
        )
    assert forwarded.status is Status.PROCESSING
    with db.writer.begin() as s:
        paused = lifecycle.request_supplement(
            s,
            MoveInput(code),
            "Thiếu giấy chứng nhận an ninh, trật tự",
            officer,
            missing=("Giấy chứng nhận đủ điều kiện về an ninh, trật tự",),
            now=datetime(2026, 3, 3, 9, 15),
        )
    assert paused.status is Status.SUPPLEMENT
    assert [(p.kind, p.start, p.end, p.slip_number) for p in paused.pauses] == [
        ("supplement", datetime(2026, 3, 3, 9, 15), None, "1/HDHS")
    ]
    with db.writer.begin() as s:
        resumed = lifecycle.receive_supplement(
            s, MoveInput(code), officer, now=datetime(2026, 3, 5, 9, 15)
        )
    # Paused Tue 09:15 -> Thu 09:15 = 2 working days: the due moves from Mon 9 to Wed 11 March.
    assert resumed.status is Status.PROCESSING
    assert resumed.due == datetime(2026, 3, 11, 9, 15)
    assert resumed.original_due == datetime(2026, 3, 11, 9, 15)
    with db.writer.begin() as s:
        settled = lifecycle.record_result(
            s, MoveInput(code), officer, now=datetime(2026, 3, 10, 14, 0)
        )
    assert settled.status is Status.SETTLED
    assert settled.settled == datetime(2026, 3, 10, 14, 0)
    assert settled.outcome == "early"
    with db.writer.begin() as s:
        returned = lifecycle.return_result(
            s, MoveInput(code), officer, receiver="Đặng Thị Ánh", now=datetime(2026, 3, 11, 8, 0)
        )

    assert returned.status is Status.RETURNED
    assert returned.closed == datetime(2026, 3, 11, 8, 0)
    assert [int(e.to_status or 0) for e in returned.events] == [2, 4, 5, 4, 9, 10]
    assert [e.action for e in returned.events] == [
        "accept",
        "forward",
        "request_supplement",
        "receive_supplement",
        "record_result",
        "return_result",
    ]
    assert [e.from_status for e in returned.events] == [
        None,
        Status.ACCEPTED,
        Status.PROCESSING,
        Status.SUPPLEMENT,
        Status.PROCESSING,
        Status.SETTLED,
    ]
    assert [e.at for e in returned.events] == [
        RECEIVED,
        datetime(2026, 3, 2, 10, 0),
        datetime(2026, 3, 3, 9, 15),
        datetime(2026, 3, 5, 9, 15),
        datetime(2026, 3, 10, 14, 0),
        datetime(2026, 3, 11, 8, 0),
    ]
    assert returned.events[1].data == {"agency": "Phòng Quản lý Văn hóa và Gia đình"}
    assert returned.events[1].note == "Chuyển bản giấy"
    assert returned.events[2].data == {
        "reason": "Thiếu giấy chứng nhận an ninh, trật tự",
        "missing": ["Giấy chứng nhận đủ điều kiện về an ninh, trật tự"],
        "slip_number": "1/HDHS",
    }
    assert returned.events[4].data == {"outcome": "early"}
    assert returned.events[5].data == {"receiver": "Đặng Thị Ánh"}
    assert [(p.start, p.end) for p in returned.pauses] == [
        (datetime(2026, 3, 3, 9, 15), datetime(2026, 3, 5, 9, 15))
    ]


# --- pauses and the due ----------------------------------------------------------------------


def test_pause_across_a_weekend_extends_the_due_by_the_paused_working_time(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu bản vẽ", officer, now=datetime(2026, 3, 6, 15, 0)
        )
    with db.writer.begin() as s:
        resumed = lifecycle.receive_supplement(
            s, MoveInput(code), officer, now=datetime(2026, 3, 9, 8, 0)
        )

    # Paused Fri 15:00-17:00 and Mon 07:00-08:00: 3 working hours. Mon 09:15 + 3 h, with the
    # lunch break, is Mon 14:15.
    assert resumed.due == datetime(2026, 3, 9, 14, 15)
    assert resumed.original_due == datetime(2026, 3, 9, 14, 15)


def test_restart_on_supplement_runs_the_full_time_again_from_the_resume(
    db: Database, officer: Actor, accept: Accept
) -> None:
    with db.reader.begin() as s:
        restarting = [p for p in desk.export_catalog(s) if p.restart_on_supplement]
    assert [(p.code, p.duration, p.unit) for p in restarting] == [
        ("CHUNG-CT-03", Decimal(2), DurationUnit.WORKING_DAYS)
    ]
    view = accept(restarting[0].code, datetime(2026, 3, 2, 9, 0))
    assert view.due == datetime(2026, 3, 4, 9, 0)
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s,
            MoveInput(view.code),
            "Thiếu giấy tờ tài sản",
            officer,
            now=datetime(2026, 3, 2, 14, 0),
        )
    with db.writer.begin() as s:
        resumed = lifecycle.receive_supplement(
            s, MoveInput(view.code), officer, now=datetime(2026, 3, 3, 10, 0)
        )

    # Two full working days from Tue 10:00 (a mere pause would have given Wed 4 March 17:00).
    assert resumed.due == datetime(2026, 3, 5, 10, 0)


def test_financial_obligation_pauses_the_clock(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        paused = lifecycle.request_financial(
            s,
            MoveInput(code),
            "Nộp phí thẩm định",
            officer,
            amount=4_000_000,
            now=datetime(2026, 3, 2, 13, 30),
        )
    assert paused.status is Status.FINANCIAL
    assert int(paused.status) == 6
    assert paused.events[-1].data == {"reason": "Nộp phí thẩm định", "amount": 4_000_000}
    with db.writer.begin() as s:
        resumed = lifecycle.record_financial(
            s, MoveInput(code), officer, now=datetime(2026, 3, 3, 13, 30)
        )

    assert resumed.status is Status.PROCESSING
    assert [(p.kind, p.start, p.end, p.slip_number) for p in resumed.pauses] == [
        ("financial", datetime(2026, 3, 2, 13, 30), datetime(2026, 3, 3, 13, 30), None)
    ]
    # One working day paused: Mon 9 March 09:15 becomes Tue 10 March 09:15.
    assert resumed.due == datetime(2026, 3, 10, 9, 15)


def test_resume_before_the_pause_started_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu đơn", officer, now=datetime(2026, 3, 3, 9, 0)
        )
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        lifecycle.receive_supplement(
            s,
            MoveInput(code, at=datetime(2026, 3, 2, 16, 0)),
            officer,
            now=datetime(2026, 3, 3, 10, 0),
        )

    assert caught.value.field == "at"
    assert _show(db, code).status is Status.SUPPLEMENT


# --- moments of a move -----------------------------------------------------------------------


def test_move_in_the_future_or_before_the_receipt_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(ValidationError, match="tương lai"), db.writer.begin() as s:
        lifecycle.forward(
            s,
            MoveInput(code, at=datetime(2026, 3, 2, 10, 1)),
            officer,
            now=datetime(2026, 3, 2, 10),
        )
    with pytest.raises(ValidationError, match="trước lúc tiếp nhận"), db.writer.begin() as s:
        lifecycle.forward(
            s, MoveInput(code, at=datetime(2026, 3, 2, 9, 0)), officer, now=datetime(2026, 3, 2, 10)
        )

    assert _show(db, code).status is Status.ACCEPTED


def test_a_past_moment_is_recorded_as_given(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        view = lifecycle.forward(
            s,
            MoveInput(code, at=datetime(2026, 3, 2, 11, 0, 45)),
            officer,
            now=datetime(2026, 3, 3, 8, 0),
        )

    assert view.events[-1].at == datetime(2026, 3, 2, 11, 0)


def test_move_dated_before_the_previous_move_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=datetime(2026, 3, 10, 14, 0))
    # Handed over "on Monday" although the result only came back on Tuesday.
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        lifecycle.return_result(
            s,
            MoveInput(code, at=datetime(2026, 3, 9, 10, 0)),
            officer,
            receiver="Đặng Thị Ánh",
            now=datetime(2026, 3, 11, 8, 0),
        )
    assert caught.value.field == "at"
    # The same moment as the previous move is fine (result handed over as it arrives).
    with db.writer.begin() as s:
        returned = lifecycle.return_result(
            s,
            MoveInput(code, at=datetime(2026, 3, 10, 14, 0)),
            officer,
            receiver="Đặng Thị Ánh",
            now=datetime(2026, 3, 11, 8, 0),
        )
    assert returned.closed == datetime(2026, 3, 10, 14, 0)
    assert [e.action for e in returned.events][-2:] == ["record_result", "return_result"]


def test_a_typed_moment_in_the_same_minute_as_the_previous_move_is_accepted(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0, 30))
    with db.writer.begin() as s:
        returned = lifecycle.return_result(
            s,
            MoveInput(code, at=datetime(2026, 3, 2, 10, 0)),
            officer,
            receiver="Đặng Thị Ánh",
            now=datetime(2026, 3, 2, 10, 5),
        )

    assert returned.status is Status.RETURNED
    assert returned.closed == datetime(2026, 3, 2, 10, 0)


def test_result_dated_before_the_forward_is_refused(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(code, at=datetime(2026, 3, 2, 9, 30)), officer, now=datetime(2026, 3, 3)
        )

    assert caught.value.field == "at"
    assert _show(db, code).status is Status.PROCESSING


# --- illegal moves ---------------------------------------------------------------------------


def test_return_result_on_an_accepted_file_is_illegal(
    db: Database, officer: Actor, accept: Accept
) -> None:
    before = accept(received=RECEIVED)
    with pytest.raises(IllegalTransitionError) as caught, db.writer.begin() as s:
        lifecycle.return_result(
            s, MoveInput(before.code), officer, receiver="Vi Văn Tư", now=datetime(2026, 3, 2, 10)
        )

    assert "Được tiếp nhận" in caught.value.message
    assert caught.value.current is Status.ACCEPTED
    after = _show(db, before.code)
    assert (after.status, after.version, len(after.events)) == (
        Status.ACCEPTED,
        before.version,
        1,
    )


def test_forward_on_a_refused_file_is_illegal(db: Database, officer: Actor) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        refused = intake.refuse_file(s, data, "Sai thẩm quyền", officer, now=RECEIVED)
    with pytest.raises(IllegalTransitionError) as caught, db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(refused.code), officer, now=datetime(2026, 3, 2, 10))

    assert "Không được tiếp nhận" in caught.value.message
    assert _show(db, refused.code).status is Status.REFUSED


@pytest.mark.parametrize(
    ("setup", "label"),
    [
        ((), "Được tiếp nhận"),
        (("supplement",), "Yêu cầu bổ sung"),
        (("forward", "result"), "Đã xử lý xong"),
    ],
)
def test_stop_is_allowed_only_while_processing(
    db: Database, officer: Actor, accept: Accept, setup: tuple[str, ...], label: str
) -> None:
    code = accept(received=RECEIVED).code
    at = datetime(2026, 3, 2, 10, 0)
    for step in setup:
        with db.writer.begin() as s:
            move = MoveInput(code)
            if step == "forward":
                lifecycle.forward(s, move, officer, now=at)
            elif step == "supplement":
                lifecycle.request_supplement(s, move, "Thiếu đơn", officer, now=at)
            else:
                lifecycle.record_result(s, move, officer, now=at)
    with pytest.raises(IllegalTransitionError, match=label), db.writer.begin() as s:
        lifecycle.stop(s, MoveInput(code), "Thông báo dừng", officer, now=datetime(2026, 3, 3, 9))


def test_stop_from_processing_closes_the_file(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        stopped = lifecycle.stop(
            s,
            MoveInput(code),
            "Thông báo số 15/TB-SVHTTDL dừng xử lý",
            officer,
            now=datetime(2026, 3, 4, 10, 0),
        )

    assert stopped.status is Status.STOPPED
    assert int(stopped.status) == 8
    assert stopped.closed == datetime(2026, 3, 4, 10, 0)
    assert stopped.events[-1].note == "Thông báo số 15/TB-SVHTTDL dừng xử lý"


def test_stop_needs_a_reason(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        lifecycle.stop(s, MoveInput(code), "  ", officer, now=datetime(2026, 3, 4, 10, 0))

    assert caught.value.field == "reason"
    assert _show(db, code).status is Status.PROCESSING


# --- stale edits -----------------------------------------------------------------------------


def test_stale_version_is_refused_and_changes_nothing(
    db: Database, officer: Actor, accept: Accept
) -> None:
    seen = accept(received=RECEIVED)
    with db.writer.begin() as s:
        forwarded = lifecycle.forward(
            s,
            MoveInput(seen.code, expected_version=seen.version),
            officer,
            now=datetime(2026, 3, 2, 10, 0),
        )
    assert forwarded.version > seen.version
    # A second officer still has the file open as it was at intake.
    with pytest.raises(StaleEditError), db.writer.begin() as s:
        lifecycle.request_supplement(
            s,
            MoveInput(seen.code, expected_version=seen.version),
            "Thiếu đơn",
            officer,
            now=datetime(2026, 3, 2, 11, 0),
        )

    after = _show(db, seen.code)
    assert after.status is Status.PROCESSING
    assert after.version == forwarded.version
    assert [e.action for e in after.events] == ["accept", "forward"]
    assert after.pauses == ()
    assert after.due == DUE


# --- closing ---------------------------------------------------------------------------------


def test_withdraw_from_a_paused_file_closes_the_pause(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu đơn", officer, now=datetime(2026, 3, 2, 10, 0)
        )
    with db.writer.begin() as s:
        withdrawn = lifecycle.withdraw(
            s,
            MoveInput(code),
            "Công dân xin rút hồ sơ",
            officer,
            now=datetime(2026, 3, 4, 10, 0),
        )

    assert withdrawn.status is Status.WITHDRAWN
    assert withdrawn.closed == datetime(2026, 3, 4, 10, 0)
    assert [(p.start, p.end) for p in withdrawn.pauses] == [
        (datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 4, 10, 0))
    ]
    assert [(e.action, e.from_status, e.to_status) for e in withdrawn.events[1:]] == [
        ("request_supplement", Status.ACCEPTED, Status.SUPPLEMENT),
        ("withdraw", Status.SUPPLEMENT, Status.WITHDRAWN),
    ]


# --- outcome ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settled", "outcome"),
    [
        (datetime(2026, 3, 6, 16, 0), "early"),  # Friday, a working date before the due date
        (datetime(2026, 3, 9, 7, 0), "on_time"),  # the due date, before the due moment
        (datetime(2026, 3, 9, 9, 15), "on_time"),  # exactly the due moment
        (datetime(2026, 3, 9, 9, 16), "late"),
    ],
)
def test_outcome_against_the_due(
    db: Database, officer: Actor, accept: Accept, settled: datetime, outcome: str
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        view = lifecycle.record_result(s, MoveInput(code), officer, now=settled)

    assert view.outcome == outcome
    assert view.settled == settled


def test_a_reschedule_excuses_nothing(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _forward(db, officer, code, datetime(2026, 3, 2, 10, 0))
    with db.writer.begin() as s:
        amend.reschedule(
            s,
            code,
            datetime(2026, 3, 13, 17, 0),
            "Chờ ý kiến của Công an tỉnh",
            supervisor,
            now=datetime(2026, 3, 4, 10, 0),
        )
    with db.writer.begin() as s:
        view = lifecycle.record_result(
            s, MoveInput(code), officer, now=datetime(2026, 3, 11, 10, 0)
        )

    # Before the new appointment, but after the original due: late it stays.
    assert view.due == datetime(2026, 3, 13, 17, 0)
    assert view.original_due == DUE
    assert view.outcome == "late"
    assert view.events[-1].data == {"outcome": "late"}


def test_restart_on_supplement_does_not_restart_on_a_fee_payment(
    db: Database, officer: Actor, accept: Accept
) -> None:
    view = accept("CHUNG-CT-03", datetime(2026, 3, 2, 9, 0))  # 2 working days, restarting
    with db.writer.begin() as s:
        lifecycle.request_financial(
            s, MoveInput(view.code), "Nộp phí", officer, now=datetime(2026, 3, 2, 14, 0)
        )
    with db.writer.begin() as s:
        paid = lifecycle.record_financial(
            s, MoveInput(view.code), officer, now=datetime(2026, 3, 3, 10, 0)
        )
    # A plain pause: Mon 14:00-17:00 and Tue 07:00-10:00 = 6 h added to Wed 09:00 -> Wed 17:00.
    assert paid.due == datetime(2026, 3, 4, 17, 0)
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(view.code), "Thiếu giấy tờ", officer, now=datetime(2026, 3, 4, 8, 0)
        )
    with db.writer.begin() as s:
        lifecycle.receive_supplement(
            s, MoveInput(view.code), officer, now=datetime(2026, 3, 4, 13, 30)
        )
    with db.writer.begin() as s:
        lifecycle.request_financial(
            s, MoveInput(view.code), "Nộp lệ phí", officer, now=datetime(2026, 3, 5, 8, 0)
        )
    with db.writer.begin() as s:
        resumed = lifecycle.record_financial(
            s, MoveInput(view.code), officer, now=datetime(2026, 3, 5, 9, 0)
        )
    # Restarted in full at Wed 13:30: 3 h 30 + Thu 8 h + Fri 07:00-11:30 = 16 h, due Fri 11:30;
    # then the 1 h fee pause on Thursday pushes it past lunch to Fri 14:30.
    assert resumed.due == datetime(2026, 3, 6, 14, 30)
