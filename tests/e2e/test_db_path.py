"""A wrong --db (a text file, a folder, a mistyped path) gets one clear line and changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from desk_app.cli.app import run

ROOT = Path(__file__).resolve().parents[2]
NOTES = "Ghi chú họp giao ban\nkhông phải cơ sở dữ liệu\n".encode()


def _commands(out: Path) -> dict[str, list[str]]:
    """Every command that reads or changes the desk's database, with what it needs."""
    period = ["--from", "2026-01-01", "--to", "2026-01-31"]
    return {
        "files list": ["files", "list"],
        "files show": ["files", "show", "H37.20-260302-0001"],
        "due": ["due", "--received", "2026-03-02T09:00", "--duration", "1", "--unit", "days"],
        "calendar show": ["calendar", "show", "2026"],
        "catalog export": ["catalog", "export", str(out / "thu-tuc.json")],
        "backup": ["backup", str(out / "sao-luu.sqlite3")],
        "demo": ["demo", "--files", "1", "--now", "2026-03-02T10:00"],
        "print register": ["print", "register", *period, "--out", str(out / "so.pdf")],
        "post handover": ["post", "handover", "--date", "2026-03-02", "--out", str(out / "b.pdf")],
        "report": ["report", *period, "--format", "json", "--out", str(out / "bieu.json")],
        "register": ["register", *period, "--format", "xlsx", "--out", str(out / "so.xlsx")],
        "sync": ["sync", "--url", "http://127.0.0.1:9"],
    }


COMMANDS = [*sorted(_commands(Path())), "init"]


def _argv(name: str, out: Path) -> list[str]:
    if name == "init":
        return ["init", "--agency-id", "000.00.20.H37", "--agency-name", "SỞ", "--place", "LS"]
    argv = _commands(out)[name]
    if name == "due":  # the unit names of `due` are the domain's
        argv[-1] = "working_days"
    return argv


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = run(argv)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("Lỗi: "), err
    return err


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "ket-qua"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_a_text_file_as_db_is_refused_and_left_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    notes = tmp_path / "ghi-chu.txt"
    notes.write_bytes(NOTES)
    err = _one_line_error(capsys, ["--db", str(notes), *_argv(command, out)])
    assert str(notes) in err and "không phải là tệp cơ sở dữ liệu" in err
    assert notes.read_bytes() == NOTES
    assert _listing(tmp_path) == ["ghi-chu.txt", "ket-qua"]  # no -wal, no -shm, no -journal
    assert _listing(out) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_as_db_is_refused_and_left_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    err = _one_line_error(capsys, ["--db", str(folder), *_argv(command, out)])
    assert f"{folder} là một thư mục" in err
    assert _listing(folder) == []
    assert _listing(tmp_path) == ["du-lieu", "ket-qua"]
    assert _listing(out) == []


@pytest.mark.parametrize("command", sorted(_commands(Path())))
def test_a_mistyped_db_is_refused_and_nothing_is_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    mistyped = tmp_path / "dulieu" / "desk.sqilte3"
    err = _one_line_error(capsys, ["--db", str(mistyped), *_argv(command, out)])
    assert f"Không có cơ sở dữ liệu {mistyped}" in err and "init" in err
    assert _listing(tmp_path) == ["ket-qua"]  # not even the folder
    assert _listing(out) == []


@pytest.mark.parametrize("command", ["files list", "backup"])
def test_an_empty_file_is_not_a_desk_database_yet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    empty = tmp_path / "desk.sqlite3"
    empty.touch()
    err = _one_line_error(capsys, ["--db", str(empty), *_argv(command, out)])
    assert "tệp trống" in err
    assert empty.read_bytes() == b""
    assert _listing(out) == []


@pytest.mark.parametrize("command", ["files list", "init"])
def test_another_program_s_database_is_not_touched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    other = tmp_path / "ke-toan.db"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE chung_tu (so INTEGER PRIMARY KEY, noi_dung TEXT)")
        conn.execute("INSERT INTO chung_tu VALUES (1, 'Phiếu chi')")
    before = other.read_bytes()
    err = _one_line_error(capsys, ["--db", str(other), *_argv(command, out)])
    assert "của một chương trình khác" in err
    assert other.read_bytes() == before
    assert _listing(tmp_path) == ["ke-toan.db", "ket-qua"]


def test_the_department_s_commands_refuse_a_text_file_and_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "ghi-chu.txt"
    notes.write_bytes(NOTES)
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    for db in (notes, folder):
        _one_line_error(capsys, ["department", "add-desk", "--db", str(db), "--name", "Một cửa"])
    assert notes.read_bytes() == NOTES
    assert _listing(tmp_path) == ["du-lieu", "ghi-chu.txt"]
    assert _listing(folder) == []


def test_the_program_says_it_in_one_line_from_a_separate_process(tmp_path: Path) -> None:
    notes = tmp_path / "ghi-chu.txt"
    notes.write_bytes(NOTES)
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(notes), "files", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"Lỗi: {notes} không phải là tệp cơ sở dữ liệu của chương trình (không phải SQLite).\n"
    )
    assert notes.read_bytes() == NOTES
    assert _listing(tmp_path) == ["ghi-chu.txt"]
