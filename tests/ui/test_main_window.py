"""The main window: queues with counts, the list, the search box, the detail and the status bar."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.services import intake, lifecycle
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database, open_database
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.file_model import CODE_ROLE
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from tests.ui.conftest import NOW

KARAOKE = "1.001029"


def _accept(ctx: UiContext, name: str, received: datetime, **kw: str) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name, **kw),
        received_at=received,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=received)


def _window(ctx: UiContext, qtbot: QtBot) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts fire only in the active window
    return window


def _codes(window: MainWindow) -> list[str]:
    m = window.model
    return [str(m.data(m.index(r, 0), CODE_ROLE)) for r in range(m.rowCount())]


def test_queues_count_and_list_the_files(ui_ctx: UiContext, qtbot: QtBot) -> None:
    friday = datetime(2026, 2, 27, 9, 0)
    a = _accept(ui_ctx, "Hà Thị Thu", friday)
    b = _accept(ui_ctx, "Lý Văn Nam", friday + timedelta(minutes=5))
    with ui_ctx.db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(b.code), ui_ctx.actor, now=friday + timedelta(hours=1))
    window = _window(ui_ctx, qtbot)
    counts = window.queues.queue_model
    assert counts.count(ListQueue.NEW) == 1
    assert counts.count(ListQueue.PROCESSING) == 1
    assert counts.count(ListQueue.ALL) == 2
    assert window.queues.current_queue() is ListQueue.NEW
    assert _codes(window) == [a.code]
    # The first row is selected and shown on the right.
    assert window.detail.view is not None
    assert window.detail.view.code == a.code
    window.queues.select(ListQueue.PROCESSING)
    assert _codes(window) == [b.code]
    assert window.detail.view.code == b.code
    assert "Nguyễn Thị Lan" in window.user_label.text()
    assert str(ui_ctx.db.path) in window.db_label.toolTip()
    assert window.sync_label.text()


def test_search_box_opens_a_code_and_finds_names(ui_ctx: UiContext, qtbot: QtBot) -> None:
    monday = datetime(2026, 3, 2, 8, 0)
    a = _accept(ui_ctx, "Đặng Thị Ánh", monday, phone="0912345678")
    b = _accept(ui_ctx, "Đặng Văn Bình", monday + timedelta(minutes=1))
    window = _window(ui_ctx, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, b.code)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert _codes(window) == [b.code]
    assert window.detail.view is not None
    assert window.detail.view.code == b.code
    assert window.queues.current_queue() is None
    window.search.clear()
    qtbot.keyClicks(window.search, "dang thi anh")  # no diacritics, no capitals
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert _codes(window) == [a.code]
    window.search.clear()
    qtbot.keyClicks(window.search, "0912 345 678")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert _codes(window) == [a.code]
    window.search.clear()
    qtbot.keyClicks(window.search, "khong co ai")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert _codes(window) == []
    assert window.detail.view is None or window.detail.isVisible()


def test_a_change_anywhere_refreshes_counts_list_and_detail(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    monday = datetime(2026, 3, 2, 8, 0)
    a = _accept(ui_ctx, "Mai Anh Tuấn", monday)
    window = _window(ui_ctx, qtbot)
    assert _codes(window) == [a.code]
    with ui_ctx.db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(a.code), ui_ctx.actor, now=monday + timedelta(hours=1))
    ui_ctx.bus.announce(Change.files(a.code))
    assert _codes(window) == []  # left "Mới tiếp nhận"
    assert window.queues.queue_model.count(ListQueue.PROCESSING) == 1
    window.queues.select(ListQueue.PROCESSING)
    assert window.detail.view is not None
    assert window.detail.view.status.label == "Đang xử lý"


def test_sorting_by_a_header_click_keeps_the_selected_file(ui_ctx: UiContext, qtbot: QtBot) -> None:
    monday = datetime(2026, 3, 2, 7, 30)
    views = [_accept(ui_ctx, n, monday + timedelta(minutes=i))
             for i, n in enumerate(["Vương Hà", "Âu Cơ", "Đào Duy Từ"])]  # fmt: skip
    window = _window(ui_ctx, qtbot)
    window.table.selectRow(2)
    chosen = window.current_code()
    header = window.table.horizontalHeader()
    applicant = window.table.column("applicant")
    header.sectionClicked.emit(applicant)  # ascending
    names = [window.model.data(window.model.index(r, applicant)) for r in range(3)]
    assert names == ["Âu Cơ", "Đào Duy Từ", "Vương Hà"]
    assert window.current_code() == chosen
    header.sectionClicked.emit(applicant)  # again: descending
    names = [window.model.data(window.model.index(r, applicant)) for r in range(3)]
    assert names == ["Vương Hà", "Đào Duy Từ", "Âu Cơ"]
    assert {v.code for v in views} == set(_codes(window))


def test_the_supervisor_window_is_for_supervisors_and_opens_files_here(
    supervisor_ctx: UiContext, qtbot: QtBot
) -> None:
    a = _accept(supervisor_ctx, "Đinh Thị Hoa", datetime(2026, 2, 20, 8, 0))  # overdue now
    window = _window(supervisor_ctx, qtbot)
    assert window.supervisor_action.isVisible()
    window.supervisor_action.trigger()
    supervisor = window._supervisor
    assert supervisor is not None
    assert supervisor.isVisible()
    tabs = [supervisor.tabs.widget(i) for i in range(supervisor.tabs.count())]
    assert tabs == [
        supervisor.dashboard,
        supervisor.statistics,
        supervisor.index,
        supervisor.satisfaction,
        supervisor.queue,
    ]
    supervisor.dashboard.open_file.emit(a.code)
    assert window.detail.view is not None
    assert window.detail.view.code == a.code


def test_officers_do_not_get_the_supervisor_window(ui_ctx: UiContext, qtbot: QtBot) -> None:
    window = _window(ui_ctx, qtbot)
    assert not window.supervisor_action.isVisible()
    window.supervisor_action.trigger()
    assert window._supervisor is None


def test_the_deadline_columns_fit_a_small_screen_and_headers_are_whole(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    _accept(ui_ctx, "Công ty Cổ phần Du lịch và Thương mại Bắc Sơn", datetime(2026, 3, 2, 8, 0))
    window = _window(ui_ctx, qtbot)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.table.viewport().width() > 0)
    table, header = window.table, window.table.horizontalHeader()
    viewport = table.viewport().width()
    for key in ("code", "due", "remaining", "status"):
        section = table.column(key)
        assert header.sectionViewportPosition(section) >= 0
        assert header.sectionViewportPosition(section) + header.sectionSize(section) <= viewport
    metrics = header.fontMetrics()
    for section in range(header.count()):
        text = str(window.model.headerData(section, Qt.Orientation.Horizontal))
        assert header.sectionSize(section) > metrics.horizontalAdvance(text), text
    # The file panel's tabs side by side, no scroll arrows.
    bar = window.detail.tabs.tabBar()
    assert bar.sizeHint().width() <= bar.width()
    # A long procedure is elided in its cell; its tooltip has it whole.
    index = window.model.index(0, table.column("procedure"))
    assert str(window.model.data(index, Qt.ItemDataRole.ToolTipRole)).startswith(KARAOKE + " — ")


def test_column_widths_and_order_are_kept_for_each_user(ui_ctx: UiContext, qtbot: QtBot) -> None:
    window = _window(ui_ctx, qtbot)
    header = window.table.horizontalHeader()
    officer = window.table.column("officer")
    default = header.sectionSize(officer)
    header.resizeSection(officer, default + 77)
    header.moveSection(header.visualIndex(officer), 0)
    window.close()

    again = _window(ui_ctx, qtbot)
    header = again.table.horizontalHeader()
    assert header.sectionSize(officer) == default + 77
    assert header.visualIndex(officer) == 0
    # Someone else signing in to this window gets their own layout (here: the defaults)...
    mine = ui_ctx.actor
    ui_ctx.actor = replace(mine, user_id=999, username="canbo_khac", name="Cán bộ khác")
    again.set_actor_labels()
    assert header.sectionSize(officer) == default
    assert header.visualIndex(officer) == officer
    # ... and the first user's comes back with them.
    ui_ctx.actor = mine
    again.set_actor_labels()
    assert header.sectionSize(officer) == default + 77


def test_after_intake_or_refusal_the_new_file_is_selected_in_a_queue_that_lists_it(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    window = _window(ui_ctx, qtbot)
    window.queues.select(ListQueue.PROCESSING)
    view = _accept(ui_ctx, "Hà Thị Thu", datetime(2026, 3, 2, 9, 0))
    ui_ctx.bus.announce(Change.files(view.code))
    window._on_intake_accepted_file(view)
    assert window.queues.current_queue() is ListQueue.NEW
    assert window.current_code() == view.code
    assert window.focusWidget() is window.table  # the officer goes on by keyboard
    assert window.detail.view is not None
    assert window.detail.view.code == view.code

    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Lý Văn Nam"),
        received_at=NOW,
    )
    with ui_ctx.db.writer.begin() as s:
        refused = intake.refuse_file(s, data, "Sai thẩm quyền", ui_ctx.actor, now=NOW)
    ui_ctx.bus.announce(Change.files(refused.code))
    window._on_intake_accepted_file(refused)
    assert window.queues.current_queue() is ListQueue.ALL  # a refused file is in no other
    assert window.current_code() == refused.code


def test_the_queue_names_fit_once_their_counts_arrive(
    db: Database, officer: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    """The counts are read off the GUI thread after the panes were first sized: the pane
    widens to them, so no queue's name and count is cut at 1366×768."""
    window_db = open_database(db.path)
    runner = OpRunner()  # a real worker: the counts come after the window is laid out
    ctx = UiContext(
        db=window_db,
        actor=officer,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    try:
        for i in range(12):
            _accept(ctx, f"Người thứ {i}", datetime(2026, 3, 2, 8, i))
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        counts = window.queues.queue_model
        qtbot.waitUntil(lambda: counts.count(ListQueue.ALL) == 12, timeout=10_000)
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        queues = window.queues
        widest = max(queues.sizeHintForIndex(counts.index(r, 0)).width() for r in range(12))
        assert widest <= queues.viewport().width()
        assert "(12)" in str(counts.data(counts.index(counts.row_of(ListQueue.ALL), 0)))
    finally:
        runner.shutdown()
        window_db.dispose()
