"""The window when the centre's server is out of reach (issue 14), on a real PostgreSQL server:
its database closed to connections and every connection to it terminated, as a server restart
or a dropped network does.

The decision tested: during an outage nothing is written; the intake form keeps everything
typed and says so next to its buttons; the window says it is offline at once, marks its counts
as not current, retries on its own and, once the server answers, reads everything again; the
file is then saved once, with one code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from desk_app.errors import DatabaseBusyError, ServerOfflineError
from desk_app.services import intake, queries
from desk_app.services.browse import ListQueue
from desk_app.store.busy import as_known_error, is_offline
from desk_app.store.changes import open_feed
from desk_app.store.models import FileRecord
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import ChangeRelay
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.intake_draft import DRAFT_NAME
from desk_app.ui.main_window import MainWindow
from desk_app.ui.offline import FEED_LOOK_MS, OfflineBanner, ServerWatch
from desk_app.ui.queues import QueueListModel
from tests.pg_server import PgServer
from tests.ui.conftest import NOW
from tests.ui.test_intake import _choose_karaoke, _keys

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

BANNER_WITHIN_MS = 2_000
# The probe's pauses are 1, 2, 4, 8, then 10 s: the server answering again is seen within the
# pause that was running when it came back.
RECOVERED_WITHIN_MS = 15_000


@pytest.fixture
def engine_name() -> str:
    """The outage of a centre's server: PostgreSQL only (a solo desk has no server to lose)."""
    return "postgresql"


class Outage:
    """Closes the test database to connections and ends those open, then opens it again."""

    def __init__(self, server: PgServer, url: str) -> None:
        self.server = server
        self.name = make_url(url).database
        self.on = False

    def start(self) -> None:
        self.on = True
        self.server.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self.server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        )

    def end(self) -> None:
        self.server.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        self.on = False


@pytest.fixture
def outage(ui_ctx: UiContext, pg_server: PgServer) -> Iterator[Outage]:
    made = Outage(pg_server, ui_ctx.db.url)
    yield made
    if made.on:
        made.end()


@pytest.fixture
def live(ui_ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UiContext]:
    """The window's context with its change feed running (as run_gui wires it); the per-user
    folder, where the intake draft of a server's desk lives, in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    feed = open_feed(ui_ctx.db)
    ui_ctx.feed = feed
    relay = ChangeRelay(feed, ui_ctx.bus)
    relay.start()
    assert feed.connected.wait(5)
    yield ui_ctx
    relay.stop()
    ServerWatch.of(ui_ctx).stop()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of warning boxes the window opened (none is wanted during an outage)."""
    seen: list[str] = []

    def fake_warning(_parent: object, _title: str, text: str, *_args: object) -> object:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    # Closing a form with input at the end of a test must not wait for an answer.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(
        "desk_app.ui.preview.show_pdf", lambda *_args: None
    )  # the receipt after a save
    return seen


def _files(ctx: UiContext) -> list[str]:
    with ctx.db.reader.begin() as s:
        return list(s.scalars(select(FileRecord.code).order_by(FileRecord.id)))


def _accept_one(ctx: UiContext) -> None:
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
    with ctx.db.writer.begin() as s:
        intake.accept_file(s, data, ctx.actor, now=NOW)


def _stale_rows(model: QueueListModel) -> list[str]:
    return [
        str(model.data(model.index(r, 0)))
        for r in range(model.rowCount())
        if str(model.data(model.index(r, 0))).endswith("*")
    ]


def test_an_outage_keeps_the_intake_shows_the_banner_and_recovers_with_one_file(
    live: UiContext, outage: Outage, qtbot: QtBot, boxes: list[str]
) -> None:
    ctx = live
    _accept_one(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    counts = window.queues.queue_model
    qtbot.waitUntil(lambda: counts.count(ListQueue.NEW) == 1)
    banner = window.offline_banner
    assert banner.isHidden() and not counts.stale and _stale_rows(counts) == []

    dialog = IntakeDialog(ctx, window)  # the window's child: gone with it
    dialog.show()
    _choose_karaoke(qtbot, dialog)
    _keys(qtbot, dialog.form.name, "Đặng Thị Ánh")
    qtbot.keyClicks(dialog.form.phone, "0912345678")
    dialog.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
    dialog.save_draft()
    draft = ctx.db.local_dir() / DRAFT_NAME
    assert draft.exists()

    # The server goes away: the change feed loses its connection, the window says so at once.
    outage.start()
    qtbot.waitUntil(banner.isVisible, timeout=BANNER_WITHIN_MS)
    text = banner.text.full_text  # one line, the address shortened if need be; all in the tooltip
    assert text.startswith("No connection to the centre's server")
    assert ctx.db.label in text and "10:00:00" in text and "Reconnecting" in text
    assert "\n" not in banner.text.text() and "10:00:00" in banner.text.text()
    tip = banner.toolTip()
    assert "Lost the connection to the centre's database server" in tip and ctx.db.label in tip
    assert "not current" in tip and "Reconnecting on its own" in tip
    # The counts read before are still shown, greyed and marked, with the time they were read.
    assert counts.stale and counts.count(ListQueue.NEW) == 1
    row = counts.index(counts.row_of(ListQueue.NEW), 0)
    assert str(counts.data(row)).endswith("  1*")
    assert "Counted at 10:00:00 02/03/2026; not current" in str(
        counts.data(row, Qt.ItemDataRole.ToolTipRole)
    )
    assert counts.data(row, Qt.ItemDataRole.ForegroundRole) is not None

    # Saving fails whole: said next to the buttons, the form and its draft kept, no box.
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: not dialog._busy)
    message = dialog.form.errors.visible_messages()[""]
    assert "Lost the connection to the centre's database server" in message
    assert "the file was not saved" in message and "press Accept file again" in message
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.form.name.text() == "Đặng Thị Ánh"
    assert dialog.form.phone.text() == "0912345678"
    assert json.loads(draft.read_text(encoding="utf-8"))["text"]["applicant_name"] == (
        "Đặng Thị Ánh"
    )
    assert boxes == []
    # A refresh meanwhile cannot read the counts: they stay marked, still no box.
    window.refresh()
    assert counts.stale and boxes == []

    # The server is back: the window sees it on its own and reads everything again.
    heard: list[Change] = []
    ctx.bus.changed.connect(heard.append)
    outage.end()
    qtbot.waitUntil(banner.isHidden, timeout=RECOVERED_WITHIN_MS)
    qtbot.waitUntil(lambda: not counts.stale, timeout=3_000)
    assert any(c.touches("files") and not c.codes for c in heard)  # everything, from elsewhere
    assert _stale_rows(counts) == [] and counts.count(ListQueue.NEW) == 1
    assert len(_files(ctx)) == 1  # nothing was written during the outage

    # Saved again: exactly one new file, with a code of its own.
    before = _files(ctx)
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    after = _files(ctx)
    assert len(after) == len(before) + 1 and len(set(after)) == len(after)
    with ctx.db.reader.begin() as s:
        names = [queries.show_file(s, code).applicant_name for code in after]
    assert names.count("Đặng Thị Ánh") == 1
    assert not draft.exists()
    qtbot.waitUntil(lambda: counts.count(ListQueue.NEW) == 2)
    assert boxes == []


def test_the_change_feed_losing_the_server_takes_the_window_offline_at_once(
    live: UiContext, outage: Outage, qtbot: QtBot
) -> None:
    """No job running: the feed's lost connection alone says it, within a second or two."""
    watch = ServerWatch.of(live)
    qtbot.wait(2 * FEED_LOOK_MS)  # the watch has seen the feed connected
    outage.start()
    qtbot.waitUntil(lambda: watch.offline, timeout=BANNER_WITHIN_MS)
    outage.end()
    qtbot.waitUntil(lambda: not watch.offline, timeout=RECOVERED_WITHIN_MS)


def test_a_failed_read_alone_takes_the_window_offline_and_it_recovers(
    ui_ctx: UiContext,
    outage: Outage,
    qtbot: QtBot,
    boxes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No change feed (it is what usually notices first): a job that met the outage is enough."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    ctx = ui_ctx
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    counts = window.queues.queue_model
    qtbot.waitUntil(lambda: counts.count(ListQueue.NEW) == 0)
    watch = ServerWatch.of(ctx)
    outage.start()
    assert not watch.offline
    window.refresh()  # the list and the counts: both fail
    assert watch.offline and window.offline_banner.isVisible()
    assert counts.stale and boxes == []
    outage.end()
    qtbot.waitUntil(lambda: not watch.offline, timeout=RECOVERED_WITHIN_MS)
    qtbot.waitUntil(lambda: not counts.stale, timeout=3_000)
    assert window.offline_banner.isHidden()
    watch.stop()


def test_the_banner_retries_at_once_when_asked(
    ui_ctx: UiContext, outage: Outage, qtbot: QtBot, boxes: list[str]
) -> None:
    watch = ServerWatch.of(ctx := ui_ctx)
    outage.start()
    ctx.ops.read(lambda s: s.scalar(select(func.count(FileRecord.id))))
    assert watch.offline
    # A window opened during the outage shows the banner too (placed first, then shown).
    other = QMainWindow()
    qtbot.addWidget(other)
    banner = OfflineBanner(ctx)
    other.setMenuWidget(banner)
    other.show()
    qtbot.waitUntil(banner.isVisible, timeout=500)
    outage.end()
    banner.retry.click()  # well before the first pause (1 s) is over
    qtbot.waitUntil(lambda: not watch.offline, timeout=900)
    assert banner.isHidden()
    watch.stop()


def _op_error(orig: BaseException) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


def test_what_counts_as_an_unreachable_server() -> None:
    refused = psycopg.OperationalError("connection failed: Connection refused")
    assert is_offline(refused) and is_offline(_op_error(refused))
    known = as_known_error(_op_error(refused))
    assert isinstance(known, ServerOfflineError) and "Mất kết nối máy chủ" in known.message
    assert known.__cause__ is not None
    terminated = psycopg.errors.AdminShutdown("terminating connection due to administrator")
    assert is_offline(terminated)
    # A lock timeout is the busy database, a constraint or a plain SQLite error is neither.
    lock = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    assert not is_offline(lock)
    assert isinstance(as_known_error(_op_error(lock)), DatabaseBusyError)
    assert not is_offline(psycopg.errors.UniqueViolation("duplicate key"))
    assert not is_offline(_op_error(sqlite3.OperationalError("no such table: x")))
    assert as_known_error(ValueError("x")).__class__ is ValueError
