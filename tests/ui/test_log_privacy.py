"""An unexpected database error during intake is logged to desk.log with its frames and the
database's own words, never with the applicant's name, CCCD, phone or address."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desk_app.services import intake
from desk_app.ui.app import setup_logging
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

NAME = "Hoàng Thị Bí Mật"
CCCD = "001199012345"
PHONE = "0912345678"
ADDRESS = "Số 17 ngõ Riêng Tư"


@pytest.fixture
def desk_log(tmp_path: Path) -> Iterator[Path]:
    """The real log set-up of the window, writing into a temporary folder."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = setup_logging(tmp_path / "logs")
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def fake_warning(_parent: QWidget | None, _title: str, message: str) -> None:
        seen.append(message)

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    return seen


def _raise_with_parameters(*args: object, **kwargs: object) -> object:
    """The service failing as SQLAlchemy does, the bound values inside the exception."""
    data = args[1]
    assert isinstance(data, intake.IntakeInput)
    person = data.applicant
    params = (person.name, person.id_number, person.phone, person.address)
    orig = Exception("NOT NULL constraint failed: applicants.name_folded")
    raise IntegrityError("INSERT INTO applicants VALUES (?, ?, ?, ?)", params, orig)


def _trigger(ctx: UiContext) -> None:
    with ctx.db.writer.begin() as s:
        s.execute(
            text(
                "CREATE TRIGGER boom BEFORE INSERT ON applicants "
                "BEGIN SELECT RAISE(ABORT, 'applicants refused by a test trigger'); END"
            )
        )


@pytest.mark.parametrize("how", ["monkeypatched service", "database trigger"])
def test_an_unexpected_database_error_is_logged_without_personal_data(
    ui_ctx: UiContext,
    qtbot: QtBot,
    desk_log: Path,
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    if how == "database trigger":
        _trigger(ui_ctx)
        expected = "applicants refused by a test trigger"
    else:
        monkeypatch.setattr(intake, "accept_file", _raise_with_parameters)
        expected = "NOT NULL constraint failed: applicants.name_folded"
    dialog = IntakeDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    form = dialog.form
    qtbot.keyClicks(form.procedure, "giay phep KARAOKE")
    qtbot.keyClick(form.procedure, Qt.Key.Key_Return)
    form.name.setText(NAME)
    form.id_number.setText(CCCD)
    form.phone.setText(PHONE)
    form.address.setText(ADDRESS)
    dialog.save()  # what Ctrl+Enter does
    qtbot.waitUntil(lambda: len(warnings) == 1)
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = desk_log.read_text(encoding="utf-8")
    assert "ERROR desk_app.ui.errors: unexpected error" in logged
    assert "IntegrityError" in logged and expected in logged
    assert "Traceback (most recent call last):" in logged
    for value in (NAME, CCCD, PHONE, ADDRESS, "Bí Mật", "Riêng Tư", "0912 345 678"):
        assert value not in logged
    # Nothing typed is lost: the form still holds the input.
    assert (form.name.text(), form.id_number.text()) == (NAME, CCCD)
