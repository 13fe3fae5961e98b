"""`report` and `register` on a real database file, as an administrator runs them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from desk_app.cli.app import run
from desk_app.domain.statistics import STAT_KEYS
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 10, 0)


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def files(db: Database, officer: Actor) -> list[str]:
    """Three files of February 2026: one settled, one withdrawn, one still open."""
    codes = []
    for i, procedure in enumerate(("1.001029", "VHTTDL-DL-01", "CHUNG-CT-02")):
        data = intake.IntakeInput(
            procedure=procedure,
            applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
            received_at=datetime(2026, 2, 2 + i, 9, 0),
        )
        with db.writer.begin() as s:
            codes.append(intake.accept_file(s, data, officer, now=data.received_at).code)
    with db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(codes[0], at=datetime(2026, 2, 5, 9)), officer, now=NOW
        )
        lifecycle.withdraw(
            s, MoveInput(codes[1], at=datetime(2026, 2, 6, 9)), "Rút", officer, now=NOW
        )
    return codes


def test_report_json_to_stdout_is_the_screen_numbers(
    capsys: pytest.CaptureFixture[str], db: Database, files: list[str]
) -> None:
    code, out, err = cli(
        capsys, db.path, "report", "--from", "2026-02-01", "--to", "2026-02-28",
        "--by", "procedure", "--format", "json", "--out", "-",
    )  # fmt: skip
    assert (code, err) == (0, "")
    data = json.loads(out)
    with db.reader.begin() as s:
        expected = period_report(s, date(2026, 2, 1), date(2026, 2, 28), GroupBy.PROCEDURE)
    assert data == expected.to_json()
    assert data["total"]["received_total"] == 3
    assert data["total"]["settled_total"] == 1
    assert data["total"]["withdrawn"] == 1
    assert {r["group"] for r in data["rows"]} == {"1.001029", "VHTTDL-DL-01", "CHUNG-CT-02"}


def test_report_xlsx_and_pdf_files(
    capsys: pytest.CaptureFixture[str], db: Database, files: list[str], tmp_path: Path
) -> None:
    xlsx, pdf, js = tmp_path / "q.xlsx", tmp_path / "q.pdf", tmp_path / "q.json"
    period = ("--from", "2026-01-01", "--to", "2026-03-31")
    for fmt, path in (("xlsx", xlsx), ("pdf", pdf), ("json", js)):
        code, out, err = cli(
            capsys, db.path, "report", *period, "--format", fmt, "--out", str(path)
        )
        assert (code, err) == (0, ""), err
        assert str(path) in out and "nhận 3" in out
    data = json.loads(js.read_text(encoding="utf-8"))
    ws = load_workbook(xlsx).active
    assert isinstance(ws, Worksheet)
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng số")
    assert [ws.cell(total_row, c).value for c in range(3, 3 + len(STAT_KEYS))] == [
        data["total"][k] for k in STAT_KEYS
    ]
    text = _pdf_text(pdf.read_bytes())
    assert "(Từ ngày 01/01/2026 đến ngày 31/03/2026)" in text
    assert "Văn hóa" in text


def test_register_pdf_and_xlsx(
    capsys: pytest.CaptureFixture[str], db: Database, files: list[str], tmp_path: Path
) -> None:
    period = ("--from", "2026-02-01", "--to", "2026-02-28")
    pdf, xlsx = tmp_path / "so.pdf", tmp_path / "so.xlsx"
    code, out, _ = cli(capsys, db.path, "register", *period, "--format", "pdf", "--out", str(pdf))
    assert code == 0 and "sổ theo dõi hồ sơ" in out
    text = _pdf_text(pdf.read_bytes())
    assert all(c.split("-")[-1] in text for c in files)
    code, _, _ = cli(capsys, db.path, "register", *period, "--format", "xlsx", "--out", str(xlsx))
    assert code == 0
    ws = load_workbook(xlsx).active
    assert isinstance(ws, Worksheet)
    cells = {ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert set(files) <= cells


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-03-31", "--to", "2026-01-01"), "Lỗi: Ngày kết thúc phải sau"),
        (("--from", "1/1/2026", "--to", "2026-01-31"), "Lỗi: Từ ngày “1/1/2026” phải có dạng"),
    ],
)
def test_report_user_mistakes_exit_2(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
) -> None:
    out_file = tmp_path / "r.json"
    code, _, err = cli(capsys, db.path, "report", *args, "--format", "json", "--out", str(out_file))
    assert code == 2
    assert err.startswith(message)
    assert not out_file.exists()


def test_pdf_to_stdout_is_refused(capsys: pytest.CaptureFixture[str], db: Database) -> None:
    code, _, err = cli(
        capsys, db.path, "report", "--from", "2026-01-01", "--to", "2026-01-31",
        "--format", "pdf", "--out", "-",
    )  # fmt: skip
    assert code == 2 and err.startswith("Lỗi: Chỉ báo cáo dạng JSON")


def test_unknown_format_is_an_argparse_error(
    capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    with pytest.raises(SystemExit) as info:
        run(["--db", str(db.path), "register", "--from", "2026-01-01", "--to", "2026-01-31",
             "--format", "json", "--out", "x"])  # fmt: skip
    assert info.value.code == 2
    assert "Lỗi:" in capsys.readouterr().err


def test_report_from_a_separate_process(db: Database, files: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(db.path), "report", "--from", "2026-02-01",
         "--to", "2026-02-28", "--format", "json", "--out", "-"],
        cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["from"] == "2026-02-01" and data["total"]["received_total"] == 3
