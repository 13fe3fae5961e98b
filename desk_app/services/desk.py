"""Desk administration: the agencies of the database (identity, hours, form settings), the
working calendar, each agency's procedure catalogue.

A solo desk has one agency (id 1, `SOLO_AGENCY`), which every `agency` argument defaults to; a
centre's database holds several (migration 0014), added and edited here by an administrator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
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
from desk_app.services import calendar_moves, lookup_keys
from desk_app.services.context import (
    ADMIN,
    SOLO_AGENCY,
    Actor,
    audit,
    get_settings,
    load_calendar,
    load_settings_row,
    require_role,
    settings_view,
)
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import SettingsView
from desk_app.store.models import (
    CalendarOverride,
    DeskSettings,
    FileRecord,
    Procedure,
    UserAgency,
)
from desk_app.sync.outbox import ensure_sync_row

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


def _files_of(session: Session, agency: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(FileRecord).where(FileRecord.agency == agency)
        )
        or 0
    )


def _check_agency_id(session: Session, row: DeskSettings, agency_id: str) -> None:
    """The identifier is another agency's, or it is printed on this agency's files already."""
    other = session.scalars(
        select(DeskSettings).where(DeskSettings.agency_id == agency_id, DeskSettings.id != row.id)
    ).first()
    if other is not None:
        name = other.short_name or other.agency_name or f"số {other.id}"
        raise FieldsError(
            {"agency_id": f"Mã cơ quan «{agency_id}» đã là mã của cơ quan khác ({name})."}
        )
    if row.agency_id and row.agency_id != agency_id:
        count = _files_of(session, row.id)
        if count:
            raise FieldsError(
                {
                    "agency_id": f"Không đổi được mã cơ quan «{row.agency_id}»: cơ quan đã có "
                    f"{count} hồ sơ mang mã này trên giấy tờ đã in."
                }
            )


def update_settings(
    session: Session,
    data: IdentityInput,
    actor: Actor,
    *,
    now: datetime | None = None,
    agency: int = SOLO_AGENCY,
) -> SettingsView:
    """Validate and store an agency's identity and rules; every changed value is audited.

    The identifier used in codes is unique among the agencies, and no longer changes once the
    agency has files (their codes, printed, carry it).
    """
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa thông tin và giờ làm việc của Bộ phận Một cửa")
    row = load_settings_row(session, agency)
    changes = {
        name: clean for name, clean in check_identity(data).items() if getattr(row, name) != clean
    }
    if "agency_id" in changes:
        _check_agency_id(session, row, str(changes["agency_id"]))
    if "first_day" in changes:
        _check_first_day(session, changes["first_day"], now, agency)  # type: ignore[arg-type]
    for name, value in changes.items():
        setattr(row, name, value)
    if changes:
        row.updated_at = now
        audit(session, actor, "update_settings", "settings", str(agency), changes, at=now)
    session.flush()
    if "office_hours" in changes or "cutoff" in changes:
        # New hours move out the open files they make later, and no other (DOMAIN §4.1 rule 7).
        calendar_moves.apply_moves(session, actor, now, agency=agency)
    return settings_view(row)


# --- agencies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyView:
    """One agency of the database, as the agencies list and the pickers show it."""

    id: int
    agency_id: str
    agency_name: str
    governing_body: str
    unit_name: str
    place_name: str
    phone: str
    short_name: str
    active: bool
    files: int = 0  # files received for it (its identifier no longer changes once there are)
    users: int = 0  # users assigned to it

    @property
    def display_name(self) -> str:
        """How the pickers name it (as SettingsView.display_name)."""
        return self.short_name or self.agency_name or self.agency_id or f"Cơ quan {self.id}"


def _agency_view(row: DeskSettings, files: int = 0, users: int = 0) -> AgencyView:
    return AgencyView(
        id=row.id,
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        governing_body=row.governing_body,
        unit_name=row.unit_name,
        place_name=row.place_name,
        phone=row.phone,
        short_name=row.short_name,
        active=bool(row.active),
        files=files,
        users=users,
    )


def list_agencies(
    session: Session, *, scope: Scope = ALL, active_only: bool = False
) -> list[AgencyView]:
    """The agencies of the database in id order (closed ones too unless `active_only`), with
    how many files and users each has; `scope` keeps those a user works for."""
    files = dict(
        session.execute(select(FileRecord.agency, func.count()).group_by(FileRecord.agency)).all()
    )
    users = dict(
        session.execute(select(UserAgency.agency, func.count()).group_by(UserAgency.agency)).all()
    )
    query = select(DeskSettings).where(scope.where(DeskSettings.id)).order_by(DeskSettings.id)
    if active_only:
        query = query.where(DeskSettings.active.is_(True))
    return [
        _agency_view(row, int(files.get(row.id, 0)), int(users.get(row.id, 0)))
        for row in session.scalars(query)
    ]


def get_agency(session: Session, agency: int) -> AgencyView:
    row = session.get(DeskSettings, agency)
    if row is None:
        raise NotFoundError(f"Không có cơ quan số {agency}.", field="agency")
    return _agency_view(row, _files_of(session, agency))


def _check_short_name(short_name: str) -> str:
    try:
        return clean_name(
            check_text(short_name, field="short_name", label="Tên viết tắt", limit=60)
        )
    except ValidationError as exc:
        raise FieldsError({"short_name": exc.message}) from None


ADD_AGENCY_ATTEMPTS = 5


def _insert_agency(
    session: Session, cleaned: dict[str, object], short: str, now: datetime
) -> DeskSettings:
    """The new agency's row, with the next id after the highest (row 1 was written with its id,
    so PostgreSQL's sequence would hand out 1 again).

    The writers' lock (BEGIN IMMEDIATE, the advisory lock) makes "highest + 1" safe for the
    window and the command line. A session without it (a script, a tool's own transaction) on
    a server may race another administrator adding one at once: the second insert then waits
    for the first to commit and breaks the primary key (or the identifier's unique index).
    That insert alone is undone (a savepoint), the highest id and the identifier read again,
    and the next id taken; an identifier another agency took meanwhile is refused as if it had
    been there before."""
    agency_id = str(cleaned["agency_id"])
    for _attempt in range(ADD_AGENCY_ATTEMPTS):
        next_id = int(session.scalar(select(func.coalesce(func.max(DeskSettings.id), 0))) or 0)
        row = DeskSettings(
            id=next_id + 1, short_name=short, active=True, lookup_secret=lookup_keys.new_secret()
        )
        for name, value in cleaned.items():
            setattr(row, name, value)
        _check_agency_id(session, row, agency_id)
        row.updated_at = now
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # another administrator's agency came first: read again
        return row
    raise ValidationError(
        "Nhiều người cùng thêm cơ quan một lúc; chưa thêm được, hãy thử lại.", field="agency_id"
    )


def add_agency(
    session: Session,
    data: IdentityInput,
    actor: Actor,
    *,
    short_name: str = "",
    now: datetime | None = None,
) -> AgencyView:
    """Add an agency to the database (a centre's): its identity, with the identifier used in
    its file codes (required, unique); hours and form settings start at the defaults. Its sync
    settings row is made with it. Nobody is assigned to it yet."""
    now = now or clock.now()
    require_role(actor, ADMIN, "thêm cơ quan")
    errors: dict[str, str] = {}
    if not (data.agency_id or "").strip():
        errors["agency_id"] = "Cần mã cơ quan (dùng trong mã hồ sơ)."
    if not (data.agency_name or "").strip():
        errors["agency_name"] = "Cần tên cơ quan."
    try:
        cleaned = check_identity(data)
    except FieldsError as exc:
        errors = {**exc.errors, **errors}
        cleaned = {}
    try:
        short = _check_short_name(short_name)
    except FieldsError as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldsError(errors)
    if "first_day" in cleaned:
        _check_first_day(session, cleaned["first_day"], now, None)  # type: ignore[arg-type]
    row = _insert_agency(session, cleaned, short, now)
    ensure_sync_row(session, row.id)  # its own install id, naming its own token
    audit(
        session,
        actor,
        "add_agency",
        "settings",
        str(row.id),
        {**cleaned, "short_name": short},
        at=now,
    )
    session.flush()
    return _agency_view(row)


def update_agency(
    session: Session,
    agency: int,
    data: IdentityInput,
    actor: Actor,
    *,
    short_name: str | None = None,
    active: bool | None = None,
    now: datetime | None = None,
) -> AgencyView:
    """Change an agency's identity (as `update_settings`), short name, or whether it is in use:
    a closed agency takes no new files and no one works for it; the last open one stays open."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa thông tin cơ quan")
    row = session.get(DeskSettings, agency)
    if row is None:
        raise NotFoundError(f"Không có cơ quan số {agency}.", field="agency")
    changes: dict[str, object] = {}
    if short_name is not None:
        short = _check_short_name(short_name)
        if short != row.short_name:
            changes["short_name"] = short
    if active is not None and active != bool(row.active):
        if not active:
            others = session.scalar(
                select(func.count())
                .select_from(DeskSettings)
                .where(DeskSettings.active.is_(True), DeskSettings.id != agency)
            )
            if not others:
                raise FieldsError(
                    {"active": "Không đóng được cơ quan duy nhất đang hoạt động của cơ sở dữ liệu."}
                )
        changes["active"] = active
    update_settings(session, data, actor, now=now, agency=agency)
    for name, value in changes.items():
        setattr(row, name, value)
    if changes:
        row.updated_at = now
        audit(session, actor, "update_agency", "settings", str(agency), changes, at=now)
        session.flush()
    return _agency_view(row, _files_of(session, agency))


def earliest_counter_day(session: Session, agency: int | None = None) -> date | None:
    """The receipt day of the first file received at the counter (not imported), if any: of
    one agency, or of any (None)."""
    query = select(func.min(FileRecord.received_at)).where(FileRecord.source.is_(None))
    if agency is not None:
        query = query.where(FileRecord.agency == agency)
    first = session.scalar(query)
    return None if first is None else first.date()


def _check_first_day(session: Session, day: date, now: datetime, agency: int | None) -> None:
    # A new agency (None) has no file yet.
    earliest = None if agency is None else earliest_counter_day(session, agency)
    if earliest is not None and day > earliest:
        raise FieldsError(
            {
                "first_day": "Ngày bắt đầu dùng chương trình không được sau ngày tiếp nhận hồ sơ "
                f"đầu tiên ({earliest:%d/%m/%Y})."
            }
        )
    if day > now.date():
        raise FieldsError({"first_day": "Ngày bắt đầu dùng chương trình không được ở tương lai."})


def ensure_first_day(
    session: Session, actor: Actor, *, day: date | None = None, agency: int = SOLO_AGENCY
) -> date:
    """Set an agency's first day at set-up (`init`, the wizard, demo data): `day` (default
    today) when none is set, moved back to its first file received at the counter when one is
    older."""
    day = day or clock.now().date()
    row = load_settings_row(session, agency)
    candidates = [d for d in (row.first_day or day, earliest_counter_day(session, agency)) if d]
    first = min(candidates)
    if row.first_day != first:
        detail: dict[str, object] = {"first_day": first}
        audit(session, actor, "update_settings", "settings", str(agency), detail, at=None)
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


def _agency_detail(agency: int) -> dict[str, object]:
    """What a catalogue audit entry adds in a centre: the agency (a code is per agency)."""
    return {} if agency == SOLO_AGENCY else {"agency": agency}


def _require_agency(session: Session, agency: int) -> None:
    if session.get(DeskSettings, agency) is None:
        raise NotFoundError(f"Không có cơ quan số {agency}.", field="agency")


def import_catalog(
    session: Session,
    specs: list[ProcedureSpec],
    actor: Actor,
    *,
    now: datetime | None = None,
    agency: int = SOLO_AGENCY,
) -> CatalogImportResult:
    """Add or update an agency's procedures by code. Existing files keep the rule they were
    accepted with."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    _require_agency(session, agency)
    existing = {
        p.code: p for p in session.scalars(select(Procedure).where(Procedure.agency == agency))
    }
    added = updated = unchanged = 0
    for spec in specs:
        row = existing.get(spec.code)
        if row is None:
            row = Procedure(agency=agency)
            _apply_spec(row, spec)
            session.add(row)
            existing[spec.code] = row
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
        {"added": added, "updated": updated, "unchanged": unchanged, **_agency_detail(agency)},
        at=now,
    )
    session.flush()
    return CatalogImportResult(added, updated, unchanged)


def export_catalog(session: Session, agency: int = SOLO_AGENCY) -> list[ProcedureSpec]:
    """One agency's catalogue, retired procedures too, by code."""
    return [
        _spec_of(p)
        for p in session.scalars(
            select(Procedure).where(Procedure.agency == agency).order_by(Procedure.code)
        )
    ]


@dataclass(frozen=True)
class CatalogEntry:
    """A procedure with the agency whose catalogue lists it."""

    agency: int
    spec: ProcedureSpec


def catalog_entries(
    session: Session, *, scope: Scope = ALL, active_only: bool = False
) -> list[CatalogEntry]:
    """The procedures of the agencies in `scope` (a user's: theirs only), by agency and code."""
    query = (
        select(Procedure)
        .where(scope.where(Procedure.agency))
        .order_by(Procedure.agency, Procedure.code)
    )
    if active_only:
        query = query.where(Procedure.active.is_(True))
    return [CatalogEntry(p.agency, _spec_of(p)) for p in session.scalars(query)]


def catalog_size(session: Session, agency: int = SOLO_AGENCY) -> int:
    """How many procedures one agency's catalogue holds."""
    return int(
        session.scalar(
            select(func.count()).select_from(Procedure).where(Procedure.agency == agency)
        )
        or 0
    )


def _procedure(session: Session, agency: int, code: str) -> Procedure | None:
    return session.scalars(
        select(Procedure).where(Procedure.agency == agency, Procedure.code == code)
    ).one_or_none()


def save_procedure(
    session: Session,
    spec: ProcedureSpec,
    actor: Actor,
    *,
    new: bool,
    now: datetime | None = None,
    agency: int = SOLO_AGENCY,
) -> ProcedureSpec:
    """Add a procedure to an agency's catalogue (`new`) or replace the rule of its procedure
    with the same code.

    A procedure's code is its key within the agency: files refer to it, so editing never
    changes it. Files already accepted keep the due date they were given.
    """
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    _require_agency(session, agency)
    row = _procedure(session, agency, spec.code)
    if new and row is not None:
        raise ValidationError(f"Mã thủ tục «{spec.code}» đã có trong danh mục.", field="code")
    if not new and row is None:
        raise NotFoundError(f"Không có thủ tục mã «{spec.code}».", field="code")
    if row is None:
        row = Procedure(agency=agency)
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
        {"name": spec.name, "active": spec.active, **_agency_detail(agency)},
        at=now,
    )
    session.flush()
    return _spec_of(row)


def set_procedure_active(
    session: Session,
    code: str,
    active: bool,
    actor: Actor,
    *,
    now: datetime | None = None,
    agency: int = SOLO_AGENCY,
) -> ProcedureSpec:
    """Retire a procedure (no new files for it; old files keep it) or bring it back."""
    now = now or clock.now()
    require_role(actor, ADMIN, "sửa danh mục thủ tục")
    row = _procedure(session, agency, code)
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
            _agency_detail(agency) or None,
            at=now,
        )
        session.flush()
    return _spec_of(row)


__all__ = [
    "AgencyView",
    "CatalogEntry",
    "CatalogImportResult",
    "IdentityInput",
    "add_agency",
    "calendar_year",
    "catalog_entries",
    "catalog_size",
    "check_identity",
    "clear_calendar_day",
    "earliest_counter_day",
    "ensure_first_day",
    "export_catalog",
    "get_agency",
    "get_settings",
    "import_catalog",
    "list_agencies",
    "save_procedure",
    "set_calendar_day",
    "set_procedure_active",
    "update_agency",
    "update_settings",
]
