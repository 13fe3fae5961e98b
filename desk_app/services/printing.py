"""Printed forms of a file: build the form data, archive what was issued, reprint identically.

The first print of a receipt (and of each numbered slip) is stored byte for byte with its hash;
a reprint returns those bytes, so the applicant's copy and the desk's copy can never differ.
The handover control sheet and the register are drawn fresh from the timeline each time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import people
from desk_app.domain.due import Outcome, settlement_outcome
from desk_app.domain.workflow import Action, Status
from desk_app.errors import NotFoundError, ValidationError
from desk_app.printing import stamp, worker
from desk_app.printing.data import (
    ApologyData,
    DeskHeader,
    DocumentRow,
    HandoverData,
    HandoverRow,
    PaperQr,
    ReceiptData,
    RefusalData,
    RegisterData,
    RegisterRow,
    SupplementData,
)
from desk_app.printing.formset import load_form_set
from desk_app.printing.stamp import REPRINT_WORDS
from desk_app.printing.wording import duration_words
from desk_app.printing.worker import RenderJob
from desk_app.printing.worker import render as render_job
from desk_app.services import lookup_keys
from desk_app.services.context import SOLO_AGENCY, Actor, audit, get_settings
from desk_app.services.records import file_view, get_file
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileView, SettingsView
from desk_app.store.models import PrintedSlip
from desk_app.store.types import moment_text


class SlipKind(StrEnum):
    """Documents issued for a file and kept as issued."""

    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP = "stop"

    @property
    def label(self) -> str:
        return {
            SlipKind.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            SlipKind.SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            SlipKind.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            SlipKind.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            SlipKind.STOP: "Thông báo dừng giải quyết hồ sơ",
        }[self]


# The same names in English, for the command line run with `--lang en`.
SLIP_LABELS_EN: dict[SlipKind, str] = {
    SlipKind.RECEIPT: "Receipt and result appointment",
    SlipKind.SUPPLEMENT: "Request to supplement the file",
    SlipKind.REFUSAL: "Refusal of the file",
    SlipKind.APOLOGY: "Apology and new result date",
    SlipKind.STOP: "Notice that processing stopped",
}


@dataclass(frozen=True)
class PrintedDocument:
    """A form ready to show or print; `reprint` says whether it came from the archive."""

    kind: str
    file_code: str | None
    number: str | None
    created_at: datetime
    sha256: str
    pdf: bytes
    reprint: bool


@dataclass(frozen=True)
class SlipInfo:
    """An archived document of a file, for the window's list of printed slips."""

    id: int
    kind: str
    label: str
    number: str | None
    created_at: datetime
    sha256: str


# The issuing system the QR code of every paper names (Circular 01/2023/TT-VPCP Art. 26): this
# program, and the agency whose desk runs it.
SYSTEM_NAME = "Phần mềm Một cửa"


def issuing_system(settings: SettingsView) -> str:
    """'Phần mềm Một cửa – SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH' (the agency as the desk writes it)."""
    agency = " ".join((settings.agency_name or settings.unit_name).split())
    return f"{SYSTEM_NAME} – {agency}" if agency else SYSTEM_NAME


def qr_data(
    settings: SettingsView,
    view: FileView,
    issued_at: datetime,
    appointment: datetime | None = None,
) -> PaperQr:
    """What the QR code of a paper of file `view` carries besides its code, title and number."""
    return PaperQr(
        procedure_code=view.procedure_code,
        id_number=view.id_number or "",
        system_name=issuing_system(settings),
        issued_at=issued_at,
        appointment=appointment,
        lookup_url=settings.lookup_url,
    )


def issue_moment(
    session: Session, file_id: int, kind: SlipKind, number: str | None, given: datetime | None
) -> datetime:
    """When a paper was issued: `given` (its first print, now), else the archived first print's
    moment, else now (a paper drawn but not yet issued)."""
    if given is not None:
        return given
    stored = _stored(session, file_id, kind, number)
    return stored.created_at if stored is not None else clock.now()


def desk_header(settings: SettingsView) -> DeskHeader:
    return DeskHeader(
        governing_body=settings.governing_body,
        agency_name=settings.agency_name,
        unit_name=settings.unit_name,
        place_name=settings.place_name,
        phone=settings.phone,
    )


def scope_agency(scope: Scope) -> int:
    """The agency whose identity heads a list of `scope`'s files: the one agency it covers; for
    several, the solo desk's row (agency 1) when covered, else the first of them."""
    if not scope.agencies or SOLO_AGENCY in scope.agencies:
        return SOLO_AGENCY
    return min(scope.agencies)


def _view(session: Session, code: str) -> tuple[FileView, SettingsView]:
    """A file and its own agency's settings: every form of a file is headed with its agency."""
    record = get_file(session, code)
    return file_view(session, record), get_settings(session, record.agency)


def receipt_data(session: Session, code: str, *, issued_at: datetime | None = None) -> ReceiptData:
    """The receipt of file `code`; `issued_at` is the moment of issue its QR code carries (by
    default the archived first print's, see `issue_moment`)."""
    view, settings = _view(session, code)
    if view.status == Status.REFUSED:
        raise ValidationError(
            f"Hồ sơ {view.code} bị từ chối tiếp nhận: in phiếu từ chối, không in giấy tiếp nhận.",
            field="code",
        )
    return ReceiptData(
        header=desk_header(settings),
        code=view.code,
        issued=view.received.date(),
        applicant_name=view.applicant_name,
        address=view.address or "",
        phone=view.phone or "",
        email=view.email or "",
        procedure_name=view.procedure_name,
        documents=tuple(DocumentRow(d.name, d.copy_type, d.count) for d in view.documents),
        sets_count=view.sets_count,
        duration_text=duration_words(view.duration, view.unit),
        received=view.received,
        due=view.due,
        result_by_post=view.result_by == "post",
        delivery_address=view.delivery_address or view.address or "",
        register_book=view.register_book,
        register_seq=view.register_seq,
        officer_name=view.officer or "",
        submitter_name=view.submitter_name or "",
        qr=replace(
            qr_data(
                settings,
                view,
                issue_moment(session, view.id, SlipKind.RECEIPT, None, issued_at),
                view.due,
            ),
            # The look-up key goes with a look-up address only (issue 16).
            lookup_key=(
                lookup_keys.file_key(session, settings.agency, view.code)
                if settings.lookup_url.strip()
                else ""
            ),
        ),
    )


def _event_data(view: FileView, action: str, number: str | None) -> tuple[int, dict[str, object]]:
    """The (index, data) of the event that issued slip `number` (the latest when None)."""
    found = [
        (i, e.data or {})
        for i, e in enumerate(view.events)
        if e.action == action and (number is None or (e.data or {}).get("slip_number") == number)
    ]
    if not found:
        raise NotFoundError(
            f"Hồ sơ {view.code} không có phiếu này" + (f" số {number}." if number else "."),
            field="number",
        )
    return found[-1]


def supplement_data(
    session: Session, code: str, number: str | None = None, *, issued_at: datetime | None = None
) -> SupplementData:
    view, settings = _view(session, code)
    index, data = _event_data(view, str(Action.REQUEST_SUPPLEMENT), number)
    event = view.events[index]
    missing = data.get("missing")
    reason = str(data.get("reason") or event.note or "")
    items = tuple(str(m) for m in missing) if isinstance(missing, list) and missing else (reason,)
    slip_number = str(data.get("slip_number", ""))
    moment = issue_moment(session, view.id, SlipKind.SUPPLEMENT, slip_number, issued_at)
    return SupplementData(
        header=desk_header(settings),
        number=slip_number,
        issued=event.at.date(),
        code=view.code,
        applicant_name=view.applicant_name,
        procedure_name=view.procedure_name,
        received=view.received,
        items=items,
        reason=reason,
        officer_name=event.officer or "",
        officer_phone=settings.phone,
        organisation=people.is_organisation(view.id_kind),
        qr=qr_data(settings, view, moment),
    )


def refusal_data(session: Session, code: str, *, issued_at: datetime | None = None) -> RefusalData:
    view, settings = _view(session, code)
    index, data = _event_data(view, str(Action.REFUSE), None)
    event = view.events[index]
    slip_number = str(data.get("slip_number", ""))
    moment = issue_moment(session, view.id, SlipKind.REFUSAL, slip_number, issued_at)
    return RefusalData(
        header=desk_header(settings),
        number=slip_number,
        issued=event.at.date(),
        code=view.code,
        applicant_name=view.applicant_name,
        procedure_name=view.procedure_name,
        reason=event.note or "",
        officer_name=event.officer or view.officer or "",
        organisation=people.is_organisation(view.id_kind),
        qr=qr_data(settings, view, moment),
    )


def apology_data(
    session: Session, code: str, number: str | None = None, *, issued_at: datetime | None = None
) -> ApologyData:
    view, settings = _view(session, code)
    chosen = [r for r in view.reschedules if number is None or r.slip_number == number]
    if not chosen:
        raise NotFoundError(
            f"Hồ sơ {view.code} chưa có phiếu xin lỗi" + (f" số {number}." if number else "."),
            field="number",
        )
    r = chosen[-1]
    moment = issue_moment(session, view.id, SlipKind.APOLOGY, r.slip_number or "", issued_at)
    return ApologyData(
        header=desk_header(settings),
        number=r.slip_number or "",
        issued=r.at.date(),
        code=view.code,
        applicant_name=view.applicant_name,
        procedure_name=view.procedure_name,
        received=view.received,
        original_due=r.old_due,
        reason=r.reason,
        new_due=r.new_due,
        agency_at_fault=view.settling_agency,
        organisation=people.is_organisation(view.id_kind),
        qr=qr_data(settings, view, moment, r.new_due),
    )


# Handovers: (action) -> (giver, receiver) in words, with the desk and the agency filled in.
_HANDOVERS: dict[str, tuple[str, str]] = {
    str(Action.FORWARD): ("{desk}", "{agency}"),
    str(Action.REQUEST_SUPPLEMENT): ("{agency}", "Người nộp hồ sơ (yêu cầu bổ sung)"),
    str(Action.RECEIVE_SUPPLEMENT): ("Người nộp hồ sơ (hồ sơ bổ sung)", "{desk}"),
    str(Action.REQUEST_FINANCIAL): ("{agency}", "Người nộp hồ sơ (nghĩa vụ tài chính)"),
    str(Action.FINANCIAL_DONE): ("Người nộp hồ sơ (đã nộp)", "{desk}"),
    str(Action.RECORD_RESULT): ("{agency}", "{desk}"),
    str(Action.RETURN_RESULT): ("{desk}", "Người nộp hồ sơ (nhận kết quả)"),
    str(Action.POSTAL_HANDOVER): ("{desk}", "Bưu chính công ích"),
    str(Action.STOP): ("{agency}", "{desk} (dừng xử lý)"),
}


def handover_data(
    session: Session, code: str, *, issued_at: datetime | None = None
) -> HandoverData:
    """The control sheet, drawn fresh from the timeline: issued when printed (`issued_at`, by
    default now)."""
    view, settings = _view(session, code)
    desk = settings.unit_name or "Bộ phận Một cửa"
    rows = []
    for e in view.events:
        pair = _HANDOVERS.get(e.action)
        if pair is None:
            continue
        giver, receiver = (p.format(desk=desk, agency=view.settling_agency) for p in pair)
        outcome = ""
        if view.original_due is not None:
            outcome = settlement_outcome(view.original_due, e.at).label
        elif e.action == str(Action.RECORD_RESULT):
            outcome = Outcome.ON_TIME.label
        rows.append(HandoverRow(giver, receiver, e.at, outcome, e.note or ""))
    return HandoverData(
        header=desk_header(settings),
        code=view.code,
        issued=view.received.date(),
        applicant_name=view.applicant_name,
        procedure_name=view.procedure_name,
        settling_agency=view.settling_agency,
        received=view.received,
        due=view.due,
        rows=tuple(rows),
        qr=qr_data(settings, view, issued_at or clock.now()),
    )


_REGISTER_SQL = """
SELECT f.code, p.name, f.sets_count, a.name, a.address, a.phone, p.settling_agency,
       f.received_at, f.due_at, f.settled_at, f.closed_at, f.status, f.result_by,
       (SELECT min(e.at) FROM events e WHERE e.file_id = f.id AND e.action = 'forward')
FROM files f
JOIN procedures p ON p.id = f.procedure_id
JOIN applicants a ON a.id = f.applicant_id
WHERE f.received_at >= :s AND f.received_at < :e{scope}
ORDER BY f.received_at, f.id
"""


def register_data(session: Session, start: date, end: date, *, scope: Scope = ALL) -> RegisterData:
    """The register (sổ theo dõi) of the files of `scope`'s agencies received in the period,
    headed with that agency's identity (see `scope_agency`)."""
    from desk_app.services.statistics import period_bounds
    from desk_app.store.types import Moment

    s, e = period_bounds(start, end)
    decode = Moment().process_result_value
    rows = []
    sql = _REGISTER_SQL.format(scope=scope.sql("f.agency"))
    for r in session.execute(text(sql), {"s": moment_text(s), "e": moment_text(e)}):
        status = Status(int(r[11]))
        address_phone = ", ".join(x for x in (r[4], r[5]) if x)
        note = "" if status in (Status.RETURNED,) or status.is_open else status.label
        rows.append(
            RegisterRow(
                code=str(r[0]),
                procedure_name=str(r[1]),
                sets_count=int(r[2]),
                applicant_name=str(r[3]),
                address_phone=address_phone,
                settling_agency=str(r[6]),
                received=decode(r[7], None),  # type: ignore[arg-type]
                due=decode(r[8], None),  # type: ignore[arg-type]
                forwarded=decode(r[13], None),  # type: ignore[arg-type]
                result_back=decode(r[9], None),  # type: ignore[arg-type]
                returned=decode(r[10], None) if status == Status.RETURNED else None,  # type: ignore[arg-type]
                return_method="Bưu chính" if r[12] == "post" else "Trực tiếp",
                note=note,
            )
        )
    return RegisterData(
        header=desk_header(get_settings(session, scope_agency(scope))),
        start=start,
        end=end,
        book=str(start.year) if start.year == end.year else f"{start.year}–{end.year}",
        rows=tuple(rows),
    )


# --- rendering and the archive ----------------------------------------------------------------


def _render(
    kind: SlipKind, session: Session, code: str, number: str | None, now: datetime
) -> tuple[str | None, bytes]:
    """The slip's number and PDF, issued at `now`; drawn in the render process off the main
    thread."""
    settings = get_settings(session, get_file(session, code).agency)
    form_set = load_form_set(settings.form_set)
    if kind == SlipKind.RECEIPT:
        receipt = receipt_data(session, code, issued_at=now)
        job = RenderJob(str(kind), receipt, form_set, settings.receipt_layout)
        return None, render_job(job)
    if kind == SlipKind.STOP:
        from desk_app.services import stop_notice  # it builds on this module

        return stop_notice.first_print(session, code, number, now)
    slip: SupplementData | RefusalData | ApologyData
    if kind == SlipKind.SUPPLEMENT:
        slip = supplement_data(session, code, number, issued_at=now)
    elif kind == SlipKind.REFUSAL:
        slip = refusal_data(session, code, issued_at=now)
    else:
        slip = apology_data(session, code, number, issued_at=now)
    return slip.number, render_job(RenderJob(str(kind), slip, form_set))


def _stored(
    session: Session, file_id: int, kind: SlipKind, number: str | None
) -> PrintedSlip | None:
    stmt = select(PrintedSlip).where(PrintedSlip.file_id == file_id, PrintedSlip.kind == kind)
    if number is not None:
        stmt = stmt.where(PrintedSlip.number == number)
    return session.scalars(stmt.order_by(PrintedSlip.id.desc()).limit(1)).one_or_none()


def reprint_stamp(pdf: bytes, words: str = REPRINT_WORDS) -> bytes:
    """The stored PDF with a small "Bản in lại" stamp on every page; the content is untouched.

    Stamped in the render process off the main thread, like the forms themselves.
    """
    if worker.uses_process():
        stamped = worker.in_process(stamp.reprint_stamp, pdf, words)
        if isinstance(stamped, bytes):
            return stamped
    return stamp.reprint_stamp(pdf, words)


def print_slip(
    session: Session,
    code: str,
    kind: SlipKind,
    actor: Actor,
    *,
    number: str | None = None,
    now: datetime | None = None,
) -> PrintedDocument:
    """Issue a receipt or a numbered slip: the first print is stored, later ones reprint it."""
    now = now or clock.now()
    record = get_file(session, code)
    stored = _stored(session, record.id, kind, number)
    settings = get_settings(session, record.agency)
    if stored is not None:
        pdf = reprint_stamp(stored.pdf) if settings.reprint_mark else stored.pdf
        audit(
            session,
            actor,
            "reprint",
            "file",
            record.code,
            {"kind": str(kind), "number": stored.number},
            at=now,
        )
        return PrintedDocument(
            str(kind), record.code, stored.number, stored.created_at, stored.sha256, pdf, True
        )
    slip_number, pdf = _render(kind, session, record.code, number, now)
    digest = hashlib.sha256(pdf).hexdigest()
    session.add(
        PrintedSlip(
            file_id=record.id,
            kind=str(kind),
            number=slip_number,
            created_at=now,
            sha256=digest,
            pdf=pdf,
        )
    )
    audit(
        session,
        actor,
        "print",
        "file",
        record.code,
        {"kind": str(kind), "number": slip_number, "sha256": digest},
        at=now,
    )
    session.flush()
    return PrintedDocument(str(kind), record.code, slip_number, now, digest, pdf, False)


def list_slips(session: Session, code: str) -> list[SlipInfo]:
    record = get_file(session, code)
    rows = session.execute(
        select(
            PrintedSlip.id,
            PrintedSlip.kind,
            PrintedSlip.number,
            PrintedSlip.created_at,
            PrintedSlip.sha256,
        )
        .where(PrintedSlip.file_id == record.id)
        .order_by(PrintedSlip.created_at, PrintedSlip.id)
    ).all()
    return [SlipInfo(i, k, SlipKind(k).label, n, c, h) for i, k, n, c, h in rows]


def print_handover(session: Session, code: str, *, now: datetime | None = None) -> bytes:
    """The handover control sheet as of now; its QR code's moment of issue is `now`."""
    settings = get_settings(session, get_file(session, code).agency)
    data = handover_data(session, code, issued_at=now or clock.now())
    return render_job(RenderJob("handover", data, load_form_set(settings.form_set)))


def print_register(session: Session, start: date, end: date, *, scope: Scope = ALL) -> bytes:
    settings = get_settings(session, scope_agency(scope))
    data = register_data(session, start, end, scope=scope)
    return render_job(RenderJob("register", data, load_form_set(settings.form_set)))


__all__ = [
    "PrintedDocument",
    "SlipInfo",
    "SlipKind",
    "list_slips",
    "print_handover",
    "print_register",
    "print_slip",
    "scope_agency",
]
