"""The national index (Decision 766/QĐ-TTg, DOMAIN §11) as far as the desk can compute it.

Decision 766 scores every unit out of 100 points in six groups. The desk holds the figures of
three of them, progress, digitisation and satisfaction (the applicants' ratings at the counter,
services/ratings.py), and computes them for a period and a scope (one agency or the whole
centre); publicity, online service and online payment are the national portal's to compute.
The weights are data (resources/national_index.json, unverified), and a desk corrects them
without a release with a `national_index.json` in the user's data folder, laid over the bundled
file group by group, as a form set is (printing/formset.py).

The counting rules are the statistics' own (services/statistics.py, Biểu 06): received means
accepted with the receipt moment in the period (never a refused file), settled means the result
came back in the period, on time means not late against the original due (early or on time,
DOMAIN §4), and a period that is not over is counted as of now. Each countable figure has one
SQL term (`_TERMS`) that both the figure and `files_behind` use, so the files listed behind a
figure are exactly the files it counts.

How figures become points is the program's, not the portal's (see `index_report`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.domain.workflow import Status
from desk_app.errors import ConfigurationError, ValidationError
from desk_app.printing import formset
from desk_app.printing import index_report as form
from desk_app.printing.statistics_report import period_line
from desk_app.resources import read_resource_text
from desk_app.services import ratings, reports
from desk_app.services.context import get_settings, load_calendar
from desk_app.services.scope import ALL, Scope, agency_ids
from desk_app.services.statistics import as_of, period_bounds
from desk_app.store.sqlfn import Spelling, spelling
from desk_app.store.types import moment_text, parse_moment

GROUPS = ("publicity", "progress", "online", "payment", "digitisation", "satisfaction")
WEIGHTS_FILE = "national_index.json"
DEFAULT_SOURCE = "mặc định (chưa kiểm chứng)"
_WHAT = "trọng số chỉ số 766"
NOT_AT_DESK = "không tính được tại bộ phận một cửa"
NO_RATINGS = "chưa có lượt đánh giá nào trong kỳ"
MAX_WEIGHT = 100


# --- the contract with the supervisor's page ----------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str  # stable id, e.g. "progress.received"
    label: str  # Vietnamese, shown as is
    value: float | None  # None: not computable at the desk (shown as "—" with `note`)
    unit: str  # "hồ sơ", "%", "ngày làm việc", "lượt", "điểm", "trang"
    note: str = ""  # Vietnamese: how it is counted / why empty
    drill: bool = False  # True: files_behind(key) lists the files behind it


@dataclass(frozen=True)
class GroupScore:
    key: str  # one of GROUPS
    label: str  # Vietnamese
    weight: float  # points of the 100 (data, unverified)
    points: float | None  # None when the desk cannot compute the group
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class IndexReport:
    start: date
    end: date  # inclusive
    as_of: datetime | None  # set when the period is not over (like PeriodReport)
    scope: Scope
    groups: tuple[GroupScore, ...]
    points: float  # sum of the computed groups' points
    max_points: float  # sum of the weights of the computed groups
    weights_source: str  # the desk's weights file, or DEFAULT_SOURCE

    def group(self, key: str) -> GroupScore:
        return next(g for g in self.groups if g.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for g in self.groups for f in g.figures if f.key == key)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "points": self.points,
            "max_points": self.max_points,
            "weights_source": self.weights_source,
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    "weight": g.weight,
                    "points": g.points,
                    "figures": [
                        {
                            "key": f.key,
                            "label": f.label,
                            "value": f.value,
                            "unit": f.unit,
                            "note": f.note,
                        }
                        for f in g.figures
                    ],
                }
                for g in self.groups
            ],
        }
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat(timespec="minutes")
        if self.scope.agencies is not None:
            data["agencies"] = sorted(self.scope.agencies)
        return data


@dataclass(frozen=True)
class FileRef:
    code: str
    procedure_code: str
    procedure_name: str
    status: str  # in Vietnamese words
    received_at: datetime
    due_at: datetime | None  # the due as it stands (a rescheduled file's new appointment)
    settled_at: datetime | None
    # The due set by the rules, which on time and late are judged against (DOMAIN §4): a file
    # settled before its rescheduled due can still be late.
    original_due_at: datetime | None = None


# --- the weights ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    labels: dict[str, str]
    weights: dict[str, float]
    source: str  # the desk's file laid over the bundled one, or DEFAULT_SOURCE
    verify_note: str = ""


def user_weights_path() -> Path:
    """Where a desk keeps its corrected weights: national_index.json in the user data folder."""
    return formset.user_data_dir() / WEIGHTS_FILE


def load_weights() -> Weights:
    """The bundled weights with the desk's own file (if any) laid over them, group by group
    and key by key (`{"groups": {"progress": {"weight": 25}}}` changes one weight). A file
    that is not JSON, names an unknown group or key, or gives a weight that is not a number
    from 0 to 100 is refused with a message naming it."""
    where = f"resources/{WEIGHTS_FILE}"
    raw = _checked(formset.read_data_json(read_resource_text(WEIGHTS_FILE), where, _WHAT), where)
    override, source = formset.read_desk_file(user_weights_path(), _WHAT)
    if source:
        desk = _checked(override, source)
        for key in ("description", "verify_note"):
            if key in desk:
                raw[key] = desk[key]
        for group, entry in desk.get("groups", {}).items():
            raw["groups"][group].update(entry)
    labels, weights = {}, {}
    for group in GROUPS:
        entry = raw["groups"].get(group)
        if entry is None:
            raise ConfigurationError(f"Tệp {_WHAT} {where} thiếu nhóm “{group}”.")
        labels[group] = str(entry.get("label", group))
        weights[group] = _weight(entry.get("weight"), source or where, group)
    return Weights(labels, weights, source or DEFAULT_SOURCE, str(raw.get("verify_note", "")))


def _checked(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("groups", {}), dict):
        raise ConfigurationError(f"Tệp {_WHAT} {where} phải có mục “groups”.")
    for group, entry in raw.get("groups", {}).items():
        if group not in GROUPS:
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}: không có nhóm “{group}” (các nhóm: {', '.join(GROUPS)})."
            )
        if not isinstance(entry, dict):
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}: nhóm “{group}” phải là một đối tượng JSON."
            )
        unknown = sorted(set(entry) - {"label", "weight"})
        if unknown:
            raise ConfigurationError(
                f"Tệp {_WHAT} {where}, nhóm “{group}”: không có mục “{unknown[0]}” "
                "(các mục: label, weight)."
            )
        if "weight" in entry:
            _weight(entry["weight"], where, group)
    return raw


def _weight(value: Any, where: str, group: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigurationError(
            f"Tệp {_WHAT} {where}, nhóm “{group}”: trọng số phải là một số từ 0 đến "
            f"{MAX_WEIGHT} (đang là {value!r})."
        )
    return float(value)


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


_PARTS = ("received", "carried")


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
_TERMS: dict[str, str] = {
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
DRILL_KEYS = tuple(_TERMS)

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


def _rows(sp: Spelling, source: str, where: str, *, fenced: bool = True) -> str:
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
    counts = ",\n  ".join(f"count(*) FILTER (WHERE {term})" for term in _TERMS.values())
    select = f"""SELECT {counts},
  sum(x.pages)"""
    return tuple(f"{select}\nFROM {_rows(sp, src, where)}" for src in _PARTS)


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


def _params(start: date, end: date, now: datetime | None) -> dict[str, str]:
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
class _Tally:
    counts: dict[str, int]
    pages: int = 0
    reused: int = 0
    settled: int = 0  # the files of the average time
    working_days: float = 0.0  # their working time less their pauses, in working days

    @property
    def average_days(self) -> float | None:
        return self.working_days / self.settled if self.settled else None


def _tally(session: Session, sp: Spelling, params: dict[str, str], scope: Scope) -> _Tally:
    """Every figure of the period: the counts in one pass over each part of the files, then
    the average time, per part of the scope with its own office hours: the mean of
    W(received, settled) less the working time inside the file's pauses, in working days of
    the agency's hours, over the files settled in the period."""
    tally = _Tally(dict.fromkeys(_TERMS, 0))
    for sql in _counts_sqls(sp, scope.sql("f.agency")):
        row = session.execute(text(sql), params).one()
        for key, value in zip(_TERMS, row, strict=False):
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


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share, 1)


def _count_note(part: int, whole: int) -> str:
    return f"{part:,} trên {whole:,}".replace(",", ".")


def index_report(
    session: Session,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
) -> IndexReport:
    """The Decision 766 figures of [start, end] for the files of `scope`'s agencies, and the
    points of the groups the desk can compute (weights from `load_weights`):

    - progress = weight × (settled on time or early) / settled, when something was settled;
    - digitisation = weight × the mean of the files' and the results' shares that exist;
    - satisfaction = weight × (very satisfied and satisfied) / ratings given, when any was.

    Pass the moment of making it as `now`: a period not over is counted as of then. Shares are
    in percent rounded to 0.1, the average time to 0.01 working day, points to 0.01.
    """
    weights = load_weights()
    sp = spelling(session)
    params = _params(start, end, now)
    tally = _tally(session, sp, params, scope)
    counts, pages, reused, avg = tally.counts, tally.pages, tally.reused, tally.average_days

    def n(key: str, label: str, note: str) -> Figure:
        return Figure(key, label, float(counts[key]), "hồ sơ", note, drill=True)

    settled, on_time = counts["progress.settled"], counts["progress.on_time"]
    on_time_share = _share(on_time, settled)
    progress = (
        n(
            "progress.received",
            "Hồ sơ tiếp nhận trong kỳ",
            "trực tuyến, trực tiếp và qua bưu chính; không tính hồ sơ bị từ chối "
            "(cột 4 + 5 Biểu 06)",
        ),
        n(
            "progress.settled",
            "Hồ sơ đã giải quyết trong kỳ",
            "có kết quả trong kỳ (cột 7 Biểu 06)",
        ),
        n(
            "progress.on_time",
            "Giải quyết trước hạn và đúng hạn",
            "so với hạn theo quy định, không tính hạn hẹn lại (cột 8 + 9 Biểu 06)",
        ),
        n("progress.late", "Giải quyết quá hạn", "cột 10 Biểu 06"),
        Figure(
            "progress.on_time_share",
            "Tỷ lệ giải quyết đúng hạn",
            _pct(on_time_share),
            "%",
            _count_note(on_time, settled) + " hồ sơ đã giải quyết",
        ),
        Figure(
            "progress.avg_days",
            "Thời gian giải quyết trung bình",
            None if avg is None else round(avg, 2),
            "ngày làm việc",
            "thời gian làm việc từ lúc tiếp nhận đến lúc có kết quả, trừ thời gian tạm "
            "dừng; các hồ sơ đã giải quyết trong kỳ"
            if avg is not None
            else "không có hồ sơ giải quyết trong kỳ",
        ),
    )
    files_share = _share(
        counts["digitisation.files_digitised"], counts["digitisation.files_counted"]
    )
    results_share = _share(
        counts["digitisation.results_digitised"], counts["digitisation.results_counted"]
    )
    digitisation = (
        Figure(
            "digitisation.files",
            "Tỷ lệ hồ sơ được số hóa",
            _pct(files_share),
            "%",
            "hồ sơ nhận trực tiếp, qua bưu chính trong kỳ có mọi giấy tờ đã số hóa hoặc "
            "thuộc trường hợp không phải số hóa, ít nhất một giấy tờ đã quét (như báo cáo "
            "ngày): "
            + _count_note(
                counts["digitisation.files_digitised"], counts["digitisation.files_counted"]
            ),
        ),
        n(
            "digitisation.files_counted",
            "Hồ sơ nhận trực tiếp, qua bưu chính",
            "hồ sơ nộp trực tuyến không phải số hóa khi tiếp nhận",
        ),
        n(
            "digitisation.files_digitised",
            "Hồ sơ đã số hóa đủ giấy tờ",
            "mọi giấy tờ đã quét hoặc có lý do không số hóa, ít nhất một giấy tờ đã quét",
        ),
        Figure(
            "digitisation.results",
            "Tỷ lệ kết quả được số hóa",
            _pct(results_share),
            "%",
            "kết quả đã quét của hồ sơ giải quyết trong kỳ: "
            + _count_note(
                counts["digitisation.results_digitised"], counts["digitisation.results_counted"]
            ),
        ),
        n(
            "digitisation.results_counted",
            "Hồ sơ đã giải quyết cần số hóa kết quả",
            "hồ sơ giải quyết trong kỳ, trừ kết quả thuộc trường hợp không phải số hóa",
        ),
        n("digitisation.results_digitised", "Kết quả đã số hóa", "kết quả có bản quét"),
        Figure(
            "digitisation.reuse",
            "Tỷ lệ trang tái sử dụng",
            _pct(_share(reused, pages)),
            "%",
            "trang của hồ sơ nhận trong kỳ trùng (cùng SHA-256) một trang đã đính kèm hồ sơ "
            "khác trước đó; chỉ nhận ra bản quét giống hệt: " + _count_note(reused, pages),
        ),
    )
    online = (
        Figure("online.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),
        n(
            "online.received",
            "Hồ sơ nộp trực tuyến trong kỳ",
            "để tham khảo (cột 4 Biểu 06); điểm do Cổng Dịch vụ công quốc gia tính",
        ),
    )
    rated = ratings.total_counts(session, start, end, scope=scope)
    satisfied_share = _share(rated.very_satisfied + rated.satisfied, rated.total_rated)
    average = rated.average
    satisfaction = (
        Figure(
            "satisfaction.count",
            "Số lượt đánh giá",
            float(rated.total_rated),
            "lượt",
            "người nộp hồ sơ đánh giá tại quầy sau khi được phục vụ (tiếp nhận, từ chối, trả "
            f"kết quả); {rated.not_rated:,} lượt phục vụ không được đánh giá".replace(",", "."),
        ),
        Figure(
            "satisfaction.share",
            "Tỷ lệ hài lòng",
            _pct(satisfied_share),
            "%",
            "rất hài lòng và hài lòng trên số lượt đánh giá: "
            + _count_note(rated.very_satisfied + rated.satisfied, rated.total_rated),
        ),
        Figure(
            "satisfaction.score",
            "Điểm đánh giá trung bình",
            None if average is None else round(average, 2),
            "điểm",
            "rất hài lòng 3, hài lòng 2, không hài lòng 1" if average is not None else NO_RATINGS,
        ),
    )
    figures: dict[str, tuple[Figure, ...]] = {
        "publicity": (Figure("publicity.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),),
        "progress": progress,
        "online": online,
        "payment": (Figure("payment.points", "Điểm nhóm chỉ số", None, "điểm", NOT_AT_DESK),),
        "digitisation": digitisation,
        "satisfaction": satisfaction,
    }
    shares = [s for s in (files_share, results_share) if s is not None]
    fractions: dict[str, float | None] = {
        "progress": None if on_time_share is None else on_time_share / 100,
        "digitisation": sum(shares) / len(shares) / 100 if shares else None,
        "satisfaction": None if satisfied_share is None else satisfied_share / 100,
    }
    groups = []
    for key in GROUPS:
        weight = weights.weights[key]
        fraction = fractions.get(key)
        points = None if fraction is None else round(weight * fraction, 2)
        groups.append(GroupScore(key, weights.labels[key], weight, points, figures[key]))
    computed = [g for g in groups if g.points is not None]
    return IndexReport(
        start=start,
        end=end,
        as_of=as_of(end, now),
        scope=scope,
        groups=tuple(groups),
        points=round(sum(g.points or 0.0 for g in computed), 2),
        max_points=sum(g.weight for g in computed),
        weights_source=weights.source,
    )


def files_behind(
    session: Session,
    key: str,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
    limit: int = 1000,
) -> tuple[list[FileRef], int]:
    """The files a drillable figure counts (the first `limit` by receipt, and how many in
    all), with the same terms as the figure."""
    if key not in _TERMS:
        raise ValidationError(f"Chỉ số “{key}” không có danh sách hồ sơ.", field="key")
    sp = spelling(session)
    params: dict[str, Any] = _params(start, end, now)
    # The figure's own two walks (only the settled figures find files in the second).
    parts = [
        f"SELECT x.id FROM {_rows(sp, src, scope.sql('f.agency'), fenced=False)}"
        f" WHERE {_TERMS[key]}"
        for src in _PARTS
    ]
    total = sum(
        int(session.execute(text(f"SELECT count(*) FROM ({part}) y"), params).scalar_one())
        for part in parts
    )
    sql = f"""SELECT f.code, pr.code, pr.name, f.status, f.received_at, f.due_at, f.settled_at,
  f.original_due_at
FROM files f JOIN procedures pr ON pr.id = f.procedure_id
WHERE f.id IN ({" UNION ALL ".join(parts)})
ORDER BY f.received_at, f.id LIMIT :limit"""
    params["limit"] = max(0, int(limit))
    rows = [
        FileRef(
            code=str(r[0]),
            procedure_code=str(r[1]),
            procedure_name=str(r[2]),
            status=Status(int(r[3])).label,
            received_at=parse_moment(str(r[4])),
            due_at=parse_moment(str(r[5])) if r[5] else None,
            settled_at=parse_moment(str(r[6])) if r[6] else None,
            original_due_at=parse_moment(str(r[7])) if r[7] else None,
        )
        for r in session.execute(text(sql), params)
    ]
    return rows, total


# --- on paper and in a spreadsheet ----------------------------------------------------------------


def _total_text(report: IndexReport) -> str:
    return f"{form.points_text(report.points)} / {form.number_text(report.max_points, 0)}"


def index_data(session: Session, report: IndexReport, issued: date | None = None) -> form.IndexData:
    """What the printed index shows, from the report (the header and scope lines as Biểu 06's)."""
    groups = tuple(
        form.IndexGroup(
            label=g.label,
            weight=form.number_text(g.weight, 0 if g.weight == int(g.weight) else 1),
            points=form.points_text(g.points),
            lines=tuple(
                form.IndexLine(f.label, form.value_text(f.value, f.unit), f.note) for f in g.figures
            ),
        )
        for g in report.groups
    )
    return form.IndexData(
        header=reports.scope_header(session, report.scope),
        start=report.start,
        end=report.end,
        groups=groups,
        total=_total_text(report),
        weights_source=report.weights_source,
        verify_note=load_weights().verify_note,
        as_of=report.as_of,
        scope_line=reports.scope_line(session, report.scope),
        issued=issued,
    )


def index_pdf(session: Session, report: IndexReport) -> bytes:
    """The index on portrait A4 with the desk's header; the date is left to the signer."""
    return form.render_index(index_data(session, report))


_XLSX_COUNTS = ("hồ sơ", "lượt", "trang")


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: str | float | None,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 11,
    left: bool = False,
    fill: bool = False,
) -> None:
    """A boxed cell of the index's table: text always as text (reports' rule), numbers as
    numbers."""
    if isinstance(value, str):
        reports._text_cell(ws, row, col, value)
        cell = ws.cell(row=row, column=col)
    else:
        cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=reports._FONT, bold=bold, italic=italic, size=size)
    cell.border = reports._BOX
    if isinstance(value, str):
        cell.alignment = reports._LEFT if left else reports._CENTRE
    else:
        cell.alignment = reports._RIGHT
    if fill:
        cell.fill = reports._TOTAL_FILL


def index_xlsx(session: Session, report: IndexReport) -> bytes:
    """The index as a workbook: the header, one row per group and per figure (the value as a
    number, its unit and note beside it), the total and the weights' source. Text cells are
    written as text (as in services/reports.py), so nothing in them is taken for a formula."""
    data = index_data(session, report)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Chỉ số 766"
    columns = len(XLSX_HEADINGS)
    titles: list[tuple[str, dict[str, Any]]] = [
        (form.TITLE, {"bold": True, "size": 14}),
        (form.SUBTITLE, {"bold": True, "size": 11}),
        (period_line(report.start, report.end, report.as_of), {"italic": True}),
    ]
    row = reports._portrait_head(ws, data.header, columns, titles, data.scope_line)
    header_row = row
    for col, name in enumerate(XLSX_HEADINGS, start=1):
        _put(ws, row, col, name, bold=True, fill=True)
    for n, group in enumerate(report.groups, start=1):
        row += 1
        _put(ws, row, 1, n, bold=True, fill=True)
        _put(ws, row, 2, group.label, bold=True, left=True, fill=True)
        for col in (3, 4, 5):
            _put(ws, row, col, None, fill=True)
        _put(ws, row, 6, group.weight, bold=True, fill=True)
        _put(ws, row, 7, group.points, bold=True, fill=True)
        for figure in group.figures:
            row += 1
            value = figure.value
            if value is not None and figure.unit in _XLSX_COUNTS:
                value = int(value)
            for col, cell in enumerate(
                (None, figure.label, value, figure.unit, figure.note, None, None), start=1
            ):
                _put(ws, row, col, cell, left=col in (2, 5), size=10 if col == 5 else 11)
    row += 1
    for col in range(1, columns):
        _put(ws, row, col, form.TOTAL_LABEL if col == 2 else None, bold=True, left=True)
    _put(ws, row, columns, report.points, bold=True)
    row += 2
    notes = [f"Trọng số: {report.weights_source}.", form.NOT_VERIFIED]
    if data.verify_note:
        notes.append(data.verify_note)
    for note in notes:
        reports._merge(ws, row, 1, row, columns, note, italic=True, size=10, align=reports._LEFT)
        ws.row_dimensions[row].height = 30
        row += 1
    reports._portrait_table(ws, header_row, (6, 40, 12, 13, 60, 10, 10))
    return reports._workbook_bytes(wb)


XLSX_HEADINGS = (
    "STT",
    "Nhóm chỉ số, chỉ số",
    "Số liệu",
    "Đơn vị",
    "Cách tính, ghi chú",
    "Trọng số",
    "Điểm",
)
