"""The second-monitor screen and the paired tablet ask about the same visit (issue 16): the first
answer counts and the other stops asking at once — the screen hears the tablet's rating on the
window's change bus, the tablet's page sees its question withdrawn on its next poll — while a
rating of another visit leaves the question where it is."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.counter_web.rating_pages import PATH
from desk_app.services import ratings
from desk_app.services.ratings import Level
from desk_app.ui.applicant_screen import ApplicantScreen
from desk_app.ui.context import UiContext
from desk_app.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.counter_window import OFFSCREEN_WARNINGS
from tests.ui.test_rating_tablet import COUNTER, _accept, _accept_at_intake, _levels, _paired
from tests.ui.test_rating_tablet import ctx as ctx  # the fixtures
from tests.ui.test_rating_tablet import window as window

pytestmark = OFFSCREEN_WARNINGS


@pytest.fixture
def both(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> Iterator[tuple[ApplicantScreen, httpx.Client]]:
    """The screen open and a tablet paired, both asking about one accepted file's visit."""
    screen = window.open_rating_screen()
    with _paired(qtbot, window) as client:
        _accept_at_intake(qtbot, window, _accept(ctx))
        assert screen.page() == "ask" and screen.visit is not None
        yield screen, client


def test_the_tablet_s_answer_ends_the_screen_s_question_and_no_other_does(
    ctx: UiContext, window: MainWindow, both: tuple[ApplicantScreen, httpx.Client], qtbot: QtBot
) -> None:
    screen, client = both
    tablet = window.rating_tablet
    visit = screen.visit
    assert visit is not None
    # The applicant begins on the monitor (a level tapped) ...
    qtbot.mouseClick(screen.level_buttons[Level.DISSATISFIED], Qt.MouseButton.LeftButton)
    assert screen.page() == "details"
    # ... while the tablet stores another visit's answer (an earlier file's, offered to it
    # alone): the screen's question stays.
    with ctx.db.writer.begin() as s:
        other = ratings.open_visit(s, _accept(ctx).code, "accept", ctx.actor, NOW, counter=COUNTER)
    tablet.offer(other)
    offer = client.get(f"{PATH}/trang-thai").json()["offer"]
    with (
        qtbot.assertNotEmitted(screen.rated_elsewhere),
        qtbot.waitSignal(tablet.rated, timeout=2000),
    ):
        client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 1})
    assert screen.page() == "details" and screen.visit == visit
    # The screen's visit answered on the tablet: the monitor thanks at once.
    tablet.offer(visit)
    offer = client.get(f"{PATH}/trang-thai").json()["offer"]
    with qtbot.waitSignal(screen.rated_elsewhere, timeout=2000) as heard:
        sent = client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 2})
        assert sent.status_code == 200
    assert heard.args == [Level.SATISFIED]
    assert screen.page() == "thanks" and screen.visit is None
    assert screen.thanks_note.text() == "Hài lòng"
    # Nothing left to tap on the monitor: no "already rated", no second answer.
    with qtbot.assertNotEmitted(screen.rating_refused), qtbot.assertNotEmitted(screen.rated):
        screen.choose(Level.VERY_SATISFIED)
        screen.send()
    assert screen.page() == "thanks"
    assert sorted((lv[2], lv[3] == visit.token) for lv in _levels(ctx)) == [(1, False), (2, True)]


def test_the_screen_s_answer_withdraws_the_tablet_s_question(
    ctx: UiContext, window: MainWindow, both: tuple[ApplicantScreen, httpx.Client], qtbot: QtBot
) -> None:
    screen, client = both
    before = client.get(f"{PATH}/trang-thai").json()
    assert before["offer"] is not None
    qtbot.mouseClick(screen.level_buttons[Level.VERY_SATISFIED], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.rated, timeout=2000):
        qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    # The page's next poll: the question is gone (its script then shows the idle page).
    after = client.get(f"{PATH}/trang-thai", params={"sau": before["version"]}).json()
    assert after["offer"] is None and after["version"] > before["version"]
    assert window.rating_tablet.state is not None and window.rating_tablet.state.due() == []
    [(service, counter, level, _token)] = _levels(ctx)
    assert (service, counter, level) == ("accept", COUNTER, 3)
