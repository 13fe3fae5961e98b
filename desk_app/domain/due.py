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


class PauseKind(StrEnum):
    """Why the clock stopped: a supplement (status 5) or a financial obligation (status 6)."""

    SUPPLEMENT = "supplement"
    FINANCIAL = "financial"


@dataclass(frozen=True)
class Pause:
    """A stretch in which the clock is stopped (statuses 5 and 6); end None = still paused."""

    start: datetime
    end: datetime | None = None
    kind: PauseKind = PauseKind.SUPPLEMENT


def _pause_end(pause: Pause, now: datetime | None) -> datetime:
    """An open pause ends at `now` (at its own start when `now` is None or earlier)."""
    if pause.end is not None:
        return pause.end
    return pause.start if now is None else max(pause.start, now)


def _check_pauses(ordered: Sequence[Pause]) -> None:
    for i, pause in enumerate(ordered):
        if pause.end is None and i != len(ordered) - 1:
            raise ValidationError(
                "Chỉ lần tạm dừng sau cùng mới được phép chưa kết thúc.", field="pauses"
            )
        if pause.end is not None and pause.end < pause.start:
            raise ValidationError(
                "Thời điểm tiếp tục xử lý phải sau thời điểm tạm dừng.", field="pauses"
            )


def _merge(
    start: datetime, intervals: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Intervals after `start`, sorted and merged.

    Parts before `start` are dropped: the clock had not started, so there was nothing to stop.
    Overlapping pauses (e.g. from a corrected history) are merged rather than counted twice.
    """
    merged: list[tuple[datetime, datetime]] = []
    for raw_begin, end in sorted(intervals):
        if end <= start:
            continue
        begin = max(raw_begin, start)
        if merged and begin <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


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


def _same_day_due(cal: WorkCalendar, start: datetime, cutoff: time) -> datetime:
    day = start.date()
    if start.time() < cutoff and cal.is_working_date(day) and start < cal.closing_time(day):
        return cal.closing_time(day)
    return cal.closing_time(cal.next_working_date(day))


def _due_from(
    cal: WorkCalendar,
    start: datetime,
    duration: Decimal,
    unit: DurationUnit,
    stops: Sequence[tuple[datetime, datetime]],
    cutoff: time,
) -> datetime:
    """The due of a clock started at `start` and stopped in `stops` (all started before it)."""
    intervals = _merge(start, stops)
    if unit is DurationUnit.CALENDAR_DAYS:
        days = int(duration) + sum((end.date() - begin.date()).days for begin, end in intervals)
        target = cal.next_working_date(start.date() + timedelta(days=days), include_today=True)
        return datetime.combine(target, start.time())
    if unit is DurationUnit.SAME_DAY:
        plain = _same_day_due(cal, start, cutoff)
        required = cal.working_time(start, plain)
        if not intervals or required <= timedelta(0):
            return plain
    else:
        required = timedelta(microseconds=_required_us(cal, duration, unit))
    if not intervals:
        return cal.add_working_time(start, required)
    return _add_with_pauses(cal, start, required, intervals)


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
    """The due moment of a file by the rules of DOMAIN §4 and §4.1, or None without a time limit.

    This is the one home of the pause rules; the services only pass the file's history in. The
    due is always recomputed from the receipt and the whole pause list, pause by pause in order,
    so that each pause is judged against the due as it stood when that pause started:

    - a pause that starts at or after that due moves nothing (§4.1 rule 1: a late file stays
      late), for every unit;
    - with `restart_on_supplement`, a supplement pause (never a financial one, rule 2) restarts
      the full time from its resume moment (same day: the same-day rule, cut-off included, runs
      again from the resume moment; calendar days take the resume moment's time of day);
    - otherwise a pause stops the clock: working days and hours do not count the working time
      inside it; same day needs W(received, same-day due) of working time, stopped like the
      working-hours rule (rule 3); calendar days move the date by the calendar days the pause
      covered, resume date minus pause date, then to the next working date (rule 4).

    An open pause (end None) is taken to end at `now`, i.e. "the due if the file resumed now";
    without `now` it ends at its own start (the due as it stands while the file is paused).
    `cutoff`: a same-day file received at or after it (or after closing) is due at the closing
    time of the next working date. Calendar-day durations must be whole.
    """
    if unit is DurationUnit.NONE:
        return None
    if not isinstance(duration, Decimal):
        duration = Decimal(duration)
    if not duration.is_finite() or duration < 0:
        raise ValidationError("Thời hạn giải quyết phải là một số không âm.", field="duration")
    if unit is DurationUnit.CALENDAR_DAYS and duration != duration.to_integral_value():
        raise ValidationError("Thời hạn tính theo ngày phải là số ngày nguyên.", field="duration")
    ordered = sorted(pauses, key=lambda p: p.start)
    _check_pauses(ordered)
    start = received
    stops: list[tuple[datetime, datetime]] = []
    due = _due_from(cal, start, duration, unit, stops, cutoff)
    for pause in ordered:
        if pause.start >= due:
            # Later pauses start later still, and the due did not move: none of them counts.
            break
        end = _pause_end(pause, now)
        if end <= start:
            continue
        if restart_on_supplement and pause.kind is PauseKind.SUPPLEMENT:
            start, stops = max(end, received), []
        else:
            stops.append((pause.start, end))
        due = _due_from(cal, start, duration, unit, stops, cutoff)
    return due


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
    if due <= due_soon_limit(cal, now, due_soon):
        return DeadlineState.DUE_SOON
    return DeadlineState.IN_TIME


def due_soon_limit(cal: WorkCalendar, now: datetime, due_soon: timedelta | None = None) -> datetime:
    """The latest due that is "due soon" at `now` (DOMAIN §4.1 rule 9).

    A due d ≥ now is due soon when the working time left, W(now, d), is at most `due_soon`
    (default one working day). W stops growing outside office hours, so the limit is not the
    moment the threshold is used up but the next opening after it: a due at 12:00 or 19:00 is
    judged like the 11:30 or 17:00 before it. The row colour (`deadline_state`), the due-soon
    queue and the supervisor's watch all use this one limit, so they always agree.
    """
    threshold = cal.day_length if due_soon is None else due_soon
    used_up = cal.add_working_time(now, threshold)
    step = timedelta(microseconds=1)
    return cal.add_working_time(used_up, step) - step


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
