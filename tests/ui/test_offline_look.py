"""The window offline on a 1366×768 counter screen: the banner is one line (the server's long
address shortened in its middle, everything in the tooltip) and the queue pane keeps its width,
its counts greyed with a star rather than a few more words."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from desk_app.services import intake
from desk_app.services.browse import ListQueue
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from desk_app.ui.offline import STALE_MARK, OfflineBanner, ServerWatch, queue_count_text
from tests.ui.conftest import NOW

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

LONG_URL = (
    "postgresql+psycopg://mot-cua@may-chu-du-lieu.trung-tam-phuc-vu-hanh-chinh-cong.lang-son"
    ".gov.vn:5432/trung_tam_mot_cua_tinh_lang_son?sslmode=verify-full"
)
SHOTS = os.environ.get("DESK_TEST_SHOTS")  # a folder: the screens are saved there to look at


@pytest.fixture
def centre_ctx(ui_ctx: UiContext) -> Iterator[UiContext]:
    """The test's desk with a few files, labelled as a centre's server with a long address
    (only the banner shows the label)."""
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
    for _ in range(3):
        with ui_ctx.db.writer.begin() as s:
            intake.accept_file(s, data, ui_ctx.actor, now=NOW)
    ui_ctx.db = dataclasses.replace(ui_ctx.db, url=LONG_URL, path=None)
    yield ui_ctx
    ServerWatch.of(ui_ctx).stop()


def _offline(ctx: UiContext) -> ServerWatch:
    watch = ServerWatch.of(ctx)
    watch.go_offline("test")
    watch.stop()  # no probe: the test's database would answer
    return watch


def _shot(window: MainWindow, name: str) -> None:
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / name))


def test_a_stale_count_is_never_wider_than_the_current_one(qapp: object) -> None:
    metrics = QListView().fontMetrics()  # the queue list's font
    for queue in ListQueue:
        for count in (0, 7, 12, 480, 1_234, 98_765):
            current = queue_count_text(queue.label, count, stale=False)
            stale = queue_count_text(queue.label, count, stale=True)
            assert stale.endswith(STALE_MARK) and f"{count:,}".replace(",", ".") in stale
            assert metrics.horizontalAdvance(stale) <= metrics.horizontalAdvance(current)
    assert queue_count_text("Tất cả", None, stale=True) == "Tất cả"
    assert queue_count_text("Tất cả", 1234, stale=False) == "Tất cả  (1.234)"


def test_the_offline_banner_is_one_line_with_the_address_shortened(
    centre_ctx: UiContext, qtbot: QtBot
) -> None:
    window = MainWindow(centre_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    watch = _offline(centre_ctx)
    banner = window.findChild(OfflineBanner)
    assert banner is not None
    qtbot.waitUntil(banner.isVisible)
    _shot(window, "offline-1366x768.png")
    line = banner.text
    metrics = line.fontMetrics()
    # One line: no taller than the retry button (or a line of text) and the margins.
    assert "\n" not in line.text() and not line.wordWrap()
    assert line.height() < 2 * metrics.lineSpacing()
    one_line = max(banner.retry.sizeHint().height(), metrics.lineSpacing())
    margins = banner.layout().contentsMargins()
    assert banner.height() <= one_line + margins.top() + margins.bottom() + 2
    assert metrics.horizontalAdvance(line.text()) <= line.contentsRect().width()
    # The address is shortened in its middle; the whole of it and what to do in the tooltip.
    assert "…" in line.text() and LONG_URL not in line.text()
    assert line.text().startswith("No connection to the centre's server (postgresql+psycopg://")
    assert "verify-full" in line.text()  # its end is still there
    assert watch.since is not None and watch.since.strftime("%H:%M:%S") in line.text()
    assert LONG_URL in banner.toolTip() and "network cable" in banner.toolTip()
    # The window still fits the screen.
    assert window.minimumSizeHint().width() <= 1366
    assert window.width() <= 1366


def test_a_narrow_window_cuts_the_banner_not_widens(centre_ctx: UiContext, qtbot: QtBot) -> None:
    window = MainWindow(centre_ctx)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    _offline(centre_ctx)
    banner = window.findChild(OfflineBanner)
    assert banner is not None
    qtbot.waitUntil(banner.isVisible)
    assert window.width() == 1024
    line = banner.text
    assert line.fontMetrics().horizontalAdvance(line.text()) <= line.contentsRect().width()


def test_the_queue_pane_keeps_its_width_offline(centre_ctx: UiContext, qtbot: QtBot) -> None:
    window = MainWindow(centre_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    counts = window.queues.queue_model
    qtbot.waitUntil(lambda: counts.count(ListQueue.NEW) == 3)
    online = window.splitter.sizes()
    _offline(centre_ctx)
    qtbot.waitUntil(lambda: counts.stale)
    qtbot.wait(50)
    _shot(window, "offline-queues-1366x768.png")
    assert window.splitter.sizes()[0] <= online[0]
    assert window.splitter.sizes()[1] >= online[1]  # the file list keeps its columns
    row = counts.index(counts.row_of(ListQueue.NEW), 0)
    assert str(counts.data(row)).endswith(STALE_MARK)
