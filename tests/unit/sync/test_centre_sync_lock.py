"""One sync pass at a time: per database in a process, and for the whole centre on a server
(every counter PC runs the sync timer; one of them sends)."""

from __future__ import annotations

from datetime import datetime

from desk_app.store.engine import Database, open_database
from desk_app.store.runlock import database_lock
from desk_app.sync import runner

NOW = datetime(2026, 3, 2, 10, 0)


def test_a_second_pass_in_the_same_process_waits_its_turn(db: Database) -> None:
    lock = runner._pass_lock(db)
    assert lock.acquire(blocking=False)
    try:
        report = runner.run_pass(db, now=lambda: NOW)
    finally:
        lock.release()
    assert not report.ran
    assert report.message == "Một lượt đồng bộ khác đang chạy."


def test_on_a_server_another_counter_passing_keeps_this_one_out(
    db: Database, engine_name: str
) -> None:
    if engine_name != "postgresql":
        # The whole-centre lock exists only on a server; a solo desk has one PC.
        assert not db.is_server
        return
    other = open_database(db.url)  # another counter PC's connection to the same database
    try:
        held = database_lock(other.engine, None, "sync")
        assert held.acquire()
        try:
            refused = runner.run_pass(db, now=lambda: NOW)
        finally:
            held.release()
        ran = runner.run_pass(db, now=lambda: NOW)
    finally:
        other.dispose()
    assert not refused.ran
    assert refused.message == "Một máy khác của Trung tâm đang đồng bộ với Sở."
    # The lock went with its holder: this counter's pass runs now (and stops at the settings,
    # as no department is set up here).
    assert ran.message not in (refused.message, "Một lượt đồng bộ khác đang chạy.")
