"""The rating tablet from the counter window (issue 16): the LAN server started and stopped as
Settings › This computer says, the pairing dialog's code and address, a tablet paired over HTTP
(kept across a restart of the server, forgotten when unpaired), and the window offering each
kind of service to it — alone, or beside the second-monitor screen."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QPixmap
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desk_app.counter_web import counter as counter_web
from desk_app.counter_web.rating_pages import COOKIE, PATH
from desk_app.services import intake, lifecycle
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.ui import applicant_screen
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.rating_tablet import RatingTablet
from desk_app.ui.settings.machine import MachineTab
from desk_app.ui.tablet_pairing import TabletPairingDialog
from tests.ui.conftest import NOW
from tests.ui.counter_window import OFFSCREEN_WARNINGS, at_counter

KARAOKE = "1.001029"
COUNTER = "Quầy 5"

pytestmark = OFFSCREEN_WARNINGS


@pytest.fixture
def ctx(ui_ctx: UiContext) -> UiContext:
    return at_counter(ui_ctx, COUNTER)


@pytest.fixture
def window(ctx: UiContext, qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert not w.rating_tablet.running and not w.rating_tablet.starting  # off unless asked
    _start(qtbot, w.rating_tablet)
    w.show()
    yield w
    w.close()
    assert not w.rating_tablet.running


def done(tablet: RatingTablet) -> bool:
    """Whether the tablet's server has finished starting (or failed to)."""
    return not tablet.starting


def _start(qtbot: QtBot, tablet: RatingTablet, port: int = 0, host: str = "127.0.0.1") -> None:
    with qtbot.waitSignal(tablet.changed, timeout=10_000, check_params_cb=lambda: done(tablet)):
        tablet.start(port, host)
    assert tablet.running == (not tablet.error)


def _client(tablet: RatingTablet) -> httpx.Client:
    assert tablet.server is not None
    return httpx.Client(base_url=f"http://127.0.0.1:{tablet.server.port}", timeout=5)


def _pair(qtbot: QtBot, tablet: RatingTablet, client: httpx.Client, code: str) -> None:
    with qtbot.waitSignal(tablet.changed, timeout=2000):
        answer = client.post(f"{PATH}/ghep", data={"ma": code})
    assert answer.status_code == 303


@contextmanager
def _paired(qtbot: QtBot, window: MainWindow) -> Iterator[httpx.Client]:
    """A tablet paired with the window's rating page: its HTTP client."""
    tablet = window.rating_tablet
    code = tablet.new_code()
    assert code is not None
    with _client(tablet) as client:
        _pair(qtbot, tablet, client, code[0])
        yield client


def _accept_at_intake(qtbot: QtBot, window: MainWindow, view: FileView) -> IntakeDialog:
    """The intake dialog opened and `view` accepted in it: its visit is offered to the tablet."""
    window.new_file_action.trigger()
    dialog = window.findChild(IntakeDialog)
    assert dialog is not None
    with qtbot.waitSignal(window.rating_tablet.visit_offered, timeout=2000):
        dialog.accepted_file.emit(view)
    return dialog


def _accept(ctx: UiContext) -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE, applicant=intake.ApplicantInput(name="Đặng Thị Ánh"), received_at=NOW
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=NOW)


def _levels(ctx: UiContext) -> list[tuple[str, str, int | None, str]]:
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT service, counter_name, level, token FROM ratings ORDER BY id")
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_tablet_keeps_the_screen_s_timings() -> None:
    assert counter_web.ASK_IDLE.total_seconds() * 1000 == applicant_screen.IDLE_MS
    assert counter_web.THANKS_SECONDS * 1000 == applicant_screen.THANKS_MS


def _assert_qr_reads(pixmap: QPixmap, url: str, tmp_path: Path) -> None:
    """The QR code beside the address reads as that address (zbarimg, when installed)."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        return
    path = tmp_path / "qr.png"
    assert pixmap.save(str(path))
    found = subprocess.run(
        [zbarimg, "-q", "--raw", str(path)], capture_output=True, text=True, check=False
    )
    assert found.stdout.strip() == url


def test_the_pairing_dialog_pairs_and_unpairs_a_tablet(
    ctx: UiContext, window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    tablet = window.rating_tablet
    window.rating_tablet_action.trigger()
    dialog = window.findChild(TabletPairingDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.off_note.isVisible()
    assert dialog.url_label.text().endswith(f":{tablet.server.port}/danh-gia")  # type: ignore[union-attr]
    assert dialog.qr_label.pixmap() is not None and not dialog.qr_label.pixmap().isNull()
    code = dialog.code_label.text().replace(" ", "")
    assert len(code) == counter_web.CODE_DIGITS and code.isdigit()
    assert "Valid until 10:05" in dialog.expiry_label.text()
    assert not dialog.unpair_button.isEnabled()
    _assert_qr_reads(dialog.qr_label.pixmap(), dialog.url_label.text(), tmp_path)
    with _client(tablet) as client:
        _pair(qtbot, tablet, client, code)
        assert tablet.paired and ctx.prefs.rating_device is not None
        assert ctx.prefs.rating_device != client.cookies[COOKIE]  # a digest, not the token
        assert "is paired" in dialog.status_label.text() and dialog.unpair_button.isEnabled()
        assert not dialog.code_label.isVisible()
        # The server restarted (the window reopened): the tablet is still paired.
        _start(qtbot, tablet)
        assert tablet.running
    with _client(tablet) as client2:
        client2.cookies.set(COOKIE, client.cookies[COOKIE])
        assert client2.get(f"{PATH}/trang-thai").status_code == 200
        dialog.unpair_button.click()
        assert not tablet.paired and ctx.prefs.rating_device is None
        assert client2.get(f"{PATH}/trang-thai").status_code == 401
        assert "No tablet" in dialog.status_label.text()
        assert dialog.code_label.text().replace(" ", "") != code  # a new code to pair again
    dialog.close()


def test_the_window_offers_each_service_to_the_paired_tablet(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    tablet = window.rating_tablet
    with _paired(qtbot, window) as client:
        # An accept at intake: the visit is written and offered.
        accepted = _accept(ctx)
        dialog = _accept_at_intake(qtbot, window, accepted)
        offer = client.get(f"{PATH}/trang-thai").json()["offer"]
        assert offer["service"] == "accept" and offer["counter"] == COUNTER
        with qtbot.waitSignal(tablet.rated, timeout=2000):
            sent = client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 3})
        assert sent.status_code == 200
        # A refusal at intake.
        with ctx.db.writer.begin() as s:
            refused = intake.refuse_file(
                s,
                intake.IntakeInput(
                    procedure=KARAOKE,
                    applicant=intake.ApplicantInput(name="Lý Văn Nam"),
                    received_at=NOW,
                ),
                "Sai thẩm quyền",
                ctx.actor,
                now=NOW,
            )
        with qtbot.waitSignal(tablet.visit_offered, timeout=2000):
            dialog.accepted_file.emit(refused)
        offer = client.get(f"{PATH}/trang-thai").json()["offer"]
        assert offer["service"] == "refuse"
        client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 1})
        # The result returned at the counter, from the file's panel.
        with ctx.db.writer.begin() as s:
            lifecycle.forward(s, MoveInput(accepted.code), ctx.actor, now=NOW)
            lifecycle.record_result(s, MoveInput(accepted.code), ctx.actor, now=NOW)
            returned = lifecycle.return_result(
                s, MoveInput(accepted.code), ctx.actor, receiver="Đặng Thị Ánh", now=NOW
            )
        with qtbot.waitSignal(tablet.visit_offered, timeout=2000):
            window.detail.file_changed.emit(returned)
        offer = client.get(f"{PATH}/trang-thai").json()["offer"]
        assert offer["service"] == "return"
        client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 2})
    assert [r[:3] for r in _levels(ctx)] == [
        ("accept", COUNTER, 3),
        ("refuse", COUNTER, 1),
        ("return", COUNTER, 2),
    ]


def test_beside_the_screen_one_visit_is_asked_on_both(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    screen = window.open_rating_screen()
    with _paired(qtbot, window) as client:
        _accept_at_intake(qtbot, window, _accept(ctx))
        assert screen.page() == "ask"
        offer = client.get(f"{PATH}/trang-thai").json()["offer"]
        assert client.post(f"{PATH}/gui", json={"seq": offer["seq"], "level": 2}).status_code == 200
    [(service, _counter, level, token)] = _levels(ctx)
    assert (service, level) == ("accept", 2)
    assert screen.visit is not None and screen.visit.token == token  # the same visit


def test_an_unpaired_window_offers_nothing(
    ctx: UiContext, window: MainWindow, qtbot: QtBot
) -> None:
    window.new_file_action.trigger()
    dialog = window.findChild(IntakeDialog)
    assert dialog is not None
    with qtbot.assertNotEmitted(window.rating_tablet.visit_offered):
        dialog.accepted_file.emit(_accept(ctx))
    assert _levels(ctx) == []


def test_settings_turn_the_page_on_and_off(
    admin_ctx: UiContext, ctx: UiContext, qtbot: QtBot
) -> None:
    port = _free_port()
    tab = MachineTab(admin_ctx)
    qtbot.addWidget(tab)
    assert not tab.rating_web.isChecked() and tab.rating_web_port.value() == 8765
    tab.rating_web_port.setValue(port)
    tab.rating_web_port.editingFinished.emit()
    tab.rating_web.setChecked(True)
    assert admin_ctx.prefs.rating_web and admin_ctx.prefs.rating_web_port == port
    # The window of a computer so set serves the page on that port, and stops when unticked.
    ctx.prefs.rating_web, ctx.prefs.rating_web_port = True, port
    tablet = RatingTablet(ctx)
    with qtbot.waitSignal(tablet.changed, timeout=10_000, check_params_cb=lambda: done(tablet)):
        tablet.apply_prefs()
    try:
        assert tablet.running and tablet.server is not None and tablet.server.port == port
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            assert 'action="/danh-gia/ghep"' in client.get(PATH).text
        ctx.prefs.rating_web = False
        tablet.apply_prefs()
        assert not tablet.running
    finally:
        tablet.stop()
    # A port taken by another program: the words say so, nothing runs.
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen(1)
        _start(qtbot, tablet, int(taken.getsockname()[1]), "0.0.0.0")
    assert not tablet.running and "could not listen" in tablet.error
