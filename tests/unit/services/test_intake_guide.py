"""The supplement request given at the counter instead of accepting a file."""

from __future__ import annotations

import io
import json
import os
import unicodedata
from collections.abc import Callable
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.errors import FieldsError
from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.services.intake_guide import issue_intake_supplement
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

os.environ.setdefault("DESK_FORM_FONT", "bundled")
NOW = datetime(2026, 3, 2, 10, 5, 33)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    raw = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _data(name: str = "Đặng Thị Ánh", procedure: str = "1.001029") -> intake.IntakeInput:
    return intake.IntakeInput(procedure=procedure, applicant=intake.ApplicantInput(name=name))


def test_the_slip_lists_the_missing_papers_and_the_reason(
    db: Database, officer: Actor, count_rows: Callable[[str], int]
) -> None:
    with db.writer.begin() as s:
        slip = issue_intake_supplement(
            s,
            _data(),
            "Thiếu giấy chứng nhận an ninh trật tự",
            ["Giấy chứng nhận đủ điều kiện về an ninh, trật tự", "  ", "Đơn đề nghị có chữ ký"],
            officer,
            now=NOW,
        )
    assert slip.number == "1/HDHS"
    assert slip.items == (
        "Giấy chứng nhận đủ điều kiện về an ninh, trật tự",
        "Đơn đề nghị có chữ ký",
    )
    text = text_of(slip.pdf)
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "1/HDHS",
        "Kính gửi: Ông/Bà Đặng Thị Ánh",
        "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "chưa được tiếp nhận",
        "Giấy chứng nhận đủ điều kiện về an ninh, trật tự",
        "Đơn đề nghị có chữ ký",
        "Lý do: Thiếu giấy chứng nhận an ninh trật tự",
        "NGƯỜI HƯỚNG DẪN",
        "Nguyễn Thị Lan",
    ):
        assert expected in text, expected
    # Nothing is accepted: no file, no applicant; the slip is in the audit log.
    assert count_rows("files") == 0
    assert count_rows("applicants") == 0
    with db.reader.begin() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "intake_supplement")).one()
        assert (entry.entity_id, entry.user_id, entry.at) == (
            "1/HDHS",
            officer.user_id,
            NOW.replace(second=0),
        )
        assert json.loads(entry.detail or "{}")["items"] == list(slip.items)


def test_slips_share_the_yearly_supplement_counter(db: Database, officer: Actor) -> None:
    with db.writer.begin() as s:
        first = issue_intake_supplement(s, _data(), "Thiếu đơn", [], officer, now=NOW)
        second = issue_intake_supplement(s, _data("Lý Văn Nam"), "Thiếu đơn", [], officer, now=NOW)
    assert (first.number, second.number) == ("1/HDHS", "2/HDHS")
    # Without a list the reason is the one item to complete.
    assert first.items == ("Thiếu đơn",)


def test_missing_reason_name_or_procedure_are_field_errors(db: Database, officer: Actor) -> None:
    with db.writer.begin() as s, pytest.raises(FieldsError) as caught:
        issue_intake_supplement(s, _data(name=" ", procedure="nope"), "  ", [], officer, now=NOW)
    assert set(caught.value.errors) == {"procedure", "applicant_name", "reason"}
