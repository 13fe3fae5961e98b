"""The change feed: writes made by another connection or process are heard within a second
(PostgreSQL: LISTEN/NOTIFY from migration 0013's triggers, with the files' ids and codes; SQLite:
PRAGMA data_version, "everything may have changed"); the window's own writes are not; a killed
listening connection comes back and says that everything may have changed."""

from __future__ import annotations

import os
import queue
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.services.views import FileView
from desk_app.store.changes import (
    ALL_KINDS,
    ChangeFeed,
    FeedNotice,
    PgChangeFeed,
    SqliteChangeFeed,
    open_feed,
)
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord
from tests.desk_setup import OFFICER, fill_desk
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[3]
PROCEDURE = "1.001029"
NOW = datetime(2026, 3, 2, 10, 0)
WITHIN_S = 1.0


class Heard:
    """What a feed delivered, with the moment each notice arrived (feed's thread)."""

    def __init__(self) -> None:
        self.notices: queue.Queue[tuple[float, FeedNotice]] = queue.Queue()

    def __call__(self, notice: FeedNotice) -> None:
        self.notices.put((time.monotonic(), notice))

    def next(self, timeout: float) -> tuple[float, FeedNotice]:
        return self.notices.get(timeout=timeout)

    def none_within(self, seconds: float) -> bool:
        try:
            self.notices.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def feed(db: Database) -> Iterator[tuple[ChangeFeed, Heard]]:
    feed = open_feed(db)
    heard = Heard()
    feed.start(heard)
    assert feed.connected.wait(5), "the feed never started listening"
    yield feed, heard
    feed.stop()
    assert not feed.running


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """The same database opened again: another counter's connections."""
    other = open_database(db.url if db.is_server else db.path)
    yield other
    other.dispose()


def accept_one(db: Database, actor: Actor, name: str = "Đặng Thị Ánh") -> FileView:
    data = intake.IntakeInput(procedure=PROCEDURE, applicant=intake.ApplicantInput(name=name))
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=NOW)


def file_id(db: Database, code: str) -> int:
    with db.reader.begin() as s:
        return int(
            s.execute(text("SELECT id FROM files WHERE code = :c"), {"c": code}).scalar_one()
        )


def test_open_feed_picks_the_engines_way(db: Database) -> None:
    feed = open_feed(db)
    assert isinstance(feed, PgChangeFeed if db.is_server else SqliteChangeFeed)


def test_another_connections_write_is_heard_within_a_second(
    db: Database, other: Database, officer: Actor, feed: tuple[ChangeFeed, Heard]
) -> None:
    _feed, heard = feed
    assert heard.none_within(0.4)  # nothing happened yet: nothing is heard
    view = accept_one(other, officer)
    committed = time.monotonic()
    at, notice = heard.next(timeout=WITHIN_S)
    latency = at - committed
    print(
        f"\n{'postgresql' if db.is_server else 'sqlite'}: write -> notice {latency * 1000:.1f} ms"
    )
    assert latency < WITHIN_S
    assert "files" in notice.kinds
    if db.is_server:
        # The triggers name the file: its id, and the feed read its code.
        assert not notice.everything
        assert notice.ids == {file_id(db, view.code)}
        assert notice.codes == {view.code}
        assert "files" in notice.kinds
    else:
        # SQLite says only that something changed.
        assert notice.everything and notice.kinds == ALL_KINDS
    # One acceptance (five tables written) is one notice, not five.
    assert heard.none_within(0.5)


def test_twenty_writes_each_heard_within_a_second(
    db: Database, other: Database, officer: Actor, feed: tuple[ChangeFeed, Heard]
) -> None:
    """The figure of issue 14: a change seen at another counter, p95 < 1 s."""
    _feed, heard = feed
    latencies = []
    for i in range(20):
        view = accept_one(other, officer, name=f"Người nộp {i}")
        committed = time.monotonic()
        at, notice = heard.next(timeout=WITHIN_S)
        latencies.append(at - committed)
        if db.is_server:
            assert notice.codes == {view.code}
        assert heard.none_within(0.05 if db.is_server else 0.3)
    latencies.sort()
    p50, p95 = latencies[9], latencies[18]
    engine = "postgresql" if db.is_server else "sqlite"
    print(f"\n{engine}: write -> notice p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    assert p95 < WITHIN_S


def test_notices_merge_naming_files_only_while_each_does() -> None:
    a = FeedNotice(frozenset({"files"}), frozenset({1}), frozenset({"A"}), heard_at=2.0)
    b = FeedNotice(frozenset({"slips"}), frozenset({2}), frozenset({"B"}), heard_at=1.0)
    calendar = FeedNotice(frozenset({"calendar"}), heard_at=3.0)
    many = FeedNotice(frozenset({"files"}), heard_at=3.0)
    ab = a.merged(b)
    assert (ab.kinds, ab.ids, ab.codes, ab.heard_at) == (
        {"files", "slips"},
        {1, 2},
        {"A", "B"},
        1.0,
    )
    assert a.merged(calendar).codes == {"A"}  # the calendar names no file: A is still named
    assert a.merged(many).codes == frozenset() and not a.merged(many).ids
    assert a.merged(FeedNotice.all(0.5)).everything


def test_the_windows_own_writes_are_not_heard_back(
    db: Database, other: Database, officer: Actor, feed: tuple[ChangeFeed, Heard]
) -> None:
    feed_, heard = feed
    # As the window's runner does (desk_app.ui.dbops.DbOps.write): check inside, absorb after.
    data = intake.IntakeInput(procedure=PROCEDURE, applicant=intake.ApplicantInput(name="An"))
    with db.writer.begin() as s:
        intake.accept_file(s, data, officer, now=NOW)
        feed_.check()
    feed_.absorb()
    assert heard.none_within(0.8)
    # Someone else's write is still news.
    view = accept_one(other, officer, name="Bình")
    _at, notice = heard.next(timeout=WITHIN_S)
    assert "files" in notice.kinds
    if db.is_server:
        assert notice.codes == {view.code}


def test_a_write_by_another_process_is_heard(
    db: Database, officer: Actor, feed: tuple[ChangeFeed, Heard]
) -> None:
    _feed, heard = feed
    script = (
        "import sys\n"
        "from desk_app.services import intake\n"
        "from desk_app.services.context import Actor\n"
        "from desk_app.store.engine import open_database\n"
        "db = open_database(sys.argv[1], migrate=False)\n"
        "data = intake.IntakeInput(procedure='1.001029',"
        " applicant=intake.ApplicantInput(name='Lò Văn Chiến'))\n"
        f"actor = Actor(user_id={officer.user_id}, name='x', role='{officer.role}')\n"
        "with db.writer.begin() as s:\n"
        "    view = intake.accept_file(s, data, actor)\n"
        "print(view.code, flush=True)\n"
        "db.dispose()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_")}
    env["DESK_TEST_NOW"] = "2026-03-02T10:00"
    result = subprocess.run(
        [sys.executable, "-c", script, db.url if db.is_server else str(db.path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip()
    _at, notice = heard.next(timeout=WITHIN_S)
    assert "files" in notice.kinds
    if db.is_server:
        assert notice.codes == {code}
        assert notice.ids == {file_id(db, code)}


def test_a_rolled_back_write_is_not_heard(
    db: Database, other: Database, officer: Actor, feed: tuple[ChangeFeed, Heard]
) -> None:
    _feed, heard = feed
    data = intake.IntakeInput(procedure=PROCEDURE, applicant=intake.ApplicantInput(name="An"))
    with pytest.raises(RuntimeError), other.writer.begin() as s:
        intake.accept_file(s, data, officer, now=NOW)
        raise RuntimeError("changed my mind")
    assert heard.none_within(0.8)


@pytest.mark.sqlite_only  # SQLite has no server-side triggers to inspect: the counterpart is
# test_many_files_in_one_statement_are_one_notice below, which reads the triggers at work.
def test_the_migration_adds_no_trigger_to_an_sqlite_file(db: Database) -> None:
    assert db.path is not None
    with closing(sqlite3.connect(db.path)) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            if "notify" in r[0]
        ]
    assert names == []


# --- PostgreSQL only: the triggers' payload and the lost connection ------------------------------


@pytest.fixture
def pg_db(pg_server: PgServer, pg_template: str) -> Iterator[Database]:
    url = pg_server.new_database(template=pg_template)
    db = open_database(url)
    yield db
    db.dispose()
    pg_server.drop_database(url)


def test_many_files_in_one_statement_are_one_notice_without_ids(
    pg_db: Database, officer_on_pg: Actor
) -> None:
    view = accept_one(pg_db, officer_on_pg)
    feed = PgChangeFeed(pg_db, ignore_own=False)
    heard = Heard()
    feed.start(heard)
    try:
        assert feed.connected.wait(5)
        # 110 copies of the file in one statement: one notice, "many files" (no ids).
        columns = [c.name for c in FileRecord.__table__.columns if c.name != "id"]
        picked = [
            "code || '-' || g" if c == "code" else "register_seq + g" if c == "register_seq" else c
            for c in columns
        ]
        with pg_db.writer.begin() as s:
            s.execute(
                text(
                    f"INSERT INTO files ({', '.join(columns)}) SELECT {', '.join(picked)} "
                    "FROM files, generate_series(1, 110) g WHERE code = :code"
                ),
                {"code": view.code},
            )
        _at, notice = heard.next(timeout=WITHIN_S)
        assert notice.kinds == {"files"} and not notice.ids and not notice.codes
        assert not notice.everything
        assert heard.none_within(0.3)
        # A table of the whole desk: its kind, no files.
        with pg_db.writer.begin() as s:
            s.execute(text("UPDATE desk_settings SET id = id"))
        _at, notice = heard.next(timeout=WITHIN_S)
        assert notice.kinds == {"settings"} and not notice.ids
        # An UPDATE of files touching no row announces nothing.
        with pg_db.writer.begin() as s:
            s.execute(text("UPDATE files SET notes = 'x' WHERE id < 0"))
        assert heard.none_within(0.5)
    finally:
        feed.stop()


def test_the_feed_comes_back_after_its_connection_is_killed(
    pg_server: PgServer, pg_db: Database, officer_on_pg: Actor
) -> None:
    feed = PgChangeFeed(pg_db)
    heard = Heard()
    feed.start(heard)
    other = open_database(pg_db.url)
    try:
        assert feed.connected.wait(5)
        pid = feed.listener_pid
        assert pid is not None
        killed = time.monotonic()
        pg_server.execute(f"SELECT pg_terminate_backend({pid})")
        at, notice = heard.next(timeout=5)
        # Notices sent while it was away are lost: it says so.
        assert notice.everything and notice.kinds == ALL_KINDS
        print(f"\nback after {(at - killed) * 1000:.0f} ms")
        assert feed.listener_pid not in (None, pid)
        # And it hears the next write as before.
        view = accept_one(other, officer_on_pg)
        _at, notice = heard.next(timeout=WITHIN_S)
        assert notice.codes == {view.code}
    finally:
        other.dispose()
        feed.stop()


def test_a_server_that_is_away_is_retried_until_it_answers(
    pg_server: PgServer, pg_template: str
) -> None:
    """A feed started while its database cannot be reached keeps trying, and once it listens
    reports that everything may have changed."""
    url = pg_server.new_database(template=pg_template)
    db = open_database(url)
    pg_server.execute(f'ALTER DATABASE "{db.engine.url.database}" ALLOW_CONNECTIONS false')
    feed = PgChangeFeed(db, ignore_own=False)
    heard = Heard()
    try:
        feed.start(heard)
        assert heard.none_within(0.8)
        assert not feed.connected.is_set()
        pg_server.execute(f'ALTER DATABASE "{db.engine.url.database}" ALLOW_CONNECTIONS true')
        _at, notice = heard.next(timeout=5)
        assert notice.everything
        assert feed.connected.is_set()
    finally:
        feed.stop()
        db.dispose()
        pg_server.drop_database(url)


@pytest.fixture
def officer_on_pg(pg_db: Database) -> Actor:
    from desk_app.services import users

    with pg_db.writer.begin() as s:
        fill_desk(s, staff=[OFFICER])
    with pg_db.reader.begin() as s:
        return users.sign_in(s, "canbo", "matkhau123")
