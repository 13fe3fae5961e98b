"""Issue 13: a save at the counter does not freeze the window while its receipt is drawn.

ReportLab is pure Python and holds the GIL: drawn on the runner's worker thread, a receipt
starved the GUI thread for 0.3–0.5 s. The slips are now drawn in a separate render process
(desk_app/printing/worker.py), fed only the plain form data; these tests hold the window to a
frame budget during a real save with its receipt, and the process to the same bytes as before.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.printing import stamp, worker
from desk_app.printing.data import CounterSupplementData
from desk_app.printing.formset import load_form_set
from desk_app.services import intake, lifecycle, printing
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.services.printing import SlipKind
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord, PrintedSlip
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from tests.ui.conftest import NOW
from tests.ui.test_gui_thread import Ticks

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

# The window's frames while a receipt is drawn. Each 10 ms tick stands for a frame: the list is
# repainted, and the frame's Python code is entered anew GIL_HANDOFFS times (events, slots, model
# data: each call from Qt takes the GIL again); how long those handoffs took is the frame's wait.
# Measured on the 2-core development machine, for a large dossier (some sixty-five documents,
# several pages a copy), at a load of 1–2 and of 4–5 (others' tests running):
# - with the render process: the longest wait 4–5 ms and 20–60 ms, the longest frame 15–20 ms
#   and 30–100 ms;
# - drawn on the worker thread as before: the longest wait 130–400 ms, the longest frame
#   200–500 ms, whether or not the process had drawn a form before; each handoff waits for the
#   GIL that ReportLab holds.
# The budgets leave room for a loaded CI machine and still fail the old way.
GIL_WAIT_BUDGET_S = 0.090
RENDER_GAP_BUDGET_S = 0.150
FILES = 40
GIL_HANDOFFS = 40
EXTRA_DOCUMENTS = 60


@pytest.fixture
def live(
    qapp: object, db: Database, officer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[UiContext]:
    """The window's context on its own connection to a desk of 40 files, with a real worker."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    with db.writer.begin() as s:
        for i in range(FILES):
            data = intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name=f"Đặng Thị Ánh {i}"),
                received_at=NOW,
            )
            intake.accept_file(s, data, officer, now=NOW)
    window_db = open_database(db.path)
    runner = OpRunner()
    ctx = UiContext(
        db=window_db,
        actor=officer,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    yield ctx
    runner.shutdown()
    window_db.dispose()


def _frame(window: MainWindow, waits: list[tuple[float, float]]) -> None:
    """Paint the list, then go back and forth to the GIL; record how long that took."""
    window.table.viewport().repaint()
    start = time.perf_counter()
    for _ in range(GIL_HANDOFFS):
        time.sleep(0)  # lets go of the GIL and takes it back, as each return to Qt does
    end = time.perf_counter()
    waits.append((end, end - start))


def _idle(qtbot: QtBot, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)


def test_saving_a_file_with_its_receipt_keeps_the_window_painting(
    qtbot: QtBot, live: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[bytes] = []
    monkeypatch.setattr("desk_app.ui.preview.show_pdf", lambda _p, pdf, *_a: shown.append(pdf))
    drawn_here: list[int] = []  # threads of this process that drew a form
    real_render_form = worker.render_form

    def render_form(job: worker.RenderJob) -> bytes:
        drawn_here.append(threading.get_ident())
        return real_render_form(job)

    monkeypatch.setattr(worker, "render_form", render_form)
    rendering: list[tuple[float, float]] = []  # (start, end) of the receipt's drawing
    real_render = printing.render_job

    def render_job(job: worker.RenderJob) -> bytes:
        start = time.perf_counter()
        pdf = real_render(job)
        rendering.append((start, time.perf_counter()))
        return pdf

    monkeypatch.setattr(printing, "render_job", render_job)
    # The render process is started (and kept warm) before the officer's first save.
    assert worker.warm_up(timeout=60)

    window = MainWindow(live)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    _idle(qtbot, live)
    window.queues.select(ListQueue.ALL)
    _idle(qtbot, live)
    qtbot.waitUntil(lambda: window.model.rowCount() >= FILES, timeout=30_000)
    dialog = IntakeDialog(live, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _idle(qtbot, live)
    qtbot.keyClicks(dialog.form.procedure, "giay phep KARAOKE")
    qtbot.keyClick(dialog.form.procedure, Qt.Key.Key_Return)
    dialog.form.name.setText("Lò Văn Tám")
    # A large dossier: its receipt runs over several pages, as some files' do.
    for i in range(EXTRA_DOCUMENTS):
        dialog.form.documents.model.add_row(
            f"Bản vẽ thiết kế, hợp đồng và hóa đơn kèm theo số {i + 1}"
        )
    dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
    _idle(qtbot, live)

    # Every tick stands for a frame of the window: it paints its list, and its Python code is
    # entered anew several times (events, slots, model data), each time taking the GIL again.
    ticks = Ticks()
    waits: list[tuple[float, float]] = []  # (when, how long the frame waited for the GIL)
    ticks.timer.timeout.connect(lambda: _frame(window, waits))
    ticks.start()
    with qtbot.waitSignal(dialog.accepted_file, timeout=30_000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    _idle(qtbot, live)
    ticks.timer.stop()

    assert len(rendering) == 1
    start, end = rendering[0]
    # Each frame's gap, the part of it that fell while the receipt was being drawn.
    during = [
        min(at, end) - max(at - gap, start)
        for at, gap in ticks.gaps
        if at > start and at - gap < end
    ]
    longest = max(during, default=0.0)
    waited = max((w for at, w in waits if start < at and at - w < end), default=0.0)
    print(
        f"\nreceipt drawn in {1000 * (end - start):.0f} ms; {len(during)} frames meanwhile, "
        f"the longest {1000 * longest:.1f} ms, the longest wait for the GIL {1000 * waited:.1f} ms"
    )
    # The receipt was drawn in the render process, not on a thread of this one.
    assert drawn_here == [] or os.environ.get("DESK_RENDER") == "thread"
    pdf = shown[0]
    assert pdf.startswith(b"%PDF")
    with live.db.reader.begin() as s:
        slip = s.scalars(
            select(PrintedSlip).join(FileRecord).where(FileRecord.code == saved.args[0].code)
        ).one()
    assert slip.kind == "receipt" and slip.pdf == pdf
    assert slip.sha256 == hashlib.sha256(pdf).hexdigest()
    assert during
    assert waited < GIL_WAIT_BUDGET_S
    assert longest < RENDER_GAP_BUDGET_S


def test_the_render_process_draws_the_same_bytes_as_the_thread(
    db: Database, officer: Actor
) -> None:
    """Each kind of form, both receipt layouts, the reprint stamp: byte for byte the thread's."""
    applicant = intake.ApplicantInput(name="Nông Thị Hoa", phone="0912345678")
    with db.writer.begin() as s:
        data = intake.IntakeInput(procedure="1.001029", applicant=applicant, received_at=NOW)
        code = intake.accept_file(s, data, officer, now=NOW).code
        lifecycle.request_supplement(
            s, lifecycle.MoveInput(code), "Thiếu bản sao chứng thực", officer, now=NOW
        )
        refused = intake.refuse_file(s, data, "Không thuộc thẩm quyền", officer, now=NOW).code
    form_set = load_form_set()
    with db.reader.begin() as s:
        receipt = printing.receipt_data(s, code)
        jobs = [
            worker.RenderJob("receipt", receipt, form_set, "two_sheets"),
            worker.RenderJob("receipt", receipt, form_set, "half_sheets"),
            worker.RenderJob("supplement", printing.supplement_data(s, code), form_set),
            worker.RenderJob("refusal", printing.refusal_data(s, refused), form_set),
            worker.RenderJob("handover", printing.handover_data(s, code), form_set),
        ]
    at_counter = CounterSupplementData(
        header=receipt.header,
        number="01/HDHS",
        checked=NOW,
        applicant_name="Nông Thị Hoa",
        procedure_name=receipt.procedure_name,
        items=("Bản sao chứng thực giấy phép xây dựng",),
        reason="Thiếu giấy tờ",
        officer_name="Nguyễn Thị Lan",
    )
    jobs.append(worker.RenderJob("counter_supplement", at_counter, form_set))
    assert worker.warm_up(timeout=60)
    pdfs = []
    for job in jobs:
        in_thread = worker.render_form(job)
        from_process = worker.render_in_process(job)
        assert from_process is not None, f"the render process did not draw the {job.form}"
        assert hashlib.sha256(from_process).hexdigest() == hashlib.sha256(in_thread).hexdigest()
        pdfs.append(in_thread)
    assert len(set(pdfs)) == len(pdfs)  # six different forms, not one answer for all
    assert "Nông Thị Hoa" in pdf_text(pdfs[0])
    stamped = worker.in_process(stamp.reprint_stamp, pdfs[0], stamp.REPRINT_WORDS)
    assert stamped == stamp.reprint_stamp(pdfs[0])
    assert "Bản in lại" in pdf_text(stamped)


def test_off_the_main_thread_the_service_archives_what_the_process_drew(
    db: Database, officer: Actor
) -> None:
    """print_slip from a worker thread: the archived slip and its hash are the thread's bytes."""
    with db.writer.begin() as s:
        data = intake.IntakeInput(
            procedure="1.001029", applicant=intake.ApplicantInput(name="Hoàng Văn Bảy")
        )
        code = intake.accept_file(s, data, officer, now=NOW).code
    assert worker.warm_up(timeout=60)
    drawn_here: list[str] = []
    real = worker.render_form

    def watched(job: worker.RenderJob) -> bytes:
        drawn_here.append(job.form)
        return real(job)

    printed: list[printing.PrintedDocument] = []

    def job() -> None:
        with db.writer.begin() as s:
            printed.append(printing.print_slip(s, code, SlipKind.RECEIPT, officer, now=NOW))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "render_form", watched)
        thread = threading.Thread(target=job)
        thread.start()
        thread.join(60)
    assert drawn_here == []  # drawn by the render process
    with db.reader.begin() as s:
        expected = worker.render_form(
            worker.RenderJob("receipt", printing.receipt_data(s, code), load_form_set())
        )
        stored = s.scalars(select(PrintedSlip).where(PrintedSlip.sha256 == printed[0].sha256)).one()
    assert printed[0].pdf == expected == stored.pdf
    assert printed[0].sha256 == hashlib.sha256(expected).hexdigest()


def test_a_render_process_that_cannot_start_falls_back_to_drawing_here(
    db: Database, officer: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.writer.begin() as s:
        data = intake.IntakeInput(
            procedure="1.001029", applicant=intake.ApplicantInput(name="Vi Thị Mai")
        )
        code = intake.accept_file(s, data, officer, now=NOW).code
    with db.reader.begin() as s:
        job = worker.RenderJob("receipt", printing.receipt_data(s, code), load_form_set())
    worker.shutdown()
    monkeypatch.setattr(worker, "_start_child", sys.exit)  # the new process ends at once
    worker.set_mode(worker.Mode.PROCESS)
    try:
        assert worker.render_in_process(job) is None
        assert worker.render(job) == worker.render_form(job)
        # Two starts failed: the session stops trying and draws here from now on.
        assert not worker.uses_process()
    finally:
        worker.set_mode(worker.Mode.AUTO)
        worker.shutdown()
    assert worker.uses_process() is (threading.current_thread() is not threading.main_thread())


def pdf_text(pdf: bytes) -> str:
    import io
    import unicodedata

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFC", text)
