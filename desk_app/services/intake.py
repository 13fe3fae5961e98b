"""Intake: accept a file (code, register number, due moment) or refuse it at the desk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, limits, people
from desk_app.domain.documents import Channel, CopyType, ResultBy
from desk_app.domain.text import check_text, clean_name, fold
from desk_app.domain.workflow import Action, next_status
from desk_app.errors import DeskError, FieldsError, NotFoundError, ValidationError
from desk_app.pg_engine import defer_writer_lock, take_writer_lock
from desk_app.services import mail
from desk_app.services.context import (
    SOLO_AGENCY,
    SUPERVISORS,
    Actor,
    DeskContext,
    agency_counter,
    audit,
    load_context,
    next_counter,
)
from desk_app.services.records import (
    DueReason,
    add_event,
    add_first_due,
    document_set,
    encode_documents,
    file_view,
    find_document_set,
    first_due,
    new_file_view,
    user_names,
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
    source: str | None = None  # where a bulk-imported file came from (kept on the file)
    # Why a receipt moment earlier than now is entered only now ("nhập bổ sung").
    backdate_reason: str | None = None
    postal_in_number: str | None = None
    # The agency whose catalogue `procedure` is in (centre mode); None: the only one that has it.
    agency: int | None = None
    postal_in_sender: str | None = None
    # A file that came by post: is its receipt posted back to the applicant or kept at the desk?
    receipt_return: str | None = None  # RECEIPT_RETURNS key; None when not asked
    extra: dict[str, str] = field(default_factory=dict)
    # The applicant agreed to notices at the e-mail address (mail.CONSENT_WORDING; issue 16).
    mail_consent: bool = False


RECEIPT_RETURNS: dict[str, str] = {
    "post": "Gửi trả giấy tiếp nhận qua bưu chính",
    "kept": "Lưu giấy tiếp nhận tại Bộ phận Một cửa",
}


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _checked(
    errors: dict[str, str],
    field: str,
    value: str | None,
    label: str,
    limit: int,
    *,
    multiline: bool = False,
) -> str | None:
    """`value` through `check_text` (None and blank stay None); a refusal goes into `errors`."""
    if value is None:
        return None
    try:
        return check_text(value, field=field, label=label, limit=limit, multiline=multiline) or None
    except ValidationError as exc:
        errors[field] = exc.message
        return None


def implausible_receipt(received: datetime, now: datetime, first_day: date | None) -> str | None:
    """Why `received` cannot be a file's receipt moment (in the future, or before the desk's
    first day), or None. Shared by intake and the supervisor's correction."""
    if received > now:
        return "Thời điểm tiếp nhận không được ở tương lai."
    if first_day is not None and received.date() < first_day:
        return (
            "Thời điểm tiếp nhận không được trước ngày Bộ phận Một cửa bắt đầu dùng chương trình "
            f"({first_day:%d/%m/%Y}); hồ sơ cũ hơn được nhập bằng lệnh 'files import'."
        )
    return None


def _check_backdating(
    data: IntakeInput,
    received: datetime,
    now: datetime,
    actor: Actor,
    ctx: DeskContext,
    errors: dict[str, str],
) -> None:
    """DOMAIN §4.1 rule 8 at the counter: an earlier moment of today needs a reason; an earlier
    day also needs a supervisor; nothing before the desk's first day, nothing in the future."""
    problem = implausible_receipt(received, now, ctx.settings.first_day)
    if problem is not None:
        errors["received_at"] = problem
        return
    if received >= now.replace(second=0, microsecond=0):
        return
    if received.date() != now.date() and actor.role not in SUPERVISORS:
        errors["received_at"] = (
            "Chỉ được ghi thời điểm tiếp nhận sớm hơn trong ngày hôm nay; hồ sơ tiếp nhận từ "
            "ngày trước cần lãnh đạo bộ phận nhập bổ sung."
        )
    if not _blank(data.backdate_reason):
        errors["backdate_reason"] = (
            "Thời điểm tiếp nhận sớm hơn hiện tại: cần ghi lý do nhập bổ sung."
        )


def find_procedure(
    session: Session,
    key: str,
    *,
    agency: int | None = None,
    agencies: frozenset[int] | None = None,
) -> Procedure:
    """A procedure by code, or else by exact name (case and diacritics as typed, NFC), in the
    catalogue of `agency` if given, else of the agencies the officer works for (None: all)."""
    key = key.strip()
    where = []
    if agency is not None:
        where.append(Procedure.agency == agency)
    if agencies is not None:
        where.append(Procedure.agency.in_(sorted(agencies)))
    found = list(session.scalars(select(Procedure).where(Procedure.code == key, *where)))
    if not found:
        found = list(
            session.scalars(
                select(Procedure)
                .where(Procedure.name == clean_name(key), *where)
                .order_by(Procedure.id)
            )
        )[:1]
    if not found:
        raise NotFoundError(f"Không có thủ tục “{key}” trong danh mục.", field="procedure")
    if len(found) > 1:
        raise NotFoundError(
            f"Thủ tục “{key}” có trong danh mục của nhiều cơ quan: hãy chọn cơ quan tiếp nhận.",
            field="procedure",
        )
    return found[0]


def intake_agency(session: Session, data: IntakeInput, actor: Actor) -> int:
    """The agency a file is received for: its procedure's (the one the officer picked)."""
    try:
        return find_procedure(
            session, data.procedure, agency=data.agency, agencies=actor.agencies
        ).agency
    except DeskError:
        return _fallback_agency(data, actor)


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
    label = "Họ và tên chủ hồ sơ"
    name = clean_name(
        _checked(errors, "applicant_name", data.name or "", label, limits.PERSON_NAME) or ""
    )
    if not name and "applicant_name" not in errors:
        errors["applicant_name"] = "Họ và tên chủ hồ sơ không được để trống."
    id_kind: str | None = None
    id_number = _checked(
        errors, "id_number", data.id_number, "Số giấy tờ tùy thân", limits.ID_NUMBER
    )
    if id_number is not None:
        try:
            kind, id_number = people.validate_id_number(id_number, birth_year=data.birth_year)
            id_kind = str(kind)
        except ValidationError as exc:
            errors["id_number"] = exc.message
    phone = _checked(errors, "phone", data.phone, "Số điện thoại", limits.PHONE_TYPED)
    if phone is not None:
        try:
            phone = people.validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.message
    email = _checked(errors, "email", data.email, "Thư điện tử", limits.EMAIL)
    if email is not None:
        try:
            email = people.validate_email(email)
        except ValidationError as exc:
            errors["email"] = exc.message
    address = _checked(errors, "address", data.address, "Địa chỉ", limits.LONG_TEXT, multiline=True)
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


# The file's own text fields: (field, label, limit, multiline).
_FILE_TEXTS: tuple[tuple[str, str, int, bool], ...] = (
    ("delivery_name", "Người nhận kết quả", limits.PERSON_NAME, False),
    ("delivery_phone", "Điện thoại người nhận", limits.PHONE_TYPED, False),
    ("delivery_address", "Địa chỉ nhận kết quả", limits.LONG_TEXT, True),
    ("submitter_name", "Người nộp hồ sơ", limits.PERSON_NAME, False),
    ("submitter_id_number", "Số giấy tờ của người nộp", limits.ID_NUMBER, False),
    ("submitter_phone", "Điện thoại người nộp", limits.PHONE_TYPED, False),
    ("authorisation", "Giấy ủy quyền", limits.LONG_TEXT, True),
    ("notes", "Ghi chú", limits.LONG_TEXT, True),
    ("postal_in_number", "Số hiệu bưu gửi", limits.ID_NUMBER, False),
    ("postal_in_sender", "Người gửi", limits.PERSON_NAME, False),
)


# Every text field of the intake form and its limit (the window sets them as maxLength).
TEXT_LIMITS: dict[str, int] = {
    "applicant_name": limits.PERSON_NAME,
    "id_number": limits.ID_NUMBER,
    "phone": limits.PHONE_TYPED,
    "email": limits.EMAIL,
    "address": limits.LONG_TEXT,
    **{name: limit for name, _, limit, _ in _FILE_TEXTS},
}


def _check_file_texts(data: IntakeInput, errors: dict[str, str]) -> None:
    """Refuse over-long text and control characters in the file's own fields."""
    for name, label, limit, multiline in _FILE_TEXTS:
        _checked(errors, name, getattr(data, name), label, limit, multiline=multiline)


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
        label = f"Tên giấy tờ thứ {i}"
        if _checked(errors, "documents", line.name, label, limits.DOCUMENT_NAME) is None:
            if not line.name.strip():
                errors["documents"] = f"Giấy tờ thứ {i} chưa có tên."
            continue
        if line.count < 1:
            errors["documents"] = f"Số lượng “{line.name}” phải từ 1 trở lên."
        try:
            CopyType(line.copy_type)
        except ValueError:
            errors["documents"] = f"Loại bản của “{line.name}” không hợp lệ."
    return encode_documents(lines)


@dataclass(frozen=True)
class _Form:
    """An intake form checked and looked up, before anything is written: the procedure, its
    agency's context, the clean values, the document set's items (and its id if it exists)."""

    procedure: Procedure
    ctx: DeskContext
    applicant: CleanApplicant
    received: datetime
    documents: str
    document_set_id: int | None
    delivery_phone: str | None
    submitter_phone: str | None
    postal_number: str | None


def _checked_form(
    session: Session, data: IntakeInput, actor: Actor, now: datetime, *, imported: bool = False
) -> _Form:
    """Validate the form and read what filing it needs (reads only: no lock needed)."""
    try:
        # Looked up once: a code in several agencies' catalogues with no agency chosen is
        # refused here, next to the field, never filed into one of them.
        procedure: Procedure | None = find_procedure(
            session, data.procedure, agency=data.agency, agencies=actor.agencies
        )
    except NotFoundError as exc:
        procedure, missing = None, exc.message
    agency = procedure.agency if procedure is not None else _fallback_agency(data, actor)
    ctx = load_context(session, agency)
    ctx.require_identity()
    if procedure is None:
        raise FieldsError({"procedure": missing})
    errors: dict[str, str] = {}
    if not procedure.active:
        errors["procedure"] = f"Thủ tục “{procedure.name}” đã ngừng áp dụng."
    applicant = validate_applicant(data.applicant, errors)
    received = (data.received_at or now).replace(second=0, microsecond=0)
    if imported:
        # Moving a paper register in is the one path for files older than the desk's first day.
        problem = implausible_receipt(received, now, None)
        if problem is not None:
            errors["received_at"] = problem
    else:
        _check_backdating(data, received, now, actor, ctx, errors)
    if data.sets_count < 1:
        errors["sets_count"] = "Số bộ hồ sơ phải từ 1 trở lên."
    if data.fee_collected is not None and data.fee_collected < 0:
        errors["fee_collected"] = "Lệ phí không được âm."
    documents = _documents(data, procedure, errors)
    _check_file_texts(data, errors)
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
    if data.mail_consent and not applicant.email and "email" not in errors:
        errors["email"] = "Người nộp hồ sơ đồng ý nhận thư: cần ghi địa chỉ thư điện tử."
    postal_number = _blank(data.postal_in_number)
    if data.channel == Channel.POSTAL and postal_number:
        try:
            postal_number = codes.check_s10(postal_number).number
        except ValidationError as exc:
            errors["postal_in_number"] = exc.message
    if errors:
        raise FieldsError(errors)
    return _Form(
        procedure=procedure,
        ctx=ctx,
        applicant=applicant,
        received=received,
        documents=documents,
        # Document sets are never changed nor deleted: an id found now stays good.
        document_set_id=find_document_set(session, documents),
        delivery_phone=delivery_phone,
        submitter_phone=submitter_phone,
        postal_number=postal_number,
    )


def _fallback_agency(data: IntakeInput, actor: Actor) -> int:
    """The agency of a form whose procedure is not found (for the context's checks)."""
    if data.agency is not None:
        return data.agency
    return min(actor.agencies) if actor.agencies else SOLO_AGENCY


def _locked_form(
    session: Session,
    form: _Form,
    data: IntakeInput,
    actor: Actor,
    now: datetime,
    *,
    deferred: bool,
    imported: bool = False,
) -> _Form:
    """Take the writers' lock; when `form` was made before it (`deferred`), the same form if
    its agency's settings and calendar are unchanged since, else the form made again. A file
    takes its catalogue entry as it stood when the form was checked, as a file accepted a moment
    earlier would: the catalogue's later changes never touch files already received."""
    take_writer_lock(session)
    if not deferred or load_context(session, form.ctx.agency) == form.ctx:
        return form
    return _checked_form(session, data, actor, now, imported=imported)


def _take_numbers(session: Session, *names: str) -> dict[str, int]:
    """The next values of several named counters in one statement (as `next_counter`)."""
    values = ", ".join(f"(:n{i}, 1)" for i in range(len(names)))
    rows = session.execute(
        text(
            f"INSERT INTO counters(name, value) VALUES {values} "
            "ON CONFLICT(name) DO UPDATE SET value = counters.value + 1 RETURNING name, value"
        ),
        {f"n{i}": name for i, name in enumerate(names)},
    ).all()
    return {str(name): int(value) for name, value in rows}


def _new_record(
    session: Session,
    data: IntakeInput,
    form: _Form,
    actor: Actor,
    action: Action,
    *,
    due: datetime | None = None,
    imported: bool = False,
) -> tuple[FileRecord, Applicant]:
    """The file's rows (the caller holds the writers' lock): applicant, numbers, the file."""
    ctx, procedure, received = form.ctx, form.procedure, form.received
    owner = upsert_applicant(session, form.applicant)
    agency = ctx.settings.agency_id
    day = received.date()
    book = codes.register_book_for(day)
    # The file code's counter is named by the identifier, which is unique across agencies.
    code_counter = f"file:{agency}:{day:%y%m%d}"
    book_counter = agency_counter(ctx.agency, f"register:{book}")
    numbers = _take_numbers(session, code_counter, book_counter)
    set_id = form.document_set_id
    if set_id is None:
        set_id = document_set(session, form.documents)
    by_post = data.result_by == ResultBy.POST
    record = FileRecord(
        agency=ctx.agency,
        counter_name=actor.counter or None,
        code=codes.format_file_code(agency, day, numbers[code_counter]),
        status=int(next_status(None, action)),
        channel=str(data.channel),
        procedure_id=procedure.id,
        applicant_id=owner.id,
        submitter_name=_blank(data.submitter_name),
        submitter_id_number=_blank(data.submitter_id_number),
        submitter_phone=form.submitter_phone,
        authorisation=_blank(data.authorisation),
        document_set_id=set_id,
        sets_count=data.sets_count,
        fee_collected=data.fee_collected if data.fee_collected is not None else procedure.fee,
        result_by=str(data.result_by),
        delivery_name=_blank(data.delivery_name) or (owner.name if by_post else None),
        delivery_phone=form.delivery_phone or (owner.phone if by_post else None),
        delivery_address=_blank(data.delivery_address) or (owner.address if by_post else None),
        register_book=book,
        register_seq=numbers[book_counter],
        officer_id=actor.user_id,
        notes=data.notes.strip(),
        duration=procedure.duration,
        unit=procedure.unit,
        restart_on_supplement=procedure.restart_on_supplement,
        received_at=received,
        postal_in_number=form.postal_number,
        postal_in_sender=_blank(data.postal_in_sender),
        source=_blank(data.source) if imported else None,
        # Accepting: the due and original due of a file with no pause nor reschedule yet.
        due_at=due,
        original_due_at=due,
    )
    session.add(record)
    session.flush()
    if data.channel == Channel.POSTAL:
        session.add(
            PostalItem(
                file_id=record.id,
                direction="in",
                number=form.postal_number,
                recipient_name=record.postal_in_sender,
                state="received",
                state_at=received,
                officer_id=actor.user_id,
            )
        )
    return record, owner


def _provenance(record: FileRecord, data: IntakeInput, now: datetime) -> dict[str, object]:
    """Where the file came from and why it is entered late, for its timeline and audit entry."""
    details: dict[str, object] = {}
    if record.source:
        details["source"] = record.source
    elif record.received_at < now.replace(second=0, microsecond=0):
        details["backdate_reason"] = _blank(data.backdate_reason)
        details["entered_at"] = now.strftime("%Y-%m-%dT%H:%M")
    return details


def _provenance_note(details: dict[str, object]) -> str | None:
    if "source" in details:
        return str(details["source"])
    if "backdate_reason" in details:
        return f"Nhập bổ sung: {details['backdate_reason']}"
    return None


def accept_file(
    session: Session,
    data: IntakeInput,
    actor: Actor,
    *,
    now: datetime | None = None,
    imported: bool = False,
) -> FileView:
    """Accept a file: allocate its code and register number and compute its appointment.

    `imported`: a row of `files import` (a paper register moved in), the one path for a receipt
    moment before the desk's first day; the file keeps `data.source`.
    """
    now = now or clock.now()
    # Everything that needs no lock is done before the writers' lock is taken (centre mode:
    # the counters queue only for the writing); on SQLite the writer holds its lock already.
    deferred = defer_writer_lock(session)
    form = _checked_form(session, data, actor, now, imported=imported)
    postal_return = data.channel == Channel.POSTAL and data.receipt_return
    if postal_return and data.receipt_return not in RECEIPT_RETURNS:
        raise ValidationError("Chọn gửi trả hoặc lưu giấy tiếp nhận.", field="receipt_return")
    names = user_names(session, {actor.user_id} if actor.user_id is not None else set())
    form = _locked_form(session, form, data, actor, now, deferred=deferred, imported=imported)
    due = first_due(form.procedure, form.ctx, form.received)
    record, owner = _new_record(
        session, data, form, actor, Action.ACCEPT, due=due, imported=imported
    )
    add_first_due(session, record, at=record.received_at, why=DueReason.ACCEPT, actor=actor)
    provenance = _provenance(record, data, now)
    event_data: dict[str, object] = dict(provenance)
    note = "\n".join(p for p in (_provenance_note(provenance), data.notes.strip()) if p)
    if data.channel == Channel.POSTAL and data.receipt_return:
        event_data["receipt_return"] = data.receipt_return
        # On the timeline, where the officer looks for it when the applicant calls.
        note = "\n".join(p for p in (RECEIPT_RETURNS[data.receipt_return], note) if p)
    event = add_event(
        session,
        record,
        Action.ACCEPT,
        actor,
        record.received_at,
        to_status=record.status,
        note=note or None,
        data=event_data or None,
    )
    details: dict[str, object] = {"procedure": data.procedure, **provenance}
    if "receipt_return" in event_data:
        details["receipt_return"] = data.receipt_return
    audit(session, actor, "accept", "file", record.code, details, at=now)
    if data.mail_consent and form.applicant.email:  # the receipt by e-mail, in this transaction
        mail.record_consent(session, record, form.applicant.email, actor, now)
        mail.queue(session, record, mail.MailKind.RECEIPT, actor, now)
    session.flush()
    return new_file_view(record, form.procedure, owner, form.documents, event, names)


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
    reason = check_text(
        reason, field="reason", label="Lý do từ chối", limit=limits.LONG_TEXT, multiline=True
    )
    deferred = defer_writer_lock(session)
    form = _checked_form(session, data, actor, now)
    form = _locked_form(session, form, data, actor, now, deferred=deferred)
    ctx = form.ctx
    record, _ = _new_record(session, data, form, actor, Action.REFUSE)
    record.closed_at = record.received_at
    # A file the desk did not accept pays nothing: whatever the form held is not "collected".
    record.fee_collected = None
    provenance = _provenance(record, data, now)
    slip = codes.format_slip_number(
        next_counter(
            session, agency_counter(ctx.agency, f"slip:refusal:{record.received_at.year}")
        ),
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
        data={"slip_number": slip, **provenance},
    )
    audit(
        session,
        actor,
        "refuse",
        "file",
        record.code,
        {"reason": reason.strip(), **provenance},
        at=now,
    )
    session.flush()
    return file_view(session, record)
