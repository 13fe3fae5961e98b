"""Post-office staff at the counter (Decree 118/2025): they receive files, hand results over at
the counter or by post and record the post's outcomes; the agency's steps, reschedules,
corrections and settings are refused by the services themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from desk_app.domain.workflow import Action, Status
from desk_app.services import (
    amend,
    desk,
    intake,
    lifecycle,
    permissions,
    post,
    printing,
    queries,
    statistics,
    users,
    watch,
)
from desk_app.services.context import COMMAND_LINE, Actor, PermissionDeniedError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from tests.unit.services.conftest import KARAOKE

RECEIVED = datetime(2026, 3, 2, 9, 15)
SETTLED = datetime(2026, 3, 5, 10, 0)
HANDED = datetime(2026, 3, 5, 14, 0)
BACK = datetime(2026, 3, 9, 9, 0)
DELIVERED = datetime(2026, 3, 11, 15, 0)
NOW = datetime(2026, 3, 12, 10, 0)
VALID = "RR123456785VN"
VALID_2 = "EE473054062VN"
ADDRESS = "Số 12 đường Trần Đăng Ninh, phường Đông Kinh, tỉnh Lạng Sơn"


@pytest.fixture
def postal(db: Database) -> Actor:
    """A post-office staff member added by the administrator and signed in."""
    with db.writer.begin() as s:
        made = users.create_user(
            s, "buudien1", "Lò Thị Mai", users.Role.POSTAL, "matkhau123", COMMAND_LINE, now=NOW
        )
    assert made.role == "postal"
    with db.writer.begin() as s:
        return users.sign_in(s, "buudien1", "matkhau123", now=NOW)


def _settled(db: Database, view: FileView, officer: Actor) -> FileView:
    with db.writer.begin() as s:
        return lifecycle.record_result(s, MoveInput(view.code, at=SETTLED), officer, now=SETTLED)


def test_the_role_is_named_and_every_step_is_decided() -> None:
    assert users.Role("postal").label == "Nhân viên bưu điện"
    # A new step must be given its roles here, not fall to a default unnoticed.
    assert set(permissions.STEP_ROLES) == set(Action)
    assert permissions.POSTAL in permissions.DIGITISE


def test_postal_staff_receive_print_the_receipt_and_return_at_the_counter(
    db: Database, postal: Actor, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept(actor=postal, phone="0912345678")
    assert view.status == Status.ACCEPTED
    with db.writer.begin() as s:
        receipt = printing.print_slip(s, view.code, printing.SlipKind.RECEIPT, postal, now=RECEIVED)
    assert receipt.pdf.startswith(b"%PDF") and not receipt.reprint
    refused_data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Tạ Thu Trang"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        refused = intake.refuse_file(s, refused_data, "Thiếu tờ khai", postal, now=RECEIVED)
    assert refused.status == Status.REFUSED
    _settled(db, view, officer)
    with db.writer.begin() as s:
        back = lifecycle.return_result(
            s, MoveInput(view.code), postal, receiver="Đặng Thị Ánh", now=NOW
        )
    assert back.status == Status.RETURNED
    names = {e.action: e.officer for e in back.events}
    assert names["accept"] == names["return_result"] == "Lò Thị Mai"
    assert names["record_result"] == "Nguyễn Thị Lan"


def test_postal_staff_receive_the_papers_the_agency_asked_for(
    db: Database, postal: Actor, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept()
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(view.code), "Thiếu bản vẽ", officer, now=datetime(2026, 3, 3, 9, 0)
        )
    with db.writer.begin() as s:
        again = lifecycle.receive_supplement(s, MoveInput(view.code), postal, now=NOW)
    assert again.status == Status.PROCESSING


def test_postal_staff_send_by_post_and_record_the_outcomes(
    db: Database, postal: Actor, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept()
    with db.writer.begin() as s:
        post.choose_post(
            s,
            view.code,
            name="Đặng Thị Ánh",
            phone="0912345678",
            address=ADDRESS,
            actor=postal,
            now=RECEIVED,
        )
    _settled(db, view, officer)
    with db.writer.begin() as s:
        post.hand_over(
            s, view.code, tracking=VALID, postage=30000, paid_by="applicant", actor=postal,
            at=HANDED, now=HANDED,
        )  # fmt: skip
    with db.writer.begin() as s:
        returned = post.record_returned(
            s, view.code, at=BACK, reason="Không có người nhận", actor=postal, now=BACK
        )
    assert returned.status == Status.SETTLED
    with db.writer.begin() as s:
        post.hand_over(
            s, view.code, tracking=VALID_2, postage=30000, paid_by="applicant", actor=postal,
            at=BACK, now=BACK,
        )  # fmt: skip
    with db.writer.begin() as s:
        done = post.record_delivered(
            s, view.code, at=DELIVERED, signed_by="Đặng Thị Ánh", actor=postal, now=NOW
        )
    assert done.status == Status.RETURNED
    assert [e.action for e in done.events].count("postal_handover") == 2


AGENCY_STEPS: dict[str, Callable[[Session, Actor, str], object]] = {
    "forward": lambda s, a, c: lifecycle.forward(s, MoveInput(c), a, now=NOW),
    "request_supplement": lambda s, a, c: lifecycle.request_supplement(
        s, MoveInput(c), "Thiếu bản vẽ", a, now=NOW
    ),
    "request_financial": lambda s, a, c: lifecycle.request_financial(
        s, MoveInput(c), "Lệ phí", a, amount=50000, now=NOW
    ),
    "withdraw": lambda s, a, c: lifecycle.withdraw(s, MoveInput(c), "Xin rút", a, now=NOW),
    "record_result": lambda s, a, c: lifecycle.record_result(s, MoveInput(c), a, now=NOW),
    "reschedule": lambda s, a, c: amend.reschedule(
        s, c, datetime(2026, 3, 20, 16, 0), "Chờ xác minh", a, now=NOW
    ),
    "correct": lambda s, a, c: amend.correct_field(
        s, amend.Correction(c, "phone", "0987654321", "Gõ nhầm"), a, now=NOW
    ),
    "delay_reason": lambda s, a, c: watch.set_delay_reason(s, [c], "Chờ xác minh", a, now=NOW),
}


@pytest.mark.parametrize("step", sorted(AGENCY_STEPS))
def test_the_agency_steps_are_refused_and_nothing_is_written(
    db: Database,
    postal: Actor,
    officer: Actor,
    supervisor: Actor,
    accept: Callable[..., FileView],
    table_counts: Callable[[], dict[str, int]],
    step: str,
) -> None:
    view = accept()
    before = table_counts()
    with pytest.raises(PermissionDeniedError, match="không có quyền"), db.writer.begin() as s:
        AGENCY_STEPS[step](s, postal, view.code)
    assert table_counts() == before
    with db.reader.begin() as s:
        assert queries.show_file(s, view.code).version == view.version
    # The same call by the agency's staff passes: what refused it was the role, not the call.
    agency = supervisor if step in ("reschedule", "delay_reason") else officer
    with db.writer.begin() as s:
        AGENCY_STEPS[step](s, agency, view.code)


def test_stop_is_refused_on_a_file_being_processed(
    db: Database, postal: Actor, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept()
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(view.code), officer, now=SETTLED)
    with pytest.raises(PermissionDeniedError, match="Dừng xử lý"), db.writer.begin() as s:
        lifecycle.stop(s, MoveInput(view.code), "Theo văn bản số 12", postal, now=NOW)
    with pytest.raises(PermissionDeniedError), db.writer.begin() as s:
        lifecycle.record_financial(s, MoveInput(view.code), postal, now=NOW)


def test_settings_users_and_the_catalogue_are_refused(db: Database, postal: Actor) -> None:
    with db.reader.begin() as s:
        current = desk.get_settings(s)
    identity = desk.IdentityInput(
        governing_body="UBND TỈNH LẠNG SƠN",
        agency_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        agency_id=current.agency_id,
        place_name="Hà Nội",
    )
    refused: list[Callable[[object], object]] = [
        lambda s: desk.update_settings(s, identity, postal, now=NOW),
        lambda s: desk.set_calendar_day(s, date(2026, 3, 7), True, "Làm bù", postal, now=NOW),
        lambda s: users.create_user(
            s, "buudien2", "Hà Văn Tú", users.Role.POSTAL, "matkhau123", postal, now=NOW
        ),
        lambda s: users.set_role(s, "buudien1", users.Role.OFFICER, postal, now=NOW),
    ]
    for call in refused:
        with pytest.raises(PermissionDeniedError), db.writer.begin() as s:
            call(s)
    with db.reader.begin() as s:
        assert desk.get_settings(s).place_name == current.place_name
        assert users.sign_in(s, "buudien1", "matkhau123").role == "postal"


def test_their_files_are_counted_apart_in_the_statistics_by_officer(
    db: Database, postal: Actor, officer: Actor, accept: Callable[..., FileView]
) -> None:
    accept(actor=postal)
    accept(actor=postal, received=datetime(2026, 3, 3, 8, 30), name="Hà Văn Tú")
    accept(actor=officer, received=datetime(2026, 3, 3, 9, 0), name="Tạ Thu Trang")
    with db.reader.begin() as s:
        report = statistics.period_report(
            s, date(2026, 3, 1), date(2026, 3, 31), statistics.GroupBy.OFFICER, now=NOW
        )
    rows = {r.label: r.counts.received_total for r in report.rows}
    assert rows == {"Lò Thị Mai (bưu điện)": 2, "Nguyễn Thị Lan": 1}
    assert report.total.received_total == 3
