"""Life-cycle use cases after intake: forward, pause and resume, result, return, close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, limits, people
from desk_app.domain.due import settlement_outcome
from desk_app.domain.text import check_text
from desk_app.domain.workflow import Action, Status
from desk_app.errors import ValidationError
from desk_app.services import digitise, mail
from desk_app.services.context import Actor, agency_counter, load_context, next_counter
from desk_app.services.records import DueReason, file_view, get_file, move, recompute_due
from desk_app.services.views import FileView
from desk_app.store.models import Event, FileRecord, PostalItem
from desk_app.store.models import Pause as PauseRow


@dataclass(frozen=True)
class MoveInput:
    """What every move needs: the file, the version the caller saw, a note and when."""

    code: str
    expected_version: int | None = None
    note: str = ""
    at: datetime | None = None  # defaults to now; a past moment records something done earlier


def move_moment(session: Session, data: MoveInput, record: FileRecord, now: datetime) -> datetime:
    """The moment a move is recorded at: now, or an earlier moment after the file's last step.

    Every move passes here, so this is also where its note is checked.
    """
    check_text(data.note, field="note", label="Ghi chú", limit=limits.LONG_TEXT, multiline=True)
    at = data.at.replace(second=0, microsecond=0) if data.at else now
    if at > now:
        raise ValidationError("Thời điểm ghi nhận không được ở tương lai.", field="at")
    if at < record.received_at:
        raise ValidationError("Thời điểm ghi nhận không được trước lúc tiếp nhận.", field="at")
    # A move dated before the previous one would put the timeline (and the statistics, which
    # read settled and closed moments) out of order. Corrections and reschedules carry no
    # status and are dated when they were typed, so only status changes count here.
    previous = session.scalars(
        select(Event.at)
        .where(Event.file_id == record.id, Event.to_status.is_not(None))
        .order_by(Event.at.desc())
        .limit(1)
    ).first()
    # To the minute: a moment typed by hand has no seconds, a move recorded "now" may have.
    if previous is not None and at < previous.replace(second=0):
        raise ValidationError(
            "Thời điểm ghi nhận không được trước bước xử lý trước đó "
            f"({previous:%H:%M ngày %d/%m/%Y}).",
            field="at",
        )
    return at


def _require(text: str, field: str, message: str) -> str:
    text = check_text(text, field=field, label="Lý do", limit=limits.LONG_TEXT, multiline=True)
    if not text:
        raise ValidationError(message, field=field)
    return text


def forward(
    session: Session,
    data: MoveInput,
    actor: Actor,
    *,
    agency: str | None = None,
    now: datetime | None = None,
) -> FileView:
    """Hand the file to the settling agency (2 → 4)."""
    now = now or clock.now()
    record = get_file(session, data.code, data.expected_version)
    at = move_moment(session, data, record, now)
    if agency:
        agency = check_text(
            agency, field="agency", label="Cơ quan giải quyết", limit=limits.SETTLING_AGENCY
        )
    details: dict[str, object] = {"agency": agency} if agency else {}
    move(session, record, Action.FORWARD, actor, at, note=data.note, data=details or None)
    session.flush()
    return file_view(session, record)


def _open_pause(session: Session, record: FileRecord) -> PauseRow | None:
    return session.scalars(
        select(PauseRow).where(PauseRow.file_id == record.id, PauseRow.end_at.is_(None))
    ).one_or_none()


def _pause(
    session: Session,
    data: MoveInput,
    actor: Actor,
    action: Action,
    kind: str,
    reason: str,
    now: datetime | None,
    extra: dict[str, object] | None = None,
) -> FileView:
    now = now or clock.now()
    reason = _require(reason, "reason", "Cần ghi rõ lý do.")
    record = get_file(session, data.code, data.expected_version)
    at = move_moment(session, data, record, now)
    ctx = load_context(session, record.agency)
    slip: str | None = None
    if kind == "supplement":
        slip = codes.format_slip_number(
            next_counter(session, agency_counter(record.agency, f"slip:supplement:{at.year}")),
            ctx.settings.supplement_suffix,
        )
    details: dict[str, object] = {"reason": reason, **(extra or {})}
    if slip:
        details["slip_number"] = slip
    move(session, record, action, actor, at, note=data.note or reason, data=details)
    session.add(
        PauseRow(file_id=record.id, kind=kind, start_at=at, reason=reason, slip_number=slip)
    )
    session.flush()
    recompute_due(session, record, ctx, at=at, why=DueReason.PAUSE, actor=actor)
    if slip:  # the request by e-mail when the applicant agreed, in this transaction
        mail.queue(session, record, mail.MailKind.SUPPLEMENT, actor, now, number=slip)
    session.flush()
    return file_view(session, record)


def request_supplement(
    session: Session,
    data: MoveInput,
    reason: str,
    actor: Actor,
    *,
    missing: tuple[str, ...] = (),
    now: datetime | None = None,
) -> FileView:
    """Ask the applicant for more papers (2/4 → 5); the clock stops."""
    for name in missing:
        check_text(name, field="missing", label="Giấy tờ cần bổ sung", limit=limits.DOCUMENT_NAME)
    extra: dict[str, object] = {"missing": list(missing)} if missing else {}
    return _pause(session, data, actor, Action.REQUEST_SUPPLEMENT, "supplement", reason, now, extra)


def request_financial(
    session: Session,
    data: MoveInput,
    reason: str,
    actor: Actor,
    *,
    amount: int | None = None,
    now: datetime | None = None,
) -> FileView:
    """Ask the applicant to pay a fee or tax (2/4 → 6); the clock stops."""
    extra: dict[str, object] = {"amount": amount} if amount is not None else {}
    return _pause(session, data, actor, Action.REQUEST_FINANCIAL, "financial", reason, now, extra)


def _resume(
    session: Session, data: MoveInput, actor: Actor, action: Action, now: datetime | None
) -> FileView:
    now = now or clock.now()
    record = get_file(session, data.code, data.expected_version)
    at = move_moment(session, data, record, now)
    pause = _open_pause(session, record)
    if pause is not None and at < pause.start_at:
        raise ValidationError("Thời điểm tiếp tục không được trước lúc tạm dừng.", field="at")
    move(session, record, action, actor, at, note=data.note)
    if pause is not None:
        pause.end_at = at
    session.flush()
    recompute_due(
        session,
        record,
        load_context(session, record.agency),
        at=at,
        why=DueReason.RESUME,
        actor=actor,
    )
    session.flush()
    return file_view(session, record)


def receive_supplement(
    session: Session, data: MoveInput, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """The applicant brought the papers (5 → 4); the clock resumes and the due is recomputed."""
    return _resume(session, data, actor, Action.RECEIVE_SUPPLEMENT, now)


def record_financial(
    session: Session, data: MoveInput, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """The fee or tax was paid (6 → 4); the clock resumes."""
    return _resume(session, data, actor, Action.FINANCIAL_DONE, now)


def record_result(
    session: Session, data: MoveInput, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """The result is back at the desk (2/4 → 9); the outcome is judged against the original due."""
    now = now or clock.now()
    record = get_file(session, data.code, data.expected_version)
    at = move_moment(session, data, record, now)
    outcome = settlement_outcome(record.original_due_at, at)
    move(
        session,
        record,
        Action.RECORD_RESULT,
        actor,
        at,
        note=data.note,
        data={"outcome": str(outcome)},
    )
    record.settled_at = at
    record.outcome = str(outcome)
    digitise.open_result(session, record, actor, at)  # the result is scanned too (Circular 03)
    mail.queue(session, record, mail.MailKind.RESULT, actor, now)
    session.flush()
    return file_view(session, record)


def _refuse_if_with_post(session: Session, record: FileRecord) -> None:
    number = session.scalars(
        select(PostalItem.number)
        .where(
            PostalItem.file_id == record.id,
            PostalItem.direction == "out",
            PostalItem.state == "handed",
        )
        .limit(1)
    ).first()
    if number is not None:
        raise ValidationError(
            f"Kết quả của hồ sơ {record.code} đã giao cho bưu chính (số hiệu {number}) và đang "
            "chuyển phát; chỉ trả tại Bộ phận Một cửa sau khi ghi nhận phát không thành công "
            "hoặc chuyển hoàn.",
            field="receiver",
        )


def return_result(
    session: Session,
    data: MoveInput,
    actor: Actor,
    *,
    receiver: str | None = None,
    receiver_id: str | None = None,
    now: datetime | None = None,
) -> FileView:
    """The result was handed over at the counter (9 → 10) to `receiver` (required), whose
    identity paper `receiver_id` is noted when shown.

    Counter or post, not both (DOMAIN §4.1 rule 10): a result the post holds (handed over, in
    transit) is refused until the item is recorded as failed or returned to sender.
    """
    now = now or clock.now()
    receiver = check_text(
        receiver or "", field="receiver", label="Người nhận kết quả", limit=limits.PERSON_NAME
    )
    receiver = " ".join(receiver.split())
    if not receiver:
        raise ValidationError("Cần ghi họ tên người nhận kết quả.", field="receiver")
    id_number = (receiver_id or "").strip()
    if id_number:
        id_number = people.validate_id_number(id_number, field="receiver_id")[1]
    record = get_file(session, data.code, data.expected_version)
    _refuse_if_with_post(session, record)
    at = move_moment(session, data, record, now)
    details: dict[str, object] = {"receiver": receiver}
    if id_number:
        details["receiver_id"] = id_number
    move(session, record, Action.RETURN_RESULT, actor, at, note=data.note, data=details or None)
    record.closed_at = at
    session.flush()
    return file_view(session, record)


def _close(
    session: Session,
    data: MoveInput,
    actor: Actor,
    action: Action,
    reason: str,
    now: datetime | None,
) -> FileView:
    now = now or clock.now()
    reason = _require(reason, "reason", "Cần ghi rõ lý do.")
    record = get_file(session, data.code, data.expected_version)
    at = move_moment(session, data, record, now)
    was_paused = Status(record.status).is_paused
    move(session, record, action, actor, at, note=reason)
    record.closed_at = at
    if was_paused:
        pause = _open_pause(session, record)
        if pause is not None:
            pause.end_at = at
    session.flush()
    return file_view(session, record)


def withdraw(
    session: Session, data: MoveInput, reason: str, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """The applicant withdraws the file (2/4/5/6 → 7)."""
    return _close(session, data, actor, Action.WITHDRAW, reason, now)


def stop(
    session: Session, data: MoveInput, reason: str, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """The agency stops processing (4 → 8), with its notice as the reason."""
    return _close(session, data, actor, Action.STOP, reason, now)
