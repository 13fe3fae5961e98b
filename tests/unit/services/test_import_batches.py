"""Long imports: short write transactions, all or nothing, a killed import undone, the counter
keeps saving meanwhile (real SQLite files or a real PostgreSQL server, and real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DatabaseError

from desk_app.services import intake
from desk_app.services.bulk import ImportRowError, parse_import
from desk_app.services.context import COMMAND_LINE, Actor, load_context
from desk_app.services.import_batches import (
    ImportRunningError,
    Progress,
    import_lock,
    recover_imports,
    run_import,
)
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry, ImportBatch, ImportBatchFile

NOW = datetime(2026, 3, 3, 17, 0)
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FIRST = datetime(2026, 2, 2, 8, 0)


def _csv(tmp_path: Path, count: int, *, bad_at: int | None = None) -> Path:
    """`count` rows received every 30 minutes from 2 Feb 2026; data row `bad_at` has a bad phone."""
    lines = ["received,procedure,applicant_name,phone"]
    for i in range(1, count + 1):
        phone = "12345" if i == bad_at else f"09123{i:05d}"
        moment = FIRST + timedelta(minutes=30 * i)
        lines.append(f"{moment:%Y-%m-%dT%H:%M},1.001029,Người nộp {i},{phone}")
    path = tmp_path / f"so-giay-{count}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def _write_locks(db: Database) -> Iterator[list[float]]:
    """Durations (seconds) of every write transaction on `db` meanwhile (BEGIN IMMEDIATE on
    SQLite, the writers' advisory lock on PostgreSQL)."""
    holds: list[float] = []
    started: dict[int, float] = {}

    def on_begin(conn: object) -> None:
        options = conn.get_execution_options()  # type: ignore[attr-defined]
        if options.get("sqlite_begin") == "IMMEDIATE" or options.get("pg_writer_lock"):
            started[id(conn)] = time.perf_counter()

    def on_end(conn: object) -> None:
        t = started.pop(id(conn), None)
        if t is not None:
            holds.append(time.perf_counter() - t)

    event.listen(db.engine, "begin", on_begin)
    event.listen(db.engine, "commit", on_end)
    event.listen(db.engine, "rollback", on_end)
    try:
        yield holds
    finally:
        event.remove(db.engine, "begin", on_begin)
        event.remove(db.engine, "commit", on_end)
        event.remove(db.engine, "rollback", on_end)


def _batches(db: Database) -> list[tuple[str, int, int]]:
    with db.reader.begin() as s:
        return [
            (b.state, b.rows_done, b.rows_total)
            for b in s.scalars(select(ImportBatch).order_by(ImportBatch.id))
        ]


def _counts(db: Database) -> dict[str, int]:
    with db.reader.begin() as s:
        return {
            t: int(s.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
            for t in ("files", "events", "applicants", "postal_items", "import_batch_files")
        }


def _target(db: Database) -> str:
    """What another process is handed to open `db`: the SQLite file's path or the server URL."""
    return str(db.path) if db.path is not None else db.url


def _start_import(db: Database, csv: Path, chunk_rows: int) -> subprocess.Popen[str]:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, str(HERE / "import_process.py"), _target(db), str(csv), str(chunk_rows)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_long_import_holds_the_write_lock_one_chunk_at_a_time(
    db: Database, tmp_path: Path
) -> None:
    where, rows = parse_import(_csv(tmp_path, 400))
    seen: list[Progress] = []
    started = time.perf_counter()
    with _write_locks(db) as holds:
        views = run_import(
            db, rows, COMMAND_LINE, source="so-giay.csv", where=where, now=NOW,
            chunk_rows=40, progress=seen.append,
        )  # fmt: skip
    total = time.perf_counter() - started

    assert len(views) == 400
    assert [p.done for p in seen] == list(range(40, 401, 40))
    # One short transaction for the batch row, then one per chunk of 40 rows: the longest
    # lock hold is a small part of the whole import (it used to be all of it).
    assert len(holds) >= 11
    assert max(holds) < total / 4, (max(holds), total)
    assert _batches(db) == [("committed", 400, 400)]
    assert _counts(db)["import_batch_files"] == 400
    assert views[-1].register_seq == 400
    # The timeline of a committed import is as append-only as any other.
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))


def test_a_bad_row_late_in_the_file_removes_every_chunk_already_written(
    db: Database, tmp_path: Path, accept: Callable[..., intake.FileView]
) -> None:
    kept = accept(received=datetime(2026, 2, 2, 8, 0), name="Hồ sơ tại quầy")
    before = _counts(db)
    where, rows = parse_import(_csv(tmp_path, 300, bad_at=260))
    with pytest.raises(ImportRowError) as caught:
        run_import(db, rows, COMMAND_LINE, source="x.csv", where=where, now=NOW, chunk_rows=50)

    assert caught.value.row == 261  # the CSV line (its header is line 1)
    assert caught.value.message.startswith("Dòng 261: phone: ")
    assert _counts(db) == before
    assert _batches(db) == [("rolled_back", 250, 300)]
    with db.reader.begin() as s:
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "import_rollback"))
    assert entry.detail is not None and '"files": 250' in entry.detail
    assert "Dòng 261" in entry.detail
    # Register numbers and codes already taken are not given again (DOMAIN §5): a gap.
    after = accept(received=datetime(2026, 3, 2, 9, 0), name="Lò Văn Tám")
    assert (kept.register_seq, after.register_seq) == (1, 252)


def test_ctrl_c_between_chunks_rolls_the_batch_back(db: Database, tmp_path: Path) -> None:
    where, rows = parse_import(_csv(tmp_path, 120))

    def interrupt(step: Progress) -> None:
        if step.done == 80:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(
            db, rows, COMMAND_LINE, source="x.csv", where=where, now=NOW,
            chunk_rows=40, pause=0, progress=interrupt,
        )  # fmt: skip

    assert _counts(db)["files"] == 0
    assert _batches(db) == [("rolled_back", 80, 120)]


def test_a_killed_import_is_undone_at_the_next_start_and_the_next_import_goes_on(
    db: Database, tmp_path: Path, officer: Actor
) -> None:
    proc = _start_import(db, _csv(tmp_path, 400), chunk_rows=40)
    try:
        _wait_for(lambda: any(done >= 80 for _, done, _ in _batches(db)), "two chunks")
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    ((state, done, total),) = _batches(db)
    assert (state, total) == ("running", 400) and done >= 80
    assert _counts(db)["files"] == done  # half a batch, until someone starts again

    (undone,) = recover_imports(db, officer, now=NOW)  # what the window does when it starts
    assert (undone.source, undone.files) == ("so-giay-400.csv", done)
    assert _counts(db) == dict.fromkeys(_counts(db), 0)
    assert _batches(db) == [("rolled_back", done, 400)]
    assert recover_imports(db, officer, now=NOW) == []

    where, rows = parse_import(_csv(tmp_path, 3))
    views = run_import(db, rows, COMMAND_LINE, source="so-giay-3.csv", where=where, now=NOW)
    assert [v.register_seq for v in views] == [done + 1, done + 2, done + 3]
    assert _counts(db)["files"] == 3


def test_the_next_import_undoes_a_batch_its_process_left_running(
    db: Database, tmp_path: Path, accept: Callable[..., intake.FileView]
) -> None:
    # A batch that a dead process left: running, one file written, nobody holding the lock.
    orphan = accept(received=datetime(2026, 2, 2, 9, 0), name="Người nộp mồ côi")
    with db.writer.begin() as s:
        batch = ImportBatch(source="old.csv", state="running", rows_total=9, started_at=NOW)
        s.add(batch)
        s.flush()
        s.add(ImportBatchFile(file_id=orphan.id, batch_id=batch.id))
    where, rows = parse_import(_csv(tmp_path, 2))
    views = run_import(db, rows, COMMAND_LINE, source="new.csv", where=where, now=NOW)

    assert _batches(db) == [("rolled_back", 0, 9), ("committed", 2, 2)]
    with db.reader.begin() as s:
        codes = set(s.scalars(text("SELECT code FROM files")))
    assert codes == {v.code for v in views}


def test_a_second_import_is_refused_while_one_runs(db: Database, tmp_path: Path) -> None:
    where, rows = parse_import(_csv(tmp_path, 2))
    with import_lock(db) as held:
        assert held.acquire()
        with pytest.raises(ImportRunningError, match="Đang có một lần nhập"):
            run_import(db, rows, COMMAND_LINE, source="x.csv", where=where, now=NOW)
    assert _counts(db)["files"] == 0


def test_the_counter_saves_within_seconds_while_another_process_imports(
    db: Database, tmp_path: Path, officer: Actor
) -> None:
    with db.reader.begin() as s:
        load_context(s)  # the window has its calendar long before the officer saves
    proc = _start_import(db, _csv(tmp_path, 400), chunk_rows=40)
    try:
        _wait_for(lambda: any(done >= 40 for _, done, _ in _batches(db)), "the first chunk")
        # Starting the window now must not undo an import that is alive.
        assert recover_imports(db, officer, now=NOW) == []
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        )  # received now, as at the counter
        started = time.monotonic()
        with db.writer.begin() as s:
            view = intake.accept_file(s, data, officer, now=NOW)
        waited = time.monotonic() - started
        ((state, done, _),) = _batches(db)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    assert state == "running" and done < 400  # the save really happened during the import
    assert waited < 5, waited
    assert proc.returncode == 0, err
    assert out.strip() == "done 400"
    with db.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatchFile)) == 400
        assert s.scalar(text("SELECT count(*) FROM files")) == 401
    assert view.code.endswith("-260303-0001")
