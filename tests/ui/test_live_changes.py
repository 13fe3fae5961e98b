"""Live across counters: a file accepted or moved by another process (another counter, the
command line) shows in this window's queues, counts, list and open file within a second, on
PostgreSQL (LISTEN/NOTIFY) and on SQLite (data_version polling), with nothing done in the window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.domain.workflow import Status
from desk_app.services import intake
from desk_app.services.browse import ListQueue
from desk_app.store.changes import FeedNotice, open_feed
from desk_app.ui.bus import ELSEWHERE, Change
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import ChangeRelay
from desk_app.ui.file_model import CODE_ROLE
from desk_app.ui.main_window import MainWindow
from desk_app.ui.offline import ServerWatch
from tests.ui.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
WITHIN_S = 1.0
WAIT_MS = 5000  # the wait's bound only: the time that counts is measured from the commit

# Another counter in its own process: waits for a command on stdin, runs it through the real
# services in one transaction, prints the file's code and the moment it committed.
COUNTER = """
import sys
import time
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor, load_context
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import open_database

db = open_database(sys.argv[1], migrate=False)
actor = Actor(user_id=int(sys.argv[2]), name="Counter 2", role="officer")
with db.reader.begin() as s:
    load_context(s)  # the working calendar is built now, not inside the first save
print("ready", flush=True)
for line in sys.stdin:
    command, *rest = line.split()
    with db.writer.begin() as s:
        if command == "accept":
            data = intake.IntakeInput(
                procedure="1.001029", applicant=intake.ApplicantInput(name="Lò Văn Chiến")
            )
            code = intake.accept_file(s, data, actor).code
        else:
            code = rest[0]
            lifecycle.forward(s, MoveInput(code), actor, agency="Phòng Văn hóa")
    print(code, time.monotonic(), flush=True)  # the system's monotonic clock: comparable
db.dispose()
"""


class Counter:
    def __init__(self, target: str, user_id: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_")}
        env["DESK_TEST_NOW"] = NOW.isoformat(timespec="minutes")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", COUNTER, target, str(user_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def committed(self) -> tuple[str, float]:
        """The code the last command wrote and when its transaction committed."""
        code, at = self.readline().split()
        return code, float(at)

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    """Both engines here too (tests/ui is not parametrised by itself)."""
    return str(request.param)


@pytest.fixture
def live(ui_ctx: UiContext) -> Iterator[tuple[UiContext, ChangeRelay]]:
    """The window's context with its change feed running, as run_gui wires it."""
    feed = open_feed(ui_ctx.db)
    ui_ctx.feed = feed
    relay = ChangeRelay(feed, ui_ctx.bus)
    relay.start()
    assert feed.connected.wait(5)
    yield ui_ctx, relay
    # The window's server watch first, as the program does when it closes: a watch still
    # running would take the stopped feed for an outage and probe the database after the test.
    watch = ui_ctx.runner.findChild(ServerWatch, "serverWatch")
    if isinstance(watch, ServerWatch):
        watch.stop()
    relay.stop()


def _wait(qtbot: QtBot, condition: Callable[[], bool]) -> float:
    """Wait (events running) until `condition` holds; the monotonic moment it was first seen."""
    seen: list[float] = []

    def check() -> bool:
        if condition():
            seen.append(time.monotonic())
            return True
        return False

    qtbot.waitUntil(check, timeout=WAIT_MS)
    return seen[0]


def _codes(window: MainWindow) -> list[str]:
    m = window.model
    return [str(m.data(m.index(r, 0), CODE_ROLE)) for r in range(m.rowCount())]


def test_a_file_accepted_and_moved_at_another_counter_shows_here_within_a_second(
    live: tuple[UiContext, ChangeRelay], qtbot: QtBot
) -> None:
    ctx, relay = live
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
    with ctx.db.writer.begin() as s:
        shown = intake.accept_file(s, data, ctx.actor, now=NOW)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.detail.show_code(shown.code)
    counts = window.queues.queue_model
    qtbot.waitUntil(lambda: counts.count(ListQueue.NEW) == 1)
    assert window.detail.view is not None and window.detail.view.status == Status.ACCEPTED
    heard: list[Change] = []
    relay.heard.connect(heard.append)

    counter = Counter(ctx.db.url if ctx.db.is_server else str(ctx.db.path), ctx.actor.user_id or 0)
    engine = "postgresql" if ctx.db.is_server else "sqlite"
    try:
        # Accepted there: counted and listed here, nothing done in this window.
        counter.send("accept")
        seen = _wait(qtbot, lambda: counts.count(ListQueue.NEW) == 2)
        code, committed = counter.committed()
        print(f"\n{engine}: accepted there, counted here {(seen - committed) * 1000:.0f} ms later")
        assert seen - committed < WITHIN_S
        assert code in _codes(window)
        assert heard and all(c.origin == ELSEWHERE for c in heard)
        if ctx.db.is_server:
            assert heard[0].codes == {code}

        # Moved there: the open file's panel and the counts follow.
        counter.send(f"forward {shown.code}")
        seen = _wait(
            qtbot,
            lambda: (
                window.detail.view is not None
                and window.detail.view.status == Status.PROCESSING
                and counts.count(ListQueue.NEW) == 1
            ),
        )
        moved, committed = counter.committed()
        print(f"{engine}: moved there, shown here {(seen - committed) * 1000:.0f} ms later")
        assert moved == shown.code
        assert seen - committed < WITHIN_S
        assert counts.count(ListQueue.PROCESSING) == 1
        assert shown.code not in _codes(window)  # left the "Mới tiếp nhận" list
    finally:
        counter.close()


def test_a_burst_of_notices_is_announced_at_most_every_quarter_second_merged(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    """A busy centre: notices arriving close together make one refresh, naming every file."""
    relay = ChangeRelay(open_feed(ui_ctx.db), ui_ctx.bus)  # not started: notices fed by hand
    heard: list[tuple[float, Change]] = []
    relay.heard.connect(lambda c: heard.append((time.monotonic(), c)))

    def notice(*codes: str) -> FeedNotice:
        return FeedNotice(frozenset({"files"}), codes=frozenset(codes), heard_at=time.monotonic())

    relay._deliver(notice("A"))  # as the feed's thread calls it
    qtbot.waitUntil(lambda: len(heard) == 1)
    for code in ("B", "C"):
        relay._deliver(notice(code))
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=WAIT_MS)
    assert heard[0][1].codes == {"A"} and heard[1][1].codes == {"B", "C"}
    assert heard[1][0] - heard[0][0] >= ChangeRelay.EVERY_MS / 1000 * 0.9
    assert all(c.origin == ELSEWHERE for _at, c in heard)
    # A notice about many files (no codes) makes the merged one say "many" too.
    relay._deliver(notice("D"))
    relay._deliver(notice())
    qtbot.waitUntil(lambda: len(heard) == 3, timeout=WAIT_MS)
    assert heard[2][1].touches("files") and not heard[2][1].codes
    qtbot.wait(2 * ChangeRelay.EVERY_MS)
    assert len(heard) == 3  # nothing left over to announce
    relay.stop()
