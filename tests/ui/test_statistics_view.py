"""The period statistics screen: the table equals the core's report, the busy bar, the exports;
the whole table in view at a 1366×768 screen."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel
from desk_app.domain.statistics import STAT_KEYS
from desk_app.services import intake, lifecycle, statistics
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import GroupBy, PeriodReport
from desk_app.ui import file_dialogs
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.ops import OpRunner
from desk_app.ui.statistics_model import (
    FIRST_COUNT_COLUMN,
    GROUP_ROLE,
    LABEL_COLUMN,
    STT_COLUMN,
    VALUE_ROLE,
    GroupedHeader,
    StatisticsModel,
    column_of,
)
from desk_app.ui.statistics_view import LABEL_MIN_WIDTH, StatisticsView
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.ui.at_the_desk import as_at_the_desk

KARAOKE = "1.001029"  # Văn hóa, 5 working days
TRAVEL = "VHTTDL-DL-05"  # Du lịch
CERTIFY = "CHUNG-CT-01"  # Chứng thực


def _accept(ctx: UiContext, procedure: str, at: datetime, channel: Channel) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name="Hoàng Văn Thụ", phone="0912345678"),
        channel=channel,
        received_at=at,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=at).code


def _do(ctx: UiContext, fn: Callable[..., object], code: str, at: datetime, *args: str) -> None:
    with ctx.db.writer.begin() as s:
        fn(s, MoveInput(code, at=at), *args, ctx.actor, now=ctx.now())


@pytest.fixture
def quarter_files(ui_ctx: UiContext) -> dict[str, str]:
    """Files around the first quarter of 2026 (the clock is 2 March 2026), one of each kind."""
    ctx = ui_ctx
    files = {
        # Received the quarter before and still open: carried over, open at the end.
        "carried": _accept(ctx, KARAOKE, datetime(2025, 12, 22, 9, 0), Channel.DIRECT),
        "online": _accept(ctx, KARAOKE, datetime(2026, 1, 5, 9, 0), Channel.ONLINE),
        "direct": _accept(ctx, TRAVEL, datetime(2026, 2, 2, 9, 0), Channel.DIRECT),
        "postal": _accept(ctx, CERTIFY, datetime(2026, 2, 10, 9, 0), Channel.POSTAL),
        "withdrawn": _accept(ctx, TRAVEL, datetime(2026, 2, 11, 9, 0), Channel.DIRECT),
    }
    _do(ctx, lifecycle.forward, files["online"], datetime(2026, 1, 5, 10, 0))
    # Settled the next day: well before a 5-working-day appointment.
    _do(ctx, lifecycle.record_result, files["online"], datetime(2026, 1, 6, 10, 0))
    _do(ctx, lifecycle.withdraw, files["withdrawn"], datetime(2026, 2, 12, 9, 0), "Xin rút")
    return files


def _report(ctx: UiContext, start: date, end: date, by: GroupBy) -> PeriodReport:
    with ctx.db.reader.begin() as s:
        return statistics.period_report(s, start, end, by, now=ctx.now())


def _cell(view: StatisticsView, row: int, key: str) -> int:
    value = view.model.index(row, column_of(key)).data(VALUE_ROLE)
    assert isinstance(value, int)
    return value


def _view(ctx: UiContext, qtbot: QtBot) -> StatisticsView:
    view = StatisticsView(ctx)
    qtbot.addWidget(view)
    return view


def test_a_computed_quarter_shows_the_core_report_cell_by_cell(
    ui_ctx: UiContext, qtbot: QtBot, quarter_files: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    # The clock's quarter is chosen on opening.
    assert view.period() == (date(2026, 1, 1), date(2026, 3, 31))
    assert view.number_combo.currentData() == 1
    qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)

    expected = _report(ui_ctx, date(2026, 1, 1), date(2026, 3, 31), GroupBy.FIELD)
    assert view.report == expected
    # The quarter is not over on 2 March: counted as of now (DOMAIN §4.1 rule 6).
    assert expected.as_of == ui_ctx.now()
    assert "as of 10:00 02/03/2026" in view.summary_label.text()
    model = view.model
    assert model.rowCount() == len(expected.rows) + 1
    for row, stat in enumerate(expected.rows):
        assert model.index(row, STT_COLUMN).data() == row + 1
        assert model.index(row, LABEL_COLUMN).data() == stat.label
        for key in STAT_KEYS:
            assert _cell(view, row, key) == getattr(stat.counts, key), (stat.label, key)
    total_row = len(expected.rows)
    assert model.index(total_row, LABEL_COLUMN).data() == "Total"
    assert model.index(total_row, STT_COLUMN).data() is None
    assert model.index(total_row, LABEL_COLUMN).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, LABEL_COLUMN).data(Qt.ItemDataRole.FontRole) is None
    for key in STAT_KEYS:
        assert _cell(view, total_row, key) == getattr(expected.total, key)

    # Counted by hand from the fixture: the numbers are right, not only equal to the core's.
    assert [r.label for r in expected.rows] == ["Chứng thực", "Du lịch", "Văn hóa"]
    assert _cell(view, total_row, "received_online") == 1
    assert _cell(view, total_row, "received_direct_postal") == 3
    assert _cell(view, total_row, "carried_over") == 1
    assert _cell(view, total_row, "settled_early") == 1
    assert _cell(view, total_row, "withdrawn") == 1
    assert _cell(view, total_row, "open_total") == 3
    assert _cell(view, total_row, "postal_received") == 1
    assert _cell(view, 1, "withdrawn") == 1  # Du lịch

    # The identities hold in the table, on every row and the total.
    for row in range(model.rowCount()):
        c = {key: _cell(view, row, key) for key in STAT_KEYS}
        assert c["received_total"] == (
            c["received_online"] + c["received_direct_postal"] + c["carried_over"]
        )
        assert c["settled_total"] == c["settled_early"] + c["settled_on_time"] + c["settled_late"]
        assert c["open_total"] == c["open_in_time"] + c["open_overdue"]
        assert c["received_total"] == (
            c["settled_total"] + c["open_total"] + c["withdrawn"] + c["stopped"]
        )
    # Numbers right-aligned, written as text for the eye.
    index = model.index(total_row, column_of("received_direct_postal"))
    assert index.data() == "3"
    align = Qt.AlignmentFlag(index.data(Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight
    assert "Checked" in view.summary_label.text()
    assert view.pdf_button.isEnabled() and view.json_button.isEnabled()


def test_grouping_by_procedure_and_enter_computes(
    ui_ctx: UiContext, qtbot: QtBot, quarter_files: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.group_combo.setCurrentIndex(view.group_combo.findData("procedure"))
    view.from_edit.setFocus()
    qtbot.keyClick(view.from_edit, Qt.Key.Key_Return)
    expected = _report(ui_ctx, date(2026, 1, 1), date(2026, 3, 31), GroupBy.PROCEDURE)
    assert view.report == expected
    assert [view.model.index(r, LABEL_COLUMN).data() for r in range(len(expected.rows))] == [
        r.label for r in expected.rows
    ]
    header = view.model.headerData(LABEL_COLUMN, Qt.Orientation.Horizontal)
    assert header == "Procedure"


def test_choosing_a_period_fills_the_dates_and_editing_a_date_makes_it_custom(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _view(ui_ctx, qtbot)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("month"))
    # The month that holds the quarter's first day.
    assert view.period() == (date(2026, 1, 1), date(2026, 1, 31))
    view.number_combo.setCurrentIndex(view.number_combo.findData(2))
    assert view.period() == (date(2026, 2, 1), date(2026, 2, 28))
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("half"))
    assert view.period() == (date(2026, 1, 1), date(2026, 6, 30))
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("year"))
    view.year_spin.setValue(2025)
    assert view.period() == (date(2025, 1, 1), date(2025, 12, 31))
    assert not view.number_combo.isEnabled()

    view.to_edit.setDate(QDate(2025, 6, 15))
    assert view.kind_combo.currentData() == "custom"
    assert not view.year_spin.isEnabled()
    assert view.period() == (date(2025, 1, 1), date(2025, 6, 15))


def test_an_end_before_the_start_is_refused_next_to_the_date(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _view(ui_ctx, qtbot)
    view.set_dates(date(2026, 3, 1), date(2026, 2, 1))
    view.compute()
    assert view.report is None
    label = view.findChild(QLabel, "error_to")
    assert label is not None
    assert label.text() == "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    assert not label.isHidden()
    # What the user typed stays.
    assert view.period() == (date(2026, 3, 1), date(2026, 2, 1))


def test_the_model_passes_the_model_tester(
    ui_ctx: UiContext, qtbot: QtBot, qtmodeltester: ModelTester, quarter_files: dict[str, str]
) -> None:
    model = StatisticsModel()
    qtmodeltester.check(model)
    model.set_report(_report(ui_ctx, date(2026, 1, 1), date(2026, 3, 31), GroupBy.FIELD))
    qtmodeltester.check(model)
    assert model.rowCount() == 4


def test_the_header_groups_the_columns_as_the_form_does(ui_ctx: UiContext, qtbot: QtBot) -> None:
    view = _view(ui_ctx, qtbot)
    header = view.table.horizontalHeader()
    assert isinstance(header, GroupedHeader)
    received = column_of("received_total")
    assert header.group_span(received) == (received, column_of("carried_over"))
    assert header.group_span(column_of("settled_late")) == (
        column_of("settled_total"),
        column_of("settled_late"),
    )
    assert header.group_span(STT_COLUMN) is None
    assert view.model.headerData(received, Qt.Orientation.Horizontal, GROUP_ROLE) == (
        "Received for settlement"
    )
    tip = view.model.headerData(received, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "(3) Received, total = (4) + (5) + (6)"
    assert view.model.columnCount() == FIRST_COUNT_COLUMN + len(STAT_KEYS)
    # Two header rows.
    assert header.sizeHint().height() >= 2 * view.fontMetrics().height()


def test_the_busy_bar_stays_hidden_for_a_quick_job(ui_ctx: UiContext, qtbot: QtBot) -> None:
    view = _view(ui_ctx, qtbot)
    view.show()
    view.compute()
    assert view.report is not None
    assert not view._busy_timer.isActive()
    assert view.busy_bar.isHidden()


def test_the_busy_bar_shows_while_a_slow_job_runs(
    ui_ctx: UiContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = statistics.period_report

    def slow(
        session: Session,
        start: date,
        end: date,
        by: GroupBy,
        now: datetime | None = None,
        *,
        scope: Scope = ALL,
    ) -> PeriodReport:
        time.sleep(0.9)
        return real(session, start, end, by, now, scope=scope)

    monkeypatch.setattr(statistics, "period_report", slow)
    runner = OpRunner()
    ctx = dataclasses.replace(ui_ctx, runner=runner)
    try:
        view = _view(ctx, qtbot)
        view.show()
        bar = view.findChild(QProgressBar, "busyBar")
        assert bar is not None
        view.compute()
        assert not bar.isVisible()  # not before half a second
        qtbot.waitUntil(bar.isVisible, timeout=3000)
        qtbot.waitUntil(lambda: view.report is not None, timeout=5000)
        assert not bar.isVisible()
    finally:
        runner.shutdown()


def test_a_change_to_the_files_marks_the_table_out_of_date(ui_ctx: UiContext, qtbot: QtBot) -> None:
    view = _view(ui_ctx, qtbot)
    ui_ctx.bus.announce(Change.files("X"))
    assert view.stale_label.isHidden()  # nothing computed yet
    view.compute()
    ui_ctx.bus.announce(Change.of("users"))
    assert view.stale_label.isHidden()
    ui_ctx.bus.announce(Change.files("X"))
    assert not view.stale_label.isHidden()
    view.compute()
    assert view.stale_label.isHidden()


# --- exports ---------------------------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str, str]]:
    calls: list[tuple[bytes, str, str]] = []

    def fake(parent: QWidget | None, pdf: bytes, title: str, name: str) -> None:
        calls.append((pdf, title, name))

    monkeypatch.setattr("desk_app.ui.preview.show_pdf", fake)
    return calls


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Answer the save dialog with `path`; returns the names the dialog was offered."""
    offered: list[str] = []

    def fake(
        parent: QWidget, title: str, folder: Path | None, name: str, filters: str
    ) -> tuple[Path, str]:
        offered.append(str(folder / name) if folder else name)
        return path, filters

    monkeypatch.setattr(file_dialogs, "ask_save_path", fake)
    return offered


def test_exports_are_offered_only_after_computing(ui_ctx: UiContext, qtbot: QtBot) -> None:
    view = _view(ui_ctx, qtbot)
    assert not view.pdf_button.isEnabled()
    assert not view.xlsx_button.isEnabled()
    assert view.register_button.isEnabled()


def test_pdf_export_opens_the_preview(
    ui_ctx: UiContext,
    qtbot: QtBot,
    quarter_files: dict[str, str],
    shown: list[tuple[bytes, str, str]],
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    pdf, title, name = shown[0]
    assert pdf.startswith(b"%PDF")
    assert title == "Period statistics"
    assert name == "bieu-06-2026-01-01-2026-03-31.pdf"


def test_json_export_writes_the_report(
    ui_ctx: UiContext,
    qtbot: QtBot,
    quarter_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()
    target = tmp_path / "out" / "quy-1"  # no suffix typed: ".json" is added
    offered = _save_to(monkeypatch, target)
    qtbot.mouseClick(view.json_button, Qt.MouseButton.LeftButton)
    assert offered[0].endswith("bieu-06-2026-01-01-2026-03-31.json")
    written = tmp_path / "out" / "quy-1.json"
    data = json.loads(written.read_text(encoding="utf-8"))
    assert view.report is not None
    assert data["from"] == "2026-01-01" and data["to"] == "2026-03-31"
    assert data["total"]["received_total"] == view.report.total.received_total == 5
    assert [r["group"] for r in data["rows"]] == [r.group for r in view.report.rows]
    assert str(written) in view.message_label.text()


def test_excel_export_writes_a_workbook(
    ui_ctx: UiContext,
    qtbot: QtBot,
    quarter_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()
    target = tmp_path / "bieu.xlsx"
    _save_to(monkeypatch, target)
    qtbot.mouseClick(view.xlsx_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"PK")  # a zip: the xlsx container
    assert not (tmp_path / "bieu.xlsx.partial").exists()


def test_a_cancelled_save_writes_nothing(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()

    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: None)
    view.export_json()
    assert view.message_label.text() == ""
    assert list(tmp_path.glob("*.json")) == []


def test_the_register_for_the_chosen_period_as_pdf_and_excel(
    ui_ctx: UiContext,
    qtbot: QtBot,
    quarter_files: dict[str, str],
    shown: list[tuple[bytes, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = _view(ui_ctx, qtbot)
    view.set_period("month", 2026, 2)
    view.register_pdf_action.trigger()
    assert len(shown) == 1
    assert shown[0][0].startswith(b"%PDF")
    assert shown[0][2] == "so-theo-doi-2026-02-01-2026-02-28.pdf"

    target = tmp_path / "so.xlsx"
    offered = _save_to(monkeypatch, target)
    view.register_xlsx_action.trigger()
    assert offered[0].endswith("so-theo-doi-2026-02-01-2026-02-28.xlsx")
    assert target.read_bytes().startswith(b"PK")


@pytest.fixture
def at_the_desk(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    with as_at_the_desk(qapp, tmp_path, monkeypatch):
        yield


def _nothing_cut(view: StatisticsView) -> None:
    """Every header name, group name and count within its cell; the label column readable."""
    header, table = view.header, view.table
    metrics, margin = header.fontMetrics(), header.margin()
    for column in range(header.count()):
        size = header.sectionSize(column)
        if column == LABEL_COLUMN:
            wanted = min(table.sizeHintForColumn(LABEL_COLUMN), LABEL_MIN_WIDTH)
            assert size >= wanted
            continue
        for line in header.name_lines(column).split("\n"):
            assert metrics.horizontalAdvance(line) + margin <= size, line
        span = header.group_span(column)
        if span is not None and span[0] == column:
            group = sum(header.sectionSize(c) for c in range(span[0], span[1] + 1))
            assert header.group_width(column) <= group
        for row in range(view.model.rowCount()):
            index = view.model.index(row, column)
            font = index.data(Qt.ItemDataRole.FontRole)  # the total row is bold
            cell = QFontMetrics(font) if isinstance(font, QFont) else table.fontMetrics()
            assert cell.horizontalAdvance(str(index.data() or "")) < size, (row, column)


def test_the_table_fits_the_window_at_1366x768_without_sideways_scrolling(
    ui_ctx: UiContext, qtbot: QtBot, quarter_files: dict[str, str], at_the_desk: None
) -> None:
    window = SupervisorWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    view = window.statistics
    window.tabs.setCurrentWidget(view)
    view.set_period("quarter", 2026, 1)
    scroll = view.table.horizontalScrollBar()
    for by in ("field", "procedure"):
        view.group_combo.setCurrentIndex(view.group_combo.findData(by))
        view.compute()
        qtbot.waitUntil(lambda: view.table.viewport().width() > 1000)
        assert view.model.rowCount() > 1
        QApplication.processEvents()
        # The postal columns too: the whole table within the window, nothing cut.
        assert scroll.maximum() == 0, by
        assert view.header.length() <= view.table.viewport().width()
        assert view.header.is_wrapped()  # "Trực tiếp, / bưu chính" on two lines
        assert view.header.name_lines(column_of("received_direct_postal")).count("\n") == 1
        _nothing_cut(view)

    # A full-HD screen has room for every name on one line.
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not view.header.is_wrapped())
    assert scroll.maximum() == 0
    assert "\n" not in view.header.name_lines(column_of("received_direct_postal"))
    _nothing_cut(view)
