"""Due dates, pauses, deadline states and settlement outcomes (DOMAIN §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from desk_app.domain.calendar import WorkCalendar
from desk_app.errors import ValidationError

_US_PER_HOUR = 3_600_000_000


class DurationUnit(StrEnum):
    """Unit of a procedure's processing time."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"
    NONE = "none"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    DurationUnit.WORKING_DAYS: "ngày làm việc",
    DurationUnit.WORKING_HOURS: "giờ làm việc",
    DurationUnit.CALENDAR_DAYS: "ngày",
    DurationUnit.SAME_DAY: "trong ngày",
    DurationUnit.NONE: "không quy định thời hạn",
}


@dataclass(frozen=True)
class Pause:
    """A stretch in which the clock is stopped (statuses 5 and 6); end None = still paused."""

    start: datetime
    end: datetime | None = None


def _resolve_pauses(
    received: datetime, pauses: Sequence[Pause], now: datetime | None
) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """Merged pause intervals after `received`, and the resume moment of the last pause.

    An open pause ends at `now` (its start when `now` is None or earlier). Parts of pauses before
    the receipt are dropped: the clock had not started, so there was nothing to stop. Overlapping
    pauses (e.g. from a corrected history) are merged rather than counted twice.
    """
    ordered = sorted(pauses, key=lambda p: p.start)
    intervals: list[tuple[datetime, datetime]] = []
    for i, pause in enumerate(ordered):
        if pause.end is None:
            if i != len(ordered) - 1:
                raise ValidationError(
                    "Chỉ lần tạm dừng sau cùng mới được phép chưa kết thúc.", field="pauses"
                )
            end = pause.start if now is None else max(pause.start, now)
        else:
            if pause.end < pause.start:
                raise ValidationError(
                    "Thời điểm tiếp tục xử lý phải sau thời điểm tạm dừng.", field="pauses"
                )
            end = pause.end
        if end <= received:
            continue
        start = max(pause.start, received)
        if intervals and start <= intervals[-1][1]:
            if end > intervals[-1][1]:
                intervals[-1] = (intervals[-1][0], end)
        else:
            intervals.append((start, end))
    # With overlapping pauses the clock can only restart once none of them is still open.
    return intervals, (intervals[-1][1] if intervals else None)


def _required_us(cal: WorkCalendar, duration: Decimal, unit: DurationUnit) -> int:
    per_unit = (
        cal.day_length // timedelta(microseconds=1)
        if unit is DurationUnit.WORKING_DAYS
        else _US_PER_HOUR
    )
    # Rounded up so that the due never falls short of the legal time, even by a microsecond.
    return int((duration * per_unit).to_integral_value(rounding=ROUND_CEILING))


def _add_with_pauses(
    cal: WorkCalendar,
    received: datetime,
    required: timedelta,
    intervals: list[tuple[datetime, datetime]],
) -> datetime:
    """Earliest t with (W(received, t) minus the working time inside pauses) >= required."""
    cursor = received
    left = required
    for start, end in intervals:
        if end <= cursor:
            continue
        candidate = cal.add_working_time(cursor, left)
        if candidate <= start:
            return candidate
        if start > cursor:
            left -= cal.working_time(cursor, start)
        cursor = end
    return cal.add_working_time(cursor, left)


def compute_due(
    cal: WorkCalendar,
    received: datetime,
    duration: Decimal | int,
    unit: DurationUnit,
    pauses: Sequence[Pause] = (),
    *,
    restart_on_supplement: bool = False,
    cutoff: time = time(15, 0),
    now: datetime | None = None,
) -> datetime | None:
    """The due moment of a file by the rules of DOMAIN §4, or None when there is no time limit.

    Pauses stop the clock and the due is always recomputed from the receipt and the whole pause
    list. An open pause (end None) is taken to end at `now`, i.e. "the due if the file resumed
    now"; without `now` it is taken to end at its own start (the earliest possible due).

    - working days / hours: the clock does not run in the working time inside pauses. With
      `restart_on_supplement` the full duration runs again from the end of the last pause.
    - calendar days (N must be whole): the date moves on by the number of calendar days the
      pauses cover, counted as resume date minus pause date for each merged pause (a pause
      opened and closed on the same date adds nothing, Monday to Wednesday adds two), then to the
      next working date if needed; the time of day stays the receipt's. With
      `restart_on_supplement` the N days run from the resume moment and take its time of day.
    - same day: a pause always restarts the rule from the resume moment, since "the same day"
      can only mean the day the complete file is in hand.
    - `cutoff`: a same-day file received at or after it (or after closing) is due at the closing
      time of the next working date.
    """
    if unit is DurationUnit.NONE:
        return None
    if not isinstance(duration, Decimal):
        duration = Decimal(duration)
    if not duration.is_finite() or duration < 0:
        raise ValidationError("Thời hạn giải quyết phải là một số không âm.", field="duration")
    intervals, resumed = _resolve_pauses(received, pauses, now) if pauses else ([], None)

    if unit is DurationUnit.SAME_DAY:
        start = resumed if resumed is not None else received
        day = start.date()
        if start.time() < cutoff and cal.is_working_date(day) and start < cal.closing_time(day):
            return cal.closing_time(day)
        return cal.closing_time(cal.next_working_date(day))

    if unit is DurationUnit.CALENDAR_DAYS:
        if duration != duration.to_integral_value():
            raise ValidationError(
                "Thời hạn tính theo ngày phải là số ngày nguyên.", field="duration"
            )
        days = int(duration)
        if restart_on_supplement and resumed is not None:
            start = resumed
        else:
            start = received
            days += sum((end.date() - begin.date()).days for begin, end in intervals)
        target = cal.next_working_date(start.date() + timedelta(days=days), include_today=True)
        return datetime.combine(target, start.time())

    required = timedelta(microseconds=_required_us(cal, duration, unit))
    if restart_on_supplement and resumed is not None:
        return cal.add_working_time(resumed, required)
    if not intervals:
        return cal.add_working_time(received, required)
    return _add_with_pauses(cal, received, required, intervals)


class DeadlineState(StrEnum):
    """How an open file stands against its due moment, for colouring and filtering."""

    PAUSED = "paused"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    IN_TIME = "in_time"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    DeadlineState.PAUSED: "Tạm dừng",
    DeadlineState.OVERDUE: "Quá hạn",
    DeadlineState.DUE_SOON: "Sắp đến hạn",
    DeadlineState.IN_TIME: "Trong hạn",
}


def deadline_state(
    cal: WorkCalendar,
    due: datetime | None,
    now: datetime,
    *,
    paused: bool,
    due_soon: timedelta | None = None,
) -> DeadlineState:
    """Paused first; overdue when `now` is strictly past `due`; due soon when the working time
    left is at most `due_soon` (default: one full working day of the calendar)."""
    if paused:
        return DeadlineState.PAUSED
    if due is None:
        return DeadlineState.IN_TIME
    if now > due:
        return DeadlineState.OVERDUE
    threshold = cal.day_length if due_soon is None else due_soon
    if cal.working_time(now, due) <= threshold:
        return DeadlineState.DUE_SOON
    return DeadlineState.IN_TIME


def remaining_working_time(cal: WorkCalendar, due: datetime, now: datetime) -> timedelta:
    """W(now, due) while in time; minus W(due, now) once overdue.

    Past the due moment but outside office hours (due 17:00, now 19:00) this is zero even though
    the file is overdue; use `deadline_state` for the verdict and this only for the amount.
    """
    if now <= due:
        return cal.working_time(now, due)
    return -cal.working_time(due, now)


def describe_remaining(td: timedelta, day_length: timedelta) -> str:
    """Vietnamese words for a remaining working time: "còn 2 ngày 3 giờ", "quá hạn 45 phút".

    Days are working days of `day_length`. Whole minutes only, rounded towards zero, so the text
    never promises more time than is left; under a minute reads "dưới 1 phút".
    """
    if day_length <= timedelta(0):
        raise ValidationError("Độ dài ngày làm việc phải lớn hơn 0.", field="day_length")
    if td == timedelta(0):
        return "đến hạn"
    prefix = "còn" if td > timedelta(0) else "quá hạn"
    minutes = abs(td) // timedelta(minutes=1)
    if minutes == 0:
        return f"{prefix} dưới 1 phút"
    day_minutes = max(1, day_length // timedelta(minutes=1))
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} ngày")
    if hours:
        parts.append(f"{hours} giờ")
    if mins:
        parts.append(f"{mins} phút")
    return f"{prefix} {' '.join(parts)}"


class Outcome(StrEnum):
    """How a settled file ended against its original due."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.EARLY: "Trước hạn",
    Outcome.ON_TIME: "Đúng hạn",
    Outcome.LATE: "Quá hạn",
}


def settlement_outcome(original_due: datetime | None, settled_at: datetime) -> Outcome:
    """Early before the due date, on time on the due date up to the due moment, late after it.

    A file with no time limit cannot be early or late, so it counts as on time. "Before the due
    date" means any earlier date, a settlement recorded on a weekend included.
    """
    if original_due is None:
        return Outcome.ON_TIME
    if settled_at.date() < original_due.date():
        return Outcome.EARLY
    if settled_at <= original_due:
        return Outcome.ON_TIME
    return Outcome.LATE
