"""Accepting a file stays a short transaction: its statements counted, the part under the
writers' lock too (centre mode queues every counter on that lock; README "Centre")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event

from desk_app.errors import FieldsError
from desk_app.services import desk, intake, lookup, records
from desk_app.services.context import Actor
from desk_app.services.views import FileView
from desk_app.store.engine import Database

# What one accept of a new applicant may send, at most, the writers' lock included (it sent 23
# before the lock was put off and the file stopped being read back): procedure, settings,
# calendar, document set, officer's name; then the lock, settings and calendar again (unchanged
# since?), applicant look-up and insert, the two counters in one, the file, its due history row,
# event and audit entry. A new statement needs a reason: raise these knowingly.
MOST_STATEMENTS = 15
MOST_UNDER_LOCK = 10
RECEIVED = datetime(2026, 3, 2, 9, 15)


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """The SQL text of every statement sent meanwhile but SQLite's BEGIN (PostgreSQL's goes
    without a statement; neither's COMMIT is one)."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("BEGIN"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _data(name: str = "Đặng Thị Ánh", id_number: str = "020185001234") -> intake.IntakeInput:
    return intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name=name, id_number=id_number, phone="0912345678"),
        received_at=RECEIVED,
    )


def _accept(db: Database, officer: Actor, data: intake.IntakeInput) -> tuple[FileView, list[str]]:
    with _statements(db) as sent, db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=RECEIVED)
    return view, sent


def _under_lock(sent: list[str]) -> list[str]:
    """The statements from PostgreSQL's writers' lock on, the lock first."""
    taken = [i for i, sql in enumerate(sent) if "pg_advisory_xact_lock" in sql]
    assert len(taken) == 1, sent
    return sent[taken[0] :]


def test_one_accept_sends_a_bounded_number_of_statements(db: Database, officer: Actor) -> None:
    _accept(db, officer, _data("Hoàng Văn Bình", "020185001235"))  # the document set exists
    view, sent = _accept(db, officer, _data())

    assert view.code.endswith("-260302-0002") and view.register_seq == 2
    assert len(sent) <= MOST_STATEMENTS, "\n".join(sent)
    if not db.is_server:  # SQLite's writer holds its lock from BEGIN IMMEDIATE: all of them
        return
    under = _under_lock(sent)
    assert len(under) <= MOST_UNDER_LOCK, "\n".join(under)
    # Under the lock nothing is read that could be read before it, but the applicant (two
    # counters must not both make the same new applicant) and the check of what was read.
    reads = [sql for sql in under[1:] if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 3, "\n".join(reads)


def test_the_view_made_without_reading_back_is_the_stored_file(
    db: Database, officer: Actor
) -> None:
    view, _ = _accept(db, officer, _data())
    with db.reader.begin() as s:
        stored = records.file_view(s, records.get_file(s, view.code))

    assert view == stored
    assert view.due is not None and view.due == view.original_due
    assert [e.action for e in view.events] == ["accept"]


def test_a_refused_form_never_waits_for_the_writers_lock(db: Database, officer: Actor) -> None:
    data = _data(name="")
    with _statements(db) as sent, pytest.raises(FieldsError), db.writer.begin() as s:
        intake.accept_file(s, data, officer, now=RECEIVED)

    assert not any("pg_advisory_xact_lock" in sql for sql in sent)
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE")) for sql in sent)


def test_a_calendar_changed_before_the_lock_is_taken_gives_the_due(
    db: Database, officer: Actor, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Centre mode: the form is checked before the writers' lock; a day made off by another
    computer meanwhile is seen under the lock and the due computed again with it."""
    if not db.is_server:
        pytest.skip("SQLite's writer holds its lock from BEGIN: nothing can come in between")
    with db.reader.begin() as s:
        before = lookup.preview_due(s, "1.001029", RECEIVED)
    take = intake.take_writer_lock

    def meanwhile(session: Any) -> None:
        with db.writer.begin() as other:
            desk.set_calendar_day(other, date(2026, 3, 3), False, "Nghỉ bù", admin, now=RECEIVED)
        take(session)

    monkeypatch.setattr(intake, "take_writer_lock", meanwhile)
    view, _ = _accept(db, officer, _data())
    with db.reader.begin() as s:
        after = lookup.preview_due(s, "1.001029", RECEIVED)

    assert before is not None and after is not None and after > before
    assert view.due == after
