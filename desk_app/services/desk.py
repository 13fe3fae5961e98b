"""Desk administration: identity and hours, the working calendar, the procedure catalogue."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, limits
from desk_app.domain.calendar import DayInfo, OfficeHours
from desk_app.domain.catalog import DocumentSpec, ProcedureSpec
from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.domain.text import check_text, clean_name, fold
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.printing.formset import available_form_sets
from desk_app.services import calendar_moves
from desk_app.services.context import (
    ADMIN,
    Actor,
    audit,
    get_settings,
    load_calendar,
    load_settings_row,
    require_role,
    settings_view,
)
from desk_app.services.views import SettingsView
from desk_app.store.models import CalendarOverride, FileRecord, Procedure

# Both copies of the receipt each on its own A4 sheet, or as the two halves of one sheet.
RECEIPT_LAYOUTS = ("two_sheets", "half_sheets")


@dataclass(frozen=True)
class IdentityInput:
    """Fields of the desk's identity and rules; None leaves a field as it is."""

    governing_body: str | None = None
    agency_name: str | None = None
    unit_name: str | None = None
    agency_id: str | None = None
    place_name: str | None = None
    office_hours: str | None = None
    cutoff: str | None = None
    due_soon_days: str | None = None
    max_reschedules: int | None = None
    supplement_suffix: str | None = None
    refusal_suffix: str | None = None
    apology_suffix: str | None = None
    lookup_url: str | None = None
    phone: str | None = None
    form_set: str | None = None
    receipt_layout: str | None = None
    reprint_mark: bool | None = None
    first_day: date | None = None


# The identity's text fields: label and limit (the longest of them fits its String(n)).
_IDENTITY_TEXTS: dict[str, tuple[str, int]] = {
    "governing_body": ("Cơ quan chủ quản", limits.BODY_NAME),
    "agency_name": ("Tên cơ quan", limits.BODY_NAME),
    "unit_name": ("Tên bộ phận", limits.BODY_NAME),
    "agency_id": ("Mã cơ quan", 40),
    "place_name": ("Địa danh", limits.PLACE_NAME),
    "office_hours": ("Giờ làm việc", 100),
    "cutoff": ("Giờ chốt nhận hồ sơ", limits.SHORT_VALUE),
    "due_soon_days": ("Ngưỡng sắp đến hạn", limits.SHORT_VALUE),
    "supplement_suffix": ("Ký hiệu phiếu bổ sung", 20),
    "refusal_suffix": ("Ký hiệu phiếu từ chối", 20),
    "apology_suffix": ("Ký hiệu phiếu xin lỗi", 20),
    "lookup_url": ("Địa chỉ tra cứu", limits.LOOKUP_URL),
    "phone": ("Điện thoại", limits.DESK_PHONE),
    "form_set": ("Bộ biểu mẫu", limits.SHORT_VALUE),
    "receipt_layout": ("Cách in giấy tiếp nhận", limits.SHORT_VALUE),
}


def check_identity(data: IdentityInput) -> dict[str, object]:
    """The given fields cleaned and validated (None fields left out), or FieldsError naming
    every wrong field; lets a form check its page before anything is written."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for f in fields(IdentityInput):
        value = getattr(data, f.name)
        if value is None:
            continue
        clean: object = value.strip() if isinstance(value, str) else value
        try:
            if isinstance(value, str):
                label, limit = _IDENTITY_TEXTS[f.name]
                clean = check_text(value, field=f.name, label=label, limit=limit)
            if f.name == "agency_id":
                clean = codes.validate_agency_id(str(clean))
            elif f.name == "office_hours":
                clean = OfficeHours.parse(str(clean)).format()
            elif f.name == "cutoff":
                clean = time.fromisoformat(str(clean)).strftime("%H:%M")
            elif f.name == "due_soon_days":
                number = Decimal(str(clean).replace(",", "."))
                if number < 0:
                    raise ValidationError("Ngưỡng sắp đến hạn không được âm.")
                clean = number
            elif f.name == "max_reschedules":
                if int(str(clean)) < 0:
                    raise ValidationError("Số lần hẹn lại không được âm.")
                clean = int(str(clean))
            elif f.name == "form_set":
                if clean not in available_form_sets():
                    raise ValidationError(
                        "Bộ biểu mẫu phải là một trong: " + ", ".join(available_form_sets()) + "."
                    )
            elif f.name == "receipt_layout":
                if clean not in RECEIPT_LAYOUTS:
                    raise ValidationError("Cách in giấy tiếp nhận không hợp lệ.")
            elif f.name in {"governing_body", "agency_name", "unit_name", "place_name"}:
                clean = clean_name(str(clean))
        except ValidationError as exc:
            errors[f.name] = exc.message
            continue
        except (ValueError, InvalidOperation):
            errors[f.name] = "Giá trị không hợp lệ."
            continue
        cleaned[f.name] = clean
    if errors:
        raise FieldsError(errors)
    return cleaned


def update_settings(
    session: Session, data: IdentityInput, actor: Actor, *, now: datetime | None = None
) -> SettingsView:
    """Validate and store the desk's identity and rules; every changed value is audited."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa thông tin và giờ làm việc của Bộ phận Một cửa")
    row = load_settings_row(session)
    changes = {
        name: clean for name, clean in check_identity(data).items() if getattr(row, name) != clean
    }
    if "first_day" in changes:
        _check_first_day(session, changes["first_day"], now)  # type: ignore[arg-type]
    for name, value in changes.items():
        setattr(row, name, value)
    if changes:
        row.updated_at = now
        audit(session, actor, "update_settings", "settings", "1", changes, at=now)
    session.flush()
    if "office_hours" in changes or "cutoff" in changes:
        # New hours move out the open files they make later, and no other (DOMAIN §4.1 rule 7).
        calendar_moves.apply_moves(session, actor, now)
    return settings_view(row)


def earliest_counter_day(session: Session) -> date | None:
    """The receipt day of the first file received at the counter (not imported), if any."""
    first = session.scalar(
        select(func.min(FileRecord.received_at)).where(FileRecord.source.is_(None))
    )
    return None if first is None else first.date()


def _check_first_day(session: Session, day: date, now: datetime) -> None:
    earliest = earliest_counter_day(session)
    if earliest is not None and day > earliest:
        raise FieldsError(
            {
                "first_day": "Ngày bắt đầu dùng chương trình không được sau ngày tiếp nhận hồ sơ "
                f"đầu tiên ({earliest:%d/%m/%Y})."
            }
        )
    if day > now.date():
        raise FieldsError({"first_day": "Ngày bắt đầu dùng chương trình không được ở tương lai."})


def ensure_first_day(session: Session, actor: Actor, *, day: date | None = None) -> date:
    """Set the desk's first day at set-up (`init`, the wizard, demo data): `day` (default today)
    when none is set, moved back to the first file received at the counter when one is older."""
    day = day or clock.now().date()
    row = load_settings_row(session)
    candidates = [d for d in (row.first_day or day, earliest_counter_day(session)) if d]
    first = min(candidates)
    if row.first_day != first:
        audit(session, actor, "update_settings", "settings", "1", {"first_day": first}, at=None)
        row.first_day = first
        session.flush()
    return first


def set_calendar_day(
    session: Session,
    day: date,
    working: bool,
    note: str,
    actor: Actor,
    *,
    now: datetime | None = None,
) -> DayInfo:
    """Store an administrator's override: this date is working (or off), whatever else says."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa lịch làm việc")
    note = check_text(
        note, field="note", label="Ghi chú căn cứ", limit=limits.LONG_TEXT, multiline=True
    )
    if not note:
        raise ValidationError(
            "Cần ghi chú căn cứ (ví dụ số văn bản thông báo nghỉ, làm bù).", field="note"
        )
    row = session.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day, working=working, note=note, set_by=actor.user_id)
        session.add(row)
    row.working, row.note, row.set_by, row.set_at = working, note, actor.user_id, now
    audit(
        session,
        actor,
        "calendar_override",
        "calendar",
        day.isoformat(),
        {"working": working, "note": note},
        at=now,
    )
    session.flush()
    # The open files the change makes later move out, and no other (DOMAIN §4.1 rule 7).
    calendar_moves.apply_moves(session, actor, now)
    return load_calendar(session).day_info(day)


def clear_calendar_day(
    session: Session, day: date, actor: Actor, *, now: datetime | None = None
) -> DayInfo:
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa lịch làm việc")
    row = session.get(CalendarOverride, day)
    if row is not None:
        session.delete(row)
        audit(session, actor, "calendar_clear", "calendar", day.isoformat(), at=now)
        session.flush()
        calendar_moves.apply_moves(session, actor, now)
    return load_calendar(session).day_info(day)


def calendar_year(session: Session, year: int) -> list[DayInfo]:
    return load_calendar(session).year(year)


# --- procedure catalogue -------------------------------------------------------------


def _spec_of(row: Procedure) -> ProcedureSpec:
    docs: list[dict[str, object]] = json.loads(row.documents or "[]")
    return ProcedureSpec(
        code=row.code,
        name=row.name,
        field=row.field,
        settling_agency=row.settling_agency,
        duration=row.duration,
        unit=DurationUnit(row.unit),
        restart_on_supplement=row.restart_on_supplement,
        fee=row.fee,
        fee_note=row.fee_note,
        documents=tuple(
            DocumentSpec(
                name=str(d["name"]),
                copy_type=CopyType(str(d.get("copy_type", "photo"))),
                count=int(str(d.get("count", 1))),
                required=bool(d.get("required", True)),
            )
            for d in docs
        ),
        cutoff=time.fromisoformat(row.cutoff) if row.cutoff else None,
        active=row.active,
        verify_note=row.verify_note,
    )


def _apply_spec(row: Procedure, spec: ProcedureSpec) -> None:
    row.code = spec.code
    row.name = spec.name
    row.name_folded = fold(spec.name)
    row.field = spec.field
    row.settling_agency = spec.settling_agency
    row.duration = spec.duration
    row.unit = str(spec.unit)
    row.restart_on_supplement = spec.restart_on_supplement
    row.fee = spec.fee
    row.fee_note = spec.fee_note
    row.cutoff = spec.cutoff.strftime("%H:%M") if spec.cutoff else None
    row.documents = json.dumps(
        [
            {
                "name": d.name,
                "copy_type": str(d.copy_type),
                "count": d.count,
                "required": d.required,
            }
            for d in spec.documents
        ],
        ensure_ascii=False,
    )
    row.active = spec.active
    row.verify_note = spec.verify_note


@dataclass(frozen=True)
class CatalogImportResult:
    added: int
    updated: int
    unchanged: int


def import_catalog(
    session: Session, specs: list[ProcedureSpec], actor: Actor, *, now: datetime | None = None
) -> CatalogImportResult:
    """Add or update procedures by code. Existing files keep the rule they were accepted with."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    existing = {p.code: p for p in session.scalars(select(Procedure))}
    added = updated = unchanged = 0
    for spec in specs:
        row = existing.get(spec.code)
        if row is None:
            row = Procedure()
            _apply_spec(row, spec)
            session.add(row)
            added += 1
        elif _spec_of(row) == spec:
            unchanged += 1
        else:
            _apply_spec(row, spec)
            updated += 1
    audit(
        session,
        actor,
        "catalog_import",
        "catalog",
        None,
        {"added": added, "updated": updated, "unchanged": unchanged},
        at=now,
    )
    session.flush()
    return CatalogImportResult(added, updated, unchanged)


def export_catalog(session: Session) -> list[ProcedureSpec]:
    return [_spec_of(p) for p in session.scalars(select(Procedure).order_by(Procedure.code))]


def catalog_size(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Procedure)) or 0)


def save_procedure(
    session: Session,
    spec: ProcedureSpec,
    actor: Actor,
    *,
    new: bool,
    now: datetime | None = None,
) -> ProcedureSpec:
    """Add a procedure (`new`) or replace the rule of the one with the same code.

    A procedure's code is its key: files refer to it, so editing never changes it. Files
    already accepted keep the due date they were given.
    """
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    row = session.scalars(select(Procedure).where(Procedure.code == spec.code)).one_or_none()
    if new and row is not None:
        raise ValidationError(f"Mã thủ tục «{spec.code}» đã có trong danh mục.", field="code")
    if not new and row is None:
        raise NotFoundError(f"Không có thủ tục mã «{spec.code}».", field="code")
    if row is None:
        row = Procedure()
        session.add(row)
    elif _spec_of(row) == spec:
        return spec
    _apply_spec(row, spec)
    audit(
        session,
        actor,
        "procedure_add" if new else "procedure_edit",
        "procedure",
        spec.code,
        {"name": spec.name, "active": spec.active},
        at=now,
    )
    session.flush()
    return _spec_of(row)


def set_procedure_active(
    session: Session, code: str, active: bool, actor: Actor, *, now: datetime | None = None
) -> ProcedureSpec:
    """Retire a procedure (no new files for it; old files keep it) or bring it back."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    row = session.scalars(select(Procedure).where(Procedure.code == code)).one_or_none()
    if row is None:
        raise NotFoundError(f"Không có thủ tục mã «{code}».", field="code")
    if row.active != active:
        row.active = active
        audit(
            session,
            actor,
            "procedure_reactivate" if active else "procedure_retire",
            "procedure",
            code,
            at=now,
        )
        session.flush()
    return _spec_of(row)


__all__ = [
    "CatalogImportResult",
    "IdentityInput",
    "calendar_year",
    "catalog_size",
    "check_identity",
    "clear_calendar_day",
    "earliest_counter_day",
    "ensure_first_day",
    "export_catalog",
    "get_settings",
    "import_catalog",
    "save_procedure",
    "set_calendar_day",
    "set_procedure_active",
    "update_settings",
]
