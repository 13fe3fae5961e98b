"""Window figures for `make bench`: start-up, queue counts, the full list, scrolling, a file.

Scrolling is timed as the officer sees it: from moving the scroll bar until every row on the
screen is filled (the list reads its rows off the GUI thread, a block at a time) and painted.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING

from desk_app.services import browse, printing, queries
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.store.engine import Database

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from desk_app.ui.file_model import FileListModel

Line = Callable[[str, str], None]


def window_figures(db: Database, sample_code: str, line: Line) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs

    app = QApplication.instance() or QApplication([])
    now = datetime.now()
    with TemporaryDirectory() as tmp:
        ctx = UiContext(
            db=db,
            actor=Actor(user_id=None, name="Đo tốc độ", role="officer"),
            runner=OpRunner(),
            bus=ChangeBus(),
            prefs=Prefs(Path(tmp) / "prefs.ini"),
        )
        loop = QEventLoop()
        t0 = time.perf_counter()
        window = MainWindow(ctx)
        window.show()
        window.model.loaded.connect(lambda _n: loop.quit())
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        first_list = (time.perf_counter() - t0) * 1000
        line("window start-up", f"{first_list:.0f} ms")

        with db.reader.begin() as s:
            t0 = time.perf_counter()
            counts = browse.queue_counts(s, now)
            line("queue counts", f"{(time.perf_counter() - t0) * 1000:.0f} ms")
            t0 = time.perf_counter()
            ids = browse.queue_ids(s, ListQueue.ALL, now)
            line("full list ids", f"{(time.perf_counter() - t0) * 1000:.0f} ms ({len(ids)})")
            t0 = time.perf_counter()
            browse.queue_ids(s, ListQueue.ALL, now, browse.SortKey.APPLICANT)
            line("full list by name", f"{(time.perf_counter() - t0) * 1000:.0f} ms")
        print(f"  (all files: {counts[ListQueue.ALL]}, overdue: {counts[ListQueue.OVERDUE]})")

        # Scrolling as the officer sees it: the list's rows are read off the GUI thread in
        # blocks, so a screen is ready when every row on it is filled (its block arrived) and
        # painted. Jumps to 200 random places, then screen by screen from the top.
        window.resize(1366, 768)
        model = window.model
        loop = QEventLoop()
        model.loaded.connect(lambda _n: loop.quit())
        model.load(ListQueue.ALL)
        loop.exec()
        scroll = ScrollProbe(window.table, model)
        rng = random.Random(1)
        bar = window.table.verticalScrollBar()
        jumps = [scroll.to(rng.randrange(max(1, bar.maximum()))) for _ in range(200)]
        line("scroll jump p50", f"{_p(jumps, 0.5):.1f} ms")
        line("scroll jump p95", f"{_p(jumps, 0.95):.1f} ms")
        bar.setValue(0)
        scroll.wait_filled()
        screens = []
        value = 0
        while value < bar.maximum() and len(screens) < MAX_SCREENS:
            value = min(bar.maximum(), value + bar.pageStep())
            screens.append(scroll.to(value))
        rows = scroll.visible_rows()
        what = f"{len(screens)} screens of {len(rows)} rows"
        if value < bar.maximum():
            what += f", the first {len(screens) * len(rows):,} rows"
        line("scroll down p50", f"{_p(screens, 0.5):.1f} ms/screen ({what})")
        line("scroll down p95", f"{_p(screens, 0.95):.1f} ms/screen")
        line("scroll down max", f"{max(screens):.1f} ms/screen")

        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            with db.reader.begin() as s:
                queries.show_file(s, sample_code)
                printing.list_slips(s, sample_code)
            times.append((time.perf_counter() - t0) * 1000)
        line("open a file", f"{statistics.median(times):.1f} ms")
        supervisor_figures(db, now, line)
        window.close()
        ctx.runner.shutdown()
    app.processEvents()


MAX_SCREENS = 1000  # screen by screen from the top: 1,000 screens at most (~30,000 rows)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


class ScrollProbe:
    """Scroll the window's list and time until the rows on screen are filled and painted."""

    def __init__(self, table: QTableView, model: FileListModel) -> None:
        self.table = table
        self.model = model

    def visible_rows(self) -> range:
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        last = self.table.rowAt(viewport.height() - 1)
        if last < 0:
            last = self.model.rowCount() - 1
        return range(max(0, first), last + 1)

    def filled(self) -> bool:
        from desk_app.ui.file_model import CODE_ROLE

        return all(self.model.data(self.model.index(r, 0), CODE_ROLE) for r in self.visible_rows())

    def wait_filled(self, timeout_s: float = 60.0) -> None:
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        self.table.viewport().repaint()  # the view asks for the rows it paints
        if self.filled():
            return  # they were read already: that paint showed them
        deadline = time.perf_counter() + timeout_s
        while not self.filled():
            if time.perf_counter() > deadline:
                raise TimeoutError("the list's rows did not arrive")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        self.table.viewport().repaint()  # and paints them once they are there

    def to(self, value: int) -> float:
        """Milliseconds from setting the scroll bar to `value` until its screen is painted."""
        t0 = time.perf_counter()
        self.table.verticalScrollBar().setValue(value)
        self.wait_filled()
        return (time.perf_counter() - t0) * 1000


def supervisor_figures(db: Database, now: datetime, line: Line) -> None:
    """The supervisor's dashboard numbers (the statistics are timed in run.py)."""
    from datetime import date

    from desk_app.services import watch

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        with db.reader.begin() as s:
            found = watch.watch(s, now)
        times.append((time.perf_counter() - t0) * 1000)
    line("dashboard data", f"{statistics.median(times):.0f} ms ({len(found.overdue)} overdue)")
    year_ago = date(now.year - 1, now.month, 1)
    t0 = time.perf_counter()
    with db.reader.begin() as s:
        watch.on_time_by_month(s, year_ago, now.date())
        watch.overdue_by_procedure(s, year_ago, now.date())
    line("dashboard charts (12 months)", f"{(time.perf_counter() - t0) * 1000:.0f} ms")
