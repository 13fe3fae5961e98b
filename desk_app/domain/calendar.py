"""Working calendar of a desk: office hours, working dates, working-time arithmetic (DOMAIN §3)."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from desk_app.errors import ConfigurationError, ValidationError

_US_PER_SECOND = 1_000_000
_SATURDAY = 5

# A run of years without a single working date can only come from a broken provider or override
# table; stop instead of searching towards date.max.
_MAX_EMPTY_YEARS = 3

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

REASON_WORKING = "Ngày làm việc"
REASON_WEEKEND = "Cuối tuần"
REASON_MAKE_UP_SATURDAY = "Thứ Bảy làm bù"
REASON_MAKE_UP_DAY = "Ngày làm bù"
REASON_OVERRIDE = "Điều chỉnh của quản trị"


def _time_us(t: time | datetime) -> int:
    """Time of day in microseconds since midnight (of a time or of a datetime's wall clock)."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _timedelta_us(td: timedelta) -> int:
    return (td.days * 86_400 + td.seconds) * _US_PER_SECOND + td.microseconds


def _format_time(t: time) -> str:
    if t.second or t.microsecond:
        return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return f"{t.hour:02d}:{t.minute:02d}"


def _parse_time(text: str) -> time:
    match = _TIME_RE.match(text.strip())
    if match is None:
        raise ValidationError(
            f"Giờ không hợp lệ: «{text.strip()}» (cần dạng GG:PP, ví dụ 07:30).",
            field="office_hours",
        )
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] is not None else 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(
            f"Giờ không hợp lệ: «{text.strip()}».",
            field="office_hours",
        )
    return time(hour, minute, second)


@dataclass(frozen=True)
class OfficeSession:
    """One opening period of a working date, e.g. the morning 07:00–11:30."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValidationError(
                "Giờ làm việc phải là giờ địa phương, không kèm múi giờ.", field="office_hours"
            )
        if self.start >= self.end:
            raise ValidationError(
                f"Buổi làm việc {_format_time(self.start)}-{_format_time(self.end)}: "
                "giờ bắt đầu phải trước giờ kết thúc.",
                field="office_hours",
            )

    @property
    def length(self) -> timedelta:
        return timedelta(microseconds=_time_us(self.end) - _time_us(self.start))

    def format(self) -> str:
        return f"{_format_time(self.start)}-{_format_time(self.end)}"


@dataclass(frozen=True)
class OfficeHours:
    """The office sessions shared by every working date of a desk, in order."""

    sessions: tuple[OfficeSession, ...]

    def __post_init__(self) -> None:
        if not self.sessions:
            raise ValidationError("Cần ít nhất một buổi làm việc.", field="office_hours")
        for before, after in zip(self.sessions, self.sessions[1:], strict=False):
            if after.start < before.end:
                raise ValidationError(
                    f"Các buổi làm việc phải theo thứ tự và không chồng lên nhau "
                    f"({before.format()} và {after.format()}).",
                    field="office_hours",
                )

    @classmethod
    def default(cls) -> OfficeHours:
        """07:00–11:30 and 13:30–17:00, the hours DOMAIN §3 ships with."""
        return cls(
            (
                OfficeSession(time(7, 0), time(11, 30)),
                OfficeSession(time(13, 30), time(17, 0)),
            )
        )

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Read "07:00-11:30,13:30-17:00" (an en dash is accepted as well as a hyphen)."""
        parts = [p for p in text.split(",") if p.strip()]
        if not parts:
            raise ValidationError("Chưa nhập giờ làm việc.", field="office_hours")
        sessions = []
        for part in parts:
            bounds = part.replace("–", "-").split("-")
            if len(bounds) != 2:
                raise ValidationError(
                    f"Buổi làm việc không hợp lệ: «{part.strip()}» (cần dạng 07:00-11:30).",
                    field="office_hours",
                )
            sessions.append(OfficeSession(_parse_time(bounds[0]), _parse_time(bounds[1])))
        return cls(tuple(sessions))

    def format(self) -> str:
        """The inverse of `parse`: "07:00-11:30,13:30-17:00"."""
        return ",".join(s.format() for s in self.sessions)

    @property
    def day_length(self) -> timedelta:
        """Working time of one full working date (8 hours by default)."""
        return sum((s.length for s in self.sessions), timedelta())

    @property
    def opening(self) -> time:
        return self.sessions[0].start

    @property
    def closing(self) -> time:
        return self.sessions[-1].end


class HolidayProvider(Protocol):
    """What the calendar needs from a `holidays` object (the real one is `holidays` country VN)."""

    @property
    def weekend_workdays(self) -> Collection[date]: ...

    def get(self, key: date, /) -> str | None: ...


def default_holiday_provider() -> HolidayProvider:
    """Vietnamese public holidays with Vietnamese names; years are computed on first use."""
    # Imported on demand: the import is slow and calendars given their own provider never need it.
    from holidays import country_holidays

    return country_holidays("VN", language="vi")


@dataclass(frozen=True)
class DayInfo:
    """Whether a date is a working date, and why (Vietnamese text for the calendar screen)."""

    date: date
    working: bool
    reason: str


class _Year:
    """Working-date table of one year, indexed by day of year (0 = 1 January)."""

    __slots__ = ("cum", "first_ordinal", "flags", "size")

    def __init__(self, first_ordinal: int, flags: bytes) -> None:
        self.first_ordinal = first_ordinal
        self.flags = flags
        self.size = len(flags)
        # cum[i] = number of working dates among days 0..i-1: whole-day spans become subtraction
        # and "the k-th working date after" becomes a bisection.
        cum = [0] * (self.size + 1)
        running = 0
        for i, flag in enumerate(flags):
            running += flag
            cum[i + 1] = running
        self.cum = cum


class WorkCalendar:
    """Working dates and working time of one desk.

    Precedence for a date (DOMAIN §3): administrator override, then make-up Saturday, then
    Monday–Friday that is not a public or compensatory holiday. The overrides are copied when the
    calendar is built; build a new calendar after the administrator edits them. Safe to share
    between threads. Datetimes are naive local wall-clock times.
    """

    def __init__(
        self,
        office_hours: OfficeHours | None = None,
        overrides: Mapping[date, bool] | None = None,
        *,
        override_notes: Mapping[date, str] | None = None,
        holiday_provider: HolidayProvider | None = None,
    ) -> None:
        self._office_hours = office_hours if office_hours is not None else OfficeHours.default()
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._override_notes: dict[date, str] = dict(override_notes or {})
        self._provider = holiday_provider
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()
        # (start, end, working time before start) per session, in microseconds since midnight.
        spans = []
        before = 0
        for s in self._office_hours.sessions:
            start, end = _time_us(s.start), _time_us(s.end)
            spans.append((start, end, before))
            before += end - start
        self._spans: tuple[tuple[int, int, int], ...] = tuple(spans)
        self._day_us = before
        self._closing_us = spans[-1][1]

    @property
    def office_hours(self) -> OfficeHours:
        return self._office_hours

    def with_office_hours(self, office_hours: OfficeHours) -> WorkCalendar:
        """The same dates with other office hours (another agency's, in a centre)."""
        if office_hours == self._office_hours:
            return self
        return WorkCalendar(
            office_hours,
            self._overrides,
            override_notes=self._override_notes,
            holiday_provider=self._provider,
        )

    @property
    def day_length(self) -> timedelta:
        return timedelta(microseconds=self._day_us)

    # --- working dates -----------------------------------------------------------------------

    def _holidays(self) -> HolidayProvider:
        if self._provider is None:
            self._provider = default_holiday_provider()
        return self._provider

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            with self._lock:
                table = self._years.get(year)
                if table is None:
                    table = self._build_year(year)
                    self._years[year] = table
        return table

    def _build_year(self, year: int) -> _Year:
        provider = self._holidays()
        # A swap may pair a Saturday with a day off in the neighbouring year (Sat 27/12/2014 for
        # Fri 02/01/2015), and the provider records the Saturday only when it computes the year
        # of the day off, so compute the neighbours first.
        for y in (year - 1, year + 1, year):
            if date.min.year <= y <= date.max.year:
                provider.get(date(y, 1, 1))
        make_up = provider.weekend_workdays
        first = date(year, 1, 1).toordinal()
        size = date(year, 12, 31).toordinal() - first + 1
        flags = bytearray(size)
        for i in range(size):
            d = date.fromordinal(first + i)
            override = self._overrides.get(d)
            if override is not None:
                working = override
            elif d in make_up:
                working = True
            else:
                working = d.weekday() < _SATURDAY and provider.get(d) is None
            flags[i] = working
        return _Year(first, bytes(flags))

    def is_working_date(self, d: date) -> bool:
        table = self._year(d.year)
        return bool(table.flags[d.toordinal() - table.first_ordinal])

    def day_info(self, d: date) -> DayInfo:
        """The date's status with a Vietnamese reason (holiday name, make-up day, override...)."""
        working = self.is_working_date(d)
        if d in self._overrides:
            note = self._override_notes.get(d, "").strip()
            reason = f"{REASON_OVERRIDE}: {note}" if note else REASON_OVERRIDE
        elif d in self._holidays().weekend_workdays:
            reason = REASON_MAKE_UP_SATURDAY if d.weekday() == _SATURDAY else REASON_MAKE_UP_DAY
        else:
            name = self._holidays().get(d)
            if name:
                reason = name
            elif d.weekday() >= _SATURDAY:
                reason = REASON_WEEKEND
            else:
                reason = REASON_WORKING
        return DayInfo(d, working, reason)

    def year(self, year: int) -> list[DayInfo]:
        """Every date of the year, 1 January first."""
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        return [self.day_info(date.fromordinal(o)) for o in range(first, last + 1)]

    def _kth_working_after(self, ordinal: int, k: int) -> int:
        """Ordinal of the k-th working date strictly after `ordinal` (k >= 1)."""
        year = date.fromordinal(ordinal).year
        table = self._year(year)
        index = ordinal - table.first_ordinal + 1
        empty_years = 0
        while True:
            cum = table.cum
            available = cum[table.size] - cum[index]
            if k <= available:
                j = bisect_left(cum, cum[index] + k, index)
                return table.first_ordinal + j - 1
            k -= available
            if index == 0 and available == 0:
                empty_years += 1
                if empty_years >= _MAX_EMPTY_YEARS:
                    raise ConfigurationError(
                        f"Lịch không có ngày làm việc nào trong {_MAX_EMPTY_YEARS} năm liền "
                        f"(đến năm {year}); kiểm tra các điều chỉnh ngày nghỉ."
                    )
            else:
                empty_years = 0
            year += 1
            table = self._year(year)
            index = 0

    def _count_working(self, first: int, stop: int) -> int:
        """Number of working dates with ordinal in [first, stop)."""
        total = 0
        while first < stop:
            table = self._year(date.fromordinal(first).year)
            end = min(stop, table.first_ordinal + table.size)
            total += table.cum[end - table.first_ordinal] - table.cum[first - table.first_ordinal]
            first = end
        return total

    def next_working_date(self, d: date, *, include_today: bool = False) -> date:
        """The first working date after `d` (or `d` itself when `include_today` and it works)."""
        if include_today and self.is_working_date(d):
            return d
        return date.fromordinal(self._kth_working_after(d.toordinal(), 1))

    # --- working time ------------------------------------------------------------------------

    def _worked_before(self, tod: int) -> int:
        """Working time of a working date from midnight to time-of-day `tod` (microseconds)."""
        for start, end, before in self._spans:
            if tod <= end:
                return before + (tod - start if tod > start else 0)
        return self._day_us

    def _moment_after(self, worked: int) -> int:
        """Earliest time of day by which `worked` (> 0) microseconds of work are done.

        Earliest, so that work running out at the end of a session stops there (11:30) rather
        than at the start of the next one (13:30).
        """
        for start, end, before in self._spans:
            if worked <= before + (end - start):
                return start + worked - before
        return self._closing_us

    def closing_time(self, d: date) -> datetime:
        """End of the last office session on `d` (whether or not `d` is a working date)."""
        return datetime.combine(d, self._office_hours.closing)

    def working_time(self, a: datetime, b: datetime) -> timedelta:
        """W(a, b) of DOMAIN §4: the part of [a, b] inside office sessions of working dates."""
        return timedelta(microseconds=self._working_us(a, b))

    def _working_us(self, a: datetime, b: datetime) -> int:
        if b <= a:
            return 0
        da, db = a.date(), b.date()
        worked_a = self._worked_before(_time_us(a))
        worked_b = self._worked_before(_time_us(b))
        if da == db:
            return worked_b - worked_a if self.is_working_date(da) else 0
        total = 0
        if self.is_working_date(da):
            total += self._day_us - worked_a
        if self.is_working_date(db):
            total += worked_b
        return total + self._day_us * self._count_working(da.toordinal() + 1, db.toordinal())

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """Earliest t >= start with W(start, t) >= amount; `start` itself for amount <= 0."""
        return self._add_us(start, _timedelta_us(amount))

    def _add_us(self, start: datetime, amount: int) -> datetime:
        if amount <= 0:
            return start
        d = start.date()
        table = self._year(d.year)
        ordinal = d.toordinal()
        if table.flags[ordinal - table.first_ordinal]:
            worked = self._worked_before(_time_us(start))
            left_today = self._day_us - worked
            if amount <= left_today:
                return _at(d, self._moment_after(worked + amount))
            amount -= left_today
        # Whole days are skipped with the cumulative table; the last day gets the remainder in
        # (0, day], so a remainder of a full day ends at closing time.
        days, rest = divmod(amount, self._day_us)
        if rest == 0:
            rest = self._day_us
        else:
            days += 1
        last = date.fromordinal(self._kth_working_after(ordinal, days))
        return _at(last, self._moment_after(rest))


def _at(d: date, tod: int) -> datetime:
    return datetime(d.year, d.month, d.day) + timedelta(microseconds=tod)
