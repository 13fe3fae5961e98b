"""`--agency N` on the commands that list or print many files: one agency's files only; without
it, every agency's (the command line works for the whole database)."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.cli.app import run
from desk_app.services import desk, intake
from desk_app.services.context import COMMAND_LINE
from desk_app.services.desk import IdentityInput
from desk_app.store.engine import Database

MON = datetime(2026, 3, 2, 9, 15)
B_ID = "000.00.21.H37"


@pytest.fixture
def centre(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """The set-up desk plus agency 2 with its own copy of one procedure; one file in each."""
    assert db.path is not None
    monkeypatch.delenv("DESK_LANG", raising=False)
    with db.writer.begin() as s:
        spec = desk.export_catalog(s)[0]
        b = desk.add_agency(
            s,
            IdentityInput(agency_id=B_ID, agency_name="SỞ TƯ PHÁP", place_name="Lạng Sơn"),
            COMMAND_LINE,
            short_name="Sở Tư pháp",
        ).id
        desk.import_catalog(s, [spec], COMMAND_LINE, agency=b)
    codes = []
    for agency, name in ((1, "Hà Văn Một"), (b, "Lò Thị Hai")):
        data = intake.IntakeInput(
            procedure=spec.code,
            applicant=intake.ApplicantInput(name=name),
            received_at=MON,
            agency=agency,
        )
        with db.writer.begin() as s:
            codes.append(intake.accept_file(s, data, COMMAND_LINE, now=MON).code)
    return db.path, codes[0], codes[1]


def _cli(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _text(pdf: Path) -> str:
    raw = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def test_files_list_and_the_register_of_one_agency_or_all(
    capsys: pytest.CaptureFixture[str], centre: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, code_a, code_b = centre
    assert code_b.startswith(B_ID + "-")
    now = ["--now", "2026-03-02T10:00"]
    code, out, _ = _cli(capsys, path, "files", "list", *now)
    assert code == 0 and code_a in out and code_b in out
    code, out, _ = _cli(capsys, path, "files", "list", "--agency", "2", *now)
    assert code == 0 and code_b in out and code_a not in out
    code, out, _ = _cli(capsys, path, "files", "list", "--agency", "1", "--json", *now)
    assert code == 0 and code_a in out and code_b not in out
    code, _, err = _cli(capsys, path, "files", "list", "--agency", "9", *now)
    assert code != 0 and "Không có cơ quan số 9" in err

    pdf = tmp_path / "so-2.pdf"
    args = ["print", "register", "--from", "2026-03-02", "--to", "2026-03-02", "--out", str(pdf)]
    code, _, _ = _cli(capsys, path, *args, "--agency", "2")
    assert code == 0
    text = _text(pdf)
    # The register's code column wraps; the applicants' names name the files.
    assert "Lò Thị Hai" in text and "Hà Văn Một" not in text and "SỞ TƯ PHÁP" in text
    assert "Tổng số: 1 hồ sơ" in text


def test_report_of_one_agency_and_by_agency(
    capsys: pytest.CaptureFixture[str], centre: tuple[Path, str, str]
) -> None:
    path, _, _ = centre
    period = ["--from", "2026-03-01", "--to", "2026-03-31", "--format", "json", "--out", "-"]
    code, out, _ = _cli(capsys, path, "report", *period, "--by", "agency")
    assert code == 0
    report = json.loads(out)
    assert report["total"]["received_total"] == 2
    assert len(report["rows"]) == 2
    code, out, _ = _cli(capsys, path, "report", *period, "--agency", "2")
    assert code == 0
    assert json.loads(out)["total"]["received_total"] == 1
