"""After a step the list follows the file: selected, in a queue that shows it, in the panel.

Every step is taken as the officer takes it: the panel's button opens the real dialog, which
writes to a real SQLite file through the window's runner. Afterwards the file is the selected
row of a queue that lists it (the queue shown if it still lists the file, else the queue of
its new status, else all files), the row is inside the list's viewport, the panel shows the
file in its new status, and the keyboard is in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import desk_app.ui.preview
from desk_app.domain.codes import s10_check_digit
from desk_app.domain.documents import ResultBy
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle, post
from desk_app.services.browse import ListQueue
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database, open_database
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.action_dialogs import ReturnDialog
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.post_dialogs import HandOverDialog, OutcomeDialog
from desk_app.ui.prefs import Prefs
from desk_app.ui.queues import STATUS_QUEUES, queue_to_follow
from tests.ui.conftest import NOW

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

KARAOKE = "1.001029"  # 5 working days
RECEIVED = datetime(2026, 3, 2, 9, 15)  # the fixtures' clock is 10:00 the same day
ADDRESS = "Số 12 đường Trần Phú, phường Ba Đình, thành phố Hà Nội"
TRACKING = f"RR12345678{s10_check_digit('12345678')}VN"
SCREEN = (1366, 768)

Move = Callable[[UiContext, str], object]
Fill = Callable[[ActionDialog], None]


def _accept(ctx: UiContext, name: str, received: datetime, *, by_post: bool = False) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name, phone="0912345678", address=ADDRESS),
        received_at=received,
        result_by=ResultBy.POST if by_post else ResultBy.COUNTER,
        delivery_name=name if by_post else None,
        delivery_phone="0912345678" if by_post else None,
        delivery_address=ADDRESS if by_post else None,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=received)


def _core(fn: Callable[..., object], *args: object, **kw: object) -> Move:
    """A move made straight through the core (setting a file up)."""

    def move(ctx: UiContext, code: str) -> object:
        with ctx.db.writer.begin() as s:
            return fn(s, MoveInput(code), *args, ctx.actor, now=ctx.now(), **kw)

    return move


def _handed(ctx: UiContext, code: str) -> object:
    with ctx.db.writer.begin() as s:
        return post.hand_over(
            s,
            code,
            tracking=TRACKING,
            postage=25000,
            paid_by="applicant",
            actor=ctx.actor,
            now=ctx.now(),
        )


FORWARD = _core(lifecycle.forward)
SUPPLEMENT = _core(lifecycle.request_supplement, "Thiếu bản sao giấy phép")
FINANCIAL = _core(lifecycle.request_financial, "Nộp phí thẩm định")
RESULT = _core(lifecycle.record_result)


def _nothing(dialog: ActionDialog) -> None:
    pass


def _reason(text: str) -> Fill:
    def fill(dialog: ActionDialog) -> None:
        reason = getattr(dialog, "reason", None)
        assert reason is not None, type(dialog).__name__
        reason.setText(text)

    return fill


def _receiver(dialog: ActionDialog) -> None:
    assert isinstance(dialog, ReturnDialog)
    dialog.receiver.setText("Đặng Văn Bình")


def _hand_over(dialog: ActionDialog) -> None:
    assert isinstance(dialog, HandOverDialog)
    dialog.tracking.setText(TRACKING)
    dialog.postage.setText("25.000")
    dialog.paid_by.setCurrentIndex(dialog.paid_by.findData("applicant"))


def _delivered(dialog: ActionDialog) -> None:
    assert isinstance(dialog, OutcomeDialog)
    assert dialog.signed_by is not None
    dialog.signed_by.setText("Đặng Văn Bình")


@dataclass(frozen=True)
class Step:
    """A file set up by `before`, shown in `shown`; action `key` answered by `fill`; then the
    list should show `queue` with the file selected, in `status`."""

    before: tuple[Move, ...]
    shown: ListQueue
    key: str
    queue: ListQueue
    status: Status
    fill: Fill = _nothing
    by_post: bool = False
    supervisor: bool = False


STEPS: dict[str, Step] = {
    "forward": Step((), ListQueue.NEW, "forward", ListQueue.PROCESSING, Status.PROCESSING),
    "forward, all files shown": Step(
        (), ListQueue.ALL, "forward", ListQueue.ALL, Status.PROCESSING
    ),
    "supplement request": Step(
        (FORWARD,),
        ListQueue.PROCESSING,
        "request_supplement",
        ListQueue.SUPPLEMENT,
        Status.SUPPLEMENT,
        _reason("Thiếu bản sao giấy chứng nhận an ninh, trật tự"),
    ),
    "supplement received": Step(
        (FORWARD, SUPPLEMENT),
        ListQueue.SUPPLEMENT,
        "receive_supplement",
        ListQueue.PROCESSING,
        Status.PROCESSING,
    ),
    "fee pause": Step(
        (FORWARD,),
        ListQueue.PROCESSING,
        "request_financial",
        ListQueue.FINANCIAL,
        Status.FINANCIAL,
        _reason("Nộp phí thẩm định"),
    ),
    "fee paid": Step(
        (FORWARD, FINANCIAL),
        ListQueue.FINANCIAL,
        "financial_done",
        ListQueue.PROCESSING,
        Status.PROCESSING,
    ),
    "result received": Step(
        (FORWARD,), ListQueue.PROCESSING, "record_result", ListQueue.RESULT_READY, Status.SETTLED
    ),
    "result received, by post": Step(
        (FORWARD,),
        ListQueue.PROCESSING,
        "record_result",
        ListQueue.POSTAL_PENDING,
        Status.SETTLED,
        by_post=True,
    ),
    "counter return": Step(
        (FORWARD, RESULT),
        ListQueue.RESULT_READY,
        "return_result",
        ListQueue.RETURNED,
        Status.RETURNED,
        _receiver,
    ),
    "stop": Step(
        (FORWARD,),
        ListQueue.PROCESSING,
        "stop",
        ListQueue.ALL,  # a stopped file is in no other queue
        Status.STOPPED,
        _reason("Cơ sở không đủ điều kiện"),
    ),
    "withdraw": Step(
        (), ListQueue.NEW, "withdraw", ListQueue.ALL, Status.WITHDRAWN, _reason("Rút hồ sơ")
    ),
    "reschedule": Step(
        (FORWARD,),
        ListQueue.PROCESSING,
        "reschedule",
        ListQueue.PROCESSING,  # still in processing: the queue shown stays
        Status.PROCESSING,
        _reason("Cần xác minh thực địa"),
        supervisor=True,
    ),
    "postal dispatch": Step(
        (FORWARD, RESULT),
        ListQueue.POSTAL_PENDING,
        "post_handover",
        ListQueue.IN_TRANSIT,
        Status.SETTLED,
        _hand_over,
        by_post=True,
    ),
    "postal delivery": Step(
        (FORWARD, RESULT, _handed),
        ListQueue.IN_TRANSIT,
        "post_delivered",
        ListQueue.RETURNED,
        Status.RETURNED,
        _delivered,
        by_post=True,
    ),
    "return to sender": Step(
        (FORWARD, RESULT, _handed),
        ListQueue.IN_TRANSIT,
        "post_returned",
        ListQueue.POSTAL_RETURNED,
        Status.SETTLED,
        _reason("Không tìm thấy địa chỉ"),
        by_post=True,
    ),
    "failed delivery attempt": Step(
        (FORWARD, RESULT, _handed),
        ListQueue.IN_TRANSIT,
        "post_failed",
        ListQueue.IN_TRANSIT,  # the post still holds it
        Status.SETTLED,
        _reason("Không có người nhận"),
        by_post=True,
    ),
}


@pytest.fixture
def no_previews(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    titles: list[str] = []

    def show(parent: QWidget | None, pdf: bytes, title: str, name: str) -> None:
        titles.append(title)

    monkeypatch.setattr(desk_app.ui.preview, "show_pdf", show)
    return titles


def _window(ctx: UiContext, qtbot: QtBot) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _answer(fill: Fill, errors: list[dict[str, str]]) -> None:
    """Answer the next action dialog (it runs its own event loop) with `fill`, then OK."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ActionDialog):
            QTimer.singleShot(10, answer)
            return
        fill(dialog)
        dialog.submit()
        if dialog.isVisible() and not dialog.busy:  # refused: note why, and leave
            errors.append(dialog.errors.visible_messages())
            dialog.reject()

    QTimer.singleShot(0, answer)


def _select(window: MainWindow, queue: ListQueue, file_id: int) -> None:
    window.queues.select(queue)
    row = window.model.row_of(file_id)
    assert row >= 0, f"{queue} does not list the file"
    window.table.selectRow(row)
    window.table.setFocus()


def _take_step(window: MainWindow, key: str, fill: Fill) -> None:
    errors: list[dict[str, str]] = []
    _answer(fill, errors)
    button = window.detail.action_buttons[key]
    button.setFocus()  # the officer clicked it (a shortcut from the list works the same)
    button.click()
    assert errors == []


def _sees(window: MainWindow, view: FileView, queue: ListQueue | None, status: Status) -> None:
    """What the officer sees: the queue, the file selected and in sight, the panel on it, the
    keyboard in the list."""
    assert window.queues.current_queue() is queue
    assert window.current_code() == view.code
    selected = window.table.selectionModel().selectedRows()
    assert [window.model.file_id(i.row()) for i in selected] == [view.id]
    index = window.table.currentIndex()
    assert window.table.viewport().rect().contains(window.table.visualRect(index))
    assert window.detail.view is not None
    assert (window.detail.view.code, window.detail.view.status) == (view.code, status)
    assert window.focusWidget() is window.table


@pytest.fixture
def threaded_ctx(qapp: object, db: Database, officer: Actor, tmp_path: Path) -> Iterator[UiContext]:
    """The window's own connection with a real worker thread, as the program runs: the step's
    notice, the list's reload and the follow's read arrive in their own time."""
    window_db = open_database(db.path)
    runner = OpRunner()
    yield UiContext(
        db=window_db,
        actor=officer,
        runner=runner,
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    runner.shutdown()
    window_db.dispose()


def _set_up(ctx: UiContext, step: Step) -> FileView:
    # Files received earlier stand in every queue the file passes through, before it: the
    # first row selected by default is never the file.
    for i, before in enumerate(((), (FORWARD,), (FORWARD, RESULT))):
        other = _accept(ctx, f"Người đến trước {i}", RECEIVED - timedelta(hours=1, minutes=i))
        for move in before:
            move(ctx, other.code)
    view = _accept(ctx, "Đặng Thị Ánh", RECEIVED, by_post=step.by_post)
    for move in step.before:
        move(ctx, view.code)
    return view


@pytest.mark.parametrize("name", list(STEPS))
def test_after_a_step_the_file_stays_selected_in_a_queue_that_lists_it(
    name: str,
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    no_previews: list[str],
) -> None:
    step = STEPS[name]
    ctx: UiContext = request.getfixturevalue("supervisor_ctx" if step.supervisor else "ui_ctx")
    view = _set_up(ctx, step)
    window = _window(ctx, qtbot)
    _select(window, step.shown, view.id)
    assert window.current_code() == view.code

    _take_step(window, step.key, step.fill)

    _sees(window, view, step.queue, step.status)
    counts = window.queues.queue_model
    assert counts.count(step.queue) == window.model.rowCount()


@pytest.mark.parametrize(
    "name", ["forward", "counter return", "stop", "failed delivery attempt", "postal delivery"]
)
def test_the_list_follows_with_the_worker_on_its_own_thread(
    name: str, threaded_ctx: UiContext, qtbot: QtBot, no_previews: list[str]
) -> None:
    ctx, step = threaded_ctx, STEPS[name]
    view = _set_up(ctx, step)
    window = _window(ctx, qtbot)

    def idle() -> None:
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)

    idle()
    window.queues.select(step.shown)
    idle()
    _select_row_of(window, view.id)
    qtbot.waitUntil(lambda: window.detail.view is not None and window.detail.view.id == view.id)
    qtbot.waitUntil(lambda: step.key in window.detail.action_buttons)

    _take_step(window, step.key, step.fill)

    idle()
    qtbot.waitUntil(lambda: _sees(window, view, step.queue, step.status), timeout=10_000)


def test_a_step_on_a_searched_file_keeps_the_search_results(
    ui_ctx: UiContext, qtbot: QtBot, no_previews: list[str]
) -> None:
    view = _accept(ui_ctx, "Đặng Thị Ánh", RECEIVED)
    _accept(ui_ctx, "Đặng Thị Bích", RECEIVED + timedelta(minutes=1))
    window = _window(ui_ctx, qtbot)
    window.search.setText("Đặng Thị")
    window.search.returnPressed.emit()
    assert window.queues.current_queue() is None
    assert window.model.rowCount() == 2
    _select_row_of(window, view.id)
    _take_step(window, "forward", _nothing)
    _sees(window, view, None, Status.PROCESSING)  # the results still hold it
    assert window.model.rowCount() == 2


def _select_row_of(window: MainWindow, file_id: int) -> None:
    row = window.model.row_of(file_id)
    assert row >= 0
    window.table.selectRow(row)
    window.table.setFocus()


def test_the_rule_the_queue_shown_else_the_status_queue_else_all() -> None:
    processing = {ListQueue.PROCESSING, ListQueue.DUE_SOON, ListQueue.ALL}
    assert queue_to_follow(ListQueue.DUE_SOON, processing) is ListQueue.DUE_SOON
    assert queue_to_follow(ListQueue.NEW, processing) is ListQueue.PROCESSING
    assert queue_to_follow(ListQueue.OVERDUE, processing) is ListQueue.PROCESSING
    assert queue_to_follow(ListQueue.PROCESSING, {ListQueue.ALL}) is ListQueue.ALL
    assert queue_to_follow(None, processing, in_results=True) is None
    assert queue_to_follow(None, processing) is ListQueue.PROCESSING
    assert queue_to_follow(None, set()) is ListQueue.ALL
    assert ListQueue.DUE_SOON not in STATUS_QUEUES and ListQueue.ALL not in STATUS_QUEUES
