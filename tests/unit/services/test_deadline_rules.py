"""DOMAIN §4.1 in the register: history that does not move (5), periods as of now (6), calendar
changes (7) and one "due soon" for the list, the queue and the watch (9)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text

from desk_app.domain.due import DeadlineState, deadline_state
from desk_app.services import amend, calendar_moves, desk, lifecycle, queries, reports, watch
from desk_app.services.context import Actor, load_context
from desk_app.services.lifecycle import MoveInput
from desk_app.services.statistics import GroupBy, period_report
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import DueChange, FileRecord
from desk_app.sync.summary import day_summary

Accept = Callable[..., FileView]
MON = datetime(2026, 3, 2, 9, 15)  # karaoke: 5 working days → due Mon 09/03 09:15
PERIOD = (date(2026, 3, 1), date(2026, 3, 10))  # closed on Wed 11/03 00:00


def _report(db: Database, now: datetime) -> str:
    with db.reader.begin() as s:
        data = period_report(s, *PERIOD, GroupBy.PROCEDURE, now=now).to_json()
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _original_due(db: Database, code: str) -> datetime | None:
    with db.reader.begin() as s:
        return s.scalars(select(FileRecord.original_due_at).where(FileRecord.code == code)).one()


def test_a_closed_period_keeps_its_numbers_whatever_happens_later(
    db: Database, accept: Accept, officer: Actor, supervisor: Actor, admin: Actor
) -> None:
    late = accept(received=MON)  # overdue at the end of the period
    paused = accept(received=datetime(2026, 3, 2, 10))  # paused before its due, still paused
    fresh = accept(received=datetime(2026, 3, 9, 8))  # in time at the end
    with db.writer.begin() as s:
        lifecycle.request_supplement(
            s, MoveInput(paused.code), "Thiếu giấy", officer, now=datetime(2026, 3, 4, 9)
        )
    before = _report(db, datetime(2026, 3, 11, 7))
    assert '"open_overdue": 1' in before and '"open_in_time": 2' in before

    later = datetime(2026, 3, 11, 8)
    with db.writer.begin() as s:
        # Three past days declared off: the late file's rule due moves past the period's end.
        for day in (date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9)):
            desk.set_calendar_day(s, day, False, "Thông báo nghỉ bù số 12/TB", admin, now=later)
    assert _original_due(db, late.code) == datetime(2026, 3, 12, 9, 15)
    with db.writer.begin() as s:
        lifecycle.receive_supplement(s, MoveInput(paused.code), officer, now=later)
        lifecycle.request_supplement(
            s, MoveInput(late.code), "Bổ sung", officer, now=datetime(2026, 3, 11, 9)
        )
        lifecycle.receive_supplement(
            s, MoveInput(late.code), officer, now=datetime(2026, 3, 11, 9, 30)
        )
        amend.reschedule(
            s,
            fresh.code,
            datetime(2026, 3, 30, 9),
            "Chờ ý kiến liên ngành",
            supervisor,
            now=datetime(2026, 3, 11, 10),
        )
        lifecycle.record_result(s, MoveInput(late.code), officer, now=datetime(2026, 3, 11, 11))
    assert _report(db, datetime(2026, 3, 12, 8)) == before
    assert _report(db, datetime(2027, 1, 1)) == before
    # ...while the history says what moved, when and why.
    with db.reader.begin() as s:
        reasons = [
            r
            for (r,) in s.execute(
                select(DueChange.reason)
                .join(FileRecord, FileRecord.id == DueChange.file_id)
                .where(FileRecord.code == late.code)
                .order_by(DueChange.at, DueChange.id)
            )
        ]
    assert reasons[0] == "accept" and "calendar" in reasons


def test_the_day_summaries_judge_a_day_as_it_stood(
    db: Database, accept: Accept, officer: Actor, admin: Actor
) -> None:
    late = accept(received=MON)
    day = date(2026, 3, 10)
    with db.reader.begin() as s:
        before = day_summary(s, day)
    assert before[0].counts.open_overdue == 1
    with db.writer.begin() as s:
        desk.set_calendar_day(
            s, date(2026, 3, 5), False, "Nghỉ", admin, now=datetime(2026, 3, 11, 8)
        )
        desk.set_calendar_day(
            s, date(2026, 3, 6), False, "Nghỉ", admin, now=datetime(2026, 3, 11, 8)
        )
    assert _original_due(db, late.code) == datetime(2026, 3, 11, 9, 15)
    with db.reader.begin() as s:
        assert day_summary(s, day) == before
        assert (
            day_summary(s, date(2026, 3, 11), datetime(2026, 3, 11, 9))[0].counts.open_overdue == 0
        )
        assert (
            day_summary(s, date(2026, 3, 11), datetime(2026, 3, 11, 10))[0].counts.open_overdue == 1
        )


def test_a_period_not_over_is_counted_as_of_now(db: Database, accept: Accept) -> None:
    accept(received=MON)  # due Mon 09/03 09:15
    quarter = (date(2026, 1, 1), date(2026, 3, 31))
    with db.reader.begin() as s:
        early = period_report(s, *quarter, now=datetime(2026, 3, 5, 10))
        after = period_report(s, *quarter, now=datetime(2026, 3, 9, 10))
        closed = period_report(s, *quarter, now=datetime(2026, 4, 2, 8))
        pdf = reports.statistics_pdf(s, early)
        xlsx = reports.statistics_xlsx(s, early)
        soon_now = watch.overdue_by_procedure(s, *quarter, datetime(2026, 3, 5, 10))
    assert (early.total.open_in_time, early.total.open_overdue) == (1, 0)
    # A file received in the very second the report is made counts, and one due at that moment
    # is not late yet (the watch says "overdue" only once now is past the due).
    accept(received=datetime(2026, 3, 5, 10))
    with db.reader.begin() as s:
        same_second = period_report(s, *quarter, now=datetime(2026, 3, 5, 10))
        at_due = period_report(s, *quarter, now=datetime(2026, 3, 9, 9, 15))
    assert same_second.total.received_total == 2
    assert (at_due.total.open_in_time, at_due.total.open_overdue) == (2, 0)
    assert (after.total.open_in_time, after.total.open_overdue) == (0, 1)
    assert early.as_of == datetime(2026, 3, 5, 10) and closed.as_of is None
    assert soon_now == []
    heading = "số liệu tính đến 10 giờ 00 phút ngày 05/03/2026"
    assert heading in " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    assert any(heading in str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_calendar_changes_move_only_later_and_say_so_first(
    db: Database, accept: Accept, admin: Actor
) -> None:
    view = accept(received=MON)
    dawn = accept(received=datetime(2026, 3, 2, 7, 10))
    noon = accept("CHUNG-CT-01", received=datetime(2026, 3, 2, 14, 0))  # same day: 17:00
    now = datetime(2026, 3, 3, 8)
    with db.reader.begin() as s:
        off = calendar_moves.preview_day(s, date(2026, 3, 4), False, "Nghỉ")
        working_saturday = calendar_moves.preview_day(s, date(2026, 3, 7), True, "Làm bù")
    assert {(m.code, m.new_due) for m in off.later} == {
        (view.code, datetime(2026, 3, 10, 9, 15)),
        (dawn.code, datetime(2026, 3, 10, 7, 10)),
    }
    assert off.kept == () and "2 hồ sơ" in calendar_moves.describe(off)[0]
    assert working_saturday.later == ()
    assert [m.new_due for m in working_saturday.kept if m.code == view.code] == [
        datetime(2026, 3, 7, 9, 15)
    ]
    with db.writer.begin() as s:
        desk.set_calendar_day(s, date(2026, 3, 7), True, "Làm bù", admin, now=now)
    # A printed appointment is never moved earlier.
    assert _original_due(db, view.code) == datetime(2026, 3, 9, 9, 15)
    with db.writer.begin() as s:
        # With Saturday working, two days off (Wed, Thu) give Tue 10/03: that one moves out.
        desk.set_calendar_day(s, date(2026, 3, 4), False, "Nghỉ", admin, now=now)
        desk.set_calendar_day(s, date(2026, 3, 5), False, "Nghỉ", admin, now=now)
    assert _original_due(db, view.code) == datetime(2026, 3, 10, 9, 15)
    # Closing half an hour later moves the same-day file out to the new closing; whole working
    # days from a moment inside office hours keep their clock time.
    with db.reader.begin() as s:
        shorter = calendar_moves.preview_hours(s, "07:00-11:30,13:30-17:30")
    assert [m.code for m in shorter.later] == [noon.code]
    assert shorter.later[0].new_due - shorter.later[0].old_due == timedelta(minutes=30)
    with db.writer.begin() as s:
        desk.update_settings(
            s, desk.IdentityInput(office_hours="07:00-11:30,13:30-17:30"), admin, now=now
        )
        rows = s.execute(
            text(
                "SELECT h.reason FROM due_history h JOIN files f ON f.id = h.file_id"
                " WHERE f.code = :c ORDER BY h.id"
            ),
            {"c": noon.code},
        ).all()
    assert [r[0] for r in rows][-1] == "calendar"
    assert _original_due(db, noon.code) == shorter.later[0].new_due
    assert _original_due(db, view.code) == datetime(2026, 3, 10, 9, 15)


# Monday 13:30: one working day (8 h) is used up at Tue 11:30, and no working time passes until
# Tue 13:30, so every due up to Tue 13:30 has at most one working day left.
NOW = datetime(2026, 3, 2, 13, 30)
DUES = [
    (datetime(2026, 3, 2, 19, 0), DeadlineState.DUE_SOON),  # outside office hours
    (datetime(2026, 3, 3, 6, 0), DeadlineState.DUE_SOON),
    (datetime(2026, 3, 3, 11, 30), DeadlineState.DUE_SOON),
    (datetime(2026, 3, 3, 12, 0), DeadlineState.DUE_SOON),  # lunch break
    (datetime(2026, 3, 3, 13, 30), DeadlineState.DUE_SOON),
    (datetime(2026, 3, 3, 13, 31), DeadlineState.IN_TIME),
    (datetime(2026, 3, 2, 13, 0), DeadlineState.OVERDUE),
]


def test_due_soon_is_one_rule_for_the_row_the_queue_and_the_watch(
    db: Database, accept: Accept
) -> None:
    codes = {}
    for i, (due, _) in enumerate(DUES):
        view = accept(received=datetime(2026, 3, 2, 8, i))
        codes[view.code] = due
    with db.writer.begin() as s:
        for code, due in codes.items():
            s.execute(
                text("UPDATE files SET original_due_at = :d, due_at = :d WHERE code = :c"),
                {"d": due.strftime("%Y-%m-%d %H:%M:%S"), "c": code},
            )
    expected = dict(zip(codes, [state for _, state in DUES], strict=True))
    with db.reader.begin() as s:
        ctx = load_context(s)
        colour = {
            c: deadline_state(ctx.calendar, d, NOW, paused=False, due_soon=ctx.due_soon)
            for c, d in codes.items()
        }
        queue = {r.code for r in queries.list_files(s, queries.Queue.DUE_SOON, NOW, limit=50)}
        overdue = {r.code for r in queries.list_files(s, queries.Queue.OVERDUE, NOW, limit=50)}
        found = watch.watch(s, NOW)
    assert colour == expected
    assert queue == {c for c, st in expected.items() if st is DeadlineState.DUE_SOON}
    assert overdue == {c for c, st in expected.items() if st is DeadlineState.OVERDUE}
    assert {r.code for r in found.due_soon} == queue
    assert {r.code for r in found.overdue} == overdue


@pytest.mark.parametrize("days", ["0.5", "2"])
def test_due_soon_threshold_is_in_working_days(db: Database, admin: Actor, days: str) -> None:
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(due_soon_days=days), admin)
        ctx = load_context(s)
    assert ctx.due_soon == ctx.calendar.day_length * float(days)
