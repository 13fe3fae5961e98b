"""The receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả): sections, copies, layouts, codes."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desk_app.errors import ConfigurationError
from desk_app.printing import barcodes
from desk_app.printing.data import DeskHeader, DocumentRow, PaperQr, ReceiptData
from desk_app.printing.formset import FormSet
from desk_app.printing.receipt import NO_TIME_LIMIT, render_receipt

from .conftest import decode_codes, pdf_pages, pdf_text, render_png

CODE = "000.00.20.H37-260302-0001"
LOOKUP = "https://dichvucong.langson.gov.vn/tra-cuu"
DOCUMENTS = (
    DocumentRow("Đơn đề nghị cấp giấy phép (Mẫu số 01)", "original", 1),
    DocumentRow("Kịch bản, danh mục tác phẩm biểu diễn", "original", 1),
    DocumentRow("Bản sao chứng thực quyết định thành lập đơn vị", "certified", 1),
    DocumentRow("Căn cước công dân của người đại diện", "photo", 2),
)
LONG_PROCEDURE = (
    "Thủ tục cấp giấy phép tổ chức biểu diễn nghệ thuật, trình diễn thời trang, thi người đẹp, "
    "người mẫu cho các tổ chức thuộc địa phương và các tổ chức, cá nhân khác có trụ sở hoặc địa "
    "chỉ thường trú trên địa bàn tỉnh Lạng Sơn"
)
LONG_APPLICANT = (
    "Công ty trách nhiệm hữu hạn một thành viên thương mại dịch vụ du lịch và văn hóa nghệ "
    "thuật Đặng Thị Ánh, chi nhánh thành phố Lạng Sơn, tỉnh Lạng Sơn, văn phòng đại diện tại "
    "huyện Hữu Lũng và huyện Chi Lăng"
)
LONG_ADDRESS = (
    "Thôn Khuổi Khỉn, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn; địa chỉ liên hệ: số nhà 45, "
    "ngõ 12, đường Bà Triệu, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn; điện "
    "thoại bàn 0205 3812 999; người liên hệ: chị Ánh, phòng hành chính tổng hợp, tầng 3, "
    "tòa nhà Trung tâm Văn hóa tỉnh"
)


# What the desk gives an issued receipt's QR code (tests/unit/printing/test_qr.py reads it back).
QR = PaperQr(
    procedure_code="1.001029",
    id_number="001085012345",
    system_name="Phần mềm Một cửa – SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    issued_at=datetime(2026, 3, 2, 9, 20),
    appointment=datetime(2026, 3, 9, 9, 15),
)


def receipt(header: DeskHeader, **changes: object) -> ReceiptData:
    """A receipt as issued; `lookup_url=…` is the desk's look-up address (in its QR data)."""
    lookup_url = changes.pop("lookup_url", "")
    assert isinstance(lookup_url, str)
    data = ReceiptData(
        header=header,
        code=CODE,
        issued=date(2026, 3, 2),
        applicant_name="Đặng Thị Ánh",
        address="Số 12 đường Trần Đăng Ninh, phường Tam Thanh, thành phố Lạng Sơn",
        phone="0912 345 678",
        email="danganh@example.vn",
        procedure_name="Cấp giấy phép tổ chức biểu diễn nghệ thuật",
        documents=DOCUMENTS,
        sets_count=1,
        duration_text="05 ngày làm việc",
        received=datetime(2026, 3, 2, 9, 15),
        due=datetime(2026, 3, 9, 9, 15),
        result_by_post=False,
        delivery_address="",
        register_book="2026",
        register_seq=123,
        officer_name="Nguyễn Thị Lan",
        qr=replace(QR, lookup_url=lookup_url),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def long_receipt(header: DeskHeader) -> ReceiptData:
    documents = tuple(
        DocumentRow(
            f"Giấy tờ số {i:02d}: bản kê khai chi tiết các nội dung liên quan đến hồ sơ, có xác "
            "nhận của cơ quan có thẩm quyền"
            if i % 3 == 0
            else f"Giấy tờ số {i:02d}",
            ("original", "certified", "photo")[i % 3],
            i,
        )
        for i in range(1, 16)
    )
    assert len(LONG_PROCEDURE) >= 200 and len(LONG_APPLICANT) >= 200
    return receipt(
        header,
        procedure_name=LONG_PROCEDURE,
        applicant_name=LONG_APPLICANT,
        address=LONG_ADDRESS,
        documents=documents,
        submitter_name="Hoàng Văn Thụ (được ủy quyền)",
    )


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def ink_columns(pdf: bytes, folder: Path, dpi: int = 50) -> list[set[int]]:
    """For each page, the pixel columns that hold any dark pixel (pdftoppm's gray PGM)."""
    pages = render_png(pdf, folder, dpi=dpi)  # only to reuse its checks; the PGM comes next
    out = []
    for i, _ in enumerate(pages, start=1):
        pgm = subprocess.run(
            [
                "pdftoppm",
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(i),
                "-l",
                str(i),
                str(folder / "form.pdf"),
            ],
            capture_output=True,
            check=True,
        ).stdout
        header, rest = pgm.split(b"\n", 1)
        assert header == b"P5"
        size, rest = rest.split(b"\n", 1)
        width, height = map(int, size.split())
        _maxval, pixels = rest.split(b"\n", 1)
        dark = set()
        for y in range(height):
            row = pixels[y * width : (y + 1) * width]
            dark.update(x for x, v in enumerate(row) if v < 128)
        out.append(dark)
    return out


# --- content ----------------------------------------------------------------------------------


def test_every_section_of_the_receipt_is_printed(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_receipt(receipt(header, lookup_url=LOOKUP), form_set)
    page = pdf_pages(pdf)[0]
    for expected in (
        "Mẫu số 01",
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "UBND TỈNH LẠNG SƠN",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 02 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "(Liên 1: Lưu)",
        "Đơn vị tiếp nhận: BỘ PHẬN MỘT CỬA – SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Tiếp nhận hồ sơ của: Đặng Thị Ánh",
        "Địa chỉ: Số 12 đường Trần Đăng Ninh, phường Tam Thanh, thành phố Lạng Sơn",
        "Số điện thoại: 0912 345 678",
        "Email: danganh@example.vn",
        "Nội dung yêu cầu giải quyết: Cấp giấy phép tổ chức biểu diễn nghệ thuật",
        "1. Thành phần hồ sơ nộp gồm:",
        "TT Tên loại giấy tờ Số lượng Bản chính Bản sao Bản photo",
        "1 Đơn đề nghị cấp giấy phép (Mẫu số 01) 01",
        "3 Bản sao chứng thực quyết định thành lập đơn vị 01",
        "4 Căn cước công dân của người đại diện 02",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 02 tháng 3 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 09 tháng 3 năm 2026",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 123",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên)",
        "Nguyễn Thị Lan",
    ):
        assert expected in page, expected
    assert "Người trực tiếp nộp hồ sơ" not in page
    assert "Bản in lại" not in page
    assert NO_TIME_LIMIT not in page


def test_the_officer_name_comes_after_the_signature_titles(
    header: DeskHeader, form_set: FormSet
) -> None:
    page = pdf_pages(render_receipt(receipt(header), form_set))[0]
    assert page.index("NGƯỜI TIẾP NHẬN HỒ SƠ") < page.index("Nguyễn Thị Lan")
    assert page.endswith("Nguyễn Thị Lan")


def test_the_person_at_the_counter_is_named_when_not_the_applicant(
    header: DeskHeader, form_set: FormSet
) -> None:
    text = pdf_text(render_receipt(receipt(header, submitter_name="Lý Văn Sáu"), form_set))
    assert "Tiếp nhận hồ sơ của: Đặng Thị Ánh Người trực tiếp nộp hồ sơ: Lý Văn Sáu" in text


def test_a_procedure_without_time_limit_says_so(header: DeskHeader, form_set: FormSet) -> None:
    data = receipt(header, due=None, duration_text="")
    for layout in ("two_sheets", "half_sheets"):
        text = pdf_text(render_receipt(data, form_set, layout=layout))
        assert (
            "5. Thời gian trả kết quả giải quyết hồ sơ: "
            "Thủ tục hành chính không quy định thời hạn giải quyết." in text
        )
        assert "3. Thời gian giải quyết hồ sơ theo quy định là: không quy định thời hạn" in text
        assert "ngày 09 tháng 3 năm 2026" not in text
        assert text.count(NO_TIME_LIMIT) == 2  # once on each copy


def test_results_by_post_print_the_delivery_address(header: DeskHeader, form_set: FormSet) -> None:
    data = receipt(header, result_by_post=True, delivery_address="Số 5 Lê Lợi, phường Vĩnh Trại")
    for layout in ("two_sheets", "half_sheets"):
        text = pdf_text(render_receipt(data, form_set, layout=layout))
        assert (
            "6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích, "
            "địa chỉ: Số 5 Lê Lợi, phường Vĩnh Trại" in text
        )
        assert "tại: Bộ phận Một cửa" not in text


def test_decomposed_letters_are_printed_composed(header: DeskHeader, form_set: FormSet) -> None:
    # A Vietnamese keyboard in "decomposed" mode types A + combining acute.
    data = receipt(header, applicant_name="Đặng Thị A\u0301nh")
    assert "Tiếp nhận hồ sơ của: Đặng Thị Ánh" in pdf_text(render_receipt(data, form_set))


def test_each_count_stands_in_the_column_of_its_copy_type(
    header: DeskHeader, form_set: FormSet
) -> None:
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            runs.append((" ".join(text.split()), cm[4] + tm[4], round(cm[5] + tm[5], 1)))

    pdf = render_receipt(receipt(header), form_set)
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    columns = {t: x for t, x, _ in runs if t in ("Bản chính", "Bản sao", "Bản photo")}
    assert len(columns) == 3

    def column_of(document: str) -> str:
        y = next(y for t, _, y in runs if t.endswith(document))
        x = next(x for t, x, ry in runs if ry == y and t in ("01", "02"))
        return min(columns, key=lambda c: abs(columns[c] - x))

    assert column_of("Đơn đề nghị cấp giấy phép (Mẫu số 01)") == "Bản chính"
    assert column_of("Bản sao chứng thực quyết định thành lập đơn vị") == "Bản sao"  # certified
    assert column_of("Căn cước công dân của người đại diện") == "Bản photo"


def test_an_unknown_copy_type_is_a_bug_not_a_guess(header: DeskHeader, form_set: FormSet) -> None:
    data = receipt(header, documents=(DocumentRow("Giấy lạ", "scan", 1),))
    with pytest.raises(ValueError, match="scan"):
        render_receipt(data, form_set)


# --- copies and layouts -------------------------------------------------------------------------


def test_two_sheets_put_each_copy_on_its_own_page(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_receipt(receipt(header), form_set, layout="two_sheets")
    first, second = pdf_pages(pdf)
    assert "Liên 1: Lưu" in first and "Liên 2" not in first
    assert "Liên 2: Giao người nộp" in second and "Liên 1" not in second
    assert first.replace("Liên 1: Lưu", "") == second.replace("Liên 2: Giao người nộp", "")
    assert render_receipt(receipt(header), form_set) == pdf  # two sheets is the default
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A4[0]), round(A4[1]))


def test_half_sheets_put_both_copies_on_one_page(header: DeskHeader, form_set: FormSet) -> None:
    pdf = render_receipt(receipt(header), form_set, layout="half_sheets")
    (page,) = pdf_pages(pdf)
    assert page.index("Liên 1: Lưu") < page.index("Liên 2: Giao người nộp")
    assert page.count("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") == 2
    assert page.count("Tiếp nhận hồ sơ của: Đặng Thị Ánh") == 2
    assert page.count("Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 123") == 2


def test_half_sheets_hold_a_usual_file_with_six_documents(
    header: DeskHeader, form_set: FormSet
) -> None:
    six = tuple(DocumentRow(f"Giấy tờ thứ {i}", "original", 1) for i in range(1, 7))
    data = receipt(header, documents=six, submitter_name="Lý Văn Sáu")
    assert page_count(render_receipt(data, form_set, layout="half_sheets")) == 1


def test_half_sheets_fall_back_to_two_sheets_when_a_copy_does_not_fit(
    header: DeskHeader, form_set: FormSet
) -> None:
    data = long_receipt(header)
    half = render_receipt(data, form_set, layout="half_sheets")
    assert half == render_receipt(data, form_set, layout="two_sheets")
    pages = pdf_pages(half)
    assert len(pages) == 4  # each copy runs over two full pages; nothing is squeezed
    assert "Liên 1: Lưu" in pages[0] and "Liên 1: Lưu" in pages[1]
    assert "Liên 2: Giao người nộp" in pages[2] and "Liên 2: Giao người nộp" in pages[3]


def test_an_unknown_layout_is_a_configuration_error(header: DeskHeader, form_set: FormSet) -> None:
    with pytest.raises(ConfigurationError):
        render_receipt(receipt(header), form_set, layout="a5")


def test_the_reprint_mark_is_printed_only_when_asked(header: DeskHeader, form_set: FormSet) -> None:
    for layout in ("two_sheets", "half_sheets"):
        first = render_receipt(receipt(header), form_set, layout=layout)
        again = render_receipt(receipt(header, reprint=True), form_set, layout=layout)
        assert "Bản in lại" not in pdf_text(first)
        marked = pdf_pages(again)
        assert len(marked) == len(pdf_pages(first))
        assert sum(p.count("Bản in lại") for p in marked) == 2  # on each copy
        # Everything else is where the first print had it: the mark takes no room.
        assert [p.replace("Bản in lại ", "") for p in marked] == pdf_pages(first)


def test_identical_data_gives_identical_bytes(header: DeskHeader, form_set: FormSet) -> None:
    for data in (receipt(header, lookup_url=LOOKUP), long_receipt(header)):
        for layout in ("two_sheets", "half_sheets"):
            assert render_receipt(data, form_set, layout=layout) == render_receipt(
                replace(data), form_set, layout=layout
            )
    changed = receipt(header, register_seq=124)
    assert render_receipt(changed, form_set) != render_receipt(receipt(header), form_set)


# --- long content ---------------------------------------------------------------------------


def test_long_content_is_all_printed_and_the_table_header_repeats(
    header: DeskHeader, form_set: FormSet
) -> None:
    pdf = render_receipt(long_receipt(header), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 4
    for copy in (pages[0] + " " + pages[1], pages[2] + " " + pages[3]):
        assert f"Tiếp nhận hồ sơ của: {LONG_APPLICANT}" in copy
        assert f"Nội dung yêu cầu giải quyết: {LONG_PROCEDURE}" in copy
        assert f"Địa chỉ: {LONG_ADDRESS}" in copy
        for i in range(1, 16):
            assert f"Giấy tờ số {i:02d}" in copy
        assert "Giấy tờ số 15: bản kê khai chi tiết các nội dung liên quan đến hồ sơ" in copy
        assert "Nguyễn Thị Lan" in copy
    # The continuation page repeats the table header and says whose page it is.
    assert "TT Tên loại giấy tờ Số lượng Bản chính Bản sao Bản photo" in pages[1]
    assert f"Mã hồ sơ: {CODE} – Liên 1: Lưu (tiếp theo)" in pages[1]
    assert f"Mã hồ sơ: {CODE} – Liên 2: Giao người nộp (tiếp theo)" in pages[3]
    assert "(tiếp theo)" not in pages[0] + pages[2]
    # The signatures are never cut from the lines above them.
    assert "Vào Sổ theo dõi hồ sơ" in pages[1] and "NGƯỜI NỘP HỒ SƠ" in pages[1]


def test_long_content_stays_inside_the_margins(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    dpi = 50
    pdf = render_receipt(long_receipt(header), form_set)
    left = int(30 * mm / 72 * dpi) - 1  # the 30 mm binding margin, less a pixel of rounding
    right = int((A4[0] - 20 * mm) / 72 * dpi) + 1
    for dark in ink_columns(pdf, tmp_path, dpi):
        assert dark, "an empty page"
        assert min(dark) >= left
        assert max(dark) <= right


def test_a_long_list_is_kept_on_one_sheet_per_copy_at_12_pt_when_that_suffices(
    header: DeskHeader, form_set: FormSet
) -> None:
    eight = tuple(DocumentRow(f"Giấy tờ thứ {i}", "original", 1) for i in range(1, 9))
    pdf = render_receipt(receipt(header, documents=eight), form_set)
    assert page_count(pdf) == 2
    assert "Giấy tờ thứ 8" in pdf_pages(pdf)[0]


# --- barcode and QR code ------------------------------------------------------------------------


def test_the_barcode_and_the_qr_code_scan_back_to_the_file_code(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    pdf = render_receipt(receipt(header, lookup_url=LOOKUP), form_set)
    codes = decode_codes(render_png(pdf, tmp_path, dpi=300)[0])
    assert sorted(codes) == sorted([f"CODE-128:{CODE}", f"QR-Code:{LOOKUP}?ma={CODE}"])
    qr = next(c for c in codes if c.startswith("QR-Code:")).removeprefix("QR-Code:")
    assert barcodes.file_code_from_payload(qr) == CODE


def test_the_codes_are_printed_big_enough_to_scan() -> None:
    bar = barcodes.code128(CODE)
    assert bar.barWidth >= 0.33 * mm
    assert bar.lquiet >= 10 * bar.barWidth and bar.rquiet >= 10 * bar.barWidth
    assert bar.width <= 110 * mm  # fits the 160 mm text width with the QR code beside it
    qr = barcodes.QrFlowable(barcodes.qr_payload(CODE, LOOKUP))
    quiet = 2 * barcodes.QR_QUIET_MODULES * qr.module
    assert qr.width - quiet >= 22 * mm - 1e-6


@pytest.mark.parametrize(
    ("lookup_url", "payload"),
    [
        ("", CODE),
        ("  ", CODE),
        (LOOKUP, f"{LOOKUP}?ma={CODE}"),
        (f"{LOOKUP}?tinh=20", f"{LOOKUP}?tinh=20&ma={CODE}"),
        (f"{LOOKUP}?", f"{LOOKUP}?ma={CODE}"),
        (
            "https://dvc.example.vn/ho-so/{ma}/trang-thai",
            f"https://dvc.example.vn/ho-so/{CODE}/trang-thai",
        ),
    ],
)
def test_qr_payloads(lookup_url: str, payload: str) -> None:
    assert barcodes.qr_payload(CODE, lookup_url) == payload


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (CODE, CODE),
        (f" {CODE}\n", CODE),
        (f"{LOOKUP}?ma={CODE}", CODE),
        (f"{LOOKUP}?tinh=20&ma={CODE}", CODE),
        (f"{LOOKUP}?ma=000.00.20.H37-260302-0001&x=1", CODE),
    ],
)
def test_the_file_code_is_read_back_from_a_scanned_payload(payload: str, code: str) -> None:
    assert barcodes.file_code_from_payload(payload) == code


def test_a_code_that_is_not_printable_ascii_is_refused() -> None:
    for bad in ("", "Mã-01", "A\tB"):
        with pytest.raises(ValueError, match="ASCII"):
            barcodes.code128(bad)


@pytest.mark.parametrize("layout", ["two_sheets", "half_sheets"])
@pytest.mark.parametrize(
    "governing_body",
    ["UBND TỈNH LẠNG SƠN", "ỦY BAN NHÂN DÂN HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN"],
)
def test_no_header_line_holds_a_lone_word(
    header: DeskHeader, form_set: FormSet, layout: str, governing_body: str
) -> None:
    # Issue 13: "UBND TỈNH LẠNG" / "SƠN" — a name's last word alone on its own line.
    desk = replace(header, governing_body=governing_body)
    pdf = render_receipt(receipt(desk), form_set, layout=layout)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    head = lines[: lines.index("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")]
    words = set(governing_body.split()) | set(desk.agency_name.split())
    assert [line for line in head if line in words] == []
    named = " ".join(line for line in head if set(line.split()) <= words)
    assert named == f"{governing_body} {desk.agency_name}"  # every word, in order
