"""The queue ticket (phiếu số thứ tự, issue 16) as a PDF for an ordinary printer: a small page
80 mm wide, the size of a receipt roll, with the number large, the group, the moment it was
issued and how many people wait before it. (A receipt printer speaking ESC/POS is left for later.)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from desk_app.printing.fonts import FAMILY, register_fonts

WIDTH = 80 * mm
HEIGHT = 82 * mm
MARGIN = 5 * mm


@dataclass(frozen=True)
class TicketSlip:
    """What the ticket shows."""

    label: str  # "A012"
    group_name: str
    issued_at: datetime
    waiting: int  # people of the group waiting before this ticket
    agency_name: str = ""


def _centred_lines(canvas: Canvas, text: str, font: str, size: float, y: float) -> float:
    """Draw `text` wrapped to the page's width, centred; returns the baseline below it."""
    for line in simpleSplit(text, font, size, WIDTH - 2 * MARGIN):
        canvas.setFont(font, size)
        canvas.drawCentredString(WIDTH / 2, y, line)
        y -= size * 1.25
    return y


def ticket_pdf(slip: TicketSlip) -> bytes:
    """The ticket as a one-page PDF (80 × 82 mm)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=1)
    canvas.setTitle(f"Số thứ tự {slip.label}")
    bold = f"{FAMILY}-Bold"
    y = HEIGHT - MARGIN - 10
    if slip.agency_name:
        y = _centred_lines(canvas, slip.agency_name.upper(), bold, 10, y) - 2
    y = _centred_lines(canvas, "PHIẾU SỐ THỨ TỰ", bold, 13, y - 4)
    canvas.setFont(bold, 60)
    y -= 52
    canvas.drawCentredString(WIDTH / 2, y, slip.label)
    y -= 24
    y = _centred_lines(canvas, slip.group_name, FAMILY, 12, y)
    y -= 4
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + 9, WIDTH - MARGIN, y + 9)
    y -= 6
    moment = slip.issued_at.strftime("%H:%M ngày %d/%m/%Y")
    y = _centred_lines(canvas, f"Thời gian lấy số: {moment}", FAMILY, 10, y)
    waiting = f"Số người đang chờ trước quý khách: {slip.waiting}"
    y = _centred_lines(canvas, waiting, bold, 10, y)
    _centred_lines(canvas, "Vui lòng chờ đến lượt được gọi số.", f"{FAMILY}-Italic", 9, y - 4)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
