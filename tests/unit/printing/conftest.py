"""Helpers for the form tests: sample desk data, PDF text extraction, rendering to PNG."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.printing.data import DeskHeader
from desk_app.printing.formset import FormSet, load_form_set

# The same bundled font everywhere, so the tests see what a bare machine prints.
os.environ.setdefault("DESK_FORM_FONT", "bundled")

HEADER = DeskHeader(
    governing_body="UBND TỈNH LẠNG SƠN",
    agency_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    unit_name="BỘ PHẬN MỘT CỬA",
    place_name="Lạng Sơn",
    phone="0205 3812 345",
)


@pytest.fixture
def header() -> DeskHeader:
    return HEADER


@pytest.fixture
def form_set() -> FormSet:
    return load_form_set("2025")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, NFC, with runs of white space folded to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        text = unicodedata.normalize("NFC", page.extract_text() or "")
        pages.append(" ".join(text.split()))
    return pages


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def render_png(pdf: bytes, folder: Path, dpi: int = 100) -> list[Path]:
    """Render every page with pdftoppm (poppler-utils); returns the PNG files in order."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run `make test`, which installs poppler-utils")
    src = folder / "form.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(src), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def decode_codes(png: Path) -> list[str]:
    """Barcode and QR payloads found in an image, as 'TYPE:payload' (zbarimg, zbar-tools)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: run `make test`, which installs zbar-tools")
    result = subprocess.run(
        ["zbarimg", "--quiet", str(png)], capture_output=True, text=True, check=False
    )
    return [line for line in result.stdout.splitlines() if line]
