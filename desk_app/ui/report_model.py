"""What the supervisor pages' report tables share (queue, satisfaction, national index): the
report on show, its numbers written in the user's locale, and how a heading or total row and
a number look."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desk_app.ui.table_model import ListTableModel

T = TypeVar("T")  # a row
R = TypeVar("R")  # the report

DASH = "—"
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def one_decimal(value: float | None, locale: QLocale | None = None) -> str:
    """ "12,5" (one decimal, as the PDFs print it) or the dash when there is none."""
    if value is None:
        return DASH
    return (locale or QLocale()).toString(float(value), "f", 1)


def shaded() -> QBrush:
    """The background of a heading or total row."""
    return QBrush(QApplication.palette().color(QPalette.ColorRole.AlternateBase))


class ReportTableModel(ListTableModel[T], Generic[T, R]):
    """The rows of a report `R` (None: an empty table) under fixed headers; `_locale` writes
    the numbers, `_bold` is the font of the heading and total rows. Read-only."""

    def __init__(
        self,
        headers: Sequence[str],
        parent: QObject | None = None,
        *,
        translate: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(headers, parent, translate=translate)
        self._report: R | None = None
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)

    def _show_report(self, report: R | None, rows: Sequence[T]) -> None:
        """`report` on show, as `rows`."""
        self._report = report
        self.set_rows(rows)

    @property
    def report(self) -> R | None:
        return self._report
