"""The queue ticket's PDF (issue 16): an 80 mm page with the number, group, moment and waiting."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from desk_app.printing.ticket import TicketSlip, ticket_pdf

from .conftest import pdf_text, render_png

SLIP = TicketSlip(
    label="A012",
    group_name="Văn hóa, gia đình, thể dục thể thao và du lịch",
    issued_at=datetime(2026, 3, 2, 8, 5),
    waiting=7,
    agency_name="Sở Văn hóa, Thể thao và Du lịch",
)


def test_the_ticket_shows_number_group_moment_and_people_waiting(tmp_path: Path) -> None:
    pdf = ticket_pdf(SLIP)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80
    text = pdf_text(pdf)
    for words in (
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "PHIẾU SỐ THỨ TỰ",
        "A012",
        "Văn hóa, gia đình, thể dục thể thao",
        "08:05 ngày 02/03/2026",
        "Số người đang chờ trước quý khách: 7",
    ):
        assert words in text
    assert len(render_png(pdf, tmp_path, dpi=40)) == 1  # poppler reads it
