"""The QR code of an issued paper (Circular 01/2023/TT-VPCP Art. 26): its payload and its size.

Every paper the desk issues for a file carries it in the upper-left corner (layout.qr_corner).
Without a look-up address the payload is UTF-8 text (ECI 26), one field a line, "Label: value",
in this order, a line left out when its value is empty:

    Mã hồ sơ: 000.00.20.H37-260302-0001
    Mã TTHC: 1.001029
    Số định danh: 001085012345
    Tên giấy tờ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    Số: 12/HDHS                        (numbered slips only)
    Hệ thống: Phần mềm Một cửa – SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
    Thời điểm cấp: 02/03/2026 10:00     (local time, dd/mm/yyyy hh:mm)
    Hẹn trả kết quả: 09/03/2026 09:15   (receipt; the apology's new appointment)

A phone shows it as it is; a program splits each line at its first ": " (`read_payload`).
With a look-up address (desk setting `lookup_url`) the payload is that address with the file code
in it (barcodes.qr_payload) and, on the receipt, its look-up key (`&khoa=ABCDEFGH`, see
services/lookup_keys.py), nothing else: an identity number in an address would end up in the
portal's logs and the phone's history.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from reportlab.lib.units import mm

from desk_app.printing.barcodes import QrFlowable, file_code_from_payload, qr_payload
from desk_app.printing.data import PaperQr
from desk_app.printing.wording import nfc

FILE_CODE = "Mã hồ sơ"
PROCEDURE = "Mã TTHC"
ID_NUMBER = "Số định danh"
PAPER = "Tên giấy tờ"
NUMBER = "Số"
SYSTEM = "Hệ thống"
ISSUED = "Thời điểm cấp"
APPOINTMENT = "Hẹn trả kết quả"
LABELS = (FILE_CODE, PROCEDURE, ID_NUMBER, PAPER, NUMBER, SYSTEM, ISSUED, APPOINTMENT)
MOMENT_FORMAT = "%d/%m/%Y %H:%M"
SEPARATOR = ": "
KEY_PARAM = "khoa"  # the look-up key's parameter in the receipt's address
LOOKUP_LABEL = "Mã tra cứu"  # the look-up key in words, beside the file code on the receipt

# The dark square on a full A4 page and on a half sheet, and the narrowest module each allows:
# a paper's ~350 bytes take 73 modules (0.33 mm on A4, 0.27 mm on a half sheet), which any phone
# and zbarimg at 300 dpi read; a longer payload makes the square grow, not the modules shrink.
SIZE = 24 * mm
MIN_MODULE = 0.33 * mm
HALF_SIZE = 20 * mm
HALF_MIN_MODULE = 0.27 * mm


def paper_name(title: str) -> str:
    """A form's title as a name in a sentence: 'GIẤY TIẾP NHẬN …' → 'Giấy tiếp nhận …'."""
    text = " ".join(nfc(title).split())
    if text != text.upper():
        return text
    lower = text.lower()
    return lower[:1].upper() + lower[1:]


def printed_key(key: str) -> str:
    """A look-up key as the receipt prints it: 'ABCD-EFGH'."""
    return f"{key[:4]}-{key[4:]}" if len(key) == 8 else key


def moment(value: datetime) -> str:
    """A moment as the payload writes it (to the minute, local time)."""
    return value.strftime(MOMENT_FORMAT)


def payload(qr: PaperQr, *, code: str, title: str, number: str = "") -> str:
    """What the QR code of the paper titled `title` (number `number`) of file `code` carries."""
    if qr.lookup_url.strip() and code.strip():
        address = qr_payload(code.strip(), qr.lookup_url)
        if qr.lookup_key:
            joiner = "&" if "?" in address else "?"
            address += f"{joiner}{KEY_PARAM}={quote(qr.lookup_key, safe='')}"
        return address
    values = {
        FILE_CODE: code,
        PROCEDURE: qr.procedure_code,
        ID_NUMBER: qr.id_number,
        PAPER: paper_name(title),
        NUMBER: number,
        SYSTEM: qr.system_name,
        ISSUED: moment(qr.issued_at),
        APPOINTMENT: moment(qr.appointment) if qr.appointment is not None else "",
    }
    lines = []
    for label in LABELS:
        value = " ".join(nfc(values[label]).split())
        if value:
            lines.append(f"{label}{SEPARATOR}{value}")
    return "\n".join(lines)


def read_payload(text: str) -> dict[str, str]:
    """The fields of a scanned payload by label; a look-up address gives the file code alone."""
    text = nfc(text).strip()
    if text.startswith(("http://", "https://")):
        return {FILE_CODE: file_code_from_payload(text)}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        label, found, value = line.partition(SEPARATOR)
        if found:
            fields[label.strip()] = value.strip()
    return fields


def paper_qr(
    qr: PaperQr | None, *, code: str, title: str, number: str = "", half: bool = False
) -> QrFlowable | None:
    """The QR code of a paper, at the size of a full page or of a half sheet; None without data."""
    if qr is None:
        return None
    value = payload(qr, code=code, title=title, number=number)
    if half:
        return QrFlowable(value, size=HALF_SIZE, min_module=HALF_MIN_MODULE)
    return QrFlowable(value, size=SIZE, min_module=MIN_MODULE)
