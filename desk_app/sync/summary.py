"""Day summaries for the department: the period report's numbers for each day of a range.

The numbers of one day are those of ``counts_by_procedure(day, day)`` (DOMAIN §9), but asking
that question once per day costs a walk over every file still alive at the day's start, which
for a day a year ago is most of the register. Here a whole range is built at once: the day's
flows (received, settled, closed, postal) are grouped by the day of their moment, and the stocks
(carried over, open in time / overdue at the end of the day) are intervals of days per file,
added up with difference arrays. Tests check both ways agree day by day.

A centre's database holds several agencies (migration 0014): each agency sends its own days,
counting its own files only (`scope`); a database of one agency is asked with no filter at all,
so a solo desk's queries and payloads are exactly what they were.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.statistics import StatCounts
from desk_app.services.context import SOLO_AGENCY
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import alive_parts, as_of, period_bounds
from desk_app.store.sqlfn import Spelling, index_paths, spelling
from desk_app.store.types import moment_text, parse_moment
from desk_app.sync.protocol import COUNT_KEYS, PROTOCOL_VERSION


@dataclass(frozen=True)
class DigitisingCounts:
    """Digitising at intake (Circular 03/2025) of the files received on a day: counts only,
    never a page. Files digitised: every document line answered, at least one scanned."""

    files_digitised: int = 0
    lines_digitised: int = 0
    online: int = 0
    shown_only: int = 0
    produced_in_processing: int = 0
    confidential: int = 0
    results_digitised: int = 0

    def as_json(self) -> dict[str, int]:
        return {f.name: int(getattr(self, f.name)) for f in fields(self)}


NO_DIGITISING = DigitisingCounts()


@dataclass(frozen=True)
class RatingsOnDay:
    """The applicants' ratings given on a day (issue 16), by level: counts only, never a
    comment, a reason, a name or the officer rated."""

    very_satisfied: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    def as_json(self) -> dict[str, int]:
        return {f.name: int(getattr(self, f.name)) for f in fields(self)}


NO_RATINGS = RatingsOnDay()


@dataclass(frozen=True)
class ProcedureDay:
    """One procedure's numbers on one day (no personal data: a catalogue entry and counts)."""

    procedure: str  # the procedure's code
    name: str
    field: str
    counts: StatCounts
    digitising: DigitisingCounts = NO_DIGITISING
    ratings: RatingsOnDay = NO_RATINGS

    def as_json(self) -> dict[str, object]:
        values = self.counts.as_dict()
        out: dict[str, object] = {
            "procedure": self.procedure,
            "name": self.name,
            "field": self.field,
            "counts": {k: values[k] for k in COUNT_KEYS},
        }
        # Only when there is something: the days before digitising keep their payload and hash.
        if self.digitising != NO_DIGITISING:
            out["digitising"] = self.digitising.as_json()
        # Likewise only on days with ratings: a desk that never asks keeps its bytes.
        if self.ratings != NO_RATINGS:
            out["ratings"] = self.ratings.as_json()
        return out


@dataclass(frozen=True)
class DeskIdentity:
    agency_id: str
    agency_name: str
    unit_name: str
    software: str

    def as_json(self) -> dict[str, str]:
        return {
            "agency_id": self.agency_id,
            "agency_name": self.agency_name,
            "unit_name": self.unit_name,
            "software": self.software,
        }


def desk_identity(session: Session, agency: int = SOLO_AGENCY) -> DeskIdentity:
    """Who sends: the agency's identity as its settings row names it."""
    from desk_app import __version__

    row = session.execute(
        text("SELECT agency_id, agency_name, unit_name FROM desk_settings WHERE id = :agency"),
        {"agency": agency},
    ).first()
    agency_id, agency_name, unit_name = (str(v) for v in row) if row else ("", "", "")
    return DeskIdentity(agency_id, agency_name, unit_name, __version__)


def payload(
    identity: DeskIdentity, day: date, revision: int, rows: tuple[ProcedureDay, ...]
) -> str:
    """The JSON body sent for one (day, revision): see protocol.py."""
    body = {
        "protocol": PROTOCOL_VERSION,
        "day": day.isoformat(),
        "revision": revision,
        "desk": identity.as_json(),
        "rows": [r.as_json() for r in rows],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def rows_hash(rows: tuple[ProcedureDay, ...]) -> str:
    """A fingerprint of a day's numbers, to know whether they changed since the last revision."""
    text_ = json.dumps([r.as_json() for r in rows], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


# The files alive somewhere in [s, e): the four disjoint parts of the period report (received
# in the range; carried over and settled since; carried over and closed unsettled since; carried
# over and still open), each walking one index. For each we group by what decides the file's
# stock intervals: the day it was received, the day it stopped being carried (its settlement,
# else its closing), the day it stopped being open (the earlier of both), and the day from which
# it is overdue while open (none without a limit, or when paused before its due).
def _end(sp: Spelling) -> str:
    return (
        "CASE WHEN f.settled_at IS NULL THEN f.closed_at WHEN f.closed_at IS NULL THEN f.settled_at"
        f" ELSE {sp.least('f.settled_at', 'f.closed_at')} END"
    )


# A file whose due never moved and that was never paused is overdue at the end of every day
# from its due day on (on the day of `now`, only once the due has passed). The others, "moving"
# files, are judged against their due history and pauses one by one (`_moving_overdue`).
def _moving(sp: Spelling) -> str:
    return f"""(EXISTS (SELECT 1 FROM pauses p WHERE p.file_id = f.id)
  OR EXISTS (SELECT 1 FROM due_history h WHERE h.file_id = f.id
    AND {sp.differs("h.new_original_due_at", "f.original_due_at")}))"""


def _overdue_from(sp: Spelling) -> str:
    return f"""CASE WHEN f.original_due_at IS NULL OR {_moving(sp)} THEN NULL
  WHEN substr(f.original_due_at, 1, 10) = :today AND f.original_due_at >= :now THEN :tomorrow
  ELSE substr(f.original_due_at, 1, 10) END"""


@cache
def _alive_sqls(sp: Spelling, scope: Scope) -> tuple[str, ...]:
    columns = f"""f.procedure_id, substr(f.received_at, 1, 10),
  substr(coalesce(f.settled_at, f.closed_at), 1, 10), substr({_end(sp)}, 1, 10),
  {_overdue_from(sp)}, count(*)"""
    return tuple(
        f"SELECT {columns} {part} AND f.status NOT IN (1, 3){scope.sql('f.agency')}"
        " GROUP BY 1, 2, 3, 4, 5"
        for part in alive_parts(sp)
    )


@cache
def _moving_sqls(sp: Spelling, scope: Scope) -> tuple[str, ...]:
    return tuple(
        f"SELECT f.id, f.procedure_id, substr(f.received_at, 1, 10),"
        f" substr({_end(sp)}, 1, 10), f.original_due_at {part} AND f.status NOT IN (1, 3)"
        f" AND f.original_due_at IS NOT NULL AND {_moving(sp)}{scope.sql('f.agency')}"
        for part in alive_parts(sp)
    )


_RECEIVED_SQL = """
SELECT f.procedure_id, substr(f.received_at, 1, 10),
  count(*) FILTER (WHERE f.channel = 'online'), count(*) FILTER (WHERE f.channel != 'online'),
  count(*) FILTER (WHERE f.channel = 'postal')
FROM files f WHERE f.received_at >= :s AND f.received_at < :e AND f.status NOT IN (1, 3){scope}
GROUP BY 1, 2"""


@cache
def _settled_sql(sp: Spelling, scope: Scope) -> str:
    return f"""
SELECT f.procedure_id, substr(f.settled_at, 1, 10), count(*) FILTER (WHERE f.outcome = 'early'),
  count(*) FILTER (WHERE f.outcome = 'on_time'), count(*) FILTER (WHERE f.outcome = 'late')
FROM files f{sp.indexed_by("ix_files_settled_received")}
WHERE f.settled_at >= :s AND f.settled_at < :e AND f.status NOT IN (1, 3)
  AND substr(f.received_at, 1, 10) <= substr(f.settled_at, 1, 10){scope.sql("f.agency")}
GROUP BY 1, 2"""


@cache
def _closed_sql(sp: Spelling, scope: Scope) -> str:
    return f"""
SELECT f.procedure_id, substr(f.closed_at, 1, 10),
  count(*) FILTER (WHERE f.status = 7), count(*) FILTER (WHERE f.status = 8)
FROM files f{sp.indexed_by("ix_files_closed_received")}
WHERE f.closed_at >= :s AND f.closed_at < :e AND f.settled_at IS NULL AND f.status IN (7, 8)
  AND substr(f.received_at, 1, 10) <= substr(f.closed_at, 1, 10){scope.sql("f.agency")}
GROUP BY 1, 2"""


_POSTAL_SENT_SQL = """
SELECT f.procedure_id, substr(p.handed_at, 1, 10), count(*)
FROM postal_items p JOIN files f ON f.id = p.file_id
WHERE p.handed_at >= :s AND p.handed_at < :e AND p.direction = 'out'{scope}
GROUP BY 1, 2"""
_POSTAL_SETTLED_SQL = """
SELECT f.procedure_id, substr(p.state_at, 1, 10),
  count(*) FILTER (WHERE p.state = 'delivered'), count(*) FILTER (WHERE p.state = 'returned')
FROM postal_items p JOIN files f ON f.id = p.file_id
WHERE p.state_at >= :s AND p.state_at < :e AND p.direction = 'out'
  AND substr(p.handed_at, 1, 10) <= substr(p.state_at, 1, 10){scope}
GROUP BY 1, 2"""


def _digitising_sql(sp: Spelling, scope: Scope) -> str:
    """Per procedure and day of reception: the digitising counts of the day's files."""
    items = "json_array_length(ds.items)" if sp.is_sqlite else "json_array_length(ds.items::json)"

    def doc(state: str) -> str:
        return f"count(*) FILTER (WHERE l.kind = 'document' AND l.state {state})"

    return f"""
SELECT f.procedure_id, substr(f.received_at, 1, 10),
  count(*) FILTER (WHERE d.digitised > 0 AND d.answered = {items}),
  sum(d.digitised), sum(d.online), sum(d.shown_only), sum(d.produced), sum(d.confidential),
  count(*) FILTER (WHERE d.result > 0)
FROM (SELECT l.file_id, {doc("= 'digitised'")} AS digitised,
    {doc("NOT IN ('pending', 'scan_later')")} AS answered, {doc("= 'online'")} AS online,
    {doc("= 'shown_only'")} AS shown_only, {doc("= 'produced_in_processing'")} AS produced,
    {doc("= 'confidential'")} AS confidential,
    count(*) FILTER (WHERE l.kind = 'result' AND l.state = 'digitised') AS result
  FROM scan_lines l
  WHERE l.file_id IN (SELECT id FROM files WHERE received_at >= :s AND received_at < :e)
  GROUP BY l.file_id) d
JOIN files f ON f.id = d.file_id JOIN document_sets ds ON ds.id = f.document_set_id
WHERE f.status NOT IN (1, 3){scope.sql("f.agency")}
GROUP BY 1, 2"""


def _digitising(
    session: Session, params: dict[str, str], sp: Spelling, scope: Scope
) -> dict[tuple[int, str], DigitisingCounts]:
    return {
        (int(pid), str(day)): DigitisingCounts(*(int(n or 0) for n in counts))
        for pid, day, *counts in session.execute(text(_digitising_sql(sp, scope)), params)
    }


# Per procedure and day the rating was given: how many at each level (3, 2, 1). A rating counts
# whatever became of its file (a refusal at intake is rated too), so the files' status is not
# asked; the agency is the file's, as for every other number of the day. The ratings of the
# days are walked by moment (migration 0024); told so on SQLite, whose planner would otherwise
# walk every file of a centre's agency to find its few ratings.
@cache
def _ratings_sql(sp: Spelling, scope: Scope) -> str:
    return f"""
SELECT f.procedure_id, substr(r.rated_at, 1, 10), count(*) FILTER (WHERE r.level = 3),
  count(*) FILTER (WHERE r.level = 2), count(*) FILTER (WHERE r.level = 1)
FROM ratings r{sp.indexed_by("ix_ratings_moments")} JOIN files f ON f.id = r.file_id
WHERE r.rated_at >= :s AND r.rated_at < :e AND r.level IS NOT NULL{scope.sql("f.agency")}
GROUP BY 1, 2"""


def _ratings(
    session: Session, params: dict[str, str], sp: Spelling, scope: Scope
) -> dict[tuple[int, str], RatingsOnDay]:
    return {
        (int(pid), str(day)): RatingsOnDay(*(int(n or 0) for n in counts))
        for pid, day, *counts in session.execute(text(_ratings_sql(sp, scope)), params)
    }


class _Grid:
    """Per procedure, one counter per day of the range for every number, plus day differences."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.days = days
        self.flows: dict[int, dict[str, list[int]]] = defaultdict(dict)
        self.diffs: dict[int, dict[str, list[int]]] = defaultdict(dict)

    def index(self, day_text: str | None) -> int | None:
        """The day's position in the range (None for no day); may fall outside [0, days)."""
        if day_text is None:
            return None
        return (date.fromisoformat(day_text) - self.start).days

    def add(self, pid: int, key: str, day_text: str, n: int) -> None:
        i = self.index(day_text)
        if i is None or not 0 <= i < self.days or not n:
            return
        series = self.flows[pid].setdefault(key, [0] * self.days)
        series[i] += n

    def span(self, pid: int, key: str, first: int, last: int | None, n: int) -> None:
        """Count `n` on every day from `first` to `last` inclusive (None: to the range's end)."""
        first = max(first, 0)
        last = self.days - 1 if last is None else min(last, self.days - 1)
        if first > last:
            return
        series = self.diffs[pid].setdefault(key, [0] * (self.days + 1))
        series[first] += n
        series[last + 1] -= n

    def day_counts(self) -> dict[int, list[dict[str, int]]]:
        out: dict[int, list[dict[str, int]]] = {}
        for pid in set(self.flows) | set(self.diffs):
            per_day: list[dict[str, int]] = [{} for _ in range(self.days)]
            for key, series in self.flows.get(pid, {}).items():
                for i, n in enumerate(series):
                    if n:
                        per_day[i][key] = n
            for key, diff in self.diffs.get(pid, {}).items():
                running = 0
                for i in range(self.days):
                    running += diff[i]
                    if running:
                        per_day[i][key] = running
            out[pid] = per_day
        return out


def day_summaries(
    session: Session, start: date, end: date, now: datetime | None = None, *, scope: Scope = ALL
) -> dict[date, tuple[ProcedureDay, ...]]:
    """Every day of [start, end] with its procedures' numbers (days with none are left out),
    counting the files of the agencies of `scope` only.

    The day that holds `now` is counted as of `now` (DOMAIN §4.1 rule 6), like a period report
    made at that moment; days after it have no numbers yet.
    """
    if now is not None and now.date() < end:
        end = max(start, now.date())
    s, e = period_bounds(start, end)
    cut = as_of(end, now)
    if cut is not None:
        e = max(s, cut) + timedelta(seconds=1)  # what happened in now's own second counts
    today = cut.date() if cut is not None else None
    params = {
        "s": moment_text(s),
        "e": moment_text(e),
        "today": today.isoformat() if today else "",
        "now": moment_text(cut) if cut else "9999",
        "tomorrow": (today + timedelta(days=1)).isoformat() if today else "",
    }
    grid = _Grid(start, (end - start).days + 1)
    # Every query walks an index of moments (or of file ids); PostgreSQL's planner is told not
    # to scan whole tables, as for the period report (store.sqlfn.index_paths).
    with index_paths(session):
        return _counted_days(session, grid, params, cut, scope)


def _counted_days(
    session: Session, grid: _Grid, params: dict[str, str], cut: datetime | None, scope: Scope
) -> dict[date, tuple[ProcedureDay, ...]]:
    """`day_summaries` over the days of `grid`."""
    start = grid.start
    sp = spelling(session)
    for sql in _alive_sqls(sp, scope):
        for pid, received, carried_end, open_end, overdue_from, n in session.execute(
            text(sql), params
        ):
            _add_stocks(grid, int(pid), received, carried_end, open_end, overdue_from, int(n))
    _moving_overdue(session, grid, params, cut, sp, scope)
    where = scope.sql("f.agency")
    for pid, day, online, direct, postal in session.execute(
        text(_RECEIVED_SQL.format(scope=where)), params
    ):
        grid.add(pid, "received_online", day, int(online or 0))
        grid.add(pid, "received_direct_postal", day, int(direct or 0))
        grid.add(pid, "postal_received", day, int(postal or 0))
    for pid, day, early, on_time, late in session.execute(text(_settled_sql(sp, scope)), params):
        grid.add(pid, "settled_early", day, int(early or 0))
        grid.add(pid, "settled_on_time", day, int(on_time or 0))
        grid.add(pid, "settled_late", day, int(late or 0))
    for pid, day, withdrawn, stopped in session.execute(text(_closed_sql(sp, scope)), params):
        grid.add(pid, "withdrawn", day, int(withdrawn or 0))
        grid.add(pid, "stopped", day, int(stopped or 0))
    for pid, day, sent in session.execute(text(_POSTAL_SENT_SQL.format(scope=where)), params):
        grid.add(pid, "postal_sent", day, int(sent or 0))
    for pid, day, delivered, returned in session.execute(
        text(_POSTAL_SETTLED_SQL.format(scope=where)), params
    ):
        grid.add(pid, "postal_delivered", day, int(delivered or 0))
        grid.add(pid, "postal_returned", day, int(returned or 0))

    digitising = _digitising(session, params, sp, scope)
    ratings = _ratings(session, params, sp, scope)
    procs = {
        int(r[0]): (str(r[1]), str(r[2]), str(r[3]))
        for r in session.execute(text("SELECT id, code, name, field FROM procedures"))
    }
    counted: dict[tuple[int, str], StatCounts] = {}
    for pid, per_day in grid.day_counts().items():
        for i, values in enumerate(per_day):
            if not values:
                continue
            open_total = values.pop("open_total", 0)
            values["open_in_time"] = open_total - values.get("open_overdue", 0)
            counts = StatCounts.from_dict(values)
            if any(counts.as_dict().values()):
                counted[(pid, (start + timedelta(days=i)).isoformat())] = counts
    # A day's ratings may fall on a procedure with no other number that day (a result handed
    # back of a file settled earlier): its row then carries zero counts and the ratings.
    zero = StatCounts.from_dict({})
    result: dict[date, list[tuple[str, int, ProcedureDay]]] = defaultdict(list)
    for pid, day_text in counted.keys() | ratings.keys():
        code, name, field = procs[pid]
        row = ProcedureDay(
            code,
            name,
            field,
            counted.get((pid, day_text), zero),
            digitising.get((pid, day_text), NO_DIGITISING),
            ratings.get((pid, day_text), NO_RATINGS),
        )
        result[date.fromisoformat(day_text)].append((code, pid, row))
    return {
        day: tuple(row for _, _, row in sorted(entries, key=lambda t: (t[0], t[1])))
        for day, entries in sorted(result.items())
    }


def _add_stocks(
    grid: _Grid,
    pid: int,
    received: str,
    carried_end: str | None,
    open_end: str | None,
    overdue_from: str | None,
    n: int,
) -> None:
    """A file's stock intervals: carried into the days after its reception up to the day it was
    settled (else closed); open at the end of the days from its reception to the day before it
    ended; overdue on those of them from its due day on."""
    got = grid.index(received)
    assert got is not None
    carried_last = grid.index(carried_end)
    grid.span(pid, "carried_over", got + 1, carried_last, n)
    open_last = None if open_end is None else (grid.index(open_end) or 0) - 1
    grid.span(pid, "open_total", got, open_last, n)
    due = grid.index(overdue_from)
    if due is not None:
        grid.span(pid, "open_overdue", max(got, due), open_last, n)


def day_summary(
    session: Session, day: date, now: datetime | None = None, *, scope: Scope = ALL
) -> tuple[ProcedureDay, ...]:
    """One day's numbers."""
    return day_summaries(session, day, day, now, scope=scope).get(day, ())


def _moving_overdue(
    session: Session,
    grid: _Grid,
    params: dict[str, str],
    now: datetime | None,
    sp: Spelling,
    scope: Scope,
) -> None:
    """The overdue days of the files whose due moved or that were paused.

    At the end E of a day such a file is overdue when its original due as it stood at E (the
    newest due-history row before E) had passed, unless it was paused at E by a pause that
    started before that due: the same judgement as the period report's, made for every day at
    once by walking the file's history as segments in which due and pause stay the same.
    """
    found: list[tuple[int, int, str, str | None, str]] = []
    for sql in _moving_sqls(sp, scope):
        found += [(int(i), int(p), r, o, d) for i, p, r, o, d in session.execute(text(sql), params)]
    if not found:
        return
    ids = [f[0] for f in found]
    history: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    pauses: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join(str(i) for i in part)
        for fid, at, due in session.execute(
            text(
                "SELECT file_id, at, new_original_due_at FROM due_history"
                f" WHERE file_id IN ({marks}) ORDER BY file_id, at, id"
            )
        ):
            history[int(fid)].append((parse_moment(at), parse_moment(due) if due else None))
        for fid, st, en in session.execute(
            text(f"SELECT file_id, start_at, end_at FROM pauses WHERE file_id IN ({marks})")
        ):
            pauses[int(fid)].append((parse_moment(st), parse_moment(en) if en else None))
    for fid, pid, received, open_end, current in found:
        got = grid.index(received)
        assert got is not None
        open_last = None if open_end is None else (grid.index(open_end) or 0) - 1
        steps = history.get(fid) or [(datetime.min, parse_moment(current))]
        for first, last in overdue_day_spans(grid.start, steps, pauses.get(fid, []), now):
            lo = got if first is None else max(first, got)
            hi = (
                last if open_last is None else (open_last if last is None else min(last, open_last))
            )
            if hi is None or lo <= hi:
                grid.span(pid, "open_overdue", lo, hi, 1)


def overdue_day_spans(
    start: date,
    history: list[tuple[datetime, datetime | None]],
    pauses: list[tuple[datetime, datetime | None]],
    now: datetime | None,
) -> list[tuple[int | None, int | None]]:
    """Day indexes (from `start`; None = unbounded) at whose end a file is overdue.

    `history` is (moment, original due from then on), oldest first. Day k ends at the midnight
    after it, except the day that holds `now`, which ends at `now` (no later day is judged).
    Between two consecutive moments where the history or a pause changes, the due and the
    pause stay the same, so each such stretch (lo, hi] gives one span of days.
    """
    cuts = sorted({at for at, _ in history} | {p for s, e in pauses for p in (s, e) if p})
    bounds: list[datetime | None] = [None, *cuts, None]
    today = None if now is None else (now.date() - start).days
    spans: list[tuple[int | None, int | None]] = []
    for lo, hi in pairwise(bounds):
        if lo is None:
            continue  # before the first row there is no due yet
        due = _as_of(history, lo, strict=False)
        if due is None:
            continue
        pause = _pause_at(pauses, lo, hi)
        if pause is not None and due >= pause:
            continue
        # Midnight E = start + (k + 1) days lies in (max(lo, due), hi] for these k.
        first = (max(lo, due).date() - start).days
        last = None if hi is None else (hi.date() - start).days - 1
        if today is not None:
            last = today - 1 if last is None else min(last, today - 1)
        if last is None or first <= last:
            spans.append((first, last))
    if today is not None and now is not None and _overdue_at(history, pauses, now):
        spans.append((today, today))
    return spans


def _as_of(
    history: list[tuple[datetime, datetime | None]], moment: datetime, *, strict: bool
) -> datetime | None:
    """The due from the newest row before `moment` (or at it, unless `strict`)."""
    due: datetime | None = None
    for at, value in history:
        if at < moment or (not strict and at == moment):
            due = value
        else:
            break
    return due


def _pause_at(
    pauses: list[tuple[datetime, datetime | None]], lo: datetime, hi: datetime | None
) -> datetime | None:
    """The start of the pause that holds the moments of (lo, hi], if one does."""
    for s, e in pauses:
        if s <= lo and (e is None or (hi is not None and e >= hi)):
            return s
    return None


def _overdue_at(
    history: list[tuple[datetime, datetime | None]],
    pauses: list[tuple[datetime, datetime | None]],
    moment: datetime,
) -> bool:
    due = _as_of(history, moment, strict=True)
    if due is None:
        return False
    held = [s for s, e in pauses if s < moment and (e is None or e >= moment)]
    return due < (min(moment, held[0]) if held else moment)
