"""The "Bản in lại" stamp put on a reprint of an archived slip; the stored content is untouched."""

from __future__ import annotations

import io

REPRINT_WORDS = "Bản in lại"


def reprint_stamp(pdf: bytes, words: str = REPRINT_WORDS) -> bytes:
    """The stored PDF with a small "Bản in lại" stamp on every page; the content is untouched."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    from desk_app.printing.fonts import FAMILY, register_fonts

    register_fonts()
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
        canvas.setFont(f"{FAMILY}-BoldItalic", 11)
        canvas.drawRightString(width - 20, height - 16, words)
        canvas.save()
        page.merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
