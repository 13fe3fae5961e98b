"""The interface language: Qt Linguist translators for the program and for Qt's own dialogs."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from desk_app.resources import resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"  # the strings in the code are English; no translator is needed for them
# Qt ships no Vietnamese catalogue, so qtbase_vi is ours; desk_vi holds the program's strings.
CATALOGS = ("qtbase", "desk")
LOCALES = {"vi": QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)}


def translations_dir() -> Path:
    """Where the compiled .qm files live, in the source tree and in a PyInstaller bundle."""
    return resource_path("translations")


def catalog_path(catalog: str, language: str) -> Path:
    return translations_dir() / f"{catalog}_{language}.qm"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language` ("vi" or "en"); returns those installed.

    English is the source language and installs nothing. A missing or unreadable .qm (not
    built yet: `make translations`) is logged and skipped, so the program still starts, in
    English. For Vietnamese the default QLocale becomes vi_VN too, so date editors and the
    calendar show Vietnamese day and month names and dd/MM/yyyy dates.
    The translators are children of `app`, which keeps them alive for the whole session.
    """
    if language == SOURCE_LANGUAGE:
        return []
    if language not in LOCALES:
        log.warning("no translation for language %r; the interface stays in English", language)
        return []
    installed: list[QTranslator] = []
    for catalog in CATALOGS:
        path = catalog_path(catalog, language)
        translator = QTranslator(app)
        if not path.is_file() or not translator.load(str(path)):
            log.warning("translation %s is missing or unreadable; showing English text", path)
            translator.setParent(None)
            continue
        app.installTranslator(translator)
        installed.append(translator)
    QLocale.setDefault(LOCALES[language])
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo `install_translators` (the QLocale default is the caller's to restore)."""
    for translator in translators:
        app.removeTranslator(translator)
        translator.setParent(None)
