"""Calendar and office-hour changes never rewrite history silently (DOMAIN §4.1 rule 7).

Before a change of a day or of the hours is saved, `preview_*` lists the open files whose due
the new rules would move. Saving the change (`apply_moves`, called by the services that save
it) moves only the files that the new rules make later, each with a "calendar" row in the due
history; a printed appointment is never moved earlier, and closed files are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.services.context import (
    SOLO_AGENCY,
    Actor,
    DeskContext,
    load_calendar,
    load_context,
)
from desk_app.services.queries import PAUSED, RUNNING, _status_in
from desk_app.services.records import (
    DueReason,
    applicant_due,
    latest_reschedule,
    rule_due,
    set_due,
)
from desk_app.store.models import CalendarOverride, FileRecord


@dataclass(frozen=True)
class DueMove:
    """An open file whose original due the new calendar gives differently."""

    code: str
    old_due: datetime
    new_due: datetime

    @property
    def later(self) -> bool:
        return self.new_due > self.old_due


@dataclass(frozen=True)
class CalendarImpact:
    """What a calendar or hours change would do: the files moved out, the files kept."""

    later: tuple[DueMove, ...]
    kept: tuple[DueMove, ...]  # the new rules would bring these earlier: they keep their due

    @property
    def empty(self) -> bool:
        return not self.later and not self.kept


def _open_files(session: Session, agency: int | None = None) -> list[FileRecord]:
    stmt = select(FileRecord).where(
        _status_in(RUNNING + PAUSED), FileRecord.original_due_at.is_not(None)
    )
    if agency is not None:
        stmt = stmt.where(FileRecord.agency == agency)
    return list(session.scalars(stmt.order_by(FileRecord.original_due_at, FileRecord.id)))


def impact(
    session: Session,
    calendar: WorkCalendar,
    cutoff: time | None = None,
    *,
    agency: int | None = None,
) -> CalendarImpact:
    """The open files whose original due `calendar` (and the desk cut-off `cutoff`) would move.

    With `agency`, that agency's files under `calendar` as it is (its hours about to change).
    Without, every agency's: the calendar days (`calendar`'s holidays and overrides) are the
    centre's, but each file keeps its own agency's office hours and, unless `cutoff` is given,
    its agency's cut-off.
    """
    contexts: dict[int, tuple[DeskContext, WorkCalendar]] = {}
    later: list[DueMove] = []
    kept: list[DueMove] = []
    for record in _open_files(session, agency):
        if record.agency not in contexts:
            ctx = load_context(session, record.agency)
            hours = ctx.calendar.office_hours
            own = calendar if agency is not None else calendar.with_office_hours(hours)
            contexts[record.agency] = (ctx, own)
        ctx, own = contexts[record.agency]
        new = rule_due(session, record, ctx, calendar=own, desk_cutoff=cutoff)
        old = record.original_due_at
        if new is None or old is None or new == old:
            continue
        (later if new > old else kept).append(DueMove(record.code, old, new))
    return CalendarImpact(tuple(later), tuple(kept))


def _overrides(session: Session) -> tuple[dict[date, bool], dict[date, str]]:
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.working, CalendarOverride.note)
    ).all()
    return {d: bool(w) for d, w, _ in rows}, {d: str(n) for d, _, n in rows}


def preview_day(
    session: Session, day: date, working: bool | None, note: str = ""
) -> CalendarImpact:
    """What setting `day` working / off (None: clearing the administrator's override) would move:
    the day is the centre's, so every agency's files, each under its own agency's hours."""
    overrides, notes = _overrides(session)
    if working is None:
        overrides.pop(day, None)
        notes.pop(day, None)
    else:
        overrides[day], notes[day] = working, note
    calendar = WorkCalendar(
        office_hours=load_calendar(session).office_hours, overrides=overrides, override_notes=notes
    )
    return impact(session, calendar)


def preview_hours(
    session: Session,
    office_hours: str | None = None,
    cutoff: str | None = None,
    *,
    agency: int = SOLO_AGENCY,
) -> CalendarImpact:
    """What new office hours and / or a new same-day cut-off of `agency` would move (its files
    only: the hours and the cut-off are the agency's)."""
    ctx = load_context(session, agency)
    hours = ctx.settings.office_hours if office_hours is None else office_hours
    calendar = load_calendar(session, OfficeHours.parse(hours).format())
    return impact(
        session,
        calendar,
        time.fromisoformat(cutoff) if cutoff else ctx.settings.cutoff,
        agency=agency,
    )


def apply_moves(
    session: Session, actor: Actor, now: datetime, *, agency: int | None = None
) -> CalendarImpact:
    """After a calendar or hours change is stored: move out the files the new rules make later.

    `agency`: that agency's hours or cut-off changed, only its files move; None: the centre's
    calendar days changed, every agency's files move, each under its own agency's hours.
    The others keep the due they hold (a printed appointment is never moved earlier).
    """
    session.flush()
    calendar = load_calendar(session, agency=agency if agency is not None else SOLO_AGENCY)
    found = impact(session, calendar, agency=agency)
    moved = {m.code: m for m in found.later}
    for record in _open_files(session, agency):
        move = moved.get(record.code)
        if move is None:
            continue
        latest = latest_reschedule(session, record)
        set_due(
            session,
            record,
            due=applicant_due(move.new_due, latest.new_due_at if latest else None),
            original=move.new_due,
            at=now,
            why=DueReason.CALENDAR,
            actor=actor,
        )
    session.flush()
    return found


def describe(found: CalendarImpact, *, limit: int = 20) -> list[str]:
    """Vietnamese lines for the confirmation: the files moved out, and how many keep their due."""
    lines: list[str] = []
    if found.later:
        lines.append(f"{len(found.later)} hồ sơ đang giải quyết sẽ lùi hạn trả kết quả:")
        for m in found.later[:limit]:
            lines.append(f"  {m.code}: {m.old_due:%H:%M %d/%m/%Y} → {m.new_due:%H:%M %d/%m/%Y}")
        if len(found.later) > limit:
            lines.append(f"  … và {len(found.later) - limit} hồ sơ khác")
    if found.kept:
        lines.append(
            f"{len(found.kept)} hồ sơ theo lịch mới sẽ đến hạn sớm hơn: giữ nguyên hạn đã hẹn."
        )
    return lines
