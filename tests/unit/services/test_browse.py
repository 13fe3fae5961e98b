"""The window's queues: membership, counts, orders and the deadline words of each row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.domain.due import DeadlineState
from desk_app.domain.text import fold
from desk_app.domain.workflow import Status
from desk_app.services import browse, lifecycle
from desk_app.services.browse import ListQueue, SortKey
from desk_app.services.context import Actor, load_context
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import FileRecord

Accept = Callable[..., FileView]

MONDAY = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def desk(db: Database, officer: Actor, accept: Accept) -> dict[str, str]:
    """Eight files in different states; karaoke files take 5 working days."""
    names = ["Đặng Thị Ánh", "Bùi Văn Cường", "Âu Minh Đức", "Lê Thu Hà",
             "Phạm Quốc Bảo", "Trần Gia Huy", "Vũ Ngọc Lan", "Đỗ Hải Yến"]  # fmt: skip
    codes = {n: accept(received=MONDAY + timedelta(minutes=i), name=n).code
             for i, n in enumerate(names)}  # fmt: skip

    def step(fn: Callable[..., FileView], name: str, *args: object, **kw: object) -> None:
        with db.writer.begin() as s:
            fn(s, MoveInput(codes[name]), *args, officer, now=MONDAY + timedelta(hours=1), **kw)

    step(lifecycle.forward, "Bùi Văn Cường")
    step(lifecycle.forward, "Âu Minh Đức")
    step(lifecycle.request_supplement, "Âu Minh Đức", "Thiếu bản sao giấy phép")
    step(lifecycle.request_financial, "Lê Thu Hà", "Nộp phí thẩm định")
    step(lifecycle.record_result, "Phạm Quốc Bảo")
    step(lifecycle.record_result, "Trần Gia Huy")
    step(lifecycle.return_result, "Trần Gia Huy", receiver="Trần Gia Huy")
    with db.writer.begin() as s:  # one result goes by post
        s.execute(
            FileRecord.__table__.update()
            .where(FileRecord.code == codes["Vũ Ngọc Lan"])
            .values(result_by="post")
        )
    step(lifecycle.record_result, "Vũ Ngọc Lan")
    return codes


def _codes(db: Database, queue: ListQueue, now: datetime, **kw: object) -> list[str]:
    with db.reader.begin() as s:
        ids = list(browse.queue_ids(s, queue, now, **kw))  # type: ignore[arg-type]
        by_id = dict(s.execute(select(FileRecord.id, FileRecord.code)).all())
    return [by_id[i] for i in ids]


def test_each_status_queue_holds_exactly_its_files(db: Database, desk: dict[str, str]) -> None:
    now = MONDAY + timedelta(hours=2)
    expected = {
        ListQueue.NEW: {"Đặng Thị Ánh", "Đỗ Hải Yến"},
        ListQueue.PROCESSING: {"Bùi Văn Cường"},
        ListQueue.SUPPLEMENT: {"Âu Minh Đức"},
        ListQueue.FINANCIAL: {"Lê Thu Hà"},
        ListQueue.RESULT_READY: {"Phạm Quốc Bảo"},
        ListQueue.POSTAL_PENDING: {"Vũ Ngọc Lan"},
        ListQueue.IN_TRANSIT: set(),
        ListQueue.POSTAL_RETURNED: set(),
        ListQueue.RETURNED: {"Trần Gia Huy"},
        ListQueue.ALL: set(desk),
        ListQueue.OVERDUE: set(),
        ListQueue.DUE_SOON: set(),
    }
    with db.reader.begin() as s:
        counts = browse.queue_counts(s, now)
    for queue, names in expected.items():
        assert set(_codes(db, queue, now)) == {desk[n] for n in names}, queue
        assert counts[queue] == len(names), queue


@pytest.mark.parametrize("now", [MONDAY + timedelta(hours=2), datetime(2026, 3, 6, 10, 0)])
def test_the_queues_listing_a_file_are_those_whose_ids_hold_it(
    db: Database, desk: dict[str, str], now: datetime
) -> None:
    with db.reader.begin() as s:
        ids: dict[str, int] = dict(s.execute(select(FileRecord.code, FileRecord.id)).all())
        members = {q: set(browse.queue_ids(s, q, now)) for q in ListQueue}
        listing = {code: browse.queues_listing(s, i, now) for code, i in ids.items()}
        assert browse.queues_listing(s, 10**9, now) == frozenset()
    for code, file_id in ids.items():
        assert listing[code] == {q for q in ListQueue if file_id in members[q]}, code
    # On Friday the running files are also due soon: two queues besides "all".
    assert len(listing[desk["Bùi Văn Cường"]]) == (3 if now.day == 6 else 2)


def test_overdue_and_due_soon_follow_the_clock(db: Database, desk: dict[str, str]) -> None:
    # Due Monday 9 March 09:00–09:07; on Friday 6 March 10:00 less than a working day is left.
    friday = datetime(2026, 3, 6, 10, 0)
    running = {desk["Đặng Thị Ánh"], desk["Đỗ Hải Yến"], desk["Bùi Văn Cường"]}
    assert set(_codes(db, ListQueue.DUE_SOON, friday)) == running
    assert _codes(db, ListQueue.OVERDUE, friday) == []
    later = datetime(2026, 3, 10, 9, 0)
    overdue = _codes(db, ListQueue.OVERDUE, later)
    assert set(overdue) == running
    # Oldest due first: received earliest, due earliest.
    assert overdue[0] == desk["Đặng Thị Ánh"]
    with db.reader.begin() as s:
        counts = browse.queue_counts(s, later)
    assert counts[ListQueue.OVERDUE] == 3
    assert counts[ListQueue.DUE_SOON] == 0


def test_sorting_by_applicant_ignores_diacritics_and_can_reverse(
    db: Database, desk: dict[str, str]
) -> None:
    names = sorted(desk, key=fold)
    by_name = {code: name for name, code in desk.items()}
    asc = [by_name[c] for c in _codes(db, ListQueue.ALL, MONDAY, sort=SortKey.APPLICANT)]
    assert asc == names
    desc = _codes(db, ListQueue.ALL, MONDAY, sort=SortKey.APPLICANT, descending=True)
    assert [by_name[c] for c in desc] == names[::-1]
    codes = _codes(db, ListQueue.ALL, MONDAY, sort=SortKey.CODE)
    assert codes == sorted(codes)


def test_rows_and_deadline_words(db: Database, desk: dict[str, str]) -> None:
    with db.reader.begin() as s:
        ids = list(browse.queue_ids(s, ListQueue.ALL, MONDAY))
        rows = browse.rows_by_id(s, ids)
        ctx = load_context(s)
    by_code = {r.code: r for r in rows.values()}
    assert len(by_code) == 8

    def deadline(name: str, now: datetime) -> browse.Deadline:
        return browse.row_deadline(by_code[desk[name]], ctx.calendar, now, ctx.due_soon)

    first = by_code[desk["Đặng Thị Ánh"]]
    assert first.status is Status.ACCEPTED
    assert first.applicant_name == "Đặng Thị Ánh"
    # Received Mon 09:00, five working days: due Mon 9 March 09:00. On Tuesday 3 March 11:00
    # the rest of Tuesday (6 working hours) and Wednesday to Friday are left.
    tuesday = datetime(2026, 3, 3, 11, 0)
    assert deadline("Đặng Thị Ánh", tuesday) == browse.Deadline(
        DeadlineState.IN_TIME, "còn 3 ngày 6 giờ"
    )
    assert deadline("Đặng Thị Ánh", datetime(2026, 3, 10, 9, 0)).state == DeadlineState.OVERDUE
    assert deadline("Đặng Thị Ánh", datetime(2026, 3, 10, 9, 0)).words == "quá hạn 1 ngày"
    assert deadline("Âu Minh Đức", tuesday) == browse.Deadline(DeadlineState.PAUSED, "tạm dừng")
    settled = deadline("Phạm Quốc Bảo", tuesday)
    assert settled.state is None
    assert settled.words == "trước hạn"


def test_postal_queues_follow_the_item(db: Database, desk: dict[str, str]) -> None:
    """Waiting for the post, with the post, back from the post (then sent again)."""
    from desk_app.store.models import PostalItem

    code = desk["Vũ Ngọc Lan"]
    now = MONDAY + timedelta(hours=3)

    def queues() -> set[ListQueue]:
        postal = (ListQueue.POSTAL_PENDING, ListQueue.IN_TRANSIT, ListQueue.POSTAL_RETURNED)
        return {q for q in postal if code in _codes(db, q, now)}

    def add_item(number: str, state: str) -> None:
        with db.writer.begin() as s:
            file_id = s.scalar(select(FileRecord.id).where(FileRecord.code == code))
            s.add(PostalItem(file_id=file_id, direction="out", number=number, state=state))

    assert queues() == {ListQueue.POSTAL_PENDING}
    add_item("RR123456785VN", "returned")
    assert queues() == {ListQueue.POSTAL_RETURNED}
    add_item("RR000000000VN", "handed")
    assert queues() == {ListQueue.IN_TRANSIT}
    with db.reader.begin() as s:
        counts = browse.queue_counts(s, now)
    assert counts[ListQueue.IN_TRANSIT] == 1
    assert counts[ListQueue.POSTAL_RETURNED] == 0
    assert counts[ListQueue.POSTAL_PENDING] == 0
