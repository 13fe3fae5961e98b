"""What every use case needs: the desk's settings, its working calendar, who acts and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.errors import ConfigurationError, DeskError
from desk_app.services.views import SettingsView
from desk_app.store.models import AuditEntry, CalendarOverride, DeskSettings


@dataclass(frozen=True)
class Actor:
    """Who performs an action: a signed-in user, or the admin command line (user_id None)."""

    user_id: int | None
    name: str
    role: str = "admin"
    username: str = ""  # the sign-in name; the window keeps each user's layout under it
    # The agencies this actor works for here: the user's assignments that the computer serves
    # (services/scope.py). None: every agency of the database (the command line, a solo desk's
    # set-up, an administrator).
    agencies: frozenset[int] | None = None
    # The counter (quầy) the computer names itself; written on the files and steps it takes.
    counter: str = ""


COMMAND_LINE = Actor(user_id=None, name="Dòng lệnh quản trị", role="admin")


class PermissionDeniedError(DeskError):
    """The signed-in user's role does not allow this action."""

    code = "permission_denied"


def require_role(actor: Actor, roles: frozenset[str], what: str) -> None:
    """Refuse `what` unless the actor has one of `roles` (the window hides it too)."""
    if actor.role not in roles:
        raise PermissionDeniedError(f"Tài khoản của bạn không có quyền {what}.")


ADMIN = frozenset({"admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})


SOLO_AGENCY = 1  # the agency of a solo desk, and of every row written before migration 0014


def load_settings_row(session: Session, agency: int = SOLO_AGENCY) -> DeskSettings:
    """An agency's settings row (the initial migration creates the solo desk's, id 1)."""
    row = session.get(DeskSettings, agency)
    if row is None:
        raise ConfigurationError("Cơ sở dữ liệu thiếu dòng cài đặt của Bộ phận Một cửa.")
    return row


def settings_view(row: DeskSettings) -> SettingsView:
    return SettingsView(
        agency=row.id,
        short_name=row.short_name,
        governing_body=row.governing_body,
        agency_name=row.agency_name,
        unit_name=row.unit_name,
        agency_id=row.agency_id,
        place_name=row.place_name,
        office_hours=row.office_hours,
        cutoff=time.fromisoformat(row.cutoff),
        due_soon_days=row.due_soon_days,
        max_reschedules=row.max_reschedules,
        supplement_suffix=row.supplement_suffix,
        refusal_suffix=row.refusal_suffix,
        apology_suffix=row.apology_suffix,
        lookup_url=row.lookup_url,
        phone=row.phone,
        form_set=row.form_set,
        receipt_layout=row.receipt_layout,
        reprint_mark=row.reprint_mark,
        first_day=row.first_day,
    )


def get_settings(session: Session, agency: int = SOLO_AGENCY) -> SettingsView:
    return settings_view(load_settings_row(session, agency))


@lru_cache(maxsize=16)
def _calendar(office_hours: str, overrides_json: str) -> WorkCalendar:
    raw: list[list[object]] = json.loads(overrides_json)
    overrides = {date.fromisoformat(str(d)): bool(w) for d, w, _ in raw}
    notes = {date.fromisoformat(str(d)): str(n) for d, _, n in raw}
    return WorkCalendar(
        office_hours=OfficeHours.parse(office_hours), overrides=overrides, override_notes=notes
    )


def load_calendar(
    session: Session, office_hours: str | None = None, *, agency: int = SOLO_AGENCY
) -> WorkCalendar:
    """The desk's working calendar: library holidays plus the administrator's overrides.

    The holidays and overrides are the centre's; the office hours are the agency's. Built
    calendars are cached by their inputs, so a use case pays for this only once.
    """
    if office_hours is None:
        office_hours = get_settings(session, agency).office_hours
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.working, CalendarOverride.note).order_by(
            CalendarOverride.day
        )
    ).all()
    key = json.dumps([[d.isoformat(), w, n] for d, w, n in rows], ensure_ascii=False)
    return _calendar(office_hours, key)


@dataclass(frozen=True)
class DeskContext:
    """An agency's settings and calendar for one transaction."""

    settings: SettingsView
    calendar: WorkCalendar

    @property
    def agency(self) -> int:
        return self.settings.agency

    @property
    def due_soon(self) -> timedelta:
        """Due soon: at most this much working time left (DOMAIN §4.1 rule 9), in working days
        of the desk's current hours, so a change of hours changes the threshold with them."""
        return self.calendar.day_length * float(self.settings.due_soon_days)

    def require_identity(self) -> None:
        if not self.settings.agency_id:
            raise ConfigurationError(
                "Chưa khai báo mã cơ quan (agency identifier) của Bộ phận Một cửa: "
                "hãy chạy lệnh 'init' hoặc vào Cài đặt."
            )


def load_context(session: Session, agency: int = SOLO_AGENCY) -> DeskContext:
    """The context of one agency: a file's steps use its own agency's (`record.agency`)."""
    settings = get_settings(session, agency)
    return DeskContext(settings=settings, calendar=load_calendar(session, settings.office_hours))


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None,
    detail: dict[str, object] | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Append one audit entry (the table refuses updates and deletes)."""
    session.add(
        AuditEntry(
            at=at or clock.now(),
            user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=None
            if detail is None
            else json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
        )
    )


def agency_counter(agency: int, name: str) -> str:
    """The counter `name` of one agency: the solo desk's agency keeps the names it had before
    agencies (so an existing desk's numbering continues); another agency's are prefixed."""
    return name if agency == SOLO_AGENCY else f"a{agency}:{name}"


def next_counter(session: Session, name: str) -> int:
    """Atomically take the next value of a named counter (the caller holds the write lock)."""
    value = session.execute(
        text(
            "INSERT INTO counters(name, value) VALUES (:name, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = counters.value + 1 RETURNING value"
        ),
        {"name": name},
    ).scalar_one()
    return int(value)


def decimal_hours(value: Decimal) -> timedelta:
    return timedelta(hours=float(value))
