"""`init` on a terminal asks its questions in Vietnamese and reads the password without echo."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _read_until(fd: int, marker: str, seen: list[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while marker not in "".join(seen):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no prompt {marker!r}; screen so far: {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            assert chunk, f"program ended before {marker!r}: {''.join(seen)!r}"
            seen.append(chunk.decode("utf-8", "replace"))


def test_interactive_init_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "tty.sqlite3"
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, with the pty as its terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "main.py", "--db", str(db), "init"])
    answers = [
        ("Cơ quan chủ quản", "UBND TỈNH LẠNG SƠN"),
        ("Tên cơ quan", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
        ("Tên bộ phận", ""),
        ("Mã cơ quan", "000.00.20.H37"),
        ("Địa danh", "Lạng Sơn"),
        ("Giờ làm việc", ""),
        ("Giờ chốt", ""),
        ("Tên đăng nhập quản trị viên", "quantri"),
        ("Họ tên quản trị viên", "Lăng Văn Quản"),
        ("Mật khẩu:", "mat-khau-dai"),
        ("Nhập lại mật khẩu:", "mat-khau-dai"),
    ]
    seen: list[str] = []
    for prompt, answer in answers:
        _read_until(fd, prompt, seen)
        seen.clear()
        os.write(fd, answer.encode() + b"\r")
    _read_until(fd, "Cơ sở dữ liệu sẵn sàng", seen)
    screen = "".join(seen)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "mat-khau-dai" not in screen  # the password is never echoed
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT agency_id, place_name, unit_name, office_hours FROM desk_settings"
        ).fetchone()
        assert row == ("000.00.20.H37", "Lạng Sơn", "BỘ PHẬN MỘT CỬA", "07:00-11:30,13:30-17:00")
        user = conn.execute("SELECT username, full_name, role FROM users").fetchone()
        assert user == ("quantri", "Lăng Văn Quản", "admin")
