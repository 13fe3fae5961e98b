"""The bundled UI font draws Vietnamese, the icon exists in every size, the palette is light."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontInfo, QPalette, QRawFont
from PySide6.QtWidgets import QApplication

from desk_app.ui import look

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test application; its font, style and palette are put back for the other tests."""
    font = QFont(qapp.font())
    style = qapp.style().name()
    palette = QPalette(qapp.palette())
    yield qapp
    qapp.setFont(font)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_ui_font_is_the_bundled_family_and_draws_vietnamese(app: QApplication) -> None:
    family = look.install_ui_font(app)
    assert family == "Noto Sans"
    assert QFontInfo(app.font()).family() == family
    assert app.font().pointSize() == look.UI_POINT_SIZE
    assert look.missing_glyphs(app.font(), "Nguyễn Thị Lan Đặng Ưng ỷ ỹ ỵ") == []
    assert look.missing_glyphs(app.font(), look.VIETNAMESE_SAMPLE) == []
    bold = QFont(family, look.UI_POINT_SIZE, QFont.Weight.Bold)
    assert QRawFont.fromFont(bold).weight() >= QFont.Weight.Bold.value
    assert look.missing_glyphs(bold, look.VIETNAMESE_SAMPLE) == []


def test_missing_glyphs_names_what_the_font_cannot_draw(app: QApplication) -> None:
    family = look.install_ui_font(app)
    # Noto Sans has no Han ideographs: the check must be able to fail.
    assert look.missing_glyphs(QFont(family), "Lan 中 ễ") == ["中"]


def test_installing_twice_registers_the_font_once(app: QApplication) -> None:
    first = look.install_ui_font(app)
    second = look.install_ui_font(app, point_size=12)
    assert first == second
    assert app.font().pointSize() == 12


def test_app_icon_has_every_size(app: QApplication) -> None:
    icon = look.app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(look.ICON_SIZES)
    image = icon.pixmap(32, 32).toImage()
    assert image.width() == 32
    # The tile is red, the document on it white.
    corner = image.pixelColor(16, 2)
    assert corner.red() > 150
    assert corner.green() < 80
    centre = image.pixelColor(16, 10)
    assert centre.lightness() > 200


def test_windows_icon_holds_every_size() -> None:
    data = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(look.ICON_SIZES))
    sides = []
    for i in range(count):
        side, _, _, _, _, _, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        sides.append(side or 256)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + size <= len(data)
    assert sides == sorted(look.ICON_SIZES)


def test_apply_style_sets_fusion_and_the_light_palette(app: QApplication) -> None:
    look.apply_style(app)
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Base).name() == "#ffffff"
    assert app.palette().color(QPalette.ColorRole.Text).lightness() < 60
