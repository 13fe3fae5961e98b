"""The queue ticket (issue 16) on a receipt printer speaking ESC/POS, through python-escpos.

Vietnamese is printed as a picture: the ticket is drawn with Pillow in the forms' serif (it has
every Vietnamese letter) and sent as a raster bit image (GS v 0), which every ESC/POS printer
takes. Most receipt printers have no Vietnamese code page at all; the few that have CP1258 want
the tone marks as separate combining characters and differ model to model, and stripping the
marks ("PHIEU SO THU TU") loses words ("Hộ tịch" and "hồ tịch" are different things) — so no
text mode and no transliteration.

The picture is 512 dots wide (64 mm at 203 dpi): it fits every 80 mm printer (the Epson TM-T88
prints 512 dots, most others 576) and is centred with ESC a 1. A 58 mm printer (384 dots) would
cut its right side: not supported.

The printer is named per machine (Settings › This computer): "host:port" for a network printer
(port 9100 when omitted) or the path of a device or file: "/dev/usb/lp0", a Windows printer's
share "\\\\pc\\printer", or a file that collects the bytes.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

from desk_app.errors import DeskError, ValidationError
from desk_app.printing.fonts import choose_font
from desk_app.printing.ticket import TicketSlip

if TYPE_CHECKING:
    from escpos.escpos import Escpos

WIDTH = 512  # dots; 64 mm at 203 dpi
MARGIN = 8
DEFAULT_PORT = 9100
TIMEOUT_S = 3.0
# The narrowest 80 mm printer python-escpos knows (Epson TM-T88V, 512 dots): the picture is
# checked against its width.
PROFILE = "TM-T88V"

ESC_INIT = b"\x1b@"  # ESC @: initialise
ESC_CENTRE = b"\x1ba\x01"  # ESC a 1: centre what follows
GS_RASTER = b"\x1dv0"  # GS v 0: a raster bit image
GS_CUT = b"\x1dV"  # GS V: cut the paper


class PrinterError(DeskError):
    """The receipt printer could not be reached or refused the ticket."""

    code = "printer"


@dataclass(frozen=True)
class PrinterTarget:
    """Where the tickets go: a network printer (`host`, `port`) or a device/file (`path`)."""

    host: str = ""
    port: int = DEFAULT_PORT
    path: str = ""

    def __str__(self) -> str:
        return self.path or f"{self.host}:{self.port}"


def parse_printer(text: str) -> PrinterTarget | None:
    """The printer named by a setting: "" → None; "host" or "host:port" → a network printer;
    anything holding a slash or backslash → a device or file path. Raises ValidationError."""
    text = text.strip()
    if not text:
        return None
    if "/" in text or "\\" in text:
        return PrinterTarget(path=text)
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = text, str(DEFAULT_PORT)
    host = host.strip()
    valid_host = bool(host) and all(c.isalnum() or c in ".-_" for c in host)
    if not valid_host:
        raise ValidationError(
            "Máy in phải là “địa chỉ:cổng” (ví dụ 192.168.1.50:9100) hoặc đường dẫn thiết bị "
            "(ví dụ /dev/usb/lp0).",
            field="printer",
        )
    if not port_text.strip().isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValidationError("Cổng máy in là số từ 1 đến 65535 (thường là 9100).", field="printer")
    return PrinterTarget(host=host, port=int(port_text))


# --- the picture ---------------------------------------------------------------------------------


@cache
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(choose_font().files[style]), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > WIDTH - 2 * MARGIN:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def ticket_image(slip: TicketSlip) -> Image.Image:
    """The ticket drawn in black and white, WIDTH dots wide (as tall as it needs)."""
    canvas = Image.new("1", (WIDTH, 1200), 1)
    draw = ImageDraw.Draw(canvas)
    y = 4

    def centred(text: str, style: str, size: int, gap: int = 6) -> None:
        nonlocal y
        font = _font(style, size)
        for line in _wrap(draw, text, font):
            left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
            draw.text(((WIDTH - (right - left)) / 2 - left, y - top), line, font=font, fill=0)
            y += round(bottom - top) + gap

    if slip.agency_name:
        centred(slip.agency_name.upper(), "bold", 26)
        y += 8
    centred("PHIẾU SỐ THỨ TỰ", "bold", 34)
    y += 14
    centred(slip.label, "bold", 150, gap=18)
    centred(slip.group_name, "regular", 30)
    y += 4
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=0, width=2)
    y += 14
    centred(f"Thời gian lấy số: {slip.issued_at:%H:%M ngày %d/%m/%Y}", "regular", 26)
    centred(f"Số người đang chờ trước quý khách: {slip.waiting}", "bold", 27)
    y += 6
    centred("Vui lòng chờ đến lượt được gọi số.", "italic", 25)
    return canvas.crop((0, 0, WIDTH, y + 8))


# --- the bytes ---------------------------------------------------------------------------------


def _escpos_module() -> None:
    """python-escpos keeps its printers' capabilities in a pickle made on first import, by
    default in a new temporary folder each time; give it one folder per user instead, with the
    pickle made here first and put in place whole (a rename). python-escpos writes it in
    place: a second program starting meanwhile (the kiosk beside the window, two test workers)
    read half a pickle and failed to import ("Ran out of input")."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    import importlib.util
    import json
    import pickle
    import platform

    import platformdirs

    folder = platformdirs.user_cache_path("one-stop-desk", appauthor=False) / "escpos"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)
    spec = importlib.util.find_spec("escpos")  # the package's folder, nothing imported
    if spec is None or not spec.submodule_search_locations:
        return
    source = Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    try:
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return
        data = json.loads(source.read_text(encoding="utf-8"))
        staged = folder / f".{target.name}.{os.getpid()}"
        staged.write_bytes(pickle.dumps(data))
        staged.replace(target)
    except OSError:
        pass  # python-escpos makes it itself


def warm_up() -> None:
    """Import python-escpos ahead of the first ticket (half a second on a first import)."""
    _escpos_module()
    import escpos.printer  # noqa: F401


def _write(printer: Escpos, slip: TicketSlip) -> None:
    printer.hw("INIT")
    printer.set(align="center")
    printer.image(ticket_image(slip), impl="bitImageRaster")
    printer.cut()


def ticket_escpos(slip: TicketSlip) -> bytes:
    """The ESC/POS bytes of the ticket: initialise, centre, the picture, feed and cut."""
    warm_up()
    from escpos.printer import Dummy

    dummy = Dummy(profile=PROFILE)
    _write(dummy, slip)
    return bytes(dummy.output)


def send(target: PrinterTarget, data: bytes, *, timeout: float = TIMEOUT_S) -> None:
    """Write `data` to the printer: a TCP connection to its port (the raw "JetDirect" port,
    9100) or the device/file opened for writing. PrinterError (Vietnamese) when it cannot be
    reached. (Sent here rather than by python-escpos's Network, which in 3.1 leaves its socket
    open when the printer does not answer.)"""
    try:
        if target.path:
            with Path(target.path).open("wb") as device:
                device.write(data)
            return
        with socket.create_connection((target.host, target.port), timeout=timeout) as conn:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)  # the printer prints what it got, then we close
    except OSError as exc:
        raise PrinterError(
            f"Không in được phiếu ra máy in {target}: máy in không trả lời. "
            "Kiểm tra máy in đã bật, còn giấy và nối mạng.",
            field="printer",
        ) from exc


def print_ticket(target: PrinterTarget, slip: TicketSlip, *, timeout: float = TIMEOUT_S) -> None:
    """Print the ticket on `target`; PrinterError (Vietnamese) when it cannot be reached."""
    send(target, ticket_escpos(slip), timeout=timeout)
