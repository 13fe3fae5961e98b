"""Files arriving by post: the item number, the sender, the day the desk got it, the receipt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from desk_app.domain.documents import Channel
from desk_app.errors import ValidationError
from desk_app.services import intake, post, queries
from desk_app.services.context import Actor
from desk_app.store.engine import Database

KARAOKE = "1.001029"
ARRIVED = datetime(2026, 3, 4, 14, 0)  # the desk opened the parcel on Wednesday afternoon


def _postal(receipt_return: str | None) -> intake.IntakeInput:
    return intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Hoàng Thị Nhung"),
        channel=Channel.POSTAL,
        received_at=ARRIVED,
        postal_in_number="RR123456785VN",
        postal_in_sender="Hoàng Thị Nhung, Cao Lộc",
        receipt_return=receipt_return,
    )


def test_a_postal_arrival_records_item_sender_day_and_the_receipt(
    db: Database, officer: Actor
) -> None:
    with db.writer.begin() as s:
        view = intake.accept_file(s, _postal("post"), officer, now=ARRIVED)
    with db.reader.begin() as s:
        shown = queries.show_file(s, view.code)
        items = post.postal_items(s, view.code)
    assert shown.channel == "postal"
    assert shown.received == ARRIVED  # the clock starts when the desk receives it
    assert shown.postal_in_number == "RR123456785VN"
    assert [(i.direction, i.number) for i in items] == [("in", "RR123456785VN")]
    accept = shown.events[0]
    assert accept.data == {"receipt_return": "post"}
    assert accept.note == "Gửi trả giấy tiếp nhận qua bưu chính"


@pytest.mark.parametrize("value", ["kept", None])
def test_the_receipt_kept_or_not_asked(
    db: Database, officer: Actor, value: str | None, count_rows: Callable[[str], int]
) -> None:
    with db.writer.begin() as s:
        view = intake.accept_file(s, _postal(value), officer, now=ARRIVED)
    assert view.events[0].data == ({"receipt_return": "kept"} if value else None)
    assert count_rows("files") == 1


def test_an_unknown_choice_is_refused(db: Database, officer: Actor) -> None:
    with pytest.raises(ValidationError) as raised, db.writer.begin() as s:
        intake.accept_file(s, _postal("email"), officer, now=ARRIVED)
    assert raised.value.field == "receipt_return"
