"""The supervisor's dashboard: the watch lists, opening files, apologies, reasons and charts."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QLabel, QLineEdit, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import desk_app.services.watch
import desk_app.ui.dashboard
import desk_app.ui.dashboard_lists
import desk_app.ui.preview
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, PrintedSlip, Reschedule
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard import Dashboard, DelayReasonDialog, RescheduleManyDialog
from desk_app.ui.forms import MomentEdit, qt_moment

KARAOKE = "1.001029"  # 5 working days
# The UI tests live at Monday 2 March 2026, 10:00 (tests/ui/conftest.py).
RECEIVED = {
    "overdue-old": datetime(2026, 2, 23, 8, 0),  # due Mon 2/3 08:00: 2 hours late
    "overdue-new": datetime(2026, 2, 23, 9, 0),  # due Mon 2/3 09:00: 1 hour late
    "soon": datetime(2026, 2, 24, 9, 0),  # due Tue 3/3 09:00: 7 hours left
    "paused": datetime(2026, 2, 24, 10, 0),
}


@pytest.fixture
def codes(db: Database, officer: Actor) -> dict[str, str]:
    found = {}
    for i, (name, received) in enumerate(RECEIVED.items()):
        data = intake.IntakeInput(
            procedure=KARAOKE,
            applicant=intake.ApplicantInput(name=f"Nguyễn Văn {chr(65 + i)}"),
            received_at=received,
        )
        with db.writer.begin() as s:
            found[name] = intake.accept_file(s, data, officer, now=received).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(found["paused"]), "Thiếu bản sao", officer, now=datetime(2026, 2, 25, 9)
        )
    return found


Shown = list[tuple[bytes, str, str]]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """PDFs the dashboard opened in the preview (the real preview is not opened)."""
    opened: Shown = []

    def fake_show_pdf(_parent: object, pdf: bytes, title: str, file_name: str) -> None:
        opened.append((pdf, title, file_name))

    monkeypatch.setattr(desk_app.ui.preview, "show_pdf", fake_show_pdf)
    return opened


def _codes_in(view: QTableView) -> list[str]:
    model = view.model()
    return [
        str(model.index(row, 0).data(desk_app.ui.dashboard_lists.CODE_ROLE))
        for row in range(model.rowCount())
    ]


def _select(view: QTableView, *rows: int) -> None:
    selection = view.selectionModel()
    for row in rows:
        selection.select(
            view.model().index(row, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def _rescheduled(db: Database) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(func.count()).select_from(Reschedule)) or 0)


def test_an_officer_sees_a_note_and_nothing_is_read(ui_ctx: UiContext, qtbot: QtBot) -> None:
    dashboard = Dashboard(ui_ctx)
    qtbot.addWidget(dashboard)
    note = dashboard.findChild(QLabel, "dashboardNote")
    assert note is not None and not note.isHidden()
    assert "supervisors" in note.text()
    assert dashboard.content.isHidden()
    dashboard.refresh()
    assert dashboard.watch is None


def test_the_lists_show_the_watch_in_its_order_with_counts(
    supervisor_ctx: UiContext,
    qtbot: QtBot,
    codes: dict[str, str],
    qtmodeltester: ModelTester,
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    assert dashboard.content.isHidden() is False and dashboard.note.isHidden()
    assert _codes_in(dashboard.overdue_view) == [codes["overdue-old"], codes["overdue-new"]]
    assert _codes_in(dashboard.due_soon_view) == [codes["soon"]]
    assert _codes_in(dashboard.paused_view) == [codes["paused"]]
    assert dashboard.lists.tabText(0) == "Overdue (2)"
    assert dashboard.summary.text().startswith("2 overdue · 1 due within one working day · 1")
    # The time column carries the core's words; the rule's due is the sort shown.
    proxy = dashboard.overdue_view.model()
    assert proxy.index(0, 2).data() == "quá hạn 2 giờ"
    assert proxy.index(0, 3).data() == "02/03/2026 08:00"
    assert dashboard.paused_view.model().index(0, 2).data() == "tạm dừng 5 ngày"
    # Sorting by applicant (descending) reorders the view, not the watch.
    dashboard.overdue_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert _codes_in(dashboard.overdue_view) == [codes["overdue-new"], codes["overdue-old"]]

    counts = dashboard.officer_model
    assert counts.rowCount() == 1
    assert [counts.index(0, c).data() for c in range(3)] == ["Nguyễn Thị Lan", "2", "1"]
    assert counts.index(0, 1).data(desk_app.ui.dashboard_lists.SORT_ROLE) == 2
    for model in (
        dashboard.overdue_model,
        dashboard.due_soon_model,
        dashboard.paused_model,
        dashboard.procedure_model,
        dashboard.agency_model,
        dashboard.officer_model,
        dashboard.overdue_view.model(),
    ):
        qtmodeltester.check(model)


def test_double_click_and_enter_open_the_file(
    supervisor_ctx: UiContext, qtbot: QtBot, codes: dict[str, str]
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    dashboard.show()
    view = dashboard.overdue_view
    rect = view.visualRect(view.model().index(1, 0))
    # A real double-click starts with a press: the view opens only the row pressed.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(dashboard.open_file) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [codes["overdue-new"]]
    view.setCurrentIndex(view.model().index(0, 0))
    with qtbot.waitSignal(dashboard.open_file) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [codes["overdue-old"]]


def test_reschedule_many_files_prints_an_apology_for_each(
    supervisor_ctx: UiContext,
    qtbot: QtBot,
    db: Database,
    codes: dict[str, str],
    shown: Shown,
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    heard: list[Change] = []
    supervisor_ctx.bus.changed.connect(heard.append)
    assert not dashboard.reschedule_button.isEnabled()
    _select(dashboard.overdue_view, 0, 1)
    assert dashboard.reschedule_button.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, RescheduleManyDialog)
        assert dialog.codes == (codes["overdue-old"], codes["overdue-new"])
        new_due = dialog.findChild(QDateTimeEdit, "new_due")
        reason = dialog.findChild(QLineEdit, "reason")
        assert new_due is not None and reason is not None
        new_due.setDateTime(qt_moment(datetime(2026, 3, 6, 9, 0)))
        reason.setText("Chờ ý kiến của cơ quan liên quan")
        dialog.submit()

    assert dashboard.reschedule_selected(dialog_hook=fill) == 2
    assert [name for _, _, name in shown] == [
        f"phieu-xin-loi-{codes['overdue-old']}-1-XLHS.pdf",
        f"phieu-xin-loi-{codes['overdue-new']}-2-XLHS.pdf",
    ]
    assert all(pdf.startswith(b"%PDF") for pdf, _, _ in shown)
    assert _rescheduled(db) == 2
    with db.reader.begin() as s:
        slips = s.scalar(
            select(func.count()).select_from(PrintedSlip).where(PrintedSlip.kind == "apology")
        )
        dues = set(s.scalars(select(FileRecord.due_at).where(FileRecord.code.in_(codes.values()))))
    assert slips == 2
    assert datetime(2026, 3, 6, 9, 0) in dues
    # One notice after the commit: the files and their new apology letters.
    both = frozenset({codes["overdue-old"], codes["overdue-new"]})
    assert Change(frozenset({"files", "slips"}), both) in heard
    assert "2 file(s) rescheduled" in dashboard.notice.text()
    # Still overdue against the rule's due, now with the new appointment beside it.
    dashboard.refresh()
    proxy = dashboard.overdue_view.model()
    assert _codes_in(dashboard.overdue_view) == [codes["overdue-old"], codes["overdue-new"]]
    assert proxy.index(0, 4).data() == "06/03/2026 09:00"


def test_a_refused_reschedule_keeps_the_dialog_and_what_was_typed(
    supervisor_ctx: UiContext,
    qtbot: QtBot,
    db: Database,
    codes: dict[str, str],
    shown: Shown,
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    _select(dashboard.overdue_view, 0, 1)
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, RescheduleManyDialog)
        new_due = dialog.findChild(QDateTimeEdit, "new_due")
        assert new_due is not None
        new_due.setDateTime(qt_moment(datetime(2026, 3, 1, 9, 0)))  # in the past
        dialog.reason.setText("Chờ xác minh")
        dialog.submit()
        seen.update(dialog.errors.visible_messages())
        seen["typed"] = dialog.reason.text()
        seen["visible"] = str(dialog.isVisible())
        # The date field takes Tab as a move to the next field, and a new date clears its error.
        assert isinstance(new_due, MomentEdit)
        new_due.setDateTime(qt_moment(datetime(2026, 3, 9, 9, 0)))
        seen["after_edit"] = repr(dialog.errors.visible_messages())
        dialog.reject()

    assert dashboard.reschedule_selected(dialog_hook=fill) == 0
    # The whole batch is one transaction: the first file's refusal names it and undoes all.
    assert seen["new_due"] == f"{codes['overdue-old']}: Ngày hẹn mới phải sau ngày hẹn hiện tại."
    assert seen["typed"] == "Chờ xác minh" and seen["visible"] == "True"
    assert seen["after_edit"] == "{}"
    assert _rescheduled(db) == 0
    assert shown == []


def test_more_letters_than_the_cap_open_only_the_first(
    supervisor_ctx: UiContext,
    qtbot: QtBot,
    codes: dict[str, str],
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desk_app.ui.dashboard, "MAX_PREVIEWS", 1)
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    _select(dashboard.overdue_view, 0, 1)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, RescheduleManyDialog)
        dialog.reason.setText("Chờ xác minh")
        dialog.submit()

    assert dashboard.reschedule_selected(dialog_hook=fill) == 2
    assert len(shown) == 1
    assert "The first 1 letters are open" in dashboard.notice.text()


def test_mark_reason_for_delay_shows_on_the_list(
    supervisor_ctx: UiContext, qtbot: QtBot, codes: dict[str, str]
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    dashboard.lists.setCurrentIndex(1)  # due soon
    _select(dashboard.due_soon_view, 0)

    def empty(dialog: QDialog) -> None:
        assert isinstance(dialog, DelayReasonDialog)
        dialog.submit()
        assert dialog.errors.message("reason") == "Cần ghi rõ lý do chậm trả kết quả."
        dialog.reject()

    assert dashboard.mark_delay_reason(dialog_hook=empty) == 0

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, DelayReasonDialog)
        dialog.reason.setText("Chờ thẩm định thực tế")
        dialog.submit()

    assert dashboard.mark_delay_reason(dialog_hook=fill) == 1
    dashboard.refresh()
    reason_column = 5
    assert dashboard.due_soon_view.model().index(0, reason_column).data() == (
        "Chờ thẩm định thực tế"
    )
    # Chosen again, the dialog offers the reason the file carries.
    _select(dashboard.due_soon_view, 0)
    offered: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, DelayReasonDialog)
        offered.append(dialog.reason.text())
        dialog.reject()

    dashboard.mark_delay_reason(dialog_hook=look)
    assert offered == ["Chờ thẩm định thực tế"]


def test_the_charts_count_outcomes_by_month_and_late_files_by_procedure(
    supervisor_ctx: UiContext, qtbot: QtBot, db: Database, officer: Actor, codes: dict[str, str]
) -> None:
    with db.writer.begin() as s:  # due 2/3 09:00: settled early in February, late in March
        lifecycle.record_result(
            s, MoveInput(codes["overdue-new"]), officer, now=datetime(2026, 2, 27, 9)
        )
        lifecycle.record_result(
            s, MoveInput(codes["overdue-old"]), officer, now=datetime(2026, 3, 2, 9, 30)
        )
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    charts = dashboard.charts
    assert charts.period() == (datetime(2025, 4, 1).date(), datetime(2026, 3, 2).date())
    bar_sets = charts.on_time_series.barSets()
    assert [b.label() for b in bar_sets] == ["Early", "On time", "Late"]
    assert bar_sets[0].count() == 12
    early, on_time, late = ([b.at(i) for i in (10, 11)] for b in bar_sets)
    assert (early, on_time, late) == ([1.0, 0.0], [0.0, 0.0], [0.0, 1.0])
    assert charts.on_time_axis.categories()[-1] == "03/26"
    late_sets = charts.late_series.barSets()
    assert [late_sets[0].at(i) for i in range(late_sets[0].count())] == [1.0]
    assert charts.late_axis.categories() == [KARAOKE]

    # A period with nothing settled draws empty months and no late procedure.
    charts.set_period(datetime(2025, 1, 1).date(), datetime(2025, 2, 28).date())
    charts.apply_button.click()
    assert [b.at(0) + b.at(1) for b in charts.on_time_series.barSets()] == [0.0, 0.0, 0.0]
    assert charts.late_series.barSets()[0].count() == 0
    assert charts.status.text() == "No late files in this period."


def test_a_change_on_the_bus_refreshes_a_visible_dashboard(
    supervisor_ctx: UiContext, qtbot: QtBot, db: Database, officer: Actor, codes: dict[str, str]
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    dashboard.show()
    with db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(codes["overdue-old"]), officer, now=datetime(2026, 3, 2, 9, 30)
        )
    supervisor_ctx.bus.announce(Change.files(codes["overdue-old"]))
    qtbot.waitUntil(lambda: _codes_in(dashboard.overdue_view) == [codes["overdue-new"]])
    assert dashboard.lists.tabText(0) == "Overdue (1)"


def test_a_failed_read_says_why_without_a_box(
    supervisor_ctx: UiContext,
    qtbot: QtBot,
    codes: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)

    def broken(*_args: object, **_kw: object) -> None:
        raise OSError(5, "disk gone")

    monkeypatch.setattr(desk_app.services.watch, "watch", broken)
    dashboard.refresh()
    assert "disk gone" in dashboard.notice.text()
    # What was shown stays.
    assert len(_codes_in(dashboard.overdue_view)) == 2
