"""Day summaries for the department: the period report's numbers for each day of a range.

The numbers of one day are those of ``counts_by_procedure(day, day)`` (DOMAIN §9), but asking
that question once per day costs a walk over every file still alive at the day's start, which
for a day a year ago is most of the register. Here a whole range is built at once: the day's
flows (received, settled, closed, postal) are grouped by the day of their moment, and the stocks
(carried over, open in time / overdue at the end of the day) are intervals of days per file,
added up with difference arrays. Tests check both ways agree day by day.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.statistics import StatCounts
from desk_app.services.statistics import ALIVE_PARTS, period_bounds
from desk_app.store.types import moment_text
from desk_app.sync.protocol import COUNT_KEYS, PROTOCOL_VERSION


@dataclass(frozen=True)
class ProcedureDay:
    """One procedure's numbers on one day (no personal data: a catalogue entry and counts)."""

    procedure: str  # the procedure's code
    name: str
    field: str
    counts: StatCounts

    def as_json(self) -> dict[str, object]:
        values = self.counts.as_dict()
        return {
            "procedure": self.procedure,
            "name": self.name,
            "field": self.field,
            "counts": {k: values[k] for k in COUNT_KEYS},
        }


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


def desk_identity(session: Session) -> DeskIdentity:
    from desk_app import __version__

    row = session.execute(
        text("SELECT agency_id, agency_name, unit_name FROM desk_settings WHERE id = 1")
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
_END = (
    "CASE WHEN f.settled_at IS NULL THEN f.closed_at WHEN f.closed_at IS NULL THEN f.settled_at"
    " ELSE min(f.settled_at, f.closed_at) END"
)
_OVERDUE_FROM = """CASE WHEN f.original_due_at IS NULL THEN NULL
  WHEN f.status IN (5, 6) AND f.original_due_at >= coalesce(
    (SELECT p.start_at FROM pauses p WHERE p.file_id = f.id AND p.end_at IS NULL), '9999')
  THEN NULL ELSE substr(f.original_due_at, 1, 10) END"""
_ALIVE_COLUMNS = f"""f.procedure_id, substr(f.received_at, 1, 10),
  substr(coalesce(f.settled_at, f.closed_at), 1, 10), substr({_END}, 1, 10), {_OVERDUE_FROM},
  count(*)"""
_ALIVE_SQLS = tuple(
    f"SELECT {_ALIVE_COLUMNS} {part} AND f.status NOT IN (1, 3) GROUP BY 1, 2, 3, 4, 5"
    for part in ALIVE_PARTS
)
_RECEIVED_SQL = """
SELECT f.procedure_id, substr(f.received_at, 1, 10),
  sum(f.channel = 'online'), sum(f.channel != 'online'), sum(f.channel = 'postal')
FROM files f WHERE f.received_at >= :s AND f.received_at < :e AND f.status NOT IN (1, 3)
GROUP BY 1, 2"""
_SETTLED_SQL = """
SELECT f.procedure_id, substr(f.settled_at, 1, 10),
  sum(f.outcome = 'early'), sum(f.outcome = 'on_time'), sum(f.outcome = 'late')
FROM files f INDEXED BY ix_files_settled_received
WHERE f.settled_at >= :s AND f.settled_at < :e AND f.status NOT IN (1, 3)
  AND substr(f.received_at, 1, 10) <= substr(f.settled_at, 1, 10)
GROUP BY 1, 2"""
_CLOSED_SQL = """
SELECT f.procedure_id, substr(f.closed_at, 1, 10), sum(f.status = 7), sum(f.status = 8)
FROM files f INDEXED BY ix_files_closed_received
WHERE f.closed_at >= :s AND f.closed_at < :e AND f.settled_at IS NULL AND f.status IN (7, 8)
  AND substr(f.received_at, 1, 10) <= substr(f.closed_at, 1, 10)
GROUP BY 1, 2"""
_POSTAL_SENT_SQL = """
SELECT f.procedure_id, substr(p.handed_at, 1, 10), count(*)
FROM postal_items p JOIN files f ON f.id = p.file_id
WHERE p.handed_at >= :s AND p.handed_at < :e AND p.direction = 'out'
GROUP BY 1, 2"""
_POSTAL_SETTLED_SQL = """
SELECT f.procedure_id, substr(p.state_at, 1, 10),
  sum(p.state = 'delivered'), sum(p.state = 'returned')
FROM postal_items p JOIN files f ON f.id = p.file_id
WHERE p.state_at >= :s AND p.state_at < :e AND p.direction = 'out'
  AND substr(p.handed_at, 1, 10) <= substr(p.state_at, 1, 10)
GROUP BY 1, 2"""


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


def day_summaries(session: Session, start: date, end: date) -> dict[date, tuple[ProcedureDay, ...]]:
    """Every day of [start, end] with its procedures' numbers (days with none are left out)."""
    s, e = period_bounds(start, end)
    params = {"s": moment_text(s), "e": moment_text(e)}
    days = (end - start).days + 1
    grid = _Grid(start, days)
    for sql in _ALIVE_SQLS:
        for pid, received, carried_end, open_end, overdue_from, n in session.execute(
            text(sql), params
        ):
            _add_stocks(grid, int(pid), received, carried_end, open_end, overdue_from, int(n))
    for pid, day, online, direct, postal in session.execute(text(_RECEIVED_SQL), params):
        grid.add(pid, "received_online", day, int(online or 0))
        grid.add(pid, "received_direct_postal", day, int(direct or 0))
        grid.add(pid, "postal_received", day, int(postal or 0))
    for pid, day, early, on_time, late in session.execute(text(_SETTLED_SQL), params):
        grid.add(pid, "settled_early", day, int(early or 0))
        grid.add(pid, "settled_on_time", day, int(on_time or 0))
        grid.add(pid, "settled_late", day, int(late or 0))
    for pid, day, withdrawn, stopped in session.execute(text(_CLOSED_SQL), params):
        grid.add(pid, "withdrawn", day, int(withdrawn or 0))
        grid.add(pid, "stopped", day, int(stopped or 0))
    for pid, day, sent in session.execute(text(_POSTAL_SENT_SQL), params):
        grid.add(pid, "postal_sent", day, int(sent or 0))
    for pid, day, delivered, returned in session.execute(text(_POSTAL_SETTLED_SQL), params):
        grid.add(pid, "postal_delivered", day, int(delivered or 0))
        grid.add(pid, "postal_returned", day, int(returned or 0))

    procs = {
        int(r[0]): (str(r[1]), str(r[2]), str(r[3]))
        for r in session.execute(text("SELECT id, code, name, field FROM procedures"))
    }
    result: dict[date, list[tuple[str, int, ProcedureDay]]] = defaultdict(list)
    for pid, per_day in grid.day_counts().items():
        code, name, field = procs[pid]
        for i, values in enumerate(per_day):
            if not values:
                continue
            open_total = values.pop("open_total", 0)
            values["open_in_time"] = open_total - values.get("open_overdue", 0)
            counts = StatCounts.from_dict(values)
            if any(counts.as_dict().values()):
                row = ProcedureDay(code, name, field, counts)
                result[start + timedelta(days=i)].append((code, pid, row))
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


def day_summary(session: Session, day: date) -> tuple[ProcedureDay, ...]:
    """One day's numbers."""
    return day_summaries(session, day, day).get(day, ())
