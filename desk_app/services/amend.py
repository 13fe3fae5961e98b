"""Amendments: reschedule with an apology (supervisor) and corrections of a recorded field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from desk_app import clock
from desk_app.domain import codes, limits, people
from desk_app.domain.due import settlement_outcome
from desk_app.domain.text import check_text, clean_name, fold
from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services import mail, permissions
from desk_app.services.context import (
    SUPERVISORS,
    Actor,
    PermissionDeniedError,
    agency_counter,
    audit,
    get_settings,
    load_context,
    next_counter,
    require_role,
)
from desk_app.services.intake import implausible_receipt
from desk_app.services.records import (
    DueReason,
    add_event,
    file_view,
    get_file,
    recompute_due,
    set_due,
)
from desk_app.services.views import FileView
from desk_app.store.models import Applicant, Event, Reschedule

__all__ = ["Correction", "PermissionDeniedError", "correct_field", "reschedule"]


def reschedule(
    session: Session,
    code: str,
    new_due: datetime,
    reason: str,
    actor: Actor,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> FileView:
    """Give a new appointment with an apology letter; the original due stays beside it.

    A notice given less than one working day before the due moment is still recorded (the file
    is late either way) but marked `late_notice` on the timeline.
    """
    now = now or clock.now()
    require_role(actor, SUPERVISORS, "hẹn lại ngày trả kết quả (chỉ lãnh đạo bộ phận)")
    reason = check_text(
        reason, field="reason", label="Lý do", limit=limits.LONG_TEXT, multiline=True
    )
    if not reason:
        raise ValidationError("Cần ghi rõ lý do chậm trả kết quả.", field="reason")
    record = get_file(session, code, expected_version)
    status = Status(record.status)
    if not status.is_open:
        raise ValidationError(
            f"Không thể hẹn lại hồ sơ đang ở trạng thái “{status.label}”.", field="code"
        )
    ctx = load_context(session, record.agency)
    done = session.scalar(
        select(func.count()).select_from(Reschedule).where(Reschedule.file_id == record.id)
    )
    if (done or 0) >= ctx.settings.max_reschedules:
        raise ValidationError(
            f"Hồ sơ {record.code} đã được hẹn lại {done} lần; "
            f"quy định cho phép tối đa {ctx.settings.max_reschedules} lần.",
            field="new_due",
        )
    new_due = new_due.replace(second=0, microsecond=0)
    if record.due_at is not None and new_due <= record.due_at:
        raise ValidationError("Ngày hẹn mới phải sau ngày hẹn hiện tại.", field="new_due")
    if new_due <= now:
        raise ValidationError("Ngày hẹn mới phải ở tương lai.", field="new_due")
    late_notice = (
        record.due_at is not None
        and ctx.calendar.working_time(now, record.due_at) < ctx.calendar.office_hours.day_length
    )
    slip = codes.format_slip_number(
        next_counter(session, agency_counter(record.agency, f"slip:apology:{now.year}")),
        ctx.settings.apology_suffix,
    )
    session.add(
        Reschedule(
            file_id=record.id,
            at=now,
            old_due_at=record.due_at,
            new_due_at=new_due,
            reason=reason,
            slip_number=slip,
            officer_id=actor.user_id,
        )
    )
    details: dict[str, object] = {
        "old_due": record.due_at,
        "new_due": new_due,
        "slip_number": slip,
        "late_notice": late_notice,
    }
    add_event(session, record, "reschedule", actor, now, note=reason, data=details)
    audit(session, actor, "reschedule", "file", record.code, details, at=now)
    set_due(
        session,
        record,
        due=new_due,
        original=record.original_due_at,
        at=now,
        why=DueReason.RESCHEDULE,
        actor=actor,
    )
    mail.queue(session, record, mail.MailKind.APOLOGY, actor, now, number=slip)
    session.flush()
    return file_view(session, record)


@dataclass(frozen=True)
class Correction:
    """A change to one recorded field, with the reason the officer gives."""

    code: str
    field: str
    new_value: str
    reason: str
    expected_version: int | None = None


FILE_FIELDS = {
    "notes": "Ghi chú",
    "sets_count": "Số bộ hồ sơ",
    "fee_collected": "Lệ phí đã thu",
    "delivery_name": "Người nhận kết quả",
    "delivery_phone": "Điện thoại người nhận",
    "delivery_address": "Địa chỉ nhận kết quả",
    "submitter_name": "Người nộp hồ sơ",
    "submitter_phone": "Điện thoại người nộp",
    "authorisation": "Giấy ủy quyền",
    "received_at": "Thời điểm tiếp nhận",
}
APPLICANT_FIELDS = {
    "applicant_name": "Họ tên chủ hồ sơ",
    "id_number": "Số giấy tờ tùy thân",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "address": "Địa chỉ",
}


# Text fields: their limit and whether they may span lines (the other fields are parsed).
_TEXT_LIMITS: dict[str, tuple[int, bool]] = {
    "notes": (limits.LONG_TEXT, True),
    "delivery_name": (limits.PERSON_NAME, False),
    "delivery_phone": (limits.PHONE_TYPED, False),
    "delivery_address": (limits.LONG_TEXT, True),
    "submitter_name": (limits.PERSON_NAME, False),
    "submitter_phone": (limits.PHONE_TYPED, False),
    "authorisation": (limits.LONG_TEXT, True),
    "received_at": (limits.SHORT_VALUE, False),
    "sets_count": (limits.SHORT_VALUE, False),
    "fee_collected": (limits.SHORT_VALUE, False),
    "applicant_name": (limits.PERSON_NAME, False),
    "id_number": (limits.ID_NUMBER, False),
    "phone": (limits.PHONE_TYPED, False),
    "email": (limits.EMAIL, False),
    "address": (limits.LONG_TEXT, True),
}


def _parse(field: str, value: str) -> Any:
    limit, multiline = _TEXT_LIMITS[field]
    label = FILE_FIELDS.get(field) or APPLICANT_FIELDS[field]
    value = check_text(value, field=field, label=label, limit=limit, multiline=multiline)
    if field in {"sets_count", "fee_collected"}:
        try:
            number = int(value.replace(".", "").replace(",", ""))
        except ValueError:
            raise ValidationError("Giá trị phải là số nguyên.", field=field) from None
        if number < (1 if field == "sets_count" else 0):
            raise ValidationError("Giá trị không hợp lệ.", field=field)
        return number
    if field == "received_at":
        try:
            return datetime.fromisoformat(value).replace(second=0, microsecond=0)
        except ValueError:
            raise ValidationError("Thời điểm phải có dạng YYYY-MM-DDTHH:MM.", field=field) from None
    if field in {"phone", "delivery_phone", "submitter_phone"}:
        return people.validate_phone(value) if value else None
    if field == "email":
        return people.validate_email(value) if value else None
    if field == "id_number":
        return people.validate_id_number(value)[1] if value else None
    if field == "applicant_name":
        name = clean_name(value)
        if not name:
            raise ValidationError("Họ và tên không được để trống.", field=field)
        return name
    return clean_name(value) if field != "notes" else value


def correct_field(
    session: Session, data: Correction, actor: Actor, *, now: datetime | None = None
) -> FileView:
    """Correct one field; the old and new values go on the timeline and in the audit log."""
    now = now or clock.now()
    require_role(actor, permissions.CORRECT, "sửa thông tin hồ sơ (việc của công chức cơ quan)")
    if data.field not in FILE_FIELDS and data.field not in APPLICANT_FIELDS:
        raise ValidationError(f"Không thể sửa trường “{data.field}”.", field="field")
    if data.field == "received_at":
        # A past fact that statistics and sync rest on (DOMAIN §4.1 rules 5 and 8).
        require_role(actor, SUPERVISORS, "sửa thời điểm tiếp nhận (chỉ lãnh đạo bộ phận)")
    reason = check_text(
        data.reason, field="reason", label="Lý do sửa", limit=limits.LONG_TEXT, multiline=True
    )
    if not reason:
        raise ValidationError("Cần ghi rõ lý do sửa.", field="reason")
    record = get_file(session, data.code, data.expected_version)
    value = _parse(data.field, data.new_value)
    if data.field == "fee_collected" and value and record.status == int(Status.REFUSED):
        raise ValidationError("Hồ sơ bị từ chối tiếp nhận không thu phí, lệ phí.", field=data.field)
    if data.field in FILE_FIELDS:
        if data.field == "received_at":
            # The checks of intake; an imported file may predate the desk's first day.
            first_day = None if record.source else get_settings(session).first_day
            problem = implausible_receipt(value, now, first_day)
            if problem is not None:
                raise ValidationError(problem, field=data.field)
            if value.date() != record.received_at.date():
                # The code carries the receipt date; a different day would make it lie.
                raise ValidationError(
                    "Chỉ được sửa giờ tiếp nhận trong cùng ngày ghi trên mã hồ sơ.",
                    field=data.field,
                )
            first_move = session.scalars(
                select(Event.at)
                .where(Event.file_id == record.id, Event.from_status.is_not(None))
                .order_by(Event.at)
                .limit(1)
            ).first()
            if first_move is not None and value > first_move:
                raise ValidationError(
                    "Thời điểm tiếp nhận không được sau bước xử lý đầu tiên đã ghi nhận "
                    f"({first_move:%H:%M ngày %d/%m/%Y}).",
                    field=data.field,
                )
        old = getattr(record, data.field)
        setattr(record, data.field, value)
        label = FILE_FIELDS[data.field]
    else:
        applicant = session.get_one(Applicant, record.applicant_id)
        attr = "name" if data.field == "applicant_name" else data.field
        old = getattr(applicant, attr)
        setattr(applicant, attr, value)
        if attr == "name":
            applicant.name_folded = fold(value)
        if attr == "id_number":
            applicant.id_kind = str(people.validate_id_number(value)[0]) if value else None
        # The owner's data changed: bump the file's version so open views of it are stale.
        flag_modified(record, "notes")
        label = APPLICANT_FIELDS[data.field]
    if old == value:
        raise ValidationError("Giá trị mới trùng với giá trị cũ.", field=data.field)
    details: dict[str, object] = {"field": data.field, "label": label, "old": old, "new": value}
    add_event(session, record, "correct", actor, now, note=reason, data=details)
    audit(session, actor, "correct", "file", record.code, details, at=now)
    session.flush()
    if data.field == "received_at":
        if Status(record.status) is Status.REFUSED:
            # A refused file has no appointment; it was closed the moment it was received.
            record.closed_at = value
        else:
            recompute_due(
                session, record, load_context(session, record.agency), at=now, actor=actor
            )
            if record.settled_at is not None:
                # The outcome is judged against the original due, which has just moved.
                record.outcome = str(settlement_outcome(record.original_due_at, record.settled_at))
        session.flush()
    return file_view(session, record)
