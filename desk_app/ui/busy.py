"""The "database is busy" box: what happened, that nothing was saved, and a button to retry."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget


class BusyBox(QMessageBox):
    """Shown when a save met another connection's write lock (e.g. a long import elsewhere).

    It opens window-modal without blocking (`open()`); "Thử lại" runs the same action again,
    closing it any other way hands the failure to the action's own error handling.

    Signals:
        retry_requested(): the officer chose to try again.
        given_up(): the box was closed without trying again.
    """

    retry_requested = Signal()
    given_up = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("database_busy_box")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("The database is busy"))
        self.setText(
            self.tr(
                "The database is busy: another computer or a file import is writing to it. "
                "Nothing was saved. Try again in a moment."
            )
        )
        self.retry_button = self.addButton(self.tr("Try again"), QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.retry_button)
        self.finished.connect(self._on_self_finished)

    def _on_self_finished(self, _result: int) -> None:
        if self.clickedButton() is self.retry_button:
            self.retry_requested.emit()
        else:
            self.given_up.emit()
        self.deleteLater()
