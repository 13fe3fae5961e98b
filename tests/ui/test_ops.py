"""The worker: jobs run off the GUI thread in order, results and errors come back to callbacks."""

from __future__ import annotations

import sys
import threading

from pytestqt.qtbot import QtBot

from desk_app.errors import ValidationError
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.ops import OpRunner


def test_jobs_run_on_the_worker_thread_in_order(qtbot: QtBot) -> None:
    runner = OpRunner()
    try:
        seen: list[tuple[int, bool]] = []
        gui = threading.get_ident()
        for i in range(5):
            runner.run(lambda i=i: (i, threading.get_ident() != gui), seen.append)
        with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
            pass
        assert seen == [(i, True) for i in range(5)]
    finally:
        runner.shutdown()


def test_errors_reach_the_error_callback(qtbot: QtBot) -> None:
    runner = OpRunner()
    try:
        errors: list[BaseException] = []

        def boom() -> None:
            raise ValidationError("Số điện thoại không hợp lệ.")

        with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
            runner.run(boom, on_error=errors.append)
        assert [str(e) for e in errors] == ["Số điện thoại không hợp lệ."]
    finally:
        runner.shutdown()


def test_unhandled_errors_are_signalled_and_inline_mode_runs_at_once() -> None:
    runner = OpRunner(synchronous=True)
    failures: list[BaseException] = []
    runner.failed.connect(failures.append)
    results: list[int] = []
    runner.run(lambda: 41 + 1, results.append)
    runner.run(lambda: 1 // 0)
    assert results == [42]
    assert len(failures) == 1
    assert isinstance(failures[0], ZeroDivisionError)
    assert not runner.busy


def test_the_bus_carries_what_changed(qtbot: QtBot) -> None:
    bus = ChangeBus()
    with qtbot.waitSignal(bus.changed) as blocker:
        bus.announce(Change.files("000.00.20.H37-260302-0001"))
    change = blocker.args[0]
    assert change.touches("files")
    assert not change.touches("settings")
    assert change.codes == frozenset({"000.00.20.H37-260302-0001"})


def test_signals_carrying_bools_keep_true_alive() -> None:
    # PySide6 6.12.0 released a reference to True on each such emit until Python aborted.
    runner = OpRunner(synchronous=True)
    before = sys.getrefcount(True)
    for _ in range(500):
        runner.busy_changed.emit(True)
    assert sys.getrefcount(True) >= before - 10
