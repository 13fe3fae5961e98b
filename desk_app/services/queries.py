"""Read-side use cases: one file by code, the work queues, and the search box."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, TextClause, and_, false, func, or_, select, text
from sqlalchemy.orm import Session

from desk_app.domain import codes, people
from desk_app.domain.due import DeadlineState, due_soon_limit
from desk_app.domain.text import fold_tokens
from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services.context import DeskContext, load_context
from desk_app.services.records import file_view, get_file
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileRow, FileView
from desk_app.store.models import Applicant, DeskSettings, FileRecord
from desk_app.store.sqlfn import spelling, values_plan

RUNNING = (int(Status.ACCEPTED), int(Status.PROCESSING))
PAUSED = (int(Status.SUPPLEMENT), int(Status.FINANCIAL))
OPEN = RUNNING + PAUSED


class Queue(StrEnum):
    """The lists an officer works from."""

    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    PAUSED = "paused"
    ALL = "all"

    @property
    def label(self) -> str:
        """The queue's name as the command line prints it (the keys above are its options)."""
        return QUEUE_LABELS[self]


QUEUE_LABELS: dict[Queue, str] = {
    Queue.OPEN: "Đang giải quyết",
    Queue.OVERDUE: "Quá hạn",
    Queue.DUE_SOON: "Sắp đến hạn",
    Queue.PAUSED: "Đang tạm dừng",
    Queue.ALL: "Tất cả",
}

# The same names in English, for the command line run with `--lang en`.
QUEUE_LABELS_EN: dict[Queue, str] = {
    Queue.OPEN: "Open",
    Queue.OVERDUE: "Overdue",
    Queue.DUE_SOON: "Due soon",
    Queue.PAUSED: "Paused",
    Queue.ALL: "All",
}


def show_file(session: Session, code: str) -> FileView:
    return file_view(session, get_file(session, code))


def _rows(session: Session, stmt: Select[int]) -> list[FileRow]:
    from desk_app.services.browse import rows_by_id  # browse builds on this module

    ids = list(session.scalars(stmt))
    found = rows_by_id(session, ids)
    return [found[i] for i in ids if i in found]


def _status_in(statuses: tuple[int, ...]) -> TextClause:
    """`status IN (2, 4)` written out: SQLite uses a partial index only for literal values."""
    return text(f"files.status IN ({', '.join(str(int(v)) for v in statuses)})")


def queue_ids(session: Session, queue: Queue, now: datetime, *, scope: Scope = ALL) -> Select[int]:
    """The ids of a queue in its natural order (most urgent first), as a statement, for the
    files of `scope`'s agencies (ALL: no agency term at all)."""
    stmt = select(FileRecord.id)
    if not scope.is_all:
        stmt = stmt.where(scope.where(FileRecord.agency))
    if queue == Queue.OPEN:
        return stmt.where(_status_in(OPEN)).order_by(
            FileRecord.due_at.is_(None), FileRecord.due_at, FileRecord.id
        )
    if queue == Queue.PAUSED:
        return stmt.where(_status_in(PAUSED)).order_by(FileRecord.received_at)
    if queue == Queue.OVERDUE:
        return stmt.where(*deadline_where(session, DeadlineState.OVERDUE, now)).order_by(
            FileRecord.original_due_at, FileRecord.id
        )
    if queue == Queue.DUE_SOON:
        return stmt.where(
            *deadline_where(session, DeadlineState.DUE_SOON, now, scope=scope)
        ).order_by(FileRecord.original_due_at, FileRecord.id)
    return stmt.order_by(FileRecord.id.desc())


def due_soon_limits(
    session: Session, now: datetime, *, scope: Scope = ALL
) -> dict[datetime, list[int]]:
    """The latest due that is "due soon" at `now`, with the agencies of `scope` it holds for.

    The limit depends on an agency's settings (its office hours and due_soon_days), so agencies
    with other settings may have other limits; agencies that agree share one entry. A solo desk
    (and a centre whose agencies keep the same hours) has exactly one.
    """
    if scope.agencies is None:
        agencies = list(session.scalars(select(DeskSettings.id).order_by(DeskSettings.id)))
    else:
        agencies = sorted(scope.agencies)
    limits: dict[datetime, list[int]] = {}
    for agency in agencies:
        ctx = load_context(session, agency)
        limits.setdefault(due_soon_limit(ctx.calendar, now, ctx.due_soon), []).append(agency)
    return limits


def deadline_where(
    session: Session,
    state: DeadlineState,
    now: datetime,
    ctx: DeskContext | None = None,
    *,
    scope: Scope = ALL,
) -> list[ColumnElement[bool]]:
    """The one SQL test of "overdue" and "due soon" for running files (DOMAIN §4.1 rule 9):
    the queues, the list and the supervisor's watch all filter with it, and `deadline_state`
    colours rows by the same `due_soon_limit`, so the three always agree.

    "Overdue" compares the stored original due with `now`: no agency setting enters it. "Due
    soon" ends at a limit computed from an agency's hours and due_soon_days: `ctx`'s when given,
    else each agency's of `scope`; when they differ the term is an OR of (agency IN those that
    share a limit AND due <= that limit). When every agency has the same limit (a solo desk
    always) the terms are exactly the solo desk's, with no agency column. The terms never
    restrict the agency themselves: callers add `scope.where(FileRecord.agency)`.
    """
    running: ColumnElement[bool] = _status_in(RUNNING)  # type: ignore[assignment]
    if state is DeadlineState.OVERDUE:
        return [running, FileRecord.original_due_at < now]
    if state is DeadlineState.DUE_SOON:
        if ctx is not None:
            limits = {due_soon_limit(ctx.calendar, now, ctx.due_soon): [ctx.agency]}
        else:
            limits = due_soon_limits(session, now, scope=scope)
        if not limits:
            return [running, false()]
        if len(limits) == 1:
            (limit,) = limits
            return [
                running,
                and_(FileRecord.original_due_at >= now, FileRecord.original_due_at <= limit),
            ]
        return [
            running,
            FileRecord.original_due_at >= now,
            or_(
                *(
                    and_(FileRecord.agency.in_(agencies), FileRecord.original_due_at <= limit)
                    for limit, agencies in sorted(limits.items())
                )
            ),
        ]
    raise ValueError(state)


def list_files(
    session: Session,
    queue: Queue,
    now: datetime,
    *,
    limit: int = 50,
    offset: int = 0,
    scope: Scope = ALL,
) -> list[FileRow]:
    stmt = queue_ids(session, queue, now, scope=scope).limit(limit).offset(offset)
    return _rows(session, stmt)


def list_file_views(
    session: Session, queue: Queue, now: datetime, *, limit: int = 50, scope: Scope = ALL
) -> list[FileView]:
    """A queue's files with the fields of `show_file`, without their documents and timeline."""
    ids = list(session.scalars(queue_ids(session, queue, now, scope=scope).limit(limit)))
    return [file_view(session, session.get_one(FileRecord, i), full=False) for i in ids]


def count_queue(session: Session, queue: Queue, now: datetime, *, scope: Scope = ALL) -> int:
    sub = queue_ids(session, queue, now, scope=scope).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(sub)) or 0)


_PHONE_LIKE = re.compile(r"^\+?[\d .\-()]{9,}$")


def name_tokens(text_: str) -> list[str]:
    """The folded words of a name search (letters and digits only)."""
    return [t for t in fold_tokens(text_) if t.isalnum()]


def fts_query(text_: str) -> str | None:
    """An FTS5 query for a folded name: every word must match, the last one as a prefix."""
    tokens = name_tokens(text_)
    if not tokens:
        return None
    quoted = [f'"{t}"' for t in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def name_match_ids(session: Session, text_: str) -> Select[Any] | None:
    """The applicants whose folded name has every word of `text_`, the last one as a prefix
    (None: no word to look for). SQLite asks its FTS5 index; PostgreSQL the same question as
    word-boundary patterns over the folded column, which its trigram index answers."""
    tokens = name_tokens(text_)
    if not tokens:
        return None
    if spelling(session).is_sqlite:
        return (
            select(text("rowid"))
            .select_from(text("applicants_fts"))
            .where(text("applicants_fts MATCH :q").bindparams(q=fts_query(text_)))
        )
    # Tokens are alphanumeric, so they stand in a pattern as they are; \\m and \\M are a word's
    # start and end, as FTS5's tokens are whole words.
    patterns = [f"\\m{t}\\M" for t in tokens[:-1]] + [f"\\m{tokens[-1]}"]
    return select(Applicant.id).where(
        *(Applicant.name_folded.regexp_match(pattern) for pattern in patterns)
    )


def search_files(
    session: Session, query: str, *, limit: int = 50, scope: Scope = ALL
) -> list[FileRow]:
    """The search box: a file code, an identity number, a phone number, or words of a name;
    among the files of `scope`'s agencies, newest receipt first (ties: the later file first).
    Each answer is one statement: the rows come with the match, not in a second query."""
    query = query.strip()
    if not query:
        return []
    compact = "".join(query.split()).upper()
    if codes.is_file_code(query):
        # Codes are stored without spaces: look up the same spelling is_file_code accepted.
        return _file_rows(session, [FileRecord.code == compact], scope)
    digits = re.sub(r"\D", "", query)
    applicant_ids: Select[int]
    if _PHONE_LIKE.match(query) and digits:
        try:
            phone = people.normalise_phone(query)
        except ValidationError:
            phone = digits
        # Tax codes of branches are stored as 0123456789-001, whatever way they are typed.
        id_numbers = {digits, compact}
        if len(digits) == 13:
            id_numbers.add(f"{digits[:10]}-{digits[10:]}")
        applicant_ids = select(Applicant.id).where(
            Applicant.id_number.in_(id_numbers) | (Applicant.phone == phone)
        )
    elif re.fullmatch(r"[A-Z0-9]{6,9}", compact) and re.search(r"\d", compact):
        # A passport number (names have no digits): Vietnamese C1234567 or a foreign one.
        applicant_ids = select(Applicant.id).where(Applicant.id_number == compact)
    else:
        return _name_search(session, query, limit, scope)
    return _newest_rows(session, [FileRecord.applicant_id.in_(applicant_ids)], limit, scope)


def _file_rows(session: Session, where: list[ColumnElement[bool]], scope: Scope) -> list[FileRow]:
    """The list rows of the files meeting `where` (a handful: a code's), in one statement."""
    from desk_app.services.browse import list_row, row_select  # browse builds on this module

    stmt = row_select().where(*where)
    if not scope.is_all:
        stmt = stmt.where(scope.where(FileRecord.agency))
    return [list_row(r) for r in session.execute(stmt.order_by(FileRecord.id.desc()))]


def _newest_rows(
    session: Session, where: list[ColumnElement[bool]], limit: int, scope: Scope
) -> list[FileRow]:
    """The list rows of the newest `limit` files meeting `where`, newest first, in one
    statement: the files are chosen (and limited) in a subquery, which is then joined to the
    row's other tables, so the choice is planned alone."""
    from desk_app.services.browse import list_row, row_select  # browse builds on this module

    hits = select(FileRecord.id, FileRecord.received_at).where(*where)
    if not scope.is_all:
        hits = hits.where(scope.where(FileRecord.agency))
    hit = hits.order_by(*NEWEST).limit(limit).subquery("hit")
    stmt = row_select().join(hit, hit.c.id == FileRecord.id)
    stmt = stmt.order_by(hit.c.received_at.desc(), hit.c.id.desc())
    return [list_row(r) for r in session.execute(stmt)]


# The search's order: newest receipt first, the later file first among receipts of one moment
# (a total order, so every plan gives the same rows in the same order).
NEWEST = (FileRecord.received_at.desc(), FileRecord.id.desc())


def _name_search(session: Session, query: str, limit: int, scope: Scope) -> list[FileRow]:
    """The newest files of the applicants whose folded name has the query's words.

    Two ways to the same rows, and the planner's estimate of how many applicants match picks:
    a rare name's few applicants are found by the name index (FTS5, trigrams) and their files
    sorted; a common name's newest files are found by walking the files newest first (the
    received_at index) and checking each one's applicant, which stops after `limit` matches,
    a few thousand rows whatever the register's size. On PostgreSQL the statement is planned for
    the name at hand each time and without parallel workers (`values_plan`)."""
    by_name = name_match_ids(session, query)
    if by_name is None:
        return []
    with values_plan(session):
        return _newest_rows(session, [FileRecord.applicant_id.in_(by_name)], limit, scope)
