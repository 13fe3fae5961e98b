"""The stop notice through the services (numbered at its first print, archived, reprinted
identically), and every printed form's title and number taken from the form set in use."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.errors import NotFoundError
from desk_app.printing import formset
from desk_app.services import amend, intake, intake_guide, lifecycle, printing
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)
STOPPED = datetime(2026, 3, 5, 14, 0)
REASON = "Cơ sở kinh doanh không đủ điều kiện về phòng cháy, chữa cháy theo kết quả thẩm định."


@pytest.fixture(autouse=True)
def desk_forms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The user's forms folder: a folder of the test (empty unless a test writes a set)."""
    folder = tmp_path / "forms"
    monkeypatch.setattr(formset, "user_forms_dir", lambda: folder)
    return folder


def text_of(pdf: bytes) -> str:
    raw = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _stopped(db: Database, officer: Actor, accept: Accept, name: str = "Đặng Thị Ánh") -> str:
    code = accept(received=RECEIVED, name=name).code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0))
        lifecycle.stop(s, MoveInput(code), REASON, officer, now=STOPPED)
    return code


def _print(
    db: Database, code: str, kind: SlipKind, actor: Actor, **kw: object
) -> printing.PrintedDocument:
    with db.writer.begin() as s:
        return printing.print_slip(s, code, kind, actor, now=datetime(2026, 3, 5, 15, 0), **kw)  # type: ignore[arg-type]


def test_the_stop_notice_is_numbered_archived_and_reprinted_identically(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = _stopped(db, officer, accept)
    first = _print(db, code, SlipKind.STOP, officer)
    again = _print(db, code, SlipKind.STOP, officer)
    assert (first.number, first.reprint, again.reprint) == ("1/DGHS", False, True)
    assert again.pdf == first.pdf and again.number == "1/DGHS"
    text = text_of(first.pdf)
    for expected in (
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Số: 1/DGHS",
        f"mã hồ sơ {code}",
        f"Lý do: {REASON}",
        "Căn cứ pháp lý: Nghị định số 118/2025/NĐ-CP",
        "kể từ 14 giờ 00 phút, ngày 05 tháng 3 năm 2026",
        "Lạng Sơn, ngày 05 tháng 3 năm 2026",
    ):
        assert expected in text, expected
    other = _stopped(db, officer, accept, name="Lò Văn Páo")
    assert _print(db, other, SlipKind.STOP, officer).number == "2/DGHS"
    with db.reader.begin() as s:
        slips = printing.list_slips(s, code)
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == code)))
    assert [(x.kind, x.label, x.number) for x in slips] == [
        ("stop", "Thông báo dừng giải quyết hồ sơ", "1/DGHS")
    ]
    assert actions.count("print") == 1 and actions.count("reprint") == 1


def test_no_notice_for_a_file_that_was_not_stopped(
    db: Database, officer: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with pytest.raises(NotFoundError, match="chưa dừng giải quyết"):
        _print(db, code, SlipKind.STOP, officer)
    stopped = _stopped(db, officer, accept, name="Lò Văn Páo")
    with pytest.raises(NotFoundError, match="9/DGHS"):
        _print(db, stopped, SlipKind.STOP, officer, number="9/DGHS")
    with db.reader.begin() as s:
        assert printing.list_slips(s, code) == [] and printing.list_slips(s, stopped) == []


def test_every_printed_form_takes_its_title_and_number_from_the_set(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept, desk_forms: Path
) -> None:
    """A desk's set file renames every form: each form printed carries its new title and number,
    and none the bundled title."""
    bundled = formset.load_form_set("2025")
    desk_forms.mkdir()
    own = {
        f: {"number": f"Mẫu số T{n}", "title": f"TIÊU ĐỀ THỬ SỐ {n}"}
        for n, f in enumerate(formset.FORMS, 1)
    }
    (desk_forms / "2025.json").write_text(json.dumps({"forms": own}, ensure_ascii=False), "utf-8")

    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu bản vẽ", officer, now=datetime(2026, 3, 2, 10, 0)
        )
        lifecycle.receive_supplement(s, MoveInput(code), officer, now=datetime(2026, 3, 3, 9, 0))
        amend.reschedule(
            s,
            code,
            datetime(2026, 3, 13, 17, 0),
            "Chờ ý kiến",
            supervisor,
            now=datetime(2026, 3, 4, 9, 0),
        )
    with db.writer.begin() as s:
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name="Lò Văn Páo"),
            received_at=RECEIVED,
        )
        refused = intake.refuse_file(s, data, "Không thuộc thẩm quyền", officer, now=RECEIVED).code
        guide = intake_guide.issue_intake_supplement(
            s, data, "Thiếu đơn", ["Đơn đề nghị"], officer, now=RECEIVED
        )
    stopped = _stopped(db, officer, accept, name="Hoàng Văn Bình")
    printed = {
        "receipt": _print(db, code, SlipKind.RECEIPT, officer).pdf,
        "supplement": _print(db, code, SlipKind.SUPPLEMENT, officer).pdf,
        "refusal": _print(db, refused, SlipKind.REFUSAL, officer).pdf,
        "apology": _print(db, code, SlipKind.APOLOGY, supervisor).pdf,
        "stop": _print(db, stopped, SlipKind.STOP, officer).pdf,
    }
    with db.reader.begin() as s:
        printed["handover"] = printing.print_handover(s, code)
        printed["register"] = printing.print_register(s, date(2026, 3, 1), date(2026, 3, 31))
    assert sorted(printed) == sorted(formset.FORMS)
    for form, pdf in printed.items():
        text = text_of(pdf)
        assert own[form]["title"] in text, form
        assert own[form]["number"] in text, form
        assert bundled[form].title not in text, form
    guide_text = text_of(guide.pdf)  # the supplement request given at the counter
    assert own["supplement"]["title"] in guide_text and own["supplement"]["number"] in guide_text
