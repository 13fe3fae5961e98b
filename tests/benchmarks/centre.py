"""`make bench`, centre mode (issue 14): the figures of a desk database on a PostgreSQL server.

Run alone: python -m tests.benchmarks.centre [--pg-url URL] [--centre-counters 20]
    [--centre-seconds 120] [--centre-pause 1.0] [--centre-files 5000000] [--centre-agencies 12]
    [--centre-years Y] [--keep] [--reuse URL] [--only all|reads|counters]
(`python -m tests.benchmarks.run` runs it after the SQLite figures, with the same options.)

The server: `--pg-url` (or DESK_TEST_PG_URL) names one we may create and drop a database on, as
a superuser; otherwise a throwaway server is started from Debian's PostgreSQL packages
(tests/pg_server.py) and restarted with durability back on (the test session runs it with fsync
off, which would make every commit look free).

1. The large register: `--centre-files` files over `--centre-agencies` agencies (12, as the
   issue's centre), built on the server by bulk SQL (tests/benchmarks/centre_register.py: INSERT
   … SELECT over generate_series, triggers off, secondary indexes made after), then VACUUM
   ANALYZE; the receipt moments spread over `--centre-years` years (default: 2 years up to
   1,000,000 files, so the density of the earlier one-agency figures, then 500,000 files a year).
   Then the look-ups the window makes, for the whole centre and for one agency (its scope): the
   overdue queue's first page, a folded name search, a code lookup, a quarter's statistics; and
   accepting files at one counter alone.
2. Counters: N processes, each a counter of one agency (the agencies in turn), accepting files
   of its agency through services.intake.accept_file in a writer transaction, one after another
   (accept only: no receipt drawn, no window), for a while: once as fast as they can, once
   pausing `--centre-pause` seconds between files (an officer's pace, much faster than a real
   one). Latency is the whole transaction, the writers' lock wait included; beside it how long
   each accept waited for that lock and held it until its commit returned (the lock is taken
   once the form is checked and the due computed). Afterwards codes and register numbers are
   checked per agency: none twice, none missing.
3. Meanwhile a listener in this process (store.changes.open_feed, as another counter's window
   uses it) hears the commits; the figure is the time from a counter's commit to the notice's
   delivery (the codes of the changed files already read, as the window gets it).
"""

from __future__ import annotations

import argparse
import dataclasses
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
from queue import Empty
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from desk_app.services.context import COMMAND_LINE, Actor, agency_counter, load_context
from desk_app.services.intake import ApplicantInput, IntakeInput, accept_file
from desk_app.services.queries import Queue, count_queue, list_files, search_files
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import period_report
from desk_app.store.changes import FeedNotice, open_feed
from desk_app.store.engine import Database, open_database
from desk_app.store.models import DeskSettings, FileRecord
from tests.benchmarks.centre_register import build_register

CENTRE_TARGETS = {
    "accept p95": "< 50 ms",
    "change seen p95": "< 1000 ms",
    "overdue first page": "< 50 ms",
    "name search": "< 50 ms",
    "code lookup": "< 2 ms",
    "quarter statistics": "< 1000 ms",
}
# The agency whose own figures are measured besides the whole centre's: an ordinary one (in the
# built register agency 1 is busier than the others).
ONE_AGENCY = 2
PROCEDURE = "1.001029"  # as the SQLite bench's accept figure
# The throwaway server's settings for the bench: durable commits (PostgreSQL's defaults), room
# for the counters' connections, and a buffer cache a centre's server would at least have.
BENCH_SERVER_OPTIONS = "-c max_connections=200 -c shared_buffers=512MB"


def line(name: str, value: str) -> None:
    target = CENTRE_TARGETS.get(name, "")
    print(f"{name:<32} {value:>16}   {('target ' + target) if target else ''}", flush=True)


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
    parser.add_argument("--centre-agencies", type=int, default=12)
    parser.add_argument(
        "--centre-years",
        type=float,
        default=None,
        help="years the receipts spread over (default: 2, or 500,000 files a year if longer)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the built database (and a throwaway server) afterwards; its URL is printed, "
        "for --reuse",
    )
    parser.add_argument(
        "--reuse",
        metavar="URL",
        default=None,
        help="measure the register already built in this database (kept by --keep): no build, "
        "nothing dropped",
    )
    parser.add_argument(
        "--only",
        choices=("all", "reads", "counters"),
        default="all",
        help="reads: the look-ups alone; counters: accepting alone (one counter, then many)",
    )


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


def _quarter_before(today: date) -> tuple[date, date]:
    q_start = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
    prev_q_end = q_start - timedelta(days=1)
    return date(prev_q_end.year, ((prev_q_end.month - 1) // 3) * 3 + 1, 1), prev_q_end


def query_figures(db: Database) -> None:
    """The window's look-ups on the large register (as tests/benchmarks/run.py measures them),
    for the whole centre and for one agency's officers (its scope)."""
    now = datetime.now()
    one = Scope.of({ONE_AGENCY})
    with db.reader.begin() as s:
        sample_code = s.scalar(select(FileRecord.code).order_by(FileRecord.id.desc()).limit(1))
        for scope, suffix in ((ALL, ""), (one, ", one agency")):
            list_files(s, Queue.OVERDUE, now, limit=50, scope=scope)  # fills the caches
            ms, _ = timed(lambda sc=scope: list_files(s, Queue.OVERDUE, now, limit=50, scope=sc))
            line(f"overdue first page{suffix}", f"{ms:.1f} ms")
            ms, overdue = timed(lambda sc=scope: count_queue(s, Queue.OVERDUE, now, scope=sc), 3)
            line(f"overdue count{suffix}", f"{ms:.1f} ms ({overdue})")
        ms, found = timed(lambda: search_files(s, "dang thi anh"))
        line("name search", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, "nguyen van"))
        line("name search (common)", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, "dang thi anh", scope=one))
        line("name search, one agency", f"{ms:.1f} ms ({len(found)} hits)")  # type: ignore[arg-type]
        ms, found = timed(lambda: search_files(s, str(sample_code)), 21)
        assert len(found) == 1, found  # type: ignore[arg-type]
        line("code lookup", f"{ms:.2f} ms")
        today = date.today()
        q_start, q_end = _quarter_before(today)
        in_quarter = s.scalar(
            text("SELECT count(*) FROM files WHERE received_at >= :s AND received_at < :e"),
            {"s": f"{q_start} 00:00:00", "e": f"{q_end + timedelta(days=1)} 00:00:00"},
        )
        print(f"({in_quarter} files received in {q_start}..{q_end})", flush=True)
        ms, _ = timed(lambda: period_report(s, q_start, q_end), 3)
        line("quarter statistics", f"{ms:.0f} ms (whole centre)")
        ms, _ = timed(lambda: period_report(s, q_start, q_end, scope=one), 3)
        line("quarter statistics, one agency", f"{ms:.0f} ms")
        year = today.year - 1
        ms, _ = timed(lambda: period_report(s, date(year, 1, 1), date(year, 12, 31)), 3)
        line("year statistics", f"{ms:.0f} ms (whole centre)")


def one_counter(db: Database, files: int = 200) -> None:
    """Accepting alone (as the SQLite bench's "accept" figure): one writer transaction a file."""
    latencies = []
    for i in range(files + 1):
        data = IntakeInput(
            procedure=PROCEDURE,
            agency=ONE_AGENCY,  # every agency's catalogue has it
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
    url: str,
    index: int,
    agency: int,
    seconds: float,
    pause: float,
    ready: Any,
    go: Any,
    out: Any,
) -> None:
    """One counter's process, of `agency`: accept files one after another until the time is
    up; put (index, [(latency ms, file id, code, commit asked at)], errors, first error) on
    `out`."""
    db = open_database(url, migrate=False)
    with db.reader.begin() as s:
        # The connection made, the settings read and the working calendar of the coming days
        # worked out, as a window open all day has them.
        calendar = load_context(s, agency).calendar
    calendar.add_working_time(datetime.now(), timedelta(days=1))
    actor: Actor = dataclasses.replace(
        COMMAND_LINE, agencies=frozenset({agency}), counter=f"Quầy {index + 1}"
    )
    rng = random.Random(index)
    done: list[tuple[float, int, str, float, float, float]] = []
    errors, first_error = 0, ""
    # When the writers' lock was asked for and got (accept_file asks for it once the form is
    # checked and its due computed: services/intake.py).
    lock: dict[str, float] = {}

    def asking(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "pg_advisory_xact_lock" in statement:
            lock["asked"] = time.perf_counter()

    def got(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "pg_advisory_xact_lock" in statement:
            lock["got"] = time.perf_counter()

    event.listen(db.engine, "before_cursor_execute", asking)
    event.listen(db.engine, "after_cursor_execute", got)

    def data(i: int) -> IntakeInput:
        return IntakeInput(
            procedure=PROCEDURE,
            agency=agency,
            applicant=ApplicantInput(
                name=f"Trần Thị Quầy {index} {i}",
                id_number=f"0200{90 + index % 9}{(index * 40_000 + i) % 1_000_000:06d}",
                phone="0912345678",
            ),
        )

    # A first file, not measured: a window has accepted files before (its statements compiled).
    # Twenty of them at once on a busy machine may wait past the lock timeout: then again.
    for attempt in range(20):
        try:
            with db.writer.begin() as s:
                accept_file(s, data(0), actor)
            break
        except OperationalError:
            if attempt == 19:
                raise
            time.sleep(rng.uniform(0.5, 2.0))
    ready.put(index)
    go.wait()
    end = time.monotonic() + seconds
    if pause:
        time.sleep(rng.uniform(0, pause))  # counters not in step
    i = 0
    while time.monotonic() < end:
        i += 1
        lock.clear()
        t0 = time.perf_counter()
        try:
            with db.writer() as s, s.begin():
                view = accept_file(s, data(i), actor)
                asked = time.monotonic()  # the commit is asked for as the block ends
        except Exception as exc:  # counted and reported, the counter goes on
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
        else:
            t1 = time.perf_counter()
            wait = (lock["got"] - lock["asked"]) * 1000 if "got" in lock else 0.0
            held = (t1 - lock["got"]) * 1000 if "got" in lock else 0.0
            done.append(((t1 - t0) * 1000, view.id, view.code, asked, wait, held))
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
    skipped in each agency's code sequence of today and its register book of this year;
    accepted files not found."""
    today = date.today()
    book = str(today.year)
    with db.reader.begin() as s:
        dup_codes = s.execute(
            select(FileRecord.code).group_by(FileRecord.code).having(func.count() > 1)
        ).all()
        dup_numbers = s.execute(
            select(FileRecord.agency, FileRecord.register_book, FileRecord.register_seq)
            .group_by(FileRecord.agency, FileRecord.register_book, FileRecord.register_seq)
            .having(func.count() > 1)
        ).all()
        missing = 0
        for agency, identifier in s.execute(select(DeskSettings.id, DeskSettings.agency_id)):
            prefix = f"{identifier}-{today:%y%m%d}-"
            day_codes = s.scalars(
                select(FileRecord.code).where(FileRecord.code.like(f"{prefix}%"))
            ).all()
            day_seqs = [int(c.removeprefix(prefix)) for c in day_codes]
            book_seqs = s.scalars(
                select(FileRecord.register_seq).where(
                    FileRecord.agency == agency, FileRecord.register_book == book
                )
            ).all()
            counters = dict(
                s.execute(
                    text("SELECT name, value FROM counters WHERE name IN (:day, :book)"),
                    {
                        "day": f"file:{identifier}:{today:%y%m%d}",
                        "book": agency_counter(agency, f"register:{book}"),
                    },
                ).all()
            )
            missing += max(day_seqs, default=0) - len(set(day_seqs))
            missing += max(book_seqs, default=0) - len(set(book_seqs))
            # The counters stand at the last number given, not beyond.
            missing += abs(counters.get(f"file:{identifier}:{today:%y%m%d}", 0) - len(day_seqs))
            missing += abs(
                counters.get(agency_counter(agency, f"register:{book}"), 0) - len(book_seqs)
            )
        stored = int(
            s.scalar(select(func.count()).select_from(FileRecord).where(FileRecord.id.in_(ids)))
            or 0
        )
        stored_codes = set(s.scalars(select(FileRecord.code).where(FileRecord.id.in_(ids))))
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


def counters_figures(
    db: Database, counters: int, agencies: int, seconds: float, pause: float
) -> None:
    mp = multiprocessing.get_context("spawn")
    ready, out, go = mp.Queue(), mp.Queue(), mp.Event()
    procs = [
        mp.Process(
            target=_counter,
            args=(db.url, i, i % agencies + 1, seconds, pause, ready, go, out),
        )
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
    print(f"{counters} counters of {agencies} agencies, {seconds:g} s, {mode}:", flush=True)
    if not done:
        line("accepted", f"0 ({errors} failed: {first_error})")
        return
    latencies = [d[0] for d in done]
    line("accept p50", f"{pct(latencies, 0.5):.1f} ms")
    line("accept p95", f"{pct(latencies, 0.95):.1f} ms")
    line("accepted", f"{len(done)} ({len(done) / wall:.0f} /s)")
    if errors:
        line("accepts failed", f"{errors}   first: {first_error}")
    waits, holds = [d[4] for d in done], [d[5] for d in done]
    line("writers' lock wait p50 / p95", f"{pct(waits, 0.5):.1f} / {pct(waits, 0.95):.1f} ms")
    line("lock held to commit p50 / p95", f"{pct(holds, 0.5):.1f} / {pct(holds, 0.95):.1f} ms")
    seen = [listener.latency_ms(file_id, asked) for _, file_id, _, asked, _, _ in done]
    heard = [ms for ms in seen if ms is not None]
    if heard:
        line("change seen p50", f"{pct(heard, 0.5):.0f} ms")
        line("change seen p95", f"{pct(heard, 0.95):.0f} ms")
    line("changes not heard", f"{len(seen) - len(heard)}")
    duplicates, missing, not_stored = check_numbers(db, [d[1] for d in done], [d[2] for d in done])
    line("codes/numbers twice", f"{duplicates}")
    line("codes/numbers missing", f"{missing + not_stored}")


# --- the whole ----------------------------------------------------------------------------------


def _build(db: Database, args: argparse.Namespace) -> None:
    files = args.centre_files
    years = args.centre_years or max(2.0, files / 500_000)
    print(
        f"building the register: {files} files, {args.centre_agencies} agencies, "
        f"receipts over {years:g} years",
        flush=True,
    )
    built = build_register(
        db, files, agencies=args.centre_agencies, years=years, now=datetime.now()
    )
    rows = ", ".join(f"{int(v)} {k}" for k, v in built.items() if k.endswith(" rows"))
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in built.items() if not k.endswith(" rows"))
    print(f"register built on the server: {rows}; {steps}", flush=True)


def _measure(db: Database, args: argparse.Namespace, where: str) -> None:
    with db.reader.begin() as s:
        version = s.scalar(text("SHOW server_version"))
        fsync = s.scalar(text("SHOW fsync"))
        sync_commit = s.scalar(text("SHOW synchronous_commit"))
    print(
        f"server: PostgreSQL {version}, {where} (fsync {fsync}, synchronous_commit "
        f"{sync_commit}); {os.cpu_count()} CPUs shared by server, counters and listener "
        f"(load average {os.getloadavg()[0]:.1f} as it starts)"
    )
    if not args.reuse:
        _build(db, args)
    with db.reader.begin() as s:
        per_agency = s.execute(
            text("SELECT agency, count(*) FROM files GROUP BY agency ORDER BY agency")
        ).all()
    print("files per agency: " + ", ".join(f"{a}: {n}" for a, n in per_agency), flush=True)
    if args.only in ("all", "reads"):
        query_figures(db)
    if args.only in ("all", "counters"):
        one_counter(db)
        agencies = len(per_agency)
        counters_figures(db, args.centre_counters, agencies, args.centre_seconds, 0.0)
        if args.centre_pause > 0:
            counters_figures(
                db, args.centre_counters, agencies, args.centre_seconds, args.centre_pause
            )
    print(f"(load average at the end {os.getloadavg()[0]:.1f})", flush=True)


def centre_figures(args: argparse.Namespace) -> None:
    """Print the centre figures, or one line saying why they are skipped."""
    from tests.pg_server import NoServerError, PgServer, start_server

    print("— centre (PostgreSQL) —", flush=True)
    if args.reuse:
        # A register built and kept by an earlier run: measured as it is, never dropped (the
        # counters' figures add files to it).
        db = open_database(args.reuse)
        try:
            _measure(db, args, "the register of an earlier run")
        finally:
            db.dispose()
        return
    if args.pg_url:
        server = PgServer(admin_url=args.pg_url)
    else:
        try:
            server = start_server()
        except NoServerError as exc:
            print(f"centre figures skipped: {exc}")
            return
    url = None
    try:
        if server.folder is not None:
            _durable(server)
        url = server.new_database(prefix="bench")
        db = open_database(url)
        try:
            where = "a throwaway server on this machine" if server.folder else "the given server"
            _measure(db, args, where)
        finally:
            db.dispose()
    finally:
        if args.keep and url is not None:
            print(f"kept: --reuse '{url}'", flush=True)
            if server.folder is not None:
                print(f"(the throwaway server in {server.folder} is left running)", flush=True)
        else:
            if url is not None:
                server.drop_database(url)
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_options(parser)
    centre_figures(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
