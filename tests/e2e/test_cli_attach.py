"""`files attach` and `files show --json` on a real desk file: scans in, each line's state and
pages (sha256, bytes) out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from desk_app.cli.app import run
from desk_app.services import intake, users
from desk_app.store.engine import Database
from tests.unit.services.test_digitise import NOW, picture, two_page_pdf


def test_attach_then_show_json_lists_each_line_with_its_pages(
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    data = intake.IntakeInput(
        procedure="1.001029", applicant=intake.ApplicantInput(name="Đặng Thị Ánh"), received_at=NOW
    )
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=NOW).code
    pdf, jpeg = tmp_path / "don.pdf", tmp_path / "gcn.jpg"
    pdf.write_bytes(two_page_pdf())
    jpeg.write_bytes(picture("JPEG"))
    monkeypatch.setenv("DESK_USER", "canbo")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    assert db.path is not None
    base = ["--db", str(db.path), "files"]

    assert run([*base, "attach", code, str(pdf)]) == 0
    assert "2 trang" in capsys.readouterr().out
    assert run([*base, "attach", code.lower(), str(jpeg), "--line", "1"]) == 0
    capsys.readouterr()
    assert run([*base, "attach", code, str(tmp_path / "none.png"), "--line", "1"]) != 0
    assert "Không đọc được tệp" in capsys.readouterr().err

    assert run([*base, "show", code, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    lines = shown["lines"]
    assert [(x["line"], x["state"], x["page_count"]) for x in lines] == [
        (0, "digitised", 2),
        (1, "digitised", 1),
    ]
    jpeg_page = lines[1]["pages"][0]
    assert jpeg_page == {
        "sha256": hashlib.sha256(jpeg.read_bytes()).hexdigest(),
        "bytes": jpeg.stat().st_size,
        "media_type": "image/jpeg",
    }
    assert lines[0]["bytes"] == sum(p["bytes"] for p in lines[0]["pages"])
    assert run([*base, "show", code]) == 0
    assert "Đã số hóa (2 trang" in capsys.readouterr().out
