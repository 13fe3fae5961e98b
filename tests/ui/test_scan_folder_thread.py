"""Issue 15: the scan folder never freezes the intake form.

The scanner's folder is a share that answers slowly (each listing 0.2 s, each scan read 0.1 s
more) and holds thousands of files; while scans land in it, the form's 10 ms timer keeps
ticking: the listing, the page counts and the first pages drawn small all run on the scan
reader's thread. Timed (tests/timed.txt): a frame gap means nothing on a machine busy with
other tests.
"""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas

from desk_app.ui import scan_folder, scan_panel
from desk_app.ui.context import UiContext
from desk_app.ui.intake import IntakeDialog
from tests.ui.test_gui_thread import Ticks

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)

OLD_FILES = 3000  # scans of earlier days, listed at every look and never offered
LISTING_S = 0.2  # a share's answer to one listing
READING_S = 0.1  # ... and to the reading of one scan
GUI_BUDGET_S = 0.1  # the longest the form may go without a tick (a listing here is 0.2 s)


def _pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for i in range(pages):
        c.drawString(72, 720, f"Trang {i + 1}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def _a4_jpeg() -> bytes:
    """A 300 dpi A4 page, as a scanner writes it."""
    buffer = io.BytesIO()
    Image.new("L", (2480, 3508), 235).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def test_a_slow_share_with_thousands_of_files_leaves_the_form_responsive(
    ui_ctx: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    yesterday = tmp_path / "yesterday.pdf"
    yesterday.write_bytes(b"%PDF-1.4 old")
    day_before = time.time() - 86_400
    os.utime(yesterday, (day_before, day_before))
    for i in range(OLD_FILES):  # links: thousands of names (and stats) at little cost to make
        os.link(yesterday, share / f"scan_{i:05d}.pdf")
    listed: list[tuple[int, float, int]] = []  # thread, seconds, scans found
    read: list[int] = []
    real_list, real_look = scan_folder.list_recent, scan_panel.look_at

    def slow_list(folder: Path, since: float) -> dict[Path, scan_folder.Stamp] | None:
        started = time.perf_counter()
        time.sleep(LISTING_S)
        found = real_list(folder, since)
        listed.append((threading.get_ident(), time.perf_counter() - started, len(found or {})))
        return found

    def slow_look(path: Path) -> scan_panel.Look:
        time.sleep(READING_S)
        read.append(threading.get_ident())
        return real_look(path)

    monkeypatch.setattr(scan_folder, "list_recent", slow_list)
    monkeypatch.setattr(scan_panel, "look_at", slow_look)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    ui_ctx.prefs.scan_folder = share
    dialog = IntakeDialog(ui_ctx)
    qtbot.addWidget(dialog)
    panel = dialog.form.scans
    panel.watch(share, ui_ctx.db.path, settle_ms=50)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.form.procedure.choose("1.001029")
    qtbot.waitUntil(lambda: panel.watcher is not None and panel.watcher.looks >= 1, timeout=5000)

    scans = {"don_0001.pdf": _pdf(5), "cccd_0002.jpg": _a4_jpeg(), "so_do_0003.png": _png()}
    gui = threading.get_ident()
    ticks = Ticks()
    ticks.start()
    started = time.perf_counter()
    for name, data in scans.items():  # the scanner's (here a few ms on this thread)
        (share / name).write_bytes(data)
    model = panel.model
    qtbot.waitUntil(lambda: len(model.pages) == 3, timeout=10_000)
    took = time.perf_counter() - started
    ticks.timer.stop()
    dialog.discard_draft()

    icons = [panel.scan_list.item(i).icon() for i in range(panel.scan_list.count())]
    longest = ticks.longest(started)
    print(
        f"\n{OLD_FILES} old files; {len(listed)} listings of {LISTING_S * 1000:.0f} ms + "
        f"{min(s for _t, s, _n in listed) * 1000 - LISTING_S * 1000:.0f} ms listing; "
        f"3 scans read and drawn in {took:.2f} s; {len(ticks.gaps)} ticks, the longest gap "
        f"{longest * 1000:.1f} ms"
    )
    assert sorted(model.pages.values()) == [1, 1, 5]
    assert all(icon.cacheKey() != panel._file_icon.cacheKey() for icon in icons)
    assert {thread for thread, _s, _n in listed} | set(read) == {panel.files_reader.thread_ident}
    assert gui not in {thread for thread, _s, _n in listed} | set(read)
    assert max(n for _t, _s, n in listed) == 3  # the old files listed, never offered
    assert took >= 2 * LISTING_S + READING_S  # the share really was slow ...
    assert len(ticks.gaps) >= 40
    assert longest < GUI_BUDGET_S  # ... and the form did not wait for it


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1240, 1754), "#f4f1e8").save(buffer, format="PNG")
    return buffer.getvalue()
