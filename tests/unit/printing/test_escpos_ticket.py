"""The queue ticket on an ESC/POS receipt printer (issue 16): the printer's name, the ticket drawn
as a picture (Vietnamese on any printer), the bytes sent to a device file or a closed port."""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from desk_app.errors import ValidationError
from desk_app.printing import escpos_ticket
from desk_app.printing.escpos_ticket import PrinterError, PrinterTarget, parse_printer
from desk_app.printing.ticket import TicketSlip

SLIP = TicketSlip(
    label="A012",
    group_name="Hộ tịch, chứng thực",
    issued_at=datetime(2026, 3, 2, 8, 5),
    waiting=7,
    agency_name="UBND phường Hồng Hà",
)


def raster_of(data: bytes) -> Image.Image:
    """The picture inside ESC/POS bytes (GS v 0: width in bytes, height, then the rows; a set
    bit is a black dot), as a black-and-white image."""
    at = data.index(escpos_ticket.GS_RASTER)
    width_bytes = int.from_bytes(data[at + 4 : at + 6], "little")
    height = int.from_bytes(data[at + 6 : at + 8], "little")
    rows = data[at + 8 : at + 8 + width_bytes * height]
    assert len(rows) == width_bytes * height
    inverted = Image.frombytes("1", (width_bytes * 8, height), rows)  # PIL: a set bit is white
    return ImageChops.invert(inverted.convert("L")).convert("1")


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


def test_a_printer_is_named_by_address_and_port_or_by_its_device() -> None:
    assert parse_printer("  ") is None
    assert parse_printer("192.168.1.50") == PrinterTarget(host="192.168.1.50", port=9100)
    assert parse_printer("may-in.lan:9101") == PrinterTarget(host="may-in.lan", port=9101)
    assert parse_printer("/dev/usb/lp0") == PrinterTarget(path="/dev/usb/lp0")
    assert parse_printer(r"\\quay1\POS80") == PrinterTarget(path=r"\\quay1\POS80")
    for bad, words in (("máy in", "địa chỉ:cổng"), ("10.0.0.5:99999", "Cổng"), (":9100", None)):
        with pytest.raises(ValidationError, match=words) as err:
            parse_printer(bad)
        assert err.value.field == "printer"


def test_the_ticket_is_one_picture_between_the_init_and_the_cut() -> None:
    data = escpos_ticket.ticket_escpos(SLIP)
    assert data.startswith(escpos_ticket.ESC_INIT + escpos_ticket.ESC_CENTRE)
    assert data.count(escpos_ticket.GS_RASTER) == 1
    assert data.endswith(escpos_ticket.GS_CUT + b"\x00")  # a full cut, after feeding the paper
    picture = raster_of(data)
    assert picture.width == escpos_ticket.WIDTH
    assert same_picture(picture, escpos_ticket.ticket_image(SLIP))
    # The number is large: its band (under the titles) is mostly ink across the width.
    black = picture.histogram()[0]
    assert 0.08 < black / (picture.width * picture.height) < 0.5
    other = escpos_ticket.ticket_escpos(
        TicketSlip("B013", SLIP.group_name, SLIP.issued_at, SLIP.waiting, SLIP.agency_name)
    )
    assert not same_picture(raster_of(other), picture)


def test_a_long_group_name_wraps_and_the_ticket_grows() -> None:
    long_name = "Đất đai, xây dựng và tài nguyên môi trường, giao thông vận tải"
    taller = escpos_ticket.ticket_image(
        TicketSlip(SLIP.label, long_name, SLIP.issued_at, SLIP.waiting, SLIP.agency_name)
    )
    assert taller.width == escpos_ticket.WIDTH
    assert taller.height > escpos_ticket.ticket_image(SLIP).height + 20


def test_a_device_file_receives_the_ticket(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    escpos_ticket.print_ticket(PrinterTarget(path=str(device)), SLIP)
    assert device.read_bytes() == escpos_ticket.ticket_escpos(SLIP)


def test_a_printer_that_does_not_answer_is_said_in_words(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PrinterError, match=f"127.0.0.1:{port}") as err:
        escpos_ticket.print_ticket(PrinterTarget(host="127.0.0.1", port=port), SLIP, timeout=1)
    assert "không trả lời" in err.value.message
    with pytest.raises(PrinterError):
        escpos_ticket.print_ticket(PrinterTarget(path=str(tmp_path / "no" / "lp0")), SLIP)


def test_the_capabilities_pickle_is_put_in_place_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made here and renamed into place before python-escpos looks: a second program starting
    meanwhile never reads half of it (python-escpos writes its own in place)."""
    import importlib.util
    import json
    import pickle

    monkeypatch.delenv("ESCPOS_CAPABILITIES_PICKLE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    escpos_ticket._escpos_module()
    folder = tmp_path / "one-stop-desk" / "escpos"
    assert os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] == str(folder)
    (made,) = folder.iterdir()  # the pickle alone: no staged file left behind
    assert made.name.endswith(".capabilities.pickle")
    spec = importlib.util.find_spec("escpos")
    assert spec is not None and spec.submodule_search_locations
    source = Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"
    assert pickle.loads(made.read_bytes()) == json.loads(source.read_text(encoding="utf-8"))
