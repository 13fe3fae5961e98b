"""kill -9 in the middle of saves, and five PCs saving at once: nothing committed lost or doubled.

The probes themselves are in tests/e2e/crash_probe.py; `make probe` runs them with larger numbers.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from desk_app.store.engine import Database
from tests.e2e.crash_probe import check_register, kill_probe, writers_probe

KILLS = 12
WRITERS = 5
FILES_EACH = 20
# Every kind of write the writer makes; the kills must have met all of them.
STEPS = {
    "accept",
    "correct",
    "forward",
    "request_supplement",
    "receive_supplement",
    "record_result",
    "return_result",
    "postal_handover",
    "postal_delivered",
}


def test_kill_9_while_saving_loses_no_committed_step_and_leaves_no_half_written_file(
    db: Database,
) -> None:
    db.dispose()
    # At least 5 steps a run: on a loaded machine the kinds of step are still all met.
    figures = kill_probe(db.path, KILLS, seed=17, warm_up=5)
    assert figures.problems == []
    assert figures.kills == figures.checks == KILLS
    assert set(figures.steps_by_kind) == STEPS, figures.steps_by_kind
    assert figures.files > KILLS and figures.events >= figures.steps_reported


def test_five_writers_at_the_same_moment_never_share_a_code_or_a_register_number(
    db: Database,
) -> None:
    db.dispose()
    figures = writers_probe(db.path, WRITERS, FILES_EACH)
    assert figures.errors == []  # no "database is locked": a busy writer waits its turn
    assert figures.problems == []  # codes and register numbers 1..100, each file whole
    assert figures.saved == figures.in_register == WRITERS * FILES_EACH
    assert figures.duplicate_codes == figures.duplicate_register_numbers == 0


def test_the_check_finds_a_half_written_file_and_a_lost_step(db: Database, tmp_path: Path) -> None:
    """The check above can fail: a file row without its receipt event, due or counter, and a
    step reported committed that is not in the register, are both found."""
    db.dispose()
    figures = writers_probe(db.path, 1, 2)
    assert figures.problems == [] and figures.saved == 2
    broken = tmp_path / "broken.sqlite3"
    with closing(sqlite3.connect(db.path)) as src, closing(sqlite3.connect(broken)) as dst:
        src.backup(dst)
        dst.execute(
            "INSERT INTO files (code, status, channel, procedure_id, applicant_id, "
            "document_set_id, sets_count, result_by, register_book, register_seq, notes, unit, "
            "restart_on_supplement, received_at, version) SELECT '000.00.20.H37-260302-0003', "
            "2, channel, procedure_id, applicant_id, document_set_id, 1, result_by, "
            "register_book, 3, '', unit, 0, received_at, 1 FROM files LIMIT 1"
        )
        dst.commit()
    problems, files, _ = check_register(broken, {("000.00.20.H37-260302-0009", "forward")})
    assert files == 3
    assert any("-0003: no single receipt event" in p for p in problems), problems
    assert "counter file:000.00.20.H37:260302 is 2, 3 numbers" in problems
    assert "000.00.20.H37-260302-0009: reported committed, not in the register" in problems
