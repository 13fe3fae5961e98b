"""Window figures for `make bench`: start-up, queue counts, the full list, scrolling, a file."""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from desk_app.services import browse, printing, queries
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.store.engine import Database

Line = Callable[[str, str], None]


def window_figures(db: Database, sample_code: str, line: Line) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.file_model import CODE_ROLE
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

        # Scrolling: jump to 200 places in the full list and read a screenful (40 rows) each.
        model = window.model
        loop = QEventLoop()
        model.loaded.connect(lambda _n: loop.quit())
        model.load(ListQueue.ALL)
        loop.exec()
        rng = random.Random(1)
        pages = []
        for _ in range(200):
            top = rng.randrange(max(1, model.rowCount() - 40))
            t0 = time.perf_counter()
            for r in range(top, top + 40):
                for c in range(model.columnCount()):
                    model.data(model.index(r, c))
            pages.append((time.perf_counter() - t0) * 1000)
        pages.sort()
        line("scroll page p50", f"{statistics.median(pages):.1f} ms")
        line("scroll page p95", f"{pages[int(len(pages) * 0.95)]:.1f} ms")
        t0 = time.perf_counter()
        screens = 0
        for r in range(0, model.rowCount(), 40):  # top to bottom, one screenful at a time
            model.data(model.index(r, 0), CODE_ROLE)
            screens += 1
        per_screen = (time.perf_counter() - t0) * 1000 / max(1, screens)
        line("scroll top to bottom", f"{per_screen:.1f} ms/screen ({screens} screens)")

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
