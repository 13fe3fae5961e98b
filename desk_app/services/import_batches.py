"""Long imports in short write transactions, all or nothing for the user.

`files import` used to accept every row in one transaction: a 4,000-row import held SQLite's
write lock for about a minute and every save at the counter failed meanwhile. Now the rows go
in chunks of CHUNK_ROWS, each its own short transaction, so the counter writes between them.
The chunks belong to an import batch (`import_batches`, one link row per file); the last chunk
commits the batch. A bad row, an exception or Ctrl+C rolls the batch back: its files and
everything attached to them are removed, again in short transactions. A process killed in the
middle leaves its batch "running"; the next import, or the next start of the window, rolls it
back. Whether the importing process is still alive is answered by a lock file that the system
releases when the process dies, never by guessing from a process id or a time stamp.

What a rollback does not undo, on purpose: file codes and register numbers already taken stay
taken (codes are never reused, DOMAIN §5; a counter may have moved on at the desk meanwhile),
so the day's codes and the register show a gap, which the audit entry `import_rollback`
explains with the first and last code removed. The audit log keeps the accept entries too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Table, delete, exists, select, update
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.errors import DeskError
from desk_app.services.bulk import ImportRow, import_files
from desk_app.services.context import Actor, audit
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import (
    Applicant,
    Base,
    FileRecord,
    ImportBatch,
    ImportBatchFile,
)
from desk_app.store.runlock import HeldLock, database_lock

# Rows per write transaction: about a second of work on a large register, so a counter save
# waits at most that long (the busy timeout is 15 s).
CHUNK_ROWS = 100
# Files removed per write transaction when a batch is rolled back.
ROLLBACK_CHUNK = 200
# The pause after each chunk. A writer kept waiting by SQLite's busy handler looks again at
# most every 100 ms; without a pause longer than that, the import would take the lock back
# before the counter's save noticed it was free, and the save would still wait out the import.
YIELD_SECONDS = 0.15

RUNNING, COMMITTED = "running", "committed"
ROLLING_BACK, ROLLED_BACK = "rolling_back", "rolled_back"


class ImportRunningError(DeskError):
    """Another import is writing to this database right now."""

    code = "import_running"


@dataclass(frozen=True)
class Progress:
    """After each committed chunk: rows written so far out of the total."""

    batch_id: int
    done: int
    total: int


@dataclass(frozen=True)
class RolledBack:
    """An unfinished batch removed: its id, where it came from, how many files it had written."""

    batch_id: int
    source: str
    files: int


def import_lock(db: Database) -> HeldLock:
    """The lock an importing process holds: a lock file beside an SQLite database, an advisory
    lock on a centre's server (so a counter never rolls back another counter's running import)."""
    return database_lock(db.engine, db.path, "import")


def run_import(
    db: Database,
    rows: Sequence[ImportRow],
    actor: Actor,
    *,
    source: str,
    where: str = "Dòng",
    now: datetime | None = None,
    chunk_rows: int = CHUNK_ROWS,
    pause: float = YIELD_SECONDS,
    progress: Callable[[Progress], None] | None = None,
    agency: int | None = None,
) -> list[FileView]:
    """Accept `rows` as one batch in chunks of `chunk_rows`; all of them or none stay.

    Each file is created in its row's agency (`bulk.row_agency`; `agency`: for rows that name
    none, else the agency whose catalogue has the row's procedure).

    Raises ImportRunningError when another process is importing into the same database, and
    whatever a row raised (ImportRowError names it) after the batch has been rolled back.
    """
    now = now or clock.now()
    lock = import_lock(db)
    if not lock.acquire():
        raise ImportRunningError(
            "Đang có một lần nhập hồ sơ khác ghi vào cơ sở dữ liệu này; "
            "hãy chờ lần đó xong rồi nhập lại."
        )
    with lock:
        _roll_back_unfinished(db, actor, now)
        with db.writer.begin() as s:
            batch = ImportBatch(
                source=source[:300],
                state=RUNNING,
                rows_total=len(rows),
                rows_done=0,
                user_id=actor.user_id,
                started_at=now,
            )
            s.add(batch)
            s.flush()
            batch_id = batch.id
            if not rows:
                batch.state, batch.finished_at = COMMITTED, now
        accepted: list[FileView] = []
        try:
            for start in range(0, len(rows), max(chunk_rows, 1)):
                chunk = rows[start : start + max(chunk_rows, 1)]
                done = start + len(chunk)
                with db.writer.begin() as s:
                    views = import_files(s, list(chunk), actor, where=where, now=now, agency=agency)
                    s.add_all(ImportBatchFile(file_id=v.id, batch_id=batch_id) for v in views)
                    values: dict[str, object] = {"rows_done": done}
                    if done == len(rows):
                        # The last chunk and the batch's commit are one transaction: a kill
                        # just before it leaves a running batch, never a committed half.
                        values.update(state=COMMITTED, finished_at=now)
                        audit(
                            s,
                            actor,
                            "import",
                            "import",
                            str(batch_id),
                            {"source": source, "files": len(rows)},
                            at=now,
                        )
                    s.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(values))
                accepted.extend(views)
                if progress is not None:
                    progress(Progress(batch_id, done, len(rows)))
                if done < len(rows):
                    time.sleep(pause)
        except BaseException as exc:
            # A bad row, a bug, Ctrl+C: nothing of this batch may stay.
            reason = getattr(exc, "message", None) or type(exc).__name__
            roll_back_batch(db, batch_id, actor, now, reason=str(reason))
            raise
        return accepted


def _file_children() -> list[tuple[Table, Column[int]]]:
    """Every table with a foreign key to files (except the batch links), children first.

    Found from the models, so a table added later (e.g. a file's due history) is covered.
    """
    files = FileRecord.__table__
    links = ImportBatchFile.__table__
    found: list[tuple[Table, Column[int]]] = []
    for table in reversed(Base.metadata.sorted_tables):
        if table is links:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is files:
                found.append((table, fk.parent))
    return found


def _remove_chunk(session: Session, batch_id: int) -> list[str]:
    """Remove up to ROLLBACK_CHUNK files of the batch with what hangs on them; their codes."""
    ids = list(
        session.scalars(
            select(ImportBatchFile.file_id)
            .where(ImportBatchFile.batch_id == batch_id)
            .order_by(ImportBatchFile.file_id)
            .limit(ROLLBACK_CHUNK)
        )
    )
    if not ids:
        return []
    codes = list(
        session.scalars(
            select(FileRecord.code).where(FileRecord.id.in_(ids)).order_by(FileRecord.id)
        )
    )
    owners = set(session.scalars(select(FileRecord.applicant_id).where(FileRecord.id.in_(ids))))
    # Children first (the events trigger lets these through while the batch is rolling back),
    # then the links, then the files.
    for table, column in _file_children():
        session.execute(delete(table).where(column.in_(ids)))
    session.execute(delete(ImportBatchFile).where(ImportBatchFile.file_id.in_(ids)))
    session.execute(delete(FileRecord).where(FileRecord.id.in_(ids)))
    # Applicants the batch created and no other file uses.
    session.execute(
        delete(Applicant).where(
            Applicant.id.in_(owners),
            ~exists().where(FileRecord.applicant_id == Applicant.id),
        )
    )
    return codes


def roll_back_batch(
    db: Database, batch_id: int, actor: Actor, now: datetime, *, reason: str
) -> int:
    """Remove every file the batch wrote, in short transactions; returns how many.

    Safe to run again after an interruption: it goes on from where it stopped.
    """
    with db.writer.begin() as s:
        s.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.state.in_([RUNNING, ROLLING_BACK]))
            .values(state=ROLLING_BACK, error=reason)
        )
    removed: list[str] = []
    while True:
        with db.writer.begin() as s:
            codes = _remove_chunk(s, batch_id)
        if not codes:
            break
        removed.extend(codes)
        time.sleep(YIELD_SECONDS)
    with db.writer.begin() as s:
        s.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch_id)
            .values(state=ROLLED_BACK, finished_at=now)
        )
        detail: dict[str, object] = {"reason": reason, "files": len(removed)}
        if removed:
            detail.update(first_code=removed[0], last_code=removed[-1])
        audit(s, actor, "import_rollback", "import", str(batch_id), detail, at=now)
    return len(removed)


def _roll_back_unfinished(db: Database, actor: Actor, now: datetime) -> list[RolledBack]:
    """Roll back every unfinished batch; the caller holds the import lock."""
    with db.reader.begin() as s:
        batches = [
            (b.id, b.source)
            for b in s.scalars(
                select(ImportBatch).where(ImportBatch.state.in_([RUNNING, ROLLING_BACK]))
            )
        ]
    done: list[RolledBack] = []
    for batch_id, source in batches:
        reason = "Lần nhập bị dừng giữa chừng (chương trình bị tắt); đã hủy toàn bộ lần nhập."
        count = roll_back_batch(db, batch_id, actor, now, reason=reason)
        done.append(RolledBack(batch_id, source, count))
    return done


def recover_imports(db: Database, actor: Actor, *, now: datetime | None = None) -> list[RolledBack]:
    """Roll back the batches of imports that died (killed, power cut); [] when there are none.

    A batch whose import is still running in another process is left alone: that process
    holds the lock file.
    """
    with db.reader.begin() as s:
        pending = s.scalar(select(exists().where(ImportBatch.state.in_([RUNNING, ROLLING_BACK]))))
    if not pending:
        return []
    lock = import_lock(db)
    if not lock.acquire():
        return []
    with lock:
        return _roll_back_unfinished(db, actor, now or clock.now())
