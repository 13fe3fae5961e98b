"""The national index's SQL (services/national_index.py), on both dialects (store/sqlfn.py):
the terms that list the files behind each figure (two walks over a period's files: received in
it; carried over and settled in it), and the tally that counts the same files along indexes
that read no file's row and look nothing up for a file without lines (see "the tally")."""

from __future__ import annotations

from collections import defaultdict
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
from desk_app.store.types import moment_text, parse_moment

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


def _fence(sp: Spelling) -> str:
    """Keeps a subquery from being merged into its query, so each of its columns is worked out
    once per row however often the query uses it (SQLite: LIMIT -1, PostgreSQL: OFFSET 0)."""
    return " LIMIT -1" if sp.is_sqlite else " OFFSET 0"


def rows_sql(sp: Spelling, source: str, where: str, *, fenced: bool = True) -> str:
    """`x`: one row per file of `source` (of the scope: `where`), for the files behind a figure.
    `fenced`: each lookup made once per file however many terms use it; a list behind one
    figure lets the engine work out only what its term asks."""
    src = _sources()[source]
    return (
        f"(SELECT {_row_columns(sp, src)}\nFROM files f{sp.indexed_by(src.index)}"
        f" WHERE {src.where}{where}{_fence(sp) if fenced else ''}) x"
    )


# --- the tally: the same files, counted along paths that look nothing up per file ---------------
#
# `x` looks every file's lines and pages up, which is what a list of files wants and what made
# the counts slow (a year of 486,000 files, most of them without a line). The tally counts the
# same files of each term (tests/unit/services/test_national_index.py checks every count
# against its list, on both engines) along indexes that read no file's row (migration 0025):
#
# - the files received in the period, along (received_at, status, channel, agency): how many,
#   how many online, the range of their ids;
# - their document lines, per file in file order along (kind, file_id, line, state), each file
#   with lines read once: those with every paper answered; their pages likewise, and the
#   reused pages among the pages whose bytes are on another page too;
# - the files settled in the period, along (settled_at, received_at, status, outcome, agency):
#   how many, on time, late, the range of their ids, and the working time of each, its
#   moments' days looked up in a table of the days (`day_tables`) rather than the files
#   grouped per pair of days (a sort of every file); their result lines scanned or explained.
#
# A file has a settlement moment only once accepted (never in status 1 or 3), so the files
# settled in the period are the same with the status term or without it.
RECEIVED_INDEX = "ix_files_received_counts"
SETTLED_INDEX = "ix_files_settled_counts"
LINES_INDEX = "ix_scan_lines_states"
_RECEIVED = f"f.received_at >= :s AND f.received_at < :e AND {_STATUS}"
_SETTLED = f"f.settled_at >= :s AND f.settled_at < :e AND {_STATUS}"


def _join(sp: Spelling) -> str:
    """SQLite is told the order of the tables (the left one walked first): CROSS JOIN."""
    return "CROSS JOIN" if sp.is_sqlite else "JOIN"


@cache
def _received_sql(sp: Spelling, where: str) -> str:
    return f"""SELECT count(*), count(*) FILTER (WHERE f.channel = 'online'), min(f.id), max(f.id)
FROM files f{sp.indexed_by(RECEIVED_INDEX)} WHERE {_RECEIVED}{where}"""


@cache
def _papers_sql(sp: Spelling, where: str) -> str:
    """Of the files received in the period with ids in [:lo, :hi], those at the counter or by
    post that are digitised as the day summary counts it (sync/summary.py): every document line
    answered (a scan or one of the four exceptions) and at least one scanned; a line never asked
    about has no row and is not answered."""
    items = "json_array_length(ds.items)" if sp.is_sqlite else "json_array_length(ds.items::json)"
    return f"""SELECT count(*)
FROM (SELECT l.file_id, count(*) AS papers,
    count(*) FILTER (WHERE l.state = 'digitised') AS scanned,
    count(*) FILTER (WHERE l.state IN {_OPEN_STATES}) AS unanswered
  FROM scan_lines l{sp.indexed_by(LINES_INDEX)}
  WHERE l.kind = 'document' AND l.file_id >= :lo AND l.file_id <= :hi GROUP BY l.file_id) g
{_join(sp)} files f ON f.id = g.file_id
{_join(sp)} (SELECT ds.id, {items} AS n FROM document_sets ds{_fence(sp)}) ds
  ON ds.id = f.document_set_id
WHERE g.scanned > 0 AND g.unanswered = 0 AND g.papers = ds.n AND f.channel <> 'online'
  AND {_RECEIVED}{where}"""


@cache
def _results_sql(sp: Spelling, where: str) -> str:
    """Of the files settled in the period with ids in [:lo, :hi]: those whose result is an
    exception, and those whose result is scanned."""
    return f"""SELECT count(*) FILTER (WHERE l.state IN {_EXCEPTION_STATES}),
  count(*) FILTER (WHERE l.state = 'digitised')
FROM scan_lines l{sp.indexed_by(LINES_INDEX)} {_join(sp)} files f ON f.id = l.file_id
WHERE l.kind = 'result' AND l.line = 0 AND l.file_id >= :lo AND l.file_id <= :hi
  AND (l.state IN {_EXCEPTION_STATES} OR l.state = 'digitised') AND {_SETTLED}{where}"""


@cache
def _pages_sql(sp: Spelling, where: str) -> str:
    """The pages of the files received in the period (with ids in [:lo, :hi])."""
    return f"""SELECT sum(g.n) FROM (SELECT p.file_id, count(*) AS n FROM scan_pages p
  WHERE p.file_id >= :lo AND p.file_id <= :hi GROUP BY p.file_id) g
{_join(sp)} files f ON f.id = g.file_id WHERE {_RECEIVED}{where}"""


# Of the pages of the files received in the period, those whose bytes (SHA-256) had been
# attached to another file before: "reuse where known" is only the reuse of byte-identical scans.
# Only a page whose bytes are on another page too can be one: those bytes are found in one walk
# of (sha256, added_at, file_id) that reads no row (migration 0019), then whether such a page's
# bytes came earlier on another file is one seek into the same index, and only those pages are
# looked up among the period's files.
_EXISTS_EARLIER = """EXISTS (SELECT 1 FROM scan_pages q WHERE q.sha256 = p.sha256
    AND q.added_at <= p.added_at AND q.file_id <> p.file_id
    AND (q.added_at < p.added_at OR q.file_id < p.file_id))"""
_BY_BYTES = "ix_scan_pages_sha256_added"


@cache
def _reused_sql(sp: Spelling, where: str) -> str:
    """How many pages of the files received in the period (ids in [:lo, :hi], of the scope:
    `where`) are reused."""
    return f"""SELECT count(*) FROM (SELECT b.sha256 FROM scan_pages b{sp.indexed_by(_BY_BYTES)}
  GROUP BY b.sha256 HAVING count(*) > 1{_fence(sp)}) h
{_join(sp)} scan_pages p{sp.indexed_by(_BY_BYTES)} ON p.sha256 = h.sha256
{_join(sp)} files f ON f.id = p.file_id
WHERE p.file_id >= :lo AND p.file_id <= :hi AND {_EXISTS_EARLIER} AND {_RECEIVED}{where}"""


# --- the working time -------------------------------------------------------------------------
#
# W(a, b) = C(b) - C(a), with C(t) the working time from the first midnight of the tables to t:
# the working time up to t's midnight (WorkCalendar.working_time) plus, on a working date, the
# working time of t's day before t. The first is looked up per day in a table made here (the
# days from the earliest receipt to the period's end), the second worked out in SQL from the
# agency's office hours.

_WIDTH = 12  # digits of a day's working seconds in SQLite's table


def _epoch(sp: Spelling, moment: str) -> str:
    """A stored moment ('YYYY-MM-DD HH:MM:SS', local wall clock) as seconds since 1970-01-01
    00:00 of the same clock: its day is `// 86400`, its time of day `% 86400`."""
    if sp.is_sqlite:
        return f"unixepoch({moment})"  # SQLite 3.38 and later
    return f"CAST(EXTRACT(EPOCH FROM CAST({moment} AS timestamp)) AS bigint)"


def _day_value(sp: Spelling, table: str, day: str) -> str:
    """The working seconds of the table parameter `table` for `day` (SQL: days since the
    first): SQLite reads them from a blob of fixed-width digits, PostgreSQL from an array."""
    if sp.is_sqlite:
        return f"CAST(substr(:{table}, ({day}) * {_WIDTH} + 1, {_WIDTH}) AS INTEGER)"
    return f"(CAST(:{table} AS bigint[]))[({day}) + 1]"


def _day_works(sp: Spelling, table: str, day: str) -> str:
    """1 when `day` is a working date in the flags parameter `table`, else 0 (SQLite: a blob of
    '1' and '0', compared rather than cast, the cheaper; PostgreSQL: an array)."""
    if sp.is_sqlite:
        return f"(substr(:{table}, ({day}) + 1, 1) = X'31')"
    return f"(CAST(:{table} AS integer[]))[({day}) + 1]"


def _worked_before(tod: str, hours: OfficeHours) -> str:
    """SQL for the working time of a working date from midnight to the time of day `tod` (SQL,
    in seconds): WorkCalendar's `_worked_before` for these office hours."""
    cases, before = [], 0
    for session in sorted(hours.sessions, key=lambda s: s.start):
        start = session.start.hour * 3600 + session.start.minute * 60 + session.start.second
        length = int(session.length.total_seconds())
        cases.append(f"WHEN {tod} <= {start} THEN {before}")
        cases.append(f"WHEN {tod} <= {start + length} THEN {tod} - {start - before}")
        before += length
    return f"CASE {' '.join(cases)} ELSE {before} END"


def _up_to(sp: Spelling, hours: OfficeHours, group: int, moment: str) -> str:
    """C(moment) (SQL, `moment` in epoch seconds) with the tables of part `group`."""
    day = f"{moment} / 86400 - :d0"
    midnight = _day_value(sp, f"m{group}", day)
    works = _day_works(sp, f"w{group}", day)
    return f"({midnight} + {works} * ({_worked_before(f'({moment} % 86400)', hours)}))"


# Each part of the scope with its own office hours: the hours, and its agency term on `x` ("" for
# the one part of a solo desk or of a centre whose agencies keep the same hours: the walk's own
# scope term is the part's).
Parts = tuple[tuple[OfficeHours, str], ...]


def _of_part(term: str, condition: str = "TRUE") -> str:
    """An aggregate's FILTER for a part of the scope (none for the only part)."""
    return f" FILTER (WHERE {condition}{term})" if term or condition != "TRUE" else ""


@cache
def _settled_sql(sp: Spelling, where: str, parts: Parts) -> str:
    """The files settled in the period: how many, on time, late, the range of their ids; then
    per part of the scope how many, the earliest receipt (epoch seconds) and Σ W(received,
    settled)."""
    sums = "".join(
        f",\n  count(*){_of_part(term)}, min(x.a){_of_part(term)},"
        f"\n  sum({_up_to(sp, hours, g, 'x.b')} - {_up_to(sp, hours, g, 'x.a')}){_of_part(term)}"
        for g, (hours, term) in enumerate(parts)
    )
    agency = "f.agency, " if any(term for _, term in parts) else ""
    moments = f"{_epoch(sp, 'f.received_at')} AS a, {_epoch(sp, 'f.settled_at')} AS b"
    return f"""SELECT count(*), count(*) FILTER (WHERE x.outcome IN ('early', 'on_time')),
  count(*) FILTER (WHERE x.outcome = 'late'), min(x.id), max(x.id){sums}
FROM (SELECT f.id, f.outcome, {agency}{moments}
  FROM files f{sp.indexed_by(SETTLED_INDEX)} WHERE {_SETTLED}{where}{_fence(sp)}) x"""


@cache
def _paused_sql(sp: Spelling, where: str, parts: Parts) -> str:
    """Per part: Σ W over the pauses of the files settled in the period, cut to [received,
    settled]. Read from the pauses (a pause of such a file starts before the period's end and
    not before :first{part}, the midnight of the part's earliest receipt; :first is the
    earliest of them), each file by its id (SQLite is told that order: CROSS JOIN)."""
    begin = sp.greatest("p.start_at", "f.received_at")
    end = sp.least("coalesce(p.end_at, f.settled_at)", "f.settled_at")
    several = len(parts) > 1
    sums = ",\n  ".join(
        f"sum({_up_to(sp, hours, g, 'x.b')} - {_up_to(sp, hours, g, 'x.a')})"
        + (_of_part(term, f"x.start_at >= :first{g}") if several else "")
        for g, (hours, term) in enumerate(parts)
    )
    columns = "f.agency, p.start_at, " if several else ""
    return f"""SELECT {sums}
FROM (SELECT {columns}{_epoch(sp, begin)} AS a, {_epoch(sp, end)} AS b
  FROM pauses p {_join(sp)} files f ON f.id = p.file_id
  WHERE p.start_at >= :first AND p.start_at < :e
    AND f.settled_at >= :s AND f.settled_at < :e AND {begin} < {end}{where}{_fence(sp)}) x"""


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


def _midnight(epoch: int) -> str:
    """The stored moment of the midnight starting the day of `epoch` (seconds, see `_epoch`)."""
    return moment_text(datetime.combine(date.fromordinal(_EPOCH_DAY + epoch // 86400), time()))


def day_tables(sp: Spelling, cal: WorkCalendar, first: date, last: date) -> tuple[Any, Any]:
    """The tables of the days first..last for `_up_to`: the working time in seconds from
    `first`'s midnight to each day's midnight (WorkCalendar.working_time), and 1 for a working
    date, 0 for a day off. SQLite takes fixed-width digits as a blob, PostgreSQL arrays."""
    length = int(cal.day_length.total_seconds())
    midnights, works, worked = [], [], 0
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        working = cal.is_working_date(date.fromordinal(ordinal))
        midnights.append(worked)
        works.append(int(working))
        worked += length if working else 0
    if sp.is_sqlite:
        return (
            "".join(f"{m:0{_WIDTH}d}" for m in midnights).encode(),
            "".join(str(w) for w in works).encode(),
        )
    return midnights, works


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
    """Every figure of the period (see "the tally" above): the files received and their papers
    and pages; the files settled, their results and, per part of the scope with its own office
    hours, the average time: the mean of W(received, settled) less the working time inside the
    file's pauses, in working days of the agency's hours, over the files settled in the
    period."""
    where = scope.sql("f.agency")
    tally = Tally(dict.fromkeys(TERMS, 0))
    counts = tally.counts
    received, online, low, high = session.execute(text(_received_sql(sp, where)), params).one()
    counts["progress.received"] = int(received)
    counts["online.received"] = int(online or 0)
    counts["digitisation.files_counted"] = int(received) - int(online or 0)
    if low is not None:
        bounds = {**params, "lo": int(low), "hi": int(high)}
        papers = session.execute(text(_papers_sql(sp, where)), bounds).scalar()
        counts["digitisation.files_digitised"] = int(papers or 0)
        tally.pages = int(session.execute(text(_pages_sql(sp, where)), bounds).scalar() or 0)
        if tally.pages:
            reused = session.execute(text(_reused_sql(sp, where)), bounds).scalar()
            tally.reused = int(reused or 0)
    # The days' tables start at the register's first receipt: no moment of a file is earlier.
    first = session.execute(text("SELECT min(received_at) FROM files")).scalar()
    if first is None:
        return tally
    origin = parse_moment(str(first)).date()
    groups = _hours_groups(session, scope)
    base = load_calendar(session)
    cals = [base.with_office_hours(hours) for hours, _ in groups]
    times: dict[str, Any] = {**params, "d0": origin.toordinal() - _EPOCH_DAY}
    last = parse_moment(params["e"]).date()
    for g, cal in enumerate(cals):
        times[f"m{g}"], times[f"w{g}"] = day_tables(sp, cal, origin, last)
    terms = tuple(
        (hours, part.sql("x.agency") if len(groups) > 1 else "") for hours, part in groups
    )
    row = session.execute(text(_settled_sql(sp, where, terms)), times).one()
    counts["progress.settled"] = settled = int(row[0])
    counts["progress.on_time"], counts["progress.late"] = int(row[1] or 0), int(row[2] or 0)
    exceptions = 0
    if row[3] is not None:
        bounds = {**params, "lo": int(row[3]), "hi": int(row[4])}
        exceptions, scanned = session.execute(text(_results_sql(sp, where)), bounds).one()
        counts["digitisation.results_digitised"] = int(scanned or 0)
    counts["digitisation.results_counted"] = settled - int(exceptions or 0)
    parts = [(int(row[5 + 3 * g] or 0), row[6 + 3 * g], row[7 + 3 * g]) for g in range(len(cals))]
    firsts = [_midnight(int(f)) for n, f, _ in parts if n]
    if not firsts:
        return tally
    # A part's pauses start no earlier than the midnight of its earliest receipt.
    times["first"] = min(firsts)
    for g, (n, f, _) in enumerate(parts):
        times[f"first{g}"] = _midnight(int(f)) if n else params["e"]
    paused = session.execute(text(_paused_sql(sp, where, terms)), times).one()
    for g, (cal, (n, _, worked)) in enumerate(zip(cals, parts, strict=True)):
        if n:
            tally.settled += n
            working = int(worked or 0) - int(paused[g] or 0)
            tally.working_days += working / cal.day_length.total_seconds()
    return tally
