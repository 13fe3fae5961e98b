"""Vietnamese for Qt's own dialogs and for every string of the program; English needs nothing."""

from __future__ import annotations

import logging
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QLineEdit,
    QWizard,
)
from pytestqt.qtbot import QtBot

from desk_app.ui import file_dialogs, i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed (PySide6 brings it)"
    return found


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committed .ts files compiled into a temporary folder that i18n reads from."""
    for ts in TRANSLATIONS.glob("*.ts"):
        subprocess.run(
            [_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(tmp_path / f"{ts.stem}.qm")],
            check=True,
        )
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    return tmp_path


@pytest.fixture
def vietnamese(qapp: QApplication, built: Path) -> Iterator[list[QTranslator]]:
    locale = QLocale()
    translators = i18n.install_translators(qapp, "vi")
    yield translators
    i18n.remove_translators(qapp, translators)
    QLocale.setDefault(locale)


def _button_texts(box: QDialogButtonBox) -> list[str]:
    return [
        button.text()
        for standard in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel)
        if (button := box.button(standard)) is not None
    ]


def test_vietnamese_standard_buttons_and_wizard(vietnamese: list[QTranslator]) -> None:
    assert len(vietnamese) == len(i18n.CATALOGS)
    ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    assert _button_texts(QDialogButtonBox(ok_cancel)) == ["Đồng ý", "Hủy"]
    wizard = QWizard()
    assert wizard.buttonText(QWizard.WizardButton.BackButton) == "< &Quay lại"
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "&Tiếp theo >"
    assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "&Hoàn tất"
    assert wizard.buttonText(QWizard.WizardButton.CancelButton) == "Hủy"
    line = QLineEdit()
    menu = line.createStandardContextMenu()
    assert menu is not None
    texts = [action.text().split("\t")[0] for action in menu.actions()]
    assert "&Sao chép" in texts
    assert "&Dán" in texts
    assert QLocale().language() == QLocale.Language.Vietnamese


def test_removing_the_translators_brings_english_back(qapp: QApplication, built: Path) -> None:
    locale = QLocale()
    translators = i18n.install_translators(qapp, "vi")
    i18n.remove_translators(qapp, translators)
    QLocale.setDefault(locale)
    ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    assert _button_texts(QDialogButtonBox(ok_cancel)) == ["OK", "Cancel"]


def test_english_installs_nothing(qapp: QApplication, built: Path) -> None:
    locale = QLocale()
    assert i18n.install_translators(qapp, "en") == []
    assert QLocale() == locale
    ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    assert _button_texts(QDialogButtonBox(ok_cancel)) == ["OK", "Cancel"]


def test_missing_catalogues_leave_english_and_a_warning(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    locale = QLocale()
    with caplog.at_level(logging.WARNING, logger="desk_app.ui.i18n"):
        translators = i18n.install_translators(qapp, "vi")
    QLocale.setDefault(locale)
    assert translators == []
    assert "qtbase_vi.qm" in caplog.text
    assert "desk_vi.qm" in caplog.text


def test_catalogues_are_found_under_the_resources_folder() -> None:
    assert i18n.catalog_path("desk", "vi") == TRANSLATIONS / "desk_vi.qm"


# --- the catalogues themselves ---------------------------------------------------------------


def _finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in {"unfinished", "vanished", "obsolete"}:
        return False
    forms = translation.findall("numerusform")
    texts = [form.text for form in forms] if forms else [translation.text]
    return all(text and text.strip() for text in texts)


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found: dict[tuple[str, str], ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message
    return found


def test_every_program_string_has_its_vietnamese_translation(tmp_path: Path) -> None:
    """Fails until the lead fills desk_vi.ts: `scripts/translations.sh update`, then translate."""
    sources = sorted(str(p) for p in (ROOT / "desk_app" / "ui").rglob("*.py"))
    fresh = tmp_path / "fresh_vi.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), "-silent", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        cwd=ROOT,
    )
    wanted = _messages(fresh)
    assert wanted, "lupdate found no tr() strings in desk_app/ui"
    committed = _messages(TRANSLATIONS / "desk_vi.ts")
    missing = [
        f"{context}: {source!r}"
        for context, source in wanted
        if (context, source) not in committed or not _finished(committed[(context, source)])
    ]
    assert not missing, (
        f"{len(missing)} of {len(wanted)} strings lack a finished Vietnamese translation in "
        "resources/translations/desk_vi.ts (run scripts/translations.sh update):\n"
        + "\n".join(missing)
    )


def _qm_messages(path: Path) -> set[tuple[str, str]]:
    """(context, source) pairs stored in a compiled Qt catalogue."""
    data = path.read_bytes()
    pos, block = 16, b""  # after the magic number: tagged sections
    while pos < len(data):
        tag, length = data[pos], struct.unpack_from(">I", data, pos + 1)[0]
        if tag == 0x69:  # the messages section
            block = data[pos + 5 : pos + 5 + length]
        pos += 5 + length
    found: set[tuple[str, str]] = set()
    current: dict[int, str] = {}
    i = 0
    while i < len(block):
        tag = block[i]
        i += 1
        if tag == 1:  # end of a message
            found.add((current.get(7, ""), current.get(6, "")))
            current = {}
            continue
        if tag == 2:  # obsolete marker without payload
            continue
        length = struct.unpack_from(">I", block, i)[0]
        i += 4
        if tag == 3 and length == 0xFFFFFFFF:  # an empty translation
            continue
        if tag in {6, 7}:  # source text, context (UTF-8)
            current[tag] = block[i : i + length].decode("utf-8")
        i += length
    return found


def test_qt_catalogue_is_finished_and_uses_qt_own_strings() -> None:
    """Each entry of qtbase_vi.ts is translated and exists in Qt (checked against Qt's German
    catalogue, which carries the exact contexts and source strings of this Qt version)."""
    german = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_de.qm"
    if not german.is_file():
        pytest.skip(f"Qt's catalogues are not installed here ({german})")
    known = _qm_messages(german)
    ours = _messages(TRANSLATIONS / "qtbase_vi.ts")
    assert len(ours) > 150
    unfinished = [key for key, message in ours.items() if not _finished(message)]
    assert unfinished == []
    unknown = [key for key in ours if key not in known]
    assert unknown == []


def test_the_file_dialog_speaks_vietnamese(
    vietnamese: list[QTranslator], qtbot: QtBot, tmp_path: Path
) -> None:
    """Labels, column headers, the folder's type name, sizes and dates of the window's file
    dialog: dates as every date of the window (Qt's own follow the system locale)."""
    (tmp_path / "ho-so").mkdir()
    pdf = tmp_path / "giay-tiep-nhan.pdf"
    pdf.write_bytes(b"x" * 3000)
    moment = datetime(2026, 12, 3, 9, 5).timestamp()
    for path in (pdf, tmp_path / "ho-so"):
        os.utime(path, (moment, moment))
    dialog = file_dialogs.DeskFileDialog(None, "Lưu", "PDF (*.pdf)", save=True)
    qtbot.addWidget(dialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    source = dialog.findChild(QFileSystemModel)
    assert source is not None
    with qtbot.waitSignal(source.directoryLoaded, timeout=5000):
        dialog.setDirectory(str(tmp_path))
        dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Tìm trong:", "Tê&n tệp:", "&Kiểu tệp:"} <= labels
    model = dialog.proxyModel()
    horizontal = Qt.Orientation.Horizontal
    headers = [model.headerData(c, horizontal) for c in range(4)]
    assert headers == ["Tên", "Kích thước", "Loại", "Ngày sửa đổi"]
    root = model.mapFromSource(source.index(str(tmp_path)))
    rows = {
        model.index(r, 0, root).data(): [model.index(r, c, root).data() for c in range(1, 4)]
        for r in range(model.rowCount(root))
    }
    assert rows["ho-so"] == ["", "Thư mục", "03/12/2026 09:05"]
    assert rows["giay-tiep-nhan.pdf"][0] == "2,9 kB"
    assert rows["giay-tiep-nhan.pdf"][2] == "03/12/2026 09:05"
    dialog.reject()
