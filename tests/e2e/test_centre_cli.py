"""The command line on a centre's PostgreSQL database: init, backup and restore, and a server
that cannot be reached (one Vietnamese line, never a traceback nor the password)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from desk_app.cli import file_commands
from desk_app.cli.app import run
from desk_app.clock import PIN_VARIABLE
from desk_app.services import users
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import open_database
from tests.pg_server import PgServer
from tests.unit.store.test_backup_server import NAMES, accept_files, contents

UNREACHABLE = "postgresql+psycopg://desk:Bi-mat-99@127.0.0.1:1/desk"


def cli(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    code = run(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    assert err.startswith("Lỗi: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def databases(
    pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """Two new empty databases on the test server; the per-user folders kept in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv(PIN_VARIABLE, "2026-03-02T08:00")  # the desk's first day, as set by init
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    made = [pg_server.new_database(prefix="cli"), pg_server.new_database(prefix="cli")]
    yield made
    for url in made:
        pg_server.drop_database(url)


def init(capsys: pytest.CaptureFixture[str], url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("matkhau123\n"))
    code, out, err = cli(
        capsys,
        url,
        *("init", "--agency-id", "000.00.20.H37", "--place", "Lạng Sơn"),
        *("--agency-name", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "--admin", "quantri"),
    )
    assert code == 0, err
    return out


def test_init_backup_and_restore_on_a_server(
    capsys: pytest.CaptureFixture[str],
    databases: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = databases
    out = init(capsys, source, monkeypatch)
    assert "Đã tạo quản trị viên “quantri”" in out
    assert f"Cơ sở dữ liệu sẵn sàng: {source}" in out  # no password in this URL to hide
    db = open_database(source)
    with db.writer.begin() as s:
        users.create_user(
            s, "canbo", "Nguyễn Thị Lan", users.Role.OFFICER, "matkhau123", COMMAND_LINE
        )
    accept_files(db)
    db.dispose()

    folder = tmp_path / "sao-luu"
    folder.mkdir()
    code, out, err = cli(capsys, source, "backup", str(folder))
    assert code == 0, err
    dump = Path(out.splitlines()[0].split(": ", 1)[1])
    assert dump.parent == folder and dump.suffix == ".pgdump"
    assert "Kiểm tra: đã phục hồi thử vào một cơ sở dữ liệu tạm" in out

    # Into a new empty database: nobody to sign in yet.
    code, out, err = cli(capsys, target, "restore", str(dump))
    assert code == 0, err
    assert f"Đã phục hồi {target} từ {dump}" in out
    assert "Bản cũ được giữ tại" not in out
    restored = contents(target)
    assert restored == contents(source)
    assert len(restored["files"]) == len(NAMES)

    # Over a desk with users: an administrator's decision.
    code, _, err = cli(capsys, target, "restore", str(dump))
    assert code == 2 and "quantri" not in err
    monkeypatch.setenv("DESK_USER", "quantri")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    code, out, err = cli(capsys, target, "restore", str(dump))
    assert code == 0, err
    kept = Path(out.split("Bản cũ được giữ tại: ", 1)[1].splitlines()[0])
    assert kept.is_file() and kept.parent == tmp_path / "data" / "one-stop-desk"
    assert contents(target) == restored


def test_a_damaged_dump_is_refused_in_one_line_and_nothing_restored(
    capsys: pytest.CaptureFixture[str],
    databases: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = databases
    init(capsys, source, monkeypatch)
    init(capsys, target, monkeypatch)
    db = open_database(source)
    with db.writer.begin() as s:
        users.create_user(
            s, "canbo", "Nguyễn Thị Lan", users.Role.OFFICER, "matkhau123", COMMAND_LINE
        )
    accept_files(db)
    db.dispose()
    code, _, err = cli(capsys, source, "backup", str(tmp_path / "centre.pgdump"))
    assert code == 0, err
    data = bytearray((tmp_path / "centre.pgdump").read_bytes())
    # In the rows: a custom-format dump holds its table of contents first (here ~95% of the
    # file) and the tables' compressed rows last. 64 zero bytes at two thirds of the file fell
    # in the table of contents once the schema grew, on the text of a DROP statement that only
    # --clean uses, and the restore never runs it from this file (it restores into a scratch
    # database and dumps that again): nothing was lost, and the restore rightly went on.
    middle = len(data) - 2048
    data[middle : middle + 64] = b"\x00" * 64
    bad = tmp_path / "hong.pgdump"
    bad.write_bytes(bytes(data))
    monkeypatch.setenv("DESK_USER", "quantri")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    was = contents(target)
    code, _, err = cli(capsys, target, "restore", str(bad))
    assert code == 2
    line = one_error_line(err)
    assert "hong.pgdump" in line and "hỏng" in line
    assert contents(target) == was
    assert was["files"] == []


@pytest.mark.parametrize(
    "command",
    [
        ("files", "list"),
        ("backup", "/tmp"),
        ("restore", "/tmp/centre.pgdump"),
        ("init", "--agency-id", "000.00.20.H37"),
    ],
)
def test_an_unreachable_server_is_one_vietnamese_line(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, err = cli(capsys, UNREACHABLE, *command)
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert (
        "Không kết nối được máy chủ cơ sở dữ liệu postgresql+psycopg://desk:***@127.0.0.1:1" in line
    )
    assert "hỏi người quản trị máy chủ" in line
    assert "Bi-mat-99" not in line


def test_a_server_lost_in_the_middle_of_a_command_is_one_line(
    capsys: pytest.CaptureFixture[str],
    databases: list[str],
    pg_server: PgServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server ends the command's connection (restarted, a cable pulled) while it works."""
    source, _ = databases
    init(capsys, source, monkeypatch)
    name = make_url(source).database
    real = file_commands.list_files

    def cut_then_list(session: Session, *args: Any, **kwargs: Any) -> Any:
        session.execute(text("SELECT 1"))  # the command's connection, in use
        pg_server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        return real(session, *args, **kwargs)

    monkeypatch.setattr(file_commands, "list_files", cut_then_list)
    code, out, err = cli(capsys, source, "files", "list")
    assert code == 2 and out == ""
    assert "Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm" in one_error_line(err)
