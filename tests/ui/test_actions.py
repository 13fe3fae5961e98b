"""The file actions: which are offered, and each dialog's write, refusal and printed slip."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import desk_app.ui.action_base
import desk_app.ui.actions
import desk_app.ui.preview
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle, printing, queries
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.action_dialogs import (
    CloseDialog,
    CorrectDialog,
    FinancialDialog,
    ForwardDialog,
    RescheduleDialog,
    ReturnDialog,
    SupplementDialog,
    make_dialog,
    parse_amount,
)
from desk_app.ui.actions import actions_for, run_action
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

KARAOKE = "1.001029"  # 5 working days
RECEIVED = datetime(2026, 3, 2, 9, 15)  # the fixtures' clock is 10:00 the same day


def _accept(ctx: UiContext) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=RECEIVED,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=RECEIVED)


def _load(ctx: UiContext, code: str) -> FileView:
    with ctx.db.reader.begin() as s:
        return queries.show_file(s, code)


def _move(ctx: UiContext, fn: Callable[..., FileView], view: FileView, *args: object) -> FileView:
    """A move made straight through the core (setting the file up for a test)."""
    with ctx.db.writer.begin() as s:
        return fn(s, MoveInput(view.code), *args, ctx.actor, now=ctx.now())


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@dataclass
class Shown:
    """What the preview and the message boxes were asked to show."""

    pdfs: list[tuple[bytes, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    found = Shown()

    def fake_show_pdf(parent: QWidget | None, pdf: bytes, title: str, file_name: str) -> None:
        found.pdfs.append((pdf, title, file_name))

    def fake_show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
        found.errors.append(str(exc))

    monkeypatch.setattr(desk_app.ui.preview, "show_pdf", fake_show_pdf)
    monkeypatch.setattr(desk_app.ui.action_base, "show_error", fake_show_error)
    monkeypatch.setattr(desk_app.ui.actions, "show_error", fake_show_error)
    return found


@dataclass
class Run:
    """One run_action: what it returned and what the dialog showed before it closed."""

    result: FileView | None
    field_errors: dict[str, str]
    typed: dict[str, str]


def _run(
    key: str,
    view: FileView,
    ctx: UiContext,
    qtbot: QtBot,
    shown: Shown,
    fill: Callable[[ActionDialog], None] = lambda d: None,
) -> Run:
    """Run action `key`, filling its dialog with `fill` and pressing OK.

    A dialog still open after OK (refused) has its messages noted and is cancelled.
    """
    parent = QWidget()
    qtbot.addWidget(parent)
    ctx.bus.changed.connect(shown.changes.append)
    notes: dict[str, dict[str, str]] = {}

    def hook(dialog: ActionDialog) -> None:
        fill(dialog)
        if not dialog.isVisible():  # `fill` cancelled it
            return
        dialog.submit()
        if dialog.isVisible():
            notes["errors"] = dialog.errors.visible_messages()
            reason = getattr(dialog, "reason", None)
            notes["typed"] = {"reason": reason.text()} if reason is not None else {}
            dialog.reject()

    try:
        result = run_action(key, view, ctx, parent, dialog_hook=hook)
    finally:
        ctx.bus.changed.disconnect(shown.changes.append)
    return Run(result, notes.get("errors", {}), notes.get("typed", {}))


# --- what is offered ------------------------------------------------------------------------


def test_actions_offered_per_status_and_role(ui_ctx: UiContext, supervisor_ctx: UiContext) -> None:
    def keys(view: FileView, ctx: UiContext) -> list[str]:
        return [spec.key for spec in actions_for(view, ctx)]

    accepted = _accept(ui_ctx)
    assert keys(accepted, ui_ctx) == [
        "forward",
        "request_supplement",
        "request_financial",
        "withdraw",
        "record_result",
        "correct",
    ]
    assert keys(accepted, supervisor_ctx)[-2:] == ["reschedule", "correct"]

    processing = _move(ui_ctx, lifecycle.forward, accepted)
    assert keys(processing, ui_ctx) == [
        "request_supplement",
        "request_financial",
        "withdraw",
        "stop",
        "record_result",
        "correct",
    ]

    supplement = _move(ui_ctx, lifecycle.request_supplement, processing, "Thiếu giấy")
    assert keys(supplement, ui_ctx) == ["receive_supplement", "withdraw", "correct"]
    assert keys(supplement, supervisor_ctx) == [
        "receive_supplement",
        "withdraw",
        "reschedule",
        "correct",
    ]

    processing = _move(ui_ctx, lifecycle.receive_supplement, supplement)
    settled = _move(ui_ctx, lifecycle.record_result, processing)
    # Postal moves are offered elsewhere; a settled file is no longer open: no reschedule.
    assert keys(settled, ui_ctx) == ["return_result", "correct"]
    assert keys(settled, supervisor_ctx) == ["return_result", "correct"]

    returned = _move(
        ui_ctx, functools.partial(lifecycle.return_result, receiver="Đặng Thị Ánh"), settled
    )
    assert keys(returned, ui_ctx) == []
    assert keys(returned, supervisor_ctx) == []


def test_every_action_has_text_and_its_own_shortcut(supervisor_ctx: UiContext) -> None:
    specs = actions_for(_accept(supervisor_ctx), supervisor_ctx)
    assert all(spec.text and spec.text != spec.key for spec in specs)
    shortcuts = [spec.shortcut for spec in specs]
    assert None not in shortcuts
    assert len(set(shortcuts)) == len(shortcuts)
    assert "Ctrl+Shift+P" not in shortcuts  # the panel's receipt


# --- each action ----------------------------------------------------------------------------


def test_forward_moves_to_processing_and_opens_the_handover_sheet(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, ForwardDialog)
        assert d.agency.text() == view.settling_agency

    run = _run("forward", view, ui_ctx, qtbot, shown, fill)
    assert run.result is not None
    assert run.result.status is Status.PROCESSING
    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.PROCESSING
    assert stored.events[-1].data == {"agency": view.settling_agency}
    assert Change.files(view.code) in shown.changes
    [(pdf, title, file_name)] = shown.pdfs
    assert pdf.startswith(b"%PDF")
    assert "PHIẾU KIỂM SOÁT" in _pdf_text(pdf)
    assert title == "Handover control sheet"
    assert view.code in file_name


def test_request_supplement_prints_the_slip_with_reason_and_papers(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)
    first_document = view.documents[0].name

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, SupplementDialog)
        d.reason.setText("Đơn chưa ghi đủ địa điểm kinh doanh")
        d.set_checked([first_document])
        d.other.setPlainText("Bản sao hợp đồng thuê nhà\n\n")

    run = _run("request_supplement", view, ui_ctx, qtbot, shown, fill)
    assert run.result is not None
    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.SUPPLEMENT
    data = stored.events[-1].data or {}
    assert data["missing"] == [first_document, "Bản sao hợp đồng thuê nhà"]
    [(pdf, title, file_name)] = shown.pdfs
    text = _pdf_text(pdf)
    assert "Đơn chưa ghi đủ địa điểm kinh doanh" in text
    assert "Bản sao hợp đồng thuê nhà" in text
    assert title == "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    assert str(data["slip_number"]).replace("/", "-") in file_name
    # The slip was archived as issued, and the panel's slip list was told.
    with ui_ctx.db.reader.begin() as s:
        assert [slip.kind for slip in printing.list_slips(s, view.code)] == ["supplement"]
    assert Change(frozenset({"slips"}), frozenset({view.code})) in shown.changes


def test_empty_reason_is_refused_next_to_the_field_and_nothing_changes(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, SupplementDialog)
        d.reason.setText("   ")
        d.other.setPlainText("Bản sao hợp đồng thuê nhà")

    run = _run("request_supplement", view, ui_ctx, qtbot, shown, fill)
    assert run.result is None
    assert run.field_errors == {"reason": "Cần ghi rõ lý do."}
    stored = _load(ui_ctx, view.code)
    assert (stored.status, stored.version) == (Status.ACCEPTED, view.version)
    assert shown.pdfs == []
    assert shown.changes == []
    assert shown.errors == []


def test_receive_supplement_resumes_processing(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _move(ui_ctx, lifecycle.request_supplement, _accept(ui_ctx), "Thiếu giấy")
    run = _run("receive_supplement", view, ui_ctx, qtbot, shown)
    assert run.result is not None
    assert _load(ui_ctx, view.code).status is Status.PROCESSING
    assert shown.pdfs == []


def test_result_then_return_at_the_counter(ui_ctx: UiContext, qtbot: QtBot, shown: Shown) -> None:
    view = _move(ui_ctx, lifecycle.forward, _accept(ui_ctx))
    settled = _run("record_result", view, ui_ctx, qtbot, shown).result
    assert settled is not None
    assert _load(ui_ctx, view.code).status is Status.SETTLED

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, ReturnDialog)
        assert d.receiver.text() == "Đặng Thị Ánh"
        d.receiver.setText("Hoàng Văn Bình")

    returned = _run("return_result", settled, ui_ctx, qtbot, shown, fill).result
    assert returned is not None
    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.RETURNED
    assert stored.events[-1].data == {"receiver": "Hoàng Văn Bình"}


@pytest.mark.parametrize(
    ("key", "forwarded", "status"),
    [("withdraw", False, Status.WITHDRAWN), ("stop", True, Status.STOPPED)],
)
def test_withdraw_and_stop_record_their_reason(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown, key: str, forwarded: bool, status: Status
) -> None:
    view = _accept(ui_ctx)
    if forwarded:
        view = _move(ui_ctx, lifecycle.forward, view)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, CloseDialog)
        d.reason.setText("Công dân có đơn xin rút")

    assert _run(key, view, ui_ctx, qtbot, shown, fill).result is not None
    stored = _load(ui_ctx, view.code)
    assert stored.status is status
    assert stored.events[-1].note == "Công dân có đơn xin rút"


def test_financial_obligation_with_amount(ui_ctx: UiContext, qtbot: QtBot, shown: Shown) -> None:
    view = _accept(ui_ctx)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, FinancialDialog)
        d.reason.setText("Nộp lệ phí trước bạ")
        d.amount.setText("1.500.000 đ")

    assert _run("request_financial", view, ui_ctx, qtbot, shown, fill).result is not None
    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.FINANCIAL
    assert (stored.events[-1].data or {})["amount"] == 1_500_000
    done = _run("financial_done", stored, ui_ctx, qtbot, shown).result
    assert done is not None
    assert done.status is Status.PROCESSING


def test_amount_that_is_not_a_number_is_refused_locally(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    assert parse_amount(" 250,000 VND ") == 250_000
    assert parse_amount("") is None
    view = _accept(ui_ctx)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, FinancialDialog)
        d.reason.setText("Nộp thuế")
        d.amount.setText("một triệu")

    run = _run("request_financial", view, ui_ctx, qtbot, shown, fill)
    assert run.result is None
    assert list(run.field_errors) == ["amount"]
    assert run.typed == {"reason": "Nộp thuế"}
    assert _load(ui_ctx, view.code).status is Status.ACCEPTED


def test_an_earlier_moment_is_recorded_and_a_future_one_refused(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def future(d: ActionDialog) -> None:
        assert d.moment is not None
        d.moment.setDateTime(QDateTime(datetime(2026, 3, 2, 11, 0)))

    run = _run("forward", view, ui_ctx, qtbot, shown, future)
    assert run.result is None
    assert run.field_errors == {"at": "Thời điểm ghi nhận không được ở tương lai."}

    def earlier(d: ActionDialog) -> None:
        assert d.moment is not None
        d.moment.setDateTime(QDateTime(datetime(2026, 3, 2, 9, 40)))

    assert _run("forward", view, ui_ctx, qtbot, shown, earlier).result is not None
    assert _load(ui_ctx, view.code).events[-1].at == datetime(2026, 3, 2, 9, 40)


def test_reschedule_by_a_supervisor_prints_the_apology(
    supervisor_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(supervisor_ctx)
    assert view.due is not None
    new_due = datetime(2026, 3, 12, 9, 15)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, RescheduleDialog)
        d.new_due.setDateTime(QDateTime(new_due))
        d.reason.setText("Cần xác minh thực địa")

    run = _run("reschedule", view, supervisor_ctx, qtbot, shown, fill)
    assert run.result is not None
    stored = _load(supervisor_ctx, view.code)
    assert stored.due == new_due
    assert stored.original_due == view.original_due
    [(pdf, title, _name)] = shown.pdfs
    assert title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert "Cần xác minh thực địa" in _pdf_text(pdf)


def test_reschedule_by_an_officer_is_refused_by_the_core(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, RescheduleDialog)
        d.reason.setText("Cần xác minh thực địa")

    assert _run("reschedule", view, ui_ctx, qtbot, shown, fill).result is None
    assert len(shown.errors) == 1
    assert _load(ui_ctx, view.code).reschedules == ()


def test_stale_version_shows_the_core_message_and_keeps_the_input(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    seen = _accept(ui_ctx)
    _move(ui_ctx, lifecycle.forward, seen)  # someone else at another desk

    def fill(d: ActionDialog) -> None:
        assert isinstance(d, CloseDialog)
        d.reason.setText("Công dân có đơn xin rút")

    run = _run("withdraw", seen, ui_ctx, qtbot, shown, fill)
    assert run.result is None
    assert len(shown.errors) == 1
    assert "vừa được người khác cập nhật" in shown.errors[0]
    assert run.typed == {"reason": "Công dân có đơn xin rút"}
    assert _load(ui_ctx, seen.code).status is Status.PROCESSING


def test_correct_a_field_and_a_bad_value_shown_under_the_new_value(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def bad(d: ActionDialog) -> None:
        assert isinstance(d, CorrectDialog)
        d.choose("sets_count")
        assert d.new_value.text() == str(view.sets_count)
        d.new_value.setText("hai")
        d.reason.setText("Ghi nhầm số bộ")

    run = _run("correct", view, ui_ctx, qtbot, shown, bad)
    assert run.result is None
    assert run.field_errors == {"new_value": "Giá trị phải là số nguyên."}

    def good(d: ActionDialog) -> None:
        assert isinstance(d, CorrectDialog)
        d.choose("sets_count")
        d.new_value.setText("2")
        d.reason.setText("Ghi nhầm số bộ")

    assert _run("correct", view, ui_ctx, qtbot, shown, good).result is not None
    stored = _load(ui_ctx, view.code)
    assert stored.sets_count == 2
    assert stored.events[-1].action == "correct"


def test_a_slip_that_fails_to_print_leaves_the_step_recorded(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(printing, "print_handover", broken)
    view = _accept(ui_ctx)
    assert _run("forward", view, ui_ctx, qtbot, shown).result is not None
    assert _load(ui_ctx, view.code).status is Status.PROCESSING
    assert shown.pdfs == []
    assert shown.errors == ["[Errno 28] No space left on device"]


# --- keyboard -------------------------------------------------------------------------------


def test_ctrl_return_accepts_and_escape_cancels(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    view = _accept(ui_ctx)

    def escape(d: ActionDialog) -> None:
        qtbot.keyClick(d, Qt.Key.Key_Escape)

    assert _run("forward", view, ui_ctx, qtbot, shown, escape).result is None
    assert _load(ui_ctx, view.code).status is Status.ACCEPTED

    def hook(d: ActionDialog) -> None:
        assert isinstance(d, SupplementDialog)
        d.reason.setText("Thiếu giấy")
        # From inside the multi-line box, where a plain Return only adds a line.
        # Shortcuts reach only the active window (a real screen activates it on its own).
        d.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is d)
        d.other.setFocus()
        qtbot.keyClick(d.other, Qt.Key.Key_Return)
        assert d.isVisible()
        qtbot.keyClick(d.other, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if d.isVisible():
            d.reject()

    parent = QWidget()
    qtbot.addWidget(parent)
    result = run_action("request_supplement", view, ui_ctx, parent, dialog_hook=hook)
    assert result is not None
    assert _load(ui_ctx, view.code).status is Status.SUPPLEMENT


def test_busy_dialog_cannot_be_cancelled(ui_ctx: UiContext, qtbot: QtBot) -> None:
    view = _accept(ui_ctx)
    dialog = make_dialog("forward", view, ui_ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._set_busy(True)
    dialog.reject()
    assert dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    dialog._set_busy(False)
    dialog.reject()
    assert not dialog.isVisible()


def test_unknown_action_is_a_bug(ui_ctx: UiContext, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    with pytest.raises(ValueError, match="postal_handover"):
        run_action("postal_handover", _accept(ui_ctx), ui_ctx, parent)


def _shown_dialog(d: ActionDialog, qtbot: QtBot) -> None:
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is d)


def test_tab_leaves_a_date_field_so_the_reason_typed_next_is_kept(
    supervisor_ctx: UiContext, qtbot: QtBot
) -> None:
    d = RescheduleDialog(_accept(supervisor_ctx), supervisor_ctx, None)
    _shown_dialog(d, qtbot)
    before = d.new_due.dateTime()
    d.new_due.setFocus()
    qtbot.keyClick(d.new_due, Qt.Key.Key_Tab)
    assert d.reason.hasFocus()
    qtbot.keyClicks(d.focusWidget(), "Cho y kien")
    assert d.reason.text() == "Cho y kien"
    assert d.new_due.dateTime() == before
    # Back again with Shift+Tab, also in one press.
    qtbot.keyClick(d.reason, Qt.Key.Key_Backtab)
    assert d.new_due.hasFocus()

    close = make_dialog("withdraw", _accept(supervisor_ctx), supervisor_ctx, None)
    _shown_dialog(close, qtbot)
    assert close.moment is not None
    close.moment.setFocus()
    qtbot.keyClick(close.moment, Qt.Key.Key_Tab)
    assert not close.moment.hasFocus()


def test_a_fields_error_goes_once_the_field_is_edited(
    ui_ctx: UiContext, qtbot: QtBot, shown: Shown
) -> None:
    d = make_dialog("request_supplement", _accept(ui_ctx), ui_ctx, None)
    assert isinstance(d, SupplementDialog)
    _shown_dialog(d, qtbot)
    d.errors.show({"reason": "Cần ghi rõ lý do.", "at": "Không được ở tương lai."})
    assert d.errors.message("reason") == "Cần ghi rõ lý do."
    qtbot.keyClicks(d.reason, "T")
    assert d.errors.message("reason") == ""
    assert d.errors.message("at") == "Không được ở tương lai."
    assert d.moment is not None
    d.moment.setDateTime(QDateTime(d.moment.dateTime().addSecs(-3600)))
    assert d.errors.visible_messages() == {}


def test_a_long_error_wraps_under_its_field_and_never_squashes_it(
    supervisor_ctx: UiContext, qtbot: QtBot
) -> None:
    d = RescheduleDialog(_accept(supervisor_ctx), supervisor_ctx, None)
    _shown_dialog(d, qtbot)
    d.errors.show({"reason": "Cần ghi rõ lý do của việc trả kết quả chậm. " * 6})
    qtbot.wait(10)
    label = d.findChild(QWidget, "error_reason")
    assert label is not None and label.isVisible()
    assert d.reason.height() >= d.reason.minimumSizeHint().height()
    assert label.height() >= label.heightForWidth(label.width())
    assert label.width() <= d.reason.width() + 1
