"""Steps the tests of the supervisor's period pages share (queue, satisfaction, national
index): an export through the save dialog, answered without a window, and reading what it
wrote."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desk_app.ui import file_dialogs


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
