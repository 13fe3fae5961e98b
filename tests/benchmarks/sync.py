"""Sync figures for `make bench`: a day's summary on the big register, building the outbox, and
sending a year of days to a department running on loopback."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from desk_app.department.db import open_department_db
from desk_app.department.server import start_in_thread
from desk_app.department.service import add_desk
from desk_app.store.engine import Database
from desk_app.store.models import OutboxRow
from desk_app.sync import outbox
from desk_app.sync.runner import run_pass
from desk_app.sync.secret import SecretStore
from desk_app.sync.summary import day_summary


def _median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def sync_figures(db: Database, line: Callable[[str, str], None]) -> None:
    today = date.today()
    with db.reader.begin() as s:
        for label, day in (
            ("day summary (yesterday)", today - timedelta(days=1)),
            ("day summary (a year ago)", today - timedelta(days=365)),
        ):
            ms = _median_ms(lambda day=day: day_summary(s, day))
            line(label, f"{ms:.0f} ms ({len(day_summary(s, day))} procedures)")
    with db.writer.begin() as s:
        _forget_sync(s)
        first = s.execute(text("SELECT substr(min(received_at), 1, 10) FROM files")).scalar()
        t0 = time.perf_counter()
        built = outbox.refresh(s, today)
        line(
            "outbox, every day built",
            f"{time.perf_counter() - t0:.1f} s ({built} days since {first})",
        )
        # The department wants the last year only here: older days count as already sent.
        s.execute(
            update(OutboxRow)
            .where(OutboxRow.day <= today - timedelta(days=365))
            .values(state=outbox.ACKNOWLEDGED, receipt_id="bench")
        )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'department.sqlite3'}"
        ddb = open_department_db(url)
        with ddb.writer.begin() as s:
            token = add_desk(s, "Bench desk").token
        ddb.dispose()
        server = start_in_thread(url)
        try:
            t0 = time.perf_counter()
            report = run_pass(
                db,
                now=datetime.now,
                url=server.url,
                token=token,
                force=True,
                secrets=SecretStore(Path(folder) / "secrets"),
            )
            took = time.perf_counter() - t0
        finally:
            server.stop()
    line("a year of days to department", f"{took:.1f} s ({len(report.sent)} days sent)")
    with db.writer.begin() as s:
        _forget_sync(s)


def _forget_sync(session: Session) -> None:
    """As if the register had never been sent: the next build starts from its first day."""
    session.execute(delete(OutboxRow))
    session.execute(text("UPDATE sync_settings SET built_through = NULL, dirty_from = NULL"))
