"""The QR code of every issued paper (Circular 01/2023/TT-VPCP Art. 26), read back with zbarimg.

Each form is rendered at 300 dpi; the QR code must decode from the upper-left corner of its
frame (and from nowhere else on the page), carry the fields the payload format names, and leave
the national header clear. The receipt keeps its Code 128 barcode of the file code.
"""

from __future__ import annotations

import io
import pickle
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desk_app.printing import qr
from desk_app.printing.data import (
    ApologyData,
    CounterSupplementData,
    DeskHeader,
    DocumentRow,
    HandoverData,
    HandoverRow,
    PaperQr,
    ReceiptData,
    RefusalData,
    SupplementData,
)
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import MARGINS
from desk_app.printing.receipt import HALF_MARGINS
from desk_app.printing.stop_notice import StopNoticeData, render_stop_notice
from desk_app.printing.worker import FormData, RenderJob, render_form

CODE = "000.00.20.H37-260302-0001"
RECEIVED = datetime(2026, 3, 2, 9, 15)
DUE = datetime(2026, 3, 9, 9, 15)
ISSUED = datetime(2026, 3, 2, 9, 21, 37)  # the first print, a few minutes after the intake
LOOKUP = "https://dichvucong.langson.gov.vn/tra-cuu"
SYSTEM = "Phần mềm Một cửa – SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
ID_NUMBER = "020190001234"
PROCEDURE_CODE = "1.001029"
PROCEDURE = "Cấp giấy phép tổ chức biểu diễn nghệ thuật"
DPI = 300
QR_DATA = PaperQr(
    procedure_code=PROCEDURE_CODE,
    id_number=ID_NUMBER,
    system_name=SYSTEM,
    issued_at=ISSUED,
)


# --- the forms, as the desk issues them ---------------------------------------------------------


def _receipt(header: DeskHeader, paper: PaperQr) -> ReceiptData:
    return ReceiptData(
        header=header,
        code=CODE,
        issued=RECEIVED.date(),
        applicant_name="Đặng Thị Ánh",
        address="Số 12 đường Trần Đăng Ninh, thành phố Lạng Sơn",
        phone="0912 345 678",
        email="",
        procedure_name=PROCEDURE,
        documents=(DocumentRow("Đơn đề nghị", "original", 1),),
        sets_count=1,
        duration_text="05 ngày làm việc",
        received=RECEIVED,
        due=DUE,
        result_by_post=False,
        delivery_address="",
        register_book="2026",
        register_seq=12,
        officer_name="Nguyễn Thị Lan",
        qr=replace(paper, appointment=DUE),
    )


def _supplement(header: DeskHeader, paper: PaperQr) -> SupplementData:
    return SupplementData(
        header=header,
        number="12/HDHS",
        issued=date(2026, 3, 5),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        received=RECEIVED,
        items=("Bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp",),
        reason="Thành phần hồ sơ chưa đủ theo quy định.",
        officer_name="Nguyễn Văn Bình",
        qr=paper,
    )


def _counter_supplement(header: DeskHeader, paper: PaperQr) -> CounterSupplementData:
    return CounterSupplementData(
        header=header,
        number="7/HDHS",
        checked=RECEIVED,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        items=("Đơn đề nghị có chữ ký của người đại diện theo pháp luật",),
        reason="Thiếu đơn.",
        officer_name="Nguyễn Thị Lan",
        qr=paper,
    )


def _refusal(header: DeskHeader, paper: PaperQr) -> RefusalData:
    return RefusalData(
        header=header,
        number="03/TCHS",
        issued=date(2026, 3, 5),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        reason="Hoạt động không thuộc thẩm quyền giải quyết của Sở.",
        officer_name="Nguyễn Văn Bình",
        qr=paper,
    )


NEW_DUE = datetime(2026, 3, 16, 10, 30)


def _apology(header: DeskHeader, paper: PaperQr) -> ApologyData:
    return ApologyData(
        header=header,
        number="05/XLHS",
        issued=date(2026, 3, 12),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        received=RECEIVED,
        original_due=DUE,
        reason="Cần xin ý kiến của cơ quan có liên quan.",
        new_due=NEW_DUE,
        agency_at_fault="Phòng Quản lý Văn hóa và Gia đình",
        qr=replace(paper, appointment=NEW_DUE),
    )


def _stop_notice(header: DeskHeader, paper: PaperQr) -> StopNoticeData:
    return StopNoticeData(
        header=header,
        number="1/DGHS",
        issued=date(2026, 3, 6),
        code=CODE,
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        received=RECEIVED,
        stopped=datetime(2026, 3, 6, 14, 0),
        reason="Người nộp hồ sơ đề nghị dừng giải quyết.",
        settling_agency="Phòng Quản lý Văn hóa và Gia đình",
        qr=paper,
    )


def _handover(header: DeskHeader, paper: PaperQr) -> HandoverData:
    return HandoverData(
        header=header,
        code=CODE,
        issued=RECEIVED.date(),
        applicant_name="Đặng Thị Ánh",
        procedure_name=PROCEDURE,
        settling_agency="Phòng Quản lý Văn hóa và Gia đình",
        received=RECEIVED,
        due=DUE,
        rows=(HandoverRow("Bộ phận Một cửa", "Phòng Quản lý", datetime(2026, 3, 2, 10, 0), ""),),
        qr=paper,
    )


AnyData = FormData | StopNoticeData


@dataclass(frozen=True)
class Form:
    """One form of the desk: how it is drawn and what its QR code must hold."""

    kind: str  # the render process's name of the form
    key: str  # the form set's key, whose title names the paper
    data: Callable[[DeskHeader, PaperQr], AnyData]
    number: str = ""
    appointment: datetime | None = None
    code: str = CODE  # the file named; none for the counter's slip, given before a file exists

    def render(self, data: AnyData, form_set: FormSet) -> bytes:
        """Drawn as the desk draws it: the stop notice by its own renderer, the others by the
        render process's `render_form` (in this process)."""
        if isinstance(data, StopNoticeData):
            return render_stop_notice(data, form_set)
        return render_form(RenderJob(self.kind, data, form_set))


FORMS = (
    Form("receipt", "receipt", _receipt, appointment=DUE),
    Form("supplement", "supplement", _supplement, "12/HDHS"),
    Form("counter_supplement", "supplement", _counter_supplement, "7/HDHS", code=""),
    Form("refusal", "refusal", _refusal, "03/TCHS"),
    Form("apology", "apology", _apology, "05/XLHS", NEW_DUE),
    Form("handover", "handover", _handover),
    Form("stop", "stop", _stop_notice, "1/DGHS"),
)


# --- reading a page back ------------------------------------------------------------------------


def zbar(png: Path) -> list[str]:
    """Every symbol zbarimg finds, as 'TYPE:payload' (a payload may hold several lines)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: run scripts/setup.sh, which installs zbar-tools")
    out = subprocess.run(
        ["zbarimg", "--quiet", str(png)], capture_output=True, text=True, check=False
    ).stdout
    symbols: list[str] = []
    for line in out.splitlines():
        if re.match(r"^(QR-Code|CODE-128|EAN-13|I2/5|CODE-39|PDF417):", line) or not symbols:
            symbols.append(line)
        else:
            symbols[-1] += "\n" + line
    return symbols


def qr_codes(symbols: list[str]) -> list[str]:
    return [s.removeprefix("QR-Code:") for s in symbols if s.startswith("QR-Code:")]


def render(pdf: bytes, folder: Path, name: str, box: Box | None = None) -> Path:
    """Page 1 at 300 dpi, or only `box` of it (left, top, width, height in points from the top
    left of the page)."""
    src = folder / f"{name}.pdf"
    src.write_bytes(pdf)
    crop: list[str] = []
    if box is not None:
        crop = ["-x", "-y", "-W", "-H"]
        crop = [
            a
            for flag, value in zip(crop, box, strict=True)
            for a in (flag, str(round(value / 72 * DPI)))
        ]
    page = ["-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), *page, *crop, str(src), str(folder / name)],
        check=True,
    )
    return folder / f"{name}.png"


def text_runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, float, float]]:
    """(text, x, y from the top of the page, font size) of every text run on a page."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = abs(tm[3] * cm[3]) or 1.0
            runs.append(
                (
                    unicodedata.normalize("NFC", text.strip()),
                    cm[4] + tm[4] * cm[0],
                    A4[1] - (cm[5] + tm[5] * cm[3]),
                    size * scale,
                )
            )

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


Box = tuple[float, float, float, float]


def corner(frame_left: float, frame_top: float, side: float, spare: float = 1 * mm) -> Box:
    """The upper-left corner of a frame where a QR code `side` wide (its quiet zone included)
    stands, `spare` wider on each side: left, top, width, height in points from the page's top
    left."""
    return (frame_left - spare, frame_top - spare, side + 2 * spare, side + 2 * spare)


def expected_fields(form: Form, form_set: FormSet) -> dict[str, str]:
    fields = {
        qr.FILE_CODE: form.code,
        qr.PROCEDURE: PROCEDURE_CODE,
        qr.ID_NUMBER: ID_NUMBER,
        qr.PAPER: qr.paper_name(form_set[form.key].title),
        qr.NUMBER: form.number,
        qr.SYSTEM: SYSTEM,
        qr.ISSUED: "02/03/2026 09:21",
        qr.APPOINTMENT: form.appointment.strftime("%d/%m/%Y %H:%M") if form.appointment else "",
    }
    return {k: v for k, v in fields.items() if v}


def side_of(form: Form, data: AnyData, form_set: FormSet, *, half: bool = False) -> float:
    """The width of the form's QR code with its quiet zone, as the form draws it."""
    paper = getattr(data, "qr", None)
    assert isinstance(paper, PaperQr)
    flowable = qr.paper_qr(
        paper, code=form.code, title=form_set[form.key].title, number=form.number, half=half
    )
    assert flowable is not None
    return float(flowable.width)


def assert_header_clear(pdf: bytes, box: Box) -> None:
    """No text of the page starts inside the QR code's box (its quiet zone included) or runs
    into it from the left: the header and the form number stand beside it or below it."""
    left, top, width, height = box
    for text, x, y, size in text_runs(pdf):
        glyph_top = y - 0.8 * size
        below = glyph_top >= top + height
        right_of = x >= left + width
        assert below or right_of or y < top, (text, x, y)


# --- every form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.kind)
def test_every_form_carries_its_qr_code_in_the_upper_left_corner(
    form: Form, header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    data = form.data(header, QR_DATA)
    pdf = form.render(data, form_set)
    side = side_of(form, data, form_set)
    box = corner(MARGINS["left"], MARGINS["top"], side)
    found = qr_codes(zbar(render(pdf, tmp_path, "corner", box)))
    assert len(found) == 1, found
    assert qr.read_payload(found[0]) == expected_fields(form, form_set)
    # The corner holds the only QR code of the page, and the national header stands clear of it.
    whole = zbar(render(pdf, tmp_path, "page"))
    assert qr_codes(whole) == found
    assert_header_clear(pdf, corner(MARGINS["left"], MARGINS["top"], side, spare=0))
    runs = {text for text, *_ in text_runs(pdf)}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in runs
    if form.kind == "receipt":
        assert f"CODE-128:{CODE}" in whole  # the counter's scanner still reads the file code


def test_each_copy_of_a_half_sheet_receipt_has_its_qr_code_and_barcode(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    form = FORMS[0]
    job = RenderJob("receipt", _receipt(header, QR_DATA), form_set, "half_sheets")
    pdf = render_form(job)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    side = side_of(form, job.data, form_set, half=True)
    half = A4[1] / 2
    for copy, frame_top in (("upper", HALF_MARGINS["top"]), ("lower", half + HALF_MARGINS["top"])):
        box = corner(HALF_MARGINS["left"], frame_top, side)
        found = qr_codes(zbar(render(pdf, tmp_path, copy, box)))
        assert [qr.read_payload(p) for p in found] == [expected_fields(form, form_set)], copy
        assert_header_clear(pdf, corner(HALF_MARGINS["left"], frame_top, side, spare=0))
        # zbar reports two identical symbols in one image once: each half is scanned alone.
        symbols = zbar(
            render(pdf, tmp_path, f"{copy}_half", (0, frame_top - HALF_MARGINS["top"], A4[0], half))
        )
        assert f"CODE-128:{CODE}" in symbols and len(qr_codes(symbols)) == 1, copy


def test_with_a_look_up_address_the_qr_code_is_the_files_address_and_nothing_more(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    paper = replace(QR_DATA, lookup_url=LOOKUP)
    for form in (FORMS[0], FORMS[3]):  # the receipt and a numbered slip
        data = form.data(header, paper)
        pdf = form.render(data, form_set)
        box = corner(MARGINS["left"], MARGINS["top"], side_of(form, data, form_set))
        (found,) = qr_codes(zbar(render(pdf, tmp_path, form.kind, box)))
        assert found == f"{LOOKUP}?ma={CODE}"
        assert ID_NUMBER not in found
        assert qr.read_payload(found) == {qr.FILE_CODE: CODE}
    # The counter's slip names no file, so there is no address to give: its fields are printed.
    assert isinstance(FORMS[2].data(header, paper), CounterSupplementData)
    text = qr.payload(paper, code="", title="PHIẾU YÊU CẦU BỔ SUNG", number="7/HDHS")
    assert not text.startswith("http") and qr.FILE_CODE not in qr.read_payload(text)


def test_forms_without_qr_data_draw_no_qr_code(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    data = FORMS[3].data(header, QR_DATA)
    assert isinstance(data, RefusalData)
    bare = FORMS[3].render(replace(data, qr=None), form_set)
    assert qr_codes(zbar(render(bare, tmp_path, "bare"))) == []


# --- the payload --------------------------------------------------------------------------------


def test_the_payload_lists_the_fields_in_order_one_a_line() -> None:
    paper = replace(QR_DATA, appointment=DUE)
    text = qr.payload(paper, code=CODE, title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    assert text == (
        f"Mã hồ sơ: {CODE}\n"
        f"Mã TTHC: {PROCEDURE_CODE}\n"
        f"Số định danh: {ID_NUMBER}\n"
        "Tên giấy tờ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả\n"
        f"Hệ thống: {SYSTEM}\n"
        "Thời điểm cấp: 02/03/2026 09:21\n"
        "Hẹn trả kết quả: 09/03/2026 09:15"
    )
    assert qr.read_payload(text)[qr.ISSUED] == "02/03/2026 09:21"


def test_empty_fields_are_left_out_and_values_stay_on_one_line() -> None:
    paper = replace(QR_DATA, id_number="", system_name="Phần mềm Một cửa –\nSỞ  Y TẾ ")
    text = qr.payload(paper, code=CODE, title="Phiếu từ chối", number=" 3/TCHS ")
    fields = qr.read_payload(text)
    assert qr.ID_NUMBER not in fields and qr.APPOINTMENT not in fields
    assert fields[qr.SYSTEM] == "Phần mềm Một cửa – SỞ Y TẾ"
    assert fields[qr.NUMBER] == "3/TCHS"
    assert fields[qr.PAPER] == "Phiếu từ chối"  # a title in mixed case is kept as it is
    assert len(text.splitlines()) == len(fields)


@pytest.mark.parametrize(
    ("lookup_url", "expected"),
    [
        (LOOKUP, f"{LOOKUP}?ma={CODE}"),
        (f"{LOOKUP}?tinh=20", f"{LOOKUP}?tinh=20&ma={CODE}"),
        ("https://dvc.example.vn/ho-so/{ma}", f"https://dvc.example.vn/ho-so/{CODE}"),
    ],
)
def test_a_look_up_address_takes_the_file_code_alone(lookup_url: str, expected: str) -> None:
    paper = replace(QR_DATA, lookup_url=lookup_url, appointment=DUE)
    assert qr.payload(paper, code=CODE, title="GIẤY TIẾP NHẬN") == expected


def test_a_long_payload_grows_the_code_instead_of_shrinking_its_modules() -> None:
    short = qr.paper_qr(QR_DATA, code=CODE, title="GIẤY TIẾP NHẬN")
    long_name = "Phần mềm Một cửa – " + "ỦY BAN NHÂN DÂN XÃ HỮU LIÊN, HUYỆN HỮU LŨNG " * 4
    long = qr.paper_qr(replace(QR_DATA, system_name=long_name), code=CODE, title="GIẤY TIẾP NHẬN")
    assert short is not None and long is not None
    assert short.module >= qr.MIN_MODULE - 1e-9 and long.module >= qr.MIN_MODULE - 1e-9
    assert long.width > short.width


def test_the_qr_data_travels_to_the_render_process_as_plain_data(
    header: DeskHeader, form_set: FormSet
) -> None:
    for form in FORMS:
        data = form.data(header, QR_DATA)
        # What the render process receives (the stop notice through worker.in_process).
        again, sets = pickle.loads(pickle.dumps((data, form_set)))
        assert again == data
        assert form.render(again, sets) == form.render(data, form_set)
