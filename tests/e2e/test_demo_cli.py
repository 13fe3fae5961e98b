"""`demo` and the queues, watch and report over it on awkward days; `demo` on a real register."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine

from desk_app.cli.app import run
from desk_app.services import intake, watch
from desk_app.services.context import COMMAND_LINE
from desk_app.services.demo import DEMO_PASSWORD
from desk_app.services.queries import Queue
from desk_app.services.statistics import period_report
from desk_app.store.engine import open_database
from tests.desk_setup import fill_desk

# Far from every pinned day below: whatever still read the real clock would live here instead.
ELSEWHERE = datetime(2031, 7, 15, 10, 0)


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _queue(
    capsys: pytest.CaptureFixture[str], db: Path, queue: Queue, now: str
) -> list[dict[str, str]]:
    code, out, err = cli(
        capsys, db, "files", "list", "--queue", queue.value, "--now", now, "--limit", "5000",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    rows: list[dict[str, str]] = json.loads(out)
    return rows


@pytest.mark.slow
@pytest.mark.parametrize(
    "now",
    [
        "2027-02-09T09:30",  # mùng bốn Tết Đinh Mùi: the desk has been closed since 4 February
        "2026-12-31T23:59",  # the last minute of the year: the report's year is the whole year
        "2026-08-22T09:30",  # a make-up Saturday (for Monday 31 August): a working day
    ],
)
def test_demo_queues_watch_and_report_hold_on_any_day(
    capsys: pytest.CaptureFixture[str], template_db: Path, tmp_path: Path, now: str
) -> None:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template_db, path)
    moment = datetime.fromisoformat(now)
    with time_machine.travel(ELSEWHERE.astimezone(), tick=False):
        code, out, err = cli(capsys, path, "demo", "--files", "300", "--seed", "2026", "--now", now)
        assert code == 0, err
        assert "Đã tạo 300 hồ sơ mẫu" in out
        queues = {q: _queue(capsys, path, q, now) for q in Queue}
        db = open_database(path)
        with db.reader.begin() as s:
            seen = watch.watch(s, moment)
            year = period_report(s, date(moment.year, 1, 1), moment.date())
            month = period_report(s, moment.date().replace(day=1), moment.date())
        db.dispose()

    with closing(sqlite3.connect(path)) as conn:
        statuses = {r[0] for r in conn.execute("SELECT DISTINCT status FROM files")}
        latest_event = conn.execute("SELECT max(at) FROM events").fetchone()[0]
        unmarked = conn.execute("SELECT count(*) FROM files WHERE NOT demo").fetchone()[0]
        received_in_month = conn.execute(
            "SELECT count(*) FROM files WHERE status != 3 AND received_at >= ?",
            (f"{moment:%Y-%m}-01",),
        ).fetchone()[0]
    # The register lives at the pinned moment, not at the real one: nothing after it.
    assert latest_event[:16] <= now
    assert max(r["received"] for r in queues[Queue.ALL]) <= now
    assert unmarked == 0
    # A desk at work on any day: files refused, in progress, paused, settled and returned.
    assert {3, 4, 9, 10} <= statuses and statuses & {5, 6}
    # The supervisor's queues have files (the demo keeps recent work in progress; whether a file
    # falls due within the next working hours is left to chance), and the command line's queues
    # and the supervisor's watch agree on them.
    assert len(queues[Queue.ALL]) == 300
    for q in (Queue.OPEN, Queue.PAUSED, Queue.OVERDUE):
        assert queues[q], q
    assert len(queues[Queue.OVERDUE]) == seen.overdue_total
    assert len(queues[Queue.DUE_SOON]) == seen.due_soon_total
    assert len(queues[Queue.PAUSED]) == seen.paused_total
    assert all(r["original_due"] < now for r in queues[Queue.OVERDUE])
    assert all(r["original_due"] >= now for r in queues[Queue.DUE_SOON])
    # The report's identities hold on every row; what is open at the end of a period that ends
    # today is the open queue; what is overdue now is overdue at the end of the day too.
    for report in (year, month):
        for row in report.rows:
            assert row.counts.identity_errors() == [], row.group
        assert report.total.identity_errors() == []
        assert report.total.open_total == len(queues[Queue.OPEN])
        assert report.total.open_overdue >= seen.overdue_total
    assert year.total.received_total > month.total.received_total > 0
    received = month.total.received_online + month.total.received_direct_postal
    assert received == received_in_month


def _real_desk(template_db: Path, tmp_path: Path) -> Path:
    """A desk with one real file taken in at the counter, and no user account yet."""
    path = tmp_path / "real.sqlite3"
    shutil.copyfile(template_db, path)
    db = open_database(path)
    with db.writer.begin() as s:
        fill_desk(s, staff=[])
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
            received_at=datetime(2026, 12, 3, 9, 15),
        )
        intake.accept_file(s, data, COMMAND_LINE, now=datetime(2026, 12, 3, 9, 15))
    db.dispose()
    return path


def _table(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_demo_refuses_a_register_with_real_files(
    capsys: pytest.CaptureFixture[str], template_db: Path, tmp_path: Path
) -> None:
    path = _real_desk(template_db, tmp_path)
    code, out, err = cli(capsys, path, "demo", "--files", "50", "--now", "2026-12-03T11:00")
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: Cơ sở dữ liệu này đã có 1 hồ sơ thật")
    assert "--into-production" in err and "Traceback" not in err
    assert _table(path, "SELECT count(*), sum(demo) FROM files") == [(1, 0)]
    assert _table(path, "SELECT count(*) FROM users") == [(0,)]


def test_demo_into_production_marks_its_files_and_adds_no_account(
    capsys: pytest.CaptureFixture[str], template_db: Path, tmp_path: Path
) -> None:
    path = _real_desk(template_db, tmp_path)
    code, out, err = cli(
        capsys, path, "demo", "--files", "50", "--now", "2026-12-03T11:00", "--into-production"
    )
    assert code == 0, err
    assert "Đã thêm 50 hồ sơ mẫu" in out and "đánh dấu là hồ sơ mẫu" in out
    assert DEMO_PASSWORD not in out
    assert _table(path, "SELECT demo, count(*) FROM files GROUP BY demo") == [(0, 1), (1, 50)]
    assert _table(path, "SELECT count(*) FROM files WHERE demo AND officer_id IS NOT NULL") == [
        (0,)
    ]
    # No account with the published password lands in a register in use.
    assert _table(path, "SELECT count(*) FROM users") == [(0,)]
    # The real file is untouched.
    assert _table(path, "SELECT code FROM files WHERE NOT demo") == [("000.00.20.H37-261203-0001",)]


def test_demo_grows_a_demo_register_without_asking(
    capsys: pytest.CaptureFixture[str],
    template_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The second run finds the demo's own supervisor (commands that change data sign in).
    monkeypatch.setenv("DESK_USER", "lanhdao")
    monkeypatch.setenv("DESK_PASSWORD", DEMO_PASSWORD)
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template_db, path)
    for seed in ("1", "2"):
        code, _, err = cli(
            capsys, path, "demo", "--files", "40", "--seed", seed, "--now", "2026-12-03T11:00"
        )
        assert code == 0, err
    assert _table(path, "SELECT count(*), sum(demo) FROM files") == [(80, 80)]
