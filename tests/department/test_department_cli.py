"""`department` commands: registering desks and viewers, the report as JSON."""

from __future__ import annotations

import argparse
import json
import socket
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from desk_app.cli import department_commands
from desk_app.department.server import start_in_thread
from desk_app.errors import DeskError
from desk_app.sync.protocol import COUNT_KEYS, REPORT_PATH, SUMMARIES_PATH


def run(argv: list[str]) -> int:
    """The dispatch of desk_app.cli.app.run, for the `department` commands alone."""
    parser = argparse.ArgumentParser(prog="main.py")
    parser.add_argument("--db", type=Path)
    department_commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except DeskError as exc:
        print(f"Lỗi: {exc.message}")
        return 2
    return result


def last_line(text: str) -> str:
    return text.rstrip("\n").splitlines()[-1]


def _body(day: str, online: int, field: str) -> dict[str, object]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts.update(received_online=online, open_in_time=online)
    return {
        "protocol": 1,
        "day": day,
        "revision": 1,
        "desk": {"agency_id": "x", "agency_name": "y", "unit_name": "z", "software": "1"},
        "rows": [{"procedure": field[:3], "name": f"Thủ tục {field}", "field": field,
                  "counts": counts}],
    }  # fmt: skip


def test_add_desk_prints_a_token_that_works_and_report_matches_the_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'dept.sqlite3'}"
    assert run(["department", "add-desk", "--db", url, "--name", "Một cửa Sở"]) == 0
    out = capsys.readouterr().out
    assert "Một cửa Sở" in out
    desk_token = last_line(out)
    assert len(desk_token) >= 40 and " " not in desk_token
    # A plain path names the same SQLite file.
    assert (
        run(["department", "add-viewer", "--db", str(tmp_path / "dept.sqlite3"), "--name", "Sở"])
        == 0
    )
    viewer_token = last_line(capsys.readouterr().out)
    assert viewer_token != desk_token

    server = start_in_thread(url)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            for day, online, field in (
                ("2026-03-01", 2, "Văn hóa"),
                ("2026-03-02", 3, "Du lịch"),
                ("2026-03-03", 1, "Văn hóa"),
            ):
                r = client.post(
                    SUMMARIES_PATH,
                    json=_body(day, online, field),
                    headers={"Authorization": f"Bearer {desk_token}"},
                )
                assert r.json()["state"] == "stored"
            api = client.get(
                REPORT_PATH,
                params={"from": "2026-03-01", "to": "2026-03-03", "by": "procedure"},
                headers={"Authorization": f"Bearer {viewer_token}"},
            )
    finally:
        server.stop()

    argv = ["department", "report", "--db", url, "--from", "2026-03-01", "--to", "2026-03-03"]
    assert run([*argv, "--by", "procedure", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == api.json()
    assert printed == json.dumps(api.json(), ensure_ascii=False, indent=2) + "\n"
    assert api.json()["total"]["received_online"] == 6

    out_file = tmp_path / "out" / "report.json"
    assert run([*argv, "--desk", "Một cửa Sở", "--format", "json", "--out", str(out_file)]) == 0
    assert "nhận 6" in capsys.readouterr().out
    by_field = json.loads(out_file.read_text(encoding="utf-8"))
    assert [r["group"] for r in by_field["rows"]] == ["Du lịch", "Văn hóa"]


def test_mistakes_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "dept.sqlite3")
    assert run(["department", "add-desk", "--db", db, "--name", "A"]) == 0
    capsys.readouterr()
    assert run(["department", "add-desk", "--db", db, "--name", " A "]) == 2
    assert capsys.readouterr().out == "Lỗi: Đã có tên “A”; chọn tên khác.\n"
    assert run(["department", "add-viewer", "--db", db, "--name", "  "]) == 2
    assert "Tên không được để trống" in capsys.readouterr().out
    report = ["department", "report", "--db", db, "--format", "json"]
    assert run([*report, "--from", "2026-03-05", "--to", "2026-03-01"]) == 2
    assert "Ngày kết thúc" in capsys.readouterr().out
    assert run([*report, "--from", "05/03/2026", "--to", "2026-03-06"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().out
    assert run([*report, "--from", "2026-03-01", "--to", "2026-03-06", "--desk", "B"]) == 2
    assert "Không có bộ phận một cửa tên “B”" in capsys.readouterr().out


def test_the_program_wide_db_option_is_used_when_department_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dept.sqlite3"
    assert run(["--db", str(path), "department", "add-desk", "--name", "A"]) == 0
    capsys.readouterr()
    assert path.exists()
    assert run(["department", "add-desk", "--db", str(path), "--name", "A"]) == 2


def test_the_program_command_line_dispatches_department(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk_app.cli.app import run as program_run

    db = str(tmp_path / "dept.sqlite3")
    assert program_run(["department", "add-desk", "--db", db, "--name", "A"]) == 0
    assert len(last_line(capsys.readouterr().out)) >= 40
    assert program_run(["department", "add-desk", "--db", db, "--name", "A"]) == 2
    assert capsys.readouterr().err == "Lỗi: Đã có tên “A”; chọn tên khác.\n"


def test_tokens_are_rotated_and_revoked_from_the_command_line_and_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "dept.sqlite3")
    assert run(["department", "add-desk", "--db", db, "--name", "Một cửa Sở"]) == 0
    old_desk = last_line(capsys.readouterr().out)
    assert run(["department", "add-viewer", "--db", db, "--name", "Văn phòng Sở"]) == 0
    old_viewer = last_line(capsys.readouterr().out)

    assert run(["department", "rotate-token", "--db", db, "--name", "MỘT CỬA SỞ"]) == 0
    out = capsys.readouterr().out
    assert "Đã cấp mã truy cập mới cho bộ phận một cửa “Một cửa Sở”" in out
    new_desk = last_line(out)
    assert len(new_desk) >= 40 and new_desk not in (old_desk, old_viewer)
    assert run(["department", "rotate-viewer-token", "--db", db, "--name", "Văn phòng Sở"]) == 0
    new_viewer = last_line(capsys.readouterr().out)

    def status(token: str, path: str = "/api/v1/desks") -> int:
        return client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code

    server = start_in_thread(db)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            assert [status(t) for t in (old_desk, old_viewer, new_desk, new_viewer)] == [
                401, 401, 200, 200
            ]  # fmt: skip
            r = client.post(
                SUMMARIES_PATH,
                json=_body("2026-03-01", 2, "Văn hóa"),
                headers={"Authorization": f"Bearer {new_desk}"},
            )
            assert r.json()["state"] == "stored"

            assert run(["department", "revoke-desk", "--db", db, "--name", "một cửa sở"]) == 0
            out = capsys.readouterr().out
            assert "Đã thu hồi mã truy cập của bộ phận một cửa “Một cửa Sở”" in out
            assert "rotate-token" in out
            assert status(new_desk) == 401
            page = client.get("/", params={"from": "2026-03-01", "to": "2026-03-31"},
                              auth=("sở", new_viewer))  # fmt: skip
            assert "Mã truy cập đã bị thu hồi" in page.text
            assert "Văn hóa" in page.text  # its numbers stay

            assert run(["department", "revoke-viewer", "--db", db, "--name", "Văn phòng Sở"]) == 0
            capsys.readouterr()
            assert status(new_viewer) == 401
    finally:
        server.stop()

    # Mistakes: a role's command does not reach the other role; twice is an error.
    assert run(["department", "revoke-viewer", "--db", db, "--name", "Một cửa Sở"]) == 2
    assert "Không có người xem báo cáo tên “Một cửa Sở”" in capsys.readouterr().out
    assert run(["department", "revoke-desk", "--db", db, "--name", "Một cửa Sở"]) == 2
    assert "đã bị thu hồi" in capsys.readouterr().out
    assert run(["department", "rotate-token", "--db", db, "--name", "Không có"]) == 2
    assert "Không có bộ phận một cửa tên “Không có”" in capsys.readouterr().out

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        audit = conn.exec_driver_sql("SELECT action, role, subject, actor FROM audit_log").all()
    engine.dispose()
    assert [tuple(row[:3]) for row in audit] == [
        ("register", "desk", "Một cửa Sở"),
        ("register", "viewer", "Văn phòng Sở"),
        ("rotate", "desk", "Một cửa Sở"),
        ("rotate", "viewer", "Văn phòng Sở"),
        ("revoke", "desk", "Một cửa Sở"),
        ("revoke", "viewer", "Văn phòng Sở"),
    ]
    assert all(row[3].endswith("@" + socket.gethostname()) for row in audit)


def test_serve_refuses_a_body_cap_too_small_to_be_useful(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "dept.sqlite3")
    assert run(["department", "serve", "--db", db, "--port", "0", "--max-body", "100"]) == 2
    assert "quá nhỏ" in capsys.readouterr().out
