"""Results by post in the window: choosing it, hand-over, outcomes, the delivery-list import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

import desk_app.ui.action_base
import desk_app.ui.actions
import desk_app.ui.post_dialogs
import desk_app.ui.post_import
import desk_app.ui.preview
from desk_app.domain.codes import check_s10, s10_check_digit
from desk_app.domain.documents import ResultBy
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle, post, queries
from desk_app.services.lifecycle import MoveInput
from desk_app.services.post import PostalItemView
from desk_app.services.views import FileView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.post_dialogs import (
    POSTAL_HISTORY_HEADERS,
    ChoosePostDialog,
    HandOverDialog,
    OutcomeDialog,
    PostalImportDialog,
    postal_actions_for,
    postal_history_rows,
    run_postal_action,
)
from desk_app.ui.table_model import RowsModel

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

KARAOKE = "1.001029"
RECEIVED = datetime(2026, 3, 2, 9, 15)  # the fixtures' clock is 10:00 the same day
RESULT_AT = datetime(2026, 3, 2, 9, 30)
ADDRESS = "Số 12 đường Trần Phú, phường Ba Đình, thành phố Hà Nội"


def _s10(serial8: str, *, good: bool = True) -> str:
    digit = s10_check_digit(serial8)
    return f"RR{serial8}{digit if good else (digit + 1) % 10}VN"


def _accept(ctx: UiContext, *, by_post: bool = True) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh", phone="0912345678", address=ADDRESS),
        received_at=RECEIVED,
        result_by=ResultBy.POST if by_post else ResultBy.COUNTER,
        delivery_name="Đặng Thị Ánh" if by_post else None,
        delivery_phone="0912345678" if by_post else None,
        delivery_address=ADDRESS if by_post else None,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=RECEIVED)


def _result_back(ctx: UiContext, view: FileView) -> FileView:
    with ctx.db.writer.begin() as s:
        return lifecycle.record_result(s, MoveInput(view.code), ctx.actor, now=RESULT_AT)


def _load(ctx: UiContext, code: str) -> FileView:
    with ctx.db.reader.begin() as s:
        return queries.show_file(s, code)


def _items(ctx: UiContext, code: str) -> list[PostalItemView]:
    with ctx.db.reader.begin() as s:
        return [i for i in post.postal_items(s, code) if i.direction == "out"]


def _keys(ctx: UiContext, code: str) -> list[str]:
    with ctx.db.reader.begin() as s:
        view, items = queries.show_file(s, code), post.postal_items(s, code)
    return [spec.key for spec in postal_actions_for(view, items, ctx)]


@dataclass
class Seen:
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pdfs: int = 0


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch, ui_ctx: UiContext) -> Seen:
    found = Seen()

    def fake_show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
        found.errors.append(str(exc))

    def fake_show_pdf(*args: object) -> None:
        found.pdfs += 1

    monkeypatch.setattr(desk_app.ui.action_base, "show_error", fake_show_error)
    monkeypatch.setattr(desk_app.ui.post_import, "show_error", fake_show_error)
    monkeypatch.setattr(desk_app.ui.preview, "show_pdf", fake_show_pdf)
    ui_ctx.bus.changed.connect(found.changes.append)
    return found


@dataclass
class Run:
    result: FileView | None
    errors: dict[str, str]
    dialog_class: type | None = None


def _run(
    key: str,
    view: FileView,
    ctx: UiContext,
    qtbot: QtBot,
    fill: Callable[[QDialog], None],
) -> Run:
    """Run postal action `key`: `fill` the dialog, press OK; a refused dialog is cancelled."""
    parent = QWidget()
    qtbot.addWidget(parent)
    notes: dict[str, object] = {}

    def hook(dialog: QDialog) -> None:
        notes["class"] = type(dialog)
        fill(dialog)
        assert isinstance(dialog, desk_app.ui.action_base.ActionDialog)
        dialog.submit()
        if dialog.isVisible():
            notes["errors"] = dialog.errors.visible_messages()
            dialog.reject()

    with ctx.db.reader.begin() as s:
        items = post.postal_items(s, view.code)  # what the file panel has loaded
    result = run_postal_action(key, view, ctx, parent, items=items, dialog_hook=hook)
    errors = notes.get("errors", {})
    assert isinstance(errors, dict)
    klass = notes.get("class")
    return Run(result, errors, klass if isinstance(klass, type) else None)


def _hand_over(
    ctx: UiContext, view: FileView, qtbot: QtBot, tracking: str, postage: str = "25.000"
) -> tuple[Run, list[tuple[str, str, str | None]]]:
    """Hand over through the dialog; also returns (live check text, colour, warning) seen."""
    seen_checks: list[tuple[str, str, str | None]] = []

    def fill(d: QDialog) -> None:
        assert isinstance(d, HandOverDialog)
        d.tracking.setText(tracking)
        d.postage.setText(postage)
        d.paid_by.setCurrentIndex(d.paid_by.findData("applicant"))
        check = d.tracking_check
        seen_checks.append((check.text() if not check.isHidden() else "", check.styleSheet(), None))

    run = _run("post_handover", view, ctx, qtbot, fill)
    return run, seen_checks


def _label(widget: QWidget, name: str) -> str:
    label = widget.findChild(QLabel, name)
    assert label is not None
    return label.text()


def _import(ctx: UiContext, qtbot: QtBot, text: str) -> PostalImportDialog:
    dialog = PostalImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.set_text(text)
    return dialog


# --- the whole path -------------------------------------------------------------------------


def test_post_path_hand_over_then_delivery_list_closes_the_file(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    view = _accept(ui_ctx)
    assert view.result_by == "post"
    # While the file is being settled the applicant may still change the address; no hand-over.
    assert _keys(ui_ctx, view.code) == ["choose_post"]
    settled = _result_back(ui_ctx, view)
    assert _keys(ui_ctx, view.code) == ["choose_post", "post_handover"]

    tracking = _s10("12345678")
    run, checks = _hand_over(ui_ctx, settled, qtbot, tracking)
    assert run.errors == {}
    assert run.result is not None and run.result.status is Status.SETTLED
    assert checks[0][0] == "Check digit correct."
    assert Change.files(view.code) in seen.changes
    [item] = _items(ui_ctx, view.code)
    assert (item.number, item.state, item.postage, item.paid_by) == (
        tracking,
        "handed",
        25000,
        "applicant",
    )
    assert item.address == ADDRESS
    assert item.handed_at == datetime(2026, 3, 2, 10, 0)
    assert _keys(ui_ctx, view.code) == ["post_delivered", "post_failed", "post_returned"]

    # The post office's list: a header line, one delivered item, pasted from a spreadsheet.
    dialog = _import(
        ui_ctx,
        qtbot,
        "so_hieu\tket_qua\tngay\tnguoi_nhan\n"
        f"{tracking.lower()}\tPhát thành công\t02/03/2026 10:00\tNguyễn Văn Bình\n",
    )
    assert dialog.model.rowCount() == 1
    preview = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert preview[:5] == ["2", tracking, view.code, "Phát thành công", "02/03/2026 10:00"]
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.applied) as signal:
        dialog.apply_button.click()
    report = signal.args[0]
    assert report.applied == [(tracking, view.code, "delivered")]
    assert dialog.problem_lines() == []
    assert not dialog.apply_button.isEnabled()  # applied once; not again by a second click
    assert Change.files(view.code) in seen.changes

    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.RETURNED
    assert stored.events[-1].action == "postal_delivered"
    [item] = _items(ui_ctx, view.code)
    assert (item.state, item.signed_by) == ("delivered", "Nguyễn Văn Bình")
    assert _keys(ui_ctx, view.code) == []
    history = postal_history_rows(_items(ui_ctx, view.code))
    assert history[0][1] == tracking
    assert history[0][6] == post.STATE_LABELS["delivered"]
    assert history[0][8] == "Nguyễn Văn Bình"
    assert len(history[0]) == len(POSTAL_HISTORY_HEADERS) == len(list(POSTAL_HISTORY_HEADERS))
    assert seen.errors == []


def test_returned_to_sender_puts_the_result_back_at_the_desk(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    view = _result_back(ui_ctx, _accept(ui_ctx))
    tracking = _s10("87654321")
    run, _checks = _hand_over(ui_ctx, view, qtbot, tracking)
    assert run.result is not None

    def fill(d: QDialog) -> None:
        assert isinstance(d, OutcomeDialog)
        assert tracking in _label(d, "item_number")
        assert d.reason is not None
        d.reason.setText("Không tìm thấy địa chỉ")

    returned = _run("post_returned", run.result, ui_ctx, qtbot, fill)
    assert returned.errors == {}
    assert returned.result is not None
    assert returned.result.status is Status.SETTLED
    stored = _load(ui_ctx, view.code)
    assert stored.status is Status.SETTLED
    assert stored.events[-1].action == "postal_returned"
    assert stored.events[-1].note == "Không tìm thấy địa chỉ"
    [item] = _items(ui_ctx, view.code)
    assert item.state == "returned"
    assert item.note == "Không tìm thấy địa chỉ"
    assert Change.files(view.code) in seen.changes
    # Someone calls the applicant: a corrected address, then the result can go out again.
    assert _keys(ui_ctx, view.code) == ["choose_post", "post_handover"]


def test_returned_through_the_delivery_list(ui_ctx: UiContext, qtbot: QtBot, seen: Seen) -> None:
    view = _result_back(ui_ctx, _accept(ui_ctx))
    tracking = _s10("11223344")
    assert _hand_over(ui_ctx, view, qtbot, tracking)[0].result is not None

    dialog = _import(ui_ctx, qtbot, f"{tracking}; chuyển hoàn; 02/03/2026; ; Người nhận đi vắng")
    dialog.apply()
    assert dialog.report is not None
    assert dialog.report.applied == [(tracking, view.code, "returned")]
    assert _load(ui_ctx, view.code).status is Status.SETTLED
    [item] = _items(ui_ctx, view.code)
    assert (item.state, item.note) == ("returned", "Người nhận đi vắng")


# --- the hand-over dialog -------------------------------------------------------------------


def test_bad_check_digit_warns_but_still_hands_over(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    view = _result_back(ui_ctx, _accept(ui_ctx))
    tracking = _s10("12345678", good=False)
    warning = check_s10(tracking).warning
    assert warning  # the core's own (Vietnamese) words
    run, checks = _hand_over(ui_ctx, view, qtbot, tracking)
    [(text, style, _)] = checks
    assert text == warning
    assert style == desk_app.ui.post_dialogs.WARN_STYLE
    assert run.errors == {}
    assert run.result is not None
    [item] = _items(ui_ctx, view.code)
    assert (item.number, item.state) == (tracking, "handed")


def test_live_check_is_quiet_while_typing_and_names_a_bad_shape(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _result_back(ui_ctx, _accept(ui_ctx))
    dialog = HandOverDialog(view, ui_ctx)
    qtbot.addWidget(dialog)
    dialog.tracking.setText("RR1234")
    assert dialog.tracking_check.isHidden()
    dialog.tracking.setText("12345678901234")
    assert not dialog.tracking_check.isHidden()
    assert dialog.tracking_check.styleSheet() == desk_app.ui.post_dialogs.BAD_STYLE
    # The recipient and address to check against the label are shown.
    assert ADDRESS in _label(dialog, "delivery_address")


def test_hand_over_refusals_stay_next_to_their_fields(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    first = _result_back(ui_ctx, _accept(ui_ctx))
    second = _result_back(ui_ctx, _accept(ui_ctx))
    tracking = _s10("55556666")
    assert _hand_over(ui_ctx, first, qtbot, tracking)[0].result is not None

    def fill(d: QDialog) -> None:
        assert isinstance(d, HandOverDialog)
        d.tracking.setText(tracking)

    taken = _run("post_handover", second, ui_ctx, qtbot, fill)
    assert taken.result is None
    assert first.code in taken.errors["tracking"]  # "already used for file …"

    def bad_postage(d: QDialog) -> None:
        assert isinstance(d, HandOverDialog)
        d.tracking.setText(_s10("55557777"))
        d.postage.setText("hai mươi nghìn")

    refused = _run("post_handover", second, ui_ctx, qtbot, bad_postage)
    assert refused.result is None
    assert set(refused.errors) == {"postage"}
    assert _items(ui_ctx, second.code) == []
    assert seen.errors == []


# --- choosing delivery by post --------------------------------------------------------------


def test_choose_post_later_prefills_the_applicant_and_keeps_bad_input(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    view = _accept(ui_ctx, by_post=False)
    assert _keys(ui_ctx, view.code) == ["choose_post"]
    typed: dict[str, str] = {}

    def empty_address(d: QDialog) -> None:
        assert isinstance(d, ChoosePostDialog)
        assert d.name.text() == "Đặng Thị Ánh"
        assert d.phone.text() == "0912 345 678"
        assert d.address.text() == ADDRESS
        d.name.setText("Trần Văn Cường")
        d.address.setText("   ")

    refused = _run("choose_post", view, ui_ctx, qtbot, empty_address)
    assert refused.result is None
    assert refused.errors == {"address": "Cần nhập địa chỉ nhận kết quả."}

    def good(d: QDialog) -> None:
        assert isinstance(d, ChoosePostDialog)
        typed["window"] = d.windowTitle()
        d.name.setText("Trần Văn Cường")
        d.address.setText("Thôn 3, xã Tân Lập, tỉnh Phú Thọ")

    chosen = _run("choose_post", view, ui_ctx, qtbot, good)
    assert chosen.result is not None
    assert typed["window"] == "Deliver the result by post"
    stored = _load(ui_ctx, view.code)
    assert (stored.result_by, stored.delivery_name, stored.delivery_address) == (
        "post",
        "Trần Văn Cường",
        "Thôn 3, xã Tân Lập, tỉnh Phú Thọ",
    )
    assert Change.files(view.code) in seen.changes
    texts = {s.key: s.text for s in postal_actions_for(stored, _items(ui_ctx, view.code), ui_ctx)}
    assert texts == {"choose_post": "Change delivery address"}


# --- the delivery-list import ---------------------------------------------------------------


def test_import_with_a_bad_line_applies_nothing_and_lists_it(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen
) -> None:
    first = _result_back(ui_ctx, _accept(ui_ctx))
    second = _result_back(ui_ctx, _accept(ui_ctx))
    one, two = _s10("10000001"), _s10("10000002")
    for view, number in ((first, one), (second, two)):
        assert _hand_over(ui_ctx, view, qtbot, number)[0].result is not None
    unknown = _s10("99999999")
    changes_before = len(seen.changes)

    text = (
        f"{one}\tdelivered\t02/03/2026 10:00\tAn\n"
        f"{unknown}\tdelivered\t02/03/2026 10:00\tBình\n"
        f"{two}\treturned\t02/03/2026\t\tKhông có người nhận\n"
    )
    dialog = _import(ui_ctx, qtbot, text)
    assert dialog.model.rowCount() == 3
    assert dialog.model.index(1, 2).data() == "?"  # no file has this number
    assert dialog.summary.text().startswith("3 line(s) read. 1 tracking number(s)")
    dialog.apply()
    assert dialog.report is None
    [line] = dialog.problem_lines()
    assert line.startswith("Dòng 2:") and unknown in line
    assert not dialog.problems.isHidden()
    assert "Nothing was applied" in dialog.summary.text()
    assert dialog.text.toPlainText() == text  # the list stays, to be corrected
    assert len(seen.changes) == changes_before
    for view in (first, second):
        assert _load(ui_ctx, view.code).status is Status.SETTLED
        assert [i.state for i in _items(ui_ctx, view.code)] == ["handed"]

    # Correcting the list (dropping the bad line) lets it through, all at once.
    dialog.set_text("\n".join(x for x in text.splitlines() if unknown not in x))
    dialog.apply()
    assert dialog.report is not None
    assert [code for _t, code, _o in dialog.report.applied] == [first.code, second.code]
    assert dialog.problem_lines() == []
    assert _load(ui_ctx, first.code).status is Status.RETURNED
    assert _load(ui_ctx, second.code).status is Status.SETTLED


def test_unreadable_pasted_lines_are_listed_and_apply_stays_off(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    dialog = _import(ui_ctx, qtbot, "RR123456785VN; maybe; 02/03/2026\n; delivered; hôm qua")
    assert dialog.model.rowCount() == 0
    lines = dialog.problem_lines()
    assert [x.split(":")[0] for x in lines] == ["Dòng 1", "Dòng 2"]
    assert not dialog.apply_button.isEnabled()
    dialog.set_text("")
    assert dialog.problem_lines() == []
    assert dialog.problems.isHidden()


def test_import_from_a_csv_file(
    ui_ctx: UiContext, qtbot: QtBot, seen: Seen, tmp_path: Path
) -> None:
    view = _result_back(ui_ctx, _accept(ui_ctx))
    tracking = _s10("20202020")
    assert _hand_over(ui_ctx, view, qtbot, tracking)[0].result is not None
    path = tmp_path / "ket-qua-phat.csv"
    path.write_text(
        f"tracking,outcome,date,signed_by,note\n{tracking},failed,02/03/2026 10:00,,Vắng nhà\n",
        encoding="utf-8",
    )
    dialog = PostalImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.load_file(path)
    assert path.name in dialog.source.text()
    assert dialog.model.index(0, 2).data() == view.code
    dialog.apply()
    assert dialog.report is not None
    assert dialog.report.applied == [(tracking, view.code, "failed")]
    assert dialog.summary.text().startswith("Applied 1 result")
    [item] = _items(ui_ctx, view.code)
    assert item.state == "failed"
    # The post still holds it after a failed attempt: outcomes are still offered, no hand-over.
    assert _keys(ui_ctx, view.code) == ["post_delivered", "post_failed", "post_returned"]


def test_history_rows_show_incoming_and_outgoing_items(qapp: object) -> None:
    moment = datetime(2026, 3, 2, 10, 0)
    items = [
        PostalItemView(
            1, "in", "EE123456789VN", None, None, None, None, None, None, "received",
            moment, None, None, "Lê Thị Hoa",
        ),
        PostalItemView(
            2, "out", "RR123456785VN", "Đặng Thị Ánh", "0912345678", ADDRESS, 25000,
            "province", moment, "failed", moment, None, "Vắng nhà", "Lê Thị Hoa",
        ),
    ]  # fmt: skip
    incoming, outgoing = postal_history_rows(items)
    assert incoming[0] == "Received"
    assert outgoing[0] == "Sent"
    assert outgoing[2] == "Đặng Thị Ánh, 0912 345 678"
    assert outgoing[4] == f"25.000 ({post.PAYER_LABELS['province']})"
    assert outgoing[5] == "02/03/2026 10:00"
    assert outgoing[6] == post.STATE_LABELS["failed"]
    assert outgoing[8] == "Vắng nhà"
    assert POSTAL_HISTORY_HEADERS[0] == "Direction"
    assert RowsModel(POSTAL_HISTORY_HEADERS).headerData(9, Qt.Orientation.Horizontal) == "Officer"


def test_postal_shortcuts_are_their_own() -> None:
    postal = list(desk_app.ui.post_dialogs.POSTAL_SHORTCUTS.values())
    assert len(set(postal)) == len(postal)
    taken = {*desk_app.ui.actions.SHORTCUTS.values(), "Ctrl+Shift+P"}
    assert taken.isdisjoint(postal)


# --- the queues of the main window ------------------------------------------------------------


def test_the_window_queues_follow_the_post(ui_ctx: UiContext, qtbot: QtBot, seen: Seen) -> None:
    """Waiting for the post, in transit, back to sender, sent again, delivered: each step puts
    the file in its queue, and the panel's postal tab lists every item."""
    from desk_app.services.browse import ListQueue
    from desk_app.ui.file_model import CODE_ROLE
    from desk_app.ui.main_window import MainWindow

    view = _result_back(ui_ctx, _accept(ui_ctx))
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()

    def queues_of(code: str) -> set[ListQueue]:
        found = set()
        for queue in ListQueue:
            window.queues.select(queue)
            m = window.model
            if code in {m.data(m.index(r, 0), CODE_ROLE) for r in range(m.rowCount())}:
                found.add(queue)
        # "Chờ số hóa" is not a step of the post: the result back waits there to be scanned.
        return found - {ListQueue.ALL, ListQueue.TO_DIGITISE}

    assert queues_of(view.code) == {ListQueue.POSTAL_PENDING}
    first = _s10("12345678")
    assert _hand_over(ui_ctx, view, qtbot, first)[0].result is not None
    assert queues_of(view.code) == {ListQueue.IN_TRANSIT}
    dialog = _import(
        ui_ctx, qtbot, f"{first}; chuyển hoàn; 02/03/2026 10:00; ; Không có người nhận"
    )
    dialog.apply()
    assert queues_of(view.code) == {ListQueue.POSTAL_RETURNED}
    second = _s10("12345679")
    assert _hand_over(ui_ctx, _load(ui_ctx, view.code), qtbot, second)[0].result is not None
    assert queues_of(view.code) == {ListQueue.IN_TRANSIT}
    dialog = _import(ui_ctx, qtbot, f"{second}; đã phát; 02/03/2026 10:00; Đặng Thị Ánh")
    dialog.apply()
    assert queues_of(view.code) == {ListQueue.RETURNED}
    assert _load(ui_ctx, view.code).status.label == "Đã trả kết quả"
    window.open_code(view.code)
    assert window.detail.view is not None
    rows = [window.detail.postal_model.index(r, 1).data() for r in range(2)]
    assert rows == [first, second]
