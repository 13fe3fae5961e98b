"""Demo register: N realistic files over the last two years in every status, written in bulk.

The files follow the same rules as the counter (codes, register numbers, due moments from the
calendar and pauses, outcomes against the original due), but are written with bulk inserts in
chunks, one transaction per chunk, so that a million-file register for the benchmarks takes
minutes rather than hours. A killed run leaves whole chunks only.

Every file it writes is marked `demo`. A register that already holds real files is refused unless
the caller says `into_production`; then no demo account (with its published password) is added.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes
from desk_app.domain.calendar import WorkCalendar
from desk_app.domain.catalog import bundled_catalog
from desk_app.domain.due import (
    DurationUnit,
    Pause,
    PauseKind,
    compute_due,
    due_soon_limit,
    settlement_outcome,
)
from desk_app.domain.text import fold
from desk_app.domain.workflow import Action, Status
from desk_app.errors import DeskError
from desk_app.services import demo_people as people
from desk_app.services import desk, digitise, users
from desk_app.services.context import COMMAND_LINE, audit, load_context
from desk_app.services.records import document_set
from desk_app.store.engine import Database
from desk_app.store.models import (
    Applicant,
    Counter,
    DueChange,
    Event,
    FileRecord,
    PostalItem,
    Procedure,
    Reschedule,
    User,
)
from desk_app.store.models import Pause as PauseRow

CHUNK = 20_000
RECENT_FILES = 80  # at most, received in the last RECENT_DAYS working days
RECENT_DAYS = 15
SAMPLE_IDENTITY = desk.IdentityInput(
    governing_body="UBND TỈNH LẠNG SƠN",
    agency_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    unit_name="BỘ PHẬN MỘT CỬA",
    agency_id="000.00.20.H37",
    place_name="Lạng Sơn",
    phone="0205 3812 345",
)
DEMO_USERS = users.DEMO_USERS
DEMO_PASSWORD = users.DEMO_PASSWORD
SUPPLEMENT_REASONS = (
    "Thiếu bản sao chứng thực Giấy chứng nhận đăng ký doanh nghiệp",
    "Đơn đề nghị chưa ghi đủ thông tin người đại diện theo pháp luật",
    "Ảnh 3×4 không đúng quy cách",
    "Giấy khám sức khỏe quá 6 tháng",
)
# One file of each kind is planned on purpose around `now`, so that a training desk shows every
# queue and the supervisor's watch with something in it, whatever the random draw (a file kind,
# and whether its result goes by post).
SHOWCASE: tuple[tuple[str, bool], ...] = (
    ("overdue", False),
    ("due_soon", False),
    ("supplement", False),
    ("financial", False),
    ("postal_pending", True),
    ("in_transit", True),
    ("postal_returned", True),
    ("result_ready", False),
    ("new", False),
    ("processing", False),
    ("returned", False),
)
DELAY_REASONS = (
    "Cần xác minh thực tế tại cơ sở kinh doanh",
    "Phải lấy ý kiến cơ quan công an về điều kiện an ninh, trật tự",
    "Hội đồng thẩm định chưa họp đủ thành viên",
)


class RealFilesError(DeskError):
    """The register holds real files: demo files would mix with them (and the statistics)."""

    code = "demo_real_files"

    def __init__(self, real_files: int) -> None:
        super().__init__(
            f"Cơ sở dữ liệu này đã có {real_files} hồ sơ thật (không phải hồ sơ mẫu): "
            "không thêm hồ sơ mẫu và tài khoản mẫu vào sổ đang dùng."
        )
        self.real_files = real_files


@dataclass
class _Plan:
    status: Status
    received: datetime
    forwarded: bool = False
    due: datetime | None = None
    original_due: datetime | None = None
    settled: datetime | None = None
    outcome: str | None = None
    closed: datetime | None = None
    events: list[tuple[datetime, str, int | None, int | None, str | None, str | None]] = field(
        default_factory=list
    )
    pauses: list[tuple[str, datetime, datetime | None, str, str | None]] = field(
        default_factory=list
    )
    reschedule: tuple[datetime, datetime | None, datetime, str, str] | None = None
    postal: dict[str, object] | None = None
    # The due history (DOMAIN §4.1 rule 5): (moment, reason, due, original due) per change.
    history: list[tuple[datetime, str, datetime | None, datetime | None]] = field(
        default_factory=list
    )

    def set_due(
        self, at: datetime, reason: str, due: datetime | None, original: datetime | None
    ) -> None:
        if self.history and self.history[-1][2:] == (due, original):
            return
        self.history.append((at, reason, due, original))
        self.due, self.original_due = due, original

    def set_rule_due(self, at: datetime, reason: str, due: datetime | None) -> None:
        """The rules' due, also the appointment (no reschedule yet)."""
        self.set_due(at, reason, due, due)


@dataclass(frozen=True)
class _Proc:
    id: int
    code: str
    unit: DurationUnit
    duration: Decimal | None
    restart: bool
    cutoff: time
    fee: int | None
    documents: str
    organisation: bool


class _Generator:
    """Plans files one by one; keeps the per-day and per-year counters in memory."""

    def __init__(
        self,
        rng: random.Random,
        cal: WorkCalendar,
        now: datetime,
        procs: list[_Proc],
        officers: list[int],
        slip_suffixes: tuple[str, str, str],
    ) -> None:
        self.rng = rng
        self.cal = cal
        self.now = now
        self.procs = procs
        self.weights = [1 if p.unit == DurationUnit.WORKING_DAYS else 3 for p in procs]
        self.officers = officers
        self.day = cal.day_length
        self.suffixes = slip_suffixes
        self.slips: dict[str, int] = {}

    def working_moment(self, d: date) -> datetime:
        sessions = self.cal.office_hours.sessions
        total = int(self.day.total_seconds() // 60)
        minute = self.rng.randrange(total)
        for s in sessions:
            length = int((datetime.combine(d, s.end) - datetime.combine(d, s.start)).seconds // 60)
            if minute < length:
                return datetime.combine(d, s.start) + timedelta(minutes=minute)
            minute -= length
        raise AssertionError("office hours changed under the generator")

    def later(self, start: datetime, low_h: float, high_h: float) -> datetime:
        minutes = self.rng.uniform(low_h * 60, high_h * 60)
        return self.cal.add_working_time(start, timedelta(minutes=int(minutes) + 1))

    # --- the showcase: one file of each kind, planned backwards from `now` ------------------

    def _due_of(self, proc: _Proc, received: datetime) -> datetime | None:
        return compute_due(
            self.cal,
            received,
            proc.duration or Decimal(0),
            proc.unit,
            restart_on_supplement=proc.restart,
            cutoff=proc.cutoff,
        )

    def _slots_back(self) -> Iterator[datetime]:
        """Half-hour moments of office hours, from `now` back over about four months."""
        step = timedelta(minutes=30)
        day = self.now.date()
        for _ in range(120):
            if self.cal.is_working_date(day):
                for session in reversed(self.cal.office_hours.sessions):
                    start = datetime.combine(day, session.start)
                    moment = datetime.combine(day, session.end) - step
                    while moment >= start:
                        if moment <= self.now:
                            yield moment
                        moment -= step
            day -= timedelta(days=1)

    def showcase_received(self, kind: str, proc: _Proc) -> datetime | None:
        """The latest receipt moment that puts a `kind` file where its queue wants it at `now`."""
        now, cal, day = self.now, self.cal, self.day
        limit = due_soon_limit(cal, now)

        def worked(a: datetime, b: datetime) -> timedelta:
            return cal.working_time(a, b) if a < b else timedelta(0)

        wants: dict[str, Callable[[datetime, datetime], bool]] = {
            "new": lambda t, d: worked(t, now) >= timedelta(minutes=30) and d > limit,
            "processing": lambda t, d: worked(t, now) >= timedelta(hours=2) and d > limit,
            "supplement": lambda t, d: worked(t, now) >= timedelta(hours=3) and d > limit,
            "financial": lambda t, d: worked(t, now) >= timedelta(hours=3) and d > limit,
            # Due within the next working day, not in the next half hour: it stays "soon" a while.
            "due_soon": lambda t, d: now + timedelta(minutes=30) <= d <= limit,
            # A working day late or more, and a settled result a working day ago or more.
            "overdue": lambda t, d: worked(d, now) >= day,
        }
        want = wants.get(kind, wants["overdue"])
        for moment in self._slots_back():
            due = self._due_of(proc, moment)
            if due is not None and want(moment, due):
                return moment
        return None

    def showcase(
        self,
        kind: str,
        proc: _Proc,
        received: datetime,
        counters: dict[str, int],
        postal: dict[str, object] | None,
    ) -> _Plan:
        """A file of `kind` received at `received` (from `showcase_received`), as of `now`."""
        cal, minutes = self.cal, timedelta(minutes=1)
        p = _Plan(status=Status.ACCEPTED, received=received, postal=postal)
        p.events.append((received, Action.ACCEPT, None, 2, None, None))
        due = self._due_of(proc, received)
        p.set_rule_due(received, "accept", due)
        if kind == "new":
            return p
        forwarded = cal.add_working_time(received, 10 * minutes)
        p.events.append((forwarded, Action.FORWARD, 2, 4, None, None))
        p.status, p.forwarded = Status.PROCESSING, True
        if kind in ("processing", "overdue", "due_soon"):
            return p
        if kind in ("supplement", "financial"):
            financial = kind == "financial"
            start = cal.add_working_time(forwarded, 60 * minutes)
            reason = "Nộp phí thẩm định" if financial else self.rng.choice(SUPPLEMENT_REASONS)
            slip = (
                None
                if financial
                else self.slip("supplement", start.year, self.suffixes[0], counters)
            )
            action = Action.REQUEST_FINANCIAL if financial else Action.REQUEST_SUPPLEMENT
            status = Status.FINANCIAL if financial else Status.SUPPLEMENT
            note = json.dumps({"slip_number": slip}) if slip else None
            p.events.append((start, action, 4, int(status), reason, note))
            p.pauses.append((kind, start, None, reason, slip))
            p.set_rule_due(start, "pause", due)  # an open pause moves nothing until it ends
            p.status = status
            return p
        assert due is not None  # showcase procedures have a time limit
        # Settled on time, before the due that is at least a working day past.
        settled = cal.add_working_time(forwarded, cal.working_time(forwarded, due) * 0.8)
        p.status, p.settled = Status.SETTLED, settled
        p.outcome = str(settlement_outcome(p.original_due, settled))
        p.events.append(
            (settled, Action.RECORD_RESULT, 4, 9, None, json.dumps({"outcome": p.outcome}))
        )
        if kind == "returned":
            handed = cal.add_working_time(settled, 30 * minutes)
            p.events.append((handed, Action.RETURN_RESULT, 9, 10, None, None))
            p.status, p.closed = Status.RETURNED, handed
            return p
        if postal is None or kind in ("result_ready", "postal_pending"):
            return p
        handed = cal.add_working_time(settled, 30 * minutes)
        postal["handed_at"], postal["state"] = handed, "handed"
        p.events.append(
            (handed, Action.POSTAL_HANDOVER, 9, 9, None, json.dumps({"number": postal["number"]}))
        )
        if kind == "postal_returned":
            back = cal.add_working_time(handed, 60 * minutes)
            postal["state"], postal["state_at"] = "returned", back
            p.events.append(
                (back, Action.POSTAL_RETURNED, 9, 9, "Không liên lạc được với người nhận", None)
            )
        return p

    def slip(self, kind: str, year: int, suffix: str, counters: dict[str, int]) -> str:
        key = f"slip:{kind}:{year}"
        counters[key] = counters.get(key, 0) + 1
        return codes.format_slip_number(counters[key], suffix)

    def plan(self, proc: _Proc, received: datetime, counters: dict[str, int]) -> _Plan:
        rng, now = self.rng, self.now
        p = _Plan(status=Status.ACCEPTED, received=received)
        if rng.random() < 0.03:
            p.status = Status.REFUSED
            p.closed = received
            refusal_slip = self.slip("refusal", received.year, self.suffixes[1], counters)
            p.events.append(
                (
                    received,
                    Action.REFUSE,
                    None,
                    3,
                    "Hồ sơ không thuộc thẩm quyền giải quyết",
                    json.dumps({"slip_number": refusal_slip}),
                )
            )
            return p
        p.events.append((received, Action.ACCEPT, None, 2, None, None))
        pauses: list[Pause] = []

        def due() -> datetime | None:
            return compute_due(
                self.cal,
                received,
                proc.duration or Decimal(0),
                proc.unit,
                pauses,
                restart_on_supplement=proc.restart,
                cutoff=proc.cutoff,
            )

        p.set_rule_due(received, "accept", due())
        t = self.later(received, 0.1, 1.5)
        if t > now:
            return p
        p.events.append((t, Action.FORWARD, 2, 4, None, None))
        p.status, p.forwarded = Status.PROCESSING, True
        roll = rng.random()
        if roll < 0.15:
            financial = roll >= 0.12
            start = self.later(t, 1, 12)
            if start > now:
                return p
            kind = "financial" if financial else "supplement"
            reason = "Nộp phí thẩm định" if financial else rng.choice(SUPPLEMENT_REASONS)
            pause_slip: str | None = (
                None
                if financial
                else self.slip("supplement", start.year, self.suffixes[0], counters)
            )
            action = Action.REQUEST_FINANCIAL if financial else Action.REQUEST_SUPPLEMENT
            p.events.append(
                (
                    start,
                    action,
                    4,
                    6 if financial else 5,
                    reason,
                    json.dumps({"slip_number": pause_slip}) if pause_slip else None,
                )
            )
            resume_day = self.cal.next_working_date(
                start.date() + timedelta(days=rng.randint(1, 12))
            )
            end: datetime | None = self.working_moment(resume_day)
            assert end is not None
            if end <= start:
                end = self.later(start, 0.5, 2)
            if end > now:
                end = None
            p.pauses.append((kind, start, end, reason, pause_slip))
            pause_kind = PauseKind.FINANCIAL if financial else PauseKind.SUPPLEMENT
            pauses.append(Pause(start, None, pause_kind))
            p.set_rule_due(start, "pause", due())
            if end is None:
                p.status = Status.FINANCIAL if financial else Status.SUPPLEMENT
                return p
            pauses[-1] = Pause(start, end, pause_kind)
            resume = Action.FINANCIAL_DONE if financial else Action.RECEIVE_SUPPLEMENT
            p.events.append((end, resume, 6 if financial else 5, 4, None, None))
            t = end
            p.set_rule_due(end, "resume", due())
        roll = rng.random()
        if roll < 0.03:
            closing = self.later(t, 2, 40)
            if closing <= now:
                withdraw = roll < 0.02
                p.status = Status.WITHDRAWN if withdraw else Status.STOPPED
                reason = (
                    "Người nộp đề nghị rút hồ sơ"
                    if withdraw
                    else "Cơ sở không đáp ứng điều kiện về diện tích phòng"
                )
                p.events.append(
                    (
                        closing,
                        Action.WITHDRAW if withdraw else Action.STOP,
                        4,
                        int(p.status),
                        reason,
                        None,
                    )
                )
                p.closed = closing
            return p
        late = rng.random() < 0.12
        if p.original_due is None:
            settle = self.later(t, 16, 200)
        elif late:
            settle = self.later(p.original_due, 1, 48)
        else:
            span = max(self.cal.working_time(t, p.original_due), timedelta(minutes=1))
            settle = self.cal.add_working_time(t, span * rng.uniform(0.3, 1.0))
            settle = min(settle, p.original_due)
        if late and p.original_due is not None and rng.random() < 0.3:
            notice = p.original_due - timedelta(days=1)
            if t < notice <= now:
                new_due = self.cal.add_working_time(p.original_due, self.day * 5)
                slip = self.slip("apology", notice.year, self.suffixes[2], counters)
                reason = rng.choice(DELAY_REASONS)
                p.reschedule = (notice, p.due, new_due, reason, slip)
                p.events.append(
                    (
                        notice,
                        "reschedule",
                        None,
                        None,
                        reason,
                        json.dumps({"slip_number": slip, "new_due": str(new_due)}),
                    )
                )
                p.set_due(notice, "reschedule", new_due, p.original_due)
        if settle > now:
            return p
        p.status, p.settled = Status.SETTLED, settle
        p.outcome = str(settlement_outcome(p.original_due, settle))
        p.events.append(
            (settle, Action.RECORD_RESULT, 4, 9, None, json.dumps({"outcome": p.outcome}))
        )
        return self._return(p)

    def _return(self, p: _Plan) -> _Plan:
        rng, now = self.rng, self.now
        assert p.settled is not None
        if p.postal is None:
            hand = self.later(p.settled, 1, 40)
            if rng.random() < 0.06 or hand > now:
                return p
            p.events.append((hand, Action.RETURN_RESULT, 9, 10, None, None))
            p.status, p.closed = Status.RETURNED, hand
            return p
        handed = self.later(p.settled, 0.5, 8)
        if handed > now:
            return p
        p.postal["handed_at"] = handed
        p.postal["state"] = "handed"
        p.events.append(
            (handed, Action.POSTAL_HANDOVER, 9, 9, None, json.dumps({"number": p.postal["number"]}))
        )
        roll = rng.random()
        outcome_at = handed + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
        if outcome_at > now:
            return p
        if roll < 0.92:
            p.postal["state"], p.postal["state_at"] = "delivered", outcome_at
            p.postal["signed_by"] = p.postal["recipient_name"]
            p.events.append((outcome_at, Action.POSTAL_DELIVERED, 9, 10, None, None))
            p.status, p.closed = Status.RETURNED, outcome_at
        elif roll < 0.97:
            p.postal["state"], p.postal["state_at"] = "returned", outcome_at
            p.events.append(
                (
                    outcome_at,
                    Action.POSTAL_RETURNED,
                    9,
                    9,
                    "Không liên lạc được với người nhận",
                    None,
                )
            )
        else:
            p.postal["state"], p.postal["state_at"] = "failed", outcome_at
            p.events.append((outcome_at, Action.POSTAL_FAILED, 9, 9, "Người nhận vắng nhà", None))
        return p


def real_file_count(s: Session) -> int:
    """Files not written by the demo: anything taken in, imported or written before 0011."""
    return int(s.scalar(select(func.count()).select_from(FileRecord).where(~FileRecord.demo)) or 0)


def _ensure_setup(db: Database, *, accounts: bool) -> None:
    with db.writer.begin() as s:
        ctx = load_context(s)
        if not ctx.settings.agency_id:
            desk.update_settings(s, SAMPLE_IDENTITY, COMMAND_LINE)
        if desk.catalog_size(s) == 0:
            desk.import_catalog(s, bundled_catalog(), COMMAND_LINE)
        for username, name, role in DEMO_USERS if accounts else ():
            if not users.user_exists(s, username):
                users.create_user(s, username, name, role, DEMO_PASSWORD, COMMAND_LINE)


def _procs(s: Session, default_cutoff: time) -> list[_Proc]:
    rows = s.scalars(select(Procedure).where(Procedure.active).order_by(Procedure.id))
    out = []
    for r in rows:
        docs = json.loads(r.documents or "[]")
        out.append(
            _Proc(
                id=r.id,
                code=r.code,
                unit=DurationUnit(r.unit),
                duration=r.duration,
                restart=r.restart_on_supplement,
                cutoff=time.fromisoformat(r.cutoff) if r.cutoff else default_cutoff,
                fee=r.fee,
                documents=json.dumps(
                    [[d["name"], d.get("copy_type", "photo"), d.get("count", 1)] for d in docs],
                    ensure_ascii=False,
                ),
                organisation=r.field != "" and ("Giấy phép" in r.name or "hạng" in r.name),
            )
        )
    return out


def generate_demo(
    db: Database,
    count: int,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    into_production: bool = False,
    progress: Callable[[str], object] | None = None,
) -> str:
    """Add `count` demo files to the database; returns a one-line summary.

    Refuses (RealFilesError) a register with real files unless `into_production`; then the demo
    files are written with no receiving officer and no demo account is created.
    """
    now = (now or clock.now()).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    with db.reader.begin() as s:
        real_files = real_file_count(s)
    if real_files and not into_production:
        raise RealFilesError(real_files)
    production = real_files > 0
    _ensure_setup(db, accounts=not production)
    with db.reader.begin() as s:
        ctx = load_context(s)
        procs = _procs(s, ctx.settings.cutoff)
        officers = (
            []
            if production
            else list(s.scalars(select(User.id).where(User.role.in_(("officer", "supervisor")))))
        )
        next_file = int(s.scalar(select(func.max(FileRecord.id))) or 0) + 1
        next_applicant = int(s.scalar(select(func.max(Applicant.id))) or 0) + 1
        counters = {c.name: c.value for c in s.scalars(select(Counter))}
    with db.writer.begin() as s:
        doc_sets = {p.id: document_set(s, p.documents) for p in procs}
    settings = ctx.settings
    agency = settings.agency_id
    gen = _Generator(
        rng,
        ctx.calendar,
        now,
        procs,
        officers,
        (settings.supplement_suffix, settings.refusal_suffix, settings.apology_suffix),
    )
    # Receipt moments spread over the working time of the last two years, in order.
    first = now.date() - timedelta(days=730)
    days = [first + timedelta(days=i) for i in range((now.date() - first).days + 1)]
    days = [d for d in days if ctx.calendar.is_working_date(d)]
    # A desk at work: a slice of the files arrives in the last weeks, so that a small register
    # too has files in progress, paused, due soon and overdue on whatever day it is made.
    recent_days = days[-RECENT_DAYS:]
    # The showcase files (as many kinds as a small register can spare) are part of `count`.
    timed = [p for p in procs if p.unit == DurationUnit.WORKING_DAYS and (p.duration or 0) >= 2]
    showcase: dict[datetime, list[tuple[str, bool, _Proc]]] = {}
    for kind, by_post_kind in SHOWCASE[: count // 2] if timed else ():
        proc_kind = rng.choice(timed)
        moment = gen.showcase_received(kind, proc_kind)
        if moment is not None:
            showcase.setdefault(moment, []).append((kind, by_post_kind, proc_kind))
    shown = sum(len(v) for v in showcase.values())
    recent = min(count // 5, RECENT_FILES)
    picks = sorted(rng.choices(days, k=count - shown - recent) + rng.choices(recent_days, k=recent))
    received_all = sorted(
        [m if m <= now else now for m in (gen.working_moment(d) for d in picks)]
        + [m for m, kinds in showcase.items() for _ in kinds]
    )
    pool: list[int] = []
    status_counts: dict[int, int] = {}
    done = 0
    while done < count:
        batch = received_all[done : done + CHUNK]
        files: list[dict[str, object]] = []
        applicants: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        pauses: list[dict[str, object]] = []
        reschedules: list[dict[str, object]] = []
        history: list[dict[str, object]] = []
        postal: list[dict[str, object]] = []
        for received in batch:
            proc = rng.choices(procs, gen.weights)[0]
            if pool and rng.random() < 0.25:
                applicant_id = rng.choice(pool)
                applicant_row = None
            else:
                applicant_id = next_applicant
                next_applicant += 1
                if proc.organisation and rng.random() < 0.7:
                    name, id_kind, id_number = (
                        people.organisation_name(rng),
                        "tax_code",
                        people.tax_code(rng),
                    )
                else:
                    name, female = people.person_name(rng)
                    id_kind, id_number = "cccd", people.cccd(rng, female)
                applicant_row = {
                    "id": applicant_id,
                    "name": name,
                    "name_folded": fold(name),
                    "id_kind": id_kind,
                    "id_number": id_number,
                    "phone": people.mobile(rng),
                    "email": None,
                    "address": people.address(rng),
                }
                applicants.append(applicant_row)
                pool.append(applicant_id)
                if len(pool) > 5000:
                    pool.pop(0)
            by_post = rng.random() < 0.2
            channel = (
                "postal" if rng.random() < 0.12 else ("online" if rng.random() < 0.1 else "direct")
            )
            day_key = f"file:{agency}:{received:%y%m%d}"
            counters[day_key] = counters.get(day_key, 0) + 1
            book = codes.register_book_for(received.date())
            book_key = f"register:{book}"
            counters[book_key] = counters.get(book_key, 0) + 1
            plan_postal: dict[str, object] | None = None
            if by_post:
                counters["demo:s10"] = counters.get("demo:s10", 0) + 1
                plan_postal = {
                    "number": codes.make_s10("EN", f"{counters['demo:s10']:08d}"),
                    "recipient_name": applicant_row["name"] if applicant_row else None,
                    "state": "pending",
                }
            kinds = showcase.get(received)
            if kinds:
                kind, by_post, proc = kinds.pop()
                if by_post and plan_postal is None:
                    counters["demo:s10"] = counters.get("demo:s10", 0) + 1
                    plan_postal = {
                        "number": codes.make_s10("EN", f"{counters['demo:s10']:08d}"),
                        "recipient_name": applicant_row["name"] if applicant_row else None,
                        "state": "pending",
                    }
                plan_postal = plan_postal if by_post else None
                plan = gen.showcase(kind, proc, received, counters, plan_postal)
            else:
                plan = gen.plan(proc, received, counters)
            if (
                plan.postal is None
                and plan.status in (Status.SETTLED, Status.RETURNED)
                and plan_postal is not None
            ):
                plan.postal = plan_postal
                plan.status = Status.SETTLED
                plan.closed = None
                plan.events = [e for e in plan.events if e[1] != Action.RETURN_RESULT]
                gen._return(plan)
            file_id = next_file
            next_file += 1
            officer = rng.choice(officers) if officers else None
            files.append(
                {
                    "id": file_id,
                    "code": codes.format_file_code(agency, received.date(), counters[day_key]),
                    "status": int(plan.status),
                    "channel": channel,
                    "procedure_id": proc.id,
                    "applicant_id": applicant_id,
                    "document_set_id": doc_sets[proc.id],
                    "sets_count": 1,
                    "fee_collected": proc.fee,
                    "result_by": "post" if by_post else "counter",
                    "delivery_address": applicant_row["address"]
                    if by_post and applicant_row
                    else None,
                    "register_book": book,
                    "register_seq": counters[book_key],
                    "officer_id": officer,
                    "notes": "",
                    "duration": proc.duration,
                    "unit": str(proc.unit),
                    "restart_on_supplement": proc.restart,
                    "received_at": received,
                    "due_at": plan.due,
                    "original_due_at": plan.original_due,
                    "settled_at": plan.settled,
                    "outcome": plan.outcome,
                    "closed_at": plan.closed,
                    "postal_in_number": None,
                    "postal_in_sender": None,
                    "demo": True,
                    "version": 1,
                }
            )
            status_counts[int(plan.status)] = status_counts.get(int(plan.status), 0) + 1
            for at, action, frm, to, note, data in plan.events:
                events.append(
                    {
                        "file_id": file_id,
                        "at": at,
                        "action": str(action),
                        "from_status": frm,
                        "to_status": to,
                        "officer_id": officer,
                        "note": note,
                        "data": data,
                    }
                )
            for kind, start, end, reason, slip in plan.pauses:
                pauses.append(
                    {
                        "file_id": file_id,
                        "kind": kind,
                        "start_at": start,
                        "end_at": end,
                        "reason": reason,
                        "slip_number": slip,
                    }
                )
            old_due: datetime | None = None
            old_original: datetime | None = None
            for at, why, due_at, original in plan.history:
                history.append(
                    {
                        "file_id": file_id,
                        "at": at,
                        "reason": why,
                        "old_due_at": old_due,
                        "new_due_at": due_at,
                        "old_original_due_at": old_original,
                        "new_original_due_at": original,
                        "officer_id": officer,
                    }
                )
                old_due, old_original = due_at, original
            if plan.reschedule is not None:
                at, old, new, reason, slip = plan.reschedule
                reschedules.append(
                    {
                        "file_id": file_id,
                        "at": at,
                        "old_due_at": old,
                        "new_due_at": new,
                        "reason": reason,
                        "slip_number": slip,
                        "officer_id": officer,
                    }
                )
            if plan.postal is not None and plan.postal.get("handed_at") is not None:
                postal.append(
                    {
                        "file_id": file_id,
                        "direction": "out",
                        "number": plan.postal["number"],
                        "recipient_name": plan.postal["recipient_name"],
                        "recipient_phone": None,
                        "address": files[-1]["delivery_address"],
                        "postage": 28_000,
                        "paid_by": "applicant",
                        "handed_at": plan.postal["handed_at"],
                        "state": plan.postal["state"],
                        "state_at": plan.postal.get("state_at"),
                        "signed_by": plan.postal.get("signed_by"),
                        "note": None,
                        "officer_id": officer,
                    }
                )
        with db.writer.begin() as s:
            if applicants:
                s.execute(insert(Applicant), applicants)
            s.execute(insert(FileRecord), files)
            digitise.demo_lines(s, files)  # some open files wait in "Chờ số hóa"
            s.execute(insert(Event), events)
            if pauses:
                s.execute(insert(PauseRow), pauses)
            if reschedules:
                s.execute(insert(Reschedule), reschedules)
            if history:
                s.execute(insert(DueChange), history)
            if postal:
                s.execute(insert(PostalItem), postal)
            _save_counters(s, counters)
            done += len(batch)
            if done >= count:
                detail = {"files": count, "seed": seed, "now": now.isoformat(timespec="minutes")}
                if production:
                    detail["into_production"] = real_files
                audit(s, COMMAND_LINE, "demo", "files", None, detail)
        if progress is not None and count > CHUNK:
            progress(f"… {done}/{count} hồ sơ")
    parts = ", ".join(f"{Status(k).label}: {v}" for k, v in sorted(status_counts.items()))
    if production:
        return (
            f"Đã thêm {count} hồ sơ mẫu ({parts}) vào sổ có {real_files} hồ sơ thật; "
            "các hồ sơ này được đánh dấu là hồ sơ mẫu, không tạo tài khoản mẫu."
        )
    return f"Đã tạo {count} hồ sơ mẫu ({parts}). Mật khẩu các tài khoản mẫu: {DEMO_PASSWORD}"


def _save_counters(s: Session, counters: dict[str, int]) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Counter)
    s.execute(
        stmt.on_conflict_do_update(index_elements=["name"], set_={"value": stmt.excluded.value}),
        [{"name": k, "value": v} for k, v in counters.items()],
    )
