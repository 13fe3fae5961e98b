"""`index` on a real database file, as an administrator runs it: JSON to the screen equal to the
service's report, a PDF and a workbook written, a bad weights file named."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desk_app.cli.app import run
from desk_app.printing import formset
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.national_index import WEIGHTS_FILE, index_report
from desk_app.store.engine import Database


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(db: Database, officer: Actor) -> None:
    """Two files of February 2026, one settled."""
    codes = []
    for i in range(2):
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
            received_at=datetime(2026, 2, 2 + i, 9, 0),
        )
        with db.writer.begin() as s:
            codes.append(intake.accept_file(s, data, officer, now=data.received_at).code)
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(codes[0]), officer, now=datetime(2026, 2, 5, 9, 0))


def test_index_to_the_screen_to_pdf_and_to_xlsx(
    capsys: pytest.CaptureFixture[str], db: Database, files: None, tmp_path: Path
) -> None:
    period = ("--from", "2026-02-01", "--to", "2026-02-28")
    code, out, err = cli(capsys, db.path, "index", *period, "--format", "json", "--out", "-")
    assert (code, err) == (0, "")
    data = json.loads(out)
    with db.reader.begin() as s:
        expected = index_report(s, date(2026, 2, 1), date(2026, 2, 28))
    assert data == expected.to_json()
    figures = {f["key"]: f["value"] for g in data["groups"] for f in g["figures"]}
    assert (figures["progress.received"], figures["progress.settled"]) == (2, 1)
    assert data["points"] == 20.0 and data["max_points"] == 42.0

    pdf = tmp_path / "chi-so.pdf"
    code, out, err = cli(capsys, db.path, "index", *period, "--format", "pdf", "--out", str(pdf))
    assert (code, err) == (0, "")
    assert "20 trên 42 điểm" in out and str(pdf) in out
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "CHỈ SỐ CHẤT LƯỢNG" in text

    book = tmp_path / "chi-so.xlsx"
    code, out, err = cli(capsys, db.path, "index", *period, "--format", "xlsx", "--out", str(book))
    assert (code, err) == (0, "")
    sheet = load_workbook(book).active
    assert sheet is not None and sheet.title == "Chỉ số 766"


def test_a_bad_weights_file_is_named(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(formset, "user_data_dir", lambda: tmp_path)
    (tmp_path / WEIGHTS_FILE).write_text('{"groups": {"progress": {"weight": -1}}}')
    code, out, err = cli(
        capsys, db.path, "index", "--from", "2026-02-01", "--to", "2026-02-28",
        "--format", "json", "--out", "-",
    )  # fmt: skip
    assert code != 0 and out == ""
    assert str(tmp_path / WEIGHTS_FILE) in err and "trọng số phải là một số" in err
