"""The applicant's rating of the service at the counter (issue 16).

When the officer finishes a service for a file — accepting it, refusing it at intake, returning
its result — `open_visit` writes a visit with a random token; the applicant's screen shows the
question and answers that token once with `record_rating`. A visit is rated at most once, within
`VISIT_TTL` of its opening; the database refuses any other change (migration 0018's trigger), so
nobody at the counter can alter or remove what the applicant said.

`rating_counts` and `total_counts` count the visits of a period by level: a rated visit by the day
it was rated, a visit never rated by the day it was opened.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk_app.domain.text import check_text, sort_key
from desk_app.errors import ValidationError
from desk_app.services.context import Actor
from desk_app.services.records import get_file
from desk_app.services.scope import ALL, Scope
from desk_app.store.models import DeskSettings, FileRecord, Procedure, Rating, User

# How long after the service the applicant may still rate it.
VISIT_TTL = timedelta(minutes=30)
COMMENT_LIMIT = 500
SERVICES: dict[str, str] = {
    "accept": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "return": "Trả kết quả",
}
BY = ("officer", "procedure", "agency", "service")


class Level(IntEnum):
    """How satisfied the applicant was."""

    DISSATISFIED = 1
    SATISFIED = 2
    VERY_SATISFIED = 3

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    Level.DISSATISFIED: "Không hài lòng",
    Level.SATISFIED: "Hài lòng",
    Level.VERY_SATISFIED: "Rất hài lòng",
}

REASONS: tuple[tuple[str, str], ...] = (
    ("thai_do", "Thái độ phục vụ"),
    ("thoi_gian_cho", "Thời gian chờ"),
    ("huong_dan", "Hướng dẫn, giải thích"),
    ("thu_tuc", "Thủ tục, giấy tờ"),
    ("co_so", "Cơ sở vật chất"),
)
_REASON_KEYS = frozenset(key for key, _label in REASONS)

ALREADY_RATED = "Lượt phục vụ này đã được đánh giá."


@dataclass(frozen=True)
class Visit:
    """A finished service waiting for the applicant's rating."""

    token: str
    file_code: str
    procedure_name: str
    officer: str | None
    counter: str | None
    service: str
    opened_at: datetime


@dataclass(frozen=True)
class RatingView:
    """A rating as given."""

    token: str
    file_code: str
    level: Level
    reasons: tuple[str, ...]
    comment: str
    rated_at: datetime


@dataclass(frozen=True)
class RatingCounts:
    """Visits by level, and those never rated."""

    very_satisfied: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    not_rated: int = 0

    @property
    def total_rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    @property
    def share_satisfied(self) -> float | None:
        """Very satisfied and satisfied over the rated visits; None when none was rated."""
        rated = self.total_rated
        return None if rated == 0 else (self.very_satisfied + self.satisfied) / rated

    @property
    def average(self) -> float | None:
        """The mean level (1..3) of the rated visits; None when none was rated."""
        rated = self.total_rated
        if rated == 0:
            return None
        return (3 * self.very_satisfied + 2 * self.satisfied + self.dissatisfied) / rated

    def plus(self, level: int | None, n: int) -> RatingCounts:
        return RatingCounts(
            self.very_satisfied + (n if level == Level.VERY_SATISFIED else 0),
            self.satisfied + (n if level == Level.SATISFIED else 0),
            self.dissatisfied + (n if level == Level.DISSATISFIED else 0),
            self.not_rated + (n if level is None else 0),
        )


def open_visit(
    session: Session,
    file: str,
    service: str,
    actor: Actor,
    now: datetime,
    *,
    counter: str | None = None,
) -> Visit:
    """A new visit of file `file` (its code) for `service` (accept, refuse or return) by
    `actor` at `counter` (by default the actor's), to be rated on the applicant's screen."""
    if service not in SERVICES:
        raise ValidationError(f"Loại phục vụ không hợp lệ: {service}.", field="service")
    record = get_file(session, file)
    counter_name = (counter if counter is not None else actor.counter) or None
    row = Rating(
        token=secrets.token_urlsafe(18),
        file_id=record.id,
        agency=record.agency,
        officer_id=actor.user_id,
        counter_name=counter_name,
        service=service,
        opened_at=now,
    )
    session.add(row)
    session.flush()
    procedure = session.get(Procedure, record.procedure_id)
    officer = session.get(User, actor.user_id) if actor.user_id is not None else None
    return Visit(
        token=row.token,
        file_code=record.code,
        procedure_name=procedure.name if procedure is not None else "",
        officer=officer.full_name if officer is not None else None,
        counter=counter_name,
        service=service,
        opened_at=now.replace(microsecond=0),
    )


def visit_level(session: Session, token: str) -> Level | None:
    """The level given to the visit `token`, None while it is not rated (or is unknown)."""
    level = session.scalar(select(Rating.level).where(Rating.token == token))
    return None if level is None else Level(level)


def record_rating(
    session: Session,
    token: str,
    level: Level,
    reasons: Sequence[str],
    comment: str,
    now: datetime,
) -> RatingView:
    """The applicant's rating of visit `token`, given `now`; once per visit."""
    row = session.scalars(
        select(Rating).where(Rating.token == token).with_for_update()
    ).one_or_none()
    if row is None:
        raise ValidationError("Không tìm thấy lượt phục vụ cần đánh giá.", field="token")
    if row.level is not None:
        raise ValidationError(ALREADY_RATED, field="token")
    if now - row.opened_at > VISIT_TTL:
        raise ValidationError(
            "Lượt phục vụ này đã quá thời gian đánh giá "
            f"({int(VISIT_TTL.total_seconds() // 60)} phút sau khi phục vụ).",
            field="token",
        )
    try:
        level = Level(int(level))
    except ValueError:
        raise ValidationError("Mức đánh giá không hợp lệ.", field="level") from None
    keys: list[str] = []
    for key in reasons:
        if key not in _REASON_KEYS:
            raise ValidationError(f"Lý do đánh giá không hợp lệ: {key}.", field="reasons")
        if key not in keys:
            keys.append(key)
    text = check_text(comment, field="comment", label="Góp ý", limit=COMMENT_LIMIT, multiline=True)
    row.level = int(level)
    row.reasons = json.dumps(keys) if keys else None
    row.comment = text or None
    row.rated_at = now
    session.flush()
    code = session.scalar(select(FileRecord.code).where(FileRecord.id == row.file_id)) or ""
    return RatingView(
        token=row.token,
        file_code=code,
        level=level,
        reasons=tuple(keys),
        comment=text,
        rated_at=now.replace(microsecond=0),
    )


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def _in_period(start: date, end: date, scope: Scope) -> ColumnElement[bool]:
    lo, hi = _bounds(start, end)
    return and_(
        scope.where(Rating.agency),
        or_(
            and_(Rating.rated_at.is_not(None), Rating.rated_at >= lo, Rating.rated_at < hi),
            and_(Rating.rated_at.is_(None), Rating.opened_at >= lo, Rating.opened_at < hi),
        ),
    )


def rating_counts(
    session: Session, start: date, end: date, *, scope: Scope = ALL, by: str = "officer"
) -> list[tuple[str, str, RatingCounts]]:
    """(key, label, counts) of the visits from `start` to `end` (both included) in `scope`,
    by officer (key the user id, "" for none), procedure (its code), agency (its id) or service
    (accept, refuse, return), ordered by label in Vietnamese dictionary order (`sort_key`)."""
    if by not in BY:
        raise ValueError(f"rating_counts by {by!r}")
    where = _in_period(start, end, scope)
    key: InstrumentedAttribute[Any]
    label: InstrumentedAttribute[Any]
    stmt: Select[Any, Any, Any, Any, Any]
    if by == "officer":
        key, label = Rating.officer_id, User.full_name
        stmt = select(key, label, label, Rating.level, func.count()).outerjoin(
            User, User.id == Rating.officer_id
        )
    elif by == "procedure":
        key, label = Procedure.code, Procedure.name
        stmt = (
            select(key, label, label, Rating.level, func.count())
            .join(FileRecord, FileRecord.id == Rating.file_id)
            .join(Procedure, Procedure.id == FileRecord.procedure_id)
        )
    elif by == "agency":
        key, label = Rating.agency, DeskSettings.short_name
        stmt = select(key, label, DeskSettings.agency_name, Rating.level, func.count()).join(
            DeskSettings, DeskSettings.id == Rating.agency
        )
    else:
        key = label = Rating.service
        stmt = select(key, label, label, Rating.level, func.count())
    grouped = stmt.where(where).group_by(*stmt.selected_columns[:4])
    counts: dict[str, tuple[str, RatingCounts]] = {}
    for k, first, second, level, n in session.execute(grouped).all():
        text_key = "" if k is None else str(k)
        name = first
        if by == "officer":
            name = first or "Không rõ cán bộ"
        elif by == "agency":
            name = first or second
        elif by == "service":
            name = SERVICES.get(str(k), str(k))
        _label, before = counts.get(text_key, (str(name), RatingCounts()))
        counts[text_key] = (str(name), before.plus(level, int(n)))
    return sorted(
        ((k, name, c) for k, (name, c) in counts.items()),
        key=lambda row: (sort_key(row[1]), row[0]),
    )


def total_counts(session: Session, start: date, end: date, *, scope: Scope = ALL) -> RatingCounts:
    """Every visit from `start` to `end` (both included) in `scope`, by level."""
    total = RatingCounts()
    rows = session.execute(
        select(Rating.level, func.count())
        .where(_in_period(start, end, scope))
        .group_by(Rating.level)
    ).all()
    for level, n in rows:
        total = total.plus(level, int(n))
    return total
