"""Backdating (DOMAIN §4.1 rule 8): receipt moments at the counter, `files import`, the desk's
first day, and the supervisor's correction of a receipt moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from desk_app.errors import DeskError, FieldsError, ValidationError
from desk_app.services import amend, desk, intake
from desk_app.services.bulk import import_files, parse_import
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.views import FileView
from desk_app.store.engine import Database

# Tuesday 3 March 2026, 10:00; the desk started on Monday 2 March.
NOW = datetime(2026, 3, 3, 10, 0)
FIRST_DAY = date(2026, 3, 2)
REASON = "Khách đông, nhập sau"


@pytest.fixture
def desk_started(db: Database, admin: Actor) -> Database:
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(first_day=FIRST_DAY), admin, now=NOW)
    return db


def _accept(db: Database, actor: Actor, received: datetime | None, reason: str | None) -> FileView:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=received,
        backdate_reason=reason,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=NOW)


@pytest.mark.parametrize(
    ("role", "received", "reason", "refused"),
    [
        # The default is now.
        ("officer", None, None, set()),
        ("officer", datetime(2026, 3, 3, 10, 0), None, set()),
        # A minute ahead is the future.
        ("officer", datetime(2026, 3, 3, 10, 1), REASON, {"received_at"}),
        ("supervisor", datetime(2026, 3, 4, 8, 0), REASON, {"received_at"}),
        # Earlier today: a reason, whoever enters it.
        ("officer", datetime(2026, 3, 3, 7, 30), None, {"backdate_reason"}),
        ("officer", datetime(2026, 3, 3, 7, 30), "   ", {"backdate_reason"}),
        ("officer", datetime(2026, 3, 3, 7, 30), REASON, set()),
        # An earlier day: a supervisor and a reason.
        ("officer", datetime(2026, 3, 2, 16, 0), REASON, {"received_at"}),
        ("officer", datetime(2026, 3, 2, 16, 0), None, {"received_at", "backdate_reason"}),
        ("supervisor", datetime(2026, 3, 2, 16, 0), None, {"backdate_reason"}),
        ("supervisor", datetime(2026, 3, 2, 16, 0), REASON, set()),
        ("admin", datetime(2026, 3, 2, 7, 0), REASON, set()),
        # Never before the desk's first day: six years back, or a year typed 2006.
        ("supervisor", datetime(2026, 2, 27, 16, 0), REASON, {"received_at"}),
        ("admin", datetime(2020, 3, 3, 9, 0), REASON, {"received_at"}),
        ("admin", datetime(2006, 3, 3, 9, 0), REASON, {"received_at"}),
    ],
)
def test_who_may_enter_which_receipt_moment(
    desk_started: Database,
    request: pytest.FixtureRequest,
    count_rows: Callable[[str], int],
    role: str,
    received: datetime | None,
    reason: str | None,
    refused: set[str],
) -> None:
    actor: Actor = request.getfixturevalue(role)
    if not refused:
        view = _accept(desk_started, actor, received, reason)
        assert view.received == (received or NOW)
        assert view.source is None
        return
    with pytest.raises(FieldsError) as caught:
        _accept(desk_started, actor, received, reason)
    assert set(caught.value.errors) == refused
    assert count_rows("files") == 0


def test_a_late_entry_shows_its_reason_on_the_timeline(
    desk_started: Database, supervisor: Actor
) -> None:
    view = _accept(desk_started, supervisor, datetime(2026, 3, 2, 16, 0), REASON)

    assert view.code == "000.00.20.H37-260302-0001"
    (event,) = view.events
    assert (event.at, event.note) == (datetime(2026, 3, 2, 16, 0), f"Nhập bổ sung: {REASON}")
    assert event.data == {"backdate_reason": REASON, "entered_at": "2026-03-03T10:00"}


def test_a_refusal_follows_the_same_rule(desk_started: Database, officer: Actor) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=datetime(2026, 3, 2, 16, 0),
        backdate_reason=REASON,
    )
    with pytest.raises(FieldsError) as caught, desk_started.writer.begin() as s:
        intake.refuse_file(s, data, "Sai thẩm quyền", officer, now=NOW)
    assert set(caught.value.errors) == {"received_at"}


# --- files import: the one path for older files ----------------------------------------------

CSV = (
    "received,procedure,applicant_name\n"
    "2020-03-02T09:15,1.001029,Lò Văn Páo\n"
    "2026-03-03T09:00,1.001029,Hoàng Thị Nhung\n"
)


def test_an_import_brings_files_older_than_the_first_day_and_keeps_their_source(
    desk_started: Database, supervisor: Actor, tmp_path: Path
) -> None:
    src = tmp_path / "so-2020.csv"
    src.write_text(CSV, encoding="utf-8")
    where, rows = parse_import(src)
    with desk_started.writer.begin() as s:
        old, recent = import_files(s, rows, supervisor, where=where, now=NOW)

    assert (old.code, old.register_book) == ("000.00.20.H37-200302-0001", "2020")
    assert old.source == "Nhập từ sổ giấy: so-2020.csv, dòng 2"
    assert recent.source == "Nhập từ sổ giấy: so-2020.csv, dòng 3"
    assert old.events[0].note == "Nhập từ sổ giấy: so-2020.csv, dòng 2"
    assert old.to_json()["source"] == "Nhập từ sổ giấy: so-2020.csv, dòng 2"


@pytest.mark.parametrize(
    ("role", "line", "message"),
    [
        (
            "supervisor",
            "2026-03-03T10:01,1.001029,Lò Văn Páo",
            "Dòng 2: received: .* tương lai",
        ),
        ("officer", "2026-03-02T09:15,1.001029,Lò Văn Páo", "nhập hồ sơ hàng loạt"),
    ],
)
def test_an_import_refuses_the_future_and_officers(
    desk_started: Database,
    request: pytest.FixtureRequest,
    count_rows: Callable[[str], int],
    tmp_path: Path,
    role: str,
    line: str,
    message: str,
) -> None:
    src = tmp_path / "so.csv"
    src.write_text(f"received,procedure,applicant_name\n{line}\n", encoding="utf-8")
    where, rows = parse_import(src)
    with pytest.raises(DeskError, match=message), desk_started.writer.begin() as s:
        import_files(s, rows, request.getfixturevalue(role), where=where, now=NOW)
    assert count_rows("files") == 0


# --- the desk's first day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_day", "refused"),
    [
        (date(2026, 3, 1), None),
        (date(2026, 3, 2), None),  # the first counter file's day
        (date(2026, 3, 3), r"sau ngày tiếp nhận hồ sơ đầu tiên \(02/03/2026\)"),
        (date(2026, 3, 4), "sau ngày tiếp nhận hồ sơ đầu tiên"),
    ],
)
def test_the_first_day_is_never_after_the_first_counter_file(
    db: Database,
    admin: Actor,
    supervisor: Actor,
    tmp_path: Path,
    first_day: date,
    refused: str | None,
) -> None:
    _accept(db, supervisor, datetime(2026, 3, 2, 9, 0), REASON)
    # An imported file from 2020 does not count: the desk did not exist then.
    src = tmp_path / "so.csv"
    src.write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n", encoding="utf-8")
    where, rows = parse_import(src)
    with db.writer.begin() as s:
        import_files(s, rows, supervisor, where=where, now=NOW)
    data = desk.IdentityInput(first_day=first_day)
    if refused is None:
        with db.writer.begin() as s:
            assert desk.update_settings(s, data, admin, now=NOW).first_day == first_day
        return
    with pytest.raises(FieldsError, match=refused) as caught, db.writer.begin() as s:
        desk.update_settings(s, data, admin, now=NOW)
    assert set(caught.value.errors) == {"first_day"}


def test_the_first_day_is_never_in_the_future(db: Database, admin: Actor) -> None:
    with pytest.raises(FieldsError, match="tương lai"), db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(first_day=date(2026, 3, 4)), admin, now=NOW)


@pytest.mark.parametrize(
    ("earliest_file", "expected"),
    [
        (None, date(2026, 3, 3)),  # a new desk: the set-up day
        (datetime(2026, 3, 2, 9, 0), date(2026, 3, 2)),  # an older counter file wins
    ],
)
def test_set_up_gives_the_first_day(
    db: Database,
    admin: Actor,
    supervisor: Actor,
    earliest_file: datetime | None,
    expected: date,
) -> None:
    if earliest_file is not None:
        _accept(db, supervisor, earliest_file, REASON)
    with db.writer.begin() as s:
        assert desk.ensure_first_day(s, admin, day=NOW.date()) == expected
    with db.writer.begin() as s:  # a second set-up keeps it
        assert desk.ensure_first_day(s, admin, day=date(2026, 3, 10)) == expected
        assert desk.get_settings(s).first_day == expected


# --- the supervisor's correction of a receipt moment ------------------------------------------


@pytest.mark.parametrize(
    ("role", "new_value", "refusal"),
    [
        ("officer", "2026-03-03T08:00", PermissionDeniedError),
        ("supervisor", "2026-03-03T10:30", ValidationError),  # the future
        ("supervisor", "2026-03-03T08:00", None),
        ("admin", "2026-03-03T07:15", None),
    ],
)
def test_only_a_supervisor_corrects_a_receipt_moment(
    desk_started: Database,
    request: pytest.FixtureRequest,
    officer: Actor,
    role: str,
    new_value: str,
    refusal: type[Exception] | None,
) -> None:
    code = _accept(desk_started, officer, datetime(2026, 3, 3, 9, 0), REASON).code
    correction = amend.Correction(code, "received_at", new_value, "Ghi nhầm giờ nhận")
    actor: Actor = request.getfixturevalue(role)
    if refusal is not None:
        with pytest.raises(refusal), desk_started.writer.begin() as s:
            amend.correct_field(s, correction, actor, now=NOW)
        return
    with desk_started.writer.begin() as s:
        view = amend.correct_field(s, correction, actor, now=NOW)
    assert view.received == datetime.fromisoformat(new_value)
    # 5 working days: the due follows the corrected moment, and the timeline shows the change.
    assert view.original_due == datetime.fromisoformat(new_value).replace(day=10)
    assert view.events[-1].action == "correct"
    assert view.events[-1].note == "Ghi nhầm giờ nhận"


def test_an_imported_file_may_be_corrected_to_before_the_first_day(
    db: Database, admin: Actor, supervisor: Actor, tmp_path: Path
) -> None:
    src = tmp_path / "so.csv"
    src.write_text(
        "received,procedure,applicant_name\n2026-03-02T09:15,1.001029,Lò Văn Páo\n",
        encoding="utf-8",
    )
    where, rows = parse_import(src)
    with db.writer.begin() as s:
        (imported,) = import_files(s, rows, supervisor, where=where, now=NOW)
    # Imported files do not bound the first day: the desk may start after them.
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(first_day=date(2026, 3, 3)), admin, now=NOW)
    with db.writer.begin() as s:
        view = amend.correct_field(
            s,
            amend.Correction(imported.code, "received_at", "2026-03-02T08:00", "Sổ giấy ghi 8 giờ"),
            supervisor,
            now=NOW,
        )
    assert view.received == datetime(2026, 3, 2, 8, 0)
