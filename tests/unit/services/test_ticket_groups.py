"""The queue's back office on both engines: groups added, renamed, retired and reopened by an
administrator (a letter unique among the agency's active groups, and lent again only from the
day after a retired group last issued under it); the supervisor's queue report counted by hand;
the other counters hear a ticket issued."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.domain.waiting import Minutes
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services import queue_exports, tickets
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.scope import Scope
from desk_app.store.changes import open_feed
from desk_app.store.engine import Database, open_database
from desk_app.store.models import AuditEntry
from tests.unit.store.test_change_feed import Heard

NOW = datetime(2026, 3, 2, 8, 0)
DAY = NOW.date()


def _first(db: Database) -> int:
    with db.reader.begin() as s:
        return tickets.groups(s)[0].id


def test_an_administrator_adds_renames_and_is_told_what_is_wrong(
    db: Database, admin: Actor, officer: Actor
) -> None:
    with db.writer.begin() as s:
        b = tickets.add_group(s, " b ", "Hộ tịch", day=DAY, actor=admin)
    assert (b.prefix, b.name, b.active) == ("B", "Hộ tịch", True)
    with pytest.raises(FieldsError) as err, db.writer.begin() as s:
        tickets.add_group(s, "Ă1", "  ", day=DAY, actor=admin)
    assert set(err.value.errors) == {"prefix", "name"}
    assert "chữ cái không dấu" in err.value.errors["prefix"]
    with pytest.raises(FieldsError) as err, db.writer.begin() as s:
        tickets.add_group(s, "A", "Khác", day=DAY, actor=admin)
    assert err.value.errors == {
        "prefix": "Đã có nhóm ký hiệu A («Tiếp nhận và trả kết quả») đang cấp số."
    }
    with pytest.raises(PermissionDeniedError), db.writer.begin() as s:
        tickets.add_group(s, "C", "Đất đai", day=DAY, actor=officer)
    with pytest.raises(NotFoundError), db.writer.begin() as s:
        tickets.add_group(s, "C", "Đất đai", agency=99, day=DAY, actor=admin)

    with db.writer.begin() as s:
        renamed = tickets.rename_group(s, b.id, "  Hộ tịch,  chứng thực ", actor=admin)
    assert renamed.name == "Hộ tịch, chứng thực" and renamed.prefix == "B"
    with pytest.raises(FieldsError) as err, db.writer.begin() as s:
        tickets.rename_group(s, b.id, "", actor=admin)
    assert list(err.value.errors) == ["name"]
    with db.reader.begin() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "ticket_group")
        ).all()
    assert actions == ["ticket_group_add", "ticket_group_rename"]


def test_a_retired_group_issues_nothing_keeps_its_history_and_lends_its_letter_next_day(
    db: Database, admin: Actor, officer: Actor
) -> None:
    a = _first(db)
    with db.writer.begin() as s:
        tickets.issue_ticket(s, a, NOW)
    # Somebody waits: retiring now would leave them in the hall.
    with pytest.raises(ValidationError, match="còn 1 số đang chờ"), db.writer.begin() as s:
        tickets.retire_group(s, a, NOW + timedelta(hours=1), actor=admin)
    desk = replace(officer, counter="Quầy 1")
    with db.writer.begin() as s:
        tickets.call_next(s, desk, [a], NOW + timedelta(minutes=5))
        tickets.call_next(s, desk, [a], NOW + timedelta(minutes=9))  # served, none left
        old = tickets.retire_group(s, a, NOW + timedelta(hours=1), actor=admin)
    assert not old.active
    with pytest.raises(NotFoundError), db.writer.begin() as s:
        tickets.issue_ticket(s, a, NOW + timedelta(hours=2))
    with pytest.raises(ValidationError, match="đã ngừng"), db.writer.begin() as s:
        tickets.retire_group(s, a, NOW, actor=admin)

    # The same day: "A001" was handed out under A, the letter waits for tomorrow.
    with pytest.raises(FieldsError, match="dùng lại được từ ngày mai"), db.writer.begin() as s:
        tickets.add_group(s, "A", "Đất đai", day=DAY, actor=admin)
    with pytest.raises(FieldsError, match="đã ngừng"), db.writer.begin() as s:
        tickets.add_group(s, "A", "Đất đai")  # no day: any letter ever used is refused
    tomorrow = NOW + timedelta(days=1)
    with db.writer.begin() as s:
        new = tickets.add_group(s, "A", "Đất đai", day=tomorrow.date(), actor=admin)
        first = tickets.issue_ticket(s, new.id, tomorrow)
    assert first.label == "A001" and first.group_name == "Đất đai"
    with db.reader.begin() as s:
        assert [g.id for g in tickets.groups(s)] == [new.id]
        rows = tickets.group_rows(s)
        assert tickets.find_group(s, "a").id == new.id
    assert [(r.group.id, r.group.active, r.issued, r.last_day) for r in rows] == [
        (new.id, True, 1, tomorrow.date()),
        (a, False, 1, DAY),
    ]
    # The old group cannot come back while its letter is taken; rename it still can.
    with pytest.raises(ValidationError, match="đang thuộc nhóm «Đất đai»"), db.writer.begin() as s:
        tickets.reopen_group(s, a, day=tomorrow.date(), actor=admin)
    with pytest.raises(ValidationError, match="còn 1 số"), db.writer.begin() as s:
        tickets.retire_group(s, new.id, tomorrow, actor=admin)
    later = tomorrow + timedelta(days=1)  # a day's numbers left waiting do not hold it back
    with db.writer.begin() as s:
        tickets.retire_group(s, new.id, later, actor=admin)
        back = tickets.reopen_group(s, a, day=later.date(), actor=admin)
    assert back.active and back.name == "Tiếp nhận và trả kết quả"


def _call(db: Database, actor: Actor, group: int, minute: int) -> str | None:
    with db.writer.begin() as s:
        called = tickets.call_next(s, actor, [group], NOW + timedelta(minutes=minute))
    return None if called is None else called.label


def test_the_queue_report_counts_what_happened_in_the_hall(
    db: Database, admin: Actor, officer: Actor, supervisor: Actor
) -> None:
    """Five A tickets from 08:00 a minute apart, one B at 09:00 never called, one A the next
    day. Lan (Quầy 1) and Thắng (Quầy 2) call them; every minute below is counted by hand."""
    a = _first(db)
    with db.writer.begin() as s:
        b = tickets.add_group(s, "B", "Hộ tịch", day=DAY, actor=admin).id
        for i in range(5):
            tickets.issue_ticket(s, a, NOW + timedelta(minutes=i))
        tickets.issue_ticket(s, b, NOW + timedelta(hours=1))
        tickets.issue_ticket(s, a, NOW + timedelta(days=1))
    lan, thang = replace(officer, counter="Quầy 1"), replace(supervisor, counter="Quầy 2")
    assert _call(db, lan, a, 10) == "A001"  # waited 10
    assert _call(db, thang, a, 12) == "A002"  # waited 11
    with db.writer.begin() as s:
        current = tickets.current_ticket(s, thang, NOW)
        assert current is not None
        tickets.skip(s, current.id, thang, NOW + timedelta(minutes=15))  # did not come
    assert _call(db, thang, a, 16) == "A003"  # waited 14
    assert _call(db, lan, a, 20) == "A004"  # A001 served in 10; A004 waited 17
    assert _call(db, thang, a, 40) == "A005"  # A003 served in 24; A005 waited 36
    assert _call(db, lan, a, 45) is None  # A004 served in 25; A005 still being served

    with db.reader.begin() as s:
        report = tickets.queue_report(s, DAY, DAY)
    assert [g.prefix for g in report.groups] == ["A", "B"]
    group_a, group_b = report.groups
    line = group_a.line
    assert (line.issued, line.called, line.served, line.skipped) == (5, 5, 3, 1)
    # Waits 10, 11, 14, 17, 36: mean 17.6, p90 the 5th of 5; services 10, 24, 25.
    assert line.wait.mean == pytest.approx(17.6) and line.wait.p90 == 36
    assert line.service.mean == pytest.approx(59 / 3) and line.service.p90 == 25
    by_name = {o.label: o for o in group_a.officers}
    assert list(by_name) == ["Nguyễn Thị Lan", "Vi Đức Thắng"]
    lan_line, thang_line = by_name["Nguyễn Thị Lan"], by_name["Vi Đức Thắng"]
    assert (lan_line.issued, lan_line.called, lan_line.served, lan_line.skipped) == (
        None,
        2,
        2,
        0,
    )
    assert lan_line.wait == Minutes(2, 13.5, 17.0)
    assert lan_line.service == Minutes(2, 17.5, 25.0)
    assert (thang_line.called, thang_line.served, thang_line.skipped) == (3, 1, 1)
    assert thang_line.wait.mean == pytest.approx(61 / 3) and thang_line.wait.p90 == 36
    assert thang_line.service == Minutes(1, 24.0, 24.0)
    assert group_b.line.issued == 1 and group_b.line.wait.mean is None and not group_b.officers
    total = report.total
    assert (total.issued, total.called, total.served, total.skipped) == (6, 5, 3, 1)
    assert report.not_called == 1  # B001
    assert total.wait.p90 == 36 and total.service.mean == pytest.approx(59 / 3)

    with db.reader.begin() as s:
        two_days = tickets.queue_report(s, DAY, DAY + timedelta(days=1))
        nothing = tickets.queue_report(s, DAY, DAY, scope=Scope.of({99}))
        times = tickets.queue_times(s, DAY, DAY)
    assert two_days.total.issued == 7 and two_days.groups[0].line.issued == 6
    assert nothing.groups == () and nothing.total.issued == 0
    assert [(t.group_prefix, t.officer, t.served, t.skipped) for t in times] == [
        ("A", "Nguyễn Thị Lan", 2, 0),
        ("A", "Vi Đức Thắng", 1, 1),
    ]
    with pytest.raises(ValidationError), db.reader.begin() as s:
        tickets.queue_report(s, DAY, date(2026, 3, 1))  # the end before the start


@pytest.fixture
def heard(db: Database) -> Iterator[Heard]:
    feed = open_feed(db)
    heard = Heard()
    feed.start(heard)
    assert feed.connected.wait(5)
    yield heard
    feed.stop()


def test_another_counters_ticket_is_heard(db: Database, heard: Heard) -> None:
    a = _first(db)
    other = open_database(db.url if db.is_server else db.path)
    try:
        with other.writer.begin() as s:
            tickets.issue_ticket(s, a, NOW)
    finally:
        other.dispose()
    _at, notice = heard.next(timeout=2.0)
    assert "tickets" in notice.kinds
    if db.is_server:
        assert notice.kinds == {"tickets"}  # the trigger of migration 0022, nothing else


def test_the_queue_report_prints_and_fills_a_workbook(db: Database, officer: Actor) -> None:
    """A001 waited 4 minutes and was served in 6; A002 was never called."""
    a = _first(db)
    desk = replace(officer, counter="Quầy 1")
    with db.writer.begin() as s:
        tickets.issue_ticket(s, a, NOW)
        tickets.issue_ticket(s, a, NOW + timedelta(minutes=1))
    assert _call(db, desk, a, 4) == "A001"
    with db.writer.begin() as s:
        current = tickets.current_ticket(s, desk, NOW)
        assert current is not None
        tickets.skip(s, current.id, desk, NOW + timedelta(minutes=10))
        report = tickets.queue_report(s, DAY, DAY)
        pdf = queue_exports.queue_pdf(s, report)
        xlsx = queue_exports.queue_xlsx(s, report)
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    text = " ".join(page.split())
    assert "1 A – Tiếp nhận và trả kết quả 2 0 1 4,0 4,0 — —" in text
    assert "– Nguyễn Thị Lan 0 1 4,0 4,0 — —" in text
    assert "không được gọi (người dân không chờ, hết giờ làm việc): 1" in text
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] in ("Tổng cộng",)]
    assert rows == [(None, "Tổng cộng", 2, 0, 1, 4.0, 4.0, None, None)]
