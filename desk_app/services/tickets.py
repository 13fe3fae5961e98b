"""A place in the queue (issue 16): tickets (số thứ tự) per service group, called by the counters.

A ticket is issued for a group (`issue_ticket`) with the group's next number of the day: the named
counter `ticket:<group>:<yymmdd>` is taken atomically (INSERT … ON CONFLICT … RETURNING, as the
file codes and register numbers are), so numbers never repeat within a group's day however many
counters and kiosks issue at once, and start at 1 again the next day; the database refuses a
number twice as well (uq_tickets_group_day_number).

A counter calls the next waiting ticket of the groups it serves (`call_next`): the oldest of the
day, picked with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and under the writers' lock on
SQLite, and moved with a guarded UPDATE (only while still waiting), so two counters calling at once
never take the same ticket. Calling the next number finishes the counter's current ticket
(served). `recall` calls the current number again, `skip` gives up on it (the applicant did not
come), `link_ticket_to_file` ties it to the file received for it. `queue_times` gives the waiting
time (issued → called) and service time (called → finished) per group and officer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desk_app.errors import NotFoundError, ValidationError
from desk_app.services.context import SOLO_AGENCY, Actor, next_counter
from desk_app.services.records import get_file
from desk_app.store.models import DeskSettings, Ticket, TicketGroup, User

STATUS_LABELS: dict[str, str] = {
    "waiting": "Đang chờ",
    "called": "Đang phục vụ",
    "served": "Đã phục vụ",
    "skipped": "Bỏ qua",
}


@dataclass(frozen=True)
class GroupView:
    """A service group of the hall's queue."""

    id: int
    agency: int
    prefix: str
    name: str
    active: bool


@dataclass(frozen=True)
class TicketView:
    """A ticket as the counter, the printer and the hall see it."""

    id: int
    label: str  # "A012": the group's letter and the day's number
    number: int
    group_id: int
    group_prefix: str
    group_name: str
    day: date
    status: str
    issued_at: datetime
    called_at: datetime | None
    counter: str | None
    recalls: int
    file_id: int | None
    # People of the same group waiting before this ticket (when issued: ahead of it in the queue).
    waiting: int


@dataclass(frozen=True)
class QueueTimes:
    """The waiting and service times of one group's tickets served by one officer."""

    group_prefix: str
    group_name: str
    officer: str
    served: int
    skipped: int
    wait_minutes: float  # mean, issued → called
    service_minutes: float  # mean, called → finished (served tickets)


def label(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"


def _counter_of(actor: Actor) -> str:
    """The counter's name as the queue knows it (the computer's counter, else the officer)."""
    return actor.counter or actor.username or actor.name


def _group_view(group: TicketGroup) -> GroupView:
    return GroupView(group.id, group.agency, group.prefix, group.name, group.active)


def groups(
    session: Session, agency: int | None = None, *, active_only: bool = True
) -> list[GroupView]:
    query = select(TicketGroup).order_by(TicketGroup.agency, TicketGroup.prefix)
    if agency is not None:
        query = query.where(TicketGroup.agency == agency)
    if active_only:
        query = query.where(TicketGroup.active.is_(True))
    return [_group_view(g) for g in session.scalars(query)]


def add_group(session: Session, prefix: str, name: str, agency: int = SOLO_AGENCY) -> GroupView:
    """A new service group; its `prefix` is one to four letters, unique within the agency."""
    prefix = prefix.strip().upper()
    name = " ".join(name.split())
    if not (1 <= len(prefix) <= 4 and prefix.isascii() and prefix.isalpha()):
        raise ValidationError(
            "Ký hiệu nhóm gồm 1 đến 4 chữ cái không dấu (ví dụ A).", field="prefix"
        )
    if not name or len(name) > 200:
        raise ValidationError("Tên nhóm không được để trống (tối đa 200 ký tự).", field="name")
    taken = session.scalar(
        select(TicketGroup.id).where(TicketGroup.agency == agency, TicketGroup.prefix == prefix)
    )
    if taken is not None:
        raise ValidationError(f"Đã có nhóm ký hiệu {prefix}.", field="prefix")
    group = TicketGroup(agency=agency, prefix=prefix, name=name, active=True)
    session.add(group)
    session.flush()
    return _group_view(group)


def _group(session: Session, group_id: int) -> TicketGroup:
    group = session.get(TicketGroup, group_id)
    if group is None or not group.active:
        raise NotFoundError("Không có nhóm dịch vụ này.", field="group")
    return group


def _waiting_before(session: Session, ticket: Ticket) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.group_id == ticket.group_id,
                Ticket.day == ticket.day,
                Ticket.status == "waiting",
                Ticket.number < ticket.number,
            )
        )
        or 0
    )


def _view(session: Session, ticket: Ticket) -> TicketView:
    group = session.get(TicketGroup, ticket.group_id)
    assert group is not None
    return TicketView(
        id=ticket.id,
        label=label(group.prefix, ticket.number),
        number=ticket.number,
        group_id=group.id,
        group_prefix=group.prefix,
        group_name=group.name,
        day=ticket.day,
        status=ticket.status,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
        counter=ticket.counter_name,
        recalls=ticket.recalls,
        file_id=ticket.file_id,
        waiting=_waiting_before(session, ticket),
    )


def issue_ticket(session: Session, group_id: int, now: datetime) -> TicketView:
    """Hand out the group's next number of the day (the caller holds the writers' lock)."""
    group = _group(session, group_id)
    day = now.date()
    number = next_counter(session, f"ticket:{group.id}:{day:%y%m%d}")
    ticket = Ticket(
        group_id=group.id, day=day, number=number, status="waiting", issued_at=now, recalls=0
    )
    session.add(ticket)
    session.flush()
    return _view(session, ticket)


def waiting_count(session: Session, group_ids: Iterable[int], day: date) -> int:
    ids = list(group_ids)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.day == day, Ticket.status == "waiting", Ticket.group_id.in_(ids))
        )
        or 0
    )


def current_ticket(session: Session, actor: Actor, now: datetime) -> TicketView | None:
    """The ticket the actor's counter is serving today, if any."""
    ticket = _current(session, actor, now.date())
    return None if ticket is None else _view(session, ticket)


def _current(session: Session, actor: Actor, day: date) -> Ticket | None:
    return session.scalars(
        select(Ticket)
        .where(
            Ticket.day == day,
            Ticket.status == "called",
            Ticket.counter_name == _counter_of(actor),
        )
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(1)
    ).first()


def call_next(
    session: Session, actor: Actor, group_ids: Sequence[int], now: datetime
) -> TicketView | None:
    """Finish the counter's current ticket and call the oldest waiting one of `group_ids` today;
    None when nobody waits. Two counters calling at once never take the same ticket."""
    day = now.date()
    counter = _counter_of(actor)
    current = _current(session, actor, day)
    if current is not None:
        current.status = "served"
        current.finished_at = now
    ids = list(group_ids)
    if not ids:
        raise ValidationError("Chưa chọn nhóm dịch vụ để gọi số.", field="group")
    while True:
        candidate = session.scalars(
            select(Ticket)
            .where(Ticket.day == day, Ticket.status == "waiting", Ticket.group_id.in_(ids))
            .order_by(Ticket.issued_at, Ticket.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None:
            session.flush()
            return None
        taken = session.execute(
            update(Ticket)
            .where(Ticket.id == candidate.id, Ticket.status == "waiting")
            .values(status="called", called_at=now, counter_name=counter, officer_id=actor.user_id)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) == 1:
            session.refresh(candidate)
            return _view(session, candidate)
        session.expire(candidate)  # another counter took it between the read and the update


def _called(session: Session, ticket_id: int, actor: Actor) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError("Không tìm thấy số thứ tự này.", field="ticket")
    if ticket.status != "called" or ticket.counter_name != _counter_of(actor):
        raise ValidationError(
            f"Số {ticket.number:03d} không phải số quầy này đang phục vụ.", field="ticket"
        )
    return ticket


def recall(session: Session, ticket_id: int, actor: Actor) -> TicketView:
    """Call the counter's current number again (the applicant did not hear it)."""
    ticket = _called(session, ticket_id, actor)
    ticket.recalls += 1
    session.flush()
    return _view(session, ticket)


def skip(session: Session, ticket_id: int, actor: Actor, now: datetime) -> TicketView:
    """Give up on the counter's current number (the applicant did not come)."""
    ticket = _called(session, ticket_id, actor)
    ticket.status = "skipped"
    ticket.finished_at = now
    session.flush()
    return _view(session, ticket)


def link_ticket_to_file(
    session: Session, ticket_id: int, file_code: str, now: datetime
) -> TicketView:
    """Tie a called ticket to the file received for it; the ticket is then served."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError("Không tìm thấy số thứ tự này.", field="ticket")
    if ticket.status not in ("called", "served"):
        raise ValidationError("Số thứ tự này chưa được gọi.", field="ticket")
    record = get_file(session, file_code)
    ticket.file_id = record.id
    if ticket.status == "called":
        ticket.status = "served"
        ticket.finished_at = now
    session.flush()
    return _view(session, ticket)


def link_called_ticket(
    session: Session, ticket_id: int | None, file_code: str, now: datetime
) -> TicketView | None:
    """As `link_ticket_to_file` for the intake's save, in its transaction: nothing when there is
    no ticket or it is no longer being called (skipped, or served by another step)."""
    if ticket_id is None:
        return None
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.status != "called":
        return None
    return link_ticket_to_file(session, ticket_id, file_code, now)


def queue_times(session: Session, start: date, end: date) -> list[QueueTimes]:
    """Per group and officer, the tickets called from `start` to `end` (inclusive): how many
    were served and skipped, the mean waiting and service times in minutes."""
    rows = session.execute(
        select(Ticket, TicketGroup.prefix, TicketGroup.name, User.full_name)
        .join(TicketGroup, TicketGroup.id == Ticket.group_id)
        .outerjoin(User, User.id == Ticket.officer_id)
        .where(
            Ticket.day >= start,
            Ticket.day <= end,
            Ticket.status.in_(("served", "skipped")),
        )
    ).all()
    sums: dict[tuple[str, str, str], list[float]] = {}
    for ticket, prefix, name, officer in rows:
        key = (prefix, name, officer or "")
        acc = sums.setdefault(key, [0, 0, 0.0, 0.0])
        assert ticket.called_at is not None
        acc[2] += (ticket.called_at - ticket.issued_at).total_seconds() / 60
        if ticket.status == "served":
            acc[0] += 1
            if ticket.finished_at is not None:
                acc[3] += (ticket.finished_at - ticket.called_at).total_seconds() / 60
        else:
            acc[1] += 1
    return [
        QueueTimes(
            group_prefix=prefix,
            group_name=name,
            officer=officer,
            served=int(acc[0]),
            skipped=int(acc[1]),
            wait_minutes=round(acc[2] / (acc[0] + acc[1]), 1),
            service_minutes=round(acc[3] / acc[0], 1) if acc[0] else 0.0,
        )
        for (prefix, name, officer), acc in sorted(sums.items())
    ]


def ticket_pdf(session: Session, ticket: TicketView) -> bytes:
    """The ticket's PDF for an ordinary printer (printing/ticket.py), with its agency's name."""
    from desk_app.printing.ticket import TicketSlip
    from desk_app.printing.ticket import ticket_pdf as render

    group = session.get(TicketGroup, ticket.group_id)
    agency = session.get(DeskSettings, group.agency) if group is not None else None
    name = (agency.short_name or agency.agency_name) if agency is not None else ""
    return render(
        TicketSlip(ticket.label, ticket.group_name, ticket.issued_at, ticket.waiting, name)
    )
