"""Period statistics from the register: one SQL pass over the files alive in the period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.statistics import ZERO, StatCounts, report_json
from desk_app.domain.text import fold
from desk_app.errors import ValidationError
from desk_app.services import permissions
from desk_app.services.context import get_settings
from desk_app.services.scope import ALL, Scope, agency_ids
from desk_app.store.sqlfn import Spelling, index_paths, spelling
from desk_app.store.types import moment_text


class GroupBy(StrEnum):
    """A desk report's rows: one per field of work (the form's own), procedure, agency of the
    centre, receiving officer or counter. The department's consolidated report knows only the
    first two (domain.statistics.GroupBy, the same words)."""

    FIELD = "field"
    PROCEDURE = "procedure"
    AGENCY = "agency"
    OFFICER = "officer"
    COUNTER = "counter"


NO_OFFICER = "(không ghi cán bộ)"
POSTAL_MARK = " (bưu điện)"  # after the name of a post-office staff member
NO_COUNTER = "(không ghi quầy)"


@dataclass(frozen=True)
class StatRow:
    group: str  # field name, procedure code, agency identifier, user name or counter name
    label: str  # what the report prints in column 2
    counts: StatCounts


@dataclass(frozen=True)
class PeriodReport:
    start: date
    end: date  # inclusive: the last day of the period
    by: GroupBy
    rows: tuple[StatRow, ...]
    total: StatCounts
    # Set when the period ends after the moment the report was made: its numbers are "as of"
    # that moment (DOMAIN §4.1 rule 6) and its heading says so.
    as_of: datetime | None = None
    # The agencies counted (centre mode); ALL on a solo desk and for the whole database.
    scope: Scope = ALL

    def to_json(self) -> dict[str, object]:
        rows = ((r.group, r.label, r.counts) for r in self.rows)
        data = report_json(self.start, self.end, self.by, rows, self.total)
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat(timespec="minutes")
        if self.scope.agencies is not None:
            data["agencies"] = sorted(self.scope.agencies)
        return data


# Per-file terms of the report for the period [s, e). A file counts when it was received before
# the end and was not settled or closed before the start. Refused files (3) and online
# registrations not yet accepted (1) are never "received for settlement".
_OPEN_AT_END = (
    "(f.settled_at IS NULL OR f.settled_at >= :e) AND (f.closed_at IS NULL OR f.closed_at >= :e)"
)
# The original due as it stood at the end (DOMAIN §4.1 rule 5): the newest row of the due
# history dated before it. A later pause, resume, reschedule or calendar change adds rows dated
# later, so a closed period's numbers never move.
DUE_AT_END = """coalesce((SELECT h.new_original_due_at FROM due_history h
  WHERE h.file_id = f.id AND h.at < :e ORDER BY h.at DESC, h.id DESC LIMIT 1), f.original_due_at)"""
# A file paused at the end is overdue only if its due had passed before the pause started.
PAUSED_AT_END = """(SELECT p.start_at FROM pauses p WHERE p.file_id = f.id AND p.start_at < :e
  AND (p.end_at IS NULL OR p.end_at >= :e))"""


# :j is the moment judged: the end, or now for a period not over (then :e is the second after
# now, so that what happened in now's own second is counted, but a due at now is not yet late).
def _overdue_at_end(sp: Spelling) -> str:
    paused_or_judged = f"coalesce({sp.least(':j', PAUSED_AT_END)}, :j)"
    return f"CASE WHEN {DUE_AT_END} < {paused_or_judged} THEN 1 ELSE 0 END"


def _terms(sp: Spelling, key: str) -> str:
    return f"""
  {key},
  count(*) FILTER (WHERE f.received_at >= :s AND f.channel = 'online'),
  count(*) FILTER (WHERE f.received_at >= :s AND f.channel != 'online'),
  count(*) FILTER (WHERE f.received_at < :s),
  count(*) FILTER (WHERE f.settled_at >= :s AND f.settled_at < :e AND f.outcome = 'early'),
  count(*) FILTER (WHERE f.settled_at >= :s AND f.settled_at < :e AND f.outcome = 'on_time'),
  count(*) FILTER (WHERE f.settled_at >= :s AND f.settled_at < :e AND f.outcome = 'late'),
  count(*) FILTER (WHERE {_OPEN_AT_END}),
  sum(CASE WHEN {_OPEN_AT_END} THEN {_overdue_at_end(sp)} ELSE 0 END),
  count(*) FILTER (WHERE f.settled_at IS NULL AND f.status = 7 AND f.closed_at < :e),
  count(*) FILTER (WHERE f.settled_at IS NULL AND f.status = 8 AND f.closed_at < :e),
  count(*) FILTER (WHERE f.received_at >= :s AND f.channel = 'postal')
"""


# The files alive in the period, as four disjoint parts that each walk one index: received in
# the period; carried over and settled since the start; carried over and closed unsettled since
# the start; carried over and still open now. One pass over all files would visit the whole
# register for a recent quarter. SQLite is told which index (its planner may take the
# received_at one for all four); PostgreSQL's planner chooses among the indexes from its
# statistics, told not to scan the whole table (store.sqlfn.index_paths: it misjudged the
# second part on a large register). The third walks the files closed without a result only (a
# partial index, migration 0017): on a register of years, the unsettled files received before
# a period are mostly old refusals.
@cache
def alive_parts(sp: Spelling) -> tuple[str, ...]:
    return (
        "FROM files f WHERE f.received_at >= :s AND f.received_at < :e",
        f"FROM files f{sp.indexed_by('ix_files_settled_received')}"
        " WHERE f.settled_at >= :s AND f.received_at < :s",
        f"FROM files f{sp.indexed_by('ix_files_closed_unsettled')}"
        " WHERE f.closed_at >= :s AND f.received_at < :s AND f.settled_at IS NULL",
        f"FROM files f{sp.indexed_by('ix_files_open_due')}"
        " WHERE f.status IN (2, 4, 5, 6) AND f.received_at < :s",
    )


# What a row of counts is keyed by: a column of the file. The field, the procedure and the
# agency of the centre all follow from the procedure; the officer and the counter do not.
_KEYS = {
    GroupBy.FIELD: "f.procedure_id",
    GroupBy.PROCEDURE: "f.procedure_id",
    GroupBy.AGENCY: "f.agency",
    GroupBy.OFFICER: "f.officer_id",
    GroupBy.COUNTER: "f.counter_name",
}


@cache
def _files_sqls(sp: Spelling, key: str = "f.procedure_id", where: str = "") -> tuple[str, ...]:
    """`where`: the scope's term (Scope.sql), "" for every agency: the solo desk's SQL."""
    return tuple(
        f"SELECT {_terms(sp, key)} {part} AND f.status NOT IN (1, 3){where} GROUP BY {key}"
        for part in alive_parts(sp)
    )


# Items handed over, or settled (delivered, returned), in the period: two index ranges joined,
# so that a recent period does not read every postal item there ever was.
_POSTAL_SQL = """
SELECT {key},
  count(*) FILTER (WHERE p.handed_at >= :s AND p.handed_at < :e),
  count(*) FILTER (WHERE p.state = 'delivered' AND p.state_at >= :s AND p.state_at < :e),
  count(*) FILTER (WHERE p.state = 'returned' AND p.state_at >= :s AND p.state_at < :e)
FROM postal_items p JOIN files f ON f.id = p.file_id
WHERE p.id IN (
    SELECT id FROM postal_items WHERE handed_at >= :s AND handed_at < :e
    UNION
    SELECT id FROM postal_items WHERE state_at >= :s AND state_at < :e
  )
  AND p.direction = 'out' AND p.handed_at < :e{where}
GROUP BY {key}
"""


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period [start 00:00, the day after end 00:00)."""
    if end < start:
        raise ValidationError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.", field="to")
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def as_of(end: date, now: datetime | None) -> datetime | None:
    """The moment a period ending on `end` is counted to, when that is before its end: now."""
    if now is None or datetime.combine(end + timedelta(days=1), time()) <= now:
        return None
    return now.replace(microsecond=0)


def counts_by_procedure(
    session: Session,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
) -> dict[int, StatCounts]:
    """The report's numbers for every procedure with files in the period.

    With `now` inside or before the period, the period is counted up to `now` and open files
    are judged at `now` (DOMAIN §4.1 rule 6), so the current quarter agrees with the watch.
    Only the files of `scope`'s agencies count (ALL: no filter at all).
    """
    found = counts_by(session, start, end, now, key="f.procedure_id", scope=scope)
    return {int(pid): counts for pid, counts in found.items()}


def counts_by(
    session: Session,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    key: str,
    scope: Scope = ALL,
) -> dict[Any, StatCounts]:
    """The report's numbers per value of the file column `key` ("f.procedure_id", "f.agency",
    "f.officer_id", "f.counter_name"), a NULL value counted as None."""
    s, e = period_bounds(start, end)
    cut = as_of(end, now)
    judged = e
    if cut is not None:
        judged = max(s, cut)
        e = judged + timedelta(seconds=1)
    params = {"s": moment_text(s), "e": moment_text(e), "j": moment_text(judged)}
    where = scope.sql("f.agency")
    out: dict[Any, dict[str, int]] = defaultdict(dict)
    names = (
        "received_online",
        "received_direct_postal",
        "carried_over",
        "settled_early",
        "settled_on_time",
        "settled_late",
        "open_total",
        "open_overdue",
        "withdrawn",
        "stopped",
        "postal_received",
    )
    with index_paths(session):
        for sql in _files_sqls(spelling(session), key, where):
            for row in session.execute(text(sql), params):
                acc = out[row[0]]
                for name, value in zip(names, row[1:], strict=True):
                    acc[name] = acc.get(name, 0) + int(value or 0)
        postal = _POSTAL_SQL.format(key=key, where=where)
        for row in session.execute(text(postal), params):
            out[row[0]].update(
                {
                    "postal_sent": int(row[1] or 0),
                    "postal_delivered": int(row[2] or 0),
                    "postal_returned": int(row[3] or 0),
                }
            )
    for values in out.values():
        values["open_in_time"] = values.pop("open_total", 0) - values.get("open_overdue", 0)
    return {k: StatCounts.from_dict(values) for k, values in out.items()}


# A row's (key, label) from the value of its column, and the order of the rows.
_Namer = Callable[[Any], tuple[str, str]]


def _procedure_namer(session: Session, by: GroupBy) -> _Namer:
    procs = {
        int(r[0]): (str(r[1]), str(r[2]), str(r[3]))
        for r in session.execute(text("SELECT id, code, name, field FROM procedures"))
    }

    def name(pid: Any) -> tuple[str, str]:
        code, title, field = procs[int(pid)]
        return (field, field) if by == GroupBy.FIELD else (code, title)

    return name


def agency_title(session: Session, agency: int) -> str:
    """How a report names an agency of the centre: its full name."""
    settings = get_settings(session, agency)
    return settings.agency_name or settings.display_name


def _agency_namer(session: Session) -> _Namer:
    def name(agency: Any) -> tuple[str, str]:
        a = int(agency)
        return get_settings(session, a).agency_id or str(a), agency_title(session, a)

    return name


def _officer_namer(session: Session) -> _Namer:
    # Post-office staff at the counter (Decree 118) are marked, so their work reads apart.
    users = {
        int(r[0]): (str(r[1]), str(r[2]) + (POSTAL_MARK if r[3] == permissions.POSTAL else ""))
        for r in session.execute(text("SELECT id, username, full_name, role FROM users"))
    }

    def name(user_id: Any) -> tuple[str, str]:
        if user_id is None:
            return "", NO_OFFICER
        return users.get(int(user_id), (str(user_id), str(user_id)))

    return name


def _counter_name(counter: Any) -> tuple[str, str]:
    if counter is None or not str(counter).strip():
        return "", NO_COUNTER
    return str(counter), str(counter)


def _namer(session: Session, by: GroupBy) -> _Namer:
    if by == GroupBy.AGENCY:
        return _agency_namer(session)
    if by == GroupBy.OFFICER:
        return _officer_namer(session)
    if by == GroupBy.COUNTER:
        return _counter_name
    return _procedure_namer(session, by)


def _order(by: GroupBy, value: Any, key: str, label: str) -> tuple[object, ...]:
    """Fields and procedures by their key (as always); agencies by id; officers and counters
    by name, the files without one last."""
    if by == GroupBy.AGENCY:
        return (int(value),)
    if by in (GroupBy.OFFICER, GroupBy.COUNTER):
        return (key == "", fold(label), key)
    return (key,)


def period_report(
    session: Session,
    start: date,
    end: date,
    by: GroupBy = GroupBy.FIELD,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
) -> PeriodReport:
    """Biểu 06 numbers for [start, end], one row per field of work, procedure, agency of the
    centre, receiving officer or counter (`by`), over the files of `scope`'s agencies.

    Pass the moment of making the report as `now`: a period that is not over is then counted as
    of that moment (DOMAIN §4.1 rule 6). Every grouping shares the total: it counts the same
    files.
    """
    found = counts_by(session, start, end, now, key=_KEYS[GroupBy(by)], scope=scope)
    name = _namer(session, by)
    groups: dict[str, tuple[str, StatCounts, tuple[object, ...]]] = {}
    for value, counts in found.items():
        key, label = name(value)
        _, acc, order = groups.get(key, (label, ZERO, _order(by, value, key, label)))
        groups[key] = (label, acc + counts, order)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][2])
    rows = tuple(StatRow(group=k, label=v[0], counts=v[1]) for k, v in ordered)
    total = ZERO
    for r in rows:
        total = total + r.counts
    return PeriodReport(
        start=start,
        end=end,
        by=by,
        rows=rows,
        total=total,
        as_of=as_of(end, now),
        scope=scope,
    )


def covered_agencies(session: Session, scope: Scope) -> list[int]:
    """The active agencies `scope` covers, in id order."""
    return [a for a in agency_ids(session) if scope.covers(a)]
