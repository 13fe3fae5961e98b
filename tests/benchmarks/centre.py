"""`make bench`, centre mode (issue 14): the figures of a desk database on a PostgreSQL server.

Run alone: python -m tests.benchmarks.centre [--pg-url URL] [--centre-counters 20]
    [--centre-seconds 120] [--centre-pause 1.0] [--centre-files 5000000]
(`python -m tests.benchmarks.run` runs it after the SQLite figures, with the same options.)

The server: `--pg-url` (or DESK_TEST_PG_URL) names one we may create and drop a database on, as
a superuser; otherwise a throwaway server is started from Debian's PostgreSQL packages
(tests/pg_server.py) and restarted with durability back on (the test session runs it with fsync
off, which would make every commit look free).

1. The large register: `--centre-files` files made by the SQLite bench's own generator
   (generate_demo, into bench-data/register-N.sqlite3, the same file `--files N` measures), then
   loaded into the server's tables with COPY, triggers off, and VACUUM ANALYZE. Then the look-ups
   the window makes: the overdue queue's first page, a folded name search, a code lookup, a
   quarter's statistics for the whole database; and accepting files at one counter alone. The
   issue's "12 agencies" cannot be built: the schema has no agencies yet, so the register is one
   agency's.
2. Counters: N processes, each accepting files through services.intake.accept_file in a writer
   transaction, one after another (accept only: no receipt drawn, no window), for a while: once as
   fast as they can, once pausing `--centre-pause` seconds between files (an officer's pace, much
   faster than a real one). Latency is the whole transaction, the writers' lock wait included.
   Afterwards codes and register numbers are checked: none twice, none missing.
3. Meanwhile a listener in this process (store.changes.open_feed, as another counter's window
   uses it) hears the commits; the figure is the time from a counter's commit to the notice's
   delivery (the codes of the changed files already read, as the window gets it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from queue import Empty
from typing import Any

from sqlalchemy import func, select, text

from desk_app.services.context import COMMAND_LINE, load_context
from desk_app.services.intake import ApplicantInput, IntakeInput, accept_file
from desk_app.services.queries import Queue, count_queue, list_files, search_files
from desk_app.services.statistics import period_report
from desk_app.store.changes import FeedNotice, open_feed
from desk_app.store.engine import Database, open_database
from desk_app.store.models import Base, FileRecord

CENTRE_TARGETS = {
    "accept p95": "< 50 ms",
    "change seen p95": "< 1000 ms",
    "overdue first page": "< 50 ms",
    "name search": "< 50 ms",
    "code lookup": "< 2 ms",
    "quarter statistics": "< 1000 ms",
}
PROCEDURE = "1.001029"  # as the SQLite bench's accept figure
# The throwaway server's settings for the bench: durable commits (PostgreSQL's defaults), room
# for the counters' connections, and a buffer cache a centre's server would at least have.
BENCH_SERVER_OPTIONS = "-c max_connections=200 -c shared_buffers=512MB"


def line(name: str, value: str) -> None:
    target = CENTRE_TARGETS.get(name, "")
    print(f"{name:<28} {value:>14}   {('target ' + target) if target else ''}", flush=True)


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DESK_TEST_PG_URL"),
        help="a PostgreSQL server (superuser URL) for the centre figures; default: "
        "DESK_TEST_PG_URL, else a throwaway server",
    )
    parser.add_argument("--no-centre", action="store_true", help="skip the centre figures")
    parser.add_argument("--centre-counters", type=int, default=20)
    parser.add_argument("--centre-seconds", type=float, default=120.0)
    parser.add_argument("--centre-pause", type=float, default=1.0)
    parser.add_argument("--centre-files", type=int, default=5_000_000)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, object]:
    """Median wall time in milliseconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


# --- the server ---------------------------------------------------------------------------------


def _durable(server: Any) -> None:
    """Restart our throwaway server with PostgreSQL's durable defaults (fsync, synchronous
    commit, full page writes) instead of the test session's fast ones."""
    from tests.pg_server import _as_server_user

    data, socket = server.folder / "data", server.folder / "s"
    subprocess.run(
        _as_server_user(
            [
                *(str(server.bin / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-m", "fast"),
                *("-o", f"-k {socket} -c listen_addresses='' {BENCH_SERVER_OPTIONS}"),
                *("-l", str(server.folder / "server.log"), "restart"),
            ]
        ),
        capture_output=True,
        check=True,
    )


# --- 1. the large register ----------------------------------------------------------------------


def staging_register(files: int) -> Path:
    """The SQLite bench's register of `files` files (built by its generator when missing)."""
    from tests.benchmarks.run import build

    path = Path("bench-data") / f"register-{files}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    build(path, files, fresh=False).dispose()
    return path


def load_register(source: Path, db: Database) -> int:
    """Every table of `source` (an SQLite desk register) into the empty server database `db`,
    by COPY with the triggers off (superuser; else with them on), ids and sequences kept.
    Returns the number of rows."""
    import sqlite3

    from desk_app.store.copy import _reset_sequences

    tables = list(Base.metadata.sorted_tables)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    rows = 0
    with db.engine.begin() as conn:
        pg = conn.connection.driver_connection
        assert pg is not None
        with pg.cursor() as cur:
            cur.execute("SAVEPOINT roles")
            try:
                # No append-only, sync or notify triggers, no foreign-key checks: the rows are a
                # desk's consistent register already.
                cur.execute("SET LOCAL session_replication_role = replica")
                cur.execute("RELEASE SAVEPOINT roles")
            except Exception:
                cur.execute("ROLLBACK TO SAVEPOINT roles")
            cur.execute(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY")
            for table in tables:
                names = [c.name for c in table.columns]
                quoted = ", ".join(f'"{n}"' for n in names)
                with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                    for row in src.execute(f'SELECT {quoted} FROM "{table.name}"'):
                        copy.write_row(row)
                        rows += 1
        _reset_sequences(conn)
    src.close()
    # VACUUM as well as ANALYZE: a register that grew over the years has been vacuumed by
    # autovacuum (hint bits set, visibility map made); a freshly copied one has not.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return rows


def query_figures(db: Database) -> None:
    """The window's look-ups on the large register (as tests/benchmarks/run.py measures them)."""
    now = datetime.now()
    with db.reader.begin() as s:
        sample_code = s.scalar(select(FileRecord.code).order_by(FileRecord.id.desc()).limit(1))
        list_files(s, Queue.OVERDUE, now, limit=50)  # a first read fills the caches
        ms, _ = timed(lambda: list_files(s, Queue.OVERDUE, now, limit=50))
        line("overdue first page", f"{ms:.1f} ms")
        ms, overdue = timed(lambda: count_queue(s, Queue.OVERDUE, now), 3)
        line("overdue count", f"{ms:.1f} ms ({overdue})")
        ms, found = timed(lambda: search_files(s, "dang thi anh"))
        line("name search", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, "nguyen van"))
        line("name search (common)", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, str(sample_code)), 21)
        assert len(found) == 1, found  # type: ignore[arg-type]
        line("code lookup", f"{ms:.2f} ms")
        today = date.today()
        q_start = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
        prev_q_end = q_start - timedelta(days=1)
        prev_q_start = date(prev_q_end.year, ((prev_q_end.month - 1) // 3) * 3 + 1, 1)
        ms, _ = timed(lambda: period_report(s, prev_q_start, prev_q_end), 3)
        line("quarter statistics", f"{ms:.0f} ms ({prev_q_start}..{prev_q_end})")
        ms, _ = timed(
            lambda: period_report(s, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)), 3
        )
        line("year statistics", f"{ms:.0f} ms")
        # PostgreSQL's JIT (on by default) compiles the statistics' queries, whose estimated
        # cost is high, for longer than they run; the same quarter with it off, for comparison.
        s.execute(text("SET jit = off"))
        ms, _ = timed(lambda: period_report(s, prev_q_start, prev_q_end), 3)
        line("quarter statistics, jit off", f"{ms:.0f} ms")
        s.execute(text("RESET jit"))


def one_counter(db: Database, files: int = 200) -> None:
    """Accepting alone (as the SQLite bench's "accept" figure): one writer transaction a file."""
    latencies = []
    for i in range(files + 1):
        data = IntakeInput(
            procedure=PROCEDURE,
            applicant=ApplicantInput(
                name=f"Hoàng Văn Kiểm Thử {i}",
                id_number=f"0200{90 + i % 9}{i:06d}",
                phone="0912345678",
            ),
        )
        t0 = time.perf_counter()
        with db.writer.begin() as s:
            accept_file(s, data, COMMAND_LINE)
        if i:  # the first compiles the statements
            latencies.append((time.perf_counter() - t0) * 1000)
    line("accept p50, one counter", f"{pct(latencies, 0.5):.1f} ms")
    line("accept p95, one counter", f"{pct(latencies, 0.95):.1f} ms")


# --- 2. and 3. counters accepting, another counter hearing ---------------------------------------


def _counter(
    url: str, index: int, seconds: float, pause: float, ready: Any, go: Any, out: Any
) -> None:
    """One counter's process: accept files one after another until the time is up; put
    (index, [(latency ms, file id, code, commit asked at)], errors, first error) on `out`."""
    db = open_database(url, migrate=False)
    with db.reader.begin() as s:
        load_context(s)  # the connection made and the desk's settings read, as a window has
    rng = random.Random(index)
    done: list[tuple[float, int, str, float]] = []
    errors, first_error = 0, ""

    def data(i: int) -> IntakeInput:
        return IntakeInput(
            procedure=PROCEDURE,
            applicant=ApplicantInput(
                name=f"Trần Thị Quầy {index} {i}",
                id_number=f"0200{90 + index % 9}{(index * 40_000 + i) % 1_000_000:06d}",
                phone="0912345678",
            ),
        )

    # A first file, not measured: a window has accepted files before (its statements compiled).
    with db.writer.begin() as s:
        accept_file(s, data(0), COMMAND_LINE)
    ready.put(index)
    go.wait()
    end = time.monotonic() + seconds
    if pause:
        time.sleep(rng.uniform(0, pause))  # counters not in step
    i = 0
    while time.monotonic() < end:
        i += 1
        t0 = time.perf_counter()
        try:
            with db.writer() as s, s.begin():
                view = accept_file(s, data(i), COMMAND_LINE)
                asked = time.monotonic()  # the commit is asked for as the block ends
        except Exception as exc:  # counted and reported, the counter goes on
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
        else:
            done.append(((time.perf_counter() - t0) * 1000, view.id, view.code, asked))
        if pause:
            time.sleep(pause)
    db.dispose()
    out.put((index, done, errors, first_error))


class Listener:
    """Another counter's change feed: when each file id was heard of (time.monotonic())."""

    def __init__(self, db: Database) -> None:
        self.feed = open_feed(db)
        self.heard: dict[int, float] = {}
        self.unnamed: list[float] = []  # notices naming no files ("many", "everything")
        self._lock = threading.Lock()

    def deliver(self, notice: FeedNotice) -> None:
        at = time.monotonic()
        with self._lock:
            if notice.ids:
                for file_id in notice.ids:
                    self.heard.setdefault(file_id, at)
            elif "files" in notice.kinds:
                self.unnamed.append(at)

    def start(self) -> None:
        self.feed.start(self.deliver)
        if not self.feed.connected.wait(10):
            raise RuntimeError("the change feed did not connect")

    def latency_ms(self, file_id: int, asked: float) -> float | None:
        with self._lock:
            at = self.heard.get(file_id)
            if at is None:  # a notice naming no files after the commit covers it
                at = next((u for u in self.unnamed if u >= asked), None)
        return None if at is None else (at - asked) * 1000


def check_numbers(db: Database, ids: list[int], codes: list[str]) -> tuple[int, int, int]:
    """(duplicates, missing, not stored): codes and register numbers given twice; numbers
    skipped in today's code sequence and in this year's register book; accepted files not found."""
    today = date.today()
    with db.reader.begin() as s:
        dup_codes = s.execute(
            select(FileRecord.code).group_by(FileRecord.code).having(func.count() > 1)
        ).all()
        dup_numbers = s.execute(
            select(FileRecord.register_book, FileRecord.register_seq)
            .group_by(FileRecord.register_book, FileRecord.register_seq)
            .having(func.count() > 1)
        ).all()
        agency = load_context(s).settings.agency_id
        prefix = f"{agency}-{today:%y%m%d}-"
        day_codes = s.scalars(select(FileRecord.code).where(FileRecord.code.like(f"{prefix}%")))
        day_seqs = [int(c.removeprefix(prefix)) for c in day_codes]
        book_seqs = list(
            s.scalars(
                select(FileRecord.register_seq).where(FileRecord.register_book == str(today.year))
            )
        )
        stored = int(
            s.scalar(select(func.count()).select_from(FileRecord).where(FileRecord.id.in_(ids)))
            or 0
        )
        stored_codes = set(s.scalars(select(FileRecord.code).where(FileRecord.id.in_(ids))))
    missing = (max(day_seqs, default=0) - len(set(day_seqs))) + (
        max(book_seqs, default=0) - len(set(book_seqs))
    )
    not_stored = len(ids) - stored + len(set(codes) - stored_codes)
    return len(dup_codes) + len(dup_numbers), missing, not_stored


def _gather(queue: Any, procs: list[Any], timeout: float) -> list[Any]:
    """One item from `queue` per process; an error when a process ended without giving its
    own (it failed: its traceback is on stderr) or the time is up."""
    items: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(items) < len(procs):
        try:
            items.append(queue.get(timeout=1))
        except Empty:
            failed = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if failed:
                raise RuntimeError(f"{len(failed)} counter processes failed") from None
            if time.monotonic() > deadline:
                raise RuntimeError("the counter processes did not answer in time") from None
    return items


def counters_figures(db: Database, counters: int, seconds: float, pause: float) -> None:
    mp = multiprocessing.get_context("spawn")
    ready, out, go = mp.Queue(), mp.Queue(), mp.Event()
    procs = [
        mp.Process(target=_counter, args=(db.url, i, seconds, pause, ready, go, out))
        for i in range(counters)
    ]
    for p in procs:
        p.start()
    try:
        _gather(ready, procs, 300)
        listener = Listener(db)
        listener.start()
        go.set()
        t0 = time.perf_counter()
        results = _gather(out, procs, seconds + 300)
    except BaseException:
        for p in procs:
            p.terminate()
        raise
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    time.sleep(2)  # the last notices arrive
    listener.feed.stop()
    done = [d for _, rows, _, _ in results for d in rows]
    errors = sum(r[2] for r in results)
    first_error = next((r[3] for r in results if r[3]), "")
    mode = "as fast as they can" if not pause else f"one file, then {pause:g} s pause"
    print(f"{counters} counters, {seconds:g} s, {mode}:", flush=True)
    if not done:
        line("accepted", f"0 ({errors} failed: {first_error})")
        return
    latencies = [d[0] for d in done]
    line("accept p50", f"{pct(latencies, 0.5):.1f} ms")
    line("accept p95", f"{pct(latencies, 0.95):.1f} ms")
    line("accepted", f"{len(done)} ({len(done) / wall:.0f} /s)")
    if errors:
        line("accepts failed", f"{errors}   first: {first_error}")
    seen = [listener.latency_ms(file_id, asked) for _, file_id, _, asked in done]
    heard = [ms for ms in seen if ms is not None]
    if heard:
        line("change seen p50", f"{pct(heard, 0.5):.0f} ms")
        line("change seen p95", f"{pct(heard, 0.95):.0f} ms")
    line("changes not heard", f"{len(seen) - len(heard)}")
    duplicates, missing, not_stored = check_numbers(db, [d[1] for d in done], [d[2] for d in done])
    line("codes/numbers twice", f"{duplicates}")
    line("codes/numbers missing", f"{missing + not_stored}")


# --- the whole ----------------------------------------------------------------------------------


def centre_figures(args: argparse.Namespace) -> None:
    """Print the centre figures, or one line saying why they are skipped."""
    from tests.pg_server import NoServerError, PgServer, start_server

    print("— centre (PostgreSQL) —", flush=True)
    if args.pg_url:
        server = PgServer(admin_url=args.pg_url)
    else:
        try:
            server = start_server()
        except NoServerError as exc:
            print(f"centre figures skipped: {exc}")
            return
    try:
        if server.folder is not None:
            _durable(server)
        url = server.new_database(prefix="bench")
        try:
            db = open_database(url)
            with db.reader.begin() as s:
                version = s.scalar(text("SHOW server_version"))
                fsync = s.scalar(text("SHOW fsync"))
                sync_commit = s.scalar(text("SHOW synchronous_commit"))
            where = "a throwaway server on this machine" if server.folder else "the given server"
            print(
                f"server: PostgreSQL {version}, {where} (fsync {fsync}, synchronous_commit "
                f"{sync_commit}); {os.cpu_count()} CPUs shared by server, counters and listener "
                f"(load average {os.getloadavg()[0]:.1f} as it starts)"
            )
            print(
                "agencies: 1 (the schema has no agencies yet; the issue's 12-agency register "
                "cannot be built)"
            )
            source = staging_register(args.centre_files)
            t0 = time.perf_counter()
            rows = load_register(source, db)
            with db.reader.begin() as s:
                total = int(s.scalar(select(func.count()).select_from(FileRecord)) or 0)
            print(
                f"register: {total} files ({rows} rows from {source}, loaded by COPY and "
                f"vacuumed in {time.perf_counter() - t0:.0f} s)"
            )
            query_figures(db)
            one_counter(db)
            counters_figures(db, args.centre_counters, args.centre_seconds, 0.0)
            if args.centre_pause > 0:
                counters_figures(db, args.centre_counters, args.centre_seconds, args.centre_pause)
            db.dispose()
        finally:
            server.drop_database(url)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_options(parser)
    centre_figures(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
