"""Pieces shared by the settings tabs: a one-line result message and the write wrapper."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from sqlalchemy.orm import Session

from desk_app.errors import DeskError
from desk_app.services.calendar_moves import CalendarImpact, describe
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.forms import ERROR_STYLE

T = TypeVar("T")
OK_STYLE = "color: #1b5e20;"


class Notice(QLabel):
    """One line under a tab's buttons: what the last action did, or why it was refused."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def ok(self, text: str) -> None:
        self.setStyleSheet(OK_STYLE)
        self.setText(text)
        self.show()

    def error(self, text: str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self.setText(text)
        self.show()

    def clear_notice(self) -> None:
        self.clear()
        self.hide()


def confirm_moves(
    ctx: UiContext, parent: QWidget, preview: Callable[[Session], CalendarImpact]
) -> bool:
    """Before a calendar or hours change: list the open files whose due it would move (DOMAIN
    §4.1 rule 7) and ask whether to go on. True when nothing moves or the user agrees."""
    try:
        with ctx.db.reader.begin() as s:
            found = preview(s)
    except DeskError:
        return True  # a value the core refuses: saving shows the error next to its field
    if found.empty:
        return True
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("settings", "Due dates will move"),
        "\n".join(describe(found)),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("confirmMovesBox")
    box.setInformativeText(
        QCoreApplication.translate(
            "settings",
            "Only files the new rules make later are moved; no appointment is brought forward. "
            "Save the change?",
        )
    )
    return box.exec() == QMessageBox.StandardButton.Save


def write(
    ctx: UiContext,
    parent: QWidget,
    fn: Callable[[Session], T],
    change: Change,
    on_refused: Callable[[DeskError], None],
) -> tuple[bool, T | None]:
    """Run `fn` in one writer transaction and announce `change`; (True, result) when it
    committed. A refusal by the core goes to `on_refused`; a bug gets the error box.

    Settings writes are single-row edits (a user's password hash is the slowest, ~50 ms), so
    they run here with a busy cursor rather than on the worker.
    """
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.db.writer.begin() as s:
            result = fn(s)
    except DeskError as exc:
        QGuiApplication.restoreOverrideCursor()
        on_refused(exc)
        return False, None
    except Exception as exc:
        QGuiApplication.restoreOverrideCursor()
        show_error(parent, exc)
        return False, None
    QGuiApplication.restoreOverrideCursor()
    ctx.bus.announce(change)
    return True, result
