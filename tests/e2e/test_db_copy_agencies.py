"""`db copy` into a centre that holds other agencies: two real SQLite desks whose ids overlap
(both with files, archived slips and one shared username) become two agencies of one centre
database (PostgreSQL, and an SQLite file), each checked row by row; a re-run writes nothing; a
changed desk is refused unless replaced; a damaged slip is caught."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desk_app.services import desk, intake, printing, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.demo import generate_demo
from desk_app.store.copy import CopyError, copy_register, fingerprint
from desk_app.store.engine import Database, open_database
from desk_app.store.models import (
    AuditEntry,
    CalendarOverride,
    DeskSettings,
    Event,
    FileRecord,
    PrintedSlip,
    Procedure,
    SyncSettings,
    User,
    UserAgency,
)
from tests.cli_runner import run_main
from tests.pg_server import DatabasePool, PgServer

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 16, 10, 0)
B_ID = "000.00.21.H37"
SHARED_DAY = date(2026, 12, 26)  # both desks decided about it, differently


def _take_file(db: Database, actor: Actor, name: str) -> str:
    data = intake.IntakeInput(
        procedure="1.001029", applicant=intake.ApplicantInput(name=name), received_at=NOW
    )
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, actor, now=NOW)
        printing.print_slip(s, view.code, printing.SlipKind.RECEIPT, actor, now=NOW)
    return view.code


def _override(db: Database, working: bool) -> None:
    with db.writer.begin() as s:
        s.add(CalendarOverride(day=SHARED_DAY, working=working, note="", set_at=NOW))


def _checkpointed(db: Database) -> None:
    with db.engine.connect() as conn:  # everything into the file, so a plain copy carries it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()


@pytest.fixture(scope="module")
def built_desks(desk_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both desks made once for the module (demo files print their slips: seconds); each test
    works on copies of their folders."""
    root = tmp_path_factory.mktemp("desks")
    for name in ("a", "b"):
        (root / name).mkdir()
        shutil.copyfile(desk_template_db, root / name / "desk.sqlite3")
    # Desk A: the suite's desk, demo files and a receipt; 26/12 is a working day there.
    db = open_database(root / "a" / "desk.sqlite3")
    generate_demo(db, 20, seed=7, now=NOW, into_production=True)
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    _take_file(db, officer, "Đặng Thị Ánh")
    _override(db, working=True)
    _checkpointed(db)
    # Desk B: another identifier, the same ids from 1 up, `canbo` its only shared username.
    db = open_database(root / "b" / "desk.sqlite3")
    with db.writer.begin() as s:
        desk.update_settings(
            s,
            desk.IdentityInput(agency_id=B_ID, agency_name="SỞ TƯ PHÁP"),
            COMMAND_LINE,
            now=NOW,
        )
    generate_demo(db, 15, seed=11, now=NOW, into_production=True)
    with db.writer.begin() as s:
        s.execute(text("UPDATE users SET username = username || '_b' WHERE username <> 'canbo'"))
        s.execute(text("UPDATE users SET full_name = 'Hà Văn Bình' WHERE username = 'canbo'"))
        # Tracking numbers are unique in the whole centre: B's demo post has its own series.
        s.execute(text("UPDATE postal_items SET number = 'EB' || substr(number, 3)"))
    with db.reader.begin() as s:
        actor = users.sign_in(s, "canbo", "matkhau123")
    _take_file(db, actor, "Lê Văn Tâm")
    _override(db, working=False)
    _checkpointed(db)
    return root


def _desk_copy(built: Path, name: str, tmp_path: Path) -> Iterator[Database]:
    shutil.copytree(built / name, tmp_path / name)
    db = open_database(tmp_path / name / "desk.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def desk_a(built_desks: Path, tmp_path: Path) -> Iterator[Database]:
    yield from _desk_copy(built_desks, "a", tmp_path)


@pytest.fixture
def desk_b(built_desks: Path, tmp_path: Path) -> Iterator[Database]:
    yield from _desk_copy(built_desks, "b", tmp_path)


@pytest.fixture(params=["postgresql", "sqlite"])
def centre(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        (tmp_path / "centre").mkdir()
        shutil.copyfile(
            request.getfixturevalue("template_db"), tmp_path / "centre" / "centre.sqlite3"
        )
        db = open_database(tmp_path / "centre" / "centre.sqlite3")
        yield db
        db.dispose()
        return
    pool: DatabasePool = request.getfixturevalue("pg_pool")  # migrated, empty
    url = pool.checkout()
    db = open_database(url)
    yield db
    db.dispose()
    pool.checkin(url)


def _same(source: Database, centre: Database, agency: int, *, conflicts: int = 0) -> None:
    """Every table equal, row by row; the calendar less the days the centre marks otherwise."""
    with source.engine.connect() as a, centre.engine.connect() as b:
        mine, theirs = fingerprint(a), fingerprint(b, agency)
    days, _ = mine.pop("calendar_overrides")
    assert theirs.pop("calendar_overrides")[0] == days - conflicts
    assert mine == theirs
    assert mine["files"][0] > 10 and mine["printed_slips"][0] >= 1


def _register(db: Database, agency: int = 1) -> dict[str, Any]:
    """Each file by code: its number, state, steps and slips, as people see them."""
    with db.reader.begin() as s:
        files = s.execute(
            select(
                FileRecord.id,
                FileRecord.code,
                FileRecord.register_book,
                FileRecord.register_seq,
                FileRecord.status,
                FileRecord.received_at,
            ).where(FileRecord.agency == agency)
        ).all()
        out: dict[str, Any] = {}
        for file_id, code, book, seq, status, received in files:
            steps = s.execute(
                select(Event.action, Event.at, User.username)
                .outerjoin(User, User.id == Event.officer_id)
                .where(Event.file_id == file_id)
                .order_by(Event.id)
            ).all()
            slips = s.execute(
                select(PrintedSlip.kind, PrintedSlip.number, PrintedSlip.pdf)
                .where(PrintedSlip.file_id == file_id)
                .order_by(PrintedSlip.id)
            ).all()
            out[code] = (book, seq, status, received, steps, [tuple(x) for x in slips])
    return out


def _count(db: Database, table: str) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def _rows(db: Database) -> int:
    with db.reader.begin() as s:
        return sum(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (FileRecord, Event, AuditEntry, User, UserAgency, PrintedSlip)
        )


def test_two_desks_become_two_agencies_of_one_centre(
    desk_a: Database, desk_b: Database, centre: Database
) -> None:
    a = copy_register(desk_a, centre, now=NOW)
    b = copy_register(desk_b, centre, now=NOW)
    # A took the new database's untouched first agency; B is a new one.
    assert (a.agency, a.new_agency, a.already_there) == (1, False, False)
    assert b.agency != a.agency and b.new_agency and b.identifier == B_ID
    assert b.users_reused == ["canbo"] and a.users_reused == []
    assert b.calendar_conflicts == [SHARED_DAY]
    _same(desk_a, centre, a.agency)
    _same(desk_b, centre, b.agency, conflicts=1)
    # Codes, register numbers, states, steps (with who took them) and slips' bytes unchanged.
    assert _register(centre, a.agency) == _register(desk_a)
    assert _register(centre, b.agency) == _register(desk_b)
    with centre.reader.begin() as s:
        canbo = s.scalar(select(User).where(User.username == "canbo"))
        assert canbo is not None and canbo.full_name == "Nguyễn Thị Lan"  # the centre's account
        assigned = set(s.scalars(select(UserAgency.agency).where(UserAgency.user_id == canbo.id)))
        assert assigned == {a.agency, b.agency}
        assert s.scalar(select(DeskSettings.agency_id).where(DeskSettings.id == b.agency)) == B_ID
        # B's audit entries about its settings name its agency in the centre.
        named = s.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "settings", AuditEntry.at == NOW
            )
        ).all()
        assert named and set(named) == {str(b.agency)}
        # The centre's calendar kept A's decision about the day B decided otherwise.
        kept = s.scalar(select(CalendarOverride.working).where(CalendarOverride.day == SHARED_DAY))
        assert kept is True
    # B goes on from its own numbers in the centre: the next code of the day, the next register
    # number of its book.
    with desk_b.reader.begin() as s:
        last_seq = int(s.scalar(select(func.max(FileRecord.register_seq))) or 0)
        that_day = int(
            s.scalar(
                select(func.count())
                .select_from(FileRecord)
                .where(FileRecord.code.like("%-261116-%"))
            )
            or 0
        )
    with centre.reader.begin() as s:
        actor = users.sign_in(s, "canbo", "matkhau123")
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Vũ Thị Hoa"),
        received_at=NOW,
        agency=b.agency,
    )
    with centre.writer.begin() as s:
        view = intake.accept_file(s, data, actor, now=NOW)
        record = s.scalar(select(FileRecord).where(FileRecord.code == view.code))
        assert record is not None and record.agency == b.agency
        assert record.register_seq == last_seq + 1
    assert view.code == f"{B_ID}-261116-{that_day + 1:04d}"


def test_a_second_run_writes_nothing(desk_a: Database, desk_b: Database, centre: Database) -> None:
    first_a = copy_register(desk_a, centre, now=NOW)
    copy_register(desk_b, centre, now=NOW)
    rows = _rows(centre)
    again_a = copy_register(desk_a, centre, now=NOW)
    again_b = copy_register(desk_b, centre, now=NOW)
    assert again_a.already_there and again_b.already_there
    assert again_a.agency == first_a.agency and again_a.rows == first_a.rows
    assert again_a.slips_checked >= 1
    assert _rows(centre) == rows


def test_a_changed_desk_is_refused_then_replaced_alone(
    desk_a: Database, desk_b: Database, centre: Database, officer: Actor
) -> None:
    a = copy_register(desk_a, centre, now=NOW)
    b = copy_register(desk_b, centre, now=NOW)
    with centre.engine.connect() as conn:
        b_before = fingerprint(conn, b.agency)
    _take_file(desk_a, officer, "Trịnh Văn Khoa")  # A went on working after the copy
    with pytest.raises(CopyError) as refused:
        copy_register(desk_a, centre, now=NOW)
    message = refused.value.message
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in message and "không gộp hai sổ" in message
    assert f"{a.rows['files']} hồ sơ" in message and "--replace" in message
    with desk_a.engine.connect() as src, centre.engine.connect() as dst:
        assert fingerprint(src) != fingerprint(dst, a.agency)  # the centre kept what it had
    replaced = copy_register(desk_a, centre, replace=True, now=NOW)
    assert replaced.agency == a.agency and replaced.replaced_files == a.rows["files"]
    assert replaced.rows["files"] == a.rows["files"] + 1
    _same(desk_a, centre, a.agency)
    assert _register(centre, a.agency) == _register(desk_a)
    with centre.engine.connect() as conn:
        assert fingerprint(conn, b.agency) == b_before  # B untouched
    # Nothing of the first copy is left over: the centre holds A's rows and B's, no more (and
    # the three copies' records in its audit log).
    for table in ("files", "events", "printed_slips", "applicants", "due_history", "audit_log"):
        markers = 3 if table == "audit_log" else 0
        assert _count(centre, table) == _count(desk_a, table) + _count(desk_b, table) + markers
    assert copy_register(desk_a, centre, now=NOW).already_there


def test_damaged_slips_are_caught(desk_a: Database, desk_b: Database, centre: Database) -> None:
    a = copy_register(desk_a, centre, now=NOW)
    # In the centre: the next run sees the difference and says where.
    with centre.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE printed_slips SET pdf = :bad WHERE id = (SELECT min(p.id) FROM "
                "printed_slips p JOIN files f ON f.id = p.file_id WHERE f.agency = :agency)"
            ),
            {"bad": b"\x00", "agency": a.agency},
        )
    with pytest.raises(CopyError, match="printed_slips"):
        copy_register(desk_a, centre, now=NOW)
    # At the desk: the copy is checked and nothing is written.
    with desk_b.engine.begin() as conn:
        conn.execute(text("UPDATE printed_slips SET pdf = X'00'"))
    rows = _rows(centre)
    with pytest.raises(CopyError, match="SHA-256"):
        copy_register(desk_b, centre, now=NOW)
    assert _rows(centre) == rows
    with centre.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(DeskSettings)) == 1


def test_a_register_of_several_agencies_is_not_a_desk(desk_a: Database, centre: Database) -> None:
    with desk_a.writer.begin() as s:
        s.add(DeskSettings(agency_id=B_ID, agency_name="SỞ TƯ PHÁP"))
    with pytest.raises(CopyError, match="2 cơ quan"):
        copy_register(desk_a, centre, now=NOW)


def test_the_command_names_the_agency_and_what_it_kept(
    desk_a: Database, desk_b: Database, pg_server: PgServer, officer: Actor
) -> None:
    assert desk_a.path is not None and desk_b.path is not None
    url = pg_server.new_database(prefix="centre")

    def run(source: Path) -> subprocess.CompletedProcess[str]:
        return run_main(["db", "copy", "--from", str(source), "--to", url])

    try:
        assert run(desk_a.path).returncode == 0
        second = run(desk_b.path)
        assert second.returncode == 0, second.stderr
        out = second.stdout
        assert "Đã chép" in out and "“SỞ TƯ PHÁP” (số 2, mã 000.00.21.H37)" in out
        assert "Cơ quan này là cơ quan mới ở đích." in out
        assert "dùng lại (mật khẩu của đích): canbo." in out
        assert "giữ như đích: 26/12/2026." in out
        _take_file(desk_a, officer, "Trịnh Văn Khoa")
        refused = run(desk_a.path)
        assert refused.returncode != 0
        assert "không gộp hai sổ" in refused.stderr and "--replace" in refused.stderr
    finally:
        pg_server.drop_database(url)


def test_the_agency_the_centre_prepared_receives_the_desk(
    desk_a: Database, centre: Database
) -> None:
    """The centre set up the agency (its short name, a catalogue, a supervisor of its own)
    before the desk moved in: the desk's files go there, its catalogue replaces the prepared
    one, the centre's short name and assignment stay."""
    with desk_a.reader.begin() as s:
        identifier = s.scalar(select(DeskSettings.agency_id))
        procedures = int(s.scalar(select(func.count()).select_from(Procedure)) or 0)
    with centre.writer.begin() as s:
        s.add(DeskSettings(id=2, agency_id=identifier, agency_name="SỞ VH", short_name="Sở VH"))
        s.flush()
        s.add(SyncSettings(id=2, install_id="prepared"))
        s.add(
            Procedure(
                agency=2,
                code="1.001029",
                name="Thủ tục cũ",
                name_folded="thu tuc cu",
                field="",
                settling_agency="",
                unit="ngày",
            )
        )
        boss = User(
            username="giamdoc",
            full_name="Giám đốc",
            role="supervisor",
            password_hash="x",
            created_at=NOW,
        )
        s.add(boss)
        s.flush()
        s.add(UserAgency(user_id=boss.id, agency=2))
    report = copy_register(desk_a, centre, now=NOW)
    assert (report.agency, report.new_agency) == (2, False)
    with desk_a.engine.connect() as a, centre.engine.connect() as b:
        mine, theirs = fingerprint(a), fingerprint(b, 2)
    assert theirs.pop("users")[0] == mine.pop("users")[0] + 1  # and the centre's supervisor
    assert mine == theirs
    assert _register(centre, 2) == _register(desk_a)
    with centre.reader.begin() as s:
        row = s.get(DeskSettings, 2)
        assert row is not None and row.short_name == "Sở VH"
        assert row.agency_name == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"  # the desk's identity
        names = set(s.scalars(select(Procedure.name).where(Procedure.agency == 2)))
        assert "Thủ tục cũ" not in names and len(names) > 1
        assert s.scalar(select(func.count()).select_from(Procedure)) == procedures
        assert (
            s.scalar(select(func.count()).select_from(FileRecord).where(FileRecord.agency == 1))
            == 0
        )
        assert s.scalar(select(UserAgency.agency).where(UserAgency.user_id == boss.id)) == 2
    assert copy_register(desk_a, centre, now=NOW).already_there
