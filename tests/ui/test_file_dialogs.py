"""The window's file dialogs list the database's folder without breaking SQLite's locks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desk_app.store.engine import Database, open_database
from desk_app.ui import file_dialogs

# Another program using the database the way `python main.py files list`, `backup` or the
# sqlite3 shell does: open, read, close. The close is where SQLite, believing itself the last
# user, checkpoints and deletes the -wal and -shm.
OPEN_AND_CLOSE = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "c.execute('SELECT count(*) FROM sqlite_master').fetchall()\n"
    "c.close()\n"
)
READ_PROBE = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "print(c.execute('SELECT count(*) FROM probe').fetchone()[0])\n"
    "print(c.execute('PRAGMA integrity_check').fetchone()[0])\n"
    "c.close()\n"
)


def _python(script: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


@pytest.fixture
def window_db(template_db: Path, tmp_path: Path) -> Iterator[Database]:
    """A desk database held open as the window holds it, in a folder of its own.

    The name has no MIME glob (unlike *.sqlite3), so Qt's default file dialog reads the file
    itself to guess its type; a `.sqlite3` name only has its `-wal` and `-shm` read.
    """
    folder = tmp_path / "so-lieu"
    folder.mkdir()
    shutil.copyfile(template_db, folder / "motcua.db")
    db = open_database(folder / "motcua.db")
    with db.writer.begin() as s:
        s.execute(text("CREATE TABLE probe (n INTEGER)"))
    yield db
    db.dispose()


def _list_folder(qtbot: QtBot, dialog: QFileDialog, folder: Path) -> None:
    """Show `dialog` on `folder` and let it list the folder: the listing, the painting, and
    every column's text and icon of every row (what the detail view asks for)."""
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    with qtbot.waitSignal(model.directoryLoaded, timeout=5000):
        dialog.setDirectory(str(folder))
        dialog.show()
    qtbot.waitExposed(dialog)
    # directoryLoaded may come before the rows are in the model on a busy machine.
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(folder))) > 0, timeout=5000)
    dialog.grab()
    root = model.index(str(folder))
    names = set()
    for row in range(model.rowCount(root)):
        for column in range(model.columnCount(QModelIndex())):
            index = model.index(row, column, root)
            model.data(index, Qt.ItemDataRole.DisplayRole)
            model.data(index, Qt.ItemDataRole.DecorationRole)
        names.add(model.fileName(model.index(row, 0, root)))
    assert "motcua.db-wal" in names  # the folder was really listed, side files included
    dialog.reject()


def test_listing_the_database_folder_keeps_the_window_s_locks(
    qtbot: QtBot, window_db: Database
) -> None:
    path = window_db.path
    dialog = file_dialogs.DeskFileDialog(None, "Lưu PDF", "Mọi tệp (*)", save=True)
    qtbot.addWidget(dialog)
    _list_folder(qtbot, dialog, path.parent)

    _python(OPEN_AND_CLOSE, path)
    assert path.with_name(path.name + "-wal").exists()

    with window_db.writer.begin() as s:
        s.execute(text("INSERT INTO probe VALUES (1), (2), (3)"))
    # What another program sees while the window is still open (or after it was killed)...
    assert _python(READ_PROBE, path).split() == ["3", "ok"]
    window_db.dispose()
    # ...and after the window closed normally.
    assert _python(READ_PROBE, path).split() == ["3", "ok"]


def test_the_dialogs_open_in_documents_with_icons_from_names(qtbot: QtBot) -> None:
    dialog = file_dialogs.DeskFileDialog(None, "Mở", "Mọi tệp (*)", save=False)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert Path(dialog.directory().absolutePath()) == file_dialogs.documents_dir()
    assert isinstance(dialog.iconProvider(), file_dialogs.StatOnlyIconProvider)


def _answer_with(qtbot: QtBot, chosen: Path) -> None:
    """Pick `chosen` in the next modal file dialog and accept it."""

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(chosen))
        dialog.accept()

    QTimer.singleShot(0, pick)


def test_a_file_of_the_open_database_is_refused(
    qtbot: QtBot, window_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, message: warned.append(message)
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    for chosen in (window_db.path, window_db.path.with_name("motcua.db-wal")):
        _answer_with(qtbot, chosen)
        assert file_dialogs.ask_open_path(parent, "Nhập", "Mọi tệp (*)") is None
    assert len(warned) == 2
    assert str(window_db.path) in warned[0]

    plain = tmp_path / "danh-sach.csv"
    plain.write_text("a,b\n", encoding="utf-8")
    _answer_with(qtbot, plain)
    assert file_dialogs.ask_open_path(parent, "Nhập", "Mọi tệp (*)") == plain
    assert len(warned) == 2
