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
time (issued → called) and service time (called → finished) per group and officer;
`queue_report` the same for the supervisor's page with the tickets issued and the 90th
percentiles.

Groups are managed by an administrator (`add_group`, `rename_group`, `retire_group`,
`reopen_group`): a retired group issues no ticket but keeps its history; its letter may serve a
new group from the day after it last issued a ticket (two "A012" in one hall on one day would
confuse everyone), never while an active group of the agency holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, func, select, type_coerce, update
from sqlalchemy.orm import Session

from desk_app.domain.waiting import Minutes
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services import statistics
from desk_app.services.context import (
    ADMIN,
    SOLO_AGENCY,
    Actor,
    audit,
    get_settings,
    next_counter,
    require_role,
)
from desk_app.services.records import get_file
from desk_app.services.scope import ALL, Scope, agency_ids
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


@dataclass(frozen=True)
class GroupRow:
    """A group as the administrator's list shows it: retired ones too, with their history."""

    group: GroupView
    issued: int  # tickets ever issued
    last_day: date | None  # the last day it issued one


def _clean_prefix(prefix: str) -> tuple[str, str | None]:
    prefix = prefix.strip().upper()
    if not (1 <= len(prefix) <= 4 and prefix.isascii() and prefix.isalpha()):
        return prefix, "Ký hiệu nhóm gồm 1 đến 4 chữ cái không dấu (ví dụ A)."
    return prefix, None


def _clean_name(name: str) -> tuple[str, str | None]:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        return name, "Tên nhóm không được để trống (tối đa 200 ký tự)."
    return name, None


def _letter_refusal(
    session: Session, agency: int, prefix: str, day: date | None, other_than: int | None = None
) -> str | None:
    """Why `prefix` cannot be an active group's letter in `agency` on `day`, or None. Without a
    day, a letter any group ever had is refused (the rule before retired letters were lent)."""
    query = select(TicketGroup).where(TicketGroup.agency == agency, TicketGroup.prefix == prefix)
    if other_than is not None:
        query = query.where(TicketGroup.id != other_than)
    for group in session.scalars(query.order_by(TicketGroup.active.desc(), TicketGroup.id)):
        if group.active:
            return f"Đã có nhóm ký hiệu {prefix} («{group.name}») đang cấp số."
        if day is None:
            return f"Đã có nhóm ký hiệu {prefix} («{group.name}», đã ngừng)."
        issued_today = session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.group_id == group.id, Ticket.day == day)
        )
        if issued_today:
            return (
                f"Hôm nay nhóm đã ngừng «{group.name}» đã cấp số {prefix}…: ký hiệu {prefix} "
                "dùng lại được từ ngày mai."
            )
    return None


def add_group(
    session: Session,
    prefix: str,
    name: str,
    agency: int = SOLO_AGENCY,
    *,
    day: date | None = None,
    actor: Actor | None = None,
) -> GroupView:
    """A new service group; its `prefix` is one to four letters, unique among the agency's
    active groups, and not a letter a retired group issued tickets under on `day` (None: not
    any letter the agency ever had). With `actor`, only an administrator, and audited."""
    if actor is not None:
        require_role(actor, ADMIN, "quản lý nhóm dịch vụ")
    prefix, bad_prefix = _clean_prefix(prefix)
    name, bad_name = _clean_name(name)
    errors = {k: v for k, v in (("prefix", bad_prefix), ("name", bad_name)) if v}
    if not errors:
        if session.get(DeskSettings, agency) is None:
            raise NotFoundError(f"Không có cơ quan số {agency}.", field="agency")
        taken = _letter_refusal(session, agency, prefix, day)
        if taken is not None:
            errors["prefix"] = taken
    if errors:
        raise FieldsError(errors)
    group = TicketGroup(agency=agency, prefix=prefix, name=name, active=True)
    session.add(group)
    session.flush()
    if actor is not None:
        detail: dict[str, object] = {"agency": agency, "prefix": prefix, "name": name}
        audit(session, actor, "ticket_group_add", "ticket_group", str(group.id), detail)
    return _group_view(group)


def _any_group(session: Session, group_id: int) -> TicketGroup:
    group = session.get(TicketGroup, group_id)
    if group is None:
        raise NotFoundError("Không có nhóm dịch vụ này.", field="group")
    return group


def rename_group(
    session: Session, group_id: int, name: str, *, actor: Actor | None = None
) -> GroupView:
    """Give a group (retired ones too) another name; its letter and history stay."""
    if actor is not None:
        require_role(actor, ADMIN, "quản lý nhóm dịch vụ")
    group = _any_group(session, group_id)
    name, bad = _clean_name(name)
    if bad:
        raise FieldsError({"name": bad})
    before = group.name
    group.name = name
    session.flush()
    if actor is not None and before != name:
        detail: dict[str, object] = {"name": [before, name]}
        audit(session, actor, "ticket_group_rename", "ticket_group", str(group.id), detail)
    return _group_view(group)


def retire_group(
    session: Session, group_id: int, now: datetime, *, actor: Actor | None = None
) -> GroupView:
    """Stop a group issuing tickets; its tickets and times stay. Refused while some of the
    day's tickets wait or are being served: those people would never be called."""
    if actor is not None:
        require_role(actor, ADMIN, "quản lý nhóm dịch vụ")
    group = _any_group(session, group_id)
    if not group.active:
        raise ValidationError(f"Nhóm {group.prefix} đã ngừng cấp số từ trước.", field="group")
    open_tickets = int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.group_id == group.id,
                Ticket.day == now.date(),
                Ticket.status.in_(("waiting", "called")),
            )
        )
        or 0
    )
    if open_tickets:
        raise ValidationError(
            f"Nhóm {group.prefix} còn {open_tickets} số đang chờ hoặc đang phục vụ hôm nay: "
            "gọi hết (hoặc bỏ qua) rồi mới ngừng nhóm.",
            field="group",
        )
    group.active = False
    session.flush()
    if actor is not None:
        audit(session, actor, "ticket_group_retire", "ticket_group", str(group.id), at=now)
    return _group_view(group)


def reopen_group(
    session: Session, group_id: int, *, day: date | None = None, actor: Actor | None = None
) -> GroupView:
    """Let a retired group issue tickets again (its numbering of the day goes on), when no
    active group of the agency has taken its letter meanwhile."""
    if actor is not None:
        require_role(actor, ADMIN, "quản lý nhóm dịch vụ")
    group = _any_group(session, group_id)
    if group.active:
        raise ValidationError(f"Nhóm {group.prefix} đang cấp số.", field="group")
    taken = session.scalar(
        select(TicketGroup.name).where(
            TicketGroup.agency == group.agency,
            TicketGroup.prefix == group.prefix,
            TicketGroup.active.is_(True),
        )
    )
    if taken is not None:
        raise ValidationError(
            f"Ký hiệu {group.prefix} đang thuộc nhóm «{taken}»: không mở lại được nhóm này.",
            field="group",
        )
    group.active = True
    session.flush()
    if actor is not None:
        audit(session, actor, "ticket_group_reopen", "ticket_group", str(group.id))
    return _group_view(group)


def group_rows(session: Session, agency: int | None = None) -> list[GroupRow]:
    """Every group (of `agency`, None: all), active ones first, with their tickets issued."""
    issued = (
        select(
            Ticket.group_id,
            func.count().label("issued"),
            func.max(Ticket.day).label("last_day"),
        )
        .group_by(Ticket.group_id)
        .subquery()
    )
    query = (
        select(TicketGroup, issued.c.issued, issued.c.last_day)
        .outerjoin(issued, issued.c.group_id == TicketGroup.id)
        .order_by(TicketGroup.agency, TicketGroup.active.desc(), TicketGroup.prefix, TicketGroup.id)
    )
    if agency is not None:
        query = query.where(TicketGroup.agency == agency)
    rows = []
    for group, count, last in session.execute(query).all():
        last_day = date.fromisoformat(last) if isinstance(last, str) else last
        rows.append(GroupRow(_group_view(group), int(count or 0), last_day))
    return rows


def find_group(session: Session, prefix: str, agency: int = SOLO_AGENCY) -> GroupView:
    """The agency's group of letter `prefix`: the active one, else the last retired."""
    prefix = prefix.strip().upper()
    group = session.scalars(
        select(TicketGroup)
        .where(TicketGroup.agency == agency, TicketGroup.prefix == prefix)
        .order_by(TicketGroup.active.desc(), TicketGroup.id.desc())
        .limit(1)
    ).first()
    if group is None:
        raise NotFoundError(f"Không có nhóm ký hiệu {prefix}.", field="group")
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


NO_OFFICER = "(không ghi cán bộ)"
RETIRED_MARK = "đã ngừng"


@dataclass(frozen=True)
class QueueLine:
    """One line of the queue report: a group, an officer within it, or the total. `issued` is
    None on an officer's line (a ticket is nobody's until called); `called` counts the tickets
    called (served, skipped, or still being served when the period was counted)."""

    label: str
    issued: int | None
    called: int
    served: int
    skipped: int
    wait: Minutes  # issued → called, every ticket called
    service: Minutes  # called → finished, the tickets served


@dataclass(frozen=True)
class QueueGroupLines:
    """A group's line and its officers' lines (by name)."""

    group_id: int
    prefix: str
    line: QueueLine
    officers: tuple[QueueLine, ...]


@dataclass(frozen=True)
class QueueReport:
    """The hall's queue over [start, end] for the agencies of `scope`, per group and officer."""

    start: date
    end: date
    scope: Scope
    groups: tuple[QueueGroupLines, ...]
    total: QueueLine

    @property
    def not_called(self) -> int:
        """Tickets issued that no counter called (the applicant left, or the day ended)."""
        return (self.total.issued or 0) - self.total.called


class _Tally:
    """Counts and minutes gathered for one line."""

    def __init__(self) -> None:
        self.issued = 0
        self.served = 0
        self.skipped = 0
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, status: str, wait: float | None, service: float | None) -> None:
        """One ticket: its waiting minutes (None: never called) and service minutes (None:
        not served, or not finished)."""
        self.issued += 1
        if wait is None:
            return
        self.waits.append(wait)
        if status == "served":
            self.served += 1
            if service is not None:
                self.services.append(service)
        elif status == "skipped":
            self.skipped += 1

    def line(self, label: str, *, with_issued: bool = True) -> QueueLine:
        return QueueLine(
            label=label,
            issued=self.issued if with_issued else None,
            called=len(self.waits),
            served=self.served,
            skipped=self.skipped,
            wait=Minutes.of(self.waits),
            service=Minutes.of(self.services),
        )


def group_label(group: GroupView, agency_name: str = "") -> str:
    """ "A – Tiếp nhận hồ sơ" (with the agency in a centre, and a retired group marked)."""
    text = f"{group.prefix} – {group.name}"
    if agency_name:
        text += f" ({agency_name})"
    if not group.active:
        text += f" [{RETIRED_MARK}]"
    return text


def queue_report(session: Session, start: date, end: date, *, scope: Scope = ALL) -> QueueReport:
    """The tickets issued from `start` to `end` (inclusive, by their day) in the groups of
    `scope`'s agencies: per group the tickets issued, called, served and skipped, the waiting
    (issued → called) and service (called → finished) minutes, mean and 90th percentile; the
    same per officer who called them within the group; the total."""
    statistics.period_bounds(start, end)  # the same checks (and messages) as every report
    # The moments read as their stored text and parsed with fromisoformat: a year of a busy
    # hall is some 100,000 tickets, and the column type's strptime took seconds over them.
    rows = session.execute(
        select(
            Ticket.group_id,
            Ticket.officer_id,
            Ticket.status,
            type_coerce(Ticket.issued_at, String),
            type_coerce(Ticket.called_at, String),
            type_coerce(Ticket.finished_at, String),
        )
        .join(TicketGroup, TicketGroup.id == Ticket.group_id)
        .where(Ticket.day >= start, Ticket.day <= end, scope.where(TicketGroup.agency))
    ).all()
    per_group: dict[int, _Tally] = {}
    per_officer: dict[tuple[int, int | None], _Tally] = {}
    total = _Tally()
    for group_id, officer_id, status, issued_text, called_text, done_text in rows:
        wait = service = None
        if called_text is not None:
            called = datetime.fromisoformat(called_text)
            wait = (called - datetime.fromisoformat(issued_text)).total_seconds() / 60
            if done_text is not None:
                service = (datetime.fromisoformat(done_text) - called).total_seconds() / 60
        per_group.setdefault(group_id, _Tally()).add(status, wait, service)
        total.add(status, wait, service)
        if wait is not None:
            per_officer.setdefault((group_id, officer_id), _Tally()).add(status, wait, service)
    found = {
        g.id: g
        for g in session.scalars(select(TicketGroup).where(TicketGroup.id.in_(list(per_group))))
    }
    officer_ids = {o for _g, o in per_officer if o is not None}
    names = dict(
        session.execute(select(User.id, User.full_name).where(User.id.in_(officer_ids))).all()
    )
    several = len([a for a in agency_ids(session) if scope.covers(a)]) > 1
    agency_names: dict[int, str] = {}

    def agency_name(agency: int) -> str:
        if not several:
            return ""
        if agency not in agency_names:
            agency_names[agency] = get_settings(session, agency).display_name
        return agency_names[agency]

    groups = []
    for group_id, tally in per_group.items():
        view = _group_view(found[group_id])
        officers = sorted(
            (
                t.line(names.get(o, NO_OFFICER) if o is not None else NO_OFFICER, with_issued=False)
                for (g, o), t in per_officer.items()
                if g == group_id
            ),
            key=lambda line: line.label,
        )
        label = group_label(view, agency_name(view.agency))
        groups.append(QueueGroupLines(group_id, view.prefix, tally.line(label), tuple(officers)))
    groups.sort(key=lambda g: (g.line.label, g.group_id))
    return QueueReport(start, end, scope, tuple(groups), total.line("Tổng cộng"))


def queue_times(session: Session, start: date, end: date) -> list[QueueTimes]:
    """Per group and officer, the tickets called from `start` to `end` (inclusive): how many
    were served and skipped, the mean waiting and service times in minutes."""
    report = queue_report(session, start, end)
    found = {g.id: g for g in session.scalars(select(TicketGroup))}
    times = [
        QueueTimes(
            group_prefix=group.prefix,
            group_name=found[group.group_id].name,
            officer="" if officer.label == NO_OFFICER else officer.label,
            served=officer.served,
            skipped=officer.skipped,
            wait_minutes=round(officer.wait.mean or 0.0, 1),
            service_minutes=round(officer.service.mean or 0.0, 1),
        )
        for group in report.groups
        for officer in group.officers
    ]
    return sorted(times, key=lambda t: (t.group_prefix, t.group_name, t.officer))


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
