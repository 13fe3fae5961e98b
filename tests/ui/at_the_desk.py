"""The window's Vietnamese words in its bundled font, for tests that measure what fits a screen."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from desk_app.ui import i18n, look

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


@contextmanager
def as_at_the_desk(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Vietnamese (the committed catalogue, compiled into `tmp_path`) and the bundled UI font,
    as the window has them at a desk: the widths that decide what fits. The application's
    language and font are put back afterwards."""
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in TRANSLATIONS.glob("*.ts"):
        qm = tmp_path / f"{ts.stem}.qm"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    locale, font = QLocale(), QFont(app.font())
    translators = i18n.install_translators(app, "vi")
    look.install_ui_font(app)
    try:
        yield
    finally:
        i18n.remove_translators(app, translators)
        QLocale.setDefault(locale)
        app.setFont(font)
