"""Intake: accept a file (code, register number, due moment) or refuse it at the desk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, people
from desk_app.domain.documents import Channel, CopyType, ResultBy
from desk_app.domain.text import clean_name, fold
from desk_app.domain.workflow import Action, next_status
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services.context import Actor, DeskContext, audit, load_context, next_counter
from desk_app.services.records import (
    add_event,
    document_set,
    encode_documents,
    file_view,
    recompute_due,
)
from desk_app.services.views import DocumentLine, FileView
from desk_app.store.models import Applicant, FileRecord, PostalItem, Procedure


@dataclass(frozen=True)
class ApplicantInput:
    """The applicant (chủ hồ sơ) as typed at the counter."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class IntakeInput:
    """Everything the intake form collects. Empty optional strings count as not given."""

    procedure: str  # code or exact name
    applicant: ApplicantInput
    channel: Channel = Channel.DIRECT
    received_at: datetime | None = None
    documents: tuple[DocumentLine, ...] | None = None  # None: the procedure's checklist
    sets_count: int = 1
    fee_collected: int | None = None  # None: the procedure's usual fee
    result_by: ResultBy = ResultBy.COUNTER
    delivery_name: str | None = None
    delivery_phone: str | None = None
    delivery_address: str | None = None
    submitter_name: str | None = None
    submitter_id_number: str | None = None
    submitter_phone: str | None = None
    authorisation: str | None = None
    notes: str = ""
    source: str | None = None  # where a bulk-imported file came from (shown on its timeline)
    postal_in_number: str | None = None
    postal_in_sender: str | None = None
    # A file that came by post: is its receipt posted back to the applicant or kept at the desk?
    receipt_return: str | None = None  # RECEIPT_RETURNS key; None when not asked
    extra: dict[str, str] = field(default_factory=dict)


RECEIPT_RETURNS: dict[str, str] = {
    "post": "Gửi trả giấy tiếp nhận qua bưu chính",
    "kept": "Lưu giấy tiếp nhận tại Bộ phận Một cửa",
}


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def find_procedure(session: Session, key: str) -> Procedure:
    """A procedure by code, or else by exact name (case and diacritics as typed, NFC)."""
    key = key.strip()
    found = session.scalars(select(Procedure).where(Procedure.code == key)).one_or_none()
    if found is None:
        found = session.scalars(select(Procedure).where(Procedure.name == clean_name(key))).first()
    if found is None:
        raise NotFoundError(f"Không có thủ tục “{key}” trong danh mục.", field="procedure")
    return found


@dataclass(frozen=True)
class CleanApplicant:
    name: str
    id_kind: str | None
    id_number: str | None
    phone: str | None
    email: str | None
    address: str | None


def validate_applicant(data: ApplicantInput, errors: dict[str, str]) -> CleanApplicant:
    """Validate and normalise the applicant fields, collecting messages per field."""
    name = clean_name(data.name or "")
    if not name:
        errors["applicant_name"] = "Họ và tên chủ hồ sơ không được để trống."
    id_kind: str | None = None
    id_number = _blank(data.id_number)
    if id_number is not None:
        try:
            kind, id_number = people.validate_id_number(id_number, birth_year=data.birth_year)
            id_kind = str(kind)
        except ValidationError as exc:
            errors["id_number"] = exc.message
    phone = _blank(data.phone)
    if phone is not None:
        try:
            phone = people.validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.message
    email = _blank(data.email)
    if email is not None:
        try:
            email = people.validate_email(email)
        except ValidationError as exc:
            errors["email"] = exc.message
    address = _blank(data.address)
    return CleanApplicant(name, id_kind, id_number, phone, email, clean_name(address or "") or None)


def upsert_applicant(session: Session, data: CleanApplicant) -> Applicant:
    """Reuse the applicant with the same identity number and name, else create one.

    Contact details typed now replace the stored ones: the latest phone and address win.
    """
    folded = fold(data.name)
    existing: Applicant | None = None
    if data.id_number:
        existing = session.scalars(
            select(Applicant).where(
                Applicant.id_number == data.id_number, Applicant.name_folded == folded
            )
        ).first()
    if existing is None:
        existing = Applicant(
            name=data.name,
            name_folded=folded,
            id_kind=data.id_kind,
            id_number=data.id_number,
        )
        session.add(existing)
    for attr in ("phone", "email", "address"):
        value = getattr(data, attr)
        if value:
            setattr(existing, attr, value)
    session.flush()
    return existing


def _documents(data: IntakeInput, procedure: Procedure, errors: dict[str, str]) -> str:
    if data.documents is None:
        specs: list[dict[str, object]] = json.loads(procedure.documents or "[]")
        # The checklist's required papers; optional ones are added only when really handed in.
        lines = [
            DocumentLine(str(d["name"]), str(d.get("copy_type", "photo")), int(str(d["count"])))
            for d in specs
            if d.get("required", True)
        ]
    else:
        lines = list(data.documents)
    for i, line in enumerate(lines, start=1):
        if not line.name.strip():
            errors["documents"] = f"Giấy tờ thứ {i} chưa có tên."
        elif line.count < 1:
            errors["documents"] = f"Số lượng “{line.name}” phải từ 1 trở lên."
        try:
            CopyType(line.copy_type)
        except ValueError:
            errors["documents"] = f"Loại bản của “{line.name}” không hợp lệ."
    return encode_documents(lines)


def _new_record(
    session: Session,
    data: IntakeInput,
    ctx: DeskContext,
    actor: Actor,
    now: datetime,
    action: Action,
) -> tuple[FileRecord, Procedure]:
    ctx.require_identity()
    errors: dict[str, str] = {}
    try:
        procedure = find_procedure(session, data.procedure)
        if not procedure.active:
            errors["procedure"] = f"Thủ tục “{procedure.name}” đã ngừng áp dụng."
    except NotFoundError as exc:
        errors["procedure"] = exc.message
        raise FieldsError(errors) from None
    applicant = validate_applicant(data.applicant, errors)
    received = (data.received_at or now).replace(second=0, microsecond=0)
    if received > now:
        errors["received_at"] = "Thời điểm tiếp nhận không được ở tương lai."
    if data.sets_count < 1:
        errors["sets_count"] = "Số bộ hồ sơ phải từ 1 trở lên."
    if data.fee_collected is not None and data.fee_collected < 0:
        errors["fee_collected"] = "Lệ phí không được âm."
    documents = _documents(data, procedure, errors)
    delivery_phone = _blank(data.delivery_phone)
    if data.result_by == ResultBy.POST:
        if not _blank(data.delivery_address) and not applicant.address:
            errors["delivery_address"] = "Nhận kết quả qua bưu chính cần địa chỉ nhận."
        if delivery_phone:
            try:
                delivery_phone = people.validate_phone(delivery_phone)
            except ValidationError as exc:
                errors["delivery_phone"] = exc.message
    submitter_phone = _blank(data.submitter_phone)
    if submitter_phone:
        try:
            submitter_phone = people.validate_phone(submitter_phone)
        except ValidationError as exc:
            errors["submitter_phone"] = exc.message
    postal_number = _blank(data.postal_in_number)
    if data.channel == Channel.POSTAL and postal_number:
        try:
            postal_number = codes.check_s10(postal_number).number
        except ValidationError as exc:
            errors["postal_in_number"] = exc.message
    if errors:
        raise FieldsError(errors)

    owner = upsert_applicant(session, applicant)
    agency = ctx.settings.agency_id
    day = received.date()
    seq = next_counter(session, f"file:{agency}:{day:%y%m%d}")
    book = codes.register_book_for(day)
    record = FileRecord(
        code=codes.format_file_code(agency, day, seq),
        status=int(next_status(None, action)),
        channel=str(data.channel),
        procedure_id=procedure.id,
        applicant_id=owner.id,
        submitter_name=_blank(data.submitter_name),
        submitter_id_number=_blank(data.submitter_id_number),
        submitter_phone=submitter_phone,
        authorisation=_blank(data.authorisation),
        document_set_id=document_set(session, documents),
        sets_count=data.sets_count,
        fee_collected=data.fee_collected if data.fee_collected is not None else procedure.fee,
        result_by=str(data.result_by),
        delivery_name=_blank(data.delivery_name)
        or (owner.name if data.result_by == ResultBy.POST else None),
        delivery_phone=delivery_phone or (owner.phone if data.result_by == ResultBy.POST else None),
        delivery_address=_blank(data.delivery_address)
        or (owner.address if data.result_by == ResultBy.POST else None),
        register_book=book,
        register_seq=next_counter(session, f"register:{book}"),
        officer_id=actor.user_id,
        notes=data.notes.strip(),
        duration=procedure.duration,
        unit=procedure.unit,
        restart_on_supplement=procedure.restart_on_supplement,
        received_at=received,
        postal_in_number=postal_number,
        postal_in_sender=_blank(data.postal_in_sender),
    )
    session.add(record)
    session.flush()
    if data.channel == Channel.POSTAL:
        session.add(
            PostalItem(
                file_id=record.id,
                direction="in",
                number=postal_number,
                recipient_name=record.postal_in_sender,
                state="received",
                state_at=received,
                officer_id=actor.user_id,
            )
        )
    return record, procedure


def accept_file(
    session: Session, data: IntakeInput, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """Accept a file: allocate its code and register number and compute its appointment."""
    now = now or clock.now()
    ctx = load_context(session)
    record, _ = _new_record(session, data, ctx, actor, now, Action.ACCEPT)
    recompute_due(session, record, ctx)
    event_data: dict[str, object] = {"source": data.source} if data.source else {}
    note = data.notes.strip()
    if data.channel == Channel.POSTAL and data.receipt_return:
        if data.receipt_return not in RECEIPT_RETURNS:
            raise ValidationError("Chọn gửi trả hoặc lưu giấy tiếp nhận.", field="receipt_return")
        event_data["receipt_return"] = data.receipt_return
        # On the timeline, where the officer looks for it when the applicant calls.
        note = "\n".join(p for p in (RECEIPT_RETURNS[data.receipt_return], note) if p)
    add_event(
        session,
        record,
        Action.ACCEPT,
        actor,
        record.received_at,
        to_status=record.status,
        note=note or None,
        data=event_data or None,
    )
    details: dict[str, object] = {"procedure": data.procedure}
    if data.source:
        details["source"] = data.source
    if "receipt_return" in event_data:
        details["receipt_return"] = data.receipt_return
    audit(session, actor, "accept", "file", record.code, details, at=now)
    session.flush()
    return file_view(session, record)


def refuse_file(
    session: Session,
    data: IntakeInput,
    reason: str,
    actor: Actor,
    *,
    now: datetime | None = None,
) -> FileView:
    """Refuse a file at the desk: it still gets a code (never reused) and a refusal slip number."""
    now = now or clock.now()
    if not reason.strip():
        raise ValidationError("Cần ghi rõ lý do từ chối tiếp nhận.", field="reason")
    ctx = load_context(session)
    record, _ = _new_record(session, data, ctx, actor, now, Action.REFUSE)
    record.closed_at = record.received_at
    slip = codes.format_slip_number(
        next_counter(session, f"slip:refusal:{record.received_at.year}"),
        ctx.settings.refusal_suffix,
    )
    add_event(
        session,
        record,
        Action.REFUSE,
        actor,
        record.received_at,
        to_status=record.status,
        note=reason.strip(),
        data={"slip_number": slip},
    )
    audit(session, actor, "refuse", "file", record.code, {"reason": reason.strip()}, at=now)
    session.flush()
    return file_view(session, record)
