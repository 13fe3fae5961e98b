"""A save that meets a busy database: a Vietnamese box with "Thử lại", never "an unexpected error".

Another process really holds SQLite's write lock; the window's engine waits a short busy timeout
instead of 15 s so the test stays quick.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.errors import DatabaseBusyError
from desk_app.services.context import Actor
from desk_app.store.engine import Database, open_database
from desk_app.store.models import FileRecord
from desk_app.ui import i18n
from desk_app.ui.bus import ChangeBus
from desk_app.ui.busy import BusyBox
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs
from tests.ui.lock_holder import LockHolder

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

NOW = datetime(2026, 3, 2, 10, 0)  # as in tests/ui/conftest.py
TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


@pytest.fixture
def vietnamese(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The committed catalogue compiled and installed, as the window does at start."""
    tool = Path(sys.executable).parent / "pyside6-lrelease"
    lrelease = str(tool) if tool.exists() else shutil.which("pyside6-lrelease")
    assert lrelease
    out = tmp_path / "qm"
    out.mkdir()
    ts = TRANSLATIONS / "desk_vi.ts"
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(out / "desk_vi.qm")], check=True)
    monkeypatch.setattr(i18n, "translations_dir", lambda: out)
    translators = i18n.install_translators(qapp, "vi")
    yield
    i18n.remove_translators(qapp, translators)


@pytest.fixture
def impatient_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The same database file, opened with a busy timeout of 0.3 s instead of 15 s."""
    monkeypatch.setattr("desk_app.sqlite_engine.BUSY_TIMEOUT_MS", 300)
    quick = open_database(db.path)
    yield quick
    quick.dispose()


@pytest.fixture
def dialog(
    qtbot: QtBot,
    impatient_db: Database,
    officer: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    vietnamese: None,
) -> Iterator[IntakeDialog]:
    shown: list[str] = []
    monkeypatch.setattr(
        "desk_app.ui.preview.show_pdf",
        lambda _parent, _pdf, _title, name: shown.append(name),
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    ctx = UiContext(
        db=impatient_db,
        actor=officer,
        runner=OpRunner(synchronous=True),
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )
    d = IntakeDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    qtbot.keyClicks(d.form.procedure, "giay phep KARAOKE")
    qtbot.keyClick(d.form.procedure, Qt.Key.Key_Return)
    d.form.name.setText("Lò Văn Tám")
    d.form.documents.model.answer_rest_later()  # every paper answered (issue 15)
    yield d


def _codes(db: Database) -> list[str]:
    with db.reader.begin() as s:
        return list(s.scalars(select(FileRecord.code)))


def _save_while_locked(dialog: IntakeDialog, db: Database) -> tuple[LockHolder, BusyBox]:
    prompts: list[BusyBox] = []
    dialog.ctx.runner.busy_prompted.connect(prompts.append)
    holder = LockHolder(db.path)
    try:
        dialog.save()
    except BaseException:
        holder.release()
        raise
    assert len(prompts) == 1, "no busy box was shown"
    return holder, prompts[0]


def test_a_save_that_meets_the_lock_offers_retry_and_the_retry_saves(
    dialog: IntakeDialog, impatient_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    holder, box = _save_while_locked(dialog, impatient_db)
    try:
        assert box.isVisible()
        assert box.parent() is dialog
        assert box.windowTitle() == "Cơ sở dữ liệu đang bận"
        assert box.text().startswith("Cơ sở dữ liệu đang bận: một máy khác hoặc một lần nhập")
        assert "Chưa có gì được lưu" in box.text()
        assert box.retry_button.text() == "Thử lại"
        assert _codes(impatient_db) == []
        assert dialog.isVisible()
        assert not any("unexpected error" in r.getMessage() for r in caplog.records)
        assert not any(r.levelno >= logging.ERROR for r in caplog.records)
    finally:
        holder.release()

    box.retry_button.click()

    assert _codes(impatient_db) == ["000.00.20.H37-260302-0001"]
    assert not dialog.isVisible()  # saved: the receipt went to the preview, the form closed


def test_giving_up_leaves_the_form_as_typed_with_the_busy_message(
    dialog: IntakeDialog, impatient_db: Database
) -> None:
    holder, box = _save_while_locked(dialog, impatient_db)
    try:
        box.cancel_button.click()
    finally:
        holder.release()

    assert _codes(impatient_db) == []
    assert dialog.isVisible()
    assert dialog.form.name.text() == "Lò Văn Tám"
    assert dialog.form.errors.visible_messages() == {"": DatabaseBusyError().message}
    # The lock is gone: the same form saves at the next try.
    dialog.save()
    assert _codes(impatient_db) == ["000.00.20.H37-260302-0001"]
