"""`print stop CODE --out F`: the stop notice from the command line, reprinted identically."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.cli.app import run
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import Database

RECEIVED = datetime(2026, 3, 2, 9, 15)


def test_print_stop_writes_the_notice_and_reprints_it(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    officer: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=RECEIVED).code
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0))
        lifecycle.stop(
            s, MoveInput(code), "Cơ sở không đủ điều kiện", officer, now=datetime(2026, 3, 4, 9, 0)
        )
    monkeypatch.setenv("DESK_USER", "canbo")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    first, again = tmp_path / "tb1.pdf", tmp_path / "tb2.pdf"
    assert run(["--db", str(db.path), "print", "stop", code, "--out", str(first)]) == 0
    out = capsys.readouterr().out
    assert "Đã in Thông báo dừng giải quyết hồ sơ số 1/DGHS (bản in đầu tiên, đã lưu)" in out
    assert (
        run(["--db", str(db.path), "--lang", "en", "print", "stop", code, "--out", str(again)]) == 0
    )
    out = capsys.readouterr().out
    assert "Notice that processing stopped" in out and "1/DGHS" in out
    assert first.read_bytes() == again.read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(first.read_bytes())).pages)
    assert "Cơ sở không đủ điều kiện" in text and code in text
