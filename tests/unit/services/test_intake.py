"""Intake: codes, register numbers, appointments, refusals, validation and applicant reuse."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select

from desk_app.domain.workflow import Status
from desk_app.errors import FieldsError, ValidationError
from desk_app.services import amend, intake, queries
from desk_app.services.context import Actor
from desk_app.services.views import DocumentLine, FileView
from desk_app.store.engine import Database
from desk_app.store.models import Applicant, AuditEntry, FileRecord

Accept = Callable[..., FileView]
CCCD = "020185001234"  # Lạng Sơn, woman born 1985


def _input(
    procedure: str = "1.001029",
    received: datetime | None = datetime(2026, 3, 2, 9, 0),
    **applicant: str,
) -> intake.IntakeInput:
    name = applicant.pop("name", "Đặng Thị Ánh")
    return intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name=name, **applicant),
        received_at=received,
        # The tests' "now" is often later the same morning: a late entry needs its reason.
        backdate_reason="Nhập bổ sung sau giờ tiếp dân",
    )


# --- codes and register numbers -----------------------------------------------------------


def test_codes_count_per_day_and_the_register_runs_across_days(accept: Accept) -> None:
    first = accept(received=datetime(2026, 3, 2, 9, 15))
    second = accept(received=datetime(2026, 3, 2, 9, 40), name="Hoàng Văn Bình")
    next_day = accept(received=datetime(2026, 3, 3, 8, 5), name="Lý Thị Mai")

    assert [f.code for f in (first, second, next_day)] == [
        "000.00.20.H37-260302-0001",
        "000.00.20.H37-260302-0002",
        "000.00.20.H37-260303-0001",
    ]
    assert [(f.register_book, f.register_seq) for f in (first, second, next_day)] == [
        ("2026", 1),
        ("2026", 2),
        ("2026", 3),
    ]


def test_register_book_is_the_receipt_year(accept: Accept, supervisor: Actor) -> None:
    accept(received=datetime(2026, 3, 2, 9, 15))
    late_entry = accept(
        received=datetime(2025, 12, 31, 16, 0),
        now=datetime(2026, 3, 2, 10, 0),
        name="Vi Văn Tư",
        actor=supervisor,
        backdate_reason="Hồ sơ nhận cuối năm, chưa nhập",
    )

    assert late_entry.code == "000.00.20.H37-251231-0001"
    assert (late_entry.register_book, late_entry.register_seq) == ("2025", 1)


# --- appointments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "received", "due"),
    [
        # karaoke, 5 working days: Monday 09:15 -> next Monday 09:15
        ("1.001029", datetime(2026, 3, 2, 9, 15), datetime(2026, 3, 9, 9, 15)),
        # 5 working days across Tết 2026 (offices closed Sat 14/02 - Sun 22/02):
        # Thu 12/02 10:00-17:00 = 5 h, Fri 13/02 = 8 h, Mon-Wed 23-25/02 = 24 h, then 3 h on Thu.
        ("1.001029", datetime(2026, 2, 12, 10, 0), datetime(2026, 2, 26, 10, 0)),
        # 4 working hours from 09:00: 2 h 30 before lunch, 1 h 30 after 13:30
        ("CHUNG-CT-02", datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 15, 0)),
        # half a working day (4 h) from 07:30 runs out exactly at 11:30, not at 13:30
        ("CHUNG-CT-04", datetime(2026, 3, 2, 7, 30), datetime(2026, 3, 2, 11, 30)),
        # 15 calendar days: Fri 06/03 + 15 = Sat 21/03 -> Monday 23/03, the receipt's time of day
        ("VHTTDL-VH-04", datetime(2026, 3, 6, 10, 0), datetime(2026, 3, 23, 10, 0)),
        # same day, cut-off 15:00
        ("CHUNG-CT-01", datetime(2026, 3, 2, 14, 59), datetime(2026, 3, 2, 17, 0)),
        ("CHUNG-CT-01", datetime(2026, 3, 2, 15, 0), datetime(2026, 3, 3, 17, 0)),
        ("CHUNG-CT-01", datetime(2026, 3, 6, 15, 30), datetime(2026, 3, 9, 17, 0)),
    ],
)
def test_due_moment_of_an_accepted_file(
    accept: Accept, procedure: str, received: datetime, due: datetime
) -> None:
    view = accept(procedure, received)

    assert view.status is Status.ACCEPTED
    assert view.received == received
    assert view.due == due
    assert view.original_due == due


def test_procedure_without_time_limit_has_no_appointment(accept: Accept) -> None:
    view = accept("VHTTDL-DL-04", datetime(2026, 3, 2, 9, 15))

    assert view.unit == "none"
    assert view.due is None
    assert view.original_due is None


def test_received_moment_is_kept_to_the_minute(accept: Accept) -> None:
    view = accept(received=datetime(2026, 3, 2, 9, 15, 42), now=datetime(2026, 3, 2, 9, 15, 59))

    assert view.received == datetime(2026, 3, 2, 9, 15)
    assert view.due == datetime(2026, 3, 9, 9, 15)


# --- refusal ---------------------------------------------------------------------------------


def test_refusal_takes_a_code_and_a_slip_number(
    db: Database, officer: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        refused = intake.refuse_file(
            s,
            _input(received=datetime(2026, 3, 2, 8, 30)),
            "  Hồ sơ không thuộc thẩm quyền của Sở  ",
            officer,
            now=datetime(2026, 3, 2, 8, 30),
        )
    accepted = accept(received=datetime(2026, 3, 2, 9, 0), name="Hoàng Văn Bình")
    with db.writer.begin() as s:
        second_refusal = intake.refuse_file(
            s,
            _input(received=datetime(2026, 3, 2, 9, 30), name="Lý Thị Mai"),
            "Thiếu đơn đề nghị",
            officer,
            now=datetime(2026, 3, 2, 9, 30),
        )

    assert refused.code == "000.00.20.H37-260302-0001"
    assert accepted.code == "000.00.20.H37-260302-0002"  # the refused code is never reused
    assert second_refusal.code == "000.00.20.H37-260302-0003"
    assert refused.status is Status.REFUSED
    assert int(refused.status) == 3
    assert refused.closed == datetime(2026, 3, 2, 8, 30)
    assert refused.due is None
    assert [(e.action, e.to_status, e.note, e.data) for e in refused.events] == [
        ("refuse", Status.REFUSED, "Hồ sơ không thuộc thẩm quyền của Sở", {"slip_number": "1/TCHS"})
    ]
    assert second_refusal.events[0].data == {"slip_number": "2/TCHS"}


def test_a_refused_file_keeps_no_fee(db: Database, officer: Actor) -> None:
    """The form holds the procedure's fee (or one typed); a refused file collected nothing."""
    at = datetime(2026, 3, 2, 8, 30)
    typed = dataclasses.replace(_input(received=at), fee_collected=4_000_000)
    with db.writer.begin() as s:
        refused = intake.refuse_file(s, typed, "Không thuộc thẩm quyền", officer, now=at)
        usual = intake.refuse_file(s, _input(received=at), "Thiếu đơn", officer, now=at)
        stored = s.scalars(select(FileRecord.fee_collected).order_by(FileRecord.id)).all()
    assert (refused.fee_collected, usual.fee_collected) == (None, None)
    assert stored == [None, None]

    # A refusal made before this rule kept the fee in its row: it is not shown as collected.
    with db.writer.begin() as s:
        row = s.scalars(select(FileRecord).where(FileRecord.code == refused.code)).one()
        row.fee_collected = 4_000_000
    with db.reader.begin() as s:
        assert queries.show_file(s, refused.code).fee_collected is None
    # Nor can a correction put one on it.
    correction = amend.Correction(refused.code, "fee_collected", "4.000.000", "Nhầm")
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        amend.correct_field(s, correction, officer, now=at)
    assert caught.value.field == "fee_collected"


def test_refusal_needs_a_reason_and_writes_nothing_without_one(
    db: Database, officer: Actor, table_counts: Callable[[], dict[str, int]]
) -> None:
    before = table_counts()
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        intake.refuse_file(s, _input(), "   ", officer, now=datetime(2026, 3, 2, 10, 0))

    assert caught.value.field == "reason"
    assert table_counts() == before


# --- validation ------------------------------------------------------------------------------


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(
    db: Database, officer: Actor, table_counts: Callable[[], dict[str, int]]
) -> None:
    before = table_counts()
    data = _input(
        name="   ",
        id_number="999185001234",  # 12 digits, but 999 is no province code
        phone="0123 45",
        email="anh@",
    )
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        intake.accept_file(s, data, officer, now=datetime(2026, 3, 2, 10, 0))

    assert set(caught.value.errors) == {"applicant_name", "id_number", "phone", "email"}
    assert "999" in caught.value.errors["id_number"]
    assert table_counts() == before


def test_unknown_procedure_is_a_field_error(
    db: Database, officer: Actor, table_counts: Callable[[], dict[str, int]]
) -> None:
    before = table_counts()
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        intake.accept_file(s, _input("9.999999"), officer, now=datetime(2026, 3, 2, 10, 0))

    assert list(caught.value.errors) == ["procedure"]
    assert "9.999999" in caught.value.errors["procedure"]
    assert table_counts() == before


def test_procedure_can_be_named_instead_of_coded(accept: Accept) -> None:
    view = accept("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke")

    assert view.procedure_code == "1.001029"


def test_received_moment_in_the_future_is_refused(
    db: Database, officer: Actor, table_counts: Callable[[], dict[str, int]]
) -> None:
    before = table_counts()
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        intake.accept_file(
            s,
            _input(received=datetime(2026, 3, 2, 10, 1)),
            officer,
            now=datetime(2026, 3, 2, 10, 0),
        )

    assert list(caught.value.errors) == ["received_at"]
    assert table_counts() == before


# --- applicants ------------------------------------------------------------------------------


def test_same_identity_number_and_name_reuse_the_applicant(
    accept: Accept, count_rows: Callable[[str], int]
) -> None:
    first = accept(received=datetime(2026, 3, 2, 9, 0), id_number=CCCD, phone="0912345678")
    # Same person typed in capitals, with a new phone number.
    second = accept(
        received=datetime(2026, 3, 3, 9, 0), name="ĐẶNG THỊ ÁNH", id_number=CCCD, phone="0987654321"
    )

    assert second.applicant_id == first.applicant_id
    assert count_rows("applicants") == 1
    assert second.applicant_name == "Đặng Thị Ánh"  # the stored name stays as first typed
    assert second.phone == "0987654321"  # the latest contact details win


def test_same_identity_number_with_another_name_is_another_applicant(
    db: Database, accept: Accept, count_rows: Callable[[str], int]
) -> None:
    first = accept(received=datetime(2026, 3, 2, 9, 0), id_number=CCCD)
    second = accept(received=datetime(2026, 3, 2, 9, 30), name="Đặng Thị Ánh Tuyết", id_number=CCCD)

    assert second.applicant_id != first.applicant_id
    assert count_rows("applicants") == 2
    with db.reader.begin() as s:
        names = set(s.scalars(select(Applicant.name).where(Applicant.id_number == CCCD)))
    assert names == {"Đặng Thị Ánh", "Đặng Thị Ánh Tuyết"}


def test_accept_writes_one_timeline_event_and_one_audit_entry(
    db: Database, officer: Actor, accept: Accept
) -> None:
    view = accept(
        received=datetime(2026, 3, 2, 9, 15),
        now=datetime(2026, 3, 2, 9, 20),
        backdate_reason="Khách chờ, nhập sau",
    )

    assert [(e.action, e.from_status, e.to_status, e.at, e.officer) for e in view.events] == [
        ("accept", None, Status.ACCEPTED, datetime(2026, 3, 2, 9, 15), "Nguyễn Thị Lan")
    ]
    with db.reader.begin() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity_id == view.code)))
    assert [(a.action, a.entity, a.user_id, a.at) for a in entries] == [
        ("accept", "file", officer.user_id, datetime(2026, 3, 2, 9, 20))
    ]
    assert json.loads(entries[0].detail or "{}") == {
        "procedure": "1.001029",
        "backdate_reason": "Khách chờ, nhập sau",
        "entered_at": "2026-03-02T09:20",
    }


def test_accepted_file_takes_the_checklist_and_the_usual_fee(accept: Accept) -> None:
    view = accept(received=datetime(2026, 3, 2, 9, 15))

    assert view.officer == "Nguyễn Thị Lan"
    assert view.channel == "direct"
    assert view.sets_count == 1
    assert view.fee_collected == 4_000_000
    assert view.documents == (
        DocumentLine(
            "Đơn đề nghị cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (Mẫu số 01)",
            "original",
            1,
        ),
        DocumentLine("Giấy chứng nhận đủ điều kiện về an ninh, trật tự", "certified", 1),
    )


def test_the_default_documents_are_the_required_ones(accept: Accept) -> None:
    # Same-day certification lists the copy to certify as optional ("nếu … tự mang theo").
    view = accept("CHUNG-CT-01", datetime(2026, 3, 2, 9, 0))
    names = [d.name for d in view.documents]
    assert len(names) == 1
    assert not any("nếu người yêu cầu tự mang theo" in n for n in names)
