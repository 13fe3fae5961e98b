"""The national index's SQL (services/national_index.py): the terms each figure counts with, the
two walks over a period's files (received in it; carried over and settled in it), and the tally
of one pass, on both dialects (store/sqlfn.py). A figure and its files share one term."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.services.context import get_settings, load_calendar
from desk_app.services.scope import Scope, agency_ids
from desk_app.services.statistics import as_of, period_bounds
from desk_app.store.sqlfn import Spelling
from desk_app.store.types import moment_text

# --- the SQL terms --------------------------------------------------------------------------------

# A file of the period as the figures see it: one row per file with what the figures ask of it,
# each worked out once (`x` below). The files are those of Biểu 06: received in the period
# (columns 4 + 5) or settled in it (column 7); refused files and online registrations not
# accepted are neither.
_STATUS = "f.status NOT IN (1, 3)"
_OPEN_STATES = "('pending', 'scan_later')"
_EXCEPTION_STATES = "('online', 'shown_only', 'produced_in_processing', 'confidential')"


def _doc_lines(state: str) -> str:
    return f"SELECT 1 FROM scan_lines l WHERE l.file_id = f.id AND l.kind = 'document' AND {state}"


_IN_PERIOD = "{col} >= :s AND {col} < :e"


@dataclass(frozen=True)
class _Source:
    """Files of the period walked along one index, and what `x.r` (received in the period) and
    `x.st` (settled in it) are for them: a constant where the walk decides it."""

    index: str
    where: str
    received: str
    settled: str


def _sources() -> dict[str, _Source]:
    """The files of the period in two disjoint walks, as the statistics' alive_parts: received
    in the period (settled in it or not), then received before it and settled in it. A file is
    settled after it is received, so together they hold every file received or settled in the
    period once."""
    received = _IN_PERIOD.format(col="f.received_at")
    settled = _IN_PERIOD.format(col="f.settled_at")
    return {
        "received": _Source("ix_files_received", f"{received} AND {_STATUS}", "TRUE", settled),
        "carried": _Source(
            "ix_files_settled_received",
            f"{settled} AND f.received_at < :s AND {_STATUS}",
            "FALSE",
            "TRUE",
        ),
    }


PARTS = ("received", "carried")


def _row_columns(sp: Spelling, src: _Source) -> str:
    """The columns of `x`. `docs`: the file is digitised as the day summary counts it
    (sync/summary.py): every document line answered (a scan or one of the four exceptions) and
    at least one scanned; a line never asked about has no row and is not answered. `result`:
    the state of the result's line. Both are looked up only for the files that need them."""
    items = "json_array_length(ds.items)" if sp.is_sqlite else "json_array_length(ds.items::json)"
    answered = f"""(SELECT count(*) FROM scan_lines l WHERE l.file_id = f.id
        AND l.kind = 'document') = (SELECT {items} FROM document_sets ds
        WHERE ds.id = f.document_set_id)"""
    r, st = f"({src.received})", f"({src.settled})"
    return f"""f.id, f.channel, f.outcome,
  CASE WHEN {r} THEN 1 ELSE 0 END AS r,
  CASE WHEN {st} THEN 1 ELSE 0 END AS st,
  CASE WHEN {r} AND f.channel <> 'online'
    AND EXISTS ({_doc_lines("l.state = 'digitised'")})
    AND NOT EXISTS ({_doc_lines(f"l.state IN {_OPEN_STATES}")})
    AND {answered} THEN 1 ELSE 0 END AS docs,
  CASE WHEN {st} THEN (SELECT l.state FROM scan_lines l WHERE l.file_id = f.id
    AND l.kind = 'result' AND l.line = 0) END AS result,
  CASE WHEN {r} THEN (SELECT count(*) FROM scan_pages p WHERE p.file_id = f.id)
    ELSE 0 END AS pages"""


# Each countable figure: its term over `x`, for the figure and the files behind it alike.
TERMS: dict[str, str] = {
    "progress.received": "x.r = 1",
    "progress.settled": "x.st = 1",
    "progress.on_time": "x.st = 1 AND x.outcome IN ('early', 'on_time')",
    "progress.late": "x.st = 1 AND x.outcome = 'late'",
    "online.received": "x.r = 1 AND x.channel = 'online'",
    "digitisation.files_counted": "x.r = 1 AND x.channel <> 'online'",
    "digitisation.files_digitised": "x.r = 1 AND x.channel <> 'online' AND x.docs = 1",
    "digitisation.results_counted": (
        f"x.st = 1 AND (x.result IS NULL OR x.result NOT IN {_EXCEPTION_STATES})"
    ),
    "digitisation.results_digitised": "x.st = 1 AND x.result = 'digitised'",
}
DRILL_KEYS = tuple(TERMS)

# Of the pages of the files received in the period, those whose bytes (SHA-256) had been
# attached to another file before: "reuse where known" is only the reuse of byte-identical scans.
# Walked from the pages (in the order they are stored, each file's together): whether a page's
# bytes came earlier on another file is one seek into (sha256, added_at, file_id) that reads no
# row (migration 0019), and only those pages are looked up among the period's files; walking
# from the files would read every file's row and its pages' rows in turn, twice the time.
_EXISTS_EARLIER = """EXISTS (SELECT 1 FROM scan_pages q WHERE q.sha256 = p.sha256
    AND q.added_at <= p.added_at AND q.file_id <> p.file_id
    AND (q.added_at < p.added_at OR q.file_id < p.file_id))"""


@cache
def _reused_sql(sp: Spelling, where: str) -> str:
    """How many pages of the files received in the period (of the scope: `where`) are reused."""
    join = "CROSS JOIN" if sp.is_sqlite else "JOIN"  # SQLite: the pages first, then the file
    return f"""SELECT count(*) FROM scan_pages p {join} files f ON f.id = p.file_id
WHERE {_EXISTS_EARLIER} AND {_sources()["received"].where}{where}"""


def _epoch(sp: Spelling, moment: str) -> str:
    """A stored moment ('YYYY-MM-DD HH:MM:SS', local wall clock) as seconds since 1970-01-01
    00:00 of the same clock: its day is `// 86400`, its time of day `% 86400`."""
    if sp.is_sqlite:
        return f"unixepoch({moment})"  # SQLite 3.38 and later
    return f"CAST(EXTRACT(EPOCH FROM CAST({moment} AS timestamp)) AS bigint)"


def _fence(sp: Spelling) -> str:
    """Keeps a subquery from being merged into its query, so each of its columns is worked out
    once per row however often the query uses it (SQLite: LIMIT -1, PostgreSQL: OFFSET 0)."""
    return " LIMIT -1" if sp.is_sqlite else " OFFSET 0"


def _worked_before(sp: Spelling, tod: str, hours: OfficeHours) -> str:
    """SQL for the working time of a working date from midnight to the time of day `tod` (SQL,
    in seconds): WorkCalendar's `_worked_before` for these office hours, session by session."""
    parts = []
    for session in hours.sessions:
        start = session.start.hour * 3600 + session.start.minute * 60 + session.start.second
        length = int(session.length.total_seconds())
        parts.append(sp.least(sp.greatest(f"{tod} - {start}", "0"), str(length)))
    return " + ".join(parts)


def _per_days(sp: Spelling, hours: OfficeHours, inner: str) -> str:
    """`inner`'s pairs of moments (a, b as _epoch seconds) per (day of a, day of b): how many,
    and the sums of the working time before each moment on its day."""
    worked = [_worked_before(sp, f"(x.{m} % 86400)", hours) for m in "ab"]
    return f"""SELECT x.a / 86400, x.b / 86400, count(*), sum({worked[0]}), sum({worked[1]})
FROM ({inner}{_fence(sp)}) x
GROUP BY 1, 2"""


def rows_sql(sp: Spelling, source: str, where: str, *, fenced: bool = True) -> str:
    """`x`: one row per file of `source` (of the scope: `where`). `fenced` for the counts (each
    lookup made once per file however many figures use it); a list behind one figure lets the
    engine work out only what its term asks."""
    src = _sources()[source]
    return (
        f"(SELECT {_row_columns(sp, src)}\nFROM files f{sp.indexed_by(src.index)}"
        f" WHERE {src.where}{where}{_fence(sp) if fenced else ''}) x"
    )


@cache
def _counts_sqls(sp: Spelling, where: str) -> tuple[str, ...]:
    """Every countable figure and the pages, in one pass over the files received in the period
    and one over those received before it and settled in it."""
    counts = ",\n  ".join(f"count(*) FILTER (WHERE {term})" for term in TERMS.values())
    select = f"""SELECT {counts},
  sum(x.pages)"""
    return tuple(f"{select}\nFROM {rows_sql(sp, src, where)}" for src in PARTS)


# The files settled in the period for the average time. A file has a settlement moment only
# once accepted (never in status 1 or 3), so the walk needs nothing but the index of both
# moments, (settled_at, received_at), and the file's agency when the scope is not every agency.
_SETTLED_WALK = "FROM files f{hint} WHERE f.settled_at >= :s AND f.settled_at < :e{where}"


@cache
def _elapsed_sql(sp: Spelling, hours: OfficeHours, where: str) -> str:
    """The files settled in the period per (day received, day settled) (for the average time)."""
    walk = _SETTLED_WALK.format(hint=sp.indexed_by("ix_files_settled_received"), where=where)
    moments = f"{_epoch(sp, 'f.received_at')} AS a, {_epoch(sp, 'f.settled_at')} AS b"
    return _per_days(sp, hours, f"SELECT {moments} {walk}")


@cache
def _paused_sql(sp: Spelling, hours: OfficeHours, where: str) -> str:
    """The pauses of the files settled in the period, cut to [received, settled], per (day
    paused, day resumed). Read from the pauses (a pause of such a file starts before the
    period's end and not before :first, the earliest receipt among them), each file by its id
    (SQLite is told that order: CROSS JOIN)."""
    begin = sp.greatest("p.start_at", "f.received_at")
    end = sp.least("coalesce(p.end_at, f.settled_at)", "f.settled_at")
    join = "CROSS JOIN" if sp.is_sqlite else "JOIN"
    inner = f"""SELECT {_epoch(sp, begin)} AS a, {_epoch(sp, end)} AS b
  FROM pauses p {join} files f ON f.id = p.file_id
  WHERE p.start_at >= :first AND p.start_at < :e
    AND f.settled_at >= :s AND f.settled_at < :e AND {begin} < {end}{where}"""
    return _per_days(sp, hours, inner)


# --- the figures ----------------------------------------------------------------------------------


def params_of(start: date, end: date, now: datetime | None) -> dict[str, str]:
    """The period's bounds as statistics.counts_by takes them: a period not over is counted up
    to now's second."""
    s, e = period_bounds(start, end)
    cut = as_of(end, now)
    if cut is not None:
        e = max(s, cut) + timedelta(seconds=1)
    return {"s": moment_text(s), "e": moment_text(e)}


def _hours_groups(session: Session, scope: Scope) -> list[tuple[OfficeHours, Scope]]:
    """The scope split by office hours (a working day's length is each agency's own): one part
    on a solo desk and in a centre whose agencies keep the same hours."""
    by_hours: dict[str, list[int]] = defaultdict(list)
    for agency in agency_ids(session):
        if scope.covers(agency):
            by_hours[get_settings(session, agency).office_hours].append(agency)
    if len(by_hours) <= 1:
        hours = next(iter(by_hours), get_settings(session).office_hours)
        return [(OfficeHours.parse(hours), scope)]
    return [(OfficeHours.parse(h), Scope.of(agencies)) for h, agencies in by_hours.items()]


_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _working_seconds(cal: WorkCalendar, rows: Iterable[Any], origin: date) -> tuple[int, int]:
    """(how many, Σ W(a, b) in seconds) over rows of (day of a, day of b, n, Σ worked before a,
    Σ worked before b), days counted from 1970-01-01: W(a, b) = C(b) - C(a) with C(t) the
    working time from `origin` to t, which is the working time up to t's midnight
    (WorkCalendar.working_time) plus, on a working date, the working time of t's day before t
    (the SQL's part)."""
    start = datetime.combine(origin, time())
    midnight: dict[int, tuple[int, bool]] = {}

    def up_to(day_number: int) -> tuple[int, bool]:
        if day_number not in midnight:
            day = date.fromordinal(_EPOCH_DAY + day_number)
            moment = datetime.combine(day, time())
            worked = cal.working_time(start, moment) if moment > start else timedelta(0)
            midnight[day_number] = (int(worked.total_seconds()), cal.is_working_date(day))
        return midnight[day_number]

    count = total = 0
    for day_a, day_b, many, before_a, before_b in rows:
        n = int(many)
        (at_a, works_a), (at_b, works_b) = up_to(int(day_a)), up_to(int(day_b))
        count += n
        total += n * (at_b - at_a)
        total += int(before_b or 0) if works_b else 0
        total -= int(before_a or 0) if works_a else 0
    return count, total


@dataclass
class Tally:
    counts: dict[str, int]
    pages: int = 0
    reused: int = 0
    settled: int = 0  # the files of the average time
    working_days: float = 0.0  # their working time less their pauses, in working days

    @property
    def average_days(self) -> float | None:
        return self.working_days / self.settled if self.settled else None


def tally(session: Session, sp: Spelling, params: dict[str, str], scope: Scope) -> Tally:
    """Every figure of the period: the counts in one pass over each part of the files, then
    the average time, per part of the scope with its own office hours: the mean of
    W(received, settled) less the working time inside the file's pauses, in working days of
    the agency's hours, over the files settled in the period."""
    tally = Tally(dict.fromkeys(TERMS, 0))
    for sql in _counts_sqls(sp, scope.sql("f.agency")):
        row = session.execute(text(sql), params).one()
        for key, value in zip(TERMS, row, strict=False):
            tally.counts[key] += int(value or 0)
        tally.pages += int(row[-1] or 0)
    if tally.pages:
        reused = session.execute(text(_reused_sql(sp, scope.sql("f.agency"))), params)
        tally.reused = int(reused.scalar_one() or 0)
    base = load_calendar(session)
    for hours, part in _hours_groups(session, scope):
        cal = base.with_office_hours(hours)
        where = part.sql("f.agency")
        elapsed = list(session.execute(text(_elapsed_sql(sp, hours, where)), params))
        if not elapsed:
            continue
        # Any day no later than every moment will do: the differences do not depend on it.
        origin = date.fromordinal(_EPOCH_DAY + min(int(r[0]) for r in elapsed))
        first = moment_text(datetime.combine(origin, time()))
        pauses = session.execute(text(_paused_sql(sp, hours, where)), {**params, "first": first})
        n, worked = _working_seconds(cal, elapsed, origin)
        _, paused = _working_seconds(cal, pauses, origin)
        tally.settled += n
        tally.working_days += (worked - paused) / cal.day_length.total_seconds()
    return tally
