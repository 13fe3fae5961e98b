"""The supplement request, refusal and apology slips: every field, long content, stable bytes."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk_app.printing.apology import (
    DEFAULT_RECIPIENTS,
    NO_TIME_LIMIT,
    issuer_header,
    render_apology,
)
from desk_app.printing.data import ApologyData, DeskHeader, RefusalData, SupplementData
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import BASE_SIZE, MARGINS
from desk_app.printing.refusal import render_refusal
from desk_app.printing.slips import BLANK_LINE, BLANK_NUMBER, in_sentence
from desk_app.printing.supplement import render_supplement

from .conftest import pdf_pages, pdf_text, render_png

CODE = "000.00.12.H38-260302-0001"
PROCEDURE = "Cấp giấy phép tổ chức biểu diễn nghệ thuật"
RECEIVED = datetime(2026, 3, 2, 9, 15)
RECEIVED_WORDS = "09 giờ 15 phút, ngày 02 tháng 3 năm 2026"
AGENCY = "Phòng Quản lý Văn hóa và Gia đình"
SO = "Sở Văn hóa, Thể thao và Du lịch"
# 200 characters, 500 characters: the long content every slip must wrap without losing a word.
LONG_PROCEDURE = (
    "Cấp giấy phép tổ chức biểu diễn nghệ thuật, trình diễn thời trang, thi người đẹp, người "
    "mẫu và các hoạt động văn hóa nghệ thuật khác có quy mô cấp tỉnh trên địa bàn tỉnh Lạng Sơn "
    "năm 2025 theo đề nghị"
)
LONG_REASON = (
    "Hồ sơ chưa đáp ứng quy định tại Nghị định số 144/2020/NĐ-CP về hoạt động nghệ thuật biểu "
    "diễn: kịch bản chưa có chữ ký của người đề nghị, danh sách người biểu diễn thiếu số định "
    "danh cá nhân, văn bản chấp thuận của chủ địa điểm đã hết hiệu lực, thời gian tổ chức chưa "
    "được ghi rõ ngày giờ bắt đầu và kết thúc, phương án bảo đảm an ninh trật tự, phòng cháy "
    "chữa cháy chưa được cơ quan công an xác nhận, bản sao giấy chứng nhận đăng ký doanh nghiệp "
    "chưa được chứng thực theo quy định, bổ sung lại ngay."
)
ITEMS_15 = tuple(
    f"Giấy tờ số {n:02d}: bản sao có chứng thực kịch bản chương trình, danh sách người biểu diễn"
    for n in range(1, 16)
)


def _supplement(header: DeskHeader, **changes: object) -> SupplementData:
    data = SupplementData(
        header=header,
        number="12/HDHS",
        issued=date(2026, 3, 5),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        received=RECEIVED,
        items=(
            "Bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp",
            "Kịch bản chương trình biểu diễn có chữ ký của người đề nghị",
        ),
        reason="Thành phần hồ sơ chưa đủ theo quy định.",
        officer_name="Nguyễn Văn Bình",
        officer_phone="0912 345 678",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def _refusal(header: DeskHeader, **changes: object) -> RefusalData:
    data = RefusalData(
        header=header,
        number="03/TCHS",
        issued=date(2026, 3, 5),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        reason="Hoạt động không thuộc thẩm quyền giải quyết của Sở.",
        officer_name="Nguyễn Văn Bình",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def _apology(header: DeskHeader, **changes: object) -> ApologyData:
    data = ApologyData(
        header=header,
        number="05/XLHS",
        issued=date(2026, 3, 12),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        received=RECEIVED,
        original_due=datetime(2026, 3, 9, 16, 0),
        reason="Cần xin ý kiến của cơ quan có liên quan.",
        new_due=datetime(2026, 3, 16, 10, 30),
        agency_at_fault=AGENCY,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


# --- helpers ---------------------------------------------------------------------------------


def _positions(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run on a page, y measured from the bottom of the page."""
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


def _at(runs: list[tuple[str, float, float]], start: str) -> tuple[float, float]:
    found = [(x, y) for text, x, y in runs if text.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def _ink_outside_the_frame(png: Path) -> list[str]:
    """Margin strips with something printed in them: text running off the frame.

    The strips stay a few millimetres clear of the frame; the top strip also clears the small
    "(tiếp theo …)" line that later pages carry just above the frame.
    """
    image = Image.open(png).convert("L")
    w = image.size[0]
    px_per_pt = w / A4[0]

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (int(x0 * px_per_pt), int(y0 * px_per_pt), int(x1 * px_per_pt), int(y1 * px_per_pt))

    page_w, page_h = A4
    clear = 8  # points between a strip and the frame
    strips = {
        "left": box(0, 0, MARGINS["left"] - clear, page_h),
        "right": box(page_w - MARGINS["right"] + clear, 0, page_w, page_h),
        "top": box(0, 0, page_w, MARGINS["top"] - 22),
        "bottom": box(0, page_h - MARGINS["bottom"] + clear, page_w, page_h),
    }
    return [name for name, area in strips.items() if _darkest(image.crop(area)) < 160]


def _darkest(image: Image.Image) -> int:
    low = image.getextrema()[0]
    assert isinstance(low, int)
    return low


def _check_pages(pdf: bytes, tmp_path: Path) -> list[Path]:
    """Every page A4 portrait, with ink inside the frame and none in the margins."""
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )
    pngs = render_png(pdf, tmp_path, dpi=60)
    assert len(pngs) == len(reader.pages)
    for png in pngs:
        assert _ink_outside_the_frame(png) == [], png.name
        assert _darkest(Image.open(png).convert("L")) < 100  # something is printed
    return pngs


# --- supplement request ----------------------------------------------------------------------


def test_supplement_prints_every_field(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_supplement(_supplement(header), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Mẫu số 02",
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "UBND TỈNH LẠNG SƠN",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/HDHS",
        "Lạng Sơn, ngày 05 tháng 3 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        f"Bộ phận Một cửa đã tiếp nhận hồ sơ của Ông/Bà vào lúc {RECEIVED_WORDS}, "
        f"mã hồ sơ {CODE}, về việc: {PROCEDURE}.",
        "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:",
        "TT Nội dung yêu cầu bổ sung, hoàn thiện",
        "1 Bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp",
        "2 Kịch bản chương trình biểu diễn có chữ ký của người đề nghị",
        "Lý do: Thành phần hồ sơ chưa đủ theo quy định.",
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với Nguyễn Văn Bình "
        "số điện thoại 0912 345 678 để được hướng dẫn.",
        "NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Nguyễn Văn Bình",
    ):
        assert expected in text, expected


def test_supplement_help_line_without_a_phone_names_only_the_officer(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_supplement(_supplement(header, officer_phone=" "), form_set))
    assert "Ông/Bà liên hệ với Nguyễn Văn Bình để được hướng dẫn." in text
    assert "số điện thoại" not in text


def test_supplement_signature_is_on_the_right_with_the_officer_under_it(
    header: DeskHeader, form_set: FormSet
) -> None:
    runs = _positions(render_supplement(_supplement(header), form_set))
    title_x, title_y = _at(runs, "NGƯỜI HƯỚNG DẪN")
    name_x, name_y = _at(runs, "Nguyễn Văn Bình")
    reason_y = _at(runs, "Lý do:")[1]
    assert title_x > A4[0] / 2  # the right half of the page
    assert name_y < title_y - 50  # room to sign between the title and the name
    assert title_y < reason_y  # below the text
    # The printed name is centred under the title.
    title_mid = title_x + _bold_width("NGƯỜI HƯỚNG DẪN") / 2
    assert name_x + _bold_width("Nguyễn Văn Bình") / 2 == pytest.approx(title_mid, abs=1)


def _bold_width(text: str) -> float:
    return stringWidth(text, f"{FAMILY}-Bold", BASE_SIZE)


def test_supplement_long_content_wraps_onto_a_second_page_with_nothing_lost(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    assert len(LONG_PROCEDURE) == 200 and len(LONG_REASON) == 500
    data = _supplement(header, procedure_name=LONG_PROCEDURE, reason=LONG_REASON, items=ITEMS_15)
    pdf = render_supplement(data, form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    text = " ".join(pages)
    assert f"về việc: {LONG_PROCEDURE}." in text
    assert f"Lý do: {LONG_REASON}" in text
    for n, item in enumerate(ITEMS_15, start=1):
        assert text.count(item) == 1
        assert f"{n} {item}" in text
    # The table goes on over the page: its header row is on both pages.
    assert all("TT Nội dung yêu cầu bổ sung, hoàn thiện" in page for page in pages)
    assert "Phiếu yêu cầu bổ sung số 12/HDHS – Mã hồ sơ: " + CODE in pages[1]
    assert "(tiếp theo, trang 2)" in pages[1]
    assert "(tiếp theo" not in pages[0]
    # The help line, the signature and the officer's name stay together on the last page.
    assert "NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Nguyễn Văn Bình" in pages[1]
    _check_pages(pdf, tmp_path)


def test_supplement_table_longer_than_a_page_repeats_its_header(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    items = tuple(f"Nội dung số {n}: {ITEMS_15[0]}" for n in range(1, 61))
    pdf = render_supplement(_supplement(header, items=items), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for page in pages:
        assert page.count("TT Nội dung yêu cầu bổ sung, hoàn thiện") == 1
    text = " ".join(pages)
    rows = [(int(tt), int(n)) for tt, n in re.findall(r"(\d+) Nội dung số (\d+):", text)]
    assert rows == [(n, n) for n in range(1, 61)]
    assert pages[-1].endswith("NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Nguyễn Văn Bình")
    _check_pages(pdf, tmp_path)


def test_supplement_item_taller_than_a_page_is_split_not_refused(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    huge = " ".join(f"đoạn{n} giấy tờ chứng minh quyền sử dụng địa điểm" for n in range(400))
    pdf = render_supplement(_supplement(header, items=(huge, "Mục ngắn")), form_set)
    text = pdf_text(pdf)
    found = re.findall(r"đoạn(\d+) ", text)
    assert [int(n) for n in found] == list(range(400))
    assert "2 Mục ngắn" in text
    _check_pages(pdf, tmp_path)


def test_supplement_without_a_number_leaves_room_to_write_it(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_supplement(_supplement(header, number=""), form_set))
    assert f"Số: {BLANK_NUMBER}" in text


# --- refusal ---------------------------------------------------------------------------------


def test_refusal_prints_every_field(header: DeskHeader, form_set: FormSet) -> None:
    pages = pdf_pages(render_refusal(_refusal(header), form_set))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Mẫu số 03",
        "UBND TỈNH LẠNG SƠN",
        "BỘ PHẬN MỘT CỬA",
        "Số: 03/TCHS",
        "Lạng Sơn, ngày 05 tháng 3 năm 2026",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        "Bộ phận Một cửa đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: "
        f"{PROCEDURE} (mã hồ sơ {CODE}) của Ông/Bà.",
        "hồ sơ của Ông/Bà không đủ điều kiện để tiếp nhận giải quyết",
        "Lý do: Hoạt động không thuộc thẩm quyền giải quyết của Sở.",
        "Xin thông báo để Ông/Bà được biết và thực hiện.",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Văn Bình",
    ):
        assert expected in text, expected
    assert text.count("(Ký và ghi rõ họ tên)") == 2


def test_refusal_signatures_side_by_side_with_the_officer_name_on_the_right(
    header: DeskHeader, form_set: FormSet
) -> None:
    runs = _positions(render_refusal(_refusal(header), form_set))
    applicant_x, applicant_y = _at(runs, "NGƯỜI NỘP HỒ SƠ")
    officer_x, officer_y = _at(runs, "NGƯỜI TIẾP NHẬN HỒ SƠ")
    name_x, name_y = _at(runs, "Nguyễn Văn Bình")
    closing_y = _at(runs, "Xin thông báo")[1]
    assert abs(applicant_y - officer_y) < 0.5
    assert applicant_x < A4[0] / 2 < officer_x
    assert name_x > A4[0] / 2 and name_y < officer_y - 50
    assert officer_y < closing_y


def test_refusal_long_content_stays_on_one_page(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    data = _refusal(header, procedure_name=LONG_PROCEDURE, reason=LONG_REASON)
    pdf = render_refusal(data, form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    assert f"thủ tục hành chính: {LONG_PROCEDURE} (mã hồ sơ {CODE})" in pages[0]
    assert f"Lý do: {LONG_REASON}" in pages[0]
    assert "Nguyễn Văn Bình" in pages[0]
    _check_pages(pdf, tmp_path)


def test_refusal_without_a_reason_leaves_a_dotted_line(
    header: DeskHeader, form_set: FormSet
) -> None:
    pdf = render_refusal(_refusal(header, reason="  ", code=""), form_set)
    text = pdf_text(pdf)
    assert f"Lý do: {BLANK_LINE} Xin thông báo" in text
    assert "mã hồ sơ" not in text
    runs = _positions(pdf)
    label_x, label_y = _at(runs, "Lý do:")
    dots_x, dots_y = _at(runs, BLANK_LINE)
    assert dots_y == pytest.approx(label_y, abs=0.5)  # the dots follow the label on its line
    assert dots_x - label_x < 60


# --- apology ---------------------------------------------------------------------------------


def test_apology_prints_every_field(header: DeskHeader, form_set: FormSet) -> None:
    pages = pdf_pages(render_apology(_apology(header), form_set))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Mẫu số 04",
        "Số: 05/XLHS",
        "Lạng Sơn, ngày 12 tháng 3 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        f"{AGENCY} tiếp nhận hồ sơ của Ông/Bà vào lúc {RECEIVED_WORDS}, mã hồ sơ {CODE}, "
        f"về việc: {PROCEDURE}.",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 09 tháng 3 năm 2026.",
        f"Tuy nhiên đến nay, {AGENCY} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.",
        "Lý do: Cần xin ý kiến của cơ quan có liên quan.",
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {AGENCY} xin lỗi Ông/Bà và sẽ trả kết "
        "quả giải quyết hồ sơ cho Ông/Bà vào lúc: 10 giờ 30 phút, ngày 16 tháng 3 năm 2026.",
        "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.",
        "Nơi nhận: - Như trên; - Lưu: VT.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký, ghi rõ họ tên và đóng dấu)",
    ):
        assert expected in text, expected


def test_apology_is_issued_by_the_agency_at_fault(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_apology(_apology(header), form_set))
    # Header, left: the governing body, the desk's agency, then the late division in bold,
    # where the desk's unit would be.
    assert "UBND TỈNH LẠNG SƠN SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH PHÒNG QUẢN LÝ VĂN HÓA" in text
    assert "BỘ PHẬN MỘT CỬA" not in text


@pytest.mark.parametrize(
    ("agency", "governing", "agency_line", "unit"),
    [
        (AGENCY, "UBND TỈNH LẠNG SƠN", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", AGENCY),
        (
            "Sở Văn hóa, Thể thao và Du lịch",
            "UBND TỈNH LẠNG SƠN",
            "",
            "Sở Văn hóa, Thể thao và Du lịch",
        ),
        ("Ủy ban nhân dân xã Hoàng Văn Thụ", "", "", "Ủy ban nhân dân xã Hoàng Văn Thụ"),
        ("UBND tỉnh Lạng Sơn", "", "", "UBND tỉnh Lạng Sơn"),
    ],
)
def test_issuer_header(
    header: DeskHeader, agency: str, governing: str, agency_line: str, unit: str
) -> None:
    issuer = issuer_header(header, agency)
    assert (issuer.governing_body, issuer.agency_name, issuer.unit_name) == (
        governing,
        agency_line,
        unit,
    )
    assert issuer.place_name == header.place_name


def test_apology_of_a_commune_committee_names_it_alone(
    header: DeskHeader, form_set: FormSet
) -> None:
    committee = "Ủy ban nhân dân xã Hoàng Văn Thụ"
    text = pdf_text(render_apology(_apology(header, agency_at_fault=committee), form_set))
    assert "ỦY BAN NHÂN DÂN XÃ HOÀNG VĂN THỤ" in text
    assert "SỞ VĂN HÓA" not in text and "UBND TỈNH" not in text
    assert f"Tuy nhiên đến nay, {committee} chưa trả kết quả" in text


def test_apology_without_an_agency_falls_back_to_the_desks_agency(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_apology(_apology(header, agency_at_fault=" "), form_set))
    assert "Sở văn hóa, thể thao và du lịch xin lỗi Ông/Bà" in text


def test_apology_without_a_time_limit(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(render_apology(_apology(header, original_due=None), form_set))
    assert NO_TIME_LIMIT in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ:" not in text
    assert "vào lúc: 10 giờ 30 phút, ngày 16 tháng 3 năm 2026." in text


@pytest.mark.parametrize(
    ("recipients", "printed"),
    [
        (("Như trên", "Sở Tư pháp;", "Lưu: VT."), "- Như trên; - Sở Tư pháp; - Lưu: VT."),
        ((), "- " + "; - ".join(DEFAULT_RECIPIENTS) + "."),
        (("Lưu: VT",), "- Lưu: VT."),
    ],
)
def test_apology_recipients(
    header: DeskHeader, form_set: FormSet, recipients: tuple[str, ...], printed: str
) -> None:
    text = pdf_text(render_apology(_apology(header, recipients=recipients), form_set))
    assert f"Nơi nhận: {printed} THỦ TRƯỞNG" in text


def test_apology_recipients_on_the_left_level_with_the_signature(
    header: DeskHeader, form_set: FormSet
) -> None:
    runs = _positions(render_apology(_apology(header), form_set))
    label_x, label_y = _at(runs, "Nơi nhận:")
    head_x, head_y = _at(runs, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ")
    note_y = _at(runs, "(Ký, ghi rõ họ tên và đóng dấu)")[1]
    thanks_y = _at(runs, "Xin trân trọng cảm ơn")[1]
    assert label_x == pytest.approx(MARGINS["left"], abs=1)
    assert head_x > A4[0] / 2 - 40 and head_x > label_x + 150
    assert abs(label_y - head_y) < 3
    assert note_y < head_y < thanks_y


def test_apology_long_content(header: DeskHeader, form_set: FormSet, tmp_path: Path) -> None:
    data = _apology(header, procedure_name=LONG_PROCEDURE, reason=LONG_REASON)
    pdf = render_apology(data, form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    assert f"về việc: {LONG_PROCEDURE}." in pages[0]
    assert f"Lý do: {LONG_REASON}" in pages[0]
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in pages[0]
    _check_pages(pdf, tmp_path)


# --- all three -------------------------------------------------------------------------------

Renderer = Callable[[DeskHeader, FormSet], bytes]
RENDERERS: dict[str, Renderer] = {
    "supplement": lambda h, fs: render_supplement(_supplement(h), fs),
    "refusal": lambda h, fs: render_refusal(_refusal(h), fs),
    "apology": lambda h, fs: render_apology(_apology(h), fs),
}


@pytest.mark.parametrize("form", sorted(RENDERERS))
def test_identical_data_gives_identical_bytes(
    header: DeskHeader, form_set: FormSet, form: str
) -> None:
    first = RENDERERS[form](header, form_set)
    assert first.startswith(b"%PDF-")
    assert RENDERERS[form](header, form_set) == first


@pytest.mark.parametrize("form", sorted(RENDERERS))
def test_each_slip_renders_inside_the_margins_of_an_a4_page(
    header: DeskHeader, form_set: FormSet, form: str, tmp_path: Path
) -> None:
    assert len(_check_pages(RENDERERS[form](header, form_set), tmp_path)) == 1


@pytest.mark.parametrize("form", sorted(RENDERERS))
def test_decomposed_input_prints_composed_letters(
    header: DeskHeader, form_set: FormSet, form: str
) -> None:
    # A name typed with combining marks (NFD) must print as the same letters as NFC.
    nfd = unicodedata.normalize("NFD", "Đặng Thị Ánh")
    assert nfd != "Đặng Thị Ánh"
    build = {
        "supplement": lambda: render_supplement(_supplement(header, applicant_name=nfd), form_set),
        "refusal": lambda: render_refusal(_refusal(header, applicant_name=nfd), form_set),
        "apology": lambda: render_apology(_apology(header, applicant_name=nfd), form_set),
    }[form]
    assert "Kính gửi: Ông/Bà Đặng Thị Ánh" in pdf_text(build())


def test_margin_check_can_fail(tmp_path: Path) -> None:
    # A page with a mark in the right margin: the check that guards every slip must see it.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(A4[0] - 30, A4[1] / 2, "Ánh")
    canvas.save()
    png = render_png(buffer.getvalue(), tmp_path, dpi=60)[0]
    assert _ink_outside_the_frame(png) == ["right"]


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("BỘ PHẬN MỘT CỬA", "Bộ phận Một cửa"),
        ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Bộ phận tiếp nhận và trả kết quả"),
        ("Phòng Quản lý Du lịch", "Phòng Quản lý Du lịch"),
        ("  Bộ phận   Một cửa ", "Bộ phận Một cửa"),
        ("", ""),
    ],
)
def test_in_sentence(stored: str, written: str) -> None:
    assert in_sentence(stored) == written
