"""`make bench`: build (or reuse) a register of N files and print the speed figures.

Run: python -m tests.benchmarks.run --files 1000000 [--db PATH] [--fresh]
    [--centre-files 5000000] [--centre-seconds 120] [--pg-url URL] [--no-centre] …
The register is kept in bench-data/ so later runs only measure; --fresh rebuilds it.
Then the centre figures on a PostgreSQL server (tests/benchmarks/centre.py), when there is one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text

from desk_app.domain.due import DurationUnit, compute_due
from desk_app.services.context import COMMAND_LINE, load_context
from desk_app.services.demo import generate_demo
from desk_app.services.intake import ApplicantInput, IntakeInput, accept_file
from desk_app.services.queries import Queue, count_queue, list_files, search_files
from desk_app.services.statistics import period_report
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord
from tests.benchmarks.centre import add_options, centre_figures

TARGETS = {
    "accept p95": "< 20 ms",
    "overdue first page": "< 50 ms",
    "name search": "< 50 ms",
    "code lookup": "< 2 ms",
    "quarter statistics": "< 500 ms",
    "size per file": "< 2 KB",
    "receipt PDF": "< 60 ms",
    "process start to window": "< 1500 ms",
    "dashboard data": "< 300 ms",
    "year statistics": "< 1500 ms",
    "day summary (yesterday)": "< 100 ms",
    "a year of days to department": "< 30 s",
    "Decision 766 page, a year": "< 1000 ms",
    "Decision 766 page, digitised": "< 1000 ms",
    "accept with a 20-page scan, saved": "< 1000 ms",
}


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, object]:
    """Median wall time in milliseconds over `repeat` runs, and the last result."""
    times = []
    result: object = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def build(path: Path, files: int, fresh: bool) -> Database:
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    with db.reader.begin() as s:
        have = int(s.scalar(select(func.count()).select_from(FileRecord)) or 0)
    if have < files:
        t0 = time.perf_counter()
        # bench-data/ is the bench's own register; one built before migration 0011 holds
        # demo files not marked as such, which `demo` would take for real ones.
        generate_demo(db, files - have, seed=2026 + have, into_production=have > 0, progress=None)
        print(f"built register: {files - have} files in {time.perf_counter() - t0:.0f} s")
        with db.writer.begin() as s:
            s.execute(text("ANALYZE"))
    return db


def line(name: str, value: str) -> None:
    target = TARGETS.get(name, "")
    print(f"{name:<28} {value:>14}   {('target ' + target) if target else ''}")


def forms(db: Database, code: str) -> None:
    """Receipt PDF generation and a 1,000-row register (drawing only, nothing stored)."""
    import dataclasses

    from desk_app.printing.formset import load_form_set
    from desk_app.printing.receipt import render_receipt
    from desk_app.printing.register import render_register
    from desk_app.services import printing

    form_set = load_form_set()
    with db.reader.begin() as s:
        receipt = printing.receipt_data(s, code)
        day = receipt.received.date()
        register = printing.register_data(s, day - timedelta(days=3), day)
    render_receipt(receipt, form_set)  # fonts registered once, as in a running desk
    ms, _ = timed(lambda: render_receipt(receipt, form_set), 21)
    line("receipt PDF", f"{ms:.1f} ms")
    rows = register.rows[:1000]
    register = dataclasses.replace(register, rows=rows)
    ms, pdf = timed(lambda: render_register(register, form_set), 3)
    line("register PDF, 1,000 rows", f"{ms:.0f} ms ({len(pdf) // 1024} KB)")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--fresh", action="store_true")
    add_options(parser)  # the centre figures (PostgreSQL): --pg-url, --centre-*, --no-centre
    args = parser.parse_args()
    path = args.db or Path("bench-data") / f"register-{args.files}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    db = build(path, args.files, args.fresh)
    now = datetime.now()
    with db.reader.begin() as s:
        total = int(s.scalar(select(func.count()).select_from(FileRecord)) or 0)
        ctx = load_context(s)
        sample_code = s.scalar(select(FileRecord.code).order_by(FileRecord.id.desc()).limit(1))
    print(f"register: {total} files in {path}")

    # Accepting a file: one writer transaction per file, as at the counter.
    latencies = []
    for i in range(200):
        data = IntakeInput(
            procedure="1.001029",
            applicant=ApplicantInput(
                name=f"Hoàng Văn Kiểm Thử {i}",
                id_number=f"0200{90 + i % 9}{i:06d}",
                phone="0912345678",
            ),
        )
        t0 = time.perf_counter()
        with db.writer.begin() as s:
            accept_file(s, data, COMMAND_LINE)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    line("accept p50", f"{latencies[len(latencies) // 2]:.1f} ms")
    line("accept p95", f"{latencies[int(len(latencies) * 0.95)]:.1f} ms")

    cal = ctx.calendar
    start = datetime(2026, 2, 13, 9, 15)
    n = 100_000
    t0 = time.perf_counter()
    for i in range(n):
        compute_due(cal, start + timedelta(minutes=i % 600), Decimal(5), DurationUnit.WORKING_DAYS)
    line("due computations", f"{n / (time.perf_counter() - t0):,.0f} /s")

    with db.reader.begin() as s:
        ms, _ = timed(lambda: list_files(s, Queue.OVERDUE, now, limit=50))
        line("overdue first page", f"{ms:.1f} ms")
        ms, overdue = timed(lambda: count_queue(s, Queue.OVERDUE, now), 3)
        line("overdue count", f"{ms:.1f} ms ({overdue})")
        ms, found = timed(lambda: search_files(s, "dang thi anh"))
        line("name search", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, "nguyen van"))
        line("name search (common)", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, str(sample_code)), 21)
        line("code lookup", f"{ms:.2f} ms")
        today = date.today()
        q_start = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
        prev_q_end = q_start - timedelta(days=1)
        prev_q_start = date(prev_q_end.year, ((prev_q_end.month - 1) // 3) * 3 + 1, 1)
        ms, _ = timed(lambda: period_report(s, prev_q_start, prev_q_end), 3)
        line("quarter statistics", f"{ms:.0f} ms ({prev_q_start}..{prev_q_end})")
        mid = date(today.year - 1, 4, 1)
        ms, _ = timed(lambda: period_report(s, mid, date(mid.year, 6, 30)), 3)
        line("quarter statistics (older)", f"{ms:.0f} ms ({mid}..{mid.year}-06-30)")
        ms, _ = timed(
            lambda: period_report(s, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)), 3
        )
        line("year statistics", f"{ms:.0f} ms")
    forms(db, str(sample_code))
    from tests.benchmarks.national_index import index_figures

    index_figures(db, line)
    from tests.benchmarks.scans import scan_figures

    scan_figures(line)
    from tests.benchmarks.window import window_figures

    window_figures(db, str(sample_code), line)
    from tests.benchmarks.sync import sync_figures

    sync_figures(db, line)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.startup", str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert child.stdout is not None
        first = child.stdout.readline()
        runs.append((time.perf_counter() - t0) * 1000)
        child.wait()
        assert first.startswith("ready"), first
    line("process start to window", f"{statistics.median(runs):.0f} ms")
    db.engine.dispose()
    size = sum(
        Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
    )
    line("size per file", f"{size / max(total, 1):.0f} B")
    if not args.no_centre:
        centre_figures(args)


if __name__ == "__main__":
    main()
