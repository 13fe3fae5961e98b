"""A centre's supervisor: the watch and the period statistics for one agency or for the whole
centre, grouped by field, procedure, agency, receiving officer or counter."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader
from sqlalchemy import select

from desk_app.domain.statistics import StatCounts
from desk_app.services import reports, watch
from desk_app.services.context import Actor
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import (
    NO_COUNTER,
    GroupBy,
    PeriodReport,
    _files_sqls,
    period_report,
)
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, FileRecord, Pause, Procedure, User
from desk_app.store.sqlfn import spelling
from tests.centre_data import (
    JUSTICE,
    JUSTICE_NAME,
    KARAOKE,
    accept,
    add_justice,
    centre_files,
    desks,
)
from tests.conftest import prepared_database
from tests.desk_setup import sign_in

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
AFTER = datetime(2026, 4, 15, 10, 0)  # the report is made after the period
SCOPES = {
    "all": ALL,
    "first": Scope.of({1}),
    "justice": Scope.of({JUSTICE}),
    "both": Scope.of({1, JUSTICE}),
}


def _build_centre(db: Database) -> None:
    add_justice(db)
    centre_files(db, desks(db, sign_in(db, "canbo"), sign_in(db, "lanhdao")))


@pytest.fixture
def centre(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The centre of tests/centre_data.py, built once per worker and engine; a copy per test."""
    yield from prepared_database(engine_name, request, tmp_path, "centre", _build_centre)


def _hand_count(
    db: Database, start: date, end: date, scope: Scope, by: GroupBy
) -> dict[str, Counter[str]]:
    """Every file walked in Python, straight from DOMAIN §9's wording, under the label the
    grouping gives it (no postal items in these files)."""
    s = datetime.combine(start, time())
    e = datetime.combine(end + timedelta(days=1), time())
    with db.reader.begin() as session:
        procs = {p.id: p for p in session.scalars(select(Procedure))}
        names = {u.id: u.full_name for u in session.scalars(select(User))}
        agencies = {a.id: a.agency_name for a in session.scalars(select(DeskSettings))}
        open_pause = {
            p.file_id: p.start_at for p in session.scalars(select(Pause)) if p.end_at is None
        }
        files = list(session.scalars(select(FileRecord)))

    def label(f: FileRecord) -> str:
        if by == GroupBy.FIELD:
            return procs[f.procedure_id].field
        if by == GroupBy.PROCEDURE:
            return procs[f.procedure_id].name
        if by == GroupBy.AGENCY:
            return agencies[f.agency]
        if by == GroupBy.OFFICER:
            return names[f.officer_id] if f.officer_id else "(không ghi cán bộ)"
        return f.counter_name or NO_COUNTER

    out: dict[str, Counter[str]] = {}
    for f in files:
        if f.status in (1, 3) or not scope.covers(f.agency):
            continue
        c = out.setdefault(label(f), Counter())
        if s <= f.received_at < e:
            c["received_online" if f.channel == "online" else "received_direct_postal"] += 1
        ended_before_start = (f.settled_at is not None and f.settled_at < s) or (
            f.closed_at is not None and f.closed_at < s
        )
        if f.received_at < s and not ended_before_start:
            c["carried_over"] += 1
        if f.settled_at is not None and s <= f.settled_at < e:
            c[f"settled_{f.outcome}"] += 1
        if f.settled_at is None and f.closed_at is not None and s <= f.closed_at < e:
            c["withdrawn" if f.status == 7 else "stopped"] += 1
        if (
            f.received_at < e
            and (f.settled_at is None or f.settled_at >= e)
            and (f.closed_at is None or f.closed_at >= e)
        ):
            limit = min(e, open_pause.get(f.id, e)) if f.status in (5, 6) else e
            late = f.original_due_at is not None and f.original_due_at < limit
            c["open_overdue" if late else "open_in_time"] += 1
    return {k: v for k, v in out.items() if sum(v.values())}


def _by_label(report: PeriodReport) -> dict[str, Counter[str]]:
    return {
        r.label: Counter({k: v for k, v in r.counts.as_dict().items() if v})
        for r in report.rows
        if any(r.counts.as_dict().values())
    }


def _plain(counts: Counter[str]) -> Counter[str]:
    """A hand count with the report's sums (3, 7, 11) added."""
    out = Counter(counts)
    out["received_total"] = sum(
        counts[k] for k in ("received_online", "received_direct_postal", "carried_over")
    )
    out["settled_total"] = sum(
        counts[k] for k in ("settled_early", "settled_on_time", "settled_late")
    )
    out["open_total"] = counts["open_in_time"] + counts["open_overdue"]
    return Counter({k: v for k, v in out.items() if v})


@pytest.mark.parametrize("by", list(GroupBy))
def test_every_scope_and_grouping_equals_a_hand_count(centre: Database, by: GroupBy) -> None:
    totals = {}
    with centre.reader.begin() as s:
        for name, scope in SCOPES.items():
            report = period_report(s, *MARCH, by, now=AFTER, scope=scope)
            expected = {k: _plain(v) for k, v in _hand_count(centre, *MARCH, scope, by).items()}
            assert _by_label(report) == expected, name
            assert not report.total.identity_errors()
            totals[name] = report.total
    assert totals["all"] == totals["both"]
    assert totals["first"] + totals["justice"] == totals["all"]
    # Both agencies received in March, and the second agency's numbers are its own.
    assert totals["first"].received_total > 0 and totals["justice"].received_total > 0
    assert totals["first"] != totals["justice"]


def test_totals_agree_across_groupings(centre: Database) -> None:
    with centre.reader.begin() as s:
        for scope in SCOPES.values():
            reports_ = [period_report(s, *MARCH, by, now=AFTER, scope=scope) for by in GroupBy]
            assert len({r.total for r in reports_}) == 1
            for r in reports_:  # and the rows add up to that total
                summed = StatCounts()
                for row in r.rows:
                    summed = summed + row.counts
                assert summed == r.total


def test_the_groupings_name_their_rows(centre: Database) -> None:
    with centre.reader.begin() as s:
        labels = {
            by: [r.label for r in period_report(s, *MARCH, by, now=AFTER).rows] for by in GroupBy
        }
        keys = [r.group for r in period_report(s, *MARCH, GroupBy.AGENCY, now=AFTER).rows]
    # Agencies in id order, keyed by their identifiers.
    assert labels[GroupBy.AGENCY] == ["SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", JUSTICE_NAME]
    assert keys[1] == "000.00.21.H37"
    assert labels[GroupBy.OFFICER] == ["Hoàng Văn Tư", "Nguyễn Thị Lan", "Vi Đức Thắng"]
    # Counters by name; the computer that names none last.
    assert labels[GroupBy.COUNTER] == ["Quầy 1", "Quầy 2", "Quầy 5", NO_COUNTER]
    # The karaoke licence of both agencies is one procedure row (one national code).
    assert len(labels[GroupBy.PROCEDURE]) == 3
    assert "Chứng thực" in labels[GroupBy.FIELD]


def test_the_whole_database_adds_no_term_to_the_sql(db: Database) -> None:
    """ALL is the solo desk's query, word for word: nothing about agencies in it."""
    with db.reader.begin() as s:
        sp = spelling(s)
    every = _files_sqls(sp, "f.procedure_id", ALL.sql("f.agency"))
    assert every == _files_sqls(sp)
    assert not any("agency" in sql for sql in every)
    one = _files_sqls(sp, "f.procedure_id", Scope.of({2}).sql("f.agency"))
    assert all("AND f.agency IN (2) GROUP BY" in sql for sql in one)


def test_a_solo_desk_report_is_as_before(db: Database, accept: Callable[..., object]) -> None:
    accept(KARAOKE, datetime(2026, 3, 2, 9, 0))
    with db.reader.begin() as s:
        report = period_report(s, *MARCH, now=AFTER)
        one = period_report(s, *MARCH, now=AFTER, scope=Scope.of({1}))
        assert reports.scope_line(s, report.scope) == ""
        assert reports.scope_line(s, one.scope) == ""  # one agency in the database
        sheet = _sheet(reports.statistics_xlsx(s, report))
    assert "agencies" not in report.to_json()
    assert [r.label for r in report.rows] == ["Văn hóa"]
    assert sheet["A6"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert sheet["B8"].value == "Lĩnh vực, công việc giải quyết"


def _sheet(data: bytes) -> Worksheet:
    ws = load_workbook(io.BytesIO(data)).active
    assert isinstance(ws, Worksheet)
    return ws


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_report_heading_names_the_scope(centre: Database) -> None:
    with centre.reader.begin() as s:
        whole = period_report(s, *MARCH, GroupBy.COUNTER, now=AFTER)
        justice = period_report(s, *MARCH, GroupBy.OFFICER, now=AFTER, scope=Scope.of({2}))
        whole_sheet = _sheet(reports.statistics_xlsx(s, whole))
        justice_sheet = _sheet(reports.statistics_xlsx(s, justice))
        whole_pdf = _pdf_text(reports.statistics_pdf(s, whole))
        justice_pdf = _pdf_text(reports.statistics_pdf(s, justice))
    assert whole_sheet["A6"].value == "Phạm vi: Toàn Trung tâm"
    assert whole_sheet["B8"].value == "Quầy"
    assert justice_sheet["A6"].value == f"Phạm vi: {JUSTICE_NAME}"
    assert justice_sheet["A2"].value == JUSTICE_NAME  # the agency's own header
    assert justice_sheet["B8"].value == "Cán bộ tiếp nhận"
    assert justice_sheet["A7"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert "Phạm vi: Toàn Trung tâm" in whole_pdf and "(không ghi quầy)" in whole_pdf
    assert f"Phạm vi: {JUSTICE_NAME}" in justice_pdf and "Hoàng Văn Tư" in justice_pdf
    assert "Nguyễn Thị Lan" not in justice_pdf
    assert justice.to_json()["agencies"] == [JUSTICE]
    assert justice.to_json()["by"] == "officer"


# --- the watch ----------------------------------------------------------------------------------

# Friday 27 March 2026, 10:00.
NOW = datetime(2026, 3, 27, 10, 0)


def _hand_watch(db: Database, scope: Scope) -> tuple[int, int, int]:
    """Overdue, due soon and paused at NOW, each agency with its own warning: one working day
    for the first, three for the second (office days 07:00-11:30, 13:30-17:00)."""
    soon_until = {1: datetime(2026, 3, 30, 10, 0), JUSTICE: datetime(2026, 4, 1, 10, 0)}
    with db.reader.begin() as s:
        files = [f for f in s.scalars(select(FileRecord)) if scope.covers(f.agency)]
    running = [f for f in files if f.status in (2, 4) and f.original_due_at is not None]
    overdue = sum(1 for f in running if f.original_due_at < NOW)
    soon = sum(1 for f in running if NOW <= f.original_due_at <= soon_until[f.agency])
    paused = sum(1 for f in files if f.status in (5, 6))
    return overdue, soon, paused


def test_the_watch_per_scope_with_each_agencys_warning(
    centre: Database, officer: Actor, supervisor: Actor
) -> None:
    # Due Monday 30 March 10:00 (one working day): due soon in both agencies. Due Tuesday
    # 31 March 10:00 (two): due soon in the second only.
    with centre.reader.begin() as s:
        clerk = s.scalar(select(User).where(User.username == "tuphap"))
    assert clerk is not None
    justice = Actor(clerk.id, clerk.full_name, "officer", "tuphap", frozenset({JUSTICE}), "Q5")
    first = Actor(officer.user_id, officer.name, "officer", "canbo", frozenset({1}), "Quầy 1")
    monday, tuesday = datetime(2026, 3, 23, 10, 0), datetime(2026, 3, 24, 10, 0)
    for actor, agency in ((first, 1), (justice, JUSTICE)):
        accept(centre, actor, KARAOKE, monday, "Hạn thứ Hai", agency)
        accept(centre, actor, KARAOKE, tuesday, "Hạn thứ Ba", agency)
    seen = {}
    with centre.reader.begin() as s:
        for name, scope in SCOPES.items():
            w = watch.watch(s, NOW, scope=scope)
            seen[name] = (w.overdue_total, w.due_soon_total, w.paused_total)
            assert w.due_soon_days == {"first": 1, "justice": 3}.get(name), name
            assert seen[name] == _hand_watch(centre, scope), name
            assert len(w.overdue) == w.overdue_total and len(w.due_soon) == w.due_soon_total
            assert all(scope.covers(r.agency) for r in (*w.overdue, *w.due_soon, *w.paused))
            assert sum(n for _, n, _ in w.by_procedure) == w.overdue_total
            assert sum(n for _, _, n in w.by_officer) == w.due_soon_total
        tuesday_rows = {
            r.agency for r in watch.watch(s, NOW).due_soon if r.applicant_name == "Hạn thứ Ba"
        }
    assert tuesday_rows == {JUSTICE}
    assert seen["all"] == seen["both"]
    for i in range(3):
        assert seen["first"][i] + seen["justice"][i] == seen["all"][i]
    assert all(seen["justice"]) and seen["first"][0] and seen["first"][1]


def test_the_charts_follow_the_scope(centre: Database) -> None:
    with centre.reader.begin() as s:
        months = {
            name: watch.on_time_by_month(s, date(2026, 2, 1), MARCH[1], scope=scope)
            for name, scope in SCOPES.items()
        }
        late = {
            name: watch.overdue_by_procedure(s, *MARCH, AFTER, scope=scope)
            for name, scope in SCOPES.items()
        }
        report = {
            name: period_report(s, *MARCH, GroupBy.PROCEDURE, now=AFTER, scope=scope)
            for name, scope in SCOPES.items()
        }
    for a, b, c in zip(months["first"], months["justice"], months["all"], strict=True):
        assert a[0] == b[0] == c[0]
        assert tuple(x + y for x, y in zip(a[1:], b[1:], strict=True)) == c[1:]
    assert months["all"] == months["both"]
    assert sum(sum(m[1:]) for m in months["justice"]) > 0
    for name in SCOPES:
        total = report[name].total
        assert sum(p.count for p in late[name]) == total.settled_late + total.open_overdue
