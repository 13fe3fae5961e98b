"""Frame times of the counter window while its list reloads: `python -m tests.benchmarks.frames`.

A demo register (3,000 files by default) in a temporary folder; the window at 1366×768 with the
real worker thread, on the queue of all files. A 16 ms timer stands for the display's frames and
records the gap between its ticks on the GUI thread; meanwhile the list is reloaded (F5, as every
change does) every 250 ms and scrolled to a random place every 100 ms, so rows are read too. A
gap well over 16 ms is a frame the officer sees stutter. `--scroll-ms 0` measures the reloads
alone; FRAMES_PROFILE=cumtime (or tottime) prints a profile of the GUI thread while it runs.

`--saves N` measures a save at the counter instead: N intakes accepted with Ctrl+Enter, each
with its receipt archived and opened in the real preview; the figure is the GUI thread's longest
gap from the key press until the preview is on screen, per save (p50, max), the list painted at
every frame. `--render thread`
draws the receipts on the worker thread as before the render process, for comparison.
Never part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow

NOW = datetime(2026, 3, 12, 10, 30)
FRAME_MS = 16


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--reload-ms", type=int, default=250, help="0: never reload")
    parser.add_argument("--scroll-ms", type=int, default=100, help="0: never scroll")
    parser.add_argument("--saves", type=int, default=0, help="measure N saves with receipts")
    parser.add_argument("--render", choices=("process", "thread"), default="process")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from desk_app.domain.catalog import bundled_catalog
    from desk_app.services import demo, desk, users
    from desk_app.services.browse import ListQueue
    from desk_app.services.context import COMMAND_LINE
    from desk_app.store.engine import open_database
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import Change, ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.file_model import CODE_ROLE
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs

    with TemporaryDirectory() as tmp:
        prefs = Prefs(Path(tmp) / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = open_database(Path(tmp) / "desk.sqlite3")
        with db.writer.begin() as s:
            desk.import_catalog(s, bundled_catalog(), COMMAND_LINE)
            users.create_user(
                s, "canbo", "Đo khung hình", users.Role.OFFICER, "motcua2026", COMMAND_LINE
            )
        t0 = time.perf_counter()
        demo.generate_demo(db, args.files, seed=13, now=NOW)
        print(f"demo register of {args.files} files: {time.perf_counter() - t0:.1f} s")
        with db.reader.begin() as s:
            actor = users.sign_in(s, "canbo", "motcua2026")
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(), bus=ChangeBus(), prefs=prefs,
            clock=lambda: NOW,
        )  # fmt: skip
        window = MainWindow(ctx)
        window.resize(1366, 768)
        window.show()
        loop = QEventLoop()
        window.model.loaded.connect(lambda _n: loop.quit())
        window.queues.select(ListQueue.ALL)
        loop.exec()
        if args.saves:
            saves(ctx, window, args.saves, args.render)
            window.close()
            ctx.runner.shutdown()
            db.dispose()
            return 0
        rows = window.model.rowCount()
        other = str(window.model.data(window.model.index(rows - 1, 0), CODE_ROLE))

        gaps: list[float] = []
        last = [time.perf_counter()]
        reloads = [0]
        rng = random.Random(1)

        def frame() -> None:
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000)
            last[0] = now

        def reload() -> None:
            # Someone saved another file: every view hears it and the list is read again.
            reloads[0] += 1
            ctx.bus.announce(Change.files(other))

        def scroll() -> None:
            bar = window.table.verticalScrollBar()
            bar.setValue(rng.randrange(max(1, bar.maximum())))

        timers = []
        for interval, slot in (
            (FRAME_MS, frame),
            (args.reload_ms, reload),
            (args.scroll_ms, scroll),
        ):
            if not interval:
                continue
            timer = QTimer()
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.setInterval(interval)
            timer.timeout.connect(slot)
            timers.append(timer)
        done = QEventLoop()
        QTimer.singleShot(int(args.seconds * 1000), done.quit)
        last[0] = time.perf_counter()
        for timer in timers:
            timer.start()
        if os.environ.get("FRAMES_PROFILE"):
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            done.exec()
            prof.disable()
            pstats.Stats(prof).sort_stats(os.environ["FRAMES_PROFILE"]).print_stats(30)
        else:
            done.exec()
        for timer in timers:
            timer.stop()

        gaps.sort()
        over = sum(1 for g in gaps if g > 50)
        print(
            f"{rows} files listed, {reloads[0]} reloads in {args.seconds:.0f} s, "
            f"{len(gaps)} frames of {FRAME_MS} ms"
        )
        print(
            f"frame gap p50 {statistics.median(gaps):.1f} ms, "
            f"p95 {gaps[int(len(gaps) * 0.95)]:.1f} ms, p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms, "
            f"max {gaps[-1]:.1f} ms; {over} over 50 ms"
        )
        window.close()
        ctx.runner.shutdown()
        db.dispose()
        app.processEvents()
    return 0


def saves(ctx: UiContext, window: MainWindow, count: int, render: str) -> None:
    """Accept `count` files with Ctrl+Enter; the GUI thread's longest gap until each preview."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog

    from desk_app.printing import worker
    from desk_app.ui import preview
    from desk_app.ui.intake import IntakeDialog

    if render == "thread":
        worker.set_mode(worker.Mode.THREAD)
    else:
        t0 = time.perf_counter()
        worker.warm_up(timeout=60)
        print(f"render process ready in {(time.perf_counter() - t0) * 1000:.0f} ms")
    gaps: list[float] = []
    last = [time.perf_counter()]

    def frame() -> None:
        # A frame of the display: the list is painted (the offscreen platform paints only when
        # asked), then the gap since the last frame is recorded.
        window.table.viewport().repaint()
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(FRAME_MS)
    timer.timeout.connect(frame)
    shown: list[QDialog] = []
    real_show = preview.show_pdf

    def show_pdf(*args: object) -> QDialog:
        dialog = real_show(*args)  # type: ignore[arg-type]
        shown.append(dialog)
        return dialog

    preview.show_pdf = show_pdf  # type: ignore[assignment]

    def wait(condition: Callable[[], bool]) -> None:
        deadline = time.perf_counter() + 60
        while not condition() and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)

    worst: list[float] = []
    for i in range(count):
        dialog = IntakeDialog(ctx, window)
        dialog.show()
        wait(lambda: not ctx.runner.busy)
        QTest.keyClicks(dialog.form.procedure, "giay phep KARAOKE")
        QTest.keyClick(dialog.form.procedure, Qt.Key.Key_Return)
        dialog.form.name.setText(f"Lò Văn Đo {i}")
        dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
        wait(lambda: not ctx.runner.busy)
        QApplication.processEvents()
        before = len(shown)
        gaps.clear()
        last[0] = time.perf_counter()
        timer.start()
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        wait(lambda: len(shown) > before)  # noqa: B023 - waited on at once
        frame()  # the gap up to the preview on screen counts too
        wait(lambda: not ctx.runner.busy)
        QApplication.processEvents()  # the preview's pages, drawn one a turn
        timer.stop()
        worst.append(max(gaps))
        shown[-1].close()
        QApplication.processEvents()
    preview.show_pdf = real_show  # type: ignore[assignment]
    print("longest gap of each save:", ", ".join(f"{w:.0f}" for w in worst), "ms")
    worst.sort()
    print(
        f"{count} saves with receipts (render: {render}): the GUI thread's longest gap per save "
        f"p50 {statistics.median(worst):.1f} ms, max {worst[-1]:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
