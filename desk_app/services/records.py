"""Shared plumbing of the file use cases: loading, timeline events, due recomputation, views."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.due import DurationUnit, Pause, PauseKind, compute_due
from desk_app.domain.workflow import Action, Status, next_status
from desk_app.errors import NotFoundError, StaleEditError
from desk_app.services.context import Actor, DeskContext, audit
from desk_app.services.permissions import require_step
from desk_app.services.views import (
    DocumentLine,
    EventView,
    FileView,
    PauseView,
    RescheduleView,
)
from desk_app.store.models import (
    Applicant,
    DocumentSet,
    DueChange,
    Event,
    FileRecord,
    Procedure,
    Reschedule,
    User,
)
from desk_app.store.models import Pause as PauseRow


def get_file(session: Session, code: str, expected_version: int | None = None) -> FileRecord:
    """The file with `code`; refuses when someone changed it since the caller read it."""
    record = session.scalars(
        select(FileRecord).where(FileRecord.code == code.strip().upper())
    ).one_or_none()
    if record is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ có mã {code}.", field="code")
    if expected_version is not None and record.version != expected_version:
        raise StaleEditError(
            f"Hồ sơ {record.code} vừa được người khác cập nhật. "
            "Vui lòng tải lại hồ sơ và thực hiện lại thao tác.",
        )
    return record


def add_event(
    session: Session,
    record: FileRecord,
    action: Action | str,
    actor: Actor,
    at: datetime,
    *,
    from_status: int | None = None,
    to_status: int | None = None,
    note: str | None = None,
    data: dict[str, object] | None = None,
) -> Event:
    event = Event(
        file_id=record.id,
        at=at,
        action=str(action),
        from_status=from_status,
        to_status=to_status,
        officer_id=actor.user_id,
        note=note or None,
        data=None
        if data is None
        else json.dumps(data, ensure_ascii=False, default=str, sort_keys=True),
        counter_name=actor.counter or None,
    )
    session.add(event)
    return event


def move(
    session: Session,
    record: FileRecord,
    action: Action,
    actor: Actor,
    at: datetime,
    *,
    note: str | None = None,
    data: dict[str, object] | None = None,
) -> Status:
    """Apply a life-cycle move: check it, change the status, add the event and the audit entry."""
    require_step(actor, action)  # the role's steps (services/permissions.py)
    current = Status(record.status)
    new = next_status(current, action)
    record.status = int(new)
    add_event(
        session,
        record,
        action,
        actor,
        at,
        from_status=int(current),
        to_status=int(new),
        note=note,
        data=data,
    )
    audit(
        session,
        actor,
        str(action),
        "file",
        record.code,
        {"from": int(current), "to": int(new), "note": note, **(data or {})},
        at=at,
    )
    return new


def pauses_of(session: Session, file_id: int) -> list[PauseRow]:
    return list(
        session.scalars(
            select(PauseRow).where(PauseRow.file_id == file_id).order_by(PauseRow.start_at)
        )
    )


class DueReason(StrEnum):
    """Why a file's due moved (a row of the due history, DOMAIN §4.1 rule 5)."""

    ACCEPT = "accept"
    PAUSE = "pause"
    RESUME = "resume"
    RESCHEDULE = "reschedule"
    CALENDAR = "calendar"
    CORRECTION = "correction"


def rule_due(
    session: Session,
    record: FileRecord,
    ctx: DeskContext,
    *,
    calendar: WorkCalendar | None = None,
    desk_cutoff: time | None = None,
) -> datetime | None:
    """The original due that the desk's calendar (or `calendar`, e.g. one about to be saved)
    gives the file's receipt and whole pause history.

    The pause rules themselves (late pauses, restart on supplement, same-day and calendar-day
    pauses) live in `domain.due.compute_due`; this only hands it the file's history.
    """
    procedure = session.get_one(Procedure, record.procedure_id)
    cutoff = due_cutoff(procedure, ctx, desk_cutoff)
    return compute_due(
        calendar or ctx.calendar,
        record.received_at,
        record.duration if record.duration is not None else Decimal(0),
        DurationUnit(record.unit),
        [Pause(p.start_at, p.end_at, PauseKind(p.kind)) for p in pauses_of(session, record.id)],
        restart_on_supplement=record.restart_on_supplement,
        cutoff=cutoff,
    )


def due_cutoff(procedure: Procedure, ctx: DeskContext, desk_cutoff: time | None = None) -> time:
    """The cut-off of a file's receipt day: the procedure's own, else the desk's."""
    if procedure.cutoff:
        return time.fromisoformat(procedure.cutoff)
    return desk_cutoff or ctx.settings.cutoff


def first_due(procedure: Procedure, ctx: DeskContext, received: datetime) -> datetime | None:
    """The due of a file of `procedure` received at `received`, before it has any pause or
    reschedule: what `recompute_due` gives it at acceptance, without reading the file back."""
    return compute_due(
        ctx.calendar,
        received,
        procedure.duration if procedure.duration is not None else Decimal(0),
        DurationUnit(procedure.unit),
        restart_on_supplement=procedure.restart_on_supplement,
        cutoff=due_cutoff(procedure, ctx),
    )


def add_first_due(
    session: Session, record: FileRecord, *, at: datetime, why: DueReason, actor: Actor | None
) -> None:
    """The first due-history row of a file inserted with its due already set (as `set_due`
    writes it for a file's acceptance)."""
    session.add(
        DueChange(
            file_id=record.id,
            at=at.replace(microsecond=0),
            reason=str(why),
            old_due_at=None,
            new_due_at=record.due_at,
            old_original_due_at=None,
            new_original_due_at=record.original_due_at,
            officer_id=actor.user_id if actor is not None else None,
        )
    )


def latest_reschedule(session: Session, record: FileRecord) -> Reschedule | None:
    return session.scalars(
        select(Reschedule)
        .where(Reschedule.file_id == record.id)
        .order_by(Reschedule.at.desc(), Reschedule.id.desc())
        .limit(1)
    ).one_or_none()


def applicant_due(original: datetime | None, rescheduled: datetime | None) -> datetime | None:
    """The appointment the applicant holds: the rules' due, or a later reschedule.

    When a later pause pushes the rules' due past a rescheduled appointment, the appointment
    moves with it: it is never earlier than what the rules give.
    """
    if rescheduled is None or original is None:
        return original if rescheduled is None else rescheduled
    return max(rescheduled, original)


def set_due(
    session: Session,
    record: FileRecord,
    *,
    due: datetime | None,
    original: datetime | None,
    at: datetime,
    why: DueReason,
    actor: Actor | None,
) -> bool:
    """Store a file's due and original due, with a due-history row when either moved.

    Returns whether anything moved. The first call for a file (its acceptance) always writes.
    """
    first = record.id is None or not session.scalar(
        select(DueChange.id).where(DueChange.file_id == record.id).limit(1)
    )
    if not first and (record.due_at, record.original_due_at) == (due, original):
        return False
    old_due, old_original = (None, None) if first else (record.due_at, record.original_due_at)
    record.due_at, record.original_due_at = due, original
    session.flush()
    session.add(
        DueChange(
            file_id=record.id,
            at=at.replace(microsecond=0),
            reason=str(why),
            old_due_at=old_due,
            new_due_at=due,
            old_original_due_at=old_original,
            new_original_due_at=original,
            officer_id=actor.user_id if actor is not None else None,
        )
    )
    return True


def recompute_due(
    session: Session,
    record: FileRecord,
    ctx: DeskContext,
    *,
    at: datetime | None = None,
    why: DueReason = DueReason.CORRECTION,
    actor: Actor | None = None,
) -> None:
    """Recompute the original due from the receipt and the full list of pauses (never a counter)
    and record the change in the due history, dated `at` (default: now).

    A pause or a resume can only push a due out: under a calendar changed since the due was
    set, the same history may give an earlier moment, and a calendar change moves nothing
    silently (DOMAIN §4.1 rule 7), so the stored due stands then. A correction of a past fact
    (the receipt moment, the procedure) takes the rules' answer as it is.
    """
    original = rule_due(session, record, ctx)
    if (
        why in (DueReason.PAUSE, DueReason.RESUME)
        and original is not None
        and record.original_due_at is not None
    ):
        original = max(original, record.original_due_at)
    latest = latest_reschedule(session, record)
    due = applicant_due(original, latest.new_due_at if latest is not None else None)
    set_due(
        session,
        record,
        due=due,
        original=original,
        at=at if at is not None else datetime.now(),
        why=why,
        actor=actor,
    )


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Officers' full names by id."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()
    return {int(i): str(n) for i, n in rows}


def file_view(session: Session, record: FileRecord, *, full: bool = True) -> FileView:
    """The frozen view of a file; with `full`, its timeline, pauses and reschedules too."""
    procedure = session.get_one(Procedure, record.procedure_id)
    applicant = session.get_one(Applicant, record.applicant_id)
    events: list[Event] = []
    reschedules: list[Reschedule] = []
    pauses: list[PauseRow] = []
    if full:
        events = list(
            session.scalars(
                select(Event).where(Event.file_id == record.id).order_by(Event.at, Event.id)
            )
        )
        reschedules = list(
            session.scalars(
                select(Reschedule)
                .where(Reschedule.file_id == record.id)
                .order_by(Reschedule.at, Reschedule.id)
            )
        )
        pauses = pauses_of(session, record.id)
    ids = {e.officer_id for e in events if e.officer_id is not None}
    ids |= {r.officer_id for r in reschedules if r.officer_id is not None}
    if record.officer_id is not None:
        ids.add(record.officer_id)
    names = user_names(session, ids)
    documents = decode_documents(session, record)
    return build_view(record, procedure, applicant, documents, events, pauses, reschedules, names)


def new_file_view(
    record: FileRecord,
    procedure: Procedure,
    applicant: Applicant,
    documents: str,
    event: Event,
    names: dict[int, str],
) -> FileView:
    """The view of a file just made, from what made it (no read back): its one event, no pauses
    nor reschedules; `documents` its document set's items, `names` its officers' names."""
    items: list[list[object]] = json.loads(documents)
    return build_view(record, procedure, applicant, items, [event], [], [], names)


def build_view(
    record: FileRecord,
    procedure: Procedure,
    applicant: Applicant,
    documents: list[list[object]],
    events: list[Event],
    pauses: list[PauseRow],
    reschedules: list[Reschedule],
    names: dict[int, str],
) -> FileView:
    """The frozen view of a file from its rows."""

    def label(action: str) -> str:
        try:
            return Action(action).label
        except ValueError:
            return CUSTOM_EVENT_LABELS.get(action, action)

    return FileView(
        id=record.id,
        code=record.code,
        version=record.version,
        status=Status(record.status),
        channel=record.channel,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        field=procedure.field,
        settling_agency=procedure.settling_agency,
        duration=record.duration,
        unit=record.unit,
        applicant_id=applicant.id,
        applicant_name=applicant.name,
        id_kind=applicant.id_kind,
        id_number=applicant.id_number,
        phone=applicant.phone,
        email=applicant.email,
        address=applicant.address,
        submitter_name=record.submitter_name,
        submitter_id_number=record.submitter_id_number,
        submitter_phone=record.submitter_phone,
        authorisation=record.authorisation,
        documents=tuple(DocumentLine(str(n), str(c), int(str(k))) for n, c, k in documents),
        sets_count=record.sets_count,
        # Files refused before the intake stopped keeping a fee on them still hold one.
        fee_collected=None if record.status == int(Status.REFUSED) else record.fee_collected,
        result_by=record.result_by,
        delivery_name=record.delivery_name,
        delivery_phone=record.delivery_phone,
        delivery_address=record.delivery_address,
        register_book=record.register_book,
        register_seq=record.register_seq,
        officer=names.get(record.officer_id) if record.officer_id is not None else None,
        notes=record.notes,
        received=record.received_at,
        due=record.due_at,
        original_due=record.original_due_at,
        settled=record.settled_at,
        outcome=record.outcome,
        closed=record.closed_at,
        postal_in_number=record.postal_in_number,
        postal_in_sender=record.postal_in_sender,
        events=tuple(
            EventView(
                at=e.at,
                action=e.action,
                label=label(e.action),
                from_status=Status(e.from_status) if e.from_status is not None else None,
                to_status=Status(e.to_status) if e.to_status is not None else None,
                officer=names.get(e.officer_id) if e.officer_id is not None else None,
                note=e.note,
                data=json.loads(e.data) if e.data else None,
            )
            for e in events
        ),
        pauses=tuple(
            PauseView(p.kind, p.start_at, p.end_at, p.reason, p.slip_number) for p in pauses
        ),
        reschedules=tuple(
            RescheduleView(
                r.at,
                r.old_due_at,
                r.new_due_at,
                r.reason,
                r.slip_number,
                names.get(r.officer_id) if r.officer_id is not None else None,
            )
            for r in reschedules
        ),
        delay_reason=record.delay_reason,
        source=record.source,
    )


CUSTOM_EVENT_LABELS: dict[str, str] = {
    "reschedule": "Hẹn lại ngày trả kết quả",
    "correct": "Sửa thông tin hồ sơ",
    "choose_post": "Đăng ký nhận kết quả qua bưu chính",
    "delay_reason": "Ghi lý do chậm trả kết quả",
}

# The same names in English, for the command line run with `--lang en`.
CUSTOM_EVENT_LABELS_EN: dict[str, str] = {
    "reschedule": "Result date rescheduled",
    "correct": "File details corrected",
    "choose_post": "Result by post requested",
    "delay_reason": "Reason for the late result recorded",
}


def decode_documents(session: Session, record: FileRecord) -> list[list[object]]:
    items = session.get_one(DocumentSet, record.document_set_id).items
    value: list[list[object]] = json.loads(items)
    return value


def encode_documents(lines: tuple[DocumentLine, ...] | list[DocumentLine]) -> str:
    return json.dumps([[d.name, d.copy_type, d.count] for d in lines], ensure_ascii=False)


def find_document_set(session: Session, items: str) -> int | None:
    """The id of the document set with exactly these items, None when there is none yet."""
    digest = hashlib.sha256(items.encode()).hexdigest()
    found = session.scalar(select(DocumentSet.id).where(DocumentSet.sha256 == digest))
    return None if found is None else int(found)


def document_set(session: Session, items: str) -> int:
    """The id of the immutable document set with exactly these items, created when new."""
    found = find_document_set(session, items)
    if found is not None:
        return found
    row = DocumentSet(sha256=hashlib.sha256(items.encode()).hexdigest(), items=items)
    session.add(row)
    session.flush()
    return row.id
