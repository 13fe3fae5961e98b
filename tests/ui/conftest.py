"""Fixtures for the window tests: a UI context on a real desk database, jobs run inline."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from desk_app.services.context import Actor
from desk_app.store.engine import Database
from desk_app.ui.bus import ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As the window does (desk_app/ui/app.py): no cycle collection on a worker thread while a
    test runs, then one on this (the GUI) thread. A Qt object of an earlier test freed on the
    runner's thread warned "Timers cannot be stopped from another thread" and crashed a worker."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(autouse=True)
def _default_locale_kept() -> Iterator[None]:
    """A test that installs the window's language also sets Qt's default locale (decimal comma
    in Vietnamese); the next test on the worker must not inherit it."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    try:
        yield
    finally:
        QLocale.setDefault(before)


# The moment the window tests live at: Mon 2 March 2026, 10:00 (as in tests/conftest.py).
NOW = datetime(2026, 3, 2, 10, 0)


def make_ui_context(db: Database, actor: Actor, tmp_path: Path) -> UiContext:
    return UiContext(
        db=db,
        actor=actor,
        runner=OpRunner(synchronous=True),
        bus=ChangeBus(),
        prefs=Prefs(tmp_path / "prefs.ini"),
        clock=lambda: NOW,
    )


@pytest.fixture
def ui_ctx(qapp: object, db: Database, officer: Actor, tmp_path: Path) -> Iterator[UiContext]:
    """An officer signed in at the fixed test moment (Mon 2 March 2026, 10:00)."""
    yield make_ui_context(db, officer, tmp_path)


@pytest.fixture
def supervisor_ctx(
    qapp: object, db: Database, supervisor: Actor, tmp_path: Path
) -> Iterator[UiContext]:
    yield make_ui_context(db, supervisor, tmp_path)


@pytest.fixture
def admin_ctx(qapp: object, db: Database, admin: Actor, tmp_path: Path) -> Iterator[UiContext]:
    yield make_ui_context(db, admin, tmp_path)
