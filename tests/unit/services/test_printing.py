"""Printing a file's forms through the services: archive, identical reprints, slip numbers."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.errors import NotFoundError, ValidationError
from desk_app.services import amend, desk, intake, lifecycle, printing
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

os.environ.setdefault("DESK_FORM_FONT", "bundled")
Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    raw = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _print(
    db: Database, code: str, kind: SlipKind, actor: Actor, **kw: object
) -> printing.PrintedDocument:
    with db.writer.begin() as s:
        return printing.print_slip(s, code, kind, actor, now=datetime(2026, 3, 2, 10, 0), **kw)  # type: ignore[arg-type]


def test_the_first_receipt_is_stored_and_a_reprint_is_identical(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED, id_number="020190001234").code
    first = _print(db, code, SlipKind.RECEIPT, officer)
    again = _print(db, code, SlipKind.RECEIPT, officer)
    assert (first.reprint, again.reprint) == (False, True)
    assert again.pdf == first.pdf
    assert first.sha256 == hashlib.sha256(first.pdf).hexdigest() == again.sha256
    text = text_of(first.pdf)
    for expected in (
        code,
        "Đặng Thị Ánh",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "09 giờ 15 phút, ngày 02 tháng 3 năm 2026",
        "09 giờ 15 phút, ngày 09 tháng 3 năm 2026",
        "Nguyễn Thị Lan",
        "Liên 1: Lưu",
        "Liên 2: Giao người nộp",
    ):
        assert expected in text, expected
    with db.reader.begin() as s:
        slips = printing.list_slips(s, code)
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == code)))
    assert [(x.kind, x.number) for x in slips] == [("receipt", None)]
    assert actions.count("print") == 1 and actions.count("reprint") == 1


def test_a_desk_that_wants_it_gets_the_reprint_mark_on_reprints_only(
    db: Database, officer: Actor, admin: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    first = _print(db, code, SlipKind.RECEIPT, officer)
    assert "Bản in lại" not in text_of(first.pdf)
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(reprint_mark=True), admin)
    again = _print(db, code, SlipKind.RECEIPT, officer)
    text = text_of(again.pdf)
    assert "Bản in lại" in text
    assert code in text and "Đặng Thị Ánh" in text
    assert again.sha256 == first.sha256  # the archive still holds the first print


def test_half_sheet_receipts_follow_the_desk_setting(
    db: Database, officer: Actor, admin: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(receipt_layout="half_sheets"), admin)
    code = accept(received=RECEIVED).code
    pdf = _print(db, code, SlipKind.RECEIPT, officer).pdf
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_supplement_slips_are_numbered_per_year_and_reprinted_by_number(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s,
            MoveInput(code),
            "Hồ sơ chưa đủ thành phần",
            officer,
            missing=("Bản sao chứng thực Giấy chứng nhận đăng ký doanh nghiệp",),
            now=datetime(2026, 3, 2, 10, 0),
        )
        lifecycle.receive_supplement(s, MoveInput(code), officer, now=datetime(2026, 3, 3, 9, 0))
        lifecycle.request_supplement(
            s,
            MoveInput(code),
            "Ảnh không đúng quy cách",
            officer,
            now=datetime(2026, 3, 3, 10, 0),
        )
    latest = _print(db, code, SlipKind.SUPPLEMENT, officer)
    assert latest.number == "2/HDHS"
    assert "Ảnh không đúng quy cách" in text_of(latest.pdf)
    first = _print(db, code, SlipKind.SUPPLEMENT, officer, number="1/HDHS")
    text = text_of(first.pdf)
    assert first.number == "1/HDHS" and "Số: 1/HDHS" in text
    assert "Bản sao chứng thực Giấy chứng nhận đăng ký doanh nghiệp" in text
    assert _print(db, code, SlipKind.SUPPLEMENT, officer, number="1/HDHS").pdf == first.pdf
    with pytest.raises(NotFoundError):
        _print(db, code, SlipKind.SUPPLEMENT, officer, number="9/HDHS")


def test_refusal_slip_and_no_receipt_for_a_refused_file(db: Database, officer: Actor) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Lò Văn Páo"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        code = intake.refuse_file(
            s, data, "Không thuộc thẩm quyền giải quyết của Sở", officer, now=RECEIVED
        ).code
    slip = _print(db, code, SlipKind.REFUSAL, officer)
    text = text_of(slip.pdf)
    assert slip.number == "1/TCHS"
    assert "Không thuộc thẩm quyền giải quyết của Sở" in text and "Lò Văn Páo" in text
    with pytest.raises(ValidationError):
        _print(db, code, SlipKind.RECEIPT, officer)


def test_apology_letter_after_a_reschedule(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(NotFoundError):
        _print(db, code, SlipKind.APOLOGY, supervisor)
    with db.writer.begin() as s:
        amend.reschedule(
            s,
            code,
            datetime(2026, 3, 13, 17, 0),
            "Chờ ý kiến của Công an tỉnh",
            supervisor,
            now=datetime(2026, 3, 4, 10, 0),
        )
    letter = _print(db, code, SlipKind.APOLOGY, supervisor)
    text = text_of(letter.pdf)
    assert letter.number == "1/XLHS"
    assert "Chờ ý kiến của Công an tỉnh" in text
    assert "17 giờ 00 phút, ngày 13 tháng 3 năm 2026" in text
    assert "09 giờ 15 phút, ngày 09 tháng 3 năm 2026" in text  # the appointment it replaces


def test_handover_control_and_register(db: Database, officer: Actor, accept: Accept) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0))
        lifecycle.record_result(s, MoveInput(code), officer, now=datetime(2026, 3, 6, 15, 0))
        lifecycle.return_result(
            s, MoveInput(code), officer, receiver="Đặng Thị Ánh", now=datetime(2026, 3, 9, 8, 0)
        )
        data = printing.handover_data(s, code)
        agency, rows = data.settling_agency, data.rows
        handover = printing.print_handover(s, code)
        register = printing.print_register(s, date(2026, 3, 1), date(2026, 3, 31))
        empty = printing.print_register(s, date(2026, 4, 1), date(2026, 4, 30))
    text = text_of(handover)
    assert code in text and agency in text
    assert "Trước hạn" in text
    assert [(r.giver, r.receiver, r.at, r.outcome) for r in rows] == [
        ("BỘ PHẬN MỘT CỬA", agency, datetime(2026, 3, 2, 10, 0), "Trước hạn"),
        (agency, "BỘ PHẬN MỘT CỬA", datetime(2026, 3, 6, 15, 0), "Trước hạn"),
        (
            "BỘ PHẬN MỘT CỬA",
            "Người nộp hồ sơ (nhận kết quả)",
            datetime(2026, 3, 9, 8, 0),
            "Đúng hạn",  # the due date itself, before the due moment: on time
        ),
    ]
    reg = text_of(register)
    # The register breaks a code after its agency part to keep the column narrow.
    agency_part, day_part = code.split("-", 1)
    assert f"{agency_part}- {day_part}" in reg
    assert "Đặng Thị Ánh" in reg and "Trang 1/1" in reg
    assert code not in text_of(empty)


COMPANY = "Công ty TNHH Du lịch Xứ Lạng"


def test_papers_to_an_organisation_name_it_without_ong_ba(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    """An applicant with a tax code is a body: 'Kính gửi: <tên tổ chức>', then 'Quý đơn vị'."""
    company = accept(received=RECEIVED, name=COMPANY, id_number="4900123456").code
    person = accept(received=RECEIVED, id_number="020185001234").code
    at = datetime(2026, 3, 4, 10, 0)
    with db.writer.begin() as s:
        for code in (company, person):
            amend.reschedule(
                s, code, datetime(2026, 3, 13, 17, 0), "Chờ ý kiến", supervisor, now=at
            )
    letter = text_of(_print(db, company, SlipKind.APOLOGY, supervisor).pdf)
    assert f"Kính gửi: {COMPANY}" in letter
    assert "Ông/Bà" not in letter
    assert "tiếp nhận hồ sơ của Quý đơn vị" in letter
    assert "xin lỗi Quý đơn vị" in letter
    # A person is still 'Ông/Bà'.
    assert "Kính gửi: Ông/Bà Đặng Thị Ánh" in text_of(
        _print(db, person, SlipKind.APOLOGY, supervisor).pdf
    )

    supplement_for = accept(received=RECEIVED, name=COMPANY, id_number="4900123456-001").code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(supplement_for), "Thiếu giấy", officer, now=datetime(2026, 3, 2, 10, 0)
        )
    slip = text_of(_print(db, supplement_for, SlipKind.SUPPLEMENT, officer).pdf)
    assert f"Kính gửi: {COMPANY}" in slip and "Ông/Bà" not in slip
    assert "Yêu cầu Quý đơn vị hoàn thiện hồ sơ" in slip

    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name=COMPANY, id_number="4900123456"),
        received_at=RECEIVED,
    )
    with db.writer.begin() as s:
        refused = intake.refuse_file(s, data, "Không thuộc thẩm quyền", officer, now=RECEIVED)
    refusal = text_of(_print(db, refused.code, SlipKind.REFUSAL, officer).pdf)
    assert f"Kính gửi: {COMPANY}" in refusal and "Ông/Bà" not in refusal
    assert "Xin thông báo để Quý đơn vị được biết" in refusal
