"""The national index (Decision 766) for `make bench`: the page's figures for last year on the big
register, the files behind a figure, and its PDF."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime

from desk_app.services import national_index
from desk_app.store.engine import Database


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def index_figures(db: Database, line: Callable[[str, str], None]) -> None:
    year = date.today().year - 1
    start, end, now = date(year, 1, 1), date(year, 12, 31), datetime.now()
    with db.reader.begin() as s:
        report = national_index.index_report(s, start, end, now)
        ms = _median_ms(lambda: national_index.index_report(s, start, end, now))
        received = int(report.figure("progress.received").value or 0)
        line("Decision 766 page, a year", f"{ms:.0f} ms ({received:,} files received)")
        ms = _median_ms(
            lambda: national_index.files_behind(s, "progress.late", start, end, now, limit=500)
        )
        _, late = national_index.files_behind(s, "progress.late", start, end, now, limit=1)
        line("files behind a figure (500)", f"{ms:.0f} ms ({late:,} late files)")
        ms = _median_ms(lambda: national_index.index_pdf(s, report), 3)
        line("Decision 766 PDF", f"{ms:.0f} ms")
