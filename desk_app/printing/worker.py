"""The forms drawn in a separate render process, so that drawing never starves a GUI thread.

ReportLab is pure Python and holds the GIL while it draws: a receipt drawn on the window's worker
thread froze the window for 0.3–0.5 s. Here the drawing runs in one child process ("spawn", so
nothing of the window's threads or Qt is inherited), started on first use (or by `warm_up`) and
kept warm for the rest of the session. It is fed only the plain form data of
desk_app/printing/data.py and the form set; it sends back the PDF bytes, which are exactly those
the same data gives when drawn in this process (the forms are drawn `invariant`).

When the process cannot be started, or breaks, or does not answer in time, the form is drawn
in this process as before: printing never depends on the render process.

Where a form is drawn (`Mode`):
- AUTO (the default): in the render process when asked from any thread but the main one (the
  window's worker thread, whose GIL the GUI thread shares), in this process on the main thread
  (the command line, tests with jobs run inline, scripts) where nothing waits to be repainted.
- PROCESS / THREAD: always there (benchmarks and tests).
The environment variable DESK_RENDER (auto, process, thread) sets it at start, should a machine
need the forms drawn in the program's own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from desk_app.printing.data import (
    ApologyData,
    CounterSupplementData,
    HandoverData,
    ReceiptData,
    RefusalData,
    RegisterData,
    SupplementData,
)
from desk_app.printing.formset import FormSet

log = logging.getLogger(__name__)

T = TypeVar("T")

FormData = (
    ReceiptData
    | SupplementData
    | CounterSupplementData
    | RefusalData
    | ApologyData
    | HandoverData
    | RegisterData
)

# The first answer includes starting the process (an interpreter, ReportLab and the fonts: 1–2 s
# on an office machine, more on a loaded one); a warm process draws a receipt in ~60 ms.
START_TIMEOUT_S = 30.0
RENDER_TIMEOUT_S = 60.0
# Starts that failed (the process never answered) before the session stops trying.
MAX_FAILED_STARTS = 2


class Mode(StrEnum):
    AUTO = "auto"
    PROCESS = "process"
    THREAD = "thread"


@dataclass(frozen=True)
class RenderJob:
    """One form to draw: which form (a name of formset.FORMS, or "counter_supplement" for the
    supplement request given at the counter before a file exists), its data, the form set."""

    form: str
    data: FormData
    form_set: FormSet
    layout: str = "two_sheets"  # the receipt's layout (desk setting), ignored by other forms


def render_form(job: RenderJob) -> bytes:
    """Draw `job` in this process (the render process calls this too)."""
    data = job.data
    if job.form == "receipt" and isinstance(data, ReceiptData):
        from desk_app.printing.receipt import render_receipt

        return render_receipt(data, job.form_set, layout=job.layout)
    if job.form == "supplement" and isinstance(data, SupplementData):
        from desk_app.printing.supplement import render_supplement

        return render_supplement(data, job.form_set)
    if job.form == "counter_supplement" and isinstance(data, CounterSupplementData):
        from desk_app.printing.supplement import render_counter_supplement

        return render_counter_supplement(data, job.form_set)
    if job.form == "refusal" and isinstance(data, RefusalData):
        from desk_app.printing.refusal import render_refusal

        return render_refusal(data, job.form_set)
    if job.form == "apology" and isinstance(data, ApologyData):
        from desk_app.printing.apology import render_apology

        return render_apology(data, job.form_set)
    if job.form == "handover" and isinstance(data, HandoverData):
        from desk_app.printing.handover import render_handover

        return render_handover(data, job.form_set)
    if job.form == "register" and isinstance(data, RegisterData):
        from desk_app.printing.register import render_register

        return render_register(data, job.form_set)
    raise ValueError(f"no form {job.form!r} for {type(data).__name__}")


# --- the render process ------------------------------------------------------------------------


def _start_child() -> None:
    """In the render process: load what every form needs and draw a sample receipt once, so
    that the officer's first form is drawn as quickly as the later ones."""
    from datetime import datetime

    from desk_app.printing import apology, handover, refusal, supplement  # noqa: F401
    from desk_app.printing.data import DeskHeader, DocumentRow
    from desk_app.printing.formset import load_form_set
    from desk_app.printing.receipt import render_receipt

    moment = datetime(2026, 1, 5, 8, 0)
    sample = ReceiptData(
        header=DeskHeader("UBND TỈNH", "SỞ", "BỘ PHẬN MỘT CỬA", "Hà Nội"),
        code="000.00.00.H00-260105-0001",
        issued=moment.date(),
        applicant_name="Nguyễn Văn A",
        address="",
        phone="",
        email="",
        procedure_name="Thủ tục",
        documents=(DocumentRow("Đơn đề nghị", "original", 1),),
        sets_count=1,
        duration_text="05 ngày làm việc",
        received=moment,
        due=moment,
        result_by_post=False,
        delivery_address="",
        register_book="2026",
        register_seq=1,
        officer_name="Cán bộ",
    )
    render_receipt(sample, load_form_set())


def _ready() -> bool:
    return True


def _draw(job: RenderJob) -> bytes:
    """In the render process: the entry point, by a name of its own (pickled by name)."""
    return render_form(job)


def _mode_from_environment() -> Mode:
    try:
        return Mode(os.environ.get("DESK_RENDER", Mode.AUTO).strip().lower())
    except ValueError:
        return Mode.AUTO


class _RenderProcess:
    """One render process, started on first use and kept; restarted after it broke."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._answered = False  # the process has answered once (it is warm)
        self._failed_starts = 0
        self.mode = _mode_from_environment()

    @property
    def given_up(self) -> bool:
        """The process could not be started, again and again: forms are drawn here."""
        return self._failed_starts >= MAX_FAILED_STARTS

    def executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_child,
                )
                self._answered = False
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
                if not self._answered:
                    self._failed_starts += 1
        pool.shutdown(wait=False, cancel_futures=True)

    def call(self, fn: Any, *args: Any, timeout: float | None = None) -> Any:
        """`fn(*args)` in the render process; raises whatever kept it from answering."""
        pool = self.executor()
        if timeout is None:
            timeout = RENDER_TIMEOUT_S if self._answered else START_TIMEOUT_S
        try:
            future: Future[Any] = pool.submit(fn, *args)
            result = future.result(timeout=timeout)
        except (BrokenProcessPool, TimeoutError, OSError, RuntimeError):
            # Broken, hung or never started: the next form starts a new process.
            self._discard(pool)
            raise
        self._answered = True
        self._failed_starts = 0
        return result

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            self._failed_starts = 0
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_process = _RenderProcess()


def set_mode(mode: Mode) -> None:
    """Where forms are drawn from now on (see the module's docstring)."""
    _process.mode = mode


def uses_process() -> bool:
    """Whether a form asked for on this thread is drawn in the render process."""
    if _process.given_up:
        return False
    if _process.mode == Mode.AUTO:
        return threading.current_thread() is not threading.main_thread()
    return _process.mode == Mode.PROCESS


def warm_up(timeout: float = START_TIMEOUT_S) -> bool:
    """Start the render process now and wait (up to `timeout`) until it answers; whether it did."""
    try:
        return bool(_process.call(_ready, timeout=timeout))
    except Exception:
        log.warning("the render process did not start", exc_info=True)
        return False


def start() -> None:
    """Start the render process in the background (the window may call this once signed in,
    so that the first receipt of the day does not wait for it); returns at once."""
    if not _process.given_up:
        _process.executor().submit(_ready)


def shutdown() -> None:
    """Stop the render process; the next form starts a new one (even after failed starts)."""
    _process.shutdown()


def in_process(fn: Any, *args: Any) -> Any | None:
    """`fn(*args)` run in the render process, or None when the process could not do it.

    `fn` must be a module-level function and its arguments plain data (they are pickled).
    """
    try:
        return _process.call(fn, *args)
    except Exception:
        log.warning("the render process failed; drawing here instead", exc_info=True)
        return None


def render_in_process(job: RenderJob) -> bytes | None:
    """`job` drawn in the render process, or None when the process could not draw it."""
    pdf = in_process(_draw, job)
    return pdf if isinstance(pdf, bytes) else None


def render(job: RenderJob) -> bytes:
    """Draw `job`: in the render process off the main thread (see `Mode`), else here."""
    if uses_process():
        pdf = render_in_process(job)
        if pdf is not None:
            return pdf
    return render_form(job)


__all__ = [
    "Mode",
    "RenderJob",
    "render",
    "render_form",
    "render_in_process",
    "set_mode",
    "shutdown",
    "start",
    "uses_process",
    "warm_up",
]
