"""The queue's groups from the command line: list, add, rename, close and reopen, signed in as
an administrator, the clock pinned; mistakes are said in one Vietnamese line (or English)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desk_app.services import tickets
from desk_app.services.context import Actor
from desk_app.store.engine import Database
from tests.cli_runner import cli, signed_in_admin

NOW = "2026-03-02T08:00"


@pytest.fixture
def desk_file(db: Database, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DESK_TEST_NOW", NOW)
    return signed_in_admin(db, monkeypatch)


def test_groups_round_trip(
    capsys: pytest.CaptureFixture[str], desk_file: Path, db: Database, officer: Actor
) -> None:
    code, out, _ = cli(capsys, desk_file, "tickets", "groups", "add", "b", "Hộ tịch")
    assert (code, out) == (0, "Đã thêm nhóm B – Hộ tịch.\n")
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "add", "B", "Khác")
    assert code == 2 and err == "Lỗi: Đã có nhóm ký hiệu B («Hộ tịch») đang cấp số.\n"
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "add", "1", "")
    assert code == 2
    assert "Ký hiệu nhóm gồm 1 đến 4 chữ cái" in err and "Tên nhóm không được để trống" in err
    code, out, _ = cli(capsys, desk_file, "tickets", "groups", "rename", "b", "Hộ tịch, chứng thực")
    assert out == "Đã đổi tên nhóm thành B – Hộ tịch, chứng thực.\n"

    at = datetime.fromisoformat(NOW)
    with db.writer.begin() as s:
        b = tickets.find_group(s, "B").id
        tickets.issue_ticket(s, b, at)
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "close", "B")
    assert code == 2 and "Nhóm B còn 1 số đang chờ" in err
    with db.writer.begin() as s:  # the day's ticket called and given up on
        called = tickets.call_next(s, officer, [b], at)
        assert called is not None
        tickets.skip(s, called.id, officer, at)
    code, out, _ = cli(capsys, desk_file, "tickets", "groups", "close", "B")
    assert code == 0 and out.startswith("Đã ngừng nhóm B – Hộ tịch, chứng thực")
    code, out, _ = cli(capsys, desk_file, "tickets", "groups", "list")
    assert out.splitlines() == [
        "A  Tiếp nhận và trả kết quả  đang cấp số, 0 số đã cấp",
        "B  Hộ tịch, chứng thực  đã ngừng, 1 số đã cấp, lần cuối ngày 2026-03-02",
    ]
    # The letter B was used today: a new B waits for tomorrow; the old one comes back.
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "add", "B", "Đất đai")
    assert code == 2 and "dùng lại được từ ngày mai" in err
    code, out, _ = cli(capsys, desk_file, "tickets", "groups", "reopen", "B")
    assert (code, out) == (0, "Đã mở lại nhóm B – Hộ tịch, chứng thực.\n")
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "close", "Z")
    assert (code, err) == (2, "Lỗi: Không có nhóm ký hiệu Z.\n")

    code, out, _ = cli(capsys, desk_file, "--lang", "en", "tickets", "groups", "list")
    assert out.splitlines()[0] == "A  Tiếp nhận và trả kết quả  issuing, 0 tickets issued"


def test_only_an_administrator_changes_groups(
    capsys: pytest.CaptureFixture[str], desk_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_USER", "canbo")
    code, _, err = cli(capsys, desk_file, "tickets", "groups", "add", "C", "Đất đai")
    assert code == 2 and "không có quyền quản lý nhóm dịch vụ" in err
