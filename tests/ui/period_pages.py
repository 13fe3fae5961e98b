"""Steps the tests of the supervisor's period pages share (queue, satisfaction, national
index): no error box, computing, an export through the save dialog answered without a window,
and reading what it wrote. A test module takes the fixture by importing it:

    from tests.ui.period_pages import no_error_box  # noqa: F401 (autouse fixture)
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desk_app.ui import file_dialogs
from desk_app.ui.period_page import PeriodPage

# Where the pages call show_error: the shared jobs, and the index's list of files.
ERROR_BOX_CALLERS = ("desk_app.ui.period_page", "desk_app.ui.index_view")


@pytest.fixture(autouse=True)
def no_error_box(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """An error shown in a box fails the test (offscreen, a modal box would wait forever)."""
    shown: list[BaseException] = []
    for module in ERROR_BOX_CALLERS:
        monkeypatch.setattr(f"{module}.show_error", lambda _parent, exc: shown.append(exc))
    yield shown
    assert not shown, shown


def export(
    button: QPushButton, path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Press `button` (PDF or Excel) with the save dialog answering `path`; returns the names
    the dialog was offered."""
    offered: list[str] = []

    def fake(
        parent: QWidget, title: str, folder: Path | None, name: str, filters: str
    ) -> tuple[Path, str]:
        offered.append(name)
        return path, filters

    monkeypatch.setattr(file_dialogs, "ask_save_path", fake)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return offered


def pdf_text(path: Path) -> str:
    """The text of every page, white space folded: a cell per line reads as one line."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def sheet_rows(path: Path) -> list[tuple[object, ...]]:
    """The values of the workbook's first sheet, row by row."""
    book = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def compute(view: PeriodPage[Any]) -> None:
    """Compute the page: its exports are offered only once a report is on show."""
    assert not view.pdf_button.isEnabled() and not view.xlsx_button.isEnabled()
    view.compute()
    assert view.pdf_button.isEnabled() and view.xlsx_button.isEnabled()


def export_pdf(
    view: PeriodPage[Any], stem: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], str]:
    """PDF… with the save dialog answering `stem` (no suffix typed: ".pdf" is added): the names
    the dialog was offered and the text of the PDF written; the page says where it went."""
    offered = export(view.pdf_button, stem, qtbot, monkeypatch)
    pdf = stem.with_name(stem.name + ".pdf")
    assert str(pdf) in view.message_label.text()
    return offered, pdf_text(pdf)
