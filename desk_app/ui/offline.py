"""The window when the centre's server is out of reach: one "offline" state, a banner, a retry.

Decision (issue 14): while the server cannot be reached, no file is accepted or changed at a
counter. A write that meets the outage fails whole (its transaction never committed, so nothing
is half-written), the dialog that asked stays open with everything typed (the intake form also
keeps its crash draft on this PC), and the officer saves again once the server answers. Codes
and register numbers are only ever taken on the server, inside the write's transaction, so no
outage can make two counters give out the same code. A block of codes reserved in advance was
left out on purpose: it would put gaps in the per-agency sequence and a second, offline
register to reconcile, for outages that on a centre's LAN last minutes.

`ServerWatch` (one per window, a child of the runner) holds the state. Two things take the
window offline at once: the change feed losing its LISTEN connection (`ChangeFeed.connected`,
looked at a few times a second) and any runner job that failed with a ServerOfflineError
(`OpRunner.server_lost`). While offline it probes the server with `SELECT 1` off the GUI thread,
after 1 s, then 2, 4, 8 and every 10 s (or at once when the officer asks); when the server
answers the window goes online again and announces a change of everything, so every view reads
again. `OfflineBanner` says so above the window's content in one line an officer can act on
(the server's address shortened in the middle, everything in its tooltip), so that a
1366×768 counter screen keeps its rows; the views mark what they show as not current while the
watch is offline: the queues' counts greyed with a star (`queue_count_text`), no wider than
the current ones, so the panes keep their widths.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from desk_app.store.changes import ALL_KINDS
from desk_app.ui.bus import ELSEWHERE, Change
from desk_app.ui.context import UiContext

log = logging.getLogger(__name__)

FEED_LOOK_MS = 200  # how often the feed's connection is looked at
FIRST_RETRY_MS = 1_000
MAX_RETRY_MS = 10_000
STALE_MARK = "*"  # after a count read before the server went out of reach
WHERE_SHARE = 4  # the server's address takes at most a quarter of the banner's line


def queue_count_text(label: str, count: int | None, stale: bool) -> str:
    """A queue's row: its name and count («Mới tiếp nhận  (1.234)»). A count read before the
    server went out of reach is shown «Mới tiếp nhận  1.234*»: one star for the two brackets,
    so never wider than the current count and the queue pane keeps its width; the list greys
    it and says when it was counted and why it is not current in the row's tooltip."""
    if count is None:
        return label
    number = f"{count:,}".replace(",", ".")
    return f"{label}  {number}{STALE_MARK}" if stale else f"{label}  ({number})"


class ServerWatch(QObject):
    """Whether the centre's server answers, for every view of one window.

    Signals:
    offline_changed(bool): the window went offline (True) or is back (False).
    """

    offline_changed = Signal(bool)
    _probed = Signal(bool)  # emitted on the probe's thread

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx.runner)
        self.setObjectName("serverWatch")
        self._ctx = ctx
        self.offline = False
        self.since: datetime | None = None  # when the window went offline
        self._probing = False
        self._delay_ms = FIRST_RETRY_MS
        self._feed_was_connected = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.probe_now)
        self._probed.connect(self._on_probed, Qt.ConnectionType.QueuedConnection)
        ctx.runner.server_lost.connect(self._on_runner_server_lost)
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(FEED_LOOK_MS)
        self._feed_timer.timeout.connect(self._on_feed_timer_timeout)
        if ctx.db.is_server and ctx.feed is not None:
            self._feed_timer.start()

    @staticmethod
    def of(ctx: UiContext) -> ServerWatch:
        """The window's watch: made on first use, shared by every view of the runner."""
        found = ctx.runner.findChild(ServerWatch, "serverWatch")
        return found if isinstance(found, ServerWatch) else ServerWatch(ctx)

    def go_offline(self, why: str) -> None:
        """The server did not answer: say so and start retrying (nothing if already offline)."""
        if self.offline:
            return
        log.warning("centre server out of reach (%s); retrying on its own", why)
        self.offline = True
        self.since = self._ctx.now()
        self._delay_ms = FIRST_RETRY_MS
        self._retry.start(self._delay_ms)
        self.offline_changed.emit(True)

    def probe_now(self) -> None:
        """Ask the server `SELECT 1` off the GUI thread (one probe at a time)."""
        self._retry.stop()
        if self._probing or not self.offline:
            return
        self._probing = True
        self._ctx.ops.ping(self._answered)

    def stop(self) -> None:
        self._feed_timer.stop()
        self._retry.stop()

    def _answered(self, ok: bool) -> None:
        """On the probe's thread: no widget, only the queued signal."""
        with contextlib.suppress(RuntimeError):  # the watch was deleted meanwhile
            self._probed.emit(ok)

    def _on_probed(self, ok: bool) -> None:
        self._probing = False
        if not self.offline:
            return
        if not ok:
            self._delay_ms = min(self._delay_ms * 2, MAX_RETRY_MS)
            self._retry.start(self._delay_ms)
            return
        log.warning("centre server answers again")
        self.offline = False
        self.since = None
        self.offline_changed.emit(False)
        # Whatever others wrote meanwhile was not heard: every view reads again.
        self._ctx.ops.notify(Change(ALL_KINDS), origin=ELSEWHERE)

    def _on_runner_server_lost(self, _exc: BaseException) -> None:
        self.go_offline("a job failed")

    def _on_feed_timer_timeout(self) -> None:
        feed = self._ctx.feed
        if feed is None:
            return
        connected = feed.connected.is_set()
        if self._feed_was_connected and not connected:
            self.go_offline("the change feed lost its connection")
        self._feed_was_connected = connected


class BannerLine(QLabel):
    """One line of text that never wraps nor asks for more width: what does not fit is cut
    with "…" (the address given as `where` first, in its middle), the whole of it in the
    tooltip set by the caller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._template = ""
        self._where = ""
        self._rest: tuple[str, ...] = ()
        self.full_text = ""

    def set_line(self, template: str, where: str, *rest: str) -> None:
        """`template` with {0} for the address (`where`) and {1}… for `rest`."""
        self._template, self._where, self._rest = template, where, rest
        self.full_text = template.format(where, *rest)
        self._fit()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self._template:
            return
        metrics = self.fontMetrics()
        width = max(self.contentsRect().width(), 0)
        where = metrics.elidedText(
            self._where, Qt.TextElideMode.ElideMiddle, max(width // WHERE_SHARE, 80)
        )
        line = self._template.format(where, *self._rest)
        self.setText(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))


class OfflineBanner(QFrame):
    """A strip above the window's content while the server is out of reach: one line saying
    what happened and that nothing can be saved meanwhile (the whole of it, with what is kept
    and what to check, in the tooltip), and a button to retry at once."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self._ctx = ctx
        self.watch = ServerWatch.of(ctx)
        self.setStyleSheet(
            "#offlineBanner { background: #fdecea; border: 1px solid #b3261e; border-radius: 3px; }"
            " #offlineBanner QLabel { color: #7a1410; }"
        )
        self.text = BannerLine()
        self.text.setObjectName("offlineText")
        self.retry = QPushButton(self.tr("Retry now"))
        self.retry.setObjectName("offlineRetry")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.retry.clicked.connect(self.watch.probe_now)
        self.watch.offline_changed.connect(self._on_watch_offline_changed)
        self.hide()
        if self.watch.offline:
            # Shown once placed in its window: a widget without a parent would show as a window
            # of its own, and being placed hides it again.
            QTimer.singleShot(0, self, self._show_state)

    def _show_state(self) -> None:
        self._on_watch_offline_changed(self.watch.offline)

    def _on_watch_offline_changed(self, offline: bool) -> None:
        if offline:
            since = self.watch.since
            at = since.strftime("%H:%M:%S") if since else ""
            where = self._ctx.db.label
            self.text.set_line(
                self.tr(
                    "No connection to the centre's server ({0}) since {1}: nothing can be "
                    "saved, what you type is kept. Reconnecting…"
                ),
                where,
                at,
            )
            self.setToolTip(
                self.tr(
                    "Lost the connection to the centre's database server ({0}) at {1}. Nothing "
                    "can be saved until it is back; what you are typing is kept, save it again "
                    "then. The numbers on screen are from before and are not current. "
                    "Reconnecting on its own… If this lasts, check the network cable or ask the "
                    "server's administrator."
                ).format(where, at)
            )
        self.setVisible(offline)
