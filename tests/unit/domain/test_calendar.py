"""Working calendar: office hours, working dates of 2025–2026 and working-time arithmetic."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.calendar import DayInfo, OfficeHours, OfficeSession, WorkCalendar
from desk_app.errors import ConfigurationError, ValidationError

# One calendar for the module: its per-year tables are built once, as in the program.
CAL = WorkCalendar()

H = timedelta(hours=1)
M = timedelta(minutes=1)


def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s)


# --- office hours ---------------------------------------------------------------------------


def test_default_office_hours() -> None:
    hours = OfficeHours.default()
    assert hours.sessions == (
        OfficeSession(time(7, 0), time(11, 30)),
        OfficeSession(time(13, 30), time(17, 0)),
    )
    assert hours.day_length == timedelta(hours=8)
    assert hours.format() == "07:00-11:30,13:30-17:00"
    assert OfficeHours.parse("07:00-11:30,13:30-17:00") == hours


@pytest.mark.parametrize(
    ("text", "sessions", "day_length"),
    [
        (
            "7:30-11:30, 13:00-16:30",
            ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30))),
            timedelta(hours=7, minutes=30),
        ),
        ("08:00–12:00", ((time(8, 0), time(12, 0)),), timedelta(hours=4)),
        (
            " 07:00 - 11:30 ,13:30-17:00, ",
            ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))),
            timedelta(hours=8),
        ),
        (
            "07:00-11:30,11:30-12:00",
            ((time(7, 0), time(11, 30)), (time(11, 30), time(12, 0))),
            timedelta(hours=5),
        ),
    ],
)
def test_parse_office_hours(
    text: str, sessions: tuple[tuple[time, time], ...], day_length: timedelta
) -> None:
    hours = OfficeHours.parse(text)
    assert tuple((s.start, s.end) for s in hours.sessions) == sessions
    assert hours.day_length == day_length


@pytest.mark.parametrize(
    "text",
    [
        "",
        " , ",
        "07:00",
        "07:00-11:30-12:00",
        "11:30-07:00",
        "07:00-07:00",
        "07:00-12:00,11:00-17:00",
        "13:30-17:00,07:00-11:30",
        "25:00-26:00",
        "07:60-08:00",
        "ab:cd-08:00",
        "7h-11h",
    ],
)
def test_parse_rejects_bad_office_hours(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        OfficeHours.parse(text)
    assert info.value.field == "office_hours"
    assert info.value.message  # a Vietnamese sentence for the settings dialog


def test_office_hours_validation_in_constructors() -> None:
    with pytest.raises(ValidationError):
        OfficeSession(time(9, 0), time(8, 0))
    with pytest.raises(ValidationError):
        OfficeHours(())
    with pytest.raises(ValidationError):
        OfficeHours(
            (OfficeSession(time(7, 0), time(12, 0)), OfficeSession(time(11, 0), time(17, 0)))
        )


def test_format_keeps_seconds_when_present() -> None:
    hours = OfficeHours((OfficeSession(time(7, 0, 30), time(11, 0)),))
    assert hours.format() == "07:00:30-11:00"
    assert OfficeHours.parse(hours.format()) == hours


# --- working dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Ordinary week.
        (date(2025, 3, 5), True),
        (date(2025, 3, 8), False),
        (date(2025, 3, 9), False),
        (date(2025, 1, 1), False),
        # Tết 2025: closed Sat 25/01 – Sun 02/02.
        (date(2025, 1, 24), True),
        (date(2025, 1, 25), False),
        (date(2025, 1, 27), False),
        (date(2025, 1, 28), False),
        (date(2025, 1, 29), False),
        (date(2025, 1, 30), False),
        (date(2025, 1, 31), False),
        (date(2025, 2, 1), False),
        (date(2025, 2, 2), False),
        (date(2025, 2, 3), True),
        # Giỗ Tổ 2025, 30/4–1/5 with the swap of Fri 02/05 for Sat 26/04, Quốc khánh.
        (date(2025, 4, 7), False),
        (date(2025, 4, 26), True),
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), False),
        (date(2025, 5, 3), False),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2025, 9, 3), True),
        # Tết 2026: closed Sat 14/02 – Sun 22/02.
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), False),
        (date(2026, 2, 16), False),
        (date(2026, 2, 17), False),
        (date(2026, 2, 20), False),
        (date(2026, 2, 22), False),
        (date(2026, 2, 23), True),
        # Giỗ Tổ on Sun 26/04/2026 gives Mon 27/04 off.
        (date(2026, 4, 26), False),
        (date(2026, 4, 27), False),
        (date(2026, 4, 28), True),
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        # Swap of Mon 31/08 for Sat 22/08/2026, then Quốc khánh Tue–Wed.
        (date(2026, 8, 22), True),
        (date(2026, 8, 29), False),
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 9, 3), True),
        # New day off from 2026.
        (date(2026, 11, 24), False),
        (date(2025, 11, 24), True),
        # Make-up Saturdays announced for a day off in the neighbouring year.
        (date(2014, 12, 27), True),
        (date(2019, 1, 5), True),
    ],
)
def test_is_working_date(day: date, working: bool) -> None:
    assert CAL.is_working_date(day) is working


class _SwapAcrossNewYear:
    """A make-up Saturday that becomes known only when the year of its day off is computed."""

    def __init__(self) -> None:
        self.weekend_workdays: set[date] = set()

    def get(self, key: date, /) -> str | None:
        if key.year == 2015:
            self.weekend_workdays.add(date(2014, 12, 27))
        return "Ngày nghỉ (thay cho ngày 27/12/2014)" if key == date(2015, 1, 2) else None


def test_a_make_up_saturday_for_a_day_off_next_year_is_seen() -> None:
    cal = WorkCalendar(holiday_provider=_SwapAcrossNewYear())
    assert cal.is_working_date(date(2014, 12, 27)) is True
    assert cal.day_info(date(2014, 12, 27)).reason == "Thứ Bảy làm bù"


@pytest.mark.parametrize(
    ("year", "working_dates"),
    [
        # 261 weekdays, minus 12 weekday holidays (1/1, 27–31/1, 7/4, 30/4, 1/5, 2/5, 1/9, 2/9),
        # plus Sat 26/04.
        (2025, 250),
        # 261 weekdays, minus 13 (1/1, 16–20/2, 27/4, 30/4, 1/5, 31/8, 1/9, 2/9, 24/11), plus
        # Sat 22/08.
        (2026, 249),
    ],
)
def test_year_lists_every_date(year: int, working_dates: int) -> None:
    days = CAL.year(year)
    assert len(days) == 365
    assert days[0].date == date(year, 1, 1)
    assert days[-1].date == date(year, 12, 31)
    assert sum(d.working for d in days) == working_dates


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 5), DayInfo(date(2025, 3, 5), True, "Ngày làm việc")),
        (date(2025, 3, 8), DayInfo(date(2025, 3, 8), False, "Cuối tuần")),
        (date(2025, 3, 9), DayInfo(date(2025, 3, 9), False, "Cuối tuần")),
        (date(2025, 4, 26), DayInfo(date(2025, 4, 26), True, "Thứ Bảy làm bù")),
        (date(2026, 8, 22), DayInfo(date(2026, 8, 22), True, "Thứ Bảy làm bù")),
        (date(2025, 1, 29), DayInfo(date(2025, 1, 29), False, "Tết Nguyên Đán")),
        (date(2026, 11, 24), DayInfo(date(2026, 11, 24), False, "Ngày Văn hóa Việt Nam")),
        (
            date(2026, 4, 27),
            DayInfo(date(2026, 4, 27), False, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        ),
        (
            date(2025, 5, 2),
            DayInfo(date(2025, 5, 2), False, "Ngày nghỉ (thay cho ngày 26/04/2025)"),
        ),
    ],
)
def test_day_info(day: date, expected: DayInfo) -> None:
    assert CAL.day_info(day) == expected


OVERRIDDEN = WorkCalendar(
    overrides={
        date(2025, 3, 5): False,  # a weekday off
        date(2025, 3, 8): True,  # a Saturday working
        date(2025, 9, 2): True,  # a holiday worked
        date(2025, 4, 26): False,  # the make-up Saturday cancelled
    },
    override_notes={date(2025, 3, 5): "Mất điện toàn trụ sở", date(2025, 3, 8): "  "},
)


_ADMIN = "Điều chỉnh của quản trị"


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        (date(2025, 3, 5), False, f"{_ADMIN}: Mất điện toàn trụ sở"),
        (date(2025, 3, 8), True, _ADMIN),
        (date(2025, 9, 2), True, _ADMIN),
        (date(2025, 4, 26), False, _ADMIN),
        (date(2025, 3, 6), True, "Ngày làm việc"),
    ],
)
def test_overrides_take_precedence(day: date, working: bool, reason: str) -> None:
    assert OVERRIDDEN.day_info(day) == DayInfo(day, working, reason)
    assert OVERRIDDEN.is_working_date(day) is working


def test_overrides_move_working_time() -> None:
    # Tue 04/03 09:00 + 2 working days: Tue 6 h, Wed 05/03 off, Thu 8 h, Fri 2 h.
    assert OVERRIDDEN.add_working_time(dt(2025, 3, 4, 9), 16 * H) == dt(2025, 3, 7, 9)
    # Fri 07/03 16:00 + 2 h: Fri 1 h, then the overridden Saturday.
    assert OVERRIDDEN.add_working_time(dt(2025, 3, 7, 16), 2 * H) == dt(2025, 3, 8, 8)


@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        (date(2025, 3, 5), False, date(2025, 3, 6)),
        (date(2025, 3, 5), True, date(2025, 3, 5)),
        (date(2025, 3, 7), False, date(2025, 3, 10)),
        (date(2025, 3, 8), True, date(2025, 3, 10)),
        (date(2025, 1, 24), False, date(2025, 2, 3)),
        (date(2025, 4, 25), False, date(2025, 4, 26)),
        (date(2025, 4, 29), False, date(2025, 5, 5)),
        (date(2026, 2, 13), False, date(2026, 2, 23)),
        (date(2026, 8, 28), False, date(2026, 9, 3)),
        (date(2025, 12, 31), False, date(2026, 1, 2)),
    ],
)
def test_next_working_date(day: date, include_today: bool, expected: date) -> None:
    assert CAL.next_working_date(day, include_today=include_today) == expected


def test_closing_time() -> None:
    assert CAL.closing_time(date(2025, 3, 5)) == dt(2025, 3, 5, 17)
    assert CAL.closing_time(date(2025, 3, 8)) == dt(2025, 3, 8, 17)
    short = WorkCalendar(OfficeHours.parse("07:30-11:30,13:00-16:30"))
    assert short.closing_time(date(2025, 3, 5)) == dt(2025, 3, 5, 16, 30)


# --- working time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (dt(2025, 3, 3, 9, 15), dt(2025, 3, 3, 10, 15), H),
        (dt(2025, 3, 3, 10), dt(2025, 3, 3, 14), 2 * H),
        (dt(2025, 3, 3, 12), dt(2025, 3, 3, 13), timedelta(0)),
        (dt(2025, 3, 3, 6), dt(2025, 3, 3, 18), 8 * H),
        (dt(2025, 3, 3, 17), dt(2025, 3, 4, 7), timedelta(0)),
        (dt(2025, 3, 7, 16, 30), dt(2025, 3, 10, 7, 30), H),
        (dt(2025, 3, 3, 9, 15), dt(2025, 3, 6, 9, 15), 24 * H),
        (dt(2025, 1, 24, 9), dt(2025, 2, 3, 9), 8 * H),
        (dt(2025, 3, 8, 8), dt(2025, 3, 8, 10), timedelta(0)),
        (dt(2025, 4, 26, 8), dt(2025, 4, 26, 10), 2 * H),
        (dt(2025, 3, 3, 9, 0, 30), dt(2025, 3, 3, 9, 1), timedelta(seconds=30)),
        (dt(2025, 1, 1), dt(2026, 1, 1), 2000 * H),
        (dt(2025, 12, 31, 16), dt(2026, 1, 2, 8), 2 * H),
        (dt(2025, 3, 3, 10), dt(2025, 3, 3, 10), timedelta(0)),
        (dt(2025, 3, 4, 10), dt(2025, 3, 3, 10), timedelta(0)),
    ],
)
def test_working_time(a: datetime, b: datetime, expected: timedelta) -> None:
    assert CAL.working_time(a, b) == expected


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (dt(2025, 3, 3, 9, 15), 24 * H, dt(2025, 3, 6, 9, 15)),
        (dt(2025, 3, 7, 16, 30), 8 * H, dt(2025, 3, 10, 16, 30)),
        # Work running out at the end of the morning ends there, not after lunch.
        (dt(2025, 3, 3, 7), timedelta(hours=4, minutes=30), dt(2025, 3, 3, 11, 30)),
        (dt(2025, 3, 3, 9), timedelta(hours=2, minutes=30), dt(2025, 3, 3, 11, 30)),
        (dt(2025, 3, 3, 11, 30), M, dt(2025, 3, 3, 13, 31)),
        (dt(2025, 3, 3, 12), 8 * H, dt(2025, 3, 4, 11, 30)),
        (dt(2025, 3, 3, 17, 30), 8 * H, dt(2025, 3, 4, 17)),
        (dt(2025, 3, 3, 17), 8 * H, dt(2025, 3, 4, 17)),
        (dt(2025, 3, 3, 6), 8 * H, dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 6), H, dt(2025, 3, 3, 8)),
        (dt(2025, 3, 8, 10), H, dt(2025, 3, 10, 8)),
        (dt(2025, 3, 9, 10), 8 * H, dt(2025, 3, 10, 17)),
        (dt(2025, 3, 8, 10), timedelta(0), dt(2025, 3, 8, 10)),
        (dt(2025, 3, 8, 10), -H, dt(2025, 3, 8, 10)),
        (dt(2025, 3, 3, 9, 0, 30), 30 * M, dt(2025, 3, 3, 9, 30, 30)),
        (dt(2025, 1, 24, 15), 8 * H, dt(2025, 2, 3, 15)),
        (dt(2025, 4, 24, 9), 16 * H, dt(2025, 4, 26, 9)),
        (dt(2025, 4, 29, 9), 16 * H, dt(2025, 5, 6, 9)),
        (dt(2026, 2, 13, 9), 8 * H, dt(2026, 2, 23, 9)),
        (dt(2026, 4, 24, 9), 16 * H, dt(2026, 4, 29, 9)),
        (dt(2026, 8, 21, 9), 16 * H, dt(2026, 8, 24, 9)),
        (dt(2026, 8, 28, 9), 16 * H, dt(2026, 9, 4, 9)),
        (dt(2026, 11, 23, 9), 16 * H, dt(2026, 11, 26, 9)),
        (dt(2025, 12, 31, 16), 2 * H, dt(2026, 1, 2, 8)),
        # 2025 has 250 working dates: 2000 hours from New Year's Eve end at the last closing.
        (dt(2025, 1, 1), 2000 * H, dt(2025, 12, 31, 17)),
    ],
)
def test_add_working_time(start: datetime, amount: timedelta, expected: datetime) -> None:
    assert CAL.add_working_time(start, amount) == expected


def test_custom_office_hours() -> None:
    mornings = WorkCalendar(OfficeHours.parse("08:00-12:00"))
    assert mornings.day_length == 4 * H
    assert mornings.add_working_time(dt(2025, 3, 3, 10), 4 * H) == dt(2025, 3, 4, 10)
    assert mornings.add_working_time(dt(2025, 3, 3, 14), 4 * H) == dt(2025, 3, 4, 12)
    assert mornings.working_time(dt(2025, 3, 3, 11), dt(2025, 3, 4, 9)) == 2 * H


class _FakeHolidays:
    """A provider with one invented holiday and one make-up Sunday."""

    def __init__(self) -> None:
        self.weekend_workdays: Collection[date] = {date(2025, 3, 9)}

    def get(self, key: date, /) -> str | None:
        return "Ngày thử nghiệm" if key == date(2025, 3, 5) else None


def test_custom_holiday_provider() -> None:
    cal = WorkCalendar(holiday_provider=_FakeHolidays())
    assert cal.day_info(date(2025, 3, 5)) == DayInfo(date(2025, 3, 5), False, "Ngày thử nghiệm")
    assert cal.day_info(date(2025, 3, 9)) == DayInfo(date(2025, 3, 9), True, "Ngày làm bù")
    assert cal.is_working_date(date(2025, 1, 1)) is True
    assert cal.next_working_date(date(2025, 3, 4)) == date(2025, 3, 6)


class _AlwaysOff:
    weekend_workdays: Collection[date] = frozenset()

    def get(self, key: date, /) -> str | None:
        return "Nghỉ"


def test_a_calendar_without_working_dates_fails_instead_of_looping() -> None:
    cal = WorkCalendar(holiday_provider=_AlwaysOff())
    with pytest.raises(ConfigurationError):
        cal.next_working_date(date(2025, 3, 5))
    with pytest.raises(ConfigurationError):
        cal.add_working_time(dt(2025, 3, 5, 9), H)


# --- properties -----------------------------------------------------------------------------

_minutes = st.integers(min_value=0, max_value=60 * 24 * 366 * 2 - 1)
moments = _minutes.map(lambda m: dt(2025, 1, 1) + m * M)
amounts = st.integers(min_value=0, max_value=60 * 8 * 40).map(lambda m: m * M)


@given(moments, amounts)
def test_working_time_of_added_time_is_the_amount(start: datetime, amount: timedelta) -> None:
    end = CAL.add_working_time(start, amount)
    assert end >= start
    assert CAL.working_time(start, end) == amount


@given(moments, amounts)
def test_added_time_is_the_earliest_such_moment(start: datetime, amount: timedelta) -> None:
    end = CAL.add_working_time(start, amount)
    if amount > timedelta(0):
        assert end - M >= start
        assert CAL.working_time(start, end - M) < amount
        # The moment lies inside a session of a working date, or at its end.
        assert CAL.is_working_date(end.date())
        assert any(s.start < end.time() <= s.end for s in CAL.office_hours.sessions)
    else:
        assert end == start


@given(moments, amounts, amounts)
def test_add_working_time_is_monotone(start: datetime, x: timedelta, y: timedelta) -> None:
    small, large = sorted((x, y))
    assert CAL.add_working_time(start, small) <= CAL.add_working_time(start, large)


@given(moments, moments, moments)
def test_working_time_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    assert CAL.working_time(a, c) == CAL.working_time(a, b) + CAL.working_time(b, c)


def _working_minutes_by_walking(a: datetime, b: datetime) -> int:
    """Reference W(a, b) for minute-aligned moments: look at every minute on its own."""
    total = 0
    t = a
    while t < b:
        if CAL.is_working_date(t.date()) and any(
            s.start <= t.time() < s.end for s in CAL.office_hours.sessions
        ):
            total += 1
        t += M
    return total


@given(moments, st.integers(min_value=0, max_value=60 * 24 * 4))
def test_working_time_matches_a_minute_walk(a: datetime, span: int) -> None:
    b = a + span * M
    assert CAL.working_time(a, b) == _working_minutes_by_walking(a, b) * M


def _hhmm(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    minute_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)
    cuts = sorted(draw(st.lists(minute_of_day, min_size=2, max_size=6, unique=True)))
    if len(cuts) % 2:
        cuts.pop()
    bounds = zip(cuts[::2], cuts[1::2], strict=True)
    return OfficeHours(tuple(OfficeSession(_hhmm(s), _hhmm(e)) for s, e in bounds))


@given(office_hours())
def test_office_hours_format_and_parse_round_trip(hours: OfficeHours) -> None:
    assert OfficeHours.parse(hours.format()) == hours
