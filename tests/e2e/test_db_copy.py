"""Moving a solo desk into a centre (`db copy`): a real SQLite register copied into a real
PostgreSQL database, checked row by row, idempotent, refusing to merge two registers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from desk_app.services import intake, printing
from desk_app.services.context import Actor
from desk_app.services.demo import generate_demo
from desk_app.store.copy import CopyError, copy_register, fingerprint
from desk_app.store.engine import Database, open_database
from desk_app.store.models import Event, FileRecord, PrintedSlip, User
from tests.cli_runner import run_main
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 16, 10, 0)


@pytest.fixture
def solo(db: Database, officer: Actor) -> Database:
    """A solo desk with a demo register (files in every state) and two archived receipts."""
    generate_demo(db, 25, seed=7, now=NOW, into_production=True)
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=NOW,
    )
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=NOW)
        printing.print_slip(s, view.code, "receipt", officer, now=NOW)
    return db


@pytest.fixture
def centre(pg_server: PgServer) -> Iterator[Database]:
    url = pg_server.new_database(prefix="centre")
    db = open_database(url)
    yield db
    db.dispose()
    pg_server.drop_database(url)


def test_a_desk_moves_into_a_new_centre_database_whole(solo: Database, centre: Database) -> None:
    report = copy_register(solo, centre)
    assert not report.already_there
    with solo.engine.connect() as a, centre.engine.connect() as b:
        assert fingerprint(a) == fingerprint(b)
    with centre.reader.begin() as s:
        assert report.rows["files"] == s.scalar(select(func.count()).select_from(FileRecord)) > 25
        assert report.rows["events"] == s.scalar(select(func.count()).select_from(Event))
        assert report.slips_checked == s.scalar(select(func.count()).select_from(PrintedSlip)) >= 1
    # The centre goes on from the copied numbers: the next file gets the next id and code.
    with solo.reader.begin() as s:
        last_id = s.scalar(select(func.max(FileRecord.id)))
        officer_id = s.scalar(select(User.id).where(User.username == "canbo"))
        that_day = s.scalar(
            select(func.count()).select_from(FileRecord).where(FileRecord.code.like("%-261116-%"))
        )
    actor = Actor(user_id=officer_id, username="canbo", name="Nguyễn Thị Lan", role="officer")
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Lê Văn Tâm"),
        received_at=NOW,
    )
    with centre.writer.begin() as s:
        view = intake.accept_file(s, data, actor, now=NOW)
    assert view.id == last_id + 1
    # The next number of that day: the code counters came along.
    assert view.code.endswith(f"-261116-{that_day + 1:04d}")


def test_a_second_run_only_checks(solo: Database, centre: Database) -> None:
    copy_register(solo, centre)
    again = copy_register(solo, centre)
    assert again.already_there
    assert again.rows == copy_register(solo, centre).rows


def test_another_register_is_not_merged_unless_replaced(
    solo: Database, centre: Database, officer: Actor
) -> None:
    copy_register(solo, centre)
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Lê Văn Tâm"),
        received_at=NOW,
    )
    with solo.writer.begin() as s:  # the desk went on working after the first copy
        intake.accept_file(s, data, officer, now=NOW)
    with pytest.raises(CopyError, match="không gộp hai sổ"):
        copy_register(solo, centre)
    with solo.engine.connect() as a, centre.engine.connect() as b:
        assert fingerprint(a) != fingerprint(b)  # refused: the centre kept what it had
    replaced = copy_register(solo, centre, replace=True)
    assert not replaced.already_there
    with solo.engine.connect() as a, centre.engine.connect() as b:
        assert fingerprint(a) == fingerprint(b)


def test_a_damaged_slip_is_caught_and_nothing_is_written(solo: Database, centre: Database) -> None:
    with solo.engine.begin() as conn:
        conn.execute(text("UPDATE printed_slips SET pdf = X'00'"))
    with pytest.raises(CopyError, match="SHA-256"):
        copy_register(solo, centre)
    with centre.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(FileRecord)) == 0


def test_the_command_copies_and_says_so_in_vietnamese(solo: Database, centre: Database) -> None:
    assert solo.path is not None
    argv = ["db", "copy", "--from", str(solo.path), "--to", centre.url]
    first = subprocess.run(
        [sys.executable, "main.py", *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stderr
    assert "Đã chép" in first.stdout and "khớp" in first.stdout
    second = run_main(argv)  # the second run in this process: the same command, nothing to copy
    assert second.returncode == 0, second.stderr
    assert "Không chép lại" in second.stdout
