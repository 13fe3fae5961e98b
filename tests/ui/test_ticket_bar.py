"""The counter's place in the hall's queue (issue 16): "Call next" (F8) calls the oldest waiting
ticket and shows it on the status bar, F7 calls it again, "Skip" gives up on it, a ticket is issued
and printed from the menu, and the intake dialog links the called ticket to the file it saves."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desk_app.services import tickets
from desk_app.store.changes import ALL_KINDS
from desk_app.store.engine import open_database
from desk_app.ui.bus import ELSEWHERE, Change
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ticket_bar import TicketBar
from tests.ui.conftest import NOW
from tests.ui.counter_window import OFFSCREEN_WARNINGS, at_counter

COUNTER = "Quầy 2"

pytestmark = OFFSCREEN_WARNINGS


@pytest.fixture
def ctx(ui_ctx: UiContext) -> UiContext:
    return at_counter(ui_ctx, COUNTER)


@pytest.fixture
def pdfs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    shown: list[tuple[bytes, str]] = []

    def fake_show_pdf(_parent: QWidget | None, pdf: bytes, _title: str, name: str) -> None:
        shown.append((pdf, name))

    monkeypatch.setattr("desk_app.ui.preview.show_pdf", fake_show_pdf)
    return shown


@pytest.fixture
def window(ctx: UiContext, qtbot: QtBot) -> Iterator[MainWindow]:
    with ctx.db.writer.begin() as s:
        group = tickets.groups(s)[0].id
        for i in range(3):
            tickets.issue_ticket(s, group, NOW - timedelta(minutes=30 - i))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _row(ctx: UiContext, number: int) -> dict[str, object]:
    with ctx.db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT t.status, t.recalls, t.counter_name, f.code FROM tickets t "
                "LEFT JOIN files f ON f.id = t.file_id WHERE t.number = :n"
            ),
            {"n": number},
        ).one()
    return dict(row._mapping)


def test_f8_calls_f7_recalls_and_skip_gives_up(window: MainWindow, qtbot: QtBot) -> None:
    bar = window.ticket_bar
    assert bar.current is None and bar.waiting == 3
    assert not bar.recall_action.isEnabled()
    label = window.findChild(QWidget, "ticketNumber")
    assert label is bar.number_label and label.isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_F8)
    assert bar.current is not None and bar.current.label == "A001" and bar.waiting == 2
    assert "A001" in bar.number_label.text() and "2" in bar.number_label.text()
    assert _row(window.ctx, 1)["status"] == "called"
    assert _row(window.ctx, 1)["counter_name"] == COUNTER
    qtbot.keyClick(window.table, Qt.Key.Key_F7)
    assert _row(window.ctx, 1)["recalls"] == 1
    bar.skip_action.trigger()
    assert bar.current is None and _row(window.ctx, 1)["status"] == "skipped"
    qtbot.keyClick(window.table, Qt.Key.Key_F8)
    assert bar.current is not None and bar.current.label == "A002"


def test_a_ticket_issued_at_the_counter_is_printed(
    window: MainWindow, pdfs: list[tuple[bytes, str]]
) -> None:
    bar = window.ticket_bar
    issue = bar.findChild(object, "ticketIssueA")
    assert issue is not None
    issue.trigger()  # type: ignore[attr-defined]
    assert bar.waiting == 4 and len(pdfs) == 1
    pdf, name = pdfs[0]
    words = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert name == "so-thu-tu-A004.pdf" and "A004" in words and "quý khách: 3" in words


def test_the_intake_links_the_called_ticket_to_the_file(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, pdfs: list[object]
) -> None:
    bar = window.ticket_bar
    bar.call_next()
    called = bar.current
    assert called is not None
    window.new_file_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, IntakeDialog))
    assert dialog.ticket_id == called.id
    qtbot.keyClicks(dialog.form.procedure, "giay phep KARAOKE")
    qtbot.keyClick(dialog.form.procedure, Qt.Key.Key_Return)
    dialog.form.name.setText("Đặng Thị Ánh")
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a: ("Thiếu giấy tờ", True))
    with qtbot.waitSignal(dialog.accepted_file) as refused:
        dialog.refuse()
    row = _row(window.ctx, called.number)
    assert row["status"] == "served" and row["code"] == refused.args[0].code
    assert bar.current is None
    dialog.close()


def test_the_groups_this_counter_calls_are_kept_on_the_machine(
    ctx: UiContext, qtbot: QtBot
) -> None:
    with ctx.db.writer.begin() as s:
        a = tickets.groups(s)[0].id
        b = tickets.add_group(s, "B", "Hộ tịch").id
        tickets.issue_ticket(s, a, NOW - timedelta(minutes=5))
        tickets.issue_ticket(s, b, NOW - timedelta(minutes=4))
    first = TicketBar(ctx)
    qtbot.addWidget(first)
    assert first.group_ids() == [a, b] and first.waiting == 2
    assert ctx.prefs.called_groups(ctx.db.label) is None  # nothing chosen yet: every group
    untick = first.findChild(QAction, "ticketGroupA")
    assert untick is not None
    untick.setChecked(False)
    assert first.group_ids() == [b] and first.waiting == 1
    assert ctx.prefs.called_groups(ctx.db.label) == {b}

    # The counter's program started again: B only, and F8 calls B's number.
    again = TicketBar(ctx)
    qtbot.addWidget(again)
    assert again.group_ids() == [b] and again.waiting == 1
    box = again.findChild(QAction, "ticketGroupA")
    assert box is not None and not box.isChecked()
    again.call_next()
    assert again.current is not None and again.current.label == "B001"
    # Another database on the same machine keeps its own choice.
    assert ctx.prefs.called_groups("another.sqlite") is None


def test_the_waiting_count_follows_the_other_counters(ctx: UiContext, qtbot: QtBot) -> None:
    bar = TicketBar(ctx)
    qtbot.addWidget(bar)
    assert bar.waiting == 0
    other = open_database(ctx.db.path)  # a kiosk's or another counter's connection
    try:
        with other.writer.begin() as s:
            group = tickets.groups(s)[0].id
            for i in range(2):
                tickets.issue_ticket(s, group, NOW + timedelta(minutes=i))
            tickets.add_group(s, "C", "Đất đai")
    finally:
        other.dispose()
    assert bar.waiting == 0  # not heard yet
    # What the change feed's relay announces for a write made elsewhere (SQLite: everything).
    ctx.ops.notify(Change(ALL_KINDS), origin=ELSEWHERE)
    assert bar.waiting == 2 and "2" in bar.number_label.text()
    assert bar.findChild(QAction, "ticketIssueC") is not None
