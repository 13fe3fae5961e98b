"""Many random files through the real services: Biểu 06 equals a count of what was done."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import text as text_
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel, ResultBy
from desk_app.domain.due import settlement_outcome
from desk_app.domain.statistics import StatCounts
from desk_app.services import intake, lifecycle, post, queries
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.reports import period_of
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database
from tests.desk_setup import OFFICER, fill_desk

NOW = datetime(2026, 3, 2, 10, 0)
FIRST_DAY = date(2025, 7, 1)
LAST_DAY = date(2026, 2, 27)
FILES = 320
SEED = 20260302
# A mix of time limits: same day, hours, half a day, restart on supplement, none, calendar days.
PROCEDURES = (
    "CHUNG-CT-01",
    "CHUNG-CT-02",
    "CHUNG-CT-03",
    "CHUNG-CT-04",
    "VHTTDL-DL-01",
    "VHTTDL-DL-04",
    "VHTTDL-DL-10",
    "VHTTDL-TDTT-01",
    "1.001029",
    "VHTTDL-VH-04",
)


@dataclass
class Story:
    """What the simulation did to one file, kept apart from what the database stored."""

    code: str
    procedure: str
    channel: str
    received: datetime
    settled: datetime | None = None
    closed: datetime | None = None
    closed_as: str | None = None  # "withdrawn", "stopped", "returned", "delivered"
    pause_start: datetime | None = None  # a pause still open now
    # The original due the desk gave after each step that can move it (receipt, pause, resume),
    # and every pause: statistics judge a file by its due as it stood (DOMAIN §4.1 rule 5).
    dues: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    pauses: list[list[datetime | None]] = field(default_factory=list)
    sent: list[datetime] = field(default_factory=list)
    delivered: datetime | None = None
    returned: list[datetime] = field(default_factory=list)


def _s10(serial: int) -> str:
    """A valid UPU S10 number (the check digit by its weights)."""
    digits = f"{serial:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"RR{digits}{check}VN"


class Simulation:
    """Random life cycles driven through the services, each move at a random later moment."""

    def __init__(self, db: Database, officer: Actor, seed: int) -> None:
        self.db = db
        self.actor = officer
        self.rng = random.Random(seed)
        self.stories: list[Story] = []
        self.refused = 0
        self.serial = 10_000_000

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, time(self.rng.randint(7, 16), self.rng.choice((0, 15, 30))))

    def _later(self, at: datetime | None) -> datetime | None:
        """A moment after `at` (minutes to weeks), or None when it would be after NOW."""
        if at is None:
            return None
        step = self.rng.choice(
            (
                timedelta(minutes=self.rng.randint(5, 240)),
                timedelta(hours=self.rng.randint(4, 72)),
                timedelta(days=self.rng.randint(1, 30), minutes=self.rng.randint(0, 600)),
            )
        )
        nxt = (at + step).replace(second=0, microsecond=0)
        return nxt if nxt <= NOW else None

    def run(self, count: int) -> None:
        span = (LAST_DAY - FIRST_DAY).days
        for _ in range(count):
            received = self._moment(FIRST_DAY + timedelta(days=self.rng.randint(0, span)))
            with self.db.writer.begin() as s:
                self._one(s, received)

    def _one(self, s: Session, received: datetime) -> None:
        rng = self.rng
        procedure = rng.choice(PROCEDURES)
        channel = rng.choices((Channel.DIRECT, Channel.ONLINE, Channel.POSTAL), weights=(6, 3, 2))[
            0
        ]
        by_post = rng.random() < 0.3
        data = intake.IntakeInput(
            procedure=procedure,
            applicant=intake.ApplicantInput(
                name="Hoàng Văn Thụ", address="12 Lê Lợi, phường Vĩnh Trại, Lạng Sơn"
            ),
            channel=channel,
            received_at=received,
            result_by=ResultBy.POST if by_post else ResultBy.COUNTER,
        )
        if rng.random() < 0.06:
            # Received at the counter at that moment: the intake is typed then, not backdated.
            intake.refuse_file(s, data, "Hồ sơ không thuộc thẩm quyền.", self.actor, now=received)
            self.refused += 1
            return
        view = intake.accept_file(s, data, self.actor, now=received)
        story = Story(view.code, procedure, str(channel), view.received)
        story.dues.append((view.received, view.original_due))
        self.stories.append(story)
        self._life(s, story, by_post)

    def _life(self, s: Session, story: Story, by_post: bool) -> None:
        rng, actor, code = self.rng, self.actor, story.code
        at: datetime | None = story.received
        status = "accepted"
        if rng.random() < 0.75:
            at = self._later(at)
            if at is None:
                return
            lifecycle.forward(s, MoveInput(code, at=at), actor, now=NOW)
            status = "processing"
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            at = self._later(at)
            if at is None:
                return
            supplement = rng.random() < 0.75
            if supplement:
                view = lifecycle.request_supplement(
                    s, MoveInput(code, at=at), "Thiếu bản sao", actor, now=NOW
                )
            else:
                view = lifecycle.request_financial(
                    s, MoveInput(code, at=at), "Nộp phí", actor, now=NOW
                )
            story.dues.append((at, view.original_due))
            story.pauses.append([at, None])
            story.pause_start = at
            at = self._later(at)
            if at is None:
                return
            if rng.random() < 0.15:
                lifecycle.withdraw(s, MoveInput(code, at=at), "Công dân rút", actor, now=NOW)
                story.closed, story.closed_as, story.pause_start = at, "withdrawn", None
                story.pauses[-1][1] = at
                return
            if rng.random() < 0.1:
                return  # still paused now
            if supplement:
                view = lifecycle.receive_supplement(s, MoveInput(code, at=at), actor, now=NOW)
            else:
                view = lifecycle.record_financial(s, MoveInput(code, at=at), actor, now=NOW)
            story.dues.append((at, view.original_due))
            story.pauses[-1][1] = at
            story.pause_start = None
            status = "processing"
        at = self._later(at)
        if at is None:
            return
        roll = rng.random()
        if roll < 0.08:
            lifecycle.withdraw(s, MoveInput(code, at=at), "Công dân rút", actor, now=NOW)
            story.closed, story.closed_as = at, "withdrawn"
            return
        if roll < 0.14 and status == "processing":
            lifecycle.stop(s, MoveInput(code, at=at), "Thông báo dừng", actor, now=NOW)
            story.closed, story.closed_as = at, "stopped"
            return
        if roll < 0.25:
            return  # left open
        lifecycle.record_result(s, MoveInput(code, at=at), actor, now=NOW)
        story.settled = at
        at = self._later(at)
        if at is None:
            return
        if not by_post:
            if rng.random() < 0.85:
                lifecycle.return_result(
                    s, MoveInput(code, at=at), actor, receiver="Người nhận", now=NOW
                )
                story.closed, story.closed_as = at, "returned"
            return
        self._post(s, story, at)

    def _post(self, s: Session, story: Story, at: datetime | None) -> None:
        rng, actor, code = self.rng, self.actor, story.code
        for _ in range(2):
            if at is None:
                return
            self.serial += 1
            post.hand_over(
                s,
                code,
                tracking=_s10(self.serial),
                postage=30000,
                paid_by="applicant",
                actor=actor,
                at=at,
                now=NOW,
            )
            story.sent.append(at)
            at = self._later(at)
            if at is None:
                return
            if rng.random() < 0.2:
                post.record_failed(s, code, at=at, reason="Vắng nhà", actor=actor, now=NOW)
                at = self._later(at)
                if at is None:
                    return
            if rng.random() < 0.75:
                post.record_delivered(
                    s, code, at=at, signed_by="Hoàng Văn Thụ", actor=actor, now=NOW
                )
                story.delivered, story.closed, story.closed_as = at, at, "delivered"
                return
            post.record_returned(s, code, at=at, reason="Sai địa chỉ", actor=actor, now=NOW)
            story.returned.append(at)
            at = self._later(at)


@dataclass(frozen=True)
class Known:
    """What the independent count needs from the stored file besides the story."""

    field: str
    original_due: datetime | None


def _expected(
    stories: list[Story], known: dict[str, Known], start: date, end: date, by: GroupBy
) -> dict[str, Counter[str]]:
    """Biểu 06 counted from the simulation's own moments, by DOMAIN §9's wording."""
    s = datetime.combine(start, time())
    e = datetime.combine(end + timedelta(days=1), time())
    out: dict[str, Counter[str]] = {}
    for st in stories:
        k = known[st.code]
        c = out.setdefault(k.field if by == GroupBy.FIELD else st.procedure, Counter())
        # Postal figures follow the item, whatever became of the file before the period.
        c["postal_sent"] += sum(s <= m < e for m in st.sent)
        c["postal_delivered"] += int(st.delivered is not None and s <= st.delivered < e)
        c["postal_returned"] += sum(s <= m < e for m in st.returned)
        if st.received >= e:
            continue
        ended = min((m for m in (st.settled, st.closed) if m is not None), default=None)
        if ended is not None and ended < s:
            continue
        if st.received >= s:
            c["received_online" if st.channel == "online" else "received_direct_postal"] += 1
            c["postal_received"] += int(st.channel == "postal")
        else:
            c["carried_over"] += 1
        if st.settled is not None and s <= st.settled < e:
            c[f"settled_{settlement_outcome(_due_as_of(st, st.settled), st.settled)}"] += 1
        if st.settled is None and st.closed is not None and st.closed < e:
            c[st.closed_as or "?"] += 1
        if ended is None or ended >= e:
            # Judged at the end against the due as it stood then; paused then, by a pause that
            # started before that due, it is in time.
            due = _due_as_of(st, e)
            held = [p for p, q in st.pauses if p is not None and p < e and (q is None or q >= e)]
            limit = min(e, held[0]) if held else e
            late = due is not None and due < limit
            c["open_overdue" if late else "open_in_time"] += 1
    return out


def _due_as_of(st: Story, moment: datetime) -> datetime | None:
    """The original due the desk had given the file before `moment`."""
    due = st.dues[0][1]
    for at, value in st.dues:
        if at < moment:
            due = value
    return due


@pytest.fixture(scope="module")
def simulated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Database, list[Story], dict[str, Known], int]:
    from desk_app.services import users
    from desk_app.store.engine import open_database
    from desk_app.store.migrate import upgrade

    path = tmp_path_factory.mktemp("random_stats") / "desk.sqlite3"
    upgrade(path)
    db = open_database(path)
    with db.writer.begin() as s:
        fill_desk(s, staff=[OFFICER])
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    sim = Simulation(db, officer, SEED)
    sim.run(FILES)
    known: dict[str, Known] = {}
    with db.reader.begin() as s:
        for st in sim.stories:
            view = queries.show_file(s, st.code)
            # The stored moments are what the simulation did; the count below uses its own.
            assert (view.received, view.settled, view.closed) == (
                st.received,
                st.settled,
                st.closed,
            )
            known[st.code] = Known(view.field, view.original_due)
    return db, sim.stories, known, sim.refused


PERIODS = [
    period_of("month", 2025, 9),
    period_of("month", 2025, 12),
    period_of("month", 2026, 2),
    period_of("quarter", 2025, 3),
    period_of("quarter", 2025, 4),
    period_of("half", 2025, 2),
    period_of("year", 2025),
    (date(2025, 11, 17), date(2026, 3, 1)),
    (date(2025, 10, 15), date(2025, 10, 15)),
    (date(2026, 3, 2), date(2026, 3, 31)),
]


def test_the_simulation_covers_every_column(
    simulated: tuple[Database, list[Story], dict[str, Known], int],
) -> None:
    db, stories, _, refused = simulated
    with db.reader.begin() as s:
        report = period_report(s, date(2025, 1, 1), date(2026, 3, 31))
    total = report.total
    assert refused > 0
    assert total.received_total == len(stories)
    for key, value in total.as_dict().items():
        if key not in ("carried_over",):
            assert value > 0, key


@pytest.mark.parametrize(("start", "end"), PERIODS)
@pytest.mark.parametrize("by", [GroupBy.FIELD, GroupBy.PROCEDURE])
def test_every_identity_and_column_matches_the_simulation(
    simulated: tuple[Database, list[Story], dict[str, Known], int],
    start: date,
    end: date,
    by: GroupBy,
) -> None:
    db, stories, known, _ = simulated
    with db.reader.begin() as s:
        report = period_report(s, start, end, by)
    expected = _expected(stories, known, start, end, by)
    for row in report.rows:
        c = row.counts
        assert c.received_total == c.received_online + c.received_direct_postal + c.carried_over
        assert c.settled_total == c.settled_early + c.settled_on_time + c.settled_late
        assert c.open_total == c.open_in_time + c.open_overdue
        assert c.received_total == c.settled_total + c.open_total + c.withdrawn + c.stopped
        assert c.identity_errors() == []
        assert c == StatCounts.from_dict(dict(expected.get(row.group, Counter()))), row.group
    assert {r.group for r in report.rows} == {k for k, v in expected.items() if sum(v.values())}
    want_total = StatCounts.from_dict(dict(sum(expected.values(), Counter())))
    assert report.total == want_total
    assert report.total.identity_errors() == []


def test_the_department_day_summaries_equal_each_days_report(
    simulated: tuple[Database, list[Story], dict[str, Known], int],
) -> None:
    """The summaries sent upward are built for a range at once; each day must still equal the
    report of that single day, whatever range it was built in."""
    from desk_app.services.statistics import counts_by_procedure
    from desk_app.sync.summary import day_summaries

    db, _, _, _ = simulated
    last = NOW.date()
    with db.reader.begin() as s:
        codes = {
            int(pid): str(code) for pid, code in s.execute(text_("SELECT id, code FROM procedures"))
        }
        whole = day_summaries(s, FIRST_DAY - timedelta(days=3), last)
        later = day_summaries(s, date(2025, 11, 20), last)
        day = FIRST_DAY - timedelta(days=3)
        compared = 0
        while day <= last:
            expected = {codes[pid]: c for pid, c in counts_by_procedure(s, day, day).items()}
            got = {r.procedure: r.counts for r in whole.get(day, ())}
            assert got == expected, day
            if day >= date(2025, 11, 20):
                assert {r.procedure: r.counts for r in later.get(day, ())} == expected, day
            compared += bool(expected)
            day += timedelta(days=1)
    assert compared > 200
