"""The stop notice as drawn, and the form sets: the 2025 numbering, the 2018 set's stop notice
without a number, and a desk's own set file laid over the bundled one."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from desk_app.errors import ConfigurationError
from desk_app.printing import formset
from desk_app.printing.data import DeskHeader
from desk_app.printing.formset import FORMS, FormSet, load_form_set
from desk_app.printing.slips import BLANK_LINE
from desk_app.printing.stop_notice import StopNoticeData, render_stop_notice

from .conftest import pdf_pages, pdf_text, render_png

CODE = "000.00.20.H33-260302-0007"
REASON = "Tổ chức có văn bản đề nghị dừng giải quyết hồ sơ để bổ sung hồ sơ khác."
AGENCY = "Phòng Quản lý Văn hóa"


@pytest.fixture(autouse=True)
def no_desk_sets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The user's forms folder is an empty folder of the test (never the machine's own)."""
    folder = tmp_path / "forms"
    monkeypatch.setattr(formset, "user_forms_dir", lambda: folder)
    return folder


def notice(header: DeskHeader, **changes: object) -> StopNoticeData:
    values: dict[str, object] = {
        "header": header,
        "number": "3/DGHS",
        "issued": date(2026, 3, 10),
        "code": CODE,
        "applicant_name": "Đặng Thị Ánh",
        "procedure_name": "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "received": datetime(2026, 3, 2, 9, 15),
        "stopped": datetime(2026, 3, 10, 14, 30),
        "reason": REASON,
        "settling_agency": AGENCY,
    }
    values.update(changes)
    return StopNoticeData(**values)  # type: ignore[arg-type]


def test_the_notice_names_the_file_the_reason_and_the_grounds(
    header: DeskHeader, form_set: FormSet, tmp_path: Path
) -> None:
    pdf = render_stop_notice(notice(header), form_set)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Mẫu số 05",
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "UBND TỈNH LẠNG SƠN",
        "PHÒNG QUẢN LÝ VĂN HÓA",  # the agency that stops the file issues the notice
        "Số: 3/DGHS",
        "Lạng Sơn, ngày 10 tháng 3 năm 2026",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        f"{AGENCY} đã tiếp nhận hồ sơ của Ông/Bà vào lúc 09 giờ 15 phút, ngày 02 tháng 3 năm "
        f"2026, mã hồ sơ {CODE}, về việc: Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke.",
        f"{AGENCY} thông báo dừng giải quyết hồ sơ nêu trên kể từ 14 giờ 30 phút, ngày 10 "
        "tháng 3 năm 2026.",
        f"Lý do: {REASON}",
        f"Căn cứ pháp lý: {form_set['stop'].grounds}",
        "Bộ phận Một cửa (điện thoại 0205 3812 345)",
        "Nơi nhận: - Như trên; - Bộ phận Một cửa; - Lưu: VT.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    ):
        assert expected in text, expected
    assert "Nghị định số 118/2025/NĐ-CP" in form_set["stop"].grounds
    # Drawn as a page with its ink: the header and the title at the top, nothing past the bottom.
    [png] = render_png(pdf, tmp_path)
    with Image.open(png) as image:
        grey = image.convert("L")
        top = grey.crop((0, 0, grey.width, grey.height // 3))
        bottom = grey.crop((0, grey.height * 9 // 10, grey.width, grey.height))
        assert top.getextrema()[0] < 100  # black text in the upper third
        assert bottom.getextrema()[0] > 200  # the bottom margin is blank


def test_an_organisation_is_addressed_by_its_name(header: DeskHeader, form_set: FormSet) -> None:
    text = pdf_text(
        render_stop_notice(
            notice(header, applicant_name="Công ty TNHH Du lịch Xứ Lạng", organisation=True),
            form_set,
        )
    )
    assert "Kính gửi: Công ty TNHH Du lịch Xứ Lạng" in text
    assert "Ông/Bà" not in text and "hồ sơ của Quý đơn vị" in text


def test_the_2018_set_prints_the_notice_with_its_title_and_no_form_number(
    header: DeskHeader,
) -> None:
    """Circular 01/2018 had no stop notice: the title alone, and the grounds to write by hand."""
    set_2018 = load_form_set("2018")
    assert set_2018["stop"].number == "" and set_2018["stop"].legal_basis == ""
    text = pdf_text(render_stop_notice(notice(header), set_2018))
    assert "Mẫu số" not in text and "Ban hành kèm theo" not in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert f"Căn cứ pháp lý: {BLANK_LINE}" in text
    assert f"Lý do: {REASON}" in text


def test_the_2025_numbering_is_data_marked_to_verify() -> None:
    forms = load_form_set("2025")
    assert [(f, forms[f].number) for f in FORMS] == [
        ("receipt", "Mẫu số 01"),
        ("supplement", "Mẫu số 02"),
        ("refusal", "Mẫu số 03"),
        ("apology", "Mẫu số 04"),
        ("handover", "Mẫu số 06"),
        ("register", "Mẫu số 07"),
        ("stop", "Mẫu số 05"),
    ]
    assert forms["apology"].title == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert forms["stop"].title == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
    assert "Mẫu số 01–07" in forms.verify_note
    assert forms.source == ""


def test_the_2018_set_is_the_confirmed_one() -> None:
    forms = load_form_set("2018")
    numbered = [forms[f].number for f in FORMS if f != "stop"]
    assert numbered == [f"Mẫu số 0{n}" for n in range(1, 7)]
    assert forms["apology"].title == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert forms["handover"].title == "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
    assert forms.verify_note == ""
    assert all("01/2018/TT-VPCP" in forms[f].legal_basis for f in FORMS if f != "stop")


def test_a_desk_file_corrects_the_bundled_set_form_by_form(no_desk_sets: Path) -> None:
    no_desk_sets.mkdir()
    own = no_desk_sets / "2025.json"
    own.write_text(
        json.dumps(
            {
                "verify_note": "Đã đối chiếu ngày 01/10/2025.",
                "forms": {"stop": {"number": "Mẫu số 06"}, "handover": {"number": "Mẫu số 05"}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8-sig",  # Notepad's UTF-8 writes a byte-order mark
    )
    forms = load_form_set("2025")
    assert (forms["stop"].number, forms["handover"].number) == ("Mẫu số 06", "Mẫu số 05")
    assert forms["stop"].title == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"  # the rest is the bundled
    assert forms["receipt"].number == "Mẫu số 01"
    assert forms.verify_note == "Đã đối chiếu ngày 01/10/2025."
    assert forms.source == str(own)
    assert load_form_set("2018")["handover"].number == "Mẫu số 05"  # only the set it names


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "không đúng định dạng JSON (dòng 1"),
        ('{"forms": {"stopp": {"number": "5"}}}', "không có mẫu “stopp”"),
        ('{"forms": {"stop": {"numero": "5"}}}', "không có mục “numero”"),
        ('{"forms": {"stop": "Mẫu số 05"}}', "phải là một đối tượng JSON"),
        ('{"forms": []}', "phải có mục “forms”"),
    ],
)
def test_a_mistyped_desk_file_is_named_not_ignored(
    no_desk_sets: Path, content: str, message: str
) -> None:
    no_desk_sets.mkdir()
    (no_desk_sets / "2025.json").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_form_set("2025")
    assert message in caught.value.message
    assert str(no_desk_sets / "2025.json") in caught.value.message


def test_the_desk_folder_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real function, not the test's folder
    from desk_app.store.engine import default_data_dir

    assert formset.user_forms_dir() == default_data_dir() / "forms"
