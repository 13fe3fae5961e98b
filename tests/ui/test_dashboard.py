"""The supervisor's dashboard: the watch lists, opening files, apologies, reasons and charts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import desk_app.services.watch
import desk_app.ui.dashboard
import desk_app.ui.dashboard_lists
import desk_app.ui.preview
from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import Scope
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord, PrintedSlip, Reschedule
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard import Dashboard, DelayReasonDialog, RescheduleManyDialog
from desk_app.ui.file_model import status_text
from desk_app.ui.forms import MomentEdit, qt_moment
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.centre_data import JUSTICE, add_justice
from tests.centre_data import accept as accept_in
from tests.ui.at_the_desk import as_at_the_desk
from tests.ui.conftest import make_ui_context

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
    assert proxy.index(0, 1).data() == "quá hạn 2 giờ"
    assert proxy.index(0, 2).data() == "02/03/2026 08:00"
    assert dashboard.paused_view.model().index(0, 1).data() == "tạm dừng 5 ngày"
    # Sorting by applicant (descending) reorders the view, not the watch.
    dashboard.overdue_view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
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


def _agency_column(view: QTableView) -> int:
    return _headers(view).index("Agency")


def test_a_solo_desk_has_no_agency_column(
    supervisor_ctx: UiContext, qtbot: QtBot, codes: dict[str, str]
) -> None:
    dashboard = Dashboard(supervisor_ctx)
    qtbot.addWidget(dashboard)
    for view in dashboard.file_views:
        assert view.isColumnHidden(_agency_column(view)), view.objectName()
    assert dashboard.overdue_view.horizontalHeader().sectionSize(4) > 0  # the others shown


def test_a_centre_names_each_files_agency(
    db: Database,
    supervisor: Actor,
    officer: Actor,
    qtbot: QtBot,
    codes: dict[str, str],
    tmp_path: Path,
) -> None:
    add_justice(db)
    clerk = replace(officer, agencies=frozenset({JUSTICE}))
    late = accept_in(db, clerk, KARAOKE, RECEIVED["overdue-old"], "Người Tư pháp", JUSTICE)
    ctx = make_ui_context(db, replace(supervisor, agencies=frozenset({1, JUSTICE})), tmp_path)
    dashboard = Dashboard(ctx)
    qtbot.addWidget(dashboard)
    dashboard.resize(1366, 600)
    view = dashboard.overdue_view
    column = _agency_column(view)
    assert not view.isColumnHidden(column)
    assert view.horizontalHeader().sectionSize(column) > 0
    proxy = view.model()
    agencies = {
        proxy.index(r, 0).data(): proxy.index(r, column).data() for r in range(proxy.rowCount())
    }
    assert agencies.pop(late) == "Sở Tư pháp"
    # The first agency has no short name: its full name.
    assert set(agencies.values()) == {"SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"}
    assert not view.own_widths  # showing the column is no drag of the supervisor's
    # One agency chosen: its rows still say whose they are (the database holds several).
    dashboard.set_scope(Scope.of({JUSTICE}))
    assert not view.isColumnHidden(column)
    assert [proxy.index(r, column).data() for r in range(proxy.rowCount())] == ["Sở Tư pháp"]


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
    assert proxy.index(0, 3).data() == "06/03/2026 09:00"


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
    reason_column = len(desk_app.ui.dashboard_lists.RUNNING_COLUMNS) - 1  # the last
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


@pytest.mark.parametrize(
    ("room", "least", "wanted", "shares", "widths"),
    [
        # Too little room: every column its least (the view scrolls).
        (150, [100, 50, 50], [100, 400, 400], [0, 3, 1], [100, 50, 50]),
        # Room for part: shares in proportion (300 : 100) within least and wanted.
        (500, [100, 50, 50], [100, 400, 400], [0, 3, 1], [100, 300, 100]),
        # A column that reads whole at less than its share gives the rest to the others.
        (500, [100, 50, 50], [100, 400, 80], [0, 1, 1], [100, 320, 80]),
        # A header wider than the share is the floor; the other column takes what is left.
        (500, [100, 50, 120], [100, 400, 130], [0, 3, 1], [100, 280, 120]),
        # Room for every text whole: what is left over goes by the shares (75 : 25).
        (1000, [100, 50, 50], [100, 400, 400], [0, 3, 1], [100, 475, 425]),
        # No column with a share: nothing grows.
        (1000, [100, 50], [100, 50], [0, 0], [100, 50]),
    ],
)
def test_share_room(
    room: int, least: list[int], wanted: list[int], shares: list[int], widths: list[int]
) -> None:
    assert desk_app.ui.dashboard_lists.share_room(room, least, wanted, shares) == widths


# --- a real counter's screen ------------------------------------------------------------------

COMPANY = "Công ty TNHH Thương mại và Dịch vụ Du lịch Hoàng Long Lạng Sơn"
LONG_PROCEDURE = "VHTTDL-DL-04"  # the catalogue's longest name (128 characters)


@pytest.fixture
def at_the_desk(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    with as_at_the_desk(qapp, tmp_path, monkeypatch):
        yield


@pytest.fixture
def crowded(
    db: Database, officer: Actor, supervisor: Actor, codes: dict[str, str]
) -> dict[str, str]:
    """Beside `codes`: more overdue files than the list shows at once (so its vertical scroll
    bar takes its share of the width), long names, minutes in the lateness words, a reason
    for delay and a file paused for its fee (the longest national status name)."""
    found = dict(codes)
    for i in range(18):
        at = datetime(2026, 1, 5 + i, 8, 17 + i)
        data = intake.IntakeInput(
            procedure=LONG_PROCEDURE if i % 4 == 1 else KARAOKE,
            applicant=intake.ApplicantInput(name=f"{COMPANY} {i}" if i % 3 else "Hà Văn Tư"),
            received_at=at,
        )
        with db.writer.begin() as s:
            found[f"late-{i}"] = intake.accept_file(s, data, officer, now=at).code
    at = datetime(2026, 2, 26, 9, 0)
    with db.writer.begin() as s:
        lifecycle.request_financial(
            s, MoveInput(found["late-1"], at=at), "Lệ phí thẩm định", officer, now=at
        )
        desk_app.services.watch.set_delay_reason(
            s,
            [found["late-2"]],
            "Chờ ý kiến thẩm định của Phòng Quản lý Du lịch về điều kiện kinh doanh",
            supervisor,
            now=at,
        )
    return found


def _cut(view: QTableView, widget: QWidget, columns: range) -> list[int]:
    """The columns whose text `widget` (the header or the viewport) draws elided: the widget
    drawn as is and drawn with elision off differ there."""
    header = view.horizontalHeader()
    owner = header if widget is header else view
    mode = owner.textElideMode()
    whole = widget.grab().toImage()
    owner.setTextElideMode(Qt.TextElideMode.ElideNone)
    try:
        bare = widget.grab().toImage()
    finally:
        owner.setTextElideMode(mode)
    cut = []
    for column in columns:
        left, width = header.sectionViewportPosition(column), header.sectionSize(column)
        if whole.copy(left, 0, width, whole.height()) != bare.copy(left, 0, width, bare.height()):
            cut.append(column)
    return cut


def _headers(view: QTableView) -> list[str]:
    model = view.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def _fits(view: QTableView, whole_cells: list[str]) -> None:
    """No sideways scrolling; every header whole; the cells of `whole_cells` whole."""
    header = view.horizontalHeader()
    headers = _headers(view)
    assert view.horizontalScrollBar().maximum() == 0, view.objectName()
    assert header.length() <= view.viewport().width()
    assert [headers[c] for c in _cut(view, header, range(header.count()))] == []
    columns = [headers.index(name) for name in whole_cells]
    assert [
        headers[c] for c in _cut(view, view.viewport(), range(header.count())) if c in columns
    ] == []


def test_the_file_lists_fit_a_1366x768_screen_with_every_header_whole(
    supervisor_ctx: UiContext, qtbot: QtBot, crowded: dict[str, str], at_the_desk: None
) -> None:
    window = SupervisorWindow(supervisor_ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    dashboard = window.dashboard
    # How late, which file, who: first. Numbers, dates and short words are never cut.
    whole = ["Mã hồ sơ", "Hẹn trả", "Cán bộ", "Trạng thái", "Tiếp nhận"]
    running = [*whole, "Thời gian còn lại", "Hạn theo quy định"]
    paused = [*whole, "Thời gian chờ", "Tạm dừng từ"]
    for tab, view, cells in (
        (0, dashboard.overdue_view, running),
        (1, dashboard.due_soon_view, running),
        (2, dashboard.paused_view, paused),
    ):
        dashboard.lists.setCurrentIndex(tab)
        qtbot.waitUntil(lambda v=view: v.viewport().width() > 1200)
        QApplication.processEvents()
        _fits(view, cells)
        assert _headers(view)[:2] in (
            ["Mã hồ sơ", "Thời gian còn lại"],
            ["Mã hồ sơ", "Thời gian chờ"],
        )
    overdue = dashboard.overdue_view
    dashboard.lists.setCurrentIndex(0)
    assert overdue.verticalScrollBar().isVisible()  # more overdue files than rows in view
    # Sorted by another column, its header makes room for the arrow and still reads whole.
    overdue.sortByColumn(_headers(overdue).index("Cán bộ"), Qt.SortOrder.AscendingOrder)
    QApplication.processEvents()
    _fits(overdue, running)

    # Long text is cut in view and whole in its tooltip; the status says the main list's words.
    proxy, headers = dashboard.paused_view.model(), _headers(dashboard.paused_view)
    row = _codes_in(dashboard.paused_view).index(crowded["late-1"])
    status = proxy.index(row, headers.index("Trạng thái"))
    assert status.data() == status_text(Status.FINANCIAL) != Status.FINANCIAL.label
    assert status.data(Qt.ItemDataRole.ToolTipRole) == Status.FINANCIAL.label
    procedure = proxy.index(row, headers.index("Thủ tục"))
    assert procedure.data(Qt.ItemDataRole.ToolTipRole).endswith(
        "doanh nghiệp chấm dứt hoạt động kinh doanh dịch vụ lữ hành"
    )
    applicant = proxy.index(row, headers.index("Chủ hồ sơ"))
    assert applicant.data(Qt.ItemDataRole.ToolTipRole) == f"{COMPANY} 1"

    # A full-HD screen shows the same columns with room to spare.
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: overdue.viewport().width() > 1800)
    QApplication.processEvents()
    _fits(overdue, running)
    # A column the supervisor widens stays as wide; the window no longer refits it.
    header = overdue.horizontalHeader()
    header.resizeSection(0, 300)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: overdue.viewport().width() < 1400)
    assert overdue.own_widths and header.sectionSize(0) == 300
