"""The bundled UI font draws Vietnamese, the icon exists in every size, the palette is light;
in that font the file list's status words fit their column at a 1366×768 counter screen."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo, QPalette, QRawFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk_app.domain.workflow import Status
from desk_app.services import intake, lifecycle
from desk_app.services.browse import ListQueue
from desk_app.services.lifecycle import MoveInput
from desk_app.ui import look
from desk_app.ui.context import UiContext
from desk_app.ui.file_model import CODE_ROLE, status_text
from desk_app.ui.file_table import PADDING
from desk_app.ui.main_window import MainWindow

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


def _accept(ctx: UiContext, name: str, at: datetime) -> str:
    data = intake.IntakeInput(
        procedure="1.001029", applicant=intake.ApplicantInput(name=name), received_at=at
    )
    with ctx.db.writer.begin() as s:
        return intake.accept_file(s, data, ctx.actor, now=at).code


def test_every_status_reads_whole_in_the_file_list_at_1366x768(
    app: QApplication, ui_ctx: UiContext, qtbot: QtBot
) -> None:
    look.install_ui_font(app)  # the font the window has at the counter
    paying = _accept(ui_ctx, "Hoàng Văn Thụ", datetime(2026, 2, 26, 8, 0))
    leaving = _accept(ui_ctx, "Nông Thị Xuân", datetime(2026, 2, 26, 8, 5))
    at = datetime(2026, 2, 27, 9, 0)
    with ui_ctx.db.writer.begin() as s:
        lifecycle.request_financial(s, MoveInput(paying, at=at), "Lệ phí", ui_ctx.actor, now=at)
        lifecycle.withdraw(s, MoveInput(leaving, at=at), "Đổi ý", ui_ctx.actor, now=at)
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.queues.select(ListQueue.ALL)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and window.table.viewport().width() > 0)

    table, model, header = window.table, window.model, window.table.horizontalHeader()
    column = table.column("status")
    metrics = table.fontMetrics()
    shown = {}
    for row in range(model.rowCount()):
        index = model.index(row, column)
        text = str(model.data(index))
        # The cell's text within its width, margins included: nothing elided.
        assert metrics.horizontalAdvance(text) + PADDING <= table.columnWidth(column), text
        shown[model.data(index, CODE_ROLE)] = (text, model.data(index, Qt.ItemDataRole.ToolTipRole))
    assert shown[paying] == ("Chờ nghĩa vụ tài chính", Status.FINANCIAL.label)
    assert shown[leaving] == ("Công dân rút hồ sơ", Status.WITHDRAWN.label)
    # Every status the list can show fits, not only these two; and widening the status
    # column did not push the deadline columns out of view.
    for status in Status:
        width = metrics.horizontalAdvance(status_text(status)) + PADDING
        assert width <= table.columnWidth(column), status.label
    viewport = table.viewport().width()
    for key in ("due", "remaining", "status"):
        section = table.column(key)
        left = header.sectionViewportPosition(section)
        assert left >= 0 and left + header.sectionSize(section) <= viewport, key
