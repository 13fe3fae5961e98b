"""Digitising at intake with real scans: PNG, JPEG and TIFF made with Pillow, a two-page PDF made
with ReportLab. Content addressing, the lines and their pages, rotation, the exceptions, the
"Chờ số hóa" queue and the day summary's counts, on both engines."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from desk_app.domain.digitising import JPEG, PDF, PNG, TIFF, LineKind, LineState
from desk_app.errors import ValidationError
from desk_app.services import browse, digitise
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.services.scope import Scope
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, PageBlob
from desk_app.store.pages import FolderStore, damaged_pages, page_store, sha256_of
from desk_app.sync.summary import day_summary

Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)
NOW = datetime(2026, 3, 2, 10, 0)


def picture(kind: str, size: tuple[int, int] = (40, 20), colour: str = "white") -> bytes:
    """A picture with a red square in its upper-left corner (to see where a turn put it)."""
    image = Image.new("RGB", size, colour)
    image.paste((255, 0, 0), (0, 0, 6, 6))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


def tiff(colours: list[str]) -> bytes:
    frames = [Image.new("RGB", (16, 16), c) for c in colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for words in ("Trang mot", "Trang hai"):
        pdf.drawString(72, 720, words)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def stored_pages(db: Database) -> int:
    """Distinct pages in the database's store (the folder's files or page_blobs' rows)."""
    with db.reader.begin() as s:
        store = page_store(s)
        if isinstance(store, FolderStore):
            return sum(1 for p in store.root.rglob("*") if p.is_file())
        return int(s.scalar(select(func.count()).select_from(PageBlob)) or 0)


def test_the_same_page_twice_is_stored_once(db: Database, officer: Actor, accept: Accept) -> None:
    a, b = accept(received=RECEIVED).code, accept(received=RECEIVED).code
    png = picture("PNG")
    with db.writer.begin() as s:
        digitise.attach(s, a, [(png, "scan.png")], officer, NOW, line=0)
        digitise.attach(s, a, [(png, "again.png")], officer, NOW, line=1)
        line = digitise.attach(s, b, [(png, "scan.png")], officer, NOW, line=0)
    assert stored_pages(db) == 1
    assert line.pages[0].sha256 == sha256_of(png) and line.bytes == len(png)
    with db.reader.begin() as s:
        assert digitise.page_bytes(s, sha256_of(png)) == png
        assert damaged_pages(s) == []
    with db.writer.begin() as s:
        digitise.attach(s, b, [(picture("PNG", colour="yellow"), "other.png")], officer, NOW)
    assert stored_pages(db) == 2


def test_lines_keep_their_pages_in_order(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        digitise.attach(s, code, [(two_page_pdf(), "don.pdf")], officer, NOW, line=0)
        digitise.attach(s, code, [(tiff(["red", "lime", "blue"]), "gcn.tif")], officer, NOW, line=1)
        digitise.attach(s, code, [(picture("JPEG"), "them.jpg")], officer, NOW, line=1)
    with db.reader.begin() as s:
        lines = digitise.file_lines(s, code)
        texts = [
            PdfReader(io.BytesIO(digitise.page_bytes(s, p.sha256))).pages[0].extract_text().strip()
            for p in lines[0].pages
        ]
        colours = [
            Image.open(io.BytesIO(digitise.page_bytes(s, p.sha256))).convert("RGB").getpixel((8, 8))
            for p in lines[1].pages[:3]
        ]
    assert [(v.line, v.state) for v in lines] == [
        (0, LineState.DIGITISED),
        (1, LineState.DIGITISED),
    ]
    assert lines[0].name.startswith("Đơn đề nghị cấp Giấy phép")
    assert [p.media_type for p in lines[0].pages] == [PDF, PDF]
    assert texts == ["Trang mot", "Trang hai"]
    # A TIFF's frames become PNG pages in order; the JPEG comes after them, kept as it was.
    assert [p.media_type for p in lines[1].pages] == [PNG, PNG, PNG, JPEG]
    assert colours == [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    assert [p.seq for p in lines[1].pages] == [0, 1, 2, 3]
    assert lines[1].to_json()["page_count"] == 4


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_picture_turns_clockwise_in_its_place(
    db: Database, officer: Actor, accept: Accept, kind: str
) -> None:
    code = accept(received=RECEIVED).code
    first, second = picture(kind), picture(kind, colour="yellow")
    with db.writer.begin() as s:
        digitise.attach(s, code, [(first, "a"), (second, "b")], officer, NOW)
        turned = digitise.rotate_page(s, code, officer, NOW, line=0, seq=0)
    with db.reader.begin() as s:
        pages = digitise.file_lines(s, code)[0].pages
        image = Image.open(io.BytesIO(digitise.page_bytes(s, turned.sha256))).convert("RGB")
        old = digitise.page_bytes(s, sha256_of(first))  # the old bytes stay in the store
    assert [p.seq for p in pages] == [0, 1] and pages[0].sha256 == turned.sha256
    assert pages[1].sha256 == sha256_of(second)
    assert turned.sha256 != sha256_of(first) and old == first
    assert image.size == (20, 40)
    red = image.getpixel((17, 2))  # the upper-left mark is now in the upper-right corner
    assert red[0] > 200 and red[1] < 80 and red[2] < 80  # type: ignore[index]
    with db.writer.begin() as s:
        back = digitise.rotate_page(s, code, officer, NOW, line=0, seq=0, quarter_turns=-1)
    assert Image.open(io.BytesIO(_bytes(db, back.sha256))).size == (40, 20)


def _bytes(db: Database, sha: str) -> bytes:
    with db.reader.begin() as s:
        return digitise.page_bytes(s, sha)


def test_files_that_are_no_scan_are_refused_before_anything_is_stored(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s, pytest.raises(ValidationError, match="không phải PDF"):
        digitise.attach(
            s, code, [(picture("PNG"), "ok.png"), (b"hello", "notes.txt")], officer, NOW
        )
    with db.writer.begin() as s, pytest.raises(ValidationError, match="bị hỏng"):
        digitise.attach(s, code, [(picture("PNG")[:60], "cut.png")], officer, NOW)
    with db.writer.begin() as s, pytest.raises(ValidationError, match="không có dòng 2"):
        digitise.attach(s, code, [(picture("PNG"), "ok.png")], officer, NOW, line=2)
    assert stored_pages(db) == 0


def test_the_queue_holds_files_with_lines_still_to_scan(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    other = accept(received=RECEIVED).code  # never opened for digitising: not asked

    def queued(scope: Scope = browse.ALL) -> tuple[list[str], int]:
        with db.reader.begin() as s:
            ids = list(browse.queue_ids(s, ListQueue.TO_DIGITISE, NOW, scope=scope))
            by_id = {int(i): str(c) for i, c in s.execute(select(FileRecord.id, FileRecord.code))}
            count = browse.queue_count(s, ListQueue.TO_DIGITISE, NOW, scope=scope)
            if scope.is_all:
                assert browse.queue_counts(s, NOW)[ListQueue.TO_DIGITISE] == count
            return [by_id[i] for i in ids], count

    assert queued() == ([], 0)
    with db.writer.begin() as s:
        opened = digitise.open_lines(s, code, officer, NOW)
    assert [v.state for v in opened] == [LineState.PENDING, LineState.PENDING]
    assert queued() == ([code], 1)
    assert queued(Scope.of([2])) == ([], 0)  # another agency's list
    with db.writer.begin() as s:
        digitise.attach(s, code, [(picture("PNG"), "a.png")], officer, NOW, line=0)
        assert [v.line for v in digitise.missing_lines(s, code)] == [1]
    assert queued() == ([code], 1)
    with db.writer.begin() as s:
        digitise.set_state(
            s, code, LineState.SHOWN_ONLY, officer, NOW, line=1, reason="Bản chính xem rồi trả"
        )
        assert digitise.missing_lines(s, code) == ()
        assert [v.line for v in digitise.missing_lines(s, other)] == [0, 1]
    assert queued() == ([], 0)
    with db.writer.begin() as s:
        digitise.remove_page(s, code, officer, NOW, line=0, seq=0)  # nothing left: to scan
    assert queued() == ([code], 1)
    with db.writer.begin() as s:
        later = digitise.set_state(s, code, LineState.SCAN_LATER, officer, NOW, line=0)
    assert later.state == LineState.SCAN_LATER and queued() == ([code], 1)
    with db.reader.begin() as s:
        assert ListQueue.TO_DIGITISE in browse.queues_listing(s, _id(db, code), NOW)


def _id(db: Database, code: str) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(FileRecord.id).where(FileRecord.code == code)) or 0)


def test_an_exception_needs_its_reason_and_a_scanned_line_keeps_its_pages(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s, pytest.raises(ValidationError, match="lý do"):
        digitise.set_state(s, code, LineState.CONFIDENTIAL, officer, NOW, line=0, reason="  ")
    with db.writer.begin() as s:
        digitise.attach(s, code, [(picture("PNG"), "a.png")], officer, NOW, line=0)
    with db.writer.begin() as s, pytest.raises(ValidationError, match="đã có bản quét"):
        digitise.set_state(s, code, LineState.CONFIDENTIAL, officer, NOW, line=0, reason="Mật")
    with db.writer.begin() as s, pytest.raises(ValidationError, match="ngoại lệ"):
        digitise.set_state(s, code, LineState.DIGITISED, officer, NOW, line=1)


def test_the_day_summary_counts_digitising_and_no_page(
    db: Database, officer: Actor, accept: Accept
) -> None:
    """Four files of one day: every exception once, a file wholly digitised, a result."""
    codes = [accept(received=RECEIVED).code for _ in range(4)]
    png = picture("PNG")
    with db.writer.begin() as s:
        for code in codes:
            digitise.open_lines(s, code, officer, NOW)
        # File 0: both lines scanned -> digitised, and its result scanned when it came back.
        digitise.attach(s, codes[0], [(png, "a")], officer, NOW, line=0)
        digitise.attach(s, codes[0], [(png, "b")], officer, NOW, line=1)
        digitise.attach(s, codes[0], [(png, "kq")], officer, NOW, kind=LineKind.RESULT)
        # File 1: one scanned, one confidential -> digitised.
        digitise.attach(s, codes[1], [(png, "a")], officer, NOW, line=0)
        digitise.set_state(s, codes[1], LineState.CONFIDENTIAL, officer, NOW, line=1, reason="Mật")
        # File 2: the three other exceptions' lines, nothing scanned -> not digitised.
        digitise.set_state(s, codes[2], LineState.ONLINE, officer, NOW, line=0)
        digitise.set_state(
            s, codes[2], LineState.SHOWN_ONLY, officer, NOW, line=1, reason="Chỉ xuất trình"
        )
        digitise.set_state(
            s, codes[3], LineState.PRODUCED_IN_PROCESSING, officer, NOW, line=0, reason="Tờ trình"
        )
        # File 3: one line scanned, the other "scan later" -> not digitised yet.
        digitise.set_state(s, codes[3], LineState.SCAN_LATER, officer, NOW, line=1)
    with db.reader.begin() as s:
        (row,) = day_summary(s, RECEIVED.date(), NOW)
        lines = digitise.file_lines(s, codes[0])
    assert row.counts.received_direct_postal == 4
    assert row.digitising.as_json() == {
        "files_digitised": 2,
        "lines_digitised": 3,
        "online": 1,
        "shown_only": 1,
        "produced_in_processing": 1,
        "confidential": 1,
        "results_digitised": 1,
    }
    assert row.as_json()["digitising"] == row.digitising.as_json()
    assert lines[-1].kind == LineKind.RESULT and lines[-1].state == LineState.DIGITISED
    # Counts only: no page's name or bytes in what is sent.
    assert sha256_of(png) not in str(row.as_json())
    with db.reader.begin() as s:
        (other,) = day_summary(s, RECEIVED.date(), NOW, scope=Scope.of([2])) or (None,)
    assert other is None


def test_an_online_file_is_excepted_when_opened(db: Database, officer: Actor) -> None:
    from desk_app.domain.documents import Channel
    from desk_app.services import intake

    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Hoàng Văn Nam"),
        received_at=RECEIVED,
        channel=Channel.ONLINE,
    )
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=RECEIVED)
        lines = digitise.open_lines(s, view.code, officer, NOW)
    assert {(v.state, v.reason) for v in lines} == {(LineState.ONLINE, digitise.ONLINE_REASON)}
    with db.reader.begin() as s:
        assert browse.queue_counts(s, NOW)[ListQueue.TO_DIGITISE] == 0


def test_a_one_page_tiff_or_pdf_is_kept_and_turns(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    single, pdf = tiff(["red"]), two_page_pdf()
    with db.writer.begin() as s:
        line = digitise.attach(s, code, [(single, "one.tif"), (pdf, "two.pdf")], officer, NOW)
        assert [p.media_type for p in line.pages] == [TIFF, PDF, PDF]
        assert line.pages[0].sha256 == sha256_of(single)
        picture_turned = digitise.rotate_page(s, code, officer, NOW, line=0, seq=0)
        page_turned = digitise.rotate_page(s, code, officer, NOW, line=0, seq=2, quarter_turns=3)
        turned_pdf = digitise.page_bytes(s, page_turned.sha256)
    assert picture_turned.media_type == PNG and page_turned.media_type == PDF
    (page,) = PdfReader(io.BytesIO(turned_pdf)).pages
    assert page.rotation == 270 and page.extract_text().strip() == "Trang hai"


def test_a_page_lost_from_the_store_is_a_known_error_and_the_others_still_read(
    db: Database, officer: Actor, accept: Accept
) -> None:
    """What the panel's viewer meets when a page's bytes are gone (deleted from the folder, or
    from a centre's table): PageMissingError with its Vietnamese message, not a crash."""
    from sqlalchemy import delete

    from desk_app.store.pages import PageMissingError

    code = accept(received=RECEIVED).code
    kept, lost = picture("PNG"), picture("PNG", colour="yellow")
    with db.writer.begin() as s:
        line = digitise.attach(s, code, [(kept, "a.png"), (lost, "b.png")], officer, NOW)
    with db.writer.begin() as s:
        store = page_store(s)
        if isinstance(store, FolderStore):
            store.path_of(sha256_of(lost)).unlink()
        else:
            s.execute(delete(PageBlob).where(PageBlob.sha256 == sha256_of(lost)))
    with db.reader.begin() as s:
        assert digitise.page_bytes(s, line.pages[0].sha256) == kept
        with pytest.raises(PageMissingError, match="Không tìm thấy trang"):
            digitise.page_bytes(s, line.pages[1].sha256)


def test_the_results_line_opens_once_and_taking_its_pages_off_opens_it_again(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        first = digitise.open_result(s, code, officer, NOW)
        digitise.attach(s, code, [(picture("PNG"), "kq.png")], officer, NOW, kind=LineKind.RESULT)
        again = digitise.open_result(s, code, officer, NOW)  # answered: left as it is
    assert (first.kind, first.state) == (LineKind.RESULT, LineState.PENDING)
    assert again.state == LineState.DIGITISED and len(again.pages) == 1
    with db.writer.begin() as s:
        line = digitise.remove_page(s, code, officer, NOW, line=0, seq=0, kind=LineKind.RESULT)
    assert line.state == LineState.PENDING and line.pages == ()
    with db.reader.begin() as s:
        assert browse.queue_count(s, ListQueue.TO_DIGITISE, NOW) == 1
        with pytest.raises(ValidationError, match="dòng 0"):
            digitise.attach(s, code, [(picture("PNG"), "kq.png")], officer, NOW, line=1,
                            kind=LineKind.RESULT)  # fmt: skip
