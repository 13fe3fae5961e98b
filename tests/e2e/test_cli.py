"""The admin command line, driven as an administrator would, on real database files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from desk_app.cli.app import run
from desk_app.services import users
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import open_database

ROOT = Path(__file__).resolve().parents[2]
# "Now" of the demo registers made here: a day on which the unpinned demo failed.
DEMO_NOW = "2026-12-03T11:00"


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def initialised_desk(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """A desk set up by `init` in a separate process, the way an administrator starts; once
    for the module, each test working on a copy."""
    path = tmp_path_factory.mktemp("init") / "desk.sqlite3"
    result = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--db",
            str(path),
            "init",
            "--agency-id",
            "000.00.20.H37",
            "--agency-name",
            "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
            "--governing-body",
            "UBND TỈNH LẠNG SƠN",
            "--place",
            "Lạng Sơn",
            "--admin",
            "admin",
        ],
        input="matkhau-rat-kho\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Đã tạo quản trị viên “admin”" in result.stdout
    assert "thủ tục từ danh mục mẫu" in result.stdout
    return path


@pytest.fixture
def desk_db(initialised_desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(initialised_desk, path)
    # Commands that change the desk now sign its administrator in (tests run without a tty).
    monkeypatch.setenv("DESK_USER", "admin")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau-rat-kho")
    return path


@pytest.mark.parametrize(
    ("received", "duration", "unit", "extra", "expected"),
    [
        # DOMAIN §4 examples, hand-computed against 07:00-11:30 / 13:30-17:00.
        ("2026-03-02T09:15", "3", "working_days", [], "2026-03-05T09:15"),
        ("2026-03-06T16:30", "1", "working_days", [], "2026-03-09T16:30"),
        ("2026-03-02T07:00", "4.5", "working_hours", [], "2026-03-02T11:30"),
        ("2026-03-02T18:00", "1", "working_hours", [], "2026-03-03T08:00"),
        ("2026-02-13T09:15", "5", "working_days", [], "2026-02-27T09:15"),
        ("2026-03-02T10:00", "0.5", "working_days", [], "2026-03-02T16:00"),
        ("2026-03-02T14:00", "1", "same_day", [], "2026-03-02T17:00"),
        ("2026-03-02T15:30", "1", "same_day", [], "2026-03-03T17:00"),
        ("2026-04-24T10:00", "3", "calendar_days", [], "2026-04-28T10:00"),
        ("2026-03-02T10:00", "0", "none", [], "none"),
        # A supplement pause over two full working days moves the due by two days.
        (
            "2026-03-02T09:15",
            "3",
            "working_days",
            ["--pause", "2026-03-03T07:00/2026-03-05T07:00"],
            "2026-03-09T09:15",
        ),
    ],
)
def test_due_prints_the_appointment(
    capsys: pytest.CaptureFixture[str],
    template_db: Path,
    tmp_path: Path,
    received: str,
    duration: str,
    unit: str,
    extra: list[str],
    expected: str,
) -> None:
    # A desk database as `init` leaves it before any setting (only `init` creates one).
    path = tmp_path / "d.sqlite3"
    path.write_bytes(template_db.read_bytes())
    code, out, err = cli(
        capsys,
        path,
        "due",
        "--received",
        received,
        "--duration",
        duration,
        "--unit",
        unit,
        *extra,
    )
    assert (code, err) == (0, "")
    assert out.strip() == expected


def test_calendar_override_changes_the_due(
    capsys: pytest.CaptureFixture[str], desk_db: Path
) -> None:
    code, out, _ = cli(
        capsys,
        desk_db,
        "calendar",
        "set",
        "2026-03-04",
        "off",
        "--note",
        "Công văn số 12/UBND nghỉ bù",
    )
    assert code == 0 and "2026-03-04: ngày nghỉ" in out
    code, out, _ = cli(
        capsys,
        desk_db,
        "calendar",
        "set",
        "2026-03-07",
        "working",
        "--note",
        "Làm bù theo công văn 12/UBND",
    )
    assert code == 0
    _, out, _ = cli(
        capsys,
        desk_db,
        "due",
        "--received",
        "2026-03-02T09:15",
        "--duration",
        "4",
        "--unit",
        "working_days",
    )
    # Tue, Thu, Fri, then the make-up Saturday 07/03 instead of Wed 04/03.
    assert out.strip() == "2026-03-07T09:15"
    _, out, _ = cli(capsys, desk_db, "calendar", "show", "2026")
    assert "2026-03-04 T4 nghỉ      Điều chỉnh của quản trị: Công văn số 12/UBND nghỉ bù" in out
    assert "2026-02-17 T3 nghỉ      Tết Nguyên Đán" in out
    assert "2026-08-22 T7 làm việc  Thứ Bảy làm bù" in out


def test_catalog_export_and_import_round_trip(
    capsys: pytest.CaptureFixture[str], desk_db: Path, tmp_path: Path
) -> None:
    for name in ("cat.json", "cat.csv"):
        code, out, _ = cli(capsys, desk_db, "catalog", "export", str(tmp_path / name))
        assert code == 0 and "Đã xuất 20 thủ tục" in out
        code, out, _ = cli(capsys, desk_db, "catalog", "import", str(tmp_path / name))
        assert code == 0
        assert "0 thêm mới, 0 cập nhật, 20 không đổi" in out
    data = json.loads((tmp_path / "cat.json").read_text(encoding="utf-8"))
    data["procedures"][0]["name"] += " (sửa đổi)"
    (tmp_path / "cat2.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, out, _ = cli(capsys, desk_db, "catalog", "import", str(tmp_path / "cat2.json"))
    assert "0 thêm mới, 1 cập nhật, 19 không đổi" in out


CSV_OK = (
    "received,procedure,applicant_name,id_number,phone,email,address,channel,result_by\n"
    "2026-03-02T09:15,1.001029,Đặng Thị Ánh,020190001234,0912 345 678,anh@example.vn,"
    '"Số 5, Lê Lợi",direct,counter\n'
    "2026-03-02T16:30,1.001029,Nông Văn Bình,,+84 987 654 321,,Xã Hoàng Đồng,postal,post\n"
)


def test_files_import_list_and_show(
    capsys: pytest.CaptureFixture[str], desk_db: Path, tmp_path: Path
) -> None:
    src = tmp_path / "files.csv"
    src.write_text(CSV_OK, encoding="utf-8")
    code, out, err = cli(capsys, desk_db, "files", "import", str(src))
    assert code == 0, err
    assert "000.00.20.H37-260302-0001  Đặng Thị Ánh  hẹn trả 2026-03-09T09:15" in out
    assert "000.00.20.H37-260302-0002  Nông Văn Bình  hẹn trả 2026-03-09T16:30" in out
    code, out, _ = cli(capsys, desk_db, "files", "list", "--queue", "all", "--json")
    rows = json.loads(out)
    assert [r["code"] for r in rows] == ["000.00.20.H37-260302-0002", "000.00.20.H37-260302-0001"]
    code, out, _ = cli(capsys, desk_db, "files", "show", "000.00.20.H37-260302-0002", "--json")
    view = json.loads(out)
    assert view["status"] == 2
    assert view["procedure_code"] == "1.001029"
    assert view["channel"] == "postal"
    assert view["received"] == "2026-03-02T16:30"
    assert view["due"] == view["original_due"] == "2026-03-09T16:30"
    assert view["settled"] is None and view["closed"] is None
    assert view["phone"] == "0987654321"


def test_a_bad_row_imports_nothing(
    capsys: pytest.CaptureFixture[str], desk_db: Path, tmp_path: Path
) -> None:
    bad = CSV_OK + "2026-03-02T10:00,1.001029,Lò Thị Cúc,,0123,,,direct,counter\n"
    bad += "2026-03-02T10:05,1.001029,Hà Văn Dũng,,,,,direct,counter\n"
    src = tmp_path / "bad.csv"
    src.write_text(bad, encoding="utf-8")
    code, out, err = cli(capsys, desk_db, "files", "import", str(src))
    assert code == 2
    assert err.startswith("Lỗi: Dòng 4: phone:")
    assert len(err.strip().splitlines()) == 1
    _, out, _ = cli(capsys, desk_db, "files", "list", "--queue", "all", "--json")
    assert json.loads(out) == []


def test_user_mistakes_exit_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], desk_db: Path
) -> None:
    for args, fragment in [
        (("files", "show", "000.00.20.H37-260302-0099"), "Không tìm thấy hồ sơ"),
        (
            ("due", "--received", "hôm qua", "--duration", "1", "--unit", "working_days"),
            "phải có dạng YYYY-MM-DDTHH:MM",
        ),
        (("calendar", "set", "2026-13-01", "off", "--note", "x"), "phải có dạng YYYY-MM-DD"),
        (("catalog", "import", "/nonexistent/catalog.json"), ""),
    ]:
        code, _, err = cli(capsys, desk_db, *args)
        assert code == 2, args
        assert err.startswith("Lỗi: ") and fragment in err
        assert "Traceback" not in err


def test_demo_backup_and_restore(
    capsys: pytest.CaptureFixture[str],
    template_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "demo.sqlite3"
    db.write_bytes(template_db.read_bytes())  # `demo` fills a desk database, never creates one
    # Pinned, as every test that depends on "now": with the real clock this demo had no file
    # in progress (status 4) on 2-4 December.
    code, out, _ = cli(capsys, db, "demo", "--files", "300", "--seed", "2026", "--now", DEMO_NOW)
    assert code == 0 and "Đã tạo 300 hồ sơ mẫu" in out
    # The demo desk has users now; restoring over it takes an administrator.
    demo_db = open_database(db)
    with demo_db.writer.begin() as s:
        users.create_user(
            s, "quantri", "Lăng Văn Quản", users.Role.ADMIN, "matkhau123", COMMAND_LINE
        )
    demo_db.dispose()
    monkeypatch.setenv("DESK_USER", "quantri")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    _, out, _ = cli(capsys, db, "files", "list", "--queue", "all", "--limit", "1000", "--json")
    codes = [r["code"] for r in json.loads(out)]
    assert len(codes) == 300 and len(set(codes)) == 300
    statuses = {r["status"] for r in json.loads(out)}
    assert {2, 3, 4, 9, 10} <= statuses or {3, 4, 9, 10} <= statuses

    code, out, _ = cli(capsys, db, "backup", str(tmp_path / "backups"))
    assert code == 0
    backup_file = Path(out.split(": ", 1)[1].strip())
    with closing(sqlite3.connect(backup_file)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM files").fetchone() == (300,)

    src = tmp_path / "one.csv"
    src.write_text(CSV_OK.splitlines()[0] + "\n" + CSV_OK.splitlines()[1] + "\n", "utf-8")
    assert cli(capsys, db, "files", "import", str(src))[0] == 0
    _, out, _ = cli(capsys, db, "files", "list", "--queue", "all", "--limit", "1000", "--json")
    assert len(json.loads(out)) == 301

    code, out, err = cli(capsys, db, "restore", str(backup_file))
    assert code == 0, err
    assert "Bản cũ được giữ tại" in out
    _, out, _ = cli(capsys, db, "files", "list", "--queue", "all", "--limit", "1000", "--json")
    assert len(json.loads(out)) == 300

    code, _, err = cli(capsys, db, "restore", str(tmp_path / "one.csv"))
    assert code == 2 and "Lỗi:" in err


def test_main_without_a_screen_says_what_to_do(tmp_path: Path) -> None:
    """No command opens the window; with no display Qt would abort with a misleading message
    about the xcb plugin, so the program says itself what is missing and how to go on."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "d.sqlite3")],
        capture_output=True, text=True, cwd=ROOT, check=False, env=env,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Không tìm thấy màn hình" in result.stderr
    assert "xvfb-run -a python main.py" in result.stderr
    assert "xcb" not in result.stderr
    assert not (tmp_path / "d.sqlite3").exists()


def test_main_help_lists_the_admin_commands() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--help"], capture_output=True, text=True, cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0
    for command in ("init", "due", "calendar", "catalog", "files", "demo", "backup", "restore"):
        assert command in result.stdout


def test_print_commands_write_pdfs_and_reprint_identically(
    capsys: pytest.CaptureFixture[str], desk_db: Path, tmp_path: Path
) -> None:
    src = tmp_path / "files.csv"
    src.write_text(CSV_OK, encoding="utf-8")
    assert cli(capsys, desk_db, "files", "import", str(src))[0] == 0
    code = "000.00.20.H37-260302-0001"
    first, again = tmp_path / "r1.pdf", tmp_path / "r2.pdf"
    status, out, err = cli(capsys, desk_db, "print", "receipt", code, "--out", str(first))
    assert status == 0, err
    assert "bản in đầu tiên, đã lưu" in out
    status, out, _ = cli(capsys, desk_db, "print", "receipt", code, "--out", str(again))
    assert "bản in lại từ bản lưu" in out
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes().startswith(b"%PDF")
    handover = tmp_path / "h.pdf"
    assert cli(capsys, desk_db, "print", "handover", code, "--out", str(handover))[0] == 0
    assert handover.stat().st_size > 1000
    register = tmp_path / "reg.pdf"
    status, out, _ = cli(
        capsys,
        desk_db,
        "print",
        "register",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(register),
    )
    assert status == 0 and "02/03/2026" not in out and "01/03/2026" in out
    assert register.read_bytes().startswith(b"%PDF")
    status, _, err = cli(
        capsys, desk_db, "print", "supplement", code, "--out", str(tmp_path / "s.pdf")
    )
    assert status == 2 and err.startswith("Lỗi: ") and not (tmp_path / "s.pdf").exists()
