"""Issue 13: the GUI thread never waits on the database.

Another process holds SQLite's write lock (BEGIN IMMEDIATE) for about a second while the real
window, with its real worker thread, saves an intake and reads its lists, a search and a file.
Every statement the engine executes is recorded with its thread and duration: none may run on
the GUI thread, and a 10 ms QTimer keeps ticking (its longest gap is the figure in the README).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from desk_app.services import intake
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.store.engine import Database, open_database
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from tests.ui.lock_holder import LockHolder

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

NOW = datetime(2026, 3, 2, 10, 0)
HOLD_S = 1.0  # how long the other process keeps the write lock
GUI_BUDGET_S = 0.050


class Executes:
    """Every cursor execute of an engine: (thread ident, seconds, statement)."""

    def __init__(self, db: Database) -> None:
        self.seen: list[tuple[int, float, str]] = []
        self._lock = threading.Lock()
        self._engine = db.engine
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "after_cursor_execute", self._after)

    def _before(self, conn: object, _c: object, _s: str, _p: object, ctx: object, _m: bool) -> None:
        conn.info.setdefault("started", []).append(time.perf_counter())  # type: ignore[attr-defined]

    def _after(
        self, conn: object, _c: object, stmt: str, _p: object, ctx: object, _m: bool
    ) -> None:
        took = time.perf_counter() - conn.info["started"].pop()  # type: ignore[attr-defined]
        with self._lock:
            self.seen.append((threading.get_ident(), took, stmt.split("\n", 1)[0][:60]))

    def remove(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)


class Ticks:
    """A 10 ms timer on the GUI thread: when each tick came and how long after the one before."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.gaps: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now, now - self.last))
        self.last = now

    def longest(self, start: float = 0.0, end: float = float("inf")) -> float:
        """The longest gap of the ticks that came between `start` and `end`."""
        return max((gap for at, gap in self.gaps if start <= at <= end), default=0.0)


@pytest.fixture
def live(
    qapp: object, db: Database, officer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[UiContext]:
    """The window's context on its own connection to the test desk, with a real worker."""
    monkeypatch.setattr("desk_app.ui.preview.show_pdf", lambda *_a: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    with db.writer.begin() as s:
        for name in ("Đặng Thị Ánh", "Lý Văn Nam", "Hà Thị Thu"):
            data = intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name=name),
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


def _idle(qtbot: QtBot, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)


def test_a_save_and_reads_under_a_held_write_lock_leave_the_gui_thread_free(
    qtbot: QtBot, live: UiContext
) -> None:
    gui = threading.get_ident()
    executes = Executes(live.db)
    try:
        window = MainWindow(live)
        qtbot.addWidget(window)
        window.show()
        _idle(qtbot, live)
        dialog = IntakeDialog(live, window)
        qtbot.addWidget(dialog)
        dialog.show()
        _idle(qtbot, live)
        qtbot.keyClicks(dialog.form.procedure, "giay phep KARAOKE")
        qtbot.keyClick(dialog.form.procedure, Qt.Key.Key_Return)
        dialog.form.name.setText("Lò Văn Tám")
        dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
        _idle(qtbot, live)
        executes.seen.clear()

        ticks = Ticks()
        holder = LockHolder(live.db.path)
        locked_at = time.perf_counter()
        ticks.start()
        try:
            with qtbot.waitSignal(dialog.accepted_file, timeout=20_000):
                dialog.save()  # waits for the lock on the worker
                window.model.load(ListQueue.ALL)
                window.queues.refresh_counts()
                window.search.setText("nam")
                qtbot.keyClick(window.search, Qt.Key.Key_Return)
                # Let the other process go after HOLD_S without blocking this thread.
                QTimer.singleShot(int(HOLD_S * 1000), holder.let_go)
            waited = time.perf_counter() - locked_at
            _idle(qtbot, live)
        finally:
            holder.release()
        ticks.timer.stop()
        let_go_at = holder.let_go_at
        assert let_go_at is not None
    finally:
        executes.remove()

    on_gui = [(took, stmt) for thread, took, stmt in executes.seen if thread == gui]
    slowest = max(took for _t, took, _s in executes.seen)
    # While the save waits for the lock, the window has nothing to do but stay responsive.
    # After it, the worker renders the receipt and the views repaint: not database waits, so
    # that gap is reported, not held to the budget.
    during = ticks.longest(locked_at, let_go_at)
    print(
        f"\nlock held {waited:.2f} s; {len(executes.seen)} statements, the slowest "
        f"{slowest * 1000:.0f} ms on the worker, {len(on_gui)} on the GUI thread; "
        f"{len(ticks.gaps)} ticks, longest gap {during * 1000:.1f} ms while the lock was held, "
        f"{ticks.longest() * 1000:.1f} ms over the whole run"
    )
    assert on_gui == []
    assert waited >= HOLD_S * 0.9  # the save really met the lock and waited for it
    assert slowest >= HOLD_S * 0.8  # ... on the worker
    assert len([1 for at, _gap in ticks.gaps if at <= let_go_at]) >= 50
    assert during < GUI_BUDGET_S
