"""Two officers' PCs saving at the same moment: separate processes on one database (an SQLite
file, or a centre's PostgreSQL server)."""

from __future__ import annotations

import multiprocessing
import queue
import time
from datetime import datetime
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app.services import intake
from desk_app.services.context import Actor, load_context
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord

PROCESSES = 3
FILES_EACH = 20


def _accept_many(
    target: str, actor: Actor, worker: int, start: Barrier, results: multiprocessing.Queue[object]
) -> None:
    """One desk PC: open the database itself, then save FILES_EACH files as fast as it can.

    Every save starts on the shared barrier, so each round is a real collision: all the
    processes ask for the write lock and the next number at the same moment.
    """
    db = open_database(target)
    codes: list[tuple[str, int]] = []
    try:
        with db.reader.begin() as s:
            load_context(s)  # build the working calendar now, not inside the first save
        for i in range(FILES_EACH):
            start.wait(timeout=60)
            data = intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name=f"Người nộp {worker} {i}"),
                received_at=datetime(2026, 3, 2, 9, 0),
            )
            with db.writer.begin() as s:
                view = intake.accept_file(s, data, actor, now=datetime(2026, 3, 2, 9, 0))
            codes.append((view.code, view.register_seq))
        results.put(codes)
    except Exception as exc:
        results.put(repr(exc))
        raise
    finally:
        db.dispose()


def _collect(
    workers: list[BaseProcess], results: multiprocessing.Queue[object], deadline: float
) -> list[object]:
    """One report per worker; stops early when every worker has exited (e.g. a crash)."""
    reported: list[object] = []
    while len(reported) < len(workers) and time.monotonic() < deadline:
        try:
            reported.append(results.get(timeout=0.5))
        except queue.Empty:
            if not any(w.is_alive() for w in workers) and results.empty():
                break
    return reported


def test_parallel_processes_never_share_a_code_or_a_register_number(
    db: Database, officer: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A spawned process re-imports this module by its name: make the folder that name starts
    # from importable however pytest was launched (a spawned child copies the parent's sys.path).
    depth = len(_accept_many.__module__.split("."))
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[depth - 1]))
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(PROCESSES)
    results: multiprocessing.Queue[object] = ctx.Queue()
    target = str(db.path) if db.path is not None else db.url  # what a PC is told
    workers = [
        ctx.Process(target=_accept_many, args=(target, officer, n, start, results))
        for n in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    reported = _collect(workers, results, time.monotonic() + 120)
    for w in workers:
        w.join(timeout=30)

    assert [w.exitcode for w in workers] == [0] * PROCESSES, reported
    total = PROCESSES * FILES_EACH
    returned = [pair for batch in reported if isinstance(batch, list) for pair in batch]
    assert len(returned) == total
    with db.reader.begin() as s:
        stored = [(r.code, r.register_seq) for r in s.scalars(select(FileRecord))]
    assert len(stored) == total
    assert sorted(stored) == sorted(returned)
    assert sorted(code for code, _ in stored) == [
        f"000.00.20.H37-260302-{n:04d}" for n in range(1, total + 1)
    ]
    assert sorted(seq for _, seq in stored) == list(range(1, total + 1))
    # The saves of round i all happened between two barriers, so they took the numbers
    # 3i+1 .. 3i+3 between them: proof that the processes really overlapped.
    batches = [batch for batch in reported if isinstance(batch, list)]
    for i in range(FILES_EACH):
        assert {batch[i][1] for batch in batches} == set(
            range(PROCESSES * i + 1, PROCESSES * (i + 1) + 1)
        )
