"""The department's work as plain functions on a Session: desks, tokens, summaries, reports."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.department.models import (
    DESK_ROLE,
    RATING_LEVELS,
    VIEWER_ROLE,
    AuditEntry,
    CurrentDay,
    DaySummary,
    Desk,
    LookupRow,
    SummaryRow,
)
from desk_app.domain.statistics import ZERO, StatCounts, report_json
from desk_app.domain.statistics import GroupBy as GroupBy
from desk_app.errors import DeskError, NotFoundError, ValidationError
from desk_app.sync.protocol import (
    CARRIED_KEYS,
    CLOSING_KEYS,
    COUNT_KEYS,
    DUPLICATE,
    KEY_LENGTH,
    STORED,
    SUPERSEDED,
    key_hash,
    normalise_key,
)

Clock = Callable[[], datetime]
NAME_MAX = 200
NAME_KEY_MAX = 400


def local_now() -> datetime:
    return clock.now().replace(microsecond=0)


class AccessError(DeskError):
    """The caller's token is valid but does not allow this (a viewer posting, a desk reading
    another desk's numbers)."""

    code = "forbidden"


class ConflictError(DeskError):
    """The same (desk, day, revision) arrived again with other numbers."""

    code = "conflict"


@dataclass(frozen=True)
class Registration:
    """A newly registered caller; `token` is shown once and only its hash is kept."""

    name: str
    role: str
    token: str


@dataclass(frozen=True)
class Principal:
    """Who is calling, as found from a token."""

    desk_id: int
    name: str
    role: str

    @property
    def is_viewer(self) -> bool:
        return self.role == VIEWER_ROLE


@dataclass(frozen=True)
class DeskInfo:
    agency_id: str = ""
    agency_name: str = ""
    unit_name: str = ""
    software: str = ""


@dataclass(frozen=True)
class DayRatings:
    """The applicants' ratings of a procedure, by level (the summary row's `ratings`; summed
    over days and desks in a report). Counts only."""

    very_satisfied: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    def __add__(self, other: DayRatings) -> DayRatings:
        return DayRatings(
            self.very_satisfied + other.very_satisfied,
            self.satisfied + other.satisfied,
            self.dissatisfied + other.dissatisfied,
        )

    def as_dict(self) -> dict[str, int]:
        return {level: int(getattr(self, level)) for level in RATING_LEVELS}


NO_RATINGS = DayRatings()


@dataclass(frozen=True)
class RowInput:
    procedure: str
    name: str
    field: str
    counts: StatCounts
    ratings: DayRatings = NO_RATINGS


@dataclass(frozen=True)
class SummaryInput:
    """One desk's day, as sent (already checked against the protocol)."""

    day: date
    revision: int
    desk: DeskInfo
    rows: tuple[RowInput, ...]


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    day: date
    revision: int
    state: str  # STORED, DUPLICATE or SUPERSEDED

    def to_json(self) -> dict[str, object]:
        return {
            "receipt_id": self.receipt_id,
            "day": self.day.isoformat(),
            "revision": self.revision,
            "state": self.state,
        }


@dataclass(frozen=True)
class ReportRow:
    group: str
    label: str
    counts: StatCounts


@dataclass(frozen=True)
class ConsolidatedReport:
    """The desks' numbers for [start, end], in the shape of the desk's own PeriodReport."""

    start: date
    end: date
    by: GroupBy
    rows: tuple[ReportRow, ...]
    total: StatCounts

    def to_json(self) -> dict[str, object]:
        rows = ((r.group, r.label, r.counts) for r in self.rows)
        return report_json(self.start, self.end, self.by, rows, self.total)


@dataclass(frozen=True)
class RatingsRow:
    group: str
    label: str
    ratings: DayRatings


@dataclass(frozen=True)
class RatingsReport:
    """The ratings given at the desks in [start, end] by level, grouped like the report."""

    start: date
    end: date
    by: GroupBy
    rows: tuple[RatingsRow, ...]
    total: DayRatings

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": str(self.by),
            "rows": [
                {
                    "group": r.group,
                    "label": r.label,
                    **r.ratings.as_dict(),
                    "rated": r.ratings.rated,
                }
                for r in self.rows
            ],
            "total": {**self.total.as_dict(), "rated": self.total.rated},
        }


@dataclass(frozen=True)
class DeskOverview:
    name: str
    last_contact_at: datetime | None
    software: str
    agency_id: str
    agency_name: str
    unit_name: str
    last_day: date | None  # the latest day received
    days: int  # how many days have been received
    revoked_at: datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "last_contact_at": self.last_contact_at.isoformat() if self.last_contact_at else None,
            "software": self.software,
            "agency_id": self.agency_id,
            "agency_name": self.agency_name,
            "unit_name": self.unit_name,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "days": self.days,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


# --- desks and tokens ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_name(name: str) -> str:
    """A name as kept: NFC, without format characters (zero-width, bidi), whitespace runs as
    one space. Control characters are refused: a name reaches terminals and logs."""
    text = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        raise ValidationError("Tên không được chứa ký tự điều khiển.", field="name")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def name_key(name: str) -> str:
    """The form in which two names are compared: NFKC and case folded, so that names differing
    only in case, composition, full-width letters or invisible characters are the same name.
    (Frozen copy in migration d0002.)"""
    text = "".join(c for c in name if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def _audit(session: Session, action: str, desk: Desk, actor: str, now: Clock) -> None:
    session.add(
        AuditEntry(
            at=now(),
            action=action,
            role=desk.role,
            desk_id=desk.id,
            subject=desk.name,
            actor=actor[:200],
        )
    )


def _register(session: Session, name: str, role: str, now: Clock, actor: str) -> Registration:
    name = clean_name(name)
    if not name:
        raise ValidationError("Tên không được để trống.", field="name")
    key = name_key(name)
    if len(name) > NAME_MAX or len(key) > NAME_KEY_MAX:
        raise ValidationError(f"Tên dài quá {NAME_MAX} ký tự.", field="name")
    same = session.scalar(select(Desk.name).where(Desk.name_key == key))
    if same is not None:
        raise ValidationError(f"Đã có tên “{same}”; chọn tên khác.", field="name")
    token = secrets.token_urlsafe(32)
    desk = Desk(name=name, name_key=key, role=role, token_hash=hash_token(token), created_at=now())
    session.add(desk)
    session.flush()
    _audit(session, "register", desk, actor, now)
    return Registration(name=name, role=role, token=token)


def add_desk(
    session: Session, name: str, *, now: Clock = local_now, actor: str = ""
) -> Registration:
    """Register a one-stop desk that will send its summaries; returns its token (shown once)."""
    return _register(session, name, DESK_ROLE, now, actor)


def add_viewer(
    session: Session, name: str, *, now: Clock = local_now, actor: str = ""
) -> Registration:
    """Register a person or tool that reads every desk's reports; returns its token."""
    return _register(session, name, VIEWER_ROLE, now, actor)


def _registered(session: Session, name: str, role: str) -> Desk:
    desk = session.scalar(
        select(Desk).where(Desk.name_key == name_key(clean_name(name)), Desk.role == role)
    )
    if desk is None:
        what = "người xem báo cáo" if role == VIEWER_ROLE else "bộ phận một cửa"
        raise NotFoundError(f"Không có {what} tên “{clean_name(name)}”.", field="name")
    return desk


def rotate_token(
    session: Session, name: str, *, role: str, actor: str, now: Clock = local_now
) -> Registration:
    """Give the desk or viewer `name` a new token (shown once); the old one stops working at
    once. A revoked caller gets a working token again."""
    desk = _registered(session, name, role)
    token = secrets.token_urlsafe(32)
    desk.token_hash = hash_token(token)
    desk.revoked_at = None
    _audit(session, "rotate", desk, actor, now)
    return Registration(name=desk.name, role=desk.role, token=token)


def revoke(session: Session, name: str, *, role: str, actor: str, now: Clock = local_now) -> str:
    """Stop the desk or viewer `name` from calling at all; a desk's days already received stay
    in the reports. Returns the name as registered."""
    desk = _registered(session, name, role)
    if desk.revoked_at is not None:
        raise ValidationError(
            f"Mã truy cập của “{desk.name}” đã bị thu hồi từ {desk.revoked_at:%d/%m/%Y %H:%M}.",
            field="name",
        )
    # The hash of a token nobody ever saw: the old token matches nothing, the column stays unique.
    desk.token_hash = hash_token(secrets.token_urlsafe(32))
    desk.revoked_at = now()
    _audit(session, "revoke", desk, actor, now)
    return desk.name


def authenticate(session: Session, token: str) -> Principal | None:
    """The caller owning `token`, or None for an unknown or revoked one."""
    if not token:
        return None
    desk = session.scalar(
        select(Desk).where(Desk.token_hash == hash_token(token), Desk.revoked_at.is_(None))
    )
    if desk is None:
        return None
    return Principal(desk_id=desk.id, name=desk.name, role=desk.role)


# --- summaries ----------------------------------------------------------------------------------


def _canonical_row(row: RowInput, *, ratings: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "procedure": row.procedure,
        "name": row.name,
        "field": row.field,
        "counts": {k: getattr(row.counts, k) for k in COUNT_KEYS},
    }
    # Only a row with ratings carries them: a day without any keeps the fingerprint it had
    # before the department stored ratings (migration d0004).
    if ratings and row.ratings != NO_RATINGS:
        out["ratings"] = row.ratings.as_dict()
    return out


def content_hash(rows: tuple[RowInput, ...], *, ratings: bool = True) -> str:
    """A fingerprint of a day's numbers, independent of the rows' order. `ratings` False: as
    the department computed it before it stored ratings (it dropped them)."""
    canonical = sorted(
        (_canonical_row(r, ratings=ratings) for r in rows),
        key=lambda item: str(item["procedure"]),
    )
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _find_summary(session: Session, desk_id: int, day: date, revision: int) -> DaySummary | None:
    return session.scalar(
        select(DaySummary).where(
            DaySummary.desk_id == desk_id, DaySummary.day == day, DaySummary.revision == revision
        )
    )


def store_summary(
    session: Session, caller: Principal, summary: SummaryInput, *, now: Clock = local_now
) -> Receipt:
    """Keep one revision of a desk's day; idempotent per (desk, day, revision).

    A revision already stored with the same numbers is answered with its receipt (duplicate);
    with other numbers it is refused (ConflictError). A new revision becomes the day's current
    one only when it is higher than the current one; otherwise it is kept as superseded.
    """
    if caller.role != DESK_ROLE:
        raise AccessError("Chỉ mã truy cập của bộ phận một cửa mới được gửi số liệu.")
    if len({r.procedure for r in summary.rows}) != len(summary.rows):
        raise ValidationError("Một thủ tục xuất hiện hai lần trong cùng một ngày.", field="rows")
    # On PostgreSQL this row lock queues one desk's posts; SQLite's writer already holds the
    # database's write lock (BEGIN IMMEDIATE), where FOR UPDATE is ignored.
    desk = session.get(Desk, caller.desk_id, with_for_update=True)
    if desk is None:
        raise NotFoundError("Bộ phận một cửa không còn được đăng ký.")
    fingerprint = content_hash(summary.rows)
    existing = _find_summary(session, desk.id, summary.day, summary.revision)
    stamp = now()
    if existing is None:
        try:
            with session.begin_nested():
                existing_new = DaySummary(
                    desk_id=desk.id,
                    day=summary.day,
                    revision=summary.revision,
                    receipt_id=uuid.uuid4().hex,
                    content_hash=fingerprint,
                    received_at=stamp,
                    rows=[
                        SummaryRow(
                            procedure=r.procedure,
                            name=r.name,
                            field=r.field,
                            **{k: getattr(r.counts, k) for k in COUNT_KEYS},
                            **{f"rated_{k}": v for k, v in r.ratings.as_dict().items()},
                        )
                        for r in summary.rows
                    ],
                )
                session.add(existing_new)
                session.flush()
        except IntegrityError:
            # The same revision was stored by a concurrent request in the meantime.
            existing = _find_summary(session, desk.id, summary.day, summary.revision)
            if existing is None:
                raise
        else:
            state = _make_current(session, desk.id, existing_new)
            receipt = existing_new.receipt_id
    if existing is not None:
        if existing.content_hash != fingerprint and not _fill_dropped_ratings(
            existing, summary.rows
        ):
            raise ConflictError(
                f"Ngày {summary.day:%d/%m/%Y} lần gửi {summary.revision} đã nhận với số liệu "
                "khác; lần gửi mới phải có số lần gửi lớn hơn."
            )
        state, receipt = DUPLICATE, existing.receipt_id
    desk.last_contact_at = stamp
    desk.last_software = summary.desk.software
    desk.agency_id = summary.desk.agency_id
    desk.agency_name = summary.desk.agency_name
    desk.unit_name = summary.desk.unit_name
    return Receipt(receipt_id=receipt, day=summary.day, revision=summary.revision, state=state)


def _fill_dropped_ratings(stored: DaySummary, rows: tuple[RowInput, ...]) -> bool:
    """Whether `stored` is this very revision as received before the department kept ratings:
    the same numbers once the ratings are left out, and none stored. Its ratings, sent then and
    dropped, are filled in from the revision sent again; it is then the same revision."""
    if stored.content_hash != content_hash(rows, ratings=False):
        return False
    if any(getattr(r, f"rated_{k}") for r in stored.rows for k in RATING_LEVELS):
        return False
    sent = {r.procedure: r.ratings for r in rows}
    for row in stored.rows:
        for level, n in sent.get(row.procedure, NO_RATINGS).as_dict().items():
            setattr(row, f"rated_{level}", n)
    stored.content_hash = content_hash(rows)
    return True


def _make_current(session: Session, desk_id: int, stored: DaySummary) -> str:
    current = session.get(CurrentDay, (desk_id, stored.day))
    if current is None:
        session.add(
            CurrentDay(
                desk_id=desk_id, day=stored.day, revision=stored.revision, summary_id=stored.id
            )
        )
        return STORED
    if stored.revision > current.revision:
        current.revision = stored.revision
        current.summary_id = stored.id
        return STORED
    return SUPERSEDED


# --- reading ------------------------------------------------------------------------------------


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.", field="to")


def _desk_named(session: Session, name: str) -> Desk:
    desk = session.scalar(
        select(Desk).where(Desk.name_key == name_key(name), Desk.role == DESK_ROLE)
    )
    if desk is None:
        raise NotFoundError(f"Không có bộ phận một cửa tên “{clean_name(name)}”.", field="desk")
    return desk


def _readable_desk_ids(
    session: Session, caller: Principal | None, desk_name: str | None
) -> list[int] | None:
    """The desks whose numbers the caller may read (None: all of them)."""
    if caller is not None and not caller.is_viewer:
        if desk_name is not None and name_key(desk_name) != name_key(caller.name):
            raise AccessError("Bộ phận một cửa chỉ được xem số liệu của chính mình.")
        return [caller.desk_id]
    if desk_name is not None:
        return [_desk_named(session, desk_name).id]
    return None


Sums = TypeVar("Sums", StatCounts, DayRatings)  # what a group adds up over its rows


def _sums_by_group(
    session: Session,
    start: date,
    end: date,
    by: GroupBy,
    caller: Principal | None,
    desk_name: str | None,
    columns: Sequence[ColumnElement[int]],
    make: Callable[[list[int]], Sums],
    zero: Sums,
    *,
    skip_zero: bool,
) -> list[tuple[str, str, Sums]]:
    """(group, label, sums) by field or procedure, in the groups' order: `columns` summed over
    the current revision of each day of [start, end] at the desks `caller` may read (or the
    one named `desk_name`), made into `Sums` by `make`. A procedure renamed within the period
    is labelled with its latest name, the latest among the rows that are not `zero` when
    `skip_zero` (those are left out)."""
    _check_period(start, end)
    desk_ids = _readable_desk_ids(session, caller, desk_name)
    query = (
        select(
            SummaryRow.procedure,
            SummaryRow.name,
            SummaryRow.field,
            func.max(CurrentDay.day),
            *columns,
        )
        .join(CurrentDay, CurrentDay.summary_id == SummaryRow.summary_id)
        .where(CurrentDay.day >= start, CurrentDay.day <= end)
        .group_by(SummaryRow.procedure, SummaryRow.name, SummaryRow.field)
    )
    if desk_ids is not None:
        query = query.where(CurrentDay.desk_id.in_(desk_ids))
    # group -> (day the label was last seen, label, sums)
    groups: dict[str, tuple[date, str, Sums]] = {}
    for procedure, name, field, last_day, *values in session.execute(query):
        found = make([int(v or 0) for v in values])
        if skip_zero and found == zero:
            continue
        key, label = (
            (str(field), str(field)) if by == GroupBy.FIELD else (str(procedure), str(name))
        )
        seen, old_label, acc = groups.get(key, (last_day, label, zero))
        if last_day >= seen:
            seen, old_label = last_day, label
        groups[key] = (seen, old_label, acc + found)
    return [(k, v[1], v[2]) for k, v in sorted(groups.items())]


def consolidated_report(
    session: Session,
    start: date,
    end: date,
    by: GroupBy = GroupBy.FIELD,
    *,
    desk_name: str | None = None,
    caller: Principal | None = None,
) -> ConsolidatedReport:
    """Biểu 06 numbers for [start, end] over all desks (or one), from each day's current revision.

    Flows are summed over the days; what was carried over comes from the first day, what is
    still open from the last day (protocol.py). `caller` None is the department itself (the
    command line): every desk.
    """
    columns: list[ColumnElement[int]] = []
    for key in COUNT_KEYS:
        col = getattr(SummaryRow, key)
        if key in CARRIED_KEYS:
            columns.append(func.sum(case((CurrentDay.day == start, col), else_=0)))
        elif key in CLOSING_KEYS:
            columns.append(func.sum(case((CurrentDay.day == end, col), else_=0)))
        else:
            columns.append(func.sum(col))
    groups = _sums_by_group(
        session,
        start,
        end,
        by,
        caller,
        desk_name,
        columns,
        lambda values: StatCounts(**dict(zip(COUNT_KEYS, values, strict=True))),
        ZERO,
        skip_zero=False,
    )
    # A group with no number at all comes from rows sent for their ratings only (a result handed
    # back of a file settled earlier): the desk's own report has no such row.
    rows = tuple(
        ReportRow(group=key, label=label, counts=counts)
        for key, label, counts in groups
        if counts != ZERO
    )
    total = ZERO
    for r in rows:
        total = total + r.counts
    return ConsolidatedReport(start=start, end=end, by=by, rows=rows, total=total)


def consolidated_ratings(
    session: Session,
    start: date,
    end: date,
    by: GroupBy = GroupBy.FIELD,
    *,
    desk_name: str | None = None,
    caller: Principal | None = None,
) -> RatingsReport:
    """The applicants' ratings given at all desks (or one) in [start, end], by level: summed
    over the days of each day's current revision, grouped by field or procedure like
    `consolidated_report` (same readers, same labels). Only groups with a rating are listed."""
    levels = [func.sum(getattr(SummaryRow, f"rated_{k}")) for k in RATING_LEVELS]
    groups = _sums_by_group(
        session,
        start,
        end,
        by,
        caller,
        desk_name,
        levels,
        lambda values: DayRatings(*values),
        NO_RATINGS,
        skip_zero=True,
    )
    rows = tuple(RatingsRow(key, label, ratings) for key, label, ratings in groups)
    total = NO_RATINGS
    for r in rows:
        total = total + r.ratings
    return RatingsReport(start=start, end=end, by=by, rows=rows, total=total)


def desks_overview(session: Session, caller: Principal | None = None) -> tuple[DeskOverview, ...]:
    """Every desk (or only the caller's own) with its last contact and the days received."""
    query = (
        select(Desk, func.max(CurrentDay.day), func.count(CurrentDay.day))
        .outerjoin(CurrentDay, CurrentDay.desk_id == Desk.id)
        .where(Desk.role == DESK_ROLE)
        .group_by(Desk.id)
        .order_by(Desk.name)
    )
    if caller is not None and not caller.is_viewer:
        query = query.where(Desk.id == caller.desk_id)
    return tuple(
        DeskOverview(
            name=desk.name,
            last_contact_at=desk.last_contact_at,
            software=desk.last_software,
            agency_id=desk.agency_id,
            agency_name=desk.agency_name,
            unit_name=desk.unit_name,
            last_day=last_day,
            days=int(days or 0),
            revoked_at=desk.revoked_at,
        )
        for desk, last_day, days in session.execute(query)
    )


# --- the files' look-up rows and the public page (issue 16) ------------------------------------


@dataclass(frozen=True)
class LookupInput:
    """One file's row as a desk sends it (protocol.LOOKUP_KEYS)."""

    code: str
    procedure: str
    procedure_name: str
    status: int
    due: datetime | None
    settled: datetime | None
    result_ready: bool
    result_by: str
    key_hash: str


@dataclass(frozen=True)
class LookupView:
    """What the public page shows of a file whose look-up key was given."""

    code: str
    procedure: str
    procedure_name: str
    status: int
    due: datetime | None
    settled: datetime | None
    result_ready: bool
    result_by: str


def store_lookup_rows(
    session: Session,
    caller: Principal,
    rows: tuple[LookupInput, ...],
    *,
    now: Clock = local_now,
) -> str:
    """Keep the desk's rows, each replacing the desk's earlier row of the same file (a batch sent
    again changes nothing); the batch's receipt id."""
    if caller.role != DESK_ROLE:
        raise AccessError("Chỉ mã truy cập của bộ phận một cửa mới được gửi số liệu.")
    if len({r.code for r in rows}) != len(rows):
        raise ValidationError("Một hồ sơ xuất hiện hai lần trong cùng một lần gửi.", field="rows")
    stamp = now()
    codes = [r.code for r in rows]
    existing = {
        row.code: row
        for row in session.scalars(
            select(LookupRow).where(LookupRow.desk_id == caller.desk_id, LookupRow.code.in_(codes))
        )
    }
    for r in rows:
        row = existing.get(r.code)
        if row is None:
            row = LookupRow(desk_id=caller.desk_id, code=r.code)
            session.add(row)
        row.procedure, row.procedure_name = r.procedure, r.procedure_name
        row.status, row.due, row.settled = r.status, r.due, r.settled
        row.result_ready, row.result_by, row.key_hash = r.result_ready, r.result_by, r.key_hash
        row.received_at = stamp
    session.flush()
    return f"lookup-{uuid.uuid4().hex}"


def find_lookup(session: Session, code: str, key: str) -> LookupView | None:
    """The file `code` when `key` is its look-up key; None otherwise, the same whether the code
    is unknown or the key wrong or missing."""
    plain = normalise_key(key)
    code = code.strip()
    if len(plain) != KEY_LENGTH or not code or len(code) > 40:
        return None
    wanted = key_hash(plain)
    for row in session.scalars(select(LookupRow).where(LookupRow.code == code)):
        if secrets.compare_digest(row.key_hash, wanted):
            return LookupView(
                code=row.code,
                procedure=row.procedure,
                procedure_name=row.procedure_name,
                status=row.status,
                due=row.due,
                settled=row.settled,
                result_ready=row.result_ready,
                result_by=row.result_by,
            )
    return None
