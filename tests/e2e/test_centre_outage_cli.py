"""The command line when the centre's server is out of reach (issue 14), on a real PostgreSQL
server: a database closed to connections before the command, and a connection ended in the
middle of one. Each is one Vietnamese line and a non-zero exit, never a traceback, and nothing
is written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from desk_app.cli import file_commands
from desk_app.cli.app import run
from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine_name() -> str:
    """A centre's server only: a solo desk's file has no server to lose."""
    return "postgresql"


class Outage:
    """The test database closed to connections and those open ended (a restart, a dropped
    network); `end` opens it again."""

    def __init__(self, server: PgServer, url: str) -> None:
        self.server = server
        self.name = make_url(url).database
        self.on = False

    def start(self) -> None:
        self.on = True
        self.server.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self.server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        )

    def end(self) -> None:
        self.server.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        self.on = False


@pytest.fixture
def outage(
    db: Database, pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Outage]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    made = Outage(pg_server, db.url)
    yield made
    if made.on:
        made.end()


def _one_line(err: str) -> str:
    assert err.startswith("Lỗi: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "OperationalError" not in err
    return err


def _count(db: Database) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(func.count(FileRecord.id))) or 0)


def test_a_closed_server_is_one_vietnamese_line_and_a_non_zero_exit(
    db: Database, outage: Outage
) -> None:
    """In its own process, as an officer or a script runs it."""
    outage.start()
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", db.url, "files", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert done.returncode == 2 and done.stdout == ""
    line = _one_line(done.stderr)
    assert "Không kết nối được máy chủ cơ sở dữ liệu" in line
    assert "not currently accepting connections" in line  # what the server said
    assert "hỏi người quản trị máy chủ" in line  # what to do


def test_a_connection_lost_in_the_middle_of_a_command_is_one_line_and_nothing_written(
    db: Database,
    officer: Actor,
    outage: Outage,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with db.writer.begin() as s:
        intake.accept_file(
            s,
            intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An")),
            officer,
        )
    listed = file_commands.list_files

    def list_then_lose(*args: object, **kwargs: object) -> object:
        outage.start()  # the server goes away between the command's checks and its reading
        return listed(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(file_commands, "list_files", list_then_lose)
    code = run(["--db", db.url, "files", "list"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    line = _one_line(err)
    assert "Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm" in line
    assert "không có gì được ghi nửa chừng" in line
    outage.end()
    assert _count(db) == 1
