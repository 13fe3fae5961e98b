"""DbOps.write_steps: work in short transactions of its own, on the worker, then one notice."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.store.engine import Database
from desk_app.store.models import User
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner


def test_steps_run_on_the_worker_with_the_database_and_announce_after(
    qtbot: QtBot, db: Database
) -> None:
    runner = OpRunner()
    bus = ChangeBus()
    ops = DbOps(db, runner, bus)
    gui = threading.get_ident()
    order: list[str] = []
    heard: list[Change] = []
    bus.changed.connect(lambda c: (heard.append(c), order.append("notice")))

    def two_steps(database: Database) -> tuple[int, bool]:
        for name in ("Bước Một", "Bước Hai"):  # two commits, as an import's chunks
            with database.writer.begin() as s:
                user = s.scalars(select(User).where(User.username == "canbo")).one()
                user.full_name = name
        return 2, threading.get_ident() != gui

    done: list[tuple[int, bool]] = []
    try:
        ops.write_steps(
            two_steps,
            lambda result: (done.append(result), order.append("done")),
            changes=lambda result: Change.of("users") if result[0] else None,
            label="steps",
        )
        qtbot.waitUntil(lambda: bool(done), timeout=5000)
    finally:
        runner.shutdown()
    assert done == [(2, True)]
    assert heard == [Change.of("users")] and heard[0].origin == "steps"
    assert order == ["notice", "done"]
    with db.reader.begin() as s:
        assert s.scalar(select(User.full_name).where(User.username == "canbo")) == "Bước Hai"


def test_failed_steps_announce_nothing(db: Database) -> None:
    runner = OpRunner(synchronous=True)
    bus = ChangeBus()
    heard: list[Change] = []
    bus.changed.connect(heard.append)
    errors: list[BaseException] = []

    def boom(_database: Database) -> None:
        raise ValueError("half-way")

    DbOps(db, runner, bus).write_steps(boom, failed=errors.append, changes=Change.of("files"))
    assert [str(e) for e in errors] == ["half-way"]
    assert heard == []
