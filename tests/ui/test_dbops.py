"""DbOps: typed reads and writes on the worker, one change notice after each commit."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app.store.engine import Database
from desk_app.store.models import User
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner


def _idle(qtbot: QtBot, runner: OpRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_reads_run_on_the_worker_and_return_typed_results(qtbot: QtBot, db: Database) -> None:
    runner = OpRunner()
    try:
        ops = DbOps(db, runner, ChangeBus())
        gui = threading.get_ident()
        seen: list[tuple[list[str], bool]] = []

        def names(s: Session) -> tuple[list[str], bool]:
            rows = list(s.scalars(select(User.username).order_by(User.username)))
            return rows, threading.get_ident() != gui

        ops.read(names, seen.append)
        _idle(qtbot, runner)
        assert len(seen) == 1
        assert seen[0][1] is True
        assert "canbo" in seen[0][0]
    finally:
        runner.shutdown()


def test_a_write_commits_then_announces_once_with_its_origin(qtbot: QtBot, db: Database) -> None:
    runner = OpRunner(synchronous=True)
    bus = ChangeBus()
    ops = DbOps(db, runner, bus)
    heard: list[Change] = []
    order: list[str] = []
    bus.changed.connect(lambda c: (heard.append(c), order.append("notice")))
    owner = QWidget()

    def rename(s: Session) -> int:
        user = s.scalars(select(User).where(User.username == "canbo")).one()
        user.full_name = "Nguyễn Văn Mới"
        return user.id

    ops.write(
        rename,
        lambda uid: order.append("done"),
        changes=lambda uid: Change(frozenset({"users"}), ids=frozenset({uid})),
        owner=owner,
    )
    assert order == ["notice", "done"]
    assert len(heard) == 1
    assert heard[0].kinds == {"users"}
    assert heard[0].origin is owner
    with db.reader.begin() as s:
        assert s.scalar(text("SELECT full_name FROM users WHERE username='canbo'")) == (
            "Nguyễn Văn Mới"
        )


def test_a_failed_write_announces_nothing_and_a_closed_owner_still_gets_the_notice(
    qtbot: QtBot, db: Database
) -> None:
    runner = OpRunner(synchronous=True)
    bus = ChangeBus()
    ops = DbOps(db, runner, bus)
    heard: list[Change] = []
    bus.changed.connect(heard.append)
    errors: list[BaseException] = []

    def boom(s: Session) -> None:
        s.execute(text("UPDATE users SET full_name='x'"))
        raise ValueError("refused")

    ops.write(boom, failed=errors.append, changes=Change.of("users"))
    assert heard == [] and len(errors) == 1
    with db.reader.begin() as s:
        assert s.scalar(text("SELECT count(*) FROM users WHERE full_name='x'")) == 0

    owner = QWidget()
    shiboken6.delete(owner)
    done: list[None] = []
    ops.write(lambda s: None, done.append, changes=Change.of("users"), owner=owner)
    assert done == []  # the owner is gone: no callback into it
    assert [c.kinds for c in heard] == [{"users"}]  # but the data did change


def test_work_past_300_ms_is_signalled_for_the_busy_indicator(qtbot: QtBot) -> None:
    runner = OpRunner()
    try:
        go_on = threading.Event()
        quick: list[bool] = []
        runner.slow_changed.connect(quick.append)
        runner.run(lambda: None)
        qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
        assert quick == []  # a quick job shows nothing
        with qtbot.waitSignal(runner.slow_changed, timeout=5000) as slow:
            runner.run(lambda: go_on.wait(10))
        assert slow.args == [True]
        with qtbot.waitSignal(runner.slow_changed, timeout=5000) as over:
            go_on.set()
        assert over.args == [False]
    finally:
        go_on.set()
        runner.shutdown()
