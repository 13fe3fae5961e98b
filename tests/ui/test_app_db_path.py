"""The window given a text file or a folder as --db: one message box, nothing created or changed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.ui import app

NOTES = "Danh sách việc cần làm\n- nộp báo cáo quý\n".encode()


@pytest.fixture
def boxes(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts of the message boxes `run_gui` shows, with its log and settings kept in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(app.sys, "excepthook", app.sys.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    # The shared test application keeps its language, font and style (other tests read English).
    monkeypatch.setattr(app, "make_application", lambda _argv, _prefs: QApplication.instance())
    monkeypatch.setattr(app, "first_actor", lambda *_a: pytest.fail("the database was opened"))
    root = logging.getLogger()
    before = list(root.handlers)
    yield shown
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_a_text_file_is_named_in_one_message_and_left_as_it_was(
    boxes: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    notes = folder / "viec-can-lam.txt"
    notes.write_bytes(NOTES)
    assert app.run_gui(notes) == 1
    assert boxes == [
        f"{notes} không phải là tệp cơ sở dữ liệu của chương trình (không phải SQLite)."
    ]
    assert notes.read_bytes() == NOTES
    assert [p.name for p in folder.iterdir()] == ["viec-can-lam.txt"]  # no -wal, no -shm


def test_a_folder_is_named_in_one_message_and_left_empty(boxes: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    assert app.run_gui(folder) == 1
    assert boxes == [f"{folder} là một thư mục, không phải tệp cơ sở dữ liệu."]
    assert list(folder.iterdir()) == []
