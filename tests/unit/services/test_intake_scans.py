"""The intake's scans saved with their file, in one transaction, on both engines: real PNG, TIFF
and PDF files in a folder (Pillow, ReportLab), every line answered or the file refused, a failure
while storing a page leaving no file, and the page counts the form shows."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from desk_app.domain.digitising import PDF, PNG, LineState
from desk_app.domain.documents import Channel
from desk_app.errors import ValidationError
from desk_app.services import browse, digitise, intake
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.services.intake_scans import LinePlan, count_pages, save_intake_scans
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, ScanLine
from desk_app.store.pages import FolderStore, TableStore, sha256_of

RECEIVED = datetime(2026, 3, 2, 9, 15)
NOW = RECEIVED
KARAOKE = "1.001029"  # two papers on its checklist


def png(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(*texts: str) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for words in texts:
        c.drawString(72, 720, words)
        c.showPage()
    c.save()
    return buffer.getvalue()


def tiff(n: int) -> bytes:
    frames = [Image.new("RGB", (8, 8), (40 * i, 0, 0)) for i in range(n)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def data(channel: Channel = Channel.DIRECT) -> intake.IntakeInput:
    return intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
        channel=channel,
    )


def accept_with(
    db: Database, officer: Actor, plan: list[LinePlan], channel: Channel = Channel.DIRECT
) -> FileView:
    """What the intake dialog's save job does: the file and its scans in one transaction."""
    with db.writer.begin() as s:
        view = intake.accept_file(s, data(channel), officer, now=NOW)
        save_intake_scans(s, view.code, plan, officer, NOW)
        return view


def files(db: Database) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(func.count()).select_from(FileRecord)) or 0)


def test_scans_land_on_their_lines_in_order_and_a_page_is_stored_once(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    form = write(tmp_path, "don.pdf", pdf("Trang mot", "Trang hai"))
    same = png("yellow")
    a, b = write(tmp_path, "a.png", same), write(tmp_path, "b.png", same)
    view = accept_with(db, officer, [LinePlan(0, (form, a)), LinePlan(1, (b,))])
    with db.reader.begin() as s:
        lines = digitise.file_lines(s, view.code)
        first = [digitise.page_bytes(s, p.sha256) for p in lines[0].pages]
    assert [(v.state, len(v.pages)) for v in lines] == [
        (LineState.DIGITISED, 3),
        (LineState.DIGITISED, 1),
    ]
    assert [p.media_type for p in lines[0].pages] == [PDF, PDF, PNG]
    texts = [PdfReader(io.BytesIO(b)).pages[0].extract_text().strip() for b in first[:2]]
    assert texts == ["Trang mot", "Trang hai"]
    assert lines[0].pages[2].sha256 == lines[1].pages[0].sha256 == sha256_of(same)
    with db.reader.begin() as s:
        store = digitise.page_store(s)
        if isinstance(store, FolderStore):
            assert sum(1 for p in store.root.rglob("*") if p.is_file()) == 3


def test_a_line_left_unanswered_refuses_the_file_and_names_the_line(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    scan = write(tmp_path, "don.png", png())
    with pytest.raises(ValidationError) as raised:
        accept_with(db, officer, [LinePlan(0, (scan,))])
    assert raised.value.field == "scans"
    assert "Giấy tờ chưa có bản quét: 2. Giấy chứng nhận đủ điều kiện" in raised.value.message
    assert "1. " not in raised.value.message
    assert files(db) == 0


def test_scan_later_puts_the_file_in_the_queue_and_an_exception_does_not(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    later = accept_with(
        db,
        officer,
        [
            LinePlan(0, state=LineState.SHOWN_ONLY, reason="Bản chính, xem rồi trả"),
            LinePlan(1, state=LineState.SCAN_LATER),
        ],
    )
    done = accept_with(
        db,
        officer,
        [
            LinePlan(0, (write(tmp_path, "x.png", png()),)),
            LinePlan(1, state=LineState.CONFIDENTIAL, reason="Tài liệu mật"),
        ],
    )
    with db.reader.begin() as s:
        queued = set(browse.queue_ids(s, ListQueue.TO_DIGITISE, NOW))
        states = [(v.state, v.reason) for v in digitise.file_lines(s, later.code)]
    assert queued == {later.id}
    assert done.id not in queued
    assert states == [
        (LineState.SHOWN_ONLY, "Bản chính, xem rồi trả"),
        (LineState.SCAN_LATER, None),
    ]


def test_an_exception_without_its_reason_is_refused(db: Database, officer: Actor) -> None:
    with pytest.raises(ValidationError) as raised:
        accept_with(
            db,
            officer,
            [LinePlan(0, state=LineState.SCAN_LATER), LinePlan(1, state=LineState.CONFIDENTIAL)],
        )
    assert raised.value.field == "reason"
    assert files(db) == 0


def test_an_online_file_needs_no_answer(db: Database, officer: Actor) -> None:
    view = accept_with(db, officer, [], Channel.ONLINE)
    with db.reader.begin() as s:
        states = {v.state for v in digitise.file_lines(s, view.code)}
        assert browse.queue_counts(s, NOW)[ListQueue.TO_DIGITISE] == 0
    assert states == {LineState.ONLINE}


def test_a_failure_storing_a_page_leaves_no_file(
    db: Database, officer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_self: object, _data: bytes) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FolderStore, "put", broken)
    monkeypatch.setattr(TableStore, "put", broken)
    scan = write(tmp_path, "don.png", png())
    with pytest.raises(OSError, match="No space left"):
        accept_with(db, officer, [LinePlan(0, (scan,)), LinePlan(1, state=LineState.SCAN_LATER)])
    assert files(db) == 0
    with db.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(ScanLine)) == 0


def test_a_damaged_scan_refuses_the_file(db: Database, officer: Actor, tmp_path: Path) -> None:
    half = write(tmp_path, "don.pdf", pdf("Trang mot")[:200])
    with pytest.raises(ValidationError, match=r"don\.pdf"):
        accept_with(db, officer, [LinePlan(0, (half,)), LinePlan(1, state=LineState.SCAN_LATER)])
    assert files(db) == 0


def test_page_counts_for_the_form(tmp_path: Path) -> None:
    assert count_pages(write(tmp_path, "a.pdf", pdf("1", "2", "3"))) == 3
    assert count_pages(write(tmp_path, "b.tif", tiff(4))) == 4
    assert count_pages(write(tmp_path, "c.png", png())) == 1
    with pytest.raises(ValidationError, match="không phải PDF"):
        count_pages(write(tmp_path, "d.pdf", b"hello"))
    with pytest.raises(ValidationError, match="bị hỏng"):
        count_pages(write(tmp_path, "e.pdf", pdf("1")[:100]))
    with pytest.raises(ValidationError, match="Không đọc được"):
        count_pages(tmp_path / "gone.png")
