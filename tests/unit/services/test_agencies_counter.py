"""Two agencies in one database, at the officers' side: codes, numbers, lists, forms and hours
are each agency's own (issue 14, centre mode)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_app.domain.documents import ResultBy
from desk_app.domain.due import DeadlineState
from desk_app.errors import FieldsError, NotFoundError
from desk_app.services import (
    amend,
    browse,
    bulk,
    calendar_moves,
    intake,
    lifecycle,
    lookup,
    post,
    printing,
    queries,
)
from desk_app.services.browse import ListQueue
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import SlipKind
from desk_app.services.queries import Queue
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import DeskSettings, FileRecord, Procedure, SyncSettings

KARAOKE = "1.001029"  # 5 working days
SAME_DAY = "CHUNG-CT-01"  # received after noon: due at closing the same day
A, B = 1, 2
B_ID = "000.00.21.H37"
MON = datetime(2026, 3, 2, 9, 15)
ONLY_A, ONLY_B = Scope.of({A}), Scope.of({B})


def _add_agency(db: Database, **settings: object) -> None:
    """Agency B as plain rows: its settings, its sync row, two procedures copied from A's
    catalogue with the same national codes."""
    with db.writer.begin() as s:
        s.add(
            DeskSettings(
                id=B,
                agency_id=B_ID,
                governing_body="UBND TỈNH LẠNG SƠN",
                agency_name="SỞ TƯ PHÁP",
                short_name="Sở Tư pháp",
                place_name="Lạng Sơn",
                **settings,
            )
        )
        s.flush()
        s.add(SyncSettings(id=B, install_id="agency-b-test"))
        for code in (KARAOKE, SAME_DAY):
            a = s.scalars(select(Procedure).where(Procedure.code == code)).one()
            s.add(
                Procedure(
                    agency=B,
                    code=a.code,
                    name=a.name,
                    name_folded=a.name_folded,
                    field=a.field,
                    settling_agency="Sở Tư pháp tỉnh Lạng Sơn",
                    duration=a.duration,
                    unit=a.unit,
                    restart_on_supplement=a.restart_on_supplement,
                    fee=a.fee,
                    fee_note=a.fee_note,
                    cutoff=a.cutoff,
                    documents=a.documents,
                )
            )


@pytest.fixture
def two(db: Database) -> Database:
    _add_agency(db)
    return db


@pytest.fixture
def officer_a(officer: Actor) -> Actor:
    return replace(officer, agencies=frozenset({A}), counter="Quầy 1")


@pytest.fixture
def officer_b(officer: Actor) -> Actor:
    return replace(officer, agencies=frozenset({B}), counter="Quầy 7")


def _accept(
    db: Database,
    actor: Actor,
    procedure: str = KARAOKE,
    received: datetime = MON,
    name: str = "Đặng Thị Ánh",
) -> FileView:
    data = intake.IntakeInput(
        procedure=procedure,
        applicant=intake.ApplicantInput(name=name),
        received_at=received,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, actor, now=received)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    raw = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _agency_of(db: Database, code: str) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(FileRecord.agency).where(FileRecord.code == code)) or 0)


def test_codes_and_register_numbers_are_each_agencys(
    two: Database, officer_a: Actor, officer_b: Actor
) -> None:
    a1 = _accept(two, officer_a)
    b1 = _accept(two, officer_b, name="Lò Văn Páo")
    b2 = _accept(two, officer_b, received=MON + timedelta(minutes=5), name="Hoàng Thị Mai")
    a2 = _accept(two, officer_a, received=MON + timedelta(minutes=6), name="Vi Văn Dũng")
    assert a1.code.startswith("000.00.20.H37-260302-") and a2.code.startswith("000.00.20.H37-")
    assert b1.code == f"{B_ID}-260302-0001" and b2.code == f"{B_ID}-260302-0002"
    assert [(v.register_book, v.register_seq) for v in (a1, a2)] == [("2026", 1), ("2026", 2)]
    assert [(v.register_book, v.register_seq) for v in (b1, b2)] == [("2026", 1), ("2026", 2)]
    assert [_agency_of(two, v.code) for v in (a1, b1, b2, a2)] == [A, B, B, A]
    # The register of one agency lists its files only, under its own heading.
    with two.reader.begin() as s:
        register_b = printing.register_data(s, date(2026, 3, 1), date(2026, 3, 31), scope=ONLY_B)
        register_all = printing.register_data(s, date(2026, 3, 1), date(2026, 3, 31))
    assert [r.code for r in register_b.rows] == [b1.code, b2.code]
    assert register_b.header.agency_name == "SỞ TƯ PHÁP"
    assert len(register_all.rows) == 4
    assert register_all.header.agency_name == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"


def test_slip_numbers_count_per_agency(
    two: Database, officer_a: Actor, officer_b: Actor, supervisor: Actor
) -> None:
    a = _accept(two, officer_a)
    b = _accept(two, officer_b, name="Lò Văn Páo")
    boss_b = replace(supervisor, agencies=frozenset({B}))
    boss_a = replace(supervisor, agencies=frozenset({A}))
    with two.writer.begin() as s:
        for code, actor in ((a.code, officer_a), (b.code, officer_b)):
            lifecycle.request_supplement(
                s, MoveInput(code), "Thiếu giấy tờ", actor, now=datetime(2026, 3, 2, 10, 0)
            )
            lifecycle.receive_supplement(s, MoveInput(code), actor, now=datetime(2026, 3, 3, 9, 0))
        for code, actor in ((b.code, boss_b), (a.code, boss_a)):
            amend.reschedule(
                s,
                code,
                datetime(2026, 3, 13, 17, 0),
                "Chờ ý kiến của Công an tỉnh",
                actor,
                now=datetime(2026, 3, 4, 10, 0),
            )
        refused = []
        for actor in (officer_b, officer_a):
            data = intake.IntakeInput(
                procedure=KARAOKE,
                applicant=intake.ApplicantInput(name="Nông Văn Tư"),
                received_at=MON,
            )
            refused.append(intake.refuse_file(s, data, "Không thuộc thẩm quyền", actor, now=MON))
    numbers = {}
    for code, actor in ((a.code, officer_a), (b.code, officer_b)):
        with two.writer.begin() as s:
            numbers[code] = (
                printing.print_slip(s, code, SlipKind.SUPPLEMENT, actor, now=MON).number,
                printing.print_slip(s, code, SlipKind.APOLOGY, actor, now=MON).number,
            )
    assert numbers == {a.code: ("1/HDHS", "1/XLHS"), b.code: ("1/HDHS", "1/XLHS")}
    with two.writer.begin() as s:
        slips = [
            printing.print_slip(s, r.code, SlipKind.REFUSAL, COMMAND_LINE, now=MON) for r in refused
        ]
    assert [slip.number for slip in slips] == ["1/TCHS", "1/TCHS"]
    assert [_agency_of(two, r.code) for r in refused] == [B, A]
    assert "SỞ TƯ PHÁP" in text_of(slips[0].pdf)
    assert "SỞ TƯ PHÁP" not in text_of(slips[1].pdf)


def test_each_receipt_is_headed_with_its_own_agency(
    two: Database, officer_a: Actor, officer_b: Actor
) -> None:
    a = _accept(two, officer_a)
    b = _accept(two, officer_b, name="Lò Văn Páo")
    with two.writer.begin() as s:
        text_a = text_of(printing.print_slip(s, a.code, SlipKind.RECEIPT, officer_a, now=MON).pdf)
        text_b = text_of(printing.print_slip(s, b.code, SlipKind.RECEIPT, officer_b, now=MON).pdf)
        handover_b = text_of(printing.print_handover(s, b.code))
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text_a and "SỞ TƯ PHÁP" not in text_a
    assert "SỞ TƯ PHÁP" in text_b and "SỞ VĂN HÓA" not in text_b
    assert b.code in text_b and "Lò Văn Páo" in text_b
    assert "SỞ TƯ PHÁP" in handover_b


def test_queues_lists_and_search_follow_the_scope(
    two: Database, officer_a: Actor, officer_b: Actor
) -> None:
    a = _accept(two, officer_a, name="Đặng Thị Ánh")
    b = _accept(two, officer_b, name="Đặng Văn Bình")
    now = datetime(2026, 3, 3, 9, 0)
    with two.reader.begin() as s:
        for scope, codes in ((ALL, {a.code, b.code}), (ONLY_A, {a.code}), (ONLY_B, {b.code})):
            assert {r.code for r in queries.list_files(s, Queue.OPEN, now, scope=scope)} == codes
            assert queries.count_queue(s, Queue.OPEN, now, scope=scope) == len(codes)
            views = queries.list_file_views(s, Queue.OPEN, now, scope=scope)
            assert {v.code for v in views} == codes
            assert {r.code for r in queries.search_files(s, "dang", scope=scope)} == codes
            ids = browse.queue_ids(s, ListQueue.NEW, now, scope=scope)
            assert {r.code for r in browse.rows_by_id(s, list(ids)).values()} == codes
            counts = browse.queue_counts(s, now, scope=scope)
            assert counts[ListQueue.NEW] == counts[ListQueue.ALL] == len(codes)
        assert queries.search_files(s, b.code, scope=ONLY_A) == []
        assert [r.code for r in queries.search_files(s, b.code, scope=ONLY_B)] == [b.code]
        assert {r.agency for r in browse.rows_by_id(s, [a.id, b.id]).values()} == {A, B}


def test_due_soon_uses_each_agencys_threshold(
    db: Database, officer_a: Actor, officer_b: Actor
) -> None:
    _add_agency(db, due_soon_days=Decimal(3))
    a = _accept(db, officer_a)
    b = _accept(db, officer_b)
    now = datetime(2026, 3, 5, 9, 0)  # both due Mon 09/03 09:15: two working days and 15 min
    with db.reader.begin() as s:
        soon = {
            name: {r.code for r in queries.list_files(s, Queue.DUE_SOON, now, scope=scope)}
            for name, scope in (("all", ALL), ("a", ONLY_A), ("b", ONLY_B))
        }
        counts = {
            name: browse.queue_count(s, ListQueue.DUE_SOON, now, scope=scope)
            for name, scope in (("all", ALL), ("a", ONLY_A), ("b", ONLY_B))
        }
        limits = queries.due_soon_limits(s, now)
        ids = {
            name: list(browse.queue_ids(s, ListQueue.DUE_SOON, now, scope=scope))
            for name, scope in (("all", ALL), ("a", ONLY_A), ("b", ONLY_B))
        }
    assert soon == {"all": {b.code}, "a": set(), "b": {b.code}}
    assert counts == {"all": 1, "a": 0, "b": 1}
    assert ids == {"all": [b.id], "a": [], "b": [b.id]}
    assert a.code not in soon["all"] and len(limits) == 2


def test_a_one_agency_database_keeps_the_old_queries(db: Database) -> None:
    now = datetime(2026, 3, 5, 9, 0)
    with db.reader.begin() as s:
        for queue in (Queue.DUE_SOON, Queue.OVERDUE, Queue.OPEN):
            assert "agency" not in str(queries.queue_ids(s, queue, now))
        for state in (DeadlineState.DUE_SOON, DeadlineState.OVERDUE):
            terms = queries.deadline_where(s, state, now)
            assert len(terms) == 2 and all("agency" not in str(t) for t in terms)
        assert "agency" not in str(browse.queue_statement(s, ListQueue.DUE_SOON, now))


def test_a_change_of_one_agencys_hours_moves_only_its_files(
    two: Database, officer_a: Actor, officer_b: Actor, admin: Actor
) -> None:
    a = _accept(two, officer_a, SAME_DAY, datetime(2026, 3, 2, 14, 0))
    b = _accept(two, officer_b, SAME_DAY, datetime(2026, 3, 2, 14, 0), name="Lò Văn Páo")
    assert a.original_due == b.original_due == datetime(2026, 3, 2, 17, 0)
    longer = "07:00-11:30,13:30-17:30"
    with two.reader.begin() as s:
        preview = calendar_moves.preview_hours(s, longer, agency=B)
        preview_a = calendar_moves.preview_hours(s, longer)  # agency A by default
    assert [m.code for m in preview.later] == [b.code]
    assert [m.code for m in preview_a.later] == [a.code]
    now = datetime(2026, 3, 2, 15, 0)
    with two.writer.begin() as s:
        s.get_one(DeskSettings, B).office_hours = longer
        moved = calendar_moves.apply_moves(s, admin, now, agency=B)
    assert [m.code for m in moved.later] == [b.code]
    with two.reader.begin() as s:
        due = dict(s.execute(select(FileRecord.code, FileRecord.original_due_at)).all())
        # A centre day change: every agency's files, each under its own agency's hours (B's
        # closing at 17:30 is not brought back to A's 17:00).
        day_off = calendar_moves.preview_day(s, date(2026, 3, 4), False, "Nghỉ")
    assert due[a.code] == datetime(2026, 3, 2, 17, 0)
    assert due[b.code] == datetime(2026, 3, 2, 17, 30)
    assert day_off.empty


def test_a_code_in_both_catalogues_needs_the_agency(
    db: Database, officer_a: Actor, officer_b: Actor
) -> None:
    _add_agency(db, office_hours="07:30-11:30,13:30-17:00")
    with db.reader.begin() as s:
        every = [c for c in lookup.list_procedures(s) if c.code == KARAOKE]
        only_b = lookup.list_procedures(s, scope=ONLY_B)
        with pytest.raises(NotFoundError, match="nhiều cơ quan"):
            lookup.get_procedure(s, KARAOKE)
        with pytest.raises(NotFoundError, match="nhiều cơ quan"):
            lookup.preview_due(s, KARAOKE, MON)
        chosen = lookup.get_procedure(s, KARAOKE, agency=B)
        due_b = lookup.preview_due(s, KARAOKE, datetime(2026, 3, 2, 7, 10), agency=B)
        due_a = lookup.preview_due(s, KARAOKE, datetime(2026, 3, 2, 7, 10), agency=A)
    assert [(c.agency, c.agency_name) for c in every] == [
        (A, "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
        (B, "Sở Tư pháp"),
    ]
    assert {c.code for c in only_b} == {KARAOKE, SAME_DAY} and {c.agency for c in only_b} == {B}
    assert chosen.agency == B and chosen.settling_agency == "Sở Tư pháp tỉnh Lạng Sơn"
    # A opens at 07:00, B at 07:30: a file handed in at 07:10 is inside A's hours only.
    assert due_a == datetime(2026, 3, 9, 7, 10) and due_b == datetime(2026, 3, 6, 17, 0)
    received = _accept(db, officer_b, received=datetime(2026, 3, 2, 7, 10))
    assert received.due == due_b


def test_an_import_creates_each_file_in_its_procedures_agency(
    two: Database, supervisor: Actor, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("import") / "so-giay.csv"
    path.write_text(
        "received,procedure,applicant_name,agency\n"
        f"2026-02-02T09:00,{KARAOKE},Đặng Thị Ánh,{B_ID}\n"
        f"2026-02-02T09:05,{KARAOKE},Lò Văn Páo,\n",
        encoding="utf-8",
    )
    where, rows = bulk.parse_import(path)
    now = datetime(2026, 3, 2, 9, 0)
    # The command line works for every agency: the second row's code is in both catalogues.
    with two.writer.begin() as s, pytest.raises(bulk.ImportRowError, match="nhiều cơ quan"):
        bulk.import_files(s, rows, COMMAND_LINE, where=where, now=now)
    with two.writer.begin() as s:
        views = bulk.import_files(s, rows, COMMAND_LINE, where=where, now=now, agency=A)
    assert [_agency_of(two, v.code) for v in views] == [B, A]
    assert views[0].code.startswith(B_ID) and not views[1].code.startswith(B_ID)
    # A supervisor of B alone: B's catalogue.
    boss_b = replace(supervisor, agencies=frozenset({B}))
    with two.writer.begin() as s:
        (view,) = bulk.import_files(s, rows[1:], boss_b, where=where, now=now)
    assert _agency_of(two, view.code) == B


def test_the_postal_list_of_one_agency(two: Database, officer_a: Actor, officer_b: Actor) -> None:
    for actor, name, tracking in (
        (officer_a, "Đặng Thị Ánh", "RR123456785VN"),
        (officer_b, "Lò Văn Páo", "EE473054062VN"),
    ):
        data = intake.IntakeInput(
            procedure=KARAOKE,
            applicant=intake.ApplicantInput(name=name, phone="0912345678"),
            received_at=MON,
            result_by=ResultBy.POST,
            delivery_name=name,
            delivery_phone="0912345678",
            delivery_address="Số 12 đường Trần Đăng Ninh, tỉnh Lạng Sơn",
        )
        with two.writer.begin() as s:
            code = intake.accept_file(s, data, actor, now=MON).code
            settled = datetime(2026, 3, 4, 10, 0)
            lifecycle.record_result(s, MoveInput(code, at=settled), actor, now=settled)
            post.hand_over(
                s,
                code,
                tracking=tracking,
                postage=28_000,
                paid_by="applicant",
                actor=actor,
                at=datetime(2026, 3, 5, 14, 0),
                now=datetime(2026, 3, 5, 15, 0),
            )
    with two.reader.begin() as s:
        only_b = text_of(post.handover_list_pdf(s, date(2026, 3, 5), scope=ONLY_B))
        every = text_of(post.handover_list_pdf(s, date(2026, 3, 5)))
    assert "EE473054062VN" in only_b and "RR123456785VN" not in only_b
    assert "SỞ TƯ PHÁP" in only_b
    assert "EE473054062VN" in every and "RR123456785VN" in every


def test_a_code_in_two_catalogues_without_an_agency_is_refused_not_filed(
    two: Database, officer: Actor
) -> None:
    """The command line or an administrator works for every agency: a code both catalogues
    hold must name its agency; nothing is written, and naming it files it there."""
    everyone = replace(officer, agencies=None)
    with pytest.raises(FieldsError) as refused:
        _accept(two, everyone)
    assert "nhiều cơ quan" in refused.value.errors["procedure"]
    with two.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(FileRecord)) == 0
    data = intake.IntakeInput(
        procedure=KARAOKE, applicant=intake.ApplicantInput(name="Lò Văn Páo"), agency=B
    )
    with two.writer.begin() as s:
        view = intake.accept_file(s, data, everyone, now=MON)
    assert view.code.startswith(B_ID + "-") and _agency_of(two, view.code) == B
