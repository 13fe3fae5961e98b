"""SQLite's change feed and the window's own writes, on a real file with two connections: a
write the window's runner announces is not reported again by the data_version poll, even when
the poll looks between the commit and the moment the feed accounts for it; another connection's
write that lands in that very instant is still reported."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event

from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.store.changes import ALL_KINDS, FeedNotice, SqliteChangeFeed
from desk_app.store.engine import Database, open_database

pytestmark = pytest.mark.sqlite_only

NOW = datetime(2026, 3, 2, 10, 0)
FAST_POLL_S = 0.01  # the poll looks many times while a commit is being accounted for
SLOW_POLL_S = 60.0  # the poll never looks again: only the accounting can report


def _accept(db: Database, actor: Actor, name: str) -> None:
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name=name))
    with db.writer.begin() as s:
        intake.accept_file(s, data, actor, now=NOW)


def _own_write(db: Database, feed: SqliteChangeFeed, actor: Actor, name: str) -> None:
    """As the window's runner writes (desk_app.ui.dbops.DbOps.write)."""
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name=name))
    with db.writer.begin() as s:
        intake.accept_file(s, data, actor, now=NOW)
        feed.check()
    feed.absorb()


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another counter: the same file opened again, its own engine and connections."""
    assert db.path is not None
    other = open_database(db.path)
    yield other
    other.dispose()


def _before_feed_accounts(db: Database, action: Callable[[], None]) -> None:
    """Run `action` on the writer's thread after each commit on `db`'s engine and before the
    feed (started later, so listening after this) accounts for it."""

    def checkin(_dbapi_conn: Any, _record: Any) -> None:
        action()

    event.listen(db.engine, "checkin", checkin)


def _started(db: Database, poll_s: float) -> tuple[SqliteChangeFeed, queue.Queue[FeedNotice]]:
    feed = SqliteChangeFeed(db, poll_s=poll_s)
    heard: queue.Queue[FeedNotice] = queue.Queue()
    feed.start(heard.put)
    assert feed.connected.wait(5)
    return feed, heard


def _none_within(heard: queue.Queue[FeedNotice], seconds: float) -> bool:
    try:
        heard.get(timeout=seconds)
    except queue.Empty:
        return True
    return False


def test_an_own_write_is_not_reported_even_when_the_poll_looks_before_it_is_accounted_for(
    db: Database, officer: Actor
) -> None:
    # The poll reads data_version a few dozen times between the commit and its accounting.
    _before_feed_accounts(db, lambda: time.sleep(0.3))
    feed, heard = _started(db, FAST_POLL_S)
    try:
        for i in range(3):
            _own_write(db, feed, officer, f"Người nộp {i}")
        assert _none_within(heard, 0.5)
    finally:
        feed.stop()


def test_another_write_landing_right_after_an_own_commit_is_reported(
    db: Database, other: Database, officer: Actor
) -> None:
    landed: list[float] = []

    def another_counter_commits() -> None:
        if not landed:  # once, in the instant after the window's commit
            landed.append(time.monotonic())
            _accept(other, officer, "Lò Văn Chiến")

    _before_feed_accounts(db, another_counter_commits)
    # The poll does not look again: the accounting of the own commit must see the other one.
    feed, heard = _started(db, SLOW_POLL_S)
    try:
        _own_write(db, feed, officer, "An")
        assert landed
        notice = heard.get(timeout=1.0)
        assert notice.everything and notice.kinds == ALL_KINDS
        assert _none_within(heard, 0.3)  # one notice for it
        # After that, own writes are quiet again.
        _own_write(db, feed, officer, "Bình")
        assert _none_within(heard, 0.3)
    finally:
        feed.stop()


def test_another_write_landing_right_after_an_own_commit_is_reported_with_a_busy_poll(
    db: Database, other: Database, officer: Actor
) -> None:
    landed: list[float] = []

    def another_counter_commits() -> None:
        if not landed:
            landed.append(time.monotonic())
            _accept(other, officer, "Lò Văn Chiến")
            time.sleep(0.1)  # the poll looks meanwhile

    _before_feed_accounts(db, another_counter_commits)
    feed, heard = _started(db, FAST_POLL_S)
    try:
        _own_write(db, feed, officer, "An")
        assert heard.get(timeout=1.0).everything
    finally:
        feed.stop()


def test_another_write_before_an_own_one_is_reported_by_the_own_ones_check(
    db: Database, other: Database, officer: Actor
) -> None:
    feed, heard = _started(db, SLOW_POLL_S)
    try:
        _accept(other, officer, "Lò Văn Chiến")  # the poll will not look: the write's check
        _own_write(db, feed, officer, "An")
        assert heard.get(timeout=1.0).everything
        assert _none_within(heard, 0.3)
    finally:
        feed.stop()


def test_a_failed_own_write_leaves_the_poll_reporting_others(
    db: Database, other: Database, officer: Actor
) -> None:
    feed, heard = _started(db, FAST_POLL_S)
    try:
        data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
        with pytest.raises(RuntimeError), db.writer.begin() as s:
            intake.accept_file(s, data, officer, now=NOW)
            feed.check()
            raise RuntimeError("changed my mind")
        feed.absorb()
        assert _none_within(heard, 0.3)
        _accept(other, officer, "Bình")
        assert heard.get(timeout=1.0).everything
    finally:
        feed.stop()


def test_work_in_steps_is_not_reported_and_others_between_the_steps_are(
    db: Database, other: Database, officer: Actor
) -> None:
    """As DbOps.write_steps runs work that commits in short transactions of its own."""
    _before_feed_accounts(db, lambda: time.sleep(0.05))
    feed, heard = _started(db, FAST_POLL_S)
    try:
        with feed.own_writes():
            for i in range(3):
                _accept(db, officer, f"Người nộp {i}")
        assert _none_within(heard, 0.4)
    finally:
        feed.stop()
    feed, heard = _started(db, SLOW_POLL_S)  # the poll will not look: the steps must tell
    try:
        with feed.own_writes():
            _accept(db, officer, "Bước 1")
            _accept(other, officer, "Lò Văn Chiến")  # another counter, between two steps
            _accept(db, officer, "Bước 2")
        assert heard.get(timeout=1.0).everything
        assert _none_within(heard, 0.3)
    finally:
        feed.stop()
