"""Due dates, pauses, deadline states and outcomes, with hand-computed appointments."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.domain.due import (
    DeadlineState,
    DurationUnit,
    Outcome,
    Pause,
    PauseKind,
    compute_due,
    deadline_state,
    describe_remaining,
    remaining_working_time,
    settlement_outcome,
)
from desk_app.errors import ValidationError

CAL = WorkCalendar()

H = timedelta(hours=1)
M = timedelta(minutes=1)
DAY = 8 * H

WD = DurationUnit.WORKING_DAYS
WH = DurationUnit.WORKING_HOURS
CD = DurationUnit.CALENDAR_DAYS
SD = DurationUnit.SAME_DAY


def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi)


# --- units ----------------------------------------------------------------------------------


def test_unit_values_and_labels() -> None:
    assert {u.value: u.label for u in DurationUnit} == {
        "working_days": "ngày làm việc",
        "working_hours": "giờ làm việc",
        "calendar_days": "ngày",
        "same_day": "trong ngày",
        "none": "không quy định thời hạn",
    }
    assert DurationUnit("working_days") is WD


# --- working days and hours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "n", "unit", "due"),
    [
        # DOMAIN §4 examples.
        (dt(2025, 3, 3, 9, 15), "3", WD, dt(2025, 3, 6, 9, 15)),
        (dt(2025, 3, 7, 16, 30), "1", WD, dt(2025, 3, 10, 16, 30)),
        (dt(2025, 3, 3, 9, 15), "5", WD, dt(2025, 3, 10, 9, 15)),
        # Running out exactly at the end of the morning: 09:30 + 2 h.
        (dt(2025, 3, 3, 9, 30), "0.25", WD, dt(2025, 3, 3, 11, 30)),
        (dt(2025, 3, 4, 16), "0.6875", WD, dt(2025, 3, 5, 11, 30)),
        # Fractional days: half a day is 4 working hours.
        (dt(2025, 3, 3, 7), "0.5", WD, dt(2025, 3, 3, 11)),
        (dt(2025, 3, 3, 9), "0.5", WD, dt(2025, 3, 3, 15)),
        (dt(2025, 3, 3, 9, 15), "1.5", WD, dt(2025, 3, 4, 15, 15)),
        # Received after closing, before opening, during lunch.
        (dt(2025, 3, 3, 17, 45), "1", WD, dt(2025, 3, 4, 17)),
        (dt(2025, 3, 3, 6, 30), "1", WD, dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 12, 15), "1", WD, dt(2025, 3, 4, 11, 30)),
        (dt(2025, 3, 3, 12, 15), "0.5", WD, dt(2025, 3, 4, 7, 30)),
        # Received on a Saturday, a Sunday, a holiday.
        (dt(2025, 3, 8, 9), "1", WD, dt(2025, 3, 10, 17)),
        (dt(2025, 3, 9, 14), "2", WD, dt(2025, 3, 11, 17)),
        (dt(2025, 4, 7, 9), "1", WD, dt(2025, 4, 8, 17)),
        # Tết 2025 (closed 25/01 – 02/02): Fri 10:00 has 5 h left, then 35 h from Mon 03/02.
        (dt(2025, 1, 24, 10), "5", WD, dt(2025, 2, 7, 10)),
        # Tết 2026 (closed 14/02 – 22/02): Thu 3 h, Fri 8 h, Mon 23/02 8 h, Tue 24/02 5 h.
        (dt(2026, 2, 12, 14), "3", WD, dt(2026, 2, 24, 14)),
        # 2025 swap: Thu 6 h, Fri 8 h, Sat 26/04 (worked) 2 h.
        (dt(2025, 4, 24, 9), "2", WD, dt(2025, 4, 26, 9)),
        # 30/04 – 02/05/2025 off: Tue 29/04 6 h, Mon 05/05 8 h, Tue 06/05 2 h.
        (dt(2025, 4, 29, 9), "2", WD, dt(2025, 5, 6, 9)),
        # 2026 swap: Fri 21/08 6 h, Sat 22/08 (worked) 8 h, Mon 24/08 2 h.
        (dt(2026, 8, 21, 9), "2", WD, dt(2026, 8, 24, 9)),
        # 2026: Mon 31/08 and 01–02/09 off: Fri 28/08 6 h, Thu 03/09 8 h, Fri 04/09 2 h.
        (dt(2026, 8, 28, 9), "2", WD, dt(2026, 9, 4, 9)),
        # Giỗ Tổ 2026 falls on Sunday, Mon 27/04 off: Fri 6 h, Tue 28/04 8 h, Wed 2 h.
        (dt(2026, 4, 24, 9), "2", WD, dt(2026, 4, 29, 9)),
        # 24/11/2026 off: Mon 6 h, Wed 25/11 8 h, Thu 2 h.
        (dt(2026, 11, 23, 9), "2", WD, dt(2026, 11, 26, 9)),
        # Zero time: due at the receipt.
        (dt(2025, 3, 3, 9, 15), "0", WD, dt(2025, 3, 3, 9, 15)),
        # Working hours.
        (dt(2025, 3, 3, 10), "4", WH, dt(2025, 3, 3, 16)),
        (dt(2025, 3, 3, 16), "2", WH, dt(2025, 3, 4, 8)),
        (dt(2025, 3, 3, 9), "1.5", WH, dt(2025, 3, 3, 10, 30)),
        (dt(2025, 3, 3, 9, 30), "2", WH, dt(2025, 3, 3, 11, 30)),
        (dt(2025, 3, 7, 15), "3", WH, dt(2025, 3, 10, 8)),
        (dt(2025, 1, 24, 16), "2", WH, dt(2025, 2, 3, 8)),
        (dt(2025, 3, 3, 9), "0.25", WH, dt(2025, 3, 3, 9, 15)),
    ],
)
def test_working_time_units(received: datetime, n: str, unit: DurationUnit, due: datetime) -> None:
    assert compute_due(CAL, received, Decimal(n), unit) == due


def test_working_days_follow_the_desk_day_length() -> None:
    short = WorkCalendar(OfficeHours.parse("07:30-11:30,13:00-16:30"))
    # 7.5 h a day: half a day from 07:30 is 3 h 45 min.
    assert compute_due(short, dt(2025, 3, 3, 7, 30), Decimal("0.5"), WD) == dt(2025, 3, 3, 11, 15)
    assert compute_due(short, dt(2025, 3, 3, 9), Decimal(1), WD) == dt(2025, 3, 4, 9)


def test_integer_duration_is_accepted() -> None:
    assert compute_due(CAL, dt(2025, 3, 3, 9, 15), 3, WD) == dt(2025, 3, 6, 9, 15)


@pytest.mark.parametrize("n", ["-1", "NaN", "Infinity"])
def test_bad_duration_is_rejected(n: str) -> None:
    with pytest.raises(ValidationError) as info:
        compute_due(CAL, dt(2025, 3, 3, 9), Decimal(n), WD)
    assert info.value.field == "duration"


# --- calendar days, same day, none ----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (dt(2025, 3, 3, 9, 15), 3, dt(2025, 3, 6, 9, 15)),
        # Lands on Saturday 08/03: moved to Monday, same time of day.
        (dt(2025, 3, 5, 10), 3, dt(2025, 3, 10, 10)),
        # Lands on the make-up Saturday 26/04/2025, which is a working date.
        (dt(2025, 4, 23, 10), 3, dt(2025, 4, 26, 10)),
        # Lands on 30/04/2025: 01/05, 02/05 and the weekend are off too.
        (dt(2025, 4, 28, 8), 2, dt(2025, 5, 5, 8)),
        # Lands on Wed 29/01/2025, in Tết.
        (dt(2025, 1, 22, 14), 7, dt(2025, 2, 3, 14)),
        # Lands on Mon 27/04/2026, the Giỗ Tổ day off.
        (dt(2026, 4, 20, 9, 40), 7, dt(2026, 4, 28, 9, 40)),
        # The receipt's time of day is kept even outside office hours.
        (dt(2025, 3, 3, 18, 20), 1, dt(2025, 3, 4, 18, 20)),
        (dt(2025, 3, 8, 10), 0, dt(2025, 3, 10, 10)),
    ],
)
def test_calendar_days(received: datetime, n: int, due: datetime) -> None:
    assert compute_due(CAL, received, Decimal(n), CD) == due


def test_calendar_days_must_be_whole() -> None:
    with pytest.raises(ValidationError) as info:
        compute_due(CAL, dt(2025, 3, 3, 9), Decimal("1.5"), CD)
    assert info.value.field == "duration"


@pytest.mark.parametrize(
    ("received", "cutoff", "due"),
    [
        (dt(2025, 3, 3, 9), time(15), dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 14, 59), time(15), dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 15), time(15), dt(2025, 3, 4, 17)),
        (dt(2025, 3, 3, 16), time(15), dt(2025, 3, 4, 17)),
        (dt(2025, 3, 3, 6, 30), time(15), dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 12), time(15), dt(2025, 3, 3, 17)),
        # Non-working dates: Saturday, a holiday, the Friday before Tết.
        (dt(2025, 3, 8, 9), time(15), dt(2025, 3, 10, 17)),
        (dt(2025, 5, 2, 9), time(15), dt(2025, 5, 5, 17)),
        (dt(2025, 1, 24, 15, 30), time(15), dt(2025, 2, 3, 17)),
        # The make-up Saturday works like any working date.
        (dt(2025, 4, 26, 9), time(15), dt(2025, 4, 26, 17)),
        # A configured cut-off.
        (dt(2025, 3, 3, 15, 30), time(16), dt(2025, 3, 3, 17)),
        (dt(2025, 3, 3, 10), time(9, 30), dt(2025, 3, 4, 17)),
        # A cut-off later than closing cannot make the due earlier than the receipt.
        (dt(2025, 3, 3, 17, 30), time(18), dt(2025, 3, 4, 17)),
    ],
)
def test_same_day(received: datetime, cutoff: time, due: datetime) -> None:
    assert compute_due(CAL, received, Decimal(0), SD, cutoff=cutoff) == due


def test_same_day_default_cutoff_is_15_00() -> None:
    assert compute_due(CAL, dt(2025, 3, 3, 14, 59), Decimal(0), SD) == dt(2025, 3, 3, 17)
    assert compute_due(CAL, dt(2025, 3, 3, 15), Decimal(0), SD) == dt(2025, 3, 4, 17)


def test_no_time_limit() -> None:
    assert compute_due(CAL, dt(2025, 3, 3, 9), Decimal(0), DurationUnit.NONE) is None
    pauses = [Pause(dt(2025, 3, 3, 10), None)]
    assert compute_due(CAL, dt(2025, 3, 3, 9), Decimal(0), DurationUnit.NONE, pauses) is None


# --- pauses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "n", "unit", "pauses", "due"),
    [
        # Pause over 30/04–02/05 and the weekend: 9 h before it (Mon 6 h, Tue 3 h), then
        # Tue 06/05 10:00–17:00 5 h, Wed 8 h, Thu 2 h.
        (
            dt(2025, 4, 28, 9),
            "3",
            WD,
            [Pause(dt(2025, 4, 29, 10), dt(2025, 5, 6, 10))],
            dt(2025, 5, 8, 9),
        ),
        # Pause over a weekend: Wed 6 h, Thu 8 h, Fri until 14:00 5 h = 19 h; Mon 10:00 + 5 h.
        (
            dt(2025, 3, 5, 9),
            "3",
            WD,
            [Pause(dt(2025, 3, 7, 14), dt(2025, 3, 10, 10))],
            dt(2025, 3, 10, 17),
        ),
        # Pause over Tết 2026: Thu 12/02 2 h before it; from Wed 25/02 10:00: 5 h, then 1 h.
        (
            dt(2026, 2, 12, 15),
            "1",
            WD,
            [Pause(dt(2026, 2, 13, 7), dt(2026, 2, 25, 10))],
            dt(2026, 2, 26, 8),
        ),
        # Two pauses: Mon 08–10 2 h; Tue 10–17 5 h; Wed 07–14 5 h; Wed 15–17 2 h; Thu 2 h.
        (
            dt(2025, 3, 3, 8),
            "2",
            WD,
            [
                Pause(dt(2025, 3, 3, 10), dt(2025, 3, 4, 10)),
                Pause(dt(2025, 3, 5, 14), dt(2025, 3, 5, 15)),
            ],
            dt(2025, 3, 6, 9),
        ),
        # The same two pauses given out of order.
        (
            dt(2025, 3, 3, 8),
            "2",
            WD,
            [
                Pause(dt(2025, 3, 5, 14), dt(2025, 3, 5, 15)),
                Pause(dt(2025, 3, 3, 10), dt(2025, 3, 4, 10)),
            ],
            dt(2025, 3, 6, 9),
        ),
        # Overlapping pauses count once: Mon 2 h, Tue 10–17 5 h, Wed 8 h, Thu 1 h.
        (
            dt(2025, 3, 3, 8),
            "2",
            WD,
            [
                Pause(dt(2025, 3, 3, 10), dt(2025, 3, 4, 10)),
                Pause(dt(2025, 3, 3, 14), dt(2025, 3, 3, 15)),
            ],
            dt(2025, 3, 6, 8),
        ),
        # A pause starting at the due moment, or after it, changes nothing.
        (
            dt(2025, 3, 3, 9, 15),
            "1",
            WD,
            [Pause(dt(2025, 3, 4, 9, 15), dt(2025, 3, 6, 9))],
            dt(2025, 3, 4, 9, 15),
        ),
        (
            dt(2025, 3, 5, 9),
            "2",
            WD,
            [Pause(dt(2025, 3, 7, 14), dt(2025, 3, 10, 10))],
            dt(2025, 3, 7, 9),
        ),
        # A pause wholly outside office hours changes nothing.
        (
            dt(2025, 3, 3, 9, 15),
            "3",
            WD,
            [Pause(dt(2025, 3, 8, 9), dt(2025, 3, 9, 16))],
            dt(2025, 3, 6, 9, 15),
        ),
        # A pause before the receipt is ignored.
        (
            dt(2025, 3, 3, 9, 15),
            "3",
            WD,
            [Pause(dt(2025, 3, 1, 9), dt(2025, 3, 2, 9))],
            dt(2025, 3, 6, 9, 15),
        ),
        # Working hours: Mon 09–10 1 h, paused till 14:00, then 3 h.
        (
            dt(2025, 3, 3, 9),
            "4",
            WH,
            [Pause(dt(2025, 3, 3, 10), dt(2025, 3, 3, 14))],
            dt(2025, 3, 3, 17),
        ),
        # Resuming during lunch: 2 h before the pause, Tue 13:30–17:00 3.5 h, Wed 2.5 h.
        (
            dt(2025, 3, 3, 7),
            "1",
            WD,
            [Pause(dt(2025, 3, 3, 9), dt(2025, 3, 4, 12))],
            dt(2025, 3, 5, 9, 30),
        ),
    ],
)
def test_pauses_stop_the_clock(
    received: datetime, n: str, unit: DurationUnit, pauses: list[Pause], due: datetime
) -> None:
    assert compute_due(CAL, received, Decimal(n), unit, pauses) == due


def test_open_pause_ends_at_now() -> None:
    received = dt(2025, 3, 3, 8)
    pauses = [Pause(dt(2025, 3, 3, 10), None)]
    # Mon 08–10 2 h; resumed Wed 09:00: Wed 6 h, Thu 8 h.
    due = compute_due(CAL, received, Decimal(2), WD, pauses, now=dt(2025, 3, 5, 9))
    assert due == dt(2025, 3, 6, 17)
    # Without `now` the open pause ends where it starts: the due without the pause.
    assert compute_due(CAL, received, Decimal(2), WD, pauses) == dt(2025, 3, 5, 8)
    # `now` before the pause start is treated as the start.
    due = compute_due(CAL, received, Decimal(2), WD, pauses, now=dt(2025, 3, 3, 9))
    assert due == dt(2025, 3, 5, 8)


def test_closed_and_open_pause() -> None:
    pauses = [
        Pause(dt(2025, 3, 3, 10), dt(2025, 3, 4, 10)),
        Pause(dt(2025, 3, 5, 14), None),
    ]
    # Mon 2 h, Tue 5 h, Wed 07–14 5 h = 12 h; resumed Thu 10:00, the last 4 h end at 16:00.
    due = compute_due(CAL, dt(2025, 3, 3, 8), Decimal(2), WD, pauses, now=dt(2025, 3, 6, 10))
    assert due == dt(2025, 3, 6, 16)


@pytest.mark.parametrize(
    "pauses",
    [
        [Pause(dt(2025, 3, 3, 10), None), Pause(dt(2025, 3, 4, 10), dt(2025, 3, 4, 11))],
        [Pause(dt(2025, 3, 3, 10), dt(2025, 3, 3, 9))],
    ],
)
def test_bad_pauses_are_rejected(pauses: list[Pause]) -> None:
    with pytest.raises(ValidationError) as info:
        compute_due(CAL, dt(2025, 3, 3, 8), Decimal(2), WD, pauses)
    assert info.value.field == "pauses"


TWO_PAUSES = [
    Pause(dt(2025, 3, 3, 10), dt(2025, 3, 4, 10)),
    Pause(dt(2025, 3, 5, 14), dt(2025, 3, 5, 15)),
]


@pytest.mark.parametrize(
    ("pauses", "now", "due"),
    [
        # Full 16 h from Wed 15:00: Wed 2 h, Thu 8 h, Fri 6 h.
        (TWO_PAUSES, None, dt(2025, 3, 7, 15)),
        # The last pause still open, resumed Thu 10:00: Thu 5 h, Fri 8 h, Mon 3 h.
        (
            [TWO_PAUSES[0], Pause(dt(2025, 3, 5, 14), None)],
            dt(2025, 3, 6, 10),
            dt(2025, 3, 10, 10),
        ),
        # No pause: the ordinary due.
        ([], None, dt(2025, 3, 5, 8)),
    ],
)
def test_restart_on_supplement(pauses: list[Pause], now: datetime | None, due: datetime) -> None:
    received = dt(2025, 3, 3, 8)
    got = compute_due(CAL, received, Decimal(2), WD, pauses, restart_on_supplement=True, now=now)
    assert got == due


@pytest.mark.parametrize(
    ("pauses", "restart", "due"),
    [
        ([], False, dt(2025, 3, 5, 9)),
        # Paused Tue → Thu: two calendar days more.
        ([Pause(dt(2025, 3, 4, 10), dt(2025, 3, 6, 8))], False, dt(2025, 3, 7, 9)),
        # A pause opened and closed on the same date adds nothing.
        ([Pause(dt(2025, 3, 4, 10), dt(2025, 3, 4, 15))], False, dt(2025, 3, 5, 9)),
        # Two pauses sharing a date: Tue → Wed and Wed → Fri is three days, landing on Sat.
        (
            [
                Pause(dt(2025, 3, 4, 10), dt(2025, 3, 5, 9)),
                Pause(dt(2025, 3, 5, 14), dt(2025, 3, 7, 8)),
            ],
            False,
            dt(2025, 3, 10, 9),
        ),
        # Restart: two days from the resume moment Thu 08:30, Sat → Mon, at 08:30.
        ([Pause(dt(2025, 3, 4, 10), dt(2025, 3, 6, 8, 30))], True, dt(2025, 3, 10, 8, 30)),
    ],
)
def test_calendar_days_with_pauses(pauses: list[Pause], restart: bool, due: datetime) -> None:
    got = compute_due(CAL, dt(2025, 3, 3, 9), Decimal(2), CD, pauses, restart_on_supplement=restart)
    assert got == due


# --- DOMAIN §4.1 rules 1-4: pauses judged against the due as it stood ----------------------

FIN = PauseKind.FINANCIAL
SUP = PauseKind.SUPPLEMENT
MON = dt(2026, 3, 2, 9)  # Monday 2 March 2026, no holiday in the weeks around it


def p(start: datetime, end: datetime | None, kind: PauseKind = SUP) -> Pause:
    return Pause(start, end, kind)


# (case, received, duration, unit, pauses, restart, due), every answer computed by hand.
RULES_4_1 = [
    # Rule 1: a pause that starts at or after the due moves nothing, for every unit.
    (
        "wd pause at the due",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 3, 9), dt(2026, 3, 5, 9))],
        False,
        dt(2026, 3, 3, 9),
    ),
    # One minute before the due: 1 minute is left when the clock restarts Thu 09:00.
    (
        "wd pause a minute early",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 3, 8, 59), dt(2026, 3, 5, 9))],
        False,
        dt(2026, 3, 5, 9, 1),
    ),
    # 4 working hours from Mon 09:00: 2.5 h to 11:30, 1.5 h from 13:30 → Mon 15:00.
    (
        "wh pause after the due",
        MON,
        4,
        WH,
        [p(dt(2026, 3, 2, 15), dt(2026, 3, 3, 10))],
        False,
        dt(2026, 3, 2, 15),
    ),
    (
        "wh late supplement restarts nothing",
        MON,
        4,
        WH,
        [p(dt(2026, 3, 2, 15, 30), dt(2026, 3, 3, 10))],
        True,
        dt(2026, 3, 2, 15),
    ),
    # The review's calendar case: 15 days → Tue 17/03 09:00; a pause from 25/03 adds nothing.
    (
        "cd pause after the due",
        MON,
        15,
        CD,
        [p(dt(2026, 3, 25, 9), dt(2026, 5, 4, 9))],
        False,
        dt(2026, 3, 17, 9),
    ),
    # The review's same-day case: received Mon 10:00 → Mon 17:00; a pause on Tue adds nothing.
    (
        "sd pause the next day",
        dt(2026, 3, 2, 10),
        0,
        SD,
        [p(dt(2026, 3, 3, 9), dt(2026, 3, 3, 9, 30))],
        False,
        dt(2026, 3, 2, 17),
    ),
    (
        "sd late supplement restarts nothing",
        dt(2026, 3, 2, 10),
        0,
        SD,
        [p(dt(2026, 3, 3, 9), dt(2026, 3, 3, 9, 30))],
        True,
        dt(2026, 3, 2, 17),
    ),
    # A second pause after a first one is judged against the due the first one gave.
    (
        "wd second pause after the moved due",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14)), p(dt(2026, 3, 3, 11), dt(2026, 3, 4, 9))],
        False,
        dt(2026, 3, 3, 11),
    ),
    # Rule 2: with restart, only a supplement restarts; a fee pause just stops the clock.
    # 1 h worked before 10:00, 7 h left from Mon 14:00: 3 h Mon, 4 h Tue → Tue 11:00.
    (
        "fee pause with restart stops only",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14), FIN)],
        True,
        dt(2026, 3, 3, 11),
    ),
    # The full 8 h from Mon 14:00: 3 h Mon, 4.5 h Tue morning, 0.5 h from 13:30 → Tue 14:00.
    (
        "supplement with restart restarts",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14))],
        True,
        dt(2026, 3, 3, 14),
    ),
    (
        "supplement without restart stops only",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14))],
        False,
        dt(2026, 3, 3, 11),
    ),
    # Restart to Tue 14:00, then a fee pause Tue 09:00-10:00 stops it one hour → Tue 15:00.
    (
        "restart then fee pause",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14)), p(dt(2026, 3, 3, 9), dt(2026, 3, 3, 10), FIN)],
        True,
        dt(2026, 3, 3, 15),
    ),
    (
        "restart then late fee pause",
        MON,
        1,
        WD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 14)), p(dt(2026, 3, 3, 14), dt(2026, 3, 4, 9), FIN)],
        True,
        dt(2026, 3, 3, 14),
    ),
    # Rule 3: same day needs W(Mon 09:00, Mon 17:00) = 6 h; 1 h before the pause, 5 h after
    # Tue 14:00: 3 h Tue, 2 h Wed → Wed 09:00.
    (
        "sd pause stops the clock",
        MON,
        0,
        SD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 3, 14))],
        False,
        dt(2026, 3, 4, 9),
    ),
    # Half an hour paused: 4.5 h after 10:30 on Monday, the last 0.5 h on Tue → 07:30.
    (
        "sd short pause",
        MON,
        0,
        SD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 10, 30))],
        False,
        dt(2026, 3, 3, 7, 30),
    ),
    (
        "sd fee pause with restart stops only",
        MON,
        0,
        SD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 3, 14), FIN)],
        True,
        dt(2026, 3, 4, 9),
    ),
    # With restart the same-day rule runs again from the resume: before the cut-off → Tue 17:00,
    # after it → Wed 17:00.
    (
        "sd restart before the cut-off",
        MON,
        0,
        SD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 3, 14))],
        True,
        dt(2026, 3, 3, 17),
    ),
    (
        "sd restart after the cut-off",
        MON,
        0,
        SD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 3, 15, 30))],
        True,
        dt(2026, 3, 4, 17),
    ),
    # Rule 4: 2 days → Wed 09:00; a pause Tue → Thu covers 2 days → Fri 09:00.
    (
        "cd pause moves by its days",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 3, 10), dt(2026, 3, 5, 8))],
        False,
        dt(2026, 3, 6, 9),
    ),
    (
        "cd pause on one date adds nothing",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 2, 10), dt(2026, 3, 2, 16))],
        False,
        dt(2026, 3, 4, 9),
    ),
    (
        "cd pause at the due adds nothing",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 4, 9), dt(2026, 3, 9, 9))],
        False,
        dt(2026, 3, 4, 9),
    ),
    # Tue → Fri is 3 days: Sat 07/03, not working → Mon 09/03.
    (
        "cd pause then the next working date",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 3, 10), dt(2026, 3, 6, 8))],
        False,
        dt(2026, 3, 9, 9),
    ),
    (
        "cd fee pause with restart stops only",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 3, 10), dt(2026, 3, 5, 8), FIN)],
        True,
        dt(2026, 3, 6, 9),
    ),
    (
        "cd supplement with restart",
        MON,
        2,
        CD,
        [p(dt(2026, 3, 3, 10), dt(2026, 3, 5, 8))],
        True,
        dt(2026, 3, 9, 8),
    ),
]


@pytest.mark.parametrize(
    ("received", "n", "unit", "pauses", "restart", "due"),
    [c[1:] for c in RULES_4_1],
    ids=[c[0] for c in RULES_4_1],
)
def test_pauses_are_judged_against_the_due_as_it_stood(
    received: datetime,
    n: int,
    unit: DurationUnit,
    pauses: list[Pause],
    restart: bool,
    due: datetime,
) -> None:
    got = compute_due(CAL, received, Decimal(n), unit, pauses, restart_on_supplement=restart)
    assert got == due


def test_no_time_limit_ignores_pauses() -> None:
    pauses = [p(dt(2026, 3, 3, 9), dt(2026, 3, 5, 9))]
    assert compute_due(CAL, MON, Decimal(1), DurationUnit.NONE, pauses) is None


# --- deadline state -------------------------------------------------------------------------

DUE = dt(2025, 3, 6, 9, 15)  # Thursday


@pytest.mark.parametrize(
    ("due", "now", "paused", "due_soon", "state"),
    [
        (DUE, dt(2025, 3, 7, 9), True, None, DeadlineState.PAUSED),
        (None, dt(2025, 3, 7, 9), True, None, DeadlineState.PAUSED),
        (None, dt(2025, 3, 7, 9), False, None, DeadlineState.IN_TIME),
        (DUE, dt(2025, 3, 6, 9, 16), False, None, DeadlineState.OVERDUE),
        (DUE, dt(2025, 3, 6, 9, 15), False, None, DeadlineState.DUE_SOON),
        # Exactly one working day left is "due soon"; one minute more is not.
        (DUE, dt(2025, 3, 5, 9, 15), False, None, DeadlineState.DUE_SOON),
        (DUE, dt(2025, 3, 5, 9, 14), False, None, DeadlineState.IN_TIME),
        # Lunch: Wed 13:30–17:00 and Thu 07:00–09:15 = 5 h 45 min.
        (DUE, dt(2025, 3, 5, 12), False, None, DeadlineState.DUE_SOON),
        (DUE, dt(2025, 3, 3, 9), False, None, DeadlineState.IN_TIME),
        # A configured threshold of 2 h: Thu 07:00 leaves 2 h 15 min, 07:15 leaves 2 h.
        (DUE, dt(2025, 3, 6, 7), False, 2 * H, DeadlineState.IN_TIME),
        (DUE, dt(2025, 3, 6, 7, 15), False, 2 * H, DeadlineState.DUE_SOON),
        # The weekend does not count: due Mon 09:15, now Fri 09:14 leaves 8 h 1 min.
        (dt(2025, 3, 10, 9, 15), dt(2025, 3, 7, 9, 14), False, None, DeadlineState.IN_TIME),
        (dt(2025, 3, 10, 9, 15), dt(2025, 3, 7, 9, 15), False, None, DeadlineState.DUE_SOON),
        # Past a 17:00 due in the evening: overdue although no working time has passed.
        (dt(2025, 3, 6, 17), dt(2025, 3, 6, 19), False, None, DeadlineState.OVERDUE),
    ],
)
def test_deadline_state(
    due: datetime | None,
    now: datetime,
    paused: bool,
    due_soon: timedelta | None,
    state: DeadlineState,
) -> None:
    assert deadline_state(CAL, due, now, paused=paused, due_soon=due_soon) is state


def test_deadline_state_labels() -> None:
    assert {s: s.label for s in DeadlineState} == {
        DeadlineState.PAUSED: "Tạm dừng",
        DeadlineState.OVERDUE: "Quá hạn",
        DeadlineState.DUE_SOON: "Sắp đến hạn",
        DeadlineState.IN_TIME: "Trong hạn",
    }


@pytest.mark.parametrize(
    ("due", "now", "remaining"),
    [
        (DUE, dt(2025, 3, 3, 9, 15), 24 * H),
        (DUE, DUE, timedelta(0)),
        (DUE, dt(2025, 3, 6, 10, 15), -H),
        (DUE, dt(2025, 3, 7, 9, 15), -DAY),
        (DUE, dt(2025, 3, 10, 7), -(DAY + timedelta(hours=5, minutes=45))),
        (dt(2025, 3, 6, 17), dt(2025, 3, 6, 19), timedelta(0)),
    ],
)
def test_remaining_working_time(due: datetime, now: datetime, remaining: timedelta) -> None:
    assert remaining_working_time(CAL, due, now) == remaining


@pytest.mark.parametrize(
    ("td", "day_length", "text"),
    [
        (timedelta(hours=19), DAY, "còn 2 ngày 3 giờ"),
        (45 * M, DAY, "còn 45 phút"),
        (-DAY, DAY, "quá hạn 1 ngày"),
        (-timedelta(hours=2, minutes=10), DAY, "quá hạn 2 giờ 10 phút"),
        (timedelta(hours=8, minutes=5), DAY, "còn 1 ngày 5 phút"),
        (timedelta(hours=8, seconds=59), DAY, "còn 1 ngày"),
        (timedelta(days=1), DAY, "còn 3 ngày"),
        (timedelta(hours=17, minutes=1), DAY, "còn 2 ngày 1 giờ 1 phút"),
        (timedelta(0), DAY, "đến hạn"),
        (timedelta(seconds=30), DAY, "còn dưới 1 phút"),
        (-timedelta(seconds=30), DAY, "quá hạn dưới 1 phút"),
        (DAY, timedelta(hours=7, minutes=30), "còn 1 ngày 30 phút"),
    ],
)
def test_describe_remaining(td: timedelta, day_length: timedelta, text: str) -> None:
    assert describe_remaining(td, day_length) == text


def test_describe_remaining_needs_a_day_length() -> None:
    with pytest.raises(ValidationError):
        describe_remaining(H, timedelta(0))


# --- outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settled_at", "outcome"),
    [
        (dt(2025, 3, 5, 16), Outcome.EARLY),
        (dt(2025, 3, 1, 10), Outcome.EARLY),
        (dt(2025, 3, 6, 8), Outcome.ON_TIME),
        (dt(2025, 3, 6, 9, 15), Outcome.ON_TIME),
        (dt(2025, 3, 6, 9, 16), Outcome.LATE),
        (dt(2025, 3, 7, 8), Outcome.LATE),
    ],
)
def test_settlement_outcome(settled_at: datetime, outcome: Outcome) -> None:
    assert settlement_outcome(DUE, settled_at) is outcome


def test_settlement_without_time_limit_is_on_time() -> None:
    assert settlement_outcome(None, dt(2030, 1, 1)) is Outcome.ON_TIME


def test_outcome_values_and_labels() -> None:
    assert {o.value: o.label for o in Outcome} == {
        "early": "Trước hạn",
        "on_time": "Đúng hạn",
        "late": "Quá hạn",
    }


# --- properties -----------------------------------------------------------------------------

moments = st.integers(min_value=0, max_value=60 * 24 * 700).map(lambda m: dt(2025, 1, 1) + m * M)
quarter_days = st.integers(min_value=0, max_value=80).map(lambda q: Decimal(q) / 4)


@st.composite
def pause_lists(draw: st.DrawFn, after: datetime) -> list[Pause]:
    offsets = sorted(draw(st.lists(st.integers(0, 60 * 24 * 40), max_size=6, unique=True)))
    if len(offsets) % 2:
        offsets.pop()
    return [
        Pause(after + a * M, after + b * M)
        for a, b in zip(offsets[::2], offsets[1::2], strict=True)
    ]


@given(moments, quarter_days, st.data())
def test_pauses_never_bring_the_due_forward(
    received: datetime, n: Decimal, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(received))
    plain = compute_due(CAL, received, n, WD)
    paused = compute_due(CAL, received, n, WD, pauses)
    assert plain is not None
    assert paused is not None
    assert paused >= plain
    # The working time outside pauses up to the due is exactly the required time.
    in_pauses = sum(
        (CAL.working_time(max(p.start, received), min(p.end or p.start, paused)) for p in pauses),
        timedelta(),
    )
    assert CAL.working_time(received, paused) - in_pauses == timedelta(minutes=int(n * 480))


@given(moments, quarter_days)
def test_working_day_due_is_working_time_from_the_receipt(received: datetime, n: Decimal) -> None:
    due = compute_due(CAL, received, n, WD)
    assert due is not None
    assert CAL.working_time(received, due) == timedelta(minutes=int(n * 480))


@given(st.integers(min_value=-(10**7), max_value=10**7).map(lambda s: timedelta(seconds=s)))
def test_describe_remaining_sign(td: timedelta) -> None:
    text = describe_remaining(td, DAY)
    if td > timedelta(0):
        assert text.startswith("còn ")
    elif td < timedelta(0):
        assert text.startswith("quá hạn ")
    else:
        assert text == "đến hạn"
