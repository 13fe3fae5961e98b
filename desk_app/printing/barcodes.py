"""Scannable codes on the forms: a Code 128 barcode of the file code and QR codes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import groupby
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, urlsplit

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qrencoder import QRECI, QR8bitByte, QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

# Bar width (X dimension) of the Code 128: 0.33 mm is the nominal size of retail codes and
# reads with any counter scanner, even from a tired laser printer that spreads the ink.
BAR_WIDTH = 0.33 * mm
# The quiet zone on each side: ten modules, the minimum of ISO/IEC 15417.
QUIET_MODULES = 10
# The dark square of the QR code (its quiet zone comes on top): phone cameras need no more.
QR_SIZE = 22 * mm
QR_QUIET_MODULES = 4
# ECI 26 declares the bytes UTF-8 (ISO/IEC 18004 reads undeclared bytes as ISO 8859-1).
UTF8_ECI = 26
# The query parameter that carries the file code in the look-up address.
LOOKUP_PARAM = "ma"
# Written in `lookup_url` where the code belongs when the parameter style does not suit a portal.
CODE_PLACEHOLDER = "{ma}"


def code128(value: str, *, height: float = 10 * mm, bar_width: float = BAR_WIDTH) -> Code128:
    """A Code 128 flowable of `value` with quiet zones and no human-readable line.

    The caller prints the code as text itself (in the form's font, next to its label).
    ReportLab's encoder switches to the double-density digit set where that saves space.
    """
    if not value or not value.isascii() or not value.isprintable():
        msg = f"Code 128 takes printable ASCII only, not {value!r}"
        raise ValueError(msg)
    quiet = QUIET_MODULES * bar_width
    return Code128(
        value,
        barWidth=bar_width,
        barHeight=height,
        quiet=1,
        lquiet=quiet,
        rquiet=quiet,
        humanReadable=0,
    )


def qr_payload(code: str, lookup_url: str = "") -> str:
    """What the QR code carries: the bare file code, or the look-up address with the code in it.

    'https://dvc.example.vn/tra-cuu' gives 'https://dvc.example.vn/tra-cuu?ma=<code>' (or
    '&ma=' when the address has a query already); an address containing '{ma}' gets the code
    in that place instead. `file_code_from_payload` reads the code back from either form.
    """
    url = lookup_url.strip()
    if not url:
        return code
    encoded = quote(code, safe="")
    if CODE_PLACEHOLDER in url:
        return url.replace(CODE_PLACEHOLDER, encoded)
    if "?" not in url:
        separator = "?"
    elif url.endswith(("?", "&")):
        separator = ""
    else:
        separator = "&"
    return f"{url}{separator}{LOOKUP_PARAM}={encoded}"


def file_code_from_payload(payload: str) -> str:
    """The file code in a scanned payload: the `ma` parameter of an address, else the text."""
    text = payload.strip()
    parts = urlsplit(text)
    if parts.scheme in {"http", "https"}:
        values = parse_qs(parts.query).get(LOOKUP_PARAM)
        if values:
            return values[0].strip()
    return text


class QrRun(NamedTuple):
    """A horizontal run of dark modules: row, first column, length."""

    row: int
    column: int
    length: int


class QrSymbol(NamedTuple):
    """An encoded QR code: its side in modules and its dark runs, row by row."""

    modules: int
    runs: tuple[QrRun, ...]


@lru_cache(maxsize=32)
def qr_symbol(value: str, level: str = "M", min_version: int = 4) -> QrSymbol:
    """Encode `value` as a QR code (error correction `level`, at least `min_version`).

    ASCII goes in as ReportLab chooses (numeric, alphanumeric or bytes); other text as UTF-8
    bytes behind an ECI 26 designator, so that a reader does not take Vietnamese for Latin-1.
    Encoding tries all eight masks in pure Python (some 30 ms, 40 ms for the ~350 bytes of a
    paper's payload); both copies of a receipt and any re-layout share one result. A short
    payload would get fewer, bigger modules and so a wider quiet zone; `min_version` keeps
    the symbol the same size whatever it carries.
    """
    ec_level = getattr(QRErrorCorrectLevel, level)

    def encode(version: int | None) -> QRCode:
        qr = QRCode(version, ec_level)
        if value.isascii():
            qr.addData(value)
        else:
            qr.addData(QRECI(UTF8_ECI))
            qr.addData(QR8bitByte(value))
            # ReportLab counts the ECI designator's mode bits but not its 8 bits of value, so
            # its choice of version may be a few bits short: then take the next version.
            untyped: Any = qr
            version = untyped.calculate_version() if version is None else version
            try:
                untyped.createData(version, ec_level, qr.dataList)
            except Exception:  # ReportLab raises a bare Exception on "code length overflow"
                version += 1
            qr.version = version
        qr.make()
        return qr

    qr = encode(None)
    if int(qr.version) < min_version:
        qr = encode(min_version)
    runs: list[QrRun] = []
    for r, row in enumerate(qr.modules):
        column = 0
        for dark, run in groupby(bool(x) for x in row):
            count = len(list(run))
            if dark:
                runs.append(QrRun(r, column, count))
            column += count
    return QrSymbol(len(qr.modules), tuple(runs))


class QrFlowable(Flowable):
    """A QR code whose dark square is `size` wide, with its four-module quiet zone around it.

    `min_module`, when given, widens the square so that no module is narrower: a long payload
    (more modules) then takes more room instead of modules too small for a phone's camera.
    """

    def __init__(
        self,
        value: str,
        *,
        size: float = QR_SIZE,
        level: str = "M",
        min_module: float = 0.0,
    ) -> None:
        super().__init__()
        self._symbol = qr_symbol(value, level)
        self._count = self._symbol.modules
        self._module: float = max(size / self._count, min_module)
        self.value = value
        self.width = self.height = (self._count + 2 * QR_QUIET_MODULES) * self._module

    @property
    def module(self) -> float:
        """The side of one module in points."""
        return self._module

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        count = self._count
        # Drawn once per document as a form, then placed for each copy: half the operators.
        # The name comes from the payload (never hash(), which changes between runs).
        name = "QR" + hashlib.sha1(self.value.encode(), usedforsecurity=False).hexdigest()[:16]
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, count, count)
            canvas.setFillColorRGB(0, 0, 0)
            # One path for the whole symbol: a rasteriser leaves no seams between modules.
            path = canvas.beginPath()
            for run in self._symbol.runs:
                path.rect(run.column, count - run.row - 1, run.length, 1)
            canvas.drawPath(path, stroke=0, fill=1)
            canvas.endForm()
        canvas.saveState()
        quiet = QR_QUIET_MODULES * self._module
        canvas.translate(quiet, quiet)
        canvas.scale(self._module, self._module)
        canvas.doForm(name)
        canvas.restoreState()
