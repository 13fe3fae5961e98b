"""Turning failures into words: known desk errors show their Vietnamese message, bugs are logged."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desk_app.errors import DeskError, ServerOfflineError

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """The message for the user: a DeskError's own text, a generic one for anything else."""
    if isinstance(exc, DeskError):
        return exc.message
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "errors", "The file or disk could not be used: {0}"
        ).format(exc.strerror or str(exc))
    # The log's formatter (desk_app.log_scrub) writes the frames and drops personal values.
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return QCoreApplication.translate(
        "errors",
        "An unexpected error occurred. This action saved nothing; the details are in the log.",
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """A warning box with the error's text (bugs get the generic text and a log entry)."""
    if isinstance(exc, ServerOfflineError) and exc.reading:
        return  # the offline banner says why; every view reads again when the server is back
    QMessageBox.warning(
        parent,
        title or QCoreApplication.translate("errors", "Cannot do this"),
        error_text(exc),
    )
