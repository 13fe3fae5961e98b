"""Results digitised too (Circular 03/2025): recording the result back from the settling agency
opens the result's line, the "Chờ số hóa" queue lists the file (settled or returned) until the
result is scanned or explained, and the day summary counts the results digitised. Both engines;
the pages are real PNGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select, text

from desk_app.domain.digitising import LineKind, LineState
from desk_app.domain.documents import Channel
from desk_app.services import browse, digitise, intake, lifecycle, users
from desk_app.services.browse import ListQueue
from desk_app.services.context import COMMAND_LINE, Actor, PermissionDeniedError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord
from desk_app.sync.summary import day_summary
from tests.unit.services.test_digitise import picture

RECEIVED = datetime(2026, 3, 2, 9, 15)
SETTLED = datetime(2026, 3, 5, 10, 0)
RETURNED = datetime(2026, 3, 5, 15, 0)
NOW = datetime(2026, 3, 6, 10, 0)

Accept = Callable[..., FileView]


def _queued(db: Database) -> list[str]:
    """The codes in "Chờ số hóa", checked against its count and the window's counts."""
    with db.reader.begin() as s:
        ids = list(browse.queue_ids(s, ListQueue.TO_DIGITISE, NOW))
        codes = {int(i): str(c) for i, c in s.execute(select(FileRecord.id, FileRecord.code))}
        assert browse.queue_count(s, ListQueue.TO_DIGITISE, NOW) == len(ids)
        assert browse.queue_counts(s, NOW)[ListQueue.TO_DIGITISE] == len(ids)
    return [codes[i] for i in ids]


def _scanned(db: Database, code: str, officer: Actor) -> None:
    """Every paper of the file scanned at intake: nothing of it waits but the result."""
    with db.writer.begin() as s:
        digitise.open_lines(s, code, officer, RECEIVED)
        for line in range(len(digitise.file_lines(s, code))):
            digitise.attach(s, code, [(picture("PNG"), "a.png")], officer, RECEIVED, line=line)


def _settle(db: Database, code: str, officer: Actor) -> None:
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code, at=SETTLED), officer, now=SETTLED)


def test_a_result_back_waits_to_be_scanned_and_leaves_the_queue_once_scanned(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _scanned(db, code, officer)
    assert _queued(db) == []
    _settle(db, code, officer)
    with db.reader.begin() as s:
        result = digitise.file_lines(s, code)[-1]
    assert (result.kind, result.line, result.state) == (LineKind.RESULT, 0, LineState.PENDING)
    assert result.name == digitise.RESULT_NAME and result.at == SETTLED
    assert _queued(db) == [code]  # a settled file, its papers all scanned
    with db.reader.begin() as s:
        assert digitise.missing_lines(s, code) == ()  # the intake form asks about papers only
        file_id = s.scalar(select(FileRecord.id).where(FileRecord.code == code))
        assert ListQueue.TO_DIGITISE in browse.queues_listing(s, int(file_id or 0), NOW)
    with db.writer.begin() as s:
        line = digitise.attach(
            s, code, [(picture("PNG", colour="yellow"), "kq.png")], officer, NOW,
            kind=LineKind.RESULT,
        )  # fmt: skip
    assert line.state == LineState.DIGITISED and len(line.pages) == 1
    assert _queued(db) == []


def test_a_returned_result_stays_in_the_queue_until_explained(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _settle(db, code, officer)
    with db.writer.begin() as s:
        lifecycle.return_result(
            s, MoveInput(code, at=RETURNED), officer, receiver="Đặng Thị Ánh", now=RETURNED
        )
    assert _queued(db) == [code]  # handed over unscanned: someone must say why
    with db.writer.begin() as s:
        digitise.set_state(
            s, code, LineState.SHOWN_ONLY, officer, NOW, kind=LineKind.RESULT,
            reason="Trả ngay khi nhận, không kịp quét",
        )  # fmt: skip
    assert _queued(db) == []


def test_a_result_scanned_before_the_step_stays_digitised_and_an_online_file_is_excepted(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        digitise.attach(
            s, code, [(picture("PNG"), "kq.png")], officer, RECEIVED, kind=LineKind.RESULT
        )
    _settle(db, code, officer)
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Hoàng Văn Nam"),
        received_at=RECEIVED,
        channel=Channel.ONLINE,
    )
    with db.writer.begin() as s:
        online = intake.accept_file(s, data, officer, now=RECEIVED).code
    _settle(db, online, officer)
    with db.reader.begin() as s:
        kept = digitise.file_lines(s, code)[-1]
        excepted = digitise.file_lines(s, online)[-1]
    assert kept.state == LineState.DIGITISED and kept.at == RECEIVED and len(kept.pages) == 1
    assert (excepted.kind, excepted.state) == (LineKind.RESULT, LineState.ONLINE)
    assert excepted.reason == digitise.ONLINE_REASON
    assert _queued(db) == []


def test_the_day_summary_counts_a_result_only_once_scanned(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _scanned(db, code, officer)
    _settle(db, code, officer)

    def digitising() -> dict[str, int]:
        with db.reader.begin() as s:
            (row,) = day_summary(s, RECEIVED.date(), NOW)
        return row.digitising.as_json()

    pending = digitising()
    assert pending["files_digitised"] == 1 and pending["lines_digitised"] == 2
    assert pending["results_digitised"] == 0  # the result's line is open, not an answer
    with db.writer.begin() as s:
        digitise.attach(s, code, [(picture("PNG"), "kq.png")], officer, NOW, kind=LineKind.RESULT)
    assert digitising() == {**pending, "results_digitised": 1}


def test_postal_staff_may_digitise_and_a_role_without_it_may_not(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _settle(db, code, officer)
    with db.writer.begin() as s:
        users.create_user(
            s, "buudien1", "Lò Thị Mai", users.Role.POSTAL, "matkhau123", COMMAND_LINE, now=NOW
        )
    with db.writer.begin() as s:
        postal = users.sign_in(s, "buudien1", "matkhau123", now=NOW)
    stranger = Actor(user_id=None, name="Khách", role="guest")
    png = picture("PNG")
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError, match="số hóa"):
        digitise.attach(s, code, [(png, "kq.png")], stranger, NOW, kind=LineKind.RESULT)
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
        digitise.set_state(s, code, LineState.SCAN_LATER, stranger, NOW, kind=LineKind.RESULT)
    assert _queued(db) == [code]
    with db.writer.begin() as s:
        line = digitise.attach(s, code, [(png, "kq.png")], postal, NOW, kind=LineKind.RESULT)
        with pytest.raises(PermissionDeniedError):
            digitise.rotate_page(s, code, stranger, NOW, line=0, seq=0, kind=LineKind.RESULT)
        with pytest.raises(PermissionDeniedError):
            digitise.remove_page(s, code, stranger, NOW, line=0, seq=0, kind=LineKind.RESULT)
    assert line.pages[0].officer == "Lò Thị Mai" and _queued(db) == []


@pytest.mark.sqlite_only
def test_the_queue_reads_the_results_through_the_partial_index(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    _settle(db, code, officer)
    with db.reader.begin() as s:
        stmt = browse.queue_statement(s, ListQueue.TO_DIGITISE, NOW)
        sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in s.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_scan_lines_open" in plan
    assert _queued(db) == [code]
