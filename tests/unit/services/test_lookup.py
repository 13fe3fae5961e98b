"""Look-ups for the intake form: catalogue choices, the live appointment, known applicants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from desk_app.errors import NotFoundError
from desk_app.services import lookup
from desk_app.services.views import FileView
from desk_app.store.engine import Database

Accept = Callable[..., FileView]
KARAOKE = "1.001029"  # 5 working days, 4,000,000 VND


def test_procedures_are_offered_with_their_checklist(db: Database) -> None:
    with db.reader.begin() as s:
        choices = lookup.list_procedures(s)
        karaoke = lookup.get_procedure(s, KARAOKE)
    assert [c.code for c in choices] == sorted(c.code for c in choices)
    assert karaoke in choices
    assert karaoke.fee == 4_000_000
    assert (karaoke.duration, karaoke.unit) == (5, "working_days")
    assert [d.copy_type for d in karaoke.documents] == ["original", "certified"]
    assert all(d.required and d.count >= 1 for d in karaoke.documents)


def test_search_ignores_diacritics_case_and_word_order(db: Database) -> None:
    with db.reader.begin() as s:
        choices = lookup.list_procedures(s)
    found = lookup.search_procedures(choices, "KARAOKE cap giay phep")
    assert [c.code for c in found] == [KARAOKE]
    assert [c.code for c in lookup.search_procedures(choices, "1.0010")] == [KARAOKE]
    assert lookup.search_procedures(choices, "lu hanh") != []
    assert lookup.search_procedures(choices, "khong co thu tuc nay") == []


@pytest.mark.parametrize(
    ("code", "received", "due"),
    [
        # Monday 09:15 + 5 working days = next Monday 09:15.
        (KARAOKE, datetime(2026, 3, 2, 9, 15, 42), datetime(2026, 3, 9, 9, 15)),
        # Friday 16:30 + 0.5 working day (4 h): 30 min on Friday, 3 h 30 on Monday.
        ("CHUNG-CT-04", datetime(2026, 2, 27, 16, 30), datetime(2026, 3, 2, 10, 30)),
        # Same day before the 15:00 cut-off: the closing time that day.
        ("CHUNG-CT-01", datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 17, 0)),
        # No time limit.
        ("VHTTDL-DL-04", datetime(2026, 3, 2, 10, 0), None),
    ],
)
def test_preview_due_matches_the_rules(
    db: Database, code: str, received: datetime, due: datetime | None
) -> None:
    with db.reader.begin() as s:
        assert lookup.preview_due(s, code, received) == due


def test_preview_due_is_the_due_that_intake_gives(db: Database, accept: Accept) -> None:
    received = datetime(2026, 3, 3, 14, 40)
    view = accept(KARAOKE, received)
    with db.reader.begin() as s:
        assert lookup.preview_due(s, KARAOKE, received) == view.due


def test_preview_due_of_an_unknown_procedure(db: Database) -> None:
    with db.reader.begin() as s, pytest.raises(NotFoundError):
        lookup.preview_due(s, "no-such-code", datetime(2026, 3, 2, 10, 0))


def test_a_known_applicant_is_found_by_identity_number_or_phone(
    db: Database, accept: Accept
) -> None:
    accept(
        received=datetime(2026, 3, 2, 8, 0),
        name="Hoàng Văn Hải",
        id_number="020090001234",
        phone="0912345678",
        address="12 Lê Lợi, Lạng Sơn",
    )
    latest = accept(
        received=datetime(2026, 3, 2, 9, 0),
        name="Hoàng Thị Hà",
        phone="0912345678",
        email="ha@example.com",
    )
    with db.reader.begin() as s:
        by_id = lookup.find_applicant(s, id_number="020 090 001 234")
        by_phone = lookup.find_applicant(s, phone="+84 912.345.678")
        both = lookup.find_applicant(s, id_number="020090001234", phone="0912345678")
        nobody = lookup.find_applicant(s, id_number="020090009999", phone="0987654321")
        half_typed = lookup.find_applicant(s, phone="091234")
    assert by_id is not None
    assert (by_id.name, by_id.address) == ("Hoàng Văn Hải", "12 Lê Lợi, Lạng Sơn")
    # A shared phone offers the applicant of the latest file.
    assert by_phone is not None
    assert (by_phone.name, by_phone.email, by_phone.last_file) == (
        "Hoàng Thị Hà",
        "ha@example.com",
        latest.code,
    )
    # The identity number wins over the phone.
    assert both is not None
    assert both.name == "Hoàng Văn Hải"
    assert nobody is None
    assert half_typed is None
