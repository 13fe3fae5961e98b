"""Sends the queued e-mail to applicants in the background while the window is open."""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from sqlalchemy.orm import Session

from desk_app.services import mail, mail_send
from desk_app.services.mail_send import SendReport
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext

log = logging.getLogger(__name__)

EVERY_MS = 60_000  # the shortest back-off is a minute
SOON_MS = 3_000  # after a step that may have queued a message (the slip printed meanwhile)


class MailController(QObject):
    """Owns the timer and the thread of the sending passes (mail_send.send_queued).

    A pass runs on a thread of its own, never on the GUI thread nor on the window's database
    worker, since it waits on the SMTP server; one at a time. It runs every minute while some
    agency's e-mail is on, and a few seconds after a change to the files (a step that queued a
    message). "mail-settings" on the bus reads the settings again.

    Signals:
    pass_finished(object): a pass ended with its SendReport (or the exception it raised).
    """

    pass_finished = Signal(object)
    _worker_done = Signal(object)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.on = False
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)

        self._timer.timeout.connect(self.start_pass)
        self._soon.timeout.connect(self.start_pass)
        self._worker_done.connect(self._on_worker_done, Qt.ConnectionType.QueuedConnection)
        ctx.bus.changed.connect(self._on_bus_changed)

        self.reload()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def reload(self) -> None:
        """Whether any agency sends e-mail (read off the GUI thread); the timer follows."""

        def job(s: Session) -> bool:
            return bool(mail.enabled_configs(s))

        self.ctx.ops.read(job, self._on_reloaded, owner=self, label="mail settings")

    def _on_reloaded(self, on: bool) -> None:
        self.on = on
        if on:
            if not self._timer.isActive():
                self._timer.start()
            self._soon.start()
        else:
            self._timer.stop()
            self._soon.stop()

    def start_pass(self) -> None:
        if self._thread is not None or not self.on:
            return
        self._thread = threading.Thread(target=self._work, name="desk-mail", daemon=True)
        self._thread.start()

    def shutdown(self, wait_s: float = 2.0) -> None:
        self._timer.stop()
        self._soon.stop()
        thread = self._thread
        if thread is not None:
            thread.join(wait_s)

    def _work(self) -> None:
        """On the worker thread: no widget, no Qt object but the queued signal."""
        result: SendReport | BaseException
        try:
            result = mail_send.send_queued(self.ctx.db, now=self.ctx.now)
        except Exception as exc:  # logged; the next pass tries again
            log.exception("mail pass failed")
            result = exc
        with contextlib.suppress(RuntimeError):  # the window closed while the pass ran
            self._worker_done.emit(result)

    def _on_worker_done(self, result: object) -> None:
        self._thread = None
        self.pass_finished.emit(result)
        if isinstance(result, SendReport) and (result.sent or result.failed):
            # Written on the pass's own connection: its notice goes out like any other.
            self.ctx.ops.notify(Change.of("mail"), origin=self)

    def _on_bus_changed(self, change: Change) -> None:
        if change.touches("mail-settings"):
            self.reload()
        elif self.on and change.touches("files") and not self._soon.isActive():
            self._soon.start()
