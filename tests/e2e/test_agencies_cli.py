"""The command line on a centre's agencies: list, add, edit, assign users, and `--agency` on
the catalogue commands (asked for once the database has several agencies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk_app.services import desk, users
from desk_app.store.engine import Database
from tests.cli_runner import cli, signed_in_admin


@pytest.fixture
def desk_file(db: Database, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The set-up desk's SQLite file, its administrator signed in by the environment."""
    return signed_in_admin(db, monkeypatch)


def test_agencies_round_trip(
    capsys: pytest.CaptureFixture[str], desk_file: Path, db: Database, tmp_path: Path
) -> None:
    code, out, _ = cli(capsys, desk_file, "agencies", "list")
    assert code == 0
    assert out.splitlines() == [
        "1  000.00.20.H37  SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH  đang hoạt động, 0 hồ sơ, 3 người dùng"
    ]
    # One agency: the catalogue commands need no --agency.
    code, out, _ = cli(capsys, desk_file, "catalog", "export", str(tmp_path / "all.json"))
    assert code == 0

    code, out, err = cli(
        capsys,
        desk_file,
        "agencies",
        "add",
        "--agency-id",
        "000.00.21.h37",
        "--name",
        "Sở Tư pháp tỉnh Lạng Sơn",
        "--short-name",
        "Sở Tư pháp",
        "--place",
        "Lạng Sơn",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Đã thêm cơ quan số 2:", "2  000.00.21.H37  Sở Tư pháp"]

    code, _, err = cli(
        capsys, desk_file, "agencies", "add", "--agency-id", "000.00.21.H37", "--name", "KHÁC"
    )
    assert code == 2
    assert "--agency-id: Mã cơ quan «000.00.21.H37» đã là mã của cơ quan khác" in err

    # Two agencies: a catalogue command without --agency asks for it.
    one = tmp_path / "one.json"
    catalogue = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    catalogue["procedures"] = catalogue["procedures"][:2]
    one.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli(capsys, desk_file, "catalog", "import", str(one))
    assert code == 2
    assert "thêm --agency N" in err and "2 = Sở Tư pháp" in err
    code, out, _ = cli(capsys, desk_file, "catalog", "import", str(one), "--agency", "2")
    assert code == 0 and "2 thêm mới" in out
    code, _, err = cli(capsys, desk_file, "catalog", "import", str(one), "--agency", "7")
    assert code == 2 and "Không có cơ quan số 7" in err

    code, out, _ = cli(capsys, desk_file, "users", "assign", "canbo", "2", "1")
    assert code == 0
    assert out.strip() == "Đã phân công “canbo” cho cơ quan: 1, 2."
    code, out, _ = cli(capsys, desk_file, "users", "list")
    assert "canbo  Nguyễn Thị Lan  officer  [1 = SỞ VĂN HÓA" in out
    assert "2 = Sở Tư pháp]" in out

    code, out, _ = cli(
        capsys, desk_file, "agencies", "edit", "2", "--short-name", "STP", "--phone", "0205 3"
    )
    assert code == 0 and out.splitlines()[-1] == "2  000.00.21.H37  STP"
    code, out, _ = cli(capsys, desk_file, "agencies", "edit", "2", "--close")
    assert code == 0 and "(đã đóng)" in out

    with db.reader.begin() as s:
        assert desk.catalog_size(s, 2) == 2
        assert desk.get_agency(s, 2).phone == "0205 3"
        assert {u.username: u.agencies for u in users.list_users(s)}["canbo"] == (1, 2)
    # One agency open again: --agency may be left out.
    code, out, _ = cli(capsys, desk_file, "catalog", "export", str(tmp_path / "again.json"))
    assert code == 0


def test_english_and_refusals(capsys: pytest.CaptureFixture[str], desk_file: Path) -> None:
    for short in ("A", "B"):
        code, _, err = cli(
            capsys,
            desk_file,
            "agencies",
            "add",
            "--agency-id",
            f"000.00.2{ord(short) - 60}.H37",
            "--name",
            f"SỞ {short}",
        )
        assert code == 0, err
    code, _, err = cli(capsys, desk_file, "--lang", "en", "catalog", "export", "x.json")
    assert code == 2
    assert "The database has 3 agencies" in err and "add --agency N" in err
    code, _, err = cli(capsys, desk_file, "users", "assign", "canbo", "9")
    assert code == 2 and "Không có cơ quan số 9" in err
