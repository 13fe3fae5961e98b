"""The applicant's rating screen (issue 16): paired from the counter window, it asks after each
kind of service (accept, refuse at intake, return of the result) and stores one rating with the
file, the officer, the counter and the service; it goes back to its idle page by itself; a visit
is rated once; a screen that is not paired shows and asks nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desk_app.errors import ValidationError
from desk_app.services import intake, lifecycle, ratings
from desk_app.services.lifecycle import MoveInput
from desk_app.services.ratings import Level
from desk_app.services.views import FileView
from desk_app.ui.action_base import ActionDialog
from desk_app.ui.applicant_screen import ApplicantScreen
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.counter_window import OFFSCREEN_WARNINGS, at_counter

KARAOKE = "1.001029"
COUNTER = "Quầy 3"

pytestmark = OFFSCREEN_WARNINGS


@pytest.fixture
def ctx(ui_ctx: UiContext) -> UiContext:
    return at_counter(ui_ctx, COUNTER)


@pytest.fixture
def window(ctx: UiContext, qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _input(name: str = "Đặng Thị Ánh") -> intake.IntakeInput:
    return intake.IntakeInput(
        procedure=KARAOKE, applicant=intake.ApplicantInput(name=name), received_at=NOW
    )


def _accept(ctx: UiContext) -> FileView:
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, _input(), ctx.actor, now=NOW)


def _visits(ctx: UiContext) -> list[dict[str, object]]:
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT f.code, u.username, r.counter_name, r.service, r.level, r.reasons, "
                "r.comment, r.opened_at, r.rated_at, r.token FROM ratings r "
                "JOIN files f ON f.id = r.file_id LEFT JOIN users u ON u.id = r.officer_id "
                "ORDER BY r.id"
            )
        ).all()
    return [dict(r._mapping) for r in rows]


def _intake_dialog(window: MainWindow) -> object:
    from desk_app.ui.intake import IntakeDialog

    window.new_file_action.trigger()
    dialog = window.findChild(IntakeDialog)
    assert dialog is not None
    return dialog


def _rate(qtbot: QtBot, screen: ApplicantScreen, level: Level, *reasons: str) -> None:
    """Tap a level, the reasons, then "Gửi", as a finger does."""
    assert screen.page() == "ask"
    qtbot.mouseClick(screen.level_buttons[level], Qt.MouseButton.LeftButton)
    assert screen.page() == "details"
    for key in reasons:
        qtbot.mouseClick(screen.reason_buttons[key], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.rated, timeout=1000):
        qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    assert screen.page() == "thanks"


def test_a_rating_after_an_accept_and_a_refusal_at_intake(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    screen = window.open_rating_screen()
    assert window.rating_screen_action.isChecked() and screen.paired
    assert screen.counter == COUNTER and screen.page() == "idle"
    assert screen.agency_label.text() == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"

    accepted = _accept(ctx)
    dialog = _intake_dialog(window)
    with qtbot.waitSignal(screen.visit_opened, timeout=1000):
        dialog.accepted_file.emit(accepted)  # type: ignore[attr-defined]
    assert accepted.code in screen.visit_label.text() and COUNTER in screen.visit_label.text()
    _rate(qtbot, screen, Level.VERY_SATISFIED, "thai_do")

    with ctx.db.writer.begin() as s:
        refused = intake.refuse_file(s, _input("Lý Văn Nam"), "Sai thẩm quyền", ctx.actor, now=NOW)
    with qtbot.waitSignal(screen.visit_opened, timeout=1000):
        dialog.accepted_file.emit(refused)  # type: ignore[attr-defined]
    _rate(qtbot, screen, Level.DISSATISFIED, "thoi_gian_cho", "thu_tuc")

    visits = _visits(ctx)
    assert [
        (v["code"], v["username"], v["counter_name"], v["service"], v["level"]) for v in visits
    ] == [
        (accepted.code, "canbo", COUNTER, "accept", 3),
        (refused.code, "canbo", COUNTER, "refuse", 1),
    ]
    assert json.loads(str(visits[1]["reasons"])) == ["thoi_gian_cho", "thu_tuc"]
    assert visits[0]["opened_at"] == visits[0]["rated_at"] == "2026-03-02 10:00:00"


def test_a_rating_after_the_result_is_returned_at_the_counter(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    view = _accept(ctx)
    with ctx.db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(view.code), ctx.actor, now=NOW)
        lifecycle.record_result(s, MoveInput(view.code), ctx.actor, now=NOW)
    screen = window.open_rating_screen()
    window.detail.show_code(view.code)
    qtbot.waitUntil(lambda: window.detail.view is not None, timeout=1000)

    def submit() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ActionDialog)
        dialog.submit()

    QTimer.singleShot(0, submit)
    with qtbot.waitSignal(screen.visit_opened, timeout=2000):
        returned = window.detail.run_action("return_result")
    assert returned is not None
    _rate(qtbot, screen, Level.SATISFIED)
    [visit] = _visits(ctx)
    assert (visit["code"], visit["username"], visit["counter_name"]) == (
        view.code,
        "canbo",
        COUNTER,
    )
    assert (visit["service"], visit["level"], visit["reasons"]) == ("return", 2, None)


def test_another_step_on_the_panel_asks_nothing(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    view = _accept(ctx)
    window.open_rating_screen()
    with ctx.db.writer.begin() as s:
        forwarded = lifecycle.forward(s, MoveInput(view.code), ctx.actor, now=NOW)
    window.detail.file_changed.emit(forwarded)
    assert _visits(ctx) == []


def test_the_screen_goes_back_to_idle_by_itself(ctx: UiContext, qtbot: QtBot) -> None:
    screen = ApplicantScreen(ctx, idle_ms=40, thanks_ms=40)
    qtbot.addWidget(screen)
    screen.pair(COUNTER)
    code = _accept(ctx).code
    # Asked and left alone: back to idle, nothing rated.
    screen.ask(code, "accept")
    assert screen.page() == "ask"
    qtbot.waitUntil(lambda: screen.page() == "idle", timeout=1000)
    assert screen.visit is None
    assert [v["level"] for v in _visits(ctx)] == [None]
    # A level tapped and then left alone: it is sent with the reasons chosen, then thanks, idle.
    screen.ask(code, "accept")
    qtbot.mouseClick(screen.level_buttons[Level.SATISFIED], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.reason_buttons["huong_dan"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.rated, timeout=1000):
        pass
    assert screen.page() == "thanks"
    qtbot.waitUntil(lambda: screen.page() == "idle", timeout=1000)
    assert [(v["level"], v["reasons"]) for v in _visits(ctx)] == [
        (None, None),
        (2, '["huong_dan"]'),
    ]


def test_a_visit_is_rated_once(ctx: UiContext, qtbot: QtBot) -> None:
    screen = ApplicantScreen(ctx, comment_field=True)
    qtbot.addWidget(screen)
    screen.pair(COUNTER)
    screen.ask(_accept(ctx).code, "accept")
    visit = screen.visit
    assert visit is not None
    qtbot.mouseClick(screen.level_buttons[Level.SATISFIED], Qt.MouseButton.LeftButton)
    screen.comment.setText("Cán bộ nhiệt tình")
    with qtbot.waitSignal(screen.rated, timeout=1000):
        screen.send()
    # Nothing on the screen sends again: the visit is gone from it.
    screen.send()
    screen.choose(Level.DISSATISFIED)
    assert screen.page() == "thanks"
    # The same visit answered again (a stale tablet, a replayed request) is refused.
    with pytest.raises(ValidationError, match="đã được đánh giá"), ctx.db.writer.begin() as s:
        ratings.record_rating(s, visit.token, Level.DISSATISFIED, [], "", NOW)
    [stored] = _visits(ctx)
    assert (stored["level"], stored["comment"]) == (2, "Cán bộ nhiệt tình")


def test_a_refused_rating_is_said_on_the_screen(ctx: UiContext, qtbot: QtBot) -> None:
    screen = ApplicantScreen(ctx, comment_field=True)
    qtbot.addWidget(screen)
    screen.pair(COUNTER)
    screen.ask(_accept(ctx).code, "accept")
    screen.choose(Level.SATISFIED)
    screen.comment.setText("Tốt\x1b[31m")
    with qtbot.waitSignal(screen.rating_refused, timeout=1000) as refused:
        screen.send()
    assert "ký tự điều khiển" in refused.args[0]
    assert screen.page() == "thanks" and "ký tự điều khiển" in screen.thanks_note.text()
    assert [v["level"] for v in _visits(ctx)] == [None]


def test_an_unpaired_screen_shows_and_asks_nothing(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    code = _accept(ctx).code
    screen = ApplicantScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.paired and screen.page() == "blank"
    screen.ask(code, "accept")
    assert screen.page() == "blank" and screen.visit is None
    # The window without its screen opened writes no visit either.
    dialog = _intake_dialog(window)
    dialog.accepted_file.emit(_accept(ctx))  # type: ignore[attr-defined]
    assert _visits(ctx) == []
    # Opened, then closed from the toolbar: unpaired again.
    paired = window.open_rating_screen()
    window.rating_screen_action.trigger()
    assert not window.rating_screen_action.isChecked()
    assert not paired.paired and paired.page() == "blank"
    dialog.accepted_file.emit(_accept(ctx))  # type: ignore[attr-defined]
    assert _visits(ctx) == []
