"""A dialog's own busy indicator: a moving bar and a line of text once work passes ~300 ms."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desk_app.ui.ops import OpRunner


class BusyNote(QWidget):
    """Hidden until `start(text)` has waited OpRunner.SLOW_MS without `stop()`; then shows an
    indeterminate bar with the text and the busy cursor over its window. Quick work (a right
    password on an idle database) never makes it flicker, and its row is there all along, so
    nothing moves when it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyNote")
        self.bar = QProgressBar()
        self.bar.setObjectName("busyBar")
        self.bar.setRange(0, 0)  # indeterminate: the length of a password check is unknown
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(90)
        self.bar.setMaximumHeight(12)
        self.label = QLabel()
        self.label.setObjectName("busyText")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(OpRunner.SLOW_MS)
        self._shown = False

        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.bar)
        lay.addWidget(self.label, 1)

        self._timer.timeout.connect(self._on_timer_timeout)
        # Its room is kept while hidden: a dialog laid out without it would squeeze its
        # word-wrapped heading to make room when it appears.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def is_waiting(self) -> bool:
        """True between start() and stop(), shown or not yet."""
        return self._timer.isActive() or self._shown

    def is_shown(self) -> bool:
        """True once the work has gone on past SLOW_MS, until stop()."""
        return self._shown

    def start(self, text: str) -> None:
        self.label.setText(text)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._shown:
            self._shown = False
            self.hide()
            window = self.window()
            if window is not self:
                window.unsetCursor()

    def _on_timer_timeout(self) -> None:
        self._shown = True
        self.show()
        window = self.window()
        if window is not self:
            window.setCursor(Qt.CursorShape.BusyCursor)
