"""Crash and concurrent-writer probes on a real database file, shared by the test and the runner.

`kill_probe` kills a writer (tests/e2e/probe_writer.py) with SIGKILL at random moments and checks
the register after each kill; `writers_probe` lets several writers accept files at the same
moment. Both read the database with Python's own sqlite3, not through the program's code, as
the next start of the program would find it. `tests/e2e/test_crash_probe.py` runs them small in
`make test`; `python -m tests.probes` (`make probe`) runs them large and prints the figures.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from desk_app.clock import PIN_VARIABLE
from desk_app.store.engine import open_database
from desk_app.store.migrate import upgrade
from tests.desk_setup import OFFICER, fill_desk

WRITER = Path(__file__).with_name("probe_writer.py")
# The moment the concurrent writers accept their files at (through DESK_TEST_NOW).
PINNED_NOW = "2026-03-02T10:00"
REFUSED, SUPPLEMENT, SETTLED, RETURNED = 3, 5, 9, 10
RECEIPTS = ("accept", "refuse")  # the first event of every file, and only of it


def make_desk(path: Path) -> None:
    """A new desk database at `path`: identity, bundled catalogue, the officer `canbo`."""
    upgrade(path)
    db = open_database(path, migrate=False)
    try:
        with db.writer.begin() as s:
            fill_desk(s, staff=[OFFICER])
    finally:
        db.dispose()


class _Lines:
    """A child's stdout read line by line on a thread; `started` is set at its `wait_for`th
    line (or at its end)."""

    def __init__(self, proc: subprocess.Popen[str], wait_for: int = 1) -> None:
        self.lines: list[str] = []
        self.started = threading.Event()
        self._wait_for = wait_for
        self._proc = proc
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never reported
                self.lines.append(line.strip())
                if len(self.lines) >= self._wait_for:
                    self.started.set()
        self.started.set()

    def join(self) -> list[str]:
        self._thread.join(timeout=30)
        return self.lines


def _writer(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# --- kill -9 during writes ---------------------------------------------------------------------


@dataclass
class KillFigures:
    kills: int = 0  # SIGKILLs that hit the writer while it was writing
    steps_reported: int = 0  # steps the writer reported committed, all runs together
    steps_by_kind: Counter[str] = field(default_factory=Counter)
    files: int = 0  # files in the register after the last kill
    events: int = 0  # their timeline events
    checks: int = 0  # checks of the whole register (one after each kill)
    problems: list[str] = field(default_factory=list)


def kill_probe(
    path: Path,
    kills: int,
    *,
    seed: int = 17,
    max_delay: float = 0.3,
    warm_up: int = 1,
    progress: Callable[[int, KillFigures], None] | None = None,
) -> KillFigures:
    """Start the writer `kills` times and SIGKILL it at a random moment while it writes (up to
    `max_delay` seconds after its `warm_up`th committed step); check the whole register after
    each kill. Problems are collected, not raised."""
    rng = random.Random(seed)
    figures = KillFigures()
    reported: set[tuple[str, str]] = set()
    for run in range(kills):
        with _writer("life", str(path), str(run), str(seed)) as proc:  # closes the pipes
            lines = _Lines(proc, warm_up)
            if not lines.started.wait(timeout=60):
                figures.problems.append(f"run {run}: not {warm_up} steps within 60 s")
            time.sleep(rng.uniform(0, max_delay))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                figures.kills += 1
            proc.wait(timeout=30)
            done = lines.join()
            assert proc.stderr is not None
            err = proc.stderr.read()
        if proc.returncode != -signal.SIGKILL:
            figures.problems.append(f"run {run}: writer ended by itself ({proc.returncode}): {err}")
        for line in done:
            code, _, step = line.partition(" ")
            reported.add((code, step))
            figures.steps_by_kind[step] += 1
        figures.steps_reported += len(done)
        problems, files, events = check_register(path, reported)
        figures.checks += 1
        figures.files, figures.events = files, events
        figures.problems += [f"after kill {run + 1}: {p}" for p in problems]
        if progress is not None:
            progress(run + 1, figures)
    return figures


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return list(conn.execute(sql))


def check_register(path: Path, reported: set[tuple[str, str]]) -> tuple[list[str], int, int]:
    """(problems, files, events): the database is sound and every reported step is in it."""
    problems: list[str] = []
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        conn.execute("PRAGMA query_only = ON")
        integrity = _rows(conn, "PRAGMA integrity_check")
        if integrity != [("ok",)]:
            return [f"integrity_check: {integrity[:5]}"], 0, 0
        if fk := _rows(conn, "PRAGMA foreign_key_check"):
            problems.append(f"foreign_key_check: {fk[:5]}")
        files = {
            int(str(r[0])): r[1:]
            for r in _rows(
                conn,
                "SELECT id, code, status, result_by, document_set_id, register_book, "
                "register_seq, settled_at, closed_at, due_at, original_due_at FROM files",
            )
        }
        events: dict[int, list[tuple[object, ...]]] = {i: [] for i in files}
        for r in _rows(
            conn, "SELECT file_id, action, from_status, to_status FROM events ORDER BY id"
        ):
            events[int(str(r[0]))].append(r[1:])
        due: dict[int, list[object]] = {i: [] for i in files}
        for r in _rows(conn, "SELECT file_id, reason FROM due_history ORDER BY id"):
            due[int(str(r[0]))].append(r[1])
        document_sets = {r[0] for r in _rows(conn, "SELECT id FROM document_sets")}
        pauses = Counter(r[0] for r in _rows(conn, "SELECT file_id FROM pauses"))
        open_pauses = Counter(
            r[0] for r in _rows(conn, "SELECT file_id FROM pauses WHERE end_at IS NULL")
        )
        posted = {
            r[0]: r[1]
            for r in _rows(conn, "SELECT file_id, state FROM postal_items WHERE direction='out'")
        }
        audited = Counter(
            (r[0], r[1])
            for r in _rows(conn, "SELECT entity_id, action FROM audit_log WHERE entity = 'file'")
        )
        counters = {r[0]: r[1] for r in _rows(conn, "SELECT name, value FROM counters")}
    by_code: dict[str, int] = {}
    for file_id, row in files.items():
        code, status, result_by, doc_set, book, seq, settled, closed, due_at, original = row
        by_code[str(code)] = file_id
        where = f"{code}:"
        timeline = events[file_id]
        actions = Counter(str(e[0]) for e in timeline)
        receipt = str(timeline[0][0]) if timeline else None
        if receipt not in RECEIPTS or sum(actions[a] for a in RECEIPTS) != 1:
            problems.append(f"{where} no single receipt event first: {timeline[:2]}")
            continue
        if repeated := [a for a, n in actions.items() if n > 1]:
            problems.append(f"{where} steps done twice: {repeated}")
        accepted = receipt == "accept"  # a file refused at the desk has no due
        if accepted and (due[file_id][:1] != ["accept"] or due_at is None or original is None):
            problems.append(f"{where} no due set at acceptance: {due[file_id]}, {due_at}")
        if not accepted and due[file_id]:
            problems.append(f"{where} refused, with a due history {due[file_id]}")
        if doc_set not in document_sets:
            problems.append(f"{where} no document set ({doc_set})")
        if book is None or seq is None:
            problems.append(f"{where} no register number")
        moves = [e for e in timeline if e[2] is not None]  # (action, from, to) of status moves
        for before, after in pairwise(moves):
            if after[1] != before[2]:
                problems.append(f"{where} {after[0]} from {after[1]}, was {before[2]}")
        if status != moves[-1][2]:
            problems.append(f"{where} status {status}, its last move says {moves[-1][2]}")
        if (settled is not None) != (status in (SETTLED, RETURNED)):
            problems.append(f"{where} status {status} with settled_at {settled}")
        if (closed is not None) != (status in (REFUSED, RETURNED)):
            problems.append(f"{where} status {status} with closed_at {closed}")
        if (asked := actions["request_supplement"]) != pauses[file_id]:
            problems.append(f"{where} {pauses[file_id]} pauses, {asked} requests")
        if open_pauses[file_id] != (1 if status == SUPPLEMENT else 0):
            problems.append(f"{where} status {status} with {open_pauses[file_id]} open pauses")
        if (file_id in posted) != bool(actions["postal_handover"]):
            problems.append(f"{where} handover event and postal item disagree")
        if actions["postal_delivered"] and posted.get(file_id) != "delivered":
            problems.append(f"{where} delivered but the item is {posted.get(file_id)}")
        for action, n in actions.items():
            if audited[(code, action)] != n:
                problems.append(f"{where} {n} {action} events, {audited[(code, action)]} audited")
        if result_by not in ("counter", "post"):
            problems.append(f"{where} result_by {result_by}")
    problems += _check_numbers(files, counters)
    for code, step in sorted(reported):
        if code not in by_code:
            problems.append(f"{code}: reported committed, not in the register")
        elif not any(e[0] == step for e in events[by_code[code]]):
            problems.append(f"{code}: step {step} reported committed, not on the timeline")
    return problems, len(files), sum(len(t) for t in events.values())


def _check_numbers(
    files: dict[int, tuple[object, ...]], counters: dict[object, object]
) -> list[str]:
    """Codes gapless per day and register numbers gapless per book, each matching its counter."""
    problems: list[str] = []
    days: dict[str, list[int]] = {}
    books: dict[str, list[int]] = {}
    for row in files.values():
        agency_day, _, seq = str(row[0]).rpartition("-")
        days.setdefault(agency_day, []).append(int(seq))
        books.setdefault(str(row[4]), []).append(int(str(row[5])))
    for kind, groups, counter in (("code", days, "file:{}"), ("register", books, "register:{}")):
        for key, seqs in groups.items():
            name = counter.format(key.replace("-", ":"))
            if sorted(seqs) != list(range(1, len(seqs) + 1)):
                dupes = [n for n, c in Counter(seqs).items() if c > 1]
                problems.append(f"{kind} numbers of {key} not 1..{len(seqs)}: duplicates {dupes}")
            if counters.get(name) != len(seqs):
                problems.append(f"counter {name} is {counters.get(name)}, {len(seqs)} numbers")
    return problems


# --- writers at the same moment ----------------------------------------------------------------


@dataclass
class WriterFigures:
    writers: int
    files_each: int
    saved: int = 0  # files the writers reported committed
    in_register: int = 0
    duplicate_codes: int = 0
    duplicate_register_numbers: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # a busy database, a crash, anything
    problems: list[str] = field(default_factory=list)


def writers_probe(path: Path, writers: int, files_each: int) -> WriterFigures:
    """`writers` processes accept `files_each` files each, all starting at one signal, at the
    same pinned moment (so every one of them draws from the same day's counter)."""
    figures = WriterFigures(writers, files_each)
    env = {**os.environ, PIN_VARIABLE: PINNED_NOW}
    procs = [_writer("accept", str(path), str(w), str(files_each), env=env) for w in range(writers)]
    for proc in procs:  # each has opened the database and built its calendar
        assert proc.stdout is not None
        ready = proc.stdout.readline().strip()
        if ready != "ready":
            figures.errors.append(f"a writer did not start: {ready} {proc.communicate()[1]}")
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    saved: list[tuple[str, str, int, str]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        for line in out.splitlines():
            kind, *rest = line.split(" ")
            if kind == "ok":
                saved.append((rest[0], rest[1], int(rest[2]), rest[3]))
            else:
                figures.errors.append(line)
        if proc.returncode != 0:
            figures.errors.append(f"writer exit {proc.returncode}: {err.strip()[-500:]}")
    figures.seconds = time.perf_counter() - started
    figures.saved = len(saved)
    figures.duplicate_codes = len(saved) - len({c for c, _, _, _ in saved})
    figures.duplicate_register_numbers = len(saved) - len({(b, n) for _, b, n, _ in saved})
    reported = {(code, action) for code, _, _, action in saved}
    problems, figures.in_register, _ = check_register(path, reported)
    figures.problems = problems
    if figures.in_register != writers * files_each:
        figures.problems.append(f"{figures.in_register} files, {writers * files_each} expected")
    return figures
