"""Who may change the database from the command line, and what the machine's refusals print.

Every case runs `python main.py` as a separate process on a real database file, without a
terminal (so nothing is asked), with "now" pinned.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from desk_app.services import users
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import open_database
from tests.cli_runner import run_main

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "matkhau-rat-kho"
LEADER_PASSWORD = "matkhau-lanhdao"
CSV = (
    "received,procedure,applicant_name\n"
    "2026-03-02T09:15,1.001029,Đặng Thị Ánh\n"
    "2026-03-02T09:20,1.001029,Nông Văn Bình\n"
)


def main(
    db: Path, *args: str, env: dict[str, str] | None = None, stdin: str = "", **kw: object
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DESK_")}
    base["DESK_TEST_NOW"] = "2026-03-02T10:00"
    if not kw:  # in this process (tests/cli_runner.py); a process of its own when asked how
        return run_main(["--db", str(db), *args], {**base, **(env or {})}, stdin)
    return subprocess.run(
        [sys.executable, "main.py", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**base, **(env or {})},
        **kw,  # type: ignore[arg-type]
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk made by `init` (administrator `admin`) plus a supervisor, once for the module."""
    path = tmp_path_factory.mktemp("guard") / "desk.sqlite3"
    result = main(
        path,
        "init",
        "--agency-id",
        "000.00.20.H37",
        "--agency-name",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "--place",
        "Lạng Sơn",
        "--admin",
        "admin",
        stdin=ADMIN_PASSWORD + "\n",
        timeout=120,  # a process of its own, as an administrator starts a desk
    )
    assert result.returncode == 0, result.stderr
    db = open_database(path)
    with db.writer.begin() as s:
        users.create_user(
            s, "lanhdao", "Vi Đức Thắng", users.Role.SUPERVISOR, LEADER_PASSWORD, COMMAND_LINE
        )
    db.dispose()
    return path


@pytest.fixture
def desk(initialised: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(initialised, path)
    yield path
    for folder in (tmp_path, tmp_path / "ro"):
        if folder.exists():
            folder.chmod(0o755)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def test_init_refuses_a_database_that_already_has_users(desk: Path) -> None:
    before = rows(desk, "SELECT username FROM users ORDER BY id")
    result = main(desk, "init", "--admin", "intruder", stdin="mat-khau-ke-gian\n")
    assert "đã được khởi tạo (đã có người dùng)" in one_error_line(result)
    assert rows(desk, "SELECT username FROM users ORDER BY id") == before


def test_changing_commands_sign_in_and_the_audit_log_names_the_user(
    desk: Path, tmp_path: Path
) -> None:
    calendar = ("calendar", "set", "2026-03-04", "off", "--note", "Công văn 12/UBND")
    line = one_error_line(main(desk, *calendar))
    assert "cần đăng nhập" in line and "--user" in line and "DESK_PASSWORD" in line
    wrong = main(desk, *calendar, "--user", "admin", env={"DESK_PASSWORD": "sai-mat-khau"})
    assert one_error_line(wrong) == "Lỗi: Tên đăng nhập hoặc mật khẩu không đúng."
    leader = main(desk, *calendar, env={"DESK_USER": "lanhdao", "DESK_PASSWORD": LEADER_PASSWORD})
    assert "không có quyền sửa lịch làm việc" in one_error_line(leader)
    assert rows(desk, "SELECT count(*) FROM calendar_overrides") == [(0,)]
    assert rows(desk, "SELECT failed_signins FROM users WHERE username = 'admin'") == [(1,)]

    done = main(desk, *calendar, "--user", "admin", env={"DESK_PASSWORD": ADMIN_PASSWORD})
    assert done.returncode == 0, done.stderr
    (admin_id,) = rows(desk, "SELECT id FROM users WHERE username = 'admin'")[0]
    assert rows(desk, "SELECT user_id FROM audit_log ORDER BY id DESC LIMIT 1") == [(admin_id,)]
    assert rows(desk, "SELECT failed_signins FROM users WHERE username = 'admin'") == [(0,)]

    # A supervisor's role suffices to import files; the password may come from a file.
    secret = tmp_path / "password.txt"
    secret.write_text(LEADER_PASSWORD + "\n", encoding="utf-8")
    src = tmp_path / "files.csv"
    src.write_text(CSV, encoding="utf-8")
    taken = main(
        desk, "files", "import", str(src), "--user", "lanhdao", "--password-file", str(secret)
    )
    assert taken.returncode == 0, taken.stderr
    (leader_id,) = rows(desk, "SELECT id FROM users WHERE username = 'lanhdao'")[0]
    assert rows(desk, "SELECT DISTINCT user_id FROM audit_log WHERE action LIKE '%accept%'") == [
        (leader_id,)
    ]
    # Reading needs nobody.
    assert main(desk, "files", "list", "--queue", "all").returncode == 0


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sync_exits_3_while_days_wait_for_a_department_that_is_down(
    desk: Path, tmp_path: Path
) -> None:
    src = tmp_path / "files.csv"
    src.write_text(CSV, encoding="utf-8")
    leader = {"DESK_USER": "lanhdao", "DESK_PASSWORD": LEADER_PASSWORD}
    assert main(desk, "files", "import", str(src), env=leader).returncode == 0
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    sync = ("sync", "--url", url, "--token", "x" * 24, "--timeout", "2")
    result = main(desk, *sync, env=leader)
    assert result.returncode == 3, result.stdout + result.stderr
    # The day is now held by a pass that broke off a moment ago (its two-minute lease runs):
    # this pass has nothing it may send, only asks the department, and fails to reach it.
    with closing(sqlite3.connect(desk)) as conn:
        conn.execute(
            "UPDATE sync_outbox SET state = 'sending', next_attempt_at = '2026-03-02 10:01:00'"
            " WHERE state = 'pending'"
        )
        conn.commit()
    result = main(desk, *sync, env=leader)
    assert result.stdout.splitlines()[-1] == (
        "Đã gửi 0, lỗi 0, còn chờ gửi 1. Không kết nối được với Sở."
    )
    assert result.returncode == 3, result.stdout + result.stderr


def test_a_windows_1258_csv_is_one_line(desk: Path, tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    # Excel's plain "CSV" on a Vietnamese Windows: ô and ă precomposed, ì as i + grave accent.
    row = "2026-03-02T09:20,1.001029,Nông Văn Bi\u0300nh\n"
    src.write_bytes(("received,procedure,applicant_name\n" + row).encode("cp1258"))
    leader = {"DESK_USER": "lanhdao", "DESK_PASSWORD": LEADER_PASSWORD}
    line = one_error_line(main(desk, "files", "import", str(src), env=leader))
    assert "không phải văn bản UTF-8" in line
    assert rows(desk, "SELECT count(*) FROM files") == [(0,)]


@pytest.mark.parametrize(
    "moments",
    [
        ("--received", "2026-03-02T10:00+07:00"),
        ("--received", "2026-03-02T09:00", "--pause", "2026-03-02T10:00Z/"),
    ],
)
def test_a_time_zone_in_a_moment_is_refused(desk: Path, moments: tuple[str, ...]) -> None:
    result = main(desk, "due", *moments, "--duration", "1", "--unit", "working_days")
    assert "không được kèm múi giờ" in one_error_line(result)


def _without_root_override() -> None:
    """Run as root without the right to write what is not writable (as any other user)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP: gone after exec


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_one_line_and_nothing_is_written(
    desk: Path, tmp_path: Path, what: str
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "desk.sqlite3"
    shutil.move(desk, db)
    before = db.read_bytes()
    if what == "file":
        db.chmod(0o444)
    else:
        folder.chmod(0o555)
    admin = {"DESK_USER": "admin", "DESK_PASSWORD": ADMIN_PASSWORD}
    result = main(
        db,
        "calendar",
        "set",
        "2026-03-04",
        "off",
        "--note",
        "x",
        env=admin,
        preexec_fn=_without_root_override if os.geteuid() == 0 else None,
    )
    assert "chỉ cho phép đọc" in one_error_line(result) or "Không mở được" in result.stderr
    folder.chmod(0o755)
    assert db.read_bytes() == before


def test_a_database_of_a_newer_schema_is_refused_untouched(desk: Path) -> None:
    with closing(sqlite3.connect(desk)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
        conn.commit()
    before = desk.read_bytes()
    line = one_error_line(main(desk, "files", "list"))
    assert "phiên bản mới hơn" in line and "0999" in line
    assert desk.read_bytes() == before
