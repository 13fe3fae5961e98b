"""Results by post: choosing delivery, S10 hand-over, outcomes, the bulk import, statistics."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_app.domain import codes
from desk_app.domain.documents import ResultBy
from desk_app.domain.workflow import Action, Status
from desk_app.errors import FieldsError, IllegalTransitionError, StaleEditError, ValidationError
from desk_app.services import intake, lifecycle, post, post_lists, queries, statistics
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import Event, PostalItem

KARAOKE = "1.001029"
RECEIVED = datetime(2026, 3, 2, 9, 15)
SETTLED = datetime(2026, 3, 5, 10, 0)
HANDED = datetime(2026, 3, 5, 14, 0)
NOW = datetime(2026, 3, 20, 10, 0)
# UPU S10 numbers: weights 8 6 4 2 3 5 9 7 over the serial, check = 11 - sum % 11 (10 -> 0,
# 11 -> 5). 12345678: 204 % 11 = 6 -> 5. 47305406: 229 % 11 = 9 -> 2. 00000000 -> 5.
VALID = "RR123456785VN"
VALID_2 = "EE473054062VN"
VALID_3 = "CP000000005VN"
WRONG_CHECK = "RR123456784VN"


def test_known_s10_numbers() -> None:
    assert codes.check_s10(VALID).check_ok
    assert codes.check_s10(VALID_2).check_ok
    assert codes.check_s10(VALID_3).check_ok
    assert not codes.check_s10(WRONG_CHECK).check_ok


def _settled_by_post(db: Database, officer: Actor, name: str = "Đặng Thị Ánh") -> FileView:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name=name, phone="0912345678"),
        received_at=RECEIVED,
        result_by=ResultBy.POST,
        delivery_name=name,
        delivery_phone="0912345678",
        delivery_address="Số 12 đường Trần Đăng Ninh, phường Đông Kinh, tỉnh Lạng Sơn",
    )
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=RECEIVED)
    with db.writer.begin() as s:
        return lifecycle.record_result(s, MoveInput(view.code, at=SETTLED), officer, now=SETTLED)


@pytest.fixture
def settled(db: Database, officer: Actor) -> Callable[..., FileView]:
    def _make(name: str = "Đặng Thị Ánh") -> FileView:
        return _settled_by_post(db, officer, name)

    return _make


def _hand(
    db: Database, officer: Actor, code: str, tracking: str = VALID, at: datetime = HANDED
) -> tuple[FileView, str | None]:
    with db.writer.begin() as s:
        return post.hand_over(
            s,
            code,
            tracking=tracking,
            postage=28_000,
            paid_by="applicant",
            actor=officer,
            at=at,
            now=NOW,
        )


def _items(db: Database, code: str) -> list[post.PostalItemView]:
    with db.reader.begin() as s:
        return post.postal_items(s, code)


# --- choosing delivery by post -----------------------------------------------------------------


def test_choose_post_later_sets_the_address(
    db: Database, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept(received=RECEIVED)
    assert view.result_by == "counter"
    with db.writer.begin() as s:
        chosen = post.choose_post(
            s,
            view.code,
            name="Hoàng Văn Nam",
            phone="0912 345 678",
            address="Thôn Nà Sla, xã Hoàng Đồng",
            actor=officer,
            expected_version=view.version,
            now=RECEIVED,
        )
    assert chosen.result_by == "post"
    assert (chosen.delivery_name, chosen.delivery_phone, chosen.delivery_address) == (
        "Hoàng Văn Nam",
        "0912345678",
        "Thôn Nà Sla, xã Hoàng Đồng",
    )
    assert chosen.version == view.version + 1


def test_choose_post_reports_every_bad_field_and_stale_versions(
    db: Database, officer: Actor, accept: Callable[..., FileView]
) -> None:
    view = accept(received=RECEIVED)
    with db.writer.begin() as s, pytest.raises(FieldsError) as caught:
        post.choose_post(s, view.code, name=" ", phone="12", address="", actor=officer)
    assert set(caught.value.errors) == {"name", "phone", "address"}
    with db.writer.begin() as s, pytest.raises(StaleEditError):
        post.choose_post(
            s,
            view.code,
            name="A",
            phone="",
            address="B",
            actor=officer,
            expected_version=view.version + 5,
        )


# --- hand-over ---------------------------------------------------------------------------------


def test_hand_over_records_the_item_and_the_event(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    view, warning = _hand(db, officer, code, tracking="rr 123 456 785 vn")
    assert warning is None
    assert view.status is Status.SETTLED
    event = view.events[-1]
    assert event.action == Action.POSTAL_HANDOVER
    assert (event.at, event.from_status, event.to_status) == (
        HANDED,
        Status.SETTLED,
        Status.SETTLED,
    )
    assert event.officer == "Nguyễn Thị Lan"
    assert event.data == {"number": VALID, "paid_by": "applicant", "postage": 28000}
    [item] = [i for i in _items(db, code) if i.direction == "out"]
    assert (item.number, item.state, item.handed_at, item.postage) == (
        VALID,
        "handed",
        HANDED,
        28_000,
    )
    assert item.address is not None and item.address.startswith("Số 12")
    assert item.officer == "Nguyễn Thị Lan"
    assert item.state_label == "Đang chuyển phát"
    with db.reader.begin() as s:
        assert post.find_by_tracking(s, "RR123456785vn") == code
        assert post.find_by_tracking(s, "RR999999990VN") is None


def test_wrong_check_digit_warns_but_does_not_block(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    _, warning = _hand(db, officer, code, tracking=WRONG_CHECK)
    assert warning is not None
    assert "không khớp" in warning
    assert [i.number for i in _items(db, code)] == [WRONG_CHECK]


def test_bad_shape_is_refused_on_the_tracking_field(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    with pytest.raises(ValidationError) as caught:
        _hand(db, officer, code, tracking="RR12345VN")
    assert caught.value.field == "tracking"
    assert _items(db, code) == []


def test_a_tracking_number_serves_one_file_only(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    first = settled().code
    second = settled("Lê Văn Bình").code
    _hand(db, officer, first)
    with pytest.raises(ValidationError) as caught:
        _hand(db, officer, second)
    assert caught.value.field == "tracking"
    assert first in caught.value.message
    assert _items(db, second) == []


def test_hand_over_needs_a_settled_file_by_post(
    db: Database, officer: Actor, accept: Callable[..., FileView], settled: Callable[..., FileView]
) -> None:
    counter_file = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(counter_file, at=SETTLED), officer, now=SETTLED)
    with pytest.raises(ValidationError) as caught:
        _hand(db, officer, counter_file)
    assert caught.value.field == "result_by"
    # Delivery by post chosen but the result is not back yet: the life cycle refuses the move.
    not_ready = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        post.choose_post(s, not_ready, name="A", phone="", address="B", actor=officer, now=NOW)
    with pytest.raises(IllegalTransitionError):
        _hand(db, officer, not_ready)
    # Already with the post: a second hand-over waits for an outcome.
    code = settled().code
    _hand(db, officer, code)
    with pytest.raises(ValidationError, match="đã giao cho bưu chính"):
        _hand(db, officer, code, tracking=VALID_2)


def test_hand_over_before_the_result_came_back_is_refused(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    with pytest.raises(ValidationError) as caught:
        _hand(db, officer, code, at=datetime(2026, 3, 4, 9, 0))
    assert caught.value.field == "at"


# --- outcomes ----------------------------------------------------------------------------------


def test_delivered_closes_the_file(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    _hand(db, officer, code)
    at = datetime(2026, 3, 7, 9, 30)
    with db.writer.begin() as s:
        view = post.record_delivered(
            s, code, at=at, signed_by="Đặng Thị Ánh", actor=officer, now=NOW
        )
    assert view.status is Status.RETURNED
    assert view.closed == at
    event = view.events[-1]
    assert (event.action, event.from_status, event.to_status) == (
        Action.POSTAL_DELIVERED,
        Status.SETTLED,
        Status.RETURNED,
    )
    [item] = _items(db, code)
    assert (item.state, item.state_at, item.signed_by) == ("delivered", at, "Đặng Thị Ánh")
    with db.writer.begin() as s, pytest.raises(ValidationError):
        post.record_returned(s, code, at=NOW, reason="x", actor=officer, now=NOW)


def test_failed_then_returned_stays_at_the_desk_and_can_go_again(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    _hand(db, officer, code)
    with db.writer.begin() as s:
        failed = post.record_failed(
            s,
            code,
            at=datetime(2026, 3, 6, 9, 0),
            reason="Người nhận vắng nhà",
            actor=officer,
            now=NOW,
        )
    assert failed.status is Status.SETTLED
    assert _items(db, code)[0].state == "failed"
    with db.writer.begin() as s:
        returned = post.record_returned(
            s,
            code,
            at=datetime(2026, 3, 10, 15, 0),
            reason="Không liên lạc được",
            actor=officer,
            now=NOW,
        )
    assert returned.status is Status.SETTLED
    assert returned.closed is None
    assert [e.action for e in returned.events[-3:]] == [
        Action.POSTAL_HANDOVER,
        Action.POSTAL_FAILED,
        Action.POSTAL_RETURNED,
    ]
    assert returned.events[-1].note == "Không liên lạc được"
    [item] = _items(db, code)
    assert (item.state, item.state_at, item.note) == (
        "returned",
        datetime(2026, 3, 10, 15, 0),
        "Không liên lạc được",
    )
    # Sent again with a new number once the applicant has been called.
    view, _ = _hand(db, officer, code, tracking=VALID_2, at=datetime(2026, 3, 12, 8, 0))
    assert view.status is Status.SETTLED
    assert [(i.number, i.state) for i in _items(db, code)] == [
        (VALID, "returned"),
        (VALID_2, "handed"),
    ]


def test_outcome_needs_an_item_with_the_post(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    code = settled().code
    with db.writer.begin() as s, pytest.raises(ValidationError, match="không có bưu gửi"):
        post.record_delivered(s, code, at=NOW, signed_by="A", actor=officer, now=NOW)
    _hand(db, officer, code)
    with db.writer.begin() as s, pytest.raises(ValidationError) as caught:
        post.record_delivered(s, code, at=NOW, signed_by="  ", actor=officer, now=NOW)
    assert caught.value.field == "signed_by"
    with db.writer.begin() as s, pytest.raises(ValidationError) as caught:
        post.record_failed(s, code, at=NOW, reason="", actor=officer, now=NOW)
    assert caught.value.field == "reason"


# --- the bulk import ---------------------------------------------------------------------------


def _three_handed(db: Database, officer: Actor, settled: Callable[..., FileView]) -> list[str]:
    codes_ = [settled(n).code for n in ("Đặng Thị Ánh", "Lê Văn Bình", "Hoàng Thị Cúc")]
    for code, number in zip(codes_, (VALID, VALID_2, VALID_3), strict=True):
        _hand(db, officer, code, tracking=number)
    return codes_


def _event_count(db: Database) -> int:
    with db.reader.begin() as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def test_parse_text_with_header_diacritics_and_dates() -> None:
    text = (
        "so_hieu\tket_qua\tngay\tnguoi_nhan\tghi_chu\n"
        f"{VALID}\tPhát thành công\t07/03/2026 09:30\tĐặng Thị Ánh\t\n"
        f"{VALID_2.lower()}\tCHUYEN HOAN\t2026-03-10\t\tKhông liên lạc được\n"
        f"{VALID_3}\tchưa phát được\t6/3/2026\t\t\n"
    )
    rows = post_lists.parse_outcomes_text(text)
    assert [(r.line, r.tracking, r.outcome, r.at, r.has_time) for r in rows] == [
        (2, VALID, "delivered", datetime(2026, 3, 7, 9, 30), True),
        (3, VALID_2, "returned", datetime(2026, 3, 10), False),
        (4, VALID_3, "failed", datetime(2026, 3, 6), False),
    ]
    assert rows[0].signed_by == "Đặng Thị Ánh"
    assert rows[1].note == "Không liên lạc được"


def test_parse_reports_every_bad_line() -> None:
    text = f"{VALID};đã phát;07/03/2026;A\n;lạc;31/02/2026\n{VALID_2};failed;\n"
    with pytest.raises(post_lists.OutcomeImportError) as caught:
        post_lists.parse_outcomes_text(text)
    lines = caught.value.lines
    assert [line.split(":")[0] for line in lines] == ["Dòng 2", "Dòng 3"]
    assert "thiếu số hiệu" in lines[0]
    assert "không rõ" in lines[0]
    assert "dd/mm/yyyy" in lines[0]
    assert "thiếu ngày" in lines[1]


def test_import_applies_every_row_in_one_go(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    a, b, c = _three_handed(db, officer, settled)
    rows = post_lists.parse_outcomes_text(
        f"{VALID}\tđã phát\t07/03/2026 09:30\tĐặng Thị Ánh\n"
        f"{VALID_2}\tchuyển hoàn\t10/03/2026\t\tKhông liên lạc được\n"
        f"{VALID_3}\tphát không thành công\t06/03/2026 08:00\n"
        f"{VALID_3}\tdelivered\t09/03/2026\tHoàng Thị Cúc\n"
    )
    with db.writer.begin() as s:
        report = post_lists.import_outcomes(s, rows, officer, now=NOW)
    assert report.applied == [
        (VALID, a, "delivered"),
        (VALID_2, b, "returned"),
        (VALID_3, c, "failed"),
        (VALID_3, c, "delivered"),
    ]
    states = {code: [(i.state, i.state_at) for i in _items(db, code)] for code in (a, b, c)}
    # A date without a time is that day, never before the hand-over.
    assert states == {
        a: [("delivered", datetime(2026, 3, 7, 9, 30))],
        b: [("returned", datetime(2026, 3, 10, 0, 0))],
        c: [("delivered", datetime(2026, 3, 9, 0, 0))],
    }
    with db.reader.begin() as s:
        assert queries.show_file(s, b).events[-1].note == "Không liên lạc được"
        assert queries.show_file(s, c).status is Status.RETURNED


def test_import_with_a_bad_row_in_the_middle_applies_nothing(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    a, b, _ = _three_handed(db, officer, settled)
    with db.writer.begin() as s:
        post.record_delivered(
            s, b, at=datetime(2026, 3, 6, 9, 0), signed_by="B", actor=officer, now=NOW
        )
    events = _event_count(db)
    rows = post_lists.parse_outcomes_text(
        f"{VALID}\tdelivered\t07/03/2026 09:30\tĐặng Thị Ánh\n"
        "RR000000015VN\tdelivered\t07/03/2026\tX\n"
        f"{VALID_2}\treturned\t08/03/2026\n"
        f"{VALID_3}\tdelivered\t08/03/2026\t\n"
        f"{VALID}\tdelivered\t08/03/2026\tĐặng Thị Ánh\n"
    )
    with pytest.raises(post_lists.OutcomeImportError) as caught, db.writer.begin() as s:
        post_lists.import_outcomes(s, rows, officer, now=NOW)
    lines = caught.value.lines
    assert [line.split(":")[0] for line in lines] == ["Dòng 2", "Dòng 3", "Dòng 4", "Dòng 5"]
    assert "RR000000015VN" in lines[0]
    assert "đã phát thành công" in lines[1]  # returned after delivered
    assert "người ký nhận" in lines[2]
    assert "đã phát thành công" in lines[3]  # delivered twice in one list
    assert caught.value.problems[0][0] == 2
    # Nothing applied: the first, valid row too.
    assert _event_count(db) == events
    assert [i.state for i in _items(db, a)] == ["handed"]


def test_import_refuses_future_and_out_of_order_moments(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    _three_handed(db, officer, settled)
    rows = post_lists.parse_outcomes_text(
        f"{VALID}\tdelivered\t21/03/2026 09:00\tA\n{VALID_2}\tfailed\t04/03/2026\n"
    )
    with pytest.raises(post_lists.OutcomeImportError) as caught, db.writer.begin() as s:
        post_lists.import_outcomes(s, rows, officer, now=NOW)
    assert [n for n, _ in caught.value.problems] == [1, 2]
    assert "tương lai" in caught.value.lines[0]
    assert "trước lần ghi nhận trước" in caught.value.lines[1]


def test_import_from_xlsx_and_csv(
    db: Database, officer: Actor, settled: Callable[..., FileView], tmp_path: Path
) -> None:
    a, b, c = _three_handed(db, officer, settled)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số hiệu", "Kết quả", "Ngày", "Người nhận", "Ghi chú"])
    sheet.append([VALID, "Phát thành công", datetime(2026, 3, 7, 9, 30), "Đặng Thị Ánh", None])
    sheet.append([None, None, None, None, None])
    sheet.append([VALID_2, "Chuyển hoàn", "10/03/2026 16:00", None, "Sai địa chỉ"])
    xlsx = tmp_path / "ket_qua.xlsx"
    book.save(xlsx)
    rows = post_lists.parse_outcomes(xlsx)
    assert [(r.line, r.tracking, r.outcome, r.at) for r in rows] == [
        (2, VALID, "delivered", datetime(2026, 3, 7, 9, 30)),
        (4, VALID_2, "returned", datetime(2026, 3, 10, 16, 0)),
    ]
    csv_file = tmp_path / "ket_qua.csv"
    csv_file.write_text(
        f"tracking,outcome,date,signed_by\n{VALID_3},delivered,2026-03-08T11:00,Hoàng Thị Cúc\n",
        encoding="utf-8-sig",
    )
    rows += post_lists.parse_outcomes(csv_file)
    with db.writer.begin() as s:
        report = post_lists.import_outcomes(s, rows, officer, now=NOW)
    assert [code for _, code, _ in report.applied] == [a, b, c]
    assert _items(db, b)[0].note == "Sai địa chỉ"


def test_import_file_without_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("so_hieu;ghi_chu\nRR123456785VN;x\n", encoding="utf-8")
    with pytest.raises(post_lists.OutcomeImportError, match="Dòng 1: thiếu cột ket_qua, ngay"):
        post_lists.parse_outcomes(path)


# --- statistics and the hand-over list ---------------------------------------------------------


def test_period_report_counts_hand_overs_deliveries_and_returns(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    _three_handed(db, officer, settled)
    rows = post_lists.parse_outcomes_text(
        f"{VALID}\tdelivered\t07/03/2026 09:30\tĐặng Thị Ánh\n{VALID_2}\treturned\t10/03/2026\n"
    )
    with db.writer.begin() as s:
        post_lists.import_outcomes(s, rows, officer, now=NOW)
    with db.reader.begin() as s:
        total = statistics.period_report(s, date(2026, 3, 1), date(2026, 3, 31)).total
    assert (total.postal_sent, total.postal_delivered, total.postal_returned) == (3, 1, 1)


def test_handover_list_pdf_lists_the_day(
    db: Database, officer: Actor, settled: Callable[..., FileView]
) -> None:
    a, b, c = _three_handed(db, officer, settled)
    with db.reader.begin() as s:
        pdf = post.handover_list_pdf(s, date(2026, 3, 5))
        empty = post.handover_list_pdf(s, date(2026, 3, 6))

    def text(data: bytes) -> str:
        pages = PdfReader(io.BytesIO(data)).pages
        raw = " ".join(p.extract_text() or "" for p in pages)
        return " ".join(unicodedata.normalize("NFC", raw).split())

    content = text(pdf)
    assert "BẢNG KÊ GIAO BƯU CHÍNH" in content
    for number in (VALID, VALID_2, VALID_3):
        assert number in content
    assert "Tổng số: 3 bưu gửi. Tổng cước: 84.000 đồng." in content
    assert "Lê Văn Bình" in content
    assert "Không có bưu gửi nào" in text(empty)
    with db.reader.begin() as s:
        count = s.scalar(select(func.count()).select_from(PostalItem))
    assert count == 3
    # A code breaks after its agency part, so its parts are found, not the whole.
    for code in (a, b, c):
        assert code.split("-")[1] in content
