"""`department` commands: registering desks and viewers, the report as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import httpx
import pytest

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
