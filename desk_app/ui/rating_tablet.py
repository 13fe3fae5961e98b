"""The rating tablet of the counter window (issue 16): the counter's LAN server (counter_web) run
in a background thread while Settings › This computer turns it on, the tablet paired with this
counter, and each visit the window opens offered to it.

`RatingTablet` is the window's side of counter_web.counter.CounterState: the window thread
offers visits, the server's thread pairs the tablet and stores ratings; what crosses back (a
tablet paired or unpaired, a rating stored) arrives here by queued signals. The server starts on
a thread of its own (importing FastAPI and uvicorn takes a second or more on a slow PC), so the
window never waits for it, and one that does not serve the page never loads them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from desk_app.counter_web.counter import CounterState
from desk_app.services import ratings
from desk_app.services.context import SOLO_AGENCY
from desk_app.services.ratings import Visit
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext

if TYPE_CHECKING:
    from desk_app.counter_web.server import LanServer

HOST = "0.0.0.0"  # the office network: a tablet is another machine


class RatingTablet(QObject):
    """The counter's LAN server and its paired tablet.

    Signals:
        changed(): started, stopped, paired or unpaired; read `running`, `paired`, `error`.
        visit_offered(Visit): a visit is asked about on the tablet.
        rated(): the tablet's rating (or one left alone with a level chosen) was stored.
    """

    changed = Signal()
    visit_offered = Signal(object)
    rated = Signal()
    # From the server's thread, delivered on the GUI thread (queued).
    _device_changed = Signal(object)
    _stored = Signal()
    _start_done = Signal(int, object, str)  # generation, LanServer or None, why not

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: CounterState | None = None
        self.server: LanServer | None = None
        self.error = ""
        self._port = self._asked_port = 0
        self._generation = 0  # a start still on its way is dropped when this moved on
        self._starting = False
        self._device_changed.connect(self._on_device_changed)
        self._stored.connect(self._on_stored)
        self._start_done.connect(self._on_start_done)

    # --- public ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def paired(self) -> bool:
        return self.running and self.state is not None and self.state.paired

    @property
    def url(self) -> str:
        """The page's address as the tablet types it ("" when not serving)."""
        return self.server.url if self.server is not None else ""

    def apply_prefs(self) -> None:
        """Start, stop or move the server as Settings › This computer says; the counter's
        name follows a rename at once."""
        prefs = self.ctx.prefs
        if self.running and (not prefs.rating_web or prefs.rating_web_port != self._port):
            self.stop()
        if prefs.rating_web and not self.running and not self._starting:
            self.start(prefs.rating_web_port)
        elif self.state is not None:
            self.state.counter = self.ctx.actor.counter

    @property
    def starting(self) -> bool:
        return self._starting

    def start(self, port: int, host: str = HOST) -> None:
        """Serve the pages on `host:port`, from a thread; `changed` once it listens, or with
        `error` in words when it cannot (a port taken)."""
        self._halt()  # `changed` comes once the new one listens
        self._generation += 1
        generation, db, now = self._generation, self.ctx.db, self.ctx.now
        state = CounterState(
            self.ctx.actor.counter,
            now,
            device_digest=self.ctx.prefs.rating_device,
            on_device_changed=self._device_changed.emit,
            on_stored=self._stored.emit,
        )
        self.state, self._starting, self._asked_port = state, True, port
        agencies = self.ctx.actor.agencies
        agency = min(agencies) if agencies else SOLO_AGENCY

        def run() -> None:
            from desk_app.counter_web.server import LanServer, build_app

            server: LanServer | None = None
            why = ""
            try:
                app = build_app(db, now, counter=state, agency=agency)
                server = LanServer(app, host, port).start()
            except OSError as exc:
                why = exc.strerror or str(exc)
            try:
                self._start_done.emit(generation, server, why)
            except RuntimeError:  # the window is gone meanwhile
                if server is not None:
                    server.stop()

        threading.Thread(target=run, name="counter-web-start", daemon=True).start()

    def _on_start_done(self, generation: int, server: object, why: str) -> None:
        from desk_app.counter_web.server import LanServer

        if generation != self._generation:  # stopped or restarted meanwhile
            if isinstance(server, LanServer):
                server.stop()
            return
        self._starting = False
        if isinstance(server, LanServer):
            self.server, self.error, self._port = server, "", server.port
        else:
            self.error = self.tr("The rating page could not listen on port {0}: {1}").format(
                self._asked_port, why
            )
        self.changed.emit()

    def stop(self) -> None:
        """Stop serving (a start on its way is dropped when it arrives)."""
        self._generation += 1
        self._starting = False
        if self._halt():
            self.changed.emit()

    def _halt(self) -> bool:
        if self.server is None:
            return False
        self.server.stop()
        self.server = None
        return True

    def new_code(self) -> tuple[str, str] | None:
        """A fresh pairing code and its expiry ("HH:MM:SS"); None when not serving."""
        if self.state is None or not self.running:
            return None
        code = self.state.new_code()
        return code.code, code.expires_at.strftime("%H:%M:%S")

    def unpair(self) -> None:
        """Forget the tablet: it shows the pairing form again."""
        if self.state is not None:
            self.state.unpair()
        self.ctx.prefs.rating_device = None
        self.ctx.prefs.sync()

    def offer(self, visit: Visit) -> None:
        """Ask the paired tablet about `visit` (opened by the window or its rating screen)."""
        if self.paired and self.state is not None:
            self.state.offer(visit)
            self.visit_offered.emit(visit)

    def serve(self, code: str, service: str) -> None:
        """The officer finished `service` for file `code`: write the visit and ask the tablet.
        Nothing when no tablet is paired."""
        if not self.paired:
            return
        ctx, counter, now = self.ctx, self.ctx.actor.counter, self.ctx.now()

        def job(s: Session) -> Visit:
            return ratings.open_visit(s, code, service, ctx.actor, now, counter=counter)

        self.ctx.ops.write(
            job,
            self.offer,
            self.ctx.runner.failed.emit,  # the step is done; only the question is missing
            changes=Change.of("ratings"),
            owner=self,
            label="open visit",
        )

    # --- from the server's thread --------------------------------------------------------------

    def _on_device_changed(self, device: object) -> None:
        self.ctx.prefs.rating_device = device if isinstance(device, str) else None
        self.ctx.prefs.sync()
        self.changed.emit()

    def _on_stored(self) -> None:
        self.ctx.ops.notify(Change.of("ratings"), origin=self)
        self.rated.emit()
