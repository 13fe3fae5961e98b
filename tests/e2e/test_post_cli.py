"""`post import` and `post handover` on a real database file, as an administrator runs them."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from desk_app.cli.app import run
from desk_app.domain.documents import ResultBy
from desk_app.services import intake, lifecycle, post
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import Database

ROOT = Path(__file__).resolve().parents[2]
RECEIVED = datetime(2026, 3, 2, 9, 15)
SETTLED = datetime(2026, 3, 5, 10, 0)
HANDED = datetime(2026, 3, 5, 14, 0)
NUMBERS = ("RR123456785VN", "EE473054062VN")


@pytest.fixture(autouse=True)
def _officer_signs_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """`post import` changes files: the conftest desk's officer signs in (no tty here)."""
    monkeypatch.setenv("DESK_USER", "canbo")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _handed(db: Database, officer: Actor) -> list[str]:
    """Two files whose results went to the post on 5 March 2026."""
    codes = []
    for name, number in zip(("Đặng Thị Ánh", "Lê Văn Bình"), NUMBERS, strict=True):
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name=name),
            received_at=RECEIVED,
            result_by=ResultBy.POST,
            delivery_address="Số 5 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn",
        )
        with db.writer.begin() as s:
            code = intake.accept_file(s, data, officer, now=RECEIVED).code
            lifecycle.record_result(s, MoveInput(code, at=SETTLED), officer, now=SETTLED)
            post.hand_over(
                s,
                code,
                tracking=number,
                postage=28_000,
                paid_by="province",
                actor=officer,
                at=HANDED,
                now=HANDED,
            )
        codes.append(code)
    return codes


def _states(db: Database, codes: list[str]) -> list[str]:
    with db.reader.begin() as s:
        return [post.postal_items(s, c)[-1].state for c in codes]


def test_import_applies_a_csv_and_prints_each_row(
    capsys: pytest.CaptureFixture[str], db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = _handed(db, officer)
    path = tmp_path / "ket_qua.csv"
    path.write_text(
        "so_hieu;ket_qua;ngay;nguoi_nhan;ghi_chu\n"
        f"{NUMBERS[0]};Phát thành công;07/03/2026 09:30;Đặng Thị Ánh;\n"
        f"{NUMBERS[1]};Chuyển hoàn;10/03/2026;;Không có người nhận\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, db.path, "post", "import", str(path))
    assert code == 0, err
    assert f"Dòng 2: {NUMBERS[0]}  {codes[0]}  Phát thành công" in out
    assert f"Dòng 3: {NUMBERS[1]}  {codes[1]}  Chuyển hoàn" in out
    assert "Đã cập nhật kết quả phát của 2 dòng." in out
    assert _states(db, codes) == ["delivered", "returned"]


def test_import_with_a_bad_row_refuses_everything(
    capsys: pytest.CaptureFixture[str], db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = _handed(db, officer)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["tracking", "outcome", "date", "signed_by"])
    sheet.append([NUMBERS[0], "delivered", datetime(2026, 3, 7, 9, 30), "Đặng Thị Ánh"])
    sheet.append(["RR000000015VN", "delivered", datetime(2026, 3, 7, 10, 0), "X"])
    sheet.append([NUMBERS[1], "returned", datetime(2026, 3, 8, 10, 0), None])
    path = tmp_path / "ket_qua.xlsx"
    book.save(path)
    code, out, err = cli(capsys, db.path, "post", "import", str(path))
    assert code == 2
    assert out == ""
    assert "Lỗi: Dòng 3: số hiệu RR000000015VN" in err
    assert "Dòng 2" not in err
    assert "Không cập nhật dòng nào (2 dòng hợp lệ cũng chưa được ghi)." in err
    assert _states(db, codes) == ["handed", "handed"]


def test_import_of_an_unreadable_list(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("so_hieu,ket_qua,ngay\nRR123456785VN,lost,hôm qua\n", encoding="utf-8")
    code, _, err = cli(capsys, db.path, "post", "import", str(path))
    assert code == 2
    assert err.startswith("Lỗi: Dòng 2: kết quả “lost” không rõ")
    assert "“hôm qua”" in err


def test_handover_list_from_a_separate_process(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = _handed(db, officer)
    out = tmp_path / "bang_ke.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--db",
            str(db.path),
            "post",
            "handover",
            "--date",
            "2026-03-05",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Đã in bảng kê giao bưu chính ngày 05/03/2026" in result.stdout
    raw = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    assert "BẢNG KÊ GIAO BƯU CHÍNH" in text
    assert all(n in text for n in NUMBERS)
    assert all(c.split("-")[1] in text for c in codes)
    assert "Ngân sách tỉnh" in text
    assert "Tổng số: 2 bưu gửi. Tổng cước: 56.000 đồng." in text


def test_handover_with_a_bad_date(capsys: pytest.CaptureFixture[str], db: Database) -> None:
    code, _, err = cli(capsys, db.path, "post", "handover", "--date", "5/3", "--out", "x.pdf")
    assert code == 2
    assert "Lỗi: Ngày giao “5/3” phải có dạng YYYY-MM-DD." in err
