"""The national index page (Decision 766): the service's figures on screen, the files behind a
figure, opening one, the scope, the exports, the busy note; its tab in the supervisor window."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel
from desk_app.services import amend, intake, lifecycle, national_index
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.national_index import Figure, IndexReport
from desk_app.services.scope import ALL, Scope
from desk_app.store.models import FileRecord
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.index_model import (
    CODE_ROLE,
    DRILL_ROLE,
    KEY_ROLE,
    LABEL_COLUMN,
    NOTE_COLUMN,
    ORIGINAL_DUE_COLUMN,
    POINTS_COLUMN,
    VALUE_COLUMN,
    VALUE_ROLE,
    FilesBehindModel,
    IndexModel,
    format_number,
    format_points,
    format_value,
)
from desk_app.ui.index_view import IndexView
from desk_app.ui.ops import OpRunner
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.ui.period_pages import (
    compute,
    export,
    export_pdf,
    no_error_box,  # noqa: F401 (autouse fixture)
)

KARAOKE = "1.001029"  # Văn hóa, 5 working days
TRAVEL = "VHTTDL-DL-05"  # Du lịch
QUARTER = (date(2026, 1, 1), date(2026, 3, 31))  # the clock's quarter (2 March 2026)


def _accept(ctx: UiContext, procedure: str, at: datetime, channel: Channel) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name="Hoàng Văn Thụ", phone="0912345678"),
        channel=channel,
        received_at=at,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=at).code


def _do(ctx: UiContext, fn: Callable[..., object], code: str, at: datetime) -> None:
    with ctx.db.writer.begin() as s:
        fn(s, MoveInput(code, at=at), ctx.actor, now=ctx.now())


@pytest.fixture
def files(ui_ctx: UiContext) -> list[str]:
    """Four files received in the first quarter of 2026, one settled early, one the quarter
    before (not received in the period)."""
    ctx = ui_ctx
    _accept(ctx, KARAOKE, datetime(2025, 12, 22, 9, 0), Channel.DIRECT)
    codes = [
        _accept(ctx, KARAOKE, datetime(2026, 1, 5, 9, 0), Channel.ONLINE),
        _accept(ctx, TRAVEL, datetime(2026, 2, 2, 9, 0), Channel.DIRECT),
        _accept(ctx, KARAOKE, datetime(2026, 2, 10, 9, 0), Channel.POSTAL),
        _accept(ctx, TRAVEL, datetime(2026, 2, 11, 9, 0), Channel.DIRECT),
    ]
    _do(ctx, lifecycle.forward, codes[0], datetime(2026, 1, 5, 10, 0))
    _do(ctx, lifecycle.record_result, codes[0], datetime(2026, 1, 6, 10, 0))
    return codes


def _report(ctx: UiContext, scope: Scope = ALL) -> IndexReport:
    with ctx.db.reader.begin() as s:
        return national_index.index_report(s, *QUARTER, ctx.now(), scope=scope)


def _figure(report: IndexReport, key: str) -> Figure:
    return next(f for g in report.groups for f in g.figures if f.key == key)


def _view(ctx: UiContext, qtbot: QtBot) -> IndexView:
    view = IndexView(ctx)
    qtbot.addWidget(view)
    return view


def _shown(ctx: UiContext, qtbot: QtBot) -> IndexView:
    """The page on screen at 1366×768 width: showing it computes the clock's quarter."""
    view = _view(ctx, qtbot)
    view.resize(1300, 700)
    view.show()
    qtbot.waitUntil(lambda: view.report is not None, timeout=2000)
    return view


def _click(qtbot: QtBot, view: QWidget, index: QModelIndex, double: bool = False) -> None:
    table = view.files_table if double else view.table  # type: ignore[attr-defined]
    table.scrollTo(index)
    at = table.visualRect(index).center()
    # A real double-click starts with a press: the view opens only the row pressed.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    if double:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_showing_the_page_computes_the_quarter_and_shows_every_figure(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str]
) -> None:
    view = _shown(ui_ctx, qtbot)
    expected = _report(ui_ctx)
    assert view.period() == QUARTER
    assert view.report == expected
    # The register's files received in the quarter, counted by hand from the fixture.
    assert _figure(expected, "progress.received").value == len(files)

    model = view.model
    assert (
        model.rowCount() == len(expected.groups) + sum(len(g.figures) for g in expected.groups) + 1
    )
    row = 0
    for group in expected.groups:
        assert model.index(row, LABEL_COLUMN).data() == group.label
        assert model.index(row, LABEL_COLUMN).data(KEY_ROLE) == group.key
        assert model.index(row, POINTS_COLUMN).data() == format_points(group.points, group.weight)
        assert model.index(row, VALUE_COLUMN).data(VALUE_ROLE) == group.points
        assert model.index(row, LABEL_COLUMN).data(Qt.ItemDataRole.FontRole).bold()
        if group.points is None:
            assert model.index(row, POINTS_COLUMN).data().startswith("— / ")
        row += 1
        for figure in group.figures:
            assert model.index(row, LABEL_COLUMN).data().strip() == figure.label
            assert model.index(row, VALUE_COLUMN).data() == format_value(figure)
            assert model.index(row, VALUE_COLUMN).data(VALUE_ROLE) == figure.value
            assert model.index(row, NOTE_COLUMN).data() == figure.note
            drill = bool(model.index(row, VALUE_COLUMN).data(DRILL_ROLE))
            # A link only where there are files behind it: not a 0, not a dash.
            assert drill == (figure.drill and bool(figure.value))
            font = model.index(row, VALUE_COLUMN).data(Qt.ItemDataRole.FontRole)
            assert (font is not None and font.underline()) == drill
            colour = model.index(row, VALUE_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
            assert (colour is not None) == drill
            if figure.value is None:
                assert model.index(row, VALUE_COLUMN).data() == "—"
            row += 1
    total = model.index(row, POINTS_COLUMN).data()
    assert total == format_points(expected.points, expected.max_points)
    assert model.index(row, LABEL_COLUMN).data(Qt.ItemDataRole.FontRole).bold()
    # The received count is written as the count it is, with its unit.
    received = model.row_of("progress.received")
    assert model.index(received, VALUE_COLUMN).data() == "4 hồ sơ"
    assert view.pdf_button.isEnabled() and view.xlsx_button.isEnabled()
    assert "01/01/2026" in view.summary_label.text()
    assert expected.weights_source in view.summary_label.text()


def test_a_figure_clicked_lists_as_many_files_as_its_value_and_double_click_opens_one(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str]
) -> None:
    view = _shown(ui_ctx, qtbot)
    assert view.files_model.rowCount() == 0
    assert view.drill_box.isHidden()  # the figures have the whole page until one is clicked
    row = view.model.row_of("progress.received")
    index = view.model.index(row, VALUE_COLUMN)
    assert index.data(DRILL_ROLE)
    _click(qtbot, view, index)
    assert view.drill_key == "progress.received"
    assert view.files_model.rowCount() == index.data(VALUE_ROLE) == 4
    assert view.drill_total == 4
    assert view.drill_box.isVisible()
    assert {view.files_model.index(r, 0).data() for r in range(4)} == set(files)
    assert "4" in view.drill_label.text()

    # A figure that is not a link lists nothing new.
    for plain in range(view.model.rowCount()):
        if not view.model.index(plain, VALUE_COLUMN).data(DRILL_ROLE):
            _click(qtbot, view, view.model.index(plain, LABEL_COLUMN))
            break
    assert view.drill_key == "progress.received"

    target = view.files_model.index(2, 1)
    code = target.data(CODE_ROLE)
    with qtbot.waitSignal(view.open_file, timeout=1000) as opened:
        _click(qtbot, view, target, double=True)
    assert opened.args == [code]
    view.files_table.setCurrentIndex(view.files_model.index(0, 0))
    with qtbot.waitSignal(view.open_file, timeout=1000) as opened:
        qtbot.keyClick(view.files_table, Qt.Key.Key_Return)
    assert opened.args == [view.files_model.index(0, 0).data(CODE_ROLE)]
    qtbot.mouseClick(view.close_drill_button, Qt.MouseButton.LeftButton)
    assert view.drill_box.isHidden() and view.drill_key is None


def test_a_zero_figure_is_no_link_and_a_late_file_shows_its_original_due(
    ui_ctx: UiContext, qtbot: QtBot, supervisor: Actor, files: list[str]
) -> None:
    """Late is judged against the due by the rules: a file rescheduled and settled before its
    new appointment is late, and the list says when the original due was."""
    view = _shown(ui_ctx, qtbot)
    late = view.model.index(view.model.row_of("progress.late"), VALUE_COLUMN)
    assert late.data(VALUE_ROLE) == 0 and not late.data(DRILL_ROLE)
    assert late.data(Qt.ItemDataRole.FontRole) is None
    _click(qtbot, view, late)
    assert view.drill_key is None and view.drill_box.isHidden()

    with ui_ctx.db.reader.begin() as s:
        records = s.scalars(select(FileRecord).where(FileRecord.code.in_(files[1:]))).all()
        record = min(records, key=lambda r: r.original_due_at or datetime.max)
        code, received, original = record.code, record.received_at, record.original_due_at
    assert original is not None
    new_due, settled = original + timedelta(days=14), original + timedelta(minutes=30)
    assert settled < ui_ctx.now() < new_due  # settled after the rules' due, before the new one
    with ui_ctx.db.writer.begin() as s:
        amend.reschedule(s, code, new_due, "Chờ ý kiến", supervisor, now=received)
    _do(ui_ctx, lifecycle.forward, code, received + timedelta(hours=1))
    _do(ui_ctx, lifecycle.record_result, code, settled)
    view.compute()
    qtbot.waitUntil(
        lambda: bool(view.model.index(view.model.row_of("progress.late"), 1).data(DRILL_ROLE)),
        timeout=2000,
    )
    late = view.model.index(view.model.row_of("progress.late"), VALUE_COLUMN)
    assert late.data(VALUE_ROLE) == 1
    assert late.data(Qt.ItemDataRole.FontRole).underline()
    _click(qtbot, view, late)
    assert view.drill_key == "progress.late"
    qtbot.waitUntil(lambda: view.files_model.rowCount() == 1, timeout=2000)
    model = view.files_model
    header = model.headerData(ORIGINAL_DUE_COLUMN, Qt.Orientation.Horizontal)
    assert header in {"Original due", "Hẹn trả ban đầu"}
    assert model.index(0, 0).data() == code
    assert model.index(0, ORIGINAL_DUE_COLUMN - 1).data() == f"{new_due:%d/%m/%Y %H:%M}"
    assert model.index(0, ORIGINAL_DUE_COLUMN).data() == f"{original:%d/%m/%Y %H:%M}"
    assert model.index(0, ORIGINAL_DUE_COLUMN + 1).data() == f"{settled:%d/%m/%Y %H:%M}"
    assert model.index(0, ORIGINAL_DUE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)


def test_a_capped_list_says_how_many_there_are(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desk_app.ui.index_view.DRILL_LIMIT", 3)
    view = _shown(ui_ctx, qtbot)
    view.drill("progress.received")
    assert view.files_model.rowCount() == 3
    assert view.drill_total == 4
    assert "3 of 4" in view.drill_label.text()


def test_a_scope_change_computes_again_and_drills_the_same_figure(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str]
) -> None:
    view = _shown(ui_ctx, qtbot)
    view.drill("progress.received")
    assert view.files_model.rowCount() == 4
    other = Scope.of({2})  # an agency with no files
    view.set_scope(other)
    assert view.report == _report(ui_ctx, other)
    assert view.report is not None and view.report.scope == other
    assert _figure(view.report, "progress.received").value == 0
    assert view.files_model.rowCount() == 0
    view.set_scope(ui_ctx.scope)
    assert _figure(view.report, "progress.received").value == 4
    assert view.files_model.rowCount() == 4


def test_an_end_before_the_start_is_refused_next_to_the_date(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _view(ui_ctx, qtbot)
    view.set_dates(date(2026, 3, 1), date(2026, 2, 1))
    view.compute()
    assert view.report is None
    label = view.field_errors.label_for("to")
    assert label.text() == "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    assert not label.isHidden()


def test_a_change_to_the_files_marks_the_page_out_of_date(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str]
) -> None:
    view = _shown(ui_ctx, qtbot)
    ui_ctx.bus.announce(Change.of("users"))
    assert view.stale_label.isHidden()
    _accept(ui_ctx, KARAOKE, datetime(2026, 3, 2, 9, 0), Channel.DIRECT)
    ui_ctx.bus.announce(Change.files("X"))
    assert not view.stale_label.isHidden()
    # Shown again (the tab chosen again), it is computed afresh.
    view.hide()
    view.show()
    assert view.stale_label.isHidden()
    assert view.report is not None
    assert _figure(view.report, "progress.received").value == 5


def test_the_busy_note_shows_while_a_slow_compute_runs(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = national_index.index_report

    def slow(
        session: Session, start: date, end: date, now: datetime | None = None, *, scope: Scope
    ) -> IndexReport:
        time.sleep(0.5)  # past OpRunner.SLOW_MS
        return real(session, start, end, now, scope=scope)

    monkeypatch.setattr(national_index, "index_report", slow)
    runner = OpRunner()
    ctx = dataclasses.replace(ui_ctx, runner=runner)
    try:
        view = _view(ctx, qtbot)
        view.show()  # computes
        assert view.report is None and not view.busy.isVisible()
        qtbot.waitUntil(view.busy.isVisible, timeout=2000)
        qtbot.waitUntil(lambda: view.report is not None, timeout=3000)
        assert not view.busy.isVisible()
    finally:
        runner.shutdown()


def test_the_models_pass_the_model_tester(
    ui_ctx: UiContext, qtbot: QtBot, qtmodeltester: ModelTester, files: list[str]
) -> None:
    model = IndexModel()
    qtmodeltester.check(model)
    report = _report(ui_ctx)
    model.set_report(report)
    qtmodeltester.check(model)
    assert model.rowCount() > len(report.groups)
    behind = FilesBehindModel()
    qtmodeltester.check(behind)
    with ui_ctx.db.reader.begin() as s:
        found, total = national_index.files_behind(
            s, "progress.received", *QUARTER, ui_ctx.now(), scope=ALL
        )
    behind.set_rows(found)
    qtmodeltester.check(behind)
    assert behind.rowCount() == total == 4


# --- exports ---------------------------------------------------------------------------------


def test_the_exports_write_a_pdf_and_a_workbook_of_the_index(
    ui_ctx: UiContext,
    qtbot: QtBot,
    files: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = _view(ui_ctx, qtbot)
    compute(view)
    report = view.report
    assert report is not None

    offered, text = export_pdf(view, tmp_path / "chi-so", qtbot, monkeypatch)
    assert offered == ["chi-so-766-2026-01-01-2026-03-31.pdf"]
    for group in report.groups:
        assert group.label in text

    offered = export(view.xlsx_button, tmp_path / "chi-so.xlsx", qtbot, monkeypatch)
    assert offered == ["chi-so-766-2026-01-01-2026-03-31.xlsx"]
    book = load_workbook(tmp_path / "chi-so.xlsx", read_only=True)
    cells = {
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    }  # fmt: skip
    book.close()
    for group in report.groups:
        assert group.label in cells
    assert not list(tmp_path.glob("*.partial"))


# --- in the supervisor window ----------------------------------------------------------------


def test_the_supervisor_window_has_the_tab_and_passes_a_file_on(
    ui_ctx: UiContext, qtbot: QtBot, files: list[str]
) -> None:
    window = SupervisorWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.index) == 2
    assert window.index.report is None  # nothing computed while the tab is not shown
    window.show()
    window.tabs.setCurrentWidget(window.index)
    qtbot.waitUntil(lambda: window.index.report is not None, timeout=2000)
    window.index.drill("progress.received")
    code = window.index.files_model.index(0, 0).data(CODE_ROLE)
    with qtbot.waitSignal(window.open_file, timeout=1000) as opened:
        window.index.files_table.activated.emit(window.index.files_model.index(0, 0))
    assert opened.args == [code]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(4.81, "4,81"), (91.1, "91,1"), (1234.0, "1.234"), (0.0, "0"), (3.5, "3,5")],
)
def test_numbers_keep_the_decimals_the_service_kept(value: float, shown: str) -> None:
    vietnamese = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    assert format_number(value, vietnamese) == shown
    assert format_points(18.2, 20, vietnamese) == "18,20 / 20"
    assert format_points(None, 18, vietnamese) == "— / 18"
