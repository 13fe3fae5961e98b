"""The window's file list: work queues, their live counts, sorted ids first and rows on demand."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session

from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.due import (
    DeadlineState,
    deadline_state,
    describe_remaining,
    remaining_working_time,
)
from desk_app.domain.workflow import Status
from desk_app.services.queries import _status_in, deadline_where
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileRow
from desk_app.store.models import Applicant, FileRecord, PostalItem, Procedure, ScanLine, User
from desk_app.store.types import moment_text


class ListQueue(StrEnum):
    """The queues on the left of the window, in the order they are shown."""

    NEW = "new"
    PROCESSING = "processing"
    SUPPLEMENT = "supplement"
    FINANCIAL = "financial"
    RESULT_READY = "result-ready"
    POSTAL_PENDING = "postal-pending"
    IN_TRANSIT = "in-transit"
    POSTAL_RETURNED = "postal-returned"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    RETURNED = "returned"
    TO_DIGITISE = "to-digitise"  # lines still to scan (Circular 03/2025): not a status queue
    ALL = "all"

    @property
    def label(self) -> str:
        return QUEUE_LABELS[self]


QUEUE_LABELS: dict[ListQueue, str] = {
    ListQueue.NEW: "Mới tiếp nhận",
    ListQueue.PROCESSING: "Đang xử lý",
    ListQueue.SUPPLEMENT: "Chờ bổ sung",
    ListQueue.FINANCIAL: "Chờ nghĩa vụ tài chính",
    ListQueue.RESULT_READY: "Có kết quả chờ trả",
    ListQueue.POSTAL_PENDING: "Chờ giao bưu chính",
    ListQueue.IN_TRANSIT: "Đang chuyển phát",
    ListQueue.POSTAL_RETURNED: "Chuyển hoàn",
    ListQueue.DUE_SOON: "Sắp đến hạn",
    ListQueue.OVERDUE: "Quá hạn",
    ListQueue.RETURNED: "Đã trả",
    ListQueue.TO_DIGITISE: "Chờ số hóa",
    ListQueue.ALL: "Tất cả",
}


# The lines still to scan, the papers' and the result's, as the partial index
# ix_scan_lines_open says it (migrations 0015, 0016).
OPEN_LINES = "state IN ('pending', 'scan_later')"


class SortKey(StrEnum):
    """Columns the list can be sorted by; NATURAL is each queue's most-urgent-first order."""

    NATURAL = "natural"
    CODE = "code"
    APPLICANT = "applicant"
    PROCEDURE = "procedure"
    RECEIVED = "received"
    DUE = "due"
    STATUS = "status"
    OFFICER = "officer"


@dataclass(frozen=True)
class ListRow(FileRow):
    """A list line with what the window's colours and columns need besides a FileRow."""

    outcome: str | None
    result_by: str
    # The file's agency (desk_settings.id): its hours and due_soon_days colour the row.
    agency: int = 1


@dataclass(frozen=True)
class Deadline:
    """A row's deadline as the list shows it: a state for the colour and words for the column."""

    state: DeadlineState | None  # None: closed or settled files have no running clock
    words: str


def _status_is(*statuses: Status) -> ColumnElement[bool]:
    # Literal values so that SQLite can pick the (status, result_by) index.
    return _status_in(tuple(int(s) for s in statuses))  # type: ignore[return-value]


def _has_item(*states: str) -> ColumnElement[bool]:
    """The file has an outgoing postal item in one of `states`."""
    return (
        select(PostalItem.id)
        .where(
            PostalItem.file_id == FileRecord.id,
            PostalItem.direction == "out",
            PostalItem.state.in_(states),
        )
        .exists()
    )


def _filter(
    session: Session, queue: ListQueue, now: datetime, scope: Scope = ALL
) -> list[ColumnElement[bool]]:
    """The WHERE terms of a queue, for the files of `scope`'s agencies (ALL: no term)."""
    terms = _queue_filter(session, queue, now, scope)
    if not scope.is_all:
        terms.append(scope.where(FileRecord.agency))
    return terms


def _queue_filter(
    session: Session, queue: ListQueue, now: datetime, scope: Scope
) -> list[ColumnElement[bool]]:
    if queue == ListQueue.NEW:
        return [_status_is(Status.ACCEPTED)]
    if queue == ListQueue.PROCESSING:
        return [_status_is(Status.PROCESSING)]
    if queue == ListQueue.SUPPLEMENT:
        return [_status_is(Status.SUPPLEMENT)]
    if queue == ListQueue.FINANCIAL:
        return [_status_is(Status.FINANCIAL)]
    if queue == ListQueue.RESULT_READY:
        return [_status_is(Status.SETTLED), FileRecord.result_by == "counter"]
    if queue == ListQueue.POSTAL_PENDING:
        # Result by post, not yet with the post and not back from it.
        return [
            _status_is(Status.SETTLED),
            FileRecord.result_by == "post",
            ~_has_item("handed", "failed", "returned"),
        ]
    if queue == ListQueue.IN_TRANSIT:
        return [_status_is(Status.SETTLED), _has_item("handed", "failed")]
    if queue == ListQueue.POSTAL_RETURNED:
        # Back to sender and not sent again: someone should call the applicant.
        return [
            _status_is(Status.SETTLED),
            _has_item("returned"),
            ~_has_item("handed", "failed"),
        ]
    if queue == ListQueue.RETURNED:
        return [_status_is(Status.RETURNED)]
    if queue == ListQueue.OVERDUE:
        # No agency setting enters "overdue": the stored original due against `now`.
        return list(deadline_where(session, DeadlineState.OVERDUE, now))
    if queue == ListQueue.DUE_SOON:
        # The limit is each agency's (its hours and due_soon_days); see deadline_where.
        return list(deadline_where(session, DeadlineState.DUE_SOON, now, scope=scope))
    if queue == ListQueue.TO_DIGITISE:
        # Through the partial index of the open lines (its WHERE spelled the same, literally).
        still = select(ScanLine.file_id).where(text(OPEN_LINES))
        return [
            FileRecord.id.in_(still),
            # Papers not kept: a file only registered, refused, or withdrawn by its applicant.
            FileRecord.status.not_in(
                [int(Status.REGISTERED), int(Status.REFUSED), int(Status.WITHDRAWN)]
            ),
        ]
    return []


def _natural_order(queue: ListQueue) -> list[Any]:
    if queue in (ListQueue.OVERDUE, ListQueue.DUE_SOON):
        return [FileRecord.original_due_at, FileRecord.id]
    if queue in (ListQueue.NEW, ListQueue.PROCESSING):
        return [FileRecord.due_at, FileRecord.id]
    if queue in (ListQueue.SUPPLEMENT, ListQueue.FINANCIAL, ListQueue.TO_DIGITISE):
        return [FileRecord.received_at, FileRecord.id]
    if queue in (
        ListQueue.RESULT_READY,
        ListQueue.POSTAL_PENDING,
        ListQueue.IN_TRANSIT,
        ListQueue.POSTAL_RETURNED,
    ):
        return [FileRecord.settled_at, FileRecord.id]  # waiting longest first
    return [FileRecord.id.desc()]


def queue_statement(
    session: Session,
    queue: ListQueue,
    now: datetime,
    sort: SortKey = SortKey.NATURAL,
    descending: bool = False,
    *,
    scope: Scope = ALL,
) -> Select[int]:
    """`SELECT files.id` for a queue in the requested order (ties broken by id)."""
    stmt = select(FileRecord.id).where(*_filter(session, queue, now, scope))
    if sort == SortKey.NATURAL:
        return stmt.order_by(*_natural_order(queue))
    key: Any
    if sort == SortKey.APPLICANT:
        stmt = stmt.join(Applicant, Applicant.id == FileRecord.applicant_id)
        key = Applicant.name_folded
    elif sort == SortKey.PROCEDURE:
        stmt = stmt.join(Procedure, Procedure.id == FileRecord.procedure_id)
        key = Procedure.code
    elif sort == SortKey.OFFICER:
        stmt = stmt.outerjoin(User, User.id == FileRecord.officer_id)
        key = func.coalesce(User.full_name, "")
    else:
        key = {
            SortKey.CODE: FileRecord.code,
            SortKey.RECEIVED: FileRecord.received_at,
            SortKey.DUE: FileRecord.due_at,
            SortKey.STATUS: FileRecord.status,
        }[sort]
    if descending:
        return stmt.order_by(key.desc(), FileRecord.id.desc())
    return stmt.order_by(key.asc(), FileRecord.id)


def queue_ids(
    session: Session,
    queue: ListQueue,
    now: datetime,
    sort: SortKey = SortKey.NATURAL,
    descending: bool = False,
    *,
    scope: Scope = ALL,
) -> array[int]:
    """All ids of a queue in order, packed (8 bytes each): the list model's backbone."""
    stmt = queue_statement(session, queue, now, sort, descending, scope=scope)
    # A million ids through the SQLAlchemy result layer take seconds; the driver's own cursor
    # hands over plain tuples ten times faster. The statement is still built (and its
    # parameters bound) by SQLAlchemy, in the paramstyle of the session's driver (positional
    # for sqlite3, named for psycopg).
    compiled = stmt.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    bound: Sequence[object] | dict[str, object]
    if compiled.positional:
        bound = [_driver_value(params[name]) for name in compiled.positiontup or ()]
    else:
        bound = {name: _driver_value(value) for name, value in params.items()}
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), bound)
        ids: array[int] = array("q")
        while rows := cursor.fetchmany(100_000):
            ids.extend(row[0] for row in rows)
    finally:
        cursor.close()
    return ids


def _driver_value(value: object) -> object:
    """Bound values as the columns store them: moments as 'YYYY-MM-DD HH:MM:SS', enumerations
    as their plain values (a driver need not know the program's enum classes)."""
    if isinstance(value, datetime):
        return moment_text(value)
    if isinstance(value, Enum):
        return value.value
    return value


def queue_count(session: Session, queue: ListQueue, now: datetime, *, scope: Scope = ALL) -> int:
    stmt = select(func.count()).select_from(FileRecord).where(*_filter(session, queue, now, scope))
    return int(session.scalar(stmt) or 0)


def queues_listing(
    session: Session, file_id: int, now: datetime, *, scope: Scope = ALL
) -> frozenset[ListQueue]:
    """The queues whose list holds the file at `now` (empty when there is no such file): the
    window asks after a step, to keep the file selected in a queue that shows it."""
    found = set()
    for queue in ListQueue:
        stmt = select(FileRecord.id).where(
            FileRecord.id == file_id, *_filter(session, queue, now, scope)
        )
        if session.scalar(stmt.limit(1)) is not None:
            found.add(queue)
    return frozenset(found)


def queue_counts(session: Session, now: datetime, *, scope: Scope = ALL) -> dict[ListQueue, int]:
    """Every queue's count. The status queues come from one grouped scan of the status index."""
    by_status: dict[tuple[int, str], int] = {
        (int(status), str(result_by)): int(n)
        for status, result_by, n in session.execute(
            select(FileRecord.status, FileRecord.result_by, func.count())
            .where(*_filter(session, ListQueue.ALL, now, scope))  # ALL: no WHERE at all
            .group_by(FileRecord.status, FileRecord.result_by)
        )
    }

    def of(status: Status, result_by: str | None = None) -> int:
        return sum(
            n
            for (s, r), n in by_status.items()
            if s == int(status) and (result_by is None or r == result_by)
        )

    def count(queue: ListQueue) -> int:
        return queue_count(session, queue, now, scope=scope)

    return {
        ListQueue.NEW: of(Status.ACCEPTED),
        ListQueue.PROCESSING: of(Status.PROCESSING),
        ListQueue.SUPPLEMENT: of(Status.SUPPLEMENT),
        ListQueue.FINANCIAL: of(Status.FINANCIAL),
        ListQueue.RESULT_READY: of(Status.SETTLED, "counter"),
        ListQueue.POSTAL_PENDING: count(ListQueue.POSTAL_PENDING),
        ListQueue.IN_TRANSIT: count(ListQueue.IN_TRANSIT),
        ListQueue.POSTAL_RETURNED: queue_count(
            session, ListQueue.POSTAL_RETURNED, now, scope=scope
        ),
        ListQueue.DUE_SOON: count(ListQueue.DUE_SOON),
        ListQueue.OVERDUE: count(ListQueue.OVERDUE),
        ListQueue.RETURNED: of(Status.RETURNED),
        ListQueue.TO_DIGITISE: count(ListQueue.TO_DIGITISE),
        ListQueue.ALL: sum(by_status.values()),
    }


def row_select() -> Select[*tuple[Any, ...]]:
    """The columns of a list row (`list_row` makes one of a result row), joined; the caller
    adds which files and in what order."""
    return (
        select(
            FileRecord.id,
            FileRecord.code,
            FileRecord.status,
            Applicant.name,
            Procedure.code,
            Procedure.name,
            FileRecord.received_at,
            FileRecord.due_at,
            FileRecord.original_due_at,
            User.full_name,
            FileRecord.outcome,
            FileRecord.result_by,
            FileRecord.agency,
        )
        .join(Applicant, Applicant.id == FileRecord.applicant_id)
        .join(Procedure, Procedure.id == FileRecord.procedure_id)
        .outerjoin(User, User.id == FileRecord.officer_id)
    )


def list_row(r: Any) -> ListRow:
    """A row of `row_select()` as a ListRow."""
    return ListRow(
        r[0], r[1], Status(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]
    )


def rows_by_id(session: Session, ids: Sequence[int]) -> dict[int, ListRow]:
    """The list rows of `ids` (any order; missing ids are simply absent)."""
    if not ids:
        return {}
    found = session.execute(row_select().where(FileRecord.id.in_(list(ids)))).all()
    return {r[0]: list_row(r) for r in found}


OUTCOME_WORDS = {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}


def row_deadline(
    row: ListRow, calendar: WorkCalendar, now: datetime, due_soon: timedelta
) -> Deadline:
    """State and words for a list row (see `deadline_of`)."""
    return deadline_of(row.status, row.original_due, row.outcome, calendar, now, due_soon)


def deadline_of(
    status: Status,
    original_due: datetime | None,
    outcome: str | None,
    calendar: WorkCalendar,
    now: datetime,
    due_soon: timedelta,
) -> Deadline:
    """State and words for a file: running clocks against the rule's (original) due moment,
    as the overdue queue counts them; paused clocks grey; settled files by their outcome."""
    if status in (Status.SUPPLEMENT, Status.FINANCIAL):
        return Deadline(DeadlineState.PAUSED, "tạm dừng")
    if status in (Status.ACCEPTED, Status.PROCESSING):
        if original_due is None:
            return Deadline(DeadlineState.IN_TIME, "không quy định thời hạn")
        state = deadline_state(calendar, original_due, now, paused=False, due_soon=due_soon)
        left = remaining_working_time(calendar, original_due, now)
        words = describe_remaining(left, calendar.day_length)
        if state == DeadlineState.OVERDUE and left >= timedelta(0):
            words = "quá hạn"
        return Deadline(state, words)
    if outcome:
        return Deadline(None, OUTCOME_WORDS.get(outcome, outcome))
    return Deadline(None, "")
