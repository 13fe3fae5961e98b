"""The supervisor's overdue watch: late and nearly late files, long pauses, delay reasons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.due import DeadlineState
from desk_app.domain.text import check_text, fold
from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services.browse import deadline_of
from desk_app.services.context import (
    SOLO_AGENCY,
    SUPERVISORS,
    Actor,
    DeskContext,
    audit,
    load_context,
    require_role,
)
from desk_app.services.queries import (
    PAUSED,
    RUNNING,
    _status_in,
    deadline_where,
    due_soon_limits,
)
from desk_app.services.records import add_event, get_file
from desk_app.services.scope import ALL, Scope
from desk_app.services.statistics import counts_by_procedure, covered_agencies, period_bounds
from desk_app.store.models import Applicant, DeskSettings, FileRecord, Pause, Procedure, User
from desk_app.store.sqlfn import count_if

__all__ = [
    "MAX_REASON",
    "TOP_PROCEDURES",
    "LateProcedure",
    "Watch",
    "WatchRow",
    "on_time_by_month",
    "overdue_by_procedure",
    "set_delay_reason",
    "watch",
]

MAX_REASON = 1000  # characters; a reason is a sentence or two, not a report
TOP_PROCEDURES = 15


@dataclass(frozen=True)
class WatchRow:
    """One file on the watch, with what the supervisor reads and acts on."""

    id: int
    code: str
    applicant_name: str
    procedure_code: str
    procedure_name: str
    settling_agency: str
    officer: str | None  # the receiving officer
    received: datetime
    due: datetime | None  # the appointment the applicant holds (after any reschedule)
    original_due: datetime | None  # the rule's appointment, which the deadline is judged by
    status: Status
    paused_since: datetime | None
    words: str  # "quá hạn 2 ngày", "còn 3 giờ", "tạm dừng 12 ngày"
    delay_reason: str | None
    agency: int = SOLO_AGENCY  # the agency of the centre the file belongs to
    # Its short name (else full name) in a database of several agencies; "" on a solo desk.
    agency_name: str = ""


@dataclass(frozen=True)
class Watch:
    """The watch at `now`. Lists hold at most `limit` rows; the totals count every file.

    `by_procedure`, `by_agency` and `by_officer` are (name, overdue, due soon), most overdue
    first, over all running files (not only the rows listed).
    """

    now: datetime
    overdue: list[WatchRow]  # oldest overdue first
    due_soon: list[WatchRow]  # due earliest first
    paused: list[WatchRow]  # waiting longest first
    overdue_total: int
    due_soon_total: int
    paused_total: int
    by_procedure: list[tuple[str, int, int]]
    by_agency: list[tuple[str, int, int]]
    by_officer: list[tuple[str, int, int]]
    # The warning before a due, in working days, of every agency watched; None when the
    # agencies of a centre set it differently.
    due_soon_days: Decimal | None = Decimal(1)


def _open_pause_start() -> Any:
    return (
        select(Pause.start_at)
        .where(Pause.file_id == FileRecord.id, Pause.end_at.is_(None))
        .order_by(Pause.start_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _paused_words(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "tạm dừng"
    days = (now.date() - since.date()).days
    return f"tạm dừng {days} ngày" if days > 0 else "tạm dừng từ hôm nay"


def _rows(
    session: Session,
    where: list[ColumnElement[bool]],
    order: list[Any],
    limit: int,
    contexts: dict[int, DeskContext],
    now: datetime,
    names: dict[int, str],
) -> list[WatchRow]:
    paused_since = _open_pause_start().label("paused_since")
    found = session.execute(
        select(
            FileRecord.id,
            FileRecord.code,
            Applicant.name,
            Procedure.code,
            Procedure.name,
            Procedure.settling_agency,
            User.full_name,
            FileRecord.received_at,
            FileRecord.due_at,
            FileRecord.original_due_at,
            FileRecord.status,
            paused_since,
            FileRecord.delay_reason,
            FileRecord.agency,
        )
        .join(Applicant, Applicant.id == FileRecord.applicant_id)
        .join(Procedure, Procedure.id == FileRecord.procedure_id)
        .outerjoin(User, User.id == FileRecord.officer_id)
        .where(*where)
        .order_by(*order)
        .limit(limit)
    ).all()
    rows = []
    for r in found:
        status = Status(r[10])
        since = r[11] if status.is_paused else None
        if status.is_paused:
            words = _paused_words(since, now)
        else:
            ctx = _context(contexts, r[13])
            words = deadline_of(status, r[9], None, ctx.calendar, now, ctx.due_soon).words
        rows.append(
            WatchRow(
                id=r[0],
                code=r[1],
                applicant_name=r[2],
                procedure_code=r[3],
                procedure_name=r[4],
                settling_agency=r[5],
                officer=r[6],
                received=r[7],
                due=r[8],
                original_due=r[9],
                status=status,
                paused_since=since,
                words=words,
                delay_reason=r[12],
                agency=int(r[13]),
                agency_name=names.get(int(r[13]), ""),
            )
        )
    return rows


def _context(contexts: dict[int, DeskContext], agency: int) -> DeskContext:
    """The agency's context; a file outside the agencies loaded (a scope that names an
    inactive agency) is judged by the first one's."""
    return contexts.get(int(agency)) or next(iter(contexts.values()))


def _agency_names(session: Session) -> dict[int, str]:
    """Each agency's short name (else its full name) when the database holds several, so that
    the lists can say whose file each is; nothing on a solo desk (one agency)."""
    rows = session.execute(
        select(DeskSettings.id, DeskSettings.short_name, DeskSettings.agency_name)
    ).all()
    if len(rows) < 2:
        return {}
    return {int(i): short or name or f"Cơ quan {i}" for i, short, name in rows}


def _ranked(counts: dict[str, list[int]]) -> list[tuple[str, int, int]]:
    rows = [(name, v[0], v[1]) for name, v in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], -r[2], fold(r[0])))


def _contexts(session: Session, scope: Scope) -> dict[int, DeskContext]:
    """The settings and calendar of every agency the watch covers (at least one)."""
    found = {a: load_context(session, a) for a in covered_agencies(session, scope)}
    return found or {SOLO_AGENCY: load_context(session)}


def _horizon_term(session: Session, now: datetime, scope: Scope) -> ColumnElement[bool]:
    """Due by the end of "due soon" (overdue included), each agency held to its own limit: the
    queues' test (`deadline_where`) without its lower bound. One limit (a solo desk always):
    one comparison, no agency column."""
    limits = due_soon_limits(session, now, scope=scope)
    if not limits:
        return false()
    if len(limits) == 1:
        (limit,) = limits
        return FileRecord.original_due_at <= limit
    return or_(
        *(
            and_(FileRecord.agency.in_(agencies), FileRecord.original_due_at <= limit)
            for limit, agencies in sorted(limits.items())
        )
    )


def watch(session: Session, now: datetime, *, limit: int = 500, scope: Scope = ALL) -> Watch:
    """Overdue, due-soon and paused files at `now`, and the counts behind them, over the files
    of `scope`'s agencies (ALL: every file, no filter at all).

    Overdue and due soon are judged against the original due, as the window's queues do; "soon"
    is the file's agency's due-soon setting (one working day by default). Every query starts
    from a status list written out literally, so SQLite walks the partial indexes of running or
    open files and never the whole register.
    """
    contexts = _contexts(session, scope)
    mine: list[ColumnElement[bool]] = [] if scope.is_all else [scope.where(FileRecord.agency)]
    running = _status_in(RUNNING)
    overdue_where = deadline_where(session, DeadlineState.OVERDUE, now) + mine
    soon_where = deadline_where(session, DeadlineState.DUE_SOON, now, scope=scope) + mine
    by_horizon = _horizon_term(session, now, scope)
    order = [FileRecord.original_due_at, FileRecord.id]
    names = _agency_names(session)
    overdue = _rows(session, overdue_where, order, limit, contexts, now, names)
    due_soon = _rows(session, soon_where, order, limit, contexts, now, names)
    paused_start = func.coalesce(_open_pause_start(), FileRecord.received_at)
    paused_where: list[ColumnElement[bool]] = [_status_in(PAUSED), *mine]  # type: ignore[list-item]
    paused_order = [paused_start, FileRecord.id]
    paused = _rows(session, paused_where, paused_order, limit, contexts, now, names)
    paused_total = int(
        session.scalar(select(func.count()).select_from(FileRecord).where(*paused_where)) or 0
    )

    # One grouped pass over the running files due by the horizon gives all three breakdowns.
    # Grouped by the joined rows' keys, so that their names are functions of the group
    # (PostgreSQL accepts a column outside GROUP BY only through its table's primary key).
    grouped = session.execute(
        select(
            Procedure.name,
            Procedure.settling_agency,
            func.coalesce(User.full_name, ""),
            count_if(FileRecord.original_due_at < now),
            func.count(),
        )
        .select_from(FileRecord)
        .join(Procedure, Procedure.id == FileRecord.procedure_id)
        .outerjoin(User, User.id == FileRecord.officer_id)
        .where(running, by_horizon, *mine)
        .group_by(Procedure.id, User.id)
    ).all()
    by_procedure: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_agency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_officer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    overdue_total = due_soon_total = 0
    for name, agency, officer, late_count, total in grouped:
        late, soon = int(late_count or 0), int(total) - int(late_count or 0)
        overdue_total += late
        due_soon_total += soon
        for table, key in ((by_procedure, name), (by_agency, agency), (by_officer, officer)):
            table[key][0] += late
            table[key][1] += soon
    return Watch(
        now=now,
        overdue=overdue,
        due_soon=due_soon,
        paused=paused,
        overdue_total=overdue_total,
        due_soon_total=due_soon_total,
        paused_total=paused_total,
        by_procedure=_ranked(by_procedure),
        by_agency=_ranked(by_agency),
        by_officer=_ranked(by_officer),
        due_soon_days=_one({c.settings.due_soon_days for c in contexts.values()}),
    )


def _one(values: set[Decimal]) -> Decimal | None:
    return next(iter(values)) if len(values) == 1 else None


def set_delay_reason(
    session: Session,
    codes: list[str],
    reason: str,
    actor: Actor,
    *,
    now: datetime | None = None,
) -> int:
    """Record why files are late (supervisors); returns how many files changed.

    Each changed file gets a "delay_reason" event on its timeline and an audit entry with the
    old and new reason. A file that already carries exactly this reason is left alone.
    """
    now = now or clock.now()
    require_role(actor, SUPERVISORS, "ghi lý do chậm trả kết quả (chỉ lãnh đạo bộ phận)")
    reason = check_text(reason, field="reason", label="Lý do", limit=MAX_REASON, multiline=True)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("Cần ghi rõ lý do chậm trả kết quả.", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Lý do quá dài (tối đa {MAX_REASON} ký tự).", field="reason")
    unique = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    if not unique:
        raise ValidationError("Chưa chọn hồ sơ nào.", field="codes")
    changed = 0
    for code in unique:
        record = get_file(session, code)
        if Status(record.status) in (Status.REGISTERED, Status.REFUSED):
            raise ValidationError(
                f"Hồ sơ {record.code} chưa được tiếp nhận giải quyết nên không có thời hạn "
                "để ghi lý do chậm.",
                field="codes",
            )
        old = record.delay_reason
        if old == reason:
            continue
        details: dict[str, object] = {"old": old, "new": reason}
        record.delay_reason = reason
        add_event(session, record, "delay_reason", actor, now, note=reason, data=details)
        audit(session, actor, "delay_reason", "file", record.code, details, at=now)
        changed += 1
    session.flush()
    return changed


def _months(start: date, end: date) -> list[str]:
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def on_time_by_month(
    session: Session, start: date, end: date, *, scope: Scope = ALL
) -> list[tuple[str, int, int, int]]:
    """(YYYY-MM, early, on time, late) of the files settled in each month of [start, end], of
    `scope`'s agencies.

    Every month of the period is listed, empty ones with zeros. A month cut by the period's
    edges counts only its days inside the period.
    """
    s, e = period_bounds(start, end)
    # Grouped by the label: PostgreSQL takes substr(x, $1, $2) in GROUP BY for another
    # expression than substr(x, $3, $4) in the select list.
    month = func.substr(FileRecord.settled_at, 1, 7).label("month")
    found = session.execute(
        select(
            month,
            count_if(FileRecord.outcome == "early"),
            count_if(FileRecord.outcome == "on_time"),
            count_if(FileRecord.outcome == "late"),
        )
        .where(
            FileRecord.settled_at >= s,
            FileRecord.settled_at < e,
            *([] if scope.is_all else [scope.where(FileRecord.agency)]),
        )
        .group_by(month)
    ).all()
    by_month = {str(m): (int(a or 0), int(b or 0), int(c or 0)) for m, a, b, c in found}
    return [(m, *by_month.get(m, (0, 0, 0))) for m in _months(start, end)]


@dataclass(frozen=True)
class LateProcedure:
    """One bar of the late-files chart: the procedure's code labels it, the name explains it."""

    code: str
    name: str
    count: int


def overdue_by_procedure(
    session: Session,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    scope: Scope = ALL,
) -> list[LateProcedure]:
    """Per procedure: files settled late in [start, end] plus files still open and overdue at
    its end (columns 10 and 13 of the period report, so the chart and the report agree).

    The top 15 by count, then by name and code; procedures with none are left out.
    """
    counts = counts_by_procedure(session, start, end, now, scope=scope)
    found = {
        int(i): (str(c), str(n))
        for i, c, n in session.execute(select(Procedure.id, Procedure.code, Procedure.name))
    }
    late = [
        LateProcedure(*found.get(pid, (str(pid), str(pid))), c.settled_late + c.open_overdue)
        for pid, c in counts.items()
        if c.settled_late + c.open_overdue
    ]
    ranked = sorted(late, key=lambda p: (-p.count, fold(p.name), p.code))
    return ranked[:TOP_PROCEDURES]
