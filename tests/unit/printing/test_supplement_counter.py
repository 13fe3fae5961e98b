"""The supplement request for papers checked at the counter and not accepted (no file yet)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from desk_app.printing.data import CounterSupplementData, DeskHeader
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import MARGINS
from desk_app.printing.supplement import render_counter_supplement

PROCEDURE = "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
CHECKED = datetime(2026, 3, 2, 10, 5)
ITEMS = (
    "Giấy chứng nhận đủ điều kiện về an ninh, trật tự",
    "Đơn đề nghị có chữ ký của người đại diện theo pháp luật",
)
TABLE_HEAD = "TT Nội dung yêu cầu bổ sung, hoàn thiện"
SIGNATURE = "NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Nguyễn Thị Lan"


def _slip(header: DeskHeader, **changes: object) -> CounterSupplementData:
    data = CounterSupplementData(
        header=header,
        number="7/HDHS",
        checked=CHECKED,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        items=ITEMS,
        reason="Thiếu giấy chứng nhận an ninh trật tự.",
        officer_name="Nguyễn Thị Lan",
        officer_phone="0205 3812 345",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, NFC, with runs of white space folded to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in reader.pages
    ]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def render_png(pdf: bytes, folder: Path, dpi: int) -> list[Path]:
    """Every page as a PNG, drawn by pdftoppm (poppler-utils), in page order."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run `make test`, which installs poppler-utils")
    src = folder / "form.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(src), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def _margin_ink(png: Path) -> list[str]:
    """Margin strips with anything printed in them (the top strip clears the "tiếp theo" line)."""
    image = Image.open(png).convert("L")
    scale = image.size[0] / A4[0]
    page_w, page_h = A4
    clear = 8
    strips = {
        "left": (0, 0, MARGINS["left"] - clear, page_h),
        "right": (page_w - MARGINS["right"] + clear, 0, page_w, page_h),
        "top": (0, 0, page_w, MARGINS["top"] - 22),
        "bottom": (0, page_h - MARGINS["bottom"] + clear, page_w, page_h),
    }
    inked: list[str] = []
    for name, (x0, y0, x1, y1) in strips.items():
        box = (int(x0 * scale), int(y0 * scale), int(x1 * scale), int(y1 * scale))
        low = image.crop(box).getextrema()[0]
        assert isinstance(low, int)
        if low < 160:
            inked.append(name)
    return inked


def test_counter_slip_prints_every_field_and_does_not_say_the_file_was_accepted(
    header: DeskHeader, form_set: FormSet
) -> None:
    pages = pdf_pages(render_counter_supplement(_slip(header), form_set))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Mẫu số 02",
        "BỘ PHẬN MỘT CỬA",
        "Số: 7/HDHS",
        "Lạng Sơn, ngày 02 tháng 3 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        "Vào lúc 10 giờ 05 phút, ngày 02 tháng 3 năm 2026, Bộ phận Một cửa đã kiểm tra hồ sơ "
        f"của Ông/Bà đề nghị giải quyết thủ tục: {PROCEDURE}. Hồ sơ chưa đầy đủ, chưa hợp lệ "
        "theo quy định nên chưa được tiếp nhận.",
        TABLE_HEAD,
        f"1 {ITEMS[0]}",
        f"2 {ITEMS[1]}",
        "Lý do: Thiếu giấy chứng nhận an ninh trật tự.",
        "Sau khi hoàn thiện, Ông/Bà nộp lại hồ sơ tại Bộ phận Một cửa. Nếu có vướng mắc, Ông/Bà "
        "liên hệ với Nguyễn Thị Lan số điện thoại 0205 3812 345 để được hướng dẫn./.",
        SIGNATURE,
    ):
        assert expected in text, expected
    # No file exists: nothing may claim it was received or name a file code.
    assert "đã tiếp nhận" not in text
    assert "mã hồ sơ" not in text.lower()


def test_counter_slip_without_a_phone_names_only_the_officer(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_counter_supplement(_slip(header, officer_phone=" "), form_set))
    assert "Ông/Bà liên hệ với Nguyễn Thị Lan để được hướng dẫn./." in text
    assert "số điện thoại" not in text


def test_counter_slip_with_sixty_items_stays_inside_the_pages(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    items = tuple(f"Nội dung số {n}: {ITEMS[0]}, bản sao có chứng thực" for n in range(1, 61))
    pdf = render_counter_supplement(_slip(header, items=items), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count(TABLE_HEAD) == 1  # the header row repeats on every page
        if number > 1:
            assert f"Phiếu yêu cầu bổ sung số 7/HDHS (tiếp theo, trang {number})" in page
    text = " ".join(pages)
    rows = [(int(tt), int(n)) for tt, n in re.findall(r"(\d+) Nội dung số (\d+):", text)]
    assert rows == [(n, n) for n in range(1, 61)]
    assert "(tiếp theo" not in pages[0]
    assert "Lý do: Thiếu giấy chứng nhận an ninh trật tự." in pages[-1]
    assert pages[-1].endswith(SIGNATURE)
    reader = PdfReader(io.BytesIO(pdf))
    for sheet in reader.pages:
        size = (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height)))
        assert size == (595, 842)
    pngs = render_png(pdf, tmp_path, dpi=60)
    assert len(pngs) == len(pages)
    for png in pngs:
        assert _margin_ink(png) == [], png.name


def test_counter_slip_same_data_same_bytes(header: DeskHeader, form_set: FormSet) -> None:
    first = render_counter_supplement(_slip(header), form_set)
    assert first.startswith(b"%PDF-")
    assert render_counter_supplement(_slip(header), form_set) == first


def test_margin_check_can_fail(tmp_path: Path) -> None:
    # A mark in the left margin: the check that guards the long slip must see it.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(8, A4[1] / 2, "Ánh")
    canvas.save()
    png = render_png(buffer.getvalue(), tmp_path, dpi=60)[0]
    assert _margin_ink(png) == ["left"]
