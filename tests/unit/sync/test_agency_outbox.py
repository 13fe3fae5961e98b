"""A centre's agencies each keep their own outbox: a day's summary counts the agency's files only,
a change marks only its agency's days, and a database of one agency sends what it always sent."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel
from desk_app.services import intake, lifecycle, users
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import ALL, Scope, assign
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, OutboxRow, Procedure, User
from desk_app.sync import outbox
from desk_app.sync.summary import ProcedureDay, day_summaries, desk_identity, payload

NOW = datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()
B_NAME = "SỞ TƯ PHÁP TỈNH LẠNG SƠN"


def add_agency(s: Session, agency: int, agency_id: str, name: str, short: str) -> None:
    """A second agency as a centre's database holds it: its settings row, its sync row, and a
    catalogue of its own (a copy of agency 1's)."""
    s.add(
        DeskSettings(
            id=agency,
            agency_id=agency_id,
            agency_name=name,
            short_name=short,
            place_name="Lạng Sơn",
        )
    )
    s.flush()
    outbox.ensure_sync_row(s, agency)
    columns = [c.key for c in Procedure.__table__.columns if c.key not in ("id", "agency")]
    for proc in s.scalars(select(Procedure).where(Procedure.agency == 1)).all():
        s.add(Procedure(agency=agency, **{c: getattr(proc, c) for c in columns}))
    s.flush()


def _two_agencies(db: Database) -> Actor:
    """Agency 2 added; the officer works for both; returns the officer signed in again."""
    with db.writer.begin() as s:
        add_agency(s, 2, "000.00.21.H37", B_NAME, "Sở Tư pháp")
        officer = s.scalar(select(User).where(User.username == "canbo"))
        assert officer is not None
        assign(s, officer, {1, 2})
    with db.reader.begin() as s:
        return users.sign_in(s, "canbo", "matkhau123")


def _accept(db: Database, actor: Actor, agency: int, at: datetime, name: str) -> str:
    with db.writer.begin() as s:
        view = intake.accept_file(
            s,
            intake.IntakeInput(
                procedure="1.001029",
                agency=agency,
                applicant=intake.ApplicantInput(name=name, address="12 Lê Lợi, Lạng Sơn"),
                channel=Channel.DIRECT,
                received_at=at,
            ),
            actor,
            now=at,
        )
    return view.code


def _dirty(db: Database) -> dict[int, str | None]:
    with db.reader.begin() as s:
        return {int(i): d for i, d in s.execute(text("SELECT id, dirty_from FROM sync_settings"))}


def _received(rows: tuple[ProcedureDay, ...]) -> int:
    return sum(r.counts.received_direct_postal for r in rows)


def test_each_agency_sends_its_own_files_and_only_its_changed_days(
    db: Database, officer: Actor
) -> None:
    both = _two_agencies(db)
    _accept(db, both, 1, datetime(2026, 2, 26, 9, 0), "Hoàng Văn Thụ")
    _accept(db, both, 1, datetime(2026, 2, 26, 9, 30), "Lê Thị Hồng")
    b_code = _accept(db, both, 2, datetime(2026, 2, 26, 10, 0), "Nông Văn Dền")
    _accept(db, both, 2, datetime(2026, 2, 27, 8, 0), "Vi Thị Lan")
    assert _dirty(db) == {1: "2026-02-26", 2: "2026-02-26"}

    with db.writer.begin() as s:
        added = {a: outbox.refresh(s, TODAY, agency=a) for a in (1, 2)}
    assert added == {1: 5, 2: 5}  # 26/02 to 02/03: the first file of each stays open
    assert _dirty(db) == {1: None, 2: None}

    with db.reader.begin() as s:
        a_days = day_summaries(s, date(2026, 2, 26), TODAY, NOW, scope=Scope.of({1}))
        b_days = day_summaries(s, date(2026, 2, 26), TODAY, NOW, scope=Scope.of({2}))
        every = day_summaries(s, date(2026, 2, 26), TODAY, NOW, scope=ALL)
        assert _received(a_days[date(2026, 2, 26)]) == 2
        assert _received(b_days[date(2026, 2, 26)]) == 1
        assert _received(b_days[date(2026, 2, 27)]) == 1
        assert date(2026, 2, 27) not in a_days or _received(a_days[date(2026, 2, 27)]) == 0
        for day, rows in every.items():  # the agencies' rows make up the whole, none twice
            parts = a_days.get(day, ()) + b_days.get(day, ())
            assert Counter(json.dumps(r.as_json()) for r in parts) == Counter(
                json.dumps(r.as_json()) for r in rows
            )
        sent = {
            (r.agency, r.day): json.loads(r.payload)
            for r in s.scalars(select(OutboxRow).order_by(OutboxRow.id))
        }
        assert {a for a, _ in sent} == {1, 2}
        assert sent[(2, date(2026, 2, 26))]["desk"]["agency_name"] == B_NAME
        assert sent[(1, date(2026, 2, 26))]["desk"]["agency_name"] != B_NAME
        counts = sent[(2, date(2026, 2, 26))]["rows"][0]["counts"]
        assert counts["received_direct_postal"] == 1
        every_payload = " ".join(r.payload for r in s.scalars(select(OutboxRow)))
    for personal in ("Nông Văn Dền", "Vi Thị Lan", "Hoàng", "Lê Lợi", b_code):
        assert personal not in every_payload

    # A change to agency 2's file marks agency 2's days only.
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(b_code, at=datetime(2026, 2, 28, 9, 0)), both, now=NOW)
    assert _dirty(db) == {1: None, 2: "2026-02-26"}
    with db.writer.begin() as s:
        assert outbox.refresh(s, TODAY, agency=1) == 0
        assert outbox.refresh(s, TODAY, agency=2) >= 1
        assert {r.agency for r in s.scalars(select(OutboxRow).where(OutboxRow.revision == 2))} == {
            2
        }


def test_the_settings_token_key_and_rows_are_the_agencys_own(db: Database) -> None:
    from desk_app.services.context import COMMAND_LINE

    _two_agencies(db)
    with db.writer.begin() as s:
        a = outbox.save_config(
            s, enabled=True, url="http://a.example", interval_minutes=15, actor=COMMAND_LINE
        )
        b = outbox.save_config(
            s,
            enabled=False,
            url="http://b.example",
            interval_minutes=30,
            actor=COMMAND_LINE,
            agency=2,
        )
        outbox.ensure_sync_row(s, 2)  # made once: a second call keeps its install id
    assert (a.agency, b.agency) == (1, 2)
    assert a.token_key != b.token_key and b.token_key
    with db.reader.begin() as s:
        assert outbox.read_config(s, 2) == b
        assert outbox.read_config(s, 1).url == "http://a.example"
        assert outbox.sending_agencies(s, enabled_only=True) == [1]
        assert outbox.sending_agencies(s, enabled_only=False) == [1, 2]
        assert outbox.agency_names(s) == {1: outbox.agency_names(s)[1], 2: "Sở Tư pháp"}
        assert outbox.read_config(s, 3).token_key == ""  # no such row: not set up, nothing made
        assert set(outbox.statuses(s)) == {1, 2}


def test_a_database_of_one_agency_sends_the_same_bytes(db: Database, officer: Actor) -> None:
    """No agency filter is added on a database of one agency, and the filter, were it added,
    would change nothing: the payload is the one built from every file."""
    _accept(db, officer, 1, datetime(2026, 2, 27, 9, 0), "Hoàng Văn Thụ")
    with db.writer.begin() as s:
        assert outbox.refresh(s, TODAY) == 4
    with db.reader.begin() as s:
        identity = desk_identity(s)
        every = day_summaries(s, date(2026, 2, 27), TODAY, NOW)
        assert day_summaries(s, date(2026, 2, 27), TODAY, NOW, scope=Scope.of({1})) == every
        for row in s.scalars(select(OutboxRow)):
            assert row.agency == 1
            if row.day < TODAY:  # today's numbers were taken at the clock's now
                assert row.payload == payload(identity, row.day, 1, every.get(row.day, ()))
