"""The QR data of a file's papers: built from the file, issued at the first print, reprinted
identically (tests/unit/printing/test_qr.py reads the drawn codes back)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from desk_app.printing.data import PaperQr
from desk_app.printing.formset import load_form_set
from desk_app.printing.worker import RenderJob, render_form
from desk_app.services import amend, desk, lifecycle, printing
from desk_app.services.context import Actor, get_settings
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.store.engine import Database

os.environ.setdefault("DESK_FORM_FONT", "bundled")
Accept = Callable[..., FileView]
RECEIVED = datetime(2026, 3, 2, 9, 15)
FIRST_PRINT = datetime(2026, 3, 2, 9, 21, 37)
LOOKUP = "https://dichvucong.langson.gov.vn/tra-cuu"


def test_the_receipt_is_issued_at_its_first_print_and_rebuilds_to_the_archived_bytes(
    db: Database, officer: Actor, accept: Accept
) -> None:
    view = accept(received=RECEIVED, id_number="020190001234")
    with db.writer.begin() as s:
        first = printing.print_slip(s, view.code, SlipKind.RECEIPT, officer, now=FIRST_PRINT)
    with db.writer.begin() as s:
        later = FIRST_PRINT + timedelta(days=3)
        again = printing.print_slip(s, view.code, SlipKind.RECEIPT, officer, now=later)
    with db.reader.begin() as s:
        data = printing.receipt_data(s, view.code)  # the moment of issue comes from the archive
        settings = get_settings(s, 1)
    assert again.pdf == first.pdf
    assert data.qr == PaperQr(
        procedure_code=view.procedure_code,
        id_number="020190001234",
        system_name=f"Phần mềm Một cửa – {settings.agency_name}",
        issued_at=FIRST_PRINT,
        appointment=view.due,
    )
    form_set = load_form_set(settings.form_set)
    job = RenderJob("receipt", data, form_set, settings.receipt_layout)
    assert render_form(job) == first.pdf
    # The moment is in the print: another one draws another QR code.
    assert data.qr is not None
    moved = replace(data, qr=replace(data.qr, issued_at=FIRST_PRINT + timedelta(minutes=1)))
    assert render_form(replace(job, data=moved)) != first.pdf


def test_each_slip_is_issued_at_its_own_first_print(
    db: Database, officer: Actor, supervisor: Actor, accept: Accept
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Hồ sơ chưa đủ thành phần", officer, now=datetime(2026, 3, 2, 10)
        )
        lifecycle.receive_supplement(s, MoveInput(code), officer, now=datetime(2026, 3, 3, 9, 0))
        amend.reschedule(
            s,
            code,
            datetime(2026, 3, 13, 17, 0),
            "Chờ ý kiến",
            supervisor,
            now=datetime(2026, 3, 4),
        )
    printed = {
        SlipKind.SUPPLEMENT: datetime(2026, 3, 2, 10, 5),
        SlipKind.APOLOGY: datetime(2026, 3, 4, 10, 30),
    }
    for kind, at in printed.items():
        with db.writer.begin() as s:
            printing.print_slip(s, code, kind, supervisor, now=at)
    with db.reader.begin() as s:
        supplement = printing.supplement_data(s, code, "1/HDHS")
        apology = printing.apology_data(s, code)
        handover = printing.handover_data(s, code, issued_at=datetime(2026, 3, 5, 8, 0))
    assert supplement.qr is not None and apology.qr is not None and handover.qr is not None
    assert supplement.qr.issued_at == printed[SlipKind.SUPPLEMENT]
    assert apology.qr.issued_at == printed[SlipKind.APOLOGY]
    assert apology.qr.appointment == datetime(2026, 3, 13, 17, 0)  # the new appointment
    assert supplement.qr.appointment is None
    # The control sheet is not archived: it is issued whenever it is printed.
    assert handover.qr.issued_at == datetime(2026, 3, 5, 8, 0)


def test_a_desk_with_a_look_up_address_gives_it_to_every_paper(
    db: Database, officer: Actor, admin: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(lookup_url=LOOKUP), admin)
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(code), "Hồ sơ chưa đủ thành phần", officer, now=datetime(2026, 3, 2, 10)
        )
    with db.reader.begin() as s:
        papers = [
            printing.receipt_data(s, code, issued_at=FIRST_PRINT).qr,
            printing.supplement_data(s, code, issued_at=FIRST_PRINT).qr,
            printing.handover_data(s, code, issued_at=FIRST_PRINT).qr,
        ]
    assert [p.lookup_url if p else None for p in papers] == [LOOKUP] * 3


def test_the_stop_notice_is_issued_at_its_first_print(
    db: Database, officer: Actor, accept: Accept
) -> None:
    from desk_app.services import stop_notice

    code = accept(received=RECEIVED, id_number="020190001234").code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(code), officer, now=datetime(2026, 3, 2, 10, 0))
        lifecycle.stop(
            s, MoveInput(code), "Người nộp đề nghị dừng", officer, now=datetime(2026, 3, 5)
        )
    at = datetime(2026, 3, 5, 15, 7)
    with db.writer.begin() as s:
        notice = printing.print_slip(s, code, SlipKind.STOP, officer, now=at)
    with db.reader.begin() as s:
        data = stop_notice.stop_notice_data(s, code, str(notice.number))
    assert data.qr is not None
    assert (data.qr.issued_at, data.qr.id_number, data.qr.appointment) == (at, "020190001234", None)
