"""Counter or post, not both (DOMAIN §4.1 rule 10); who received a result at the counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from desk_app.domain.documents import ResultBy
from desk_app.domain.workflow import Status
from desk_app.errors import ValidationError
from desk_app.services import intake, lifecycle, post
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database

RECEIVED = datetime(2026, 3, 2, 9, 0)
SETTLED = datetime(2026, 3, 5, 9, 0)
HANDED = datetime(2026, 3, 5, 10, 0)
OUTCOME = datetime(2026, 3, 6, 9, 0)
NOW = datetime(2026, 3, 6, 10, 0)


def _settled_by_post(db: Database, officer: Actor) -> str:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh", address="Số 5, Lê Lợi, Lạng Sơn"),
        received_at=RECEIVED,
        result_by=ResultBy.POST,
    )
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=RECEIVED).code
        lifecycle.record_result(s, MoveInput(code), officer, now=SETTLED)
    return code


def _hand_over(db: Database, officer: Actor, code: str) -> None:
    with db.writer.begin() as s:
        post.hand_over(
            s,
            code,
            tracking="RR123456785VN",
            postage=25_000,
            paid_by="applicant",
            actor=officer,
            at=HANDED,
            now=HANDED,
        )


def _failed(db: Database, officer: Actor, code: str) -> None:
    with db.writer.begin() as s:
        post.record_failed(s, code, at=OUTCOME, reason="Vắng nhà", actor=officer, now=OUTCOME)


def _returned(db: Database, officer: Actor, code: str) -> None:
    with db.writer.begin() as s:
        post.record_returned(s, code, at=OUTCOME, reason="Sai địa chỉ", actor=officer, now=OUTCOME)


Step = Callable[[Database, Actor, str], None]


@pytest.mark.parametrize(
    ("steps", "allowed"),
    [
        ((), True),  # by post, never handed over: the applicant came instead
        ((_hand_over,), False),  # with the post, in transit
        ((_hand_over, _failed), True),
        ((_hand_over, _returned), True),
    ],
)
def test_a_result_with_the_post_is_not_returned_at_the_counter(
    db: Database, officer: Actor, steps: tuple[Step, ...], allowed: bool
) -> None:
    code = _settled_by_post(db, officer)
    for step in steps:
        step(db, officer, code)
    call = lambda s: lifecycle.return_result(  # noqa: E731
        s, MoveInput(code), officer, receiver="Đặng Thị Ánh", now=NOW
    )
    if allowed:
        with db.writer.begin() as s:
            view: FileView = call(s)
        assert (view.status, view.closed) == (Status.RETURNED, NOW)
        return
    with pytest.raises(ValidationError, match="RR123456785VN") as caught, db.writer.begin() as s:
        call(s)
    assert caught.value.field == "receiver"
    # The delivery can still be confirmed: the item was not left "handed" for ever.
    with db.writer.begin() as s:
        view = post.record_delivered(
            s, code, at=OUTCOME, signed_by="Đặng Thị Ánh", actor=officer, now=NOW
        )
    assert view.status is Status.RETURNED


@pytest.mark.parametrize(
    ("receiver", "receiver_id", "field", "data"),
    [
        ("", None, "receiver", None),
        ("   ", "020185001234", "receiver", None),
        ("Hoàng  Văn Bình", "12345", "receiver_id", None),
        ("Hoàng  Văn Bình", None, None, {"receiver": "Hoàng Văn Bình"}),
        (
            "Hoàng Văn Bình",
            " 020185001234 ",
            None,
            {"receiver": "Hoàng Văn Bình", "receiver_id": "020185001234"},
        ),
    ],
)
def test_a_counter_return_records_who_received_it(
    db: Database,
    officer: Actor,
    accept: Callable[..., FileView],
    receiver: str,
    receiver_id: str | None,
    field: str | None,
    data: dict[str, object] | None,
) -> None:
    code = accept(received=RECEIVED).code
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=SETTLED)

    def call() -> FileView:
        with db.writer.begin() as s:
            return lifecycle.return_result(
                s, MoveInput(code), officer, receiver=receiver, receiver_id=receiver_id, now=NOW
            )

    if field is not None:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.field == field
        return
    view = call()
    assert view.events[-1].action == "return_result"
    assert view.events[-1].data == data
