"""The supervisor's satisfaction page (issue 16): the ratings by officer, procedure and service
counted by hand, the chart, the scope, the exports read back; its tab in the supervisor window."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk_app.services import intake, ratings, users
from desk_app.services.context import Actor
from desk_app.services.ratings import Level
from desk_app.services.scope import Scope
from desk_app.store.engine import Database
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.satisfaction_model import (
    DISSATISFIED_COLUMN,
    KEY_ROLE,
    LABEL_COLUMN,
    RATED_COLUMN,
    SATISFIED_COLUMN,
    SHARE_COLUMN,
    VALUE_ROLE,
    VERY_COLUMN,
    SatisfactionModel,
    format_share,
)
from desk_app.ui.satisfaction_view import SatisfactionView
from desk_app.ui.supervisor_window import SupervisorWindow
from tests.centre_data import JUSTICE, accept, add_justice, desks
from tests.ui.conftest import make_ui_context
from tests.ui.period_pages import (
    compute,
    export,
    export_pdf,
    no_error_box,  # noqa: F401 (autouse fixture)
    sheet_rows,
)

KARAOKE = "1.001029"
TRAVEL = "VHTTDL-DL-05"
LAN, THANG = "Nguyễn Thị Lan", "Vi Đức Thắng"  # the officer and the supervisor of the test desk
COMMENT = "Cán bộ Lan rất tận tình"  # a comment never shown on this page nor in its exports


def _accept(ctx: UiContext, procedure: str, at: datetime) -> str:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name="Hoàng Văn Thụ", phone="0912345678"),
        received_at=at,
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=at).code


def _visit(
    ctx: UiContext, code: str, service: str, actor: Actor, at: datetime, level: Level | None
) -> None:
    with ctx.db.writer.begin() as s:
        token = ratings.open_visit(s, code, service, actor, at).token
        if level is not None:
            comment = COMMENT if level == Level.VERY_SATISFIED else ""
            ratings.record_rating(s, token, level, ["thai_do"], comment, at + timedelta(minutes=1))


@pytest.fixture
def rated(ui_ctx: UiContext) -> dict[str, str]:
    """Ratings in the clock's quarter (I/2026), by hand:

    | officer | file (procedure)   | service | level          |
    | Lan     | a (karaoke)        | return  | very satisfied |
    | Lan     | b (travel)         | accept  | satisfied      |
    | Lan     | c (karaoke)        | accept  | not rated      |
    | Thắng   | c (karaoke)        | accept  | dissatisfied   |
    | Thắng   | b (travel)         | return  | very satisfied |
    and one in December 2025 (Lan, a, dissatisfied), outside the quarter.
    """
    ctx = ui_ctx
    with ctx.db.reader.begin() as s:
        thang = users.sign_in(s, "lanhdao", "matkhau123")
    lan = ctx.actor
    a = _accept(ctx, KARAOKE, datetime(2025, 12, 22, 9, 0))
    b = _accept(ctx, TRAVEL, datetime(2026, 2, 2, 9, 0))
    c = _accept(ctx, KARAOKE, datetime(2026, 2, 10, 9, 0))
    _visit(ctx, a, "accept", lan, datetime(2025, 12, 22, 9, 5), Level.DISSATISFIED)
    _visit(ctx, a, "return", lan, datetime(2026, 1, 5, 9, 5), Level.VERY_SATISFIED)
    _visit(ctx, b, "accept", lan, datetime(2026, 2, 2, 9, 5), Level.SATISFIED)
    _visit(ctx, c, "accept", lan, datetime(2026, 2, 10, 9, 5), None)
    _visit(ctx, c, "accept", thang, datetime(2026, 2, 10, 9, 30), Level.DISSATISFIED)
    _visit(ctx, b, "return", thang, datetime(2026, 3, 2, 8, 0), Level.VERY_SATISFIED)
    return {"a": a, "b": b, "c": c}


def _view(ctx: UiContext, qtbot: QtBot) -> SatisfactionView:
    view = SatisfactionView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 640)
    return view


def _table(view: SatisfactionView) -> dict[str, tuple[object, ...]]:
    """Label → (very, satisfied, dissatisfied, rated, share %) as the table holds them."""
    model = view.model
    columns = (VERY_COLUMN, SATISFIED_COLUMN, DISSATISFIED_COLUMN, RATED_COLUMN, SHARE_COLUMN)
    out = {}
    for row in range(model.rowCount()):
        label = str(model.index(row, LABEL_COLUMN).data())
        out[label] = tuple(model.index(row, c).data(VALUE_ROLE) for c in columns)
    return out


def test_showing_the_page_counts_the_quarter_by_officer_as_by_hand(
    ui_ctx: UiContext, qtbot: QtBot, rated: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    view.show()  # computes the clock's quarter
    qtbot.waitUntil(lambda: view.report is not None, timeout=2000)
    assert view.period() == (date(2026, 1, 1), date(2026, 3, 31))
    total = view.model.index(view.model.rowCount() - 1, LABEL_COLUMN).data()
    assert _table(view) == {
        LAN: (1, 1, 0, 2, 100.0),
        THANG: (1, 0, 1, 2, 50.0),
        total: (2, 1, 1, 4, 75.0),
    }
    assert view.model.index(view.model.rowCount() - 1, LABEL_COLUMN).data(KEY_ROLE) == ""
    assert "4" in view.summary_label.text() and "1" in view.summary_label.text()  # not rated
    # The chart: the three levels of each officer, drawn bottom-up (the table's first on top).
    # Levels bottom-up too: dissatisfied (red), satisfied, very satisfied (green).
    sets = view.series.barSets()
    assert [[int(s.at(i)) for i in range(s.count())] for s in sets] == [[1, 0], [0, 1], [1, 1]]
    assert [s.color().name() for s in sets] == ["#c62828", "#1565c0", "#2e7d32"]
    assert view.axis.categories() == [THANG, LAN]
    assert THANG in view.chart_tooltip(1) and "1" in view.chart_tooltip(1)
    # Comments never reach the page.
    texts = [
        str(view.model.index(r, c).data())
        for r in range(view.model.rowCount())
        for c in range(view.model.columnCount())
    ]
    assert not [t for t in texts if COMMENT in t]


def test_grouped_by_procedure_and_by_service_as_by_hand(
    ui_ctx: UiContext, qtbot: QtBot, rated: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()
    view.set_group_by("procedure")  # a report on show is computed again
    assert view.report is not None and view.report.by == "procedure"
    rows = {r.key: (r.counts.very_satisfied, r.counts.satisfied, r.counts.dissatisfied)
            for r in view.report.rows}  # fmt: skip
    assert rows == {KARAOKE: (1, 0, 1), TRAVEL: (1, 1, 0)}
    assert view.axis.categories() == [r.key for r in reversed(view.report.rows)]  # codes
    view.set_group_by("service")
    assert set(_table(view).values()) == {
        (0, 1, 1, 2, 50.0),  # accept
        (2, 0, 0, 2, 100.0),  # return
        (2, 1, 1, 4, 75.0),  # total
    }
    assert [r.label for r in view.report.rows] == ["Tiếp nhận hồ sơ", "Trả kết quả"]


def test_a_scope_change_counts_again(
    ui_ctx: UiContext, qtbot: QtBot, rated: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    view.compute()
    assert view.report is not None and len(view.report.rows) == 2
    view.set_scope(Scope.of({2}))  # an agency with no ratings
    assert view.report.scope == Scope.of({2}) and view.report.rows == ()
    assert view.model.rowCount() == 1  # the total only
    assert view.series.barSets()[0].count() == 0
    view.set_scope(ui_ctx.scope)
    assert view.report is not None and view.report.total.total_rated == 4


def test_an_end_before_the_start_is_refused_next_to_the_date(
    ui_ctx: UiContext, qtbot: QtBot
) -> None:
    view = _view(ui_ctx, qtbot)
    view.set_dates(date(2026, 3, 1), date(2026, 2, 1))
    view.compute()
    assert view.report is None
    label = view.field_errors.label_for("to")
    assert label.text() == "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."


def test_a_new_rating_marks_the_page_out_of_date(
    ui_ctx: UiContext, qtbot: QtBot, rated: dict[str, str]
) -> None:
    view = _view(ui_ctx, qtbot)
    view.show()
    qtbot.waitUntil(lambda: view.report is not None, timeout=2000)
    _visit(ui_ctx, rated["c"], "accept", ui_ctx.actor, datetime(2026, 3, 2, 9, 0), Level.SATISFIED)
    ui_ctx.bus.announce(Change.of("users"))
    assert view.stale_label.isHidden()
    ui_ctx.bus.announce(Change.of("ratings"))
    assert not view.stale_label.isHidden()
    view.hide()
    view.show()  # shown again: counted afresh
    assert view.stale_label.isHidden()
    assert view.report is not None and view.report.total.satisfied == 2


def test_the_model_passes_the_model_tester(
    ui_ctx: UiContext, qtbot: QtBot, qtmodeltester: ModelTester, rated: dict[str, str]
) -> None:
    model = SatisfactionModel()
    qtmodeltester.check(model)
    view = _view(ui_ctx, qtbot)
    view.compute()
    model.set_report(view.report)
    qtmodeltester.check(model)
    assert model.rowCount() == 3


def test_the_exports_write_a_pdf_and_a_workbook_of_the_table(
    ui_ctx: UiContext,
    qtbot: QtBot,
    rated: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = _view(ui_ctx, qtbot)
    compute(view)

    offered, text = export_pdf(view, tmp_path / "hai-long", qtbot, monkeypatch)
    assert offered == ["muc-do-hai-long-2026-01-01-2026-03-31.pdf"]
    assert "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Cán bộ phục vụ" in text and "Tỷ lệ hài lòng (%)" in text
    assert f"{LAN} 1 1 0 2 100,0" in text
    assert f"{THANG} 1 0 1 2 50,0" in text
    assert "Tổng cộng 2 1 1 4 75,0" in text
    assert "không được đánh giá trong kỳ: 1" in text
    assert COMMENT not in text

    offered = export(view.xlsx_button, tmp_path / "hai-long.xlsx", qtbot, monkeypatch)
    assert offered == ["muc-do-hai-long-2026-01-01-2026-03-31.xlsx"]
    rows = sheet_rows(tmp_path / "hai-long.xlsx")
    body = {r[1]: r[2:7] for r in rows if r[1] in (LAN, THANG, "Tổng cộng")}
    assert body == {
        LAN: (1, 1, 0, 2, 100.0),
        THANG: (1, 0, 1, 2, 50.0),
        "Tổng cộng": (2, 1, 1, 4, 75.0),
    }
    assert not [r for r in rows if any(COMMENT in str(v) for v in r)]
    assert not list(tmp_path.glob("*.partial"))


def test_the_supervisor_window_has_the_tab_after_the_national_index(
    ui_ctx: UiContext, qtbot: QtBot, rated: dict[str, str]
) -> None:
    window = SupervisorWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.satisfaction) == window.tabs.indexOf(window.index) + 1
    assert window.satisfaction.report is None  # nothing counted while the tab is not shown
    window.show()
    window.tabs.setCurrentWidget(window.satisfaction)
    qtbot.waitUntil(lambda: window.satisfaction.report is not None, timeout=2000)
    assert window.satisfaction.report.total.total_rated == 4


def test_in_a_centre_the_page_follows_the_scope_chooser_and_groups_by_agency(
    qapp: object, db: Database, officer: Actor, supervisor: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    add_justice(db)
    who = desks(db, officer, supervisor)
    at = datetime(2026, 2, 23, 9, 0)
    first = accept(db, who.first_counter, KARAOKE, at, "Nguyễn Văn A", 1)
    justice = accept(db, who.justice, KARAOKE, at, "Nguyễn Văn B", JUSTICE)
    with db.writer.begin() as s:
        for code, actor, levels in (
            (first, who.first_counter, (Level.VERY_SATISFIED, Level.SATISFIED)),
            (justice, who.justice, (Level.DISSATISFIED,)),
        ):
            for level in levels:
                token = ratings.open_visit(s, code, "accept", actor, at).token
                ratings.record_rating(s, token, level, [], "", at + timedelta(minutes=1))
    boss = dataclasses.replace(supervisor, agencies=frozenset({1, JUSTICE}))
    window = SupervisorWindow(make_ui_context(db, boss, tmp_path))
    qtbot.addWidget(window)
    window.show()
    page = window.satisfaction
    page.set_group_by("agency")  # a centre's grouping
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.report is not None, timeout=2000)
    # In Vietnamese order, case aside: "Sở Tư pháp" before "SỞ VĂN HÓA, …" (t before v).
    assert page.report is not None and [r.key for r in page.report.rows] == [str(JUSTICE), "1"]
    window.set_agency(JUSTICE)  # counted again at once, the Sở Tư pháp's only
    assert page.report.scope == Scope.of({JUSTICE})
    assert (page.report.total.total_rated, page.report.total.dissatisfied) == (1, 1)
    window.set_agency(None)
    assert page.report.total.total_rated == 3


@pytest.mark.parametrize(("value", "shown"), [(75.0, "75,0"), (200 / 3, "66,7"), (None, "—")])
def test_the_share_is_written_with_one_decimal(value: float | None, shown: str) -> None:
    vietnamese = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    assert format_share(value, vietnamese) == shown
