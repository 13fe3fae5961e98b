"""The program's look: the bundled UI font, the application icon and a light, steady palette."""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette, QRawFont
from PySide6.QtWidgets import QApplication, QStyleFactory

from desk_app.resources import resource_path

log = logging.getLogger(__name__)

# Noto Sans covers every Vietnamese letter with its stacked marks (ằ, ỗ, ự ...); a bare Windows
# or Linux machine may have no such font and would draw boxes.
UI_FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
UI_POINT_SIZE = 10
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Letters that only a font with full Vietnamese coverage draws: the test and the self-test use them.
VIETNAMESE_SAMPLE = "Nguyễn Thị Lan Đặng Ưng ỷ ỹ ỵ Ầ ẫ ở ự"


@functools.cache
def _bundled_family() -> str | None:
    """Register the bundled font files once per process; the family they declare, or None."""
    family: str | None = None
    for name in UI_FONT_FILES:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("the UI font %s could not be loaded", path)
            continue
        family = family or families[0]
    return family


def install_ui_font(app: QApplication, point_size: int = UI_POINT_SIZE) -> str:
    """Make the bundled font the application font; returns the family in use.

    The bundled family is used even when the system has fonts of its own, so every desk looks
    the same and no system font without Vietnamese marks is ever chosen. When the files are
    missing the system font stays and a warning is logged.
    """
    family = _bundled_family()
    if family is None:
        return app.font().family()
    font = QFont(family, point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return family


def missing_glyphs(font: QFont, text: str) -> list[str]:
    """The characters of `text` (spaces aside) that `font` itself, without fallback, cannot draw."""
    raw = QRawFont.fromFont(font)
    # By code point: PySide6 turns a one-letter str into a QChar and mangles letters past U+00FF.
    letters = [ch for ch in dict.fromkeys(text) if not ch.isspace()]
    return [ch for ch in letters if not raw.supportsCharacter(ord(ch))]


def app_icon() -> QIcon:
    """The application icon in every size shipped (a null icon, logged, when none is found)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"app-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    if icon.isNull():
        log.warning("no application icon found under %s", resource_path("icons"))
    return icon


def light_palette() -> QPalette:
    """A light palette: the deadline colours of the file list stay readable under a dark theme."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#F3F3F3",
        QPalette.ColorRole.WindowText: "#1F1F1F",
        QPalette.ColorRole.Base: "#FFFFFF",
        QPalette.ColorRole.AlternateBase: "#F7F7F7",
        QPalette.ColorRole.ToolTipBase: "#FFFFE1",
        QPalette.ColorRole.ToolTipText: "#1F1F1F",
        QPalette.ColorRole.PlaceholderText: "#7A7A7A",
        QPalette.ColorRole.Text: "#1F1F1F",
        QPalette.ColorRole.Button: "#F0F0F0",
        QPalette.ColorRole.ButtonText: "#1F1F1F",
        QPalette.ColorRole.BrightText: "#FFFFFF",
        QPalette.ColorRole.Light: "#FFFFFF",
        QPalette.ColorRole.Midlight: "#E3E3E3",
        QPalette.ColorRole.Mid: "#B8B8B8",
        QPalette.ColorRole.Dark: "#9F9F9F",
        QPalette.ColorRole.Shadow: "#767676",
        QPalette.ColorRole.Highlight: "#1565C0",
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.Link: "#0B57A4",
        QPalette.ColorRole.LinkVisited: "#6A3AA2",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor("#9A9A9A"))
    palette.setColor(disabled, QPalette.ColorRole.Highlight, QColor("#C8C8C8"))
    return palette


def apply_style(app: QApplication) -> None:
    """Fusion with the light palette: the same widgets on every Windows and Linux desk."""
    styles = QStyleFactory.keys()
    if "Fusion" in styles:
        app.setStyle("Fusion")
    app.setPalette(light_palette())
