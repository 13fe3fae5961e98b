"""Desk settings and the working calendar: validation, audit, and their effect on new dues."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from desk_app.errors import FieldsError, ValidationError
from desk_app.services import desk
from desk_app.services.context import Actor, get_settings
from desk_app.services.desk import IdentityInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

Accept = Callable[..., FileView]
NOW = datetime(2026, 3, 2, 10, 0)


def _audit(db: Database, action: str) -> list[tuple[str | None, dict[str, object]]]:
    with db.reader.begin() as s:
        rows = s.execute(
            select(AuditEntry.entity_id, AuditEntry.detail)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        ).all()
    return [(entity_id, json.loads(detail or "{}")) for entity_id, detail in rows]


# --- settings --------------------------------------------------------------------------------


def test_bad_agency_id_hours_and_cutoff_are_reported_together(db: Database, admin: Actor) -> None:
    audits_before = _audit(db, "update_settings")
    bad = IdentityInput(
        agency_id="H37",
        office_hours="07:00-11:30,11:00-17:00",  # sessions overlap
        cutoff="25:00",
        place_name="Thành phố Lạng Sơn",  # a valid change that must not be saved either
    )
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        desk.update_settings(s, bad, admin, now=NOW)

    assert set(caught.value.errors) == {"agency_id", "office_hours", "cutoff"}
    assert "ZZZ.YY.XX.Hnn" in caught.value.errors["agency_id"]
    with db.reader.begin() as s:
        settings = get_settings(s)
    assert (settings.agency_id, settings.office_hours, settings.cutoff, settings.place_name) == (
        "000.00.20.H37",
        "07:00-11:30,13:30-17:00",
        time(15, 0),
        "Lạng Sơn",
    )
    assert _audit(db, "update_settings") == audits_before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (IdentityInput(agency_id="000.00.20.H3"), "agency_id"),
        (IdentityInput(agency_id=""), "agency_id"),
        (IdentityInput(office_hours="7h-11h30"), "office_hours"),
        (IdentityInput(office_hours="13:30-17:00,07:00-11:30"), "office_hours"),
        (IdentityInput(office_hours=""), "office_hours"),
        (IdentityInput(cutoff="3 giờ chiều"), "cutoff"),
        (IdentityInput(due_soon_days="-1"), "due_soon_days"),
        (IdentityInput(max_reschedules=-1), "max_reschedules"),
    ],
)
def test_each_bad_setting_names_its_field(
    db: Database, admin: Actor, data: IdentityInput, field: str
) -> None:
    with pytest.raises(FieldsError) as caught, db.writer.begin() as s:
        desk.update_settings(s, data, admin, now=NOW)

    assert list(caught.value.errors) == [field]


def test_changed_settings_are_normalised_and_audited(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        view = desk.update_settings(
            s,
            IdentityInput(
                agency_id=" 000.00.20.h37 ",  # the same identifier, typed loosely: no change
                office_hours="07:30 – 11:30, 13:30-17:00",
                cutoff="16:00",
            ),
            admin,
            now=NOW,
        )

    assert (view.agency_id, view.office_hours, view.cutoff) == (
        "000.00.20.H37",
        "07:30-11:30,13:30-17:00",
        time(16, 0),
    )
    assert _audit(db, "update_settings")[-1] == (
        "1",
        {"office_hours": "07:30-11:30,13:30-17:00", "cutoff": "16:00"},
    )


def test_unchanged_settings_write_no_audit_entry(db: Database, admin: Actor) -> None:
    before = _audit(db, "update_settings")
    with db.writer.begin() as s:
        desk.update_settings(s, IdentityInput(cutoff="15:00"), admin, now=NOW)

    assert _audit(db, "update_settings") == before


def test_new_office_hours_apply_to_new_files(db: Database, admin: Actor, accept: Accept) -> None:
    with db.writer.begin() as s:
        desk.update_settings(
            s, IdentityInput(office_hours="07:30-11:30,13:30-17:30"), admin, now=NOW
        )
    # 4 working hours from 07:00: nothing counts before 07:30, so due at 11:30 (not 11:00).
    view = accept("CHUNG-CT-02", datetime(2026, 3, 2, 7, 0))

    assert view.due == datetime(2026, 3, 2, 11, 30)


# --- calendar --------------------------------------------------------------------------------


def test_a_weekday_made_off_moves_the_due_of_new_files(
    db: Database, admin: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        info = desk.set_calendar_day(
            s,
            date(2026, 3, 4),
            False,
            " Nghỉ theo Công văn số 12/UBND-KGVX ",
            admin,
            now=NOW,
        )
    view = accept(received=datetime(2026, 3, 2, 9, 15))

    assert info.working is False
    assert "Nghỉ theo Công văn số 12/UBND-KGVX" in info.reason
    # Mon 09:15 + 5 working days with Wednesday off: Tuesday 10 March 09:15 (not Monday 9).
    assert view.due == datetime(2026, 3, 10, 9, 15)
    assert _audit(db, "calendar_override") == [
        ("2026-03-04", {"working": False, "note": "Nghỉ theo Công văn số 12/UBND-KGVX"})
    ]


def test_a_saturday_made_working_shortens_the_wait(
    db: Database, admin: Actor, accept: Accept
) -> None:
    with db.writer.begin() as s:
        desk.set_calendar_day(s, date(2026, 3, 7), True, "Làm bù theo Quyết định 5", admin, now=NOW)
    # Fri 10:00-17:00 = 5 h, Sat 8 h, Mon-Wed 24 h, then 3 h on Thursday.
    view = accept(received=datetime(2026, 3, 6, 10, 0))

    assert view.due == datetime(2026, 3, 12, 10, 0)


def test_a_calendar_override_needs_a_note(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        desk.set_calendar_day(s, date(2026, 3, 4), False, "   ", admin, now=NOW)

    assert caught.value.field == "note"
    with db.reader.begin() as s:
        assert [d.working for d in desk.calendar_year(s, 2026) if d.date == date(2026, 3, 4)] == [
            True
        ]


def test_an_override_can_be_changed_and_cleared(db: Database, admin: Actor) -> None:
    day = date(2026, 3, 4)
    with db.writer.begin() as s:
        desk.set_calendar_day(s, day, False, "Nghỉ", admin, now=NOW)
        changed = desk.set_calendar_day(s, day, True, "Hủy lịch nghỉ", admin, now=NOW)
    with db.writer.begin() as s:
        cleared = desk.clear_calendar_day(s, day, admin)

    assert (changed.working, "Hủy lịch nghỉ" in changed.reason) == (True, True)
    assert (cleared.working, cleared.reason) == (True, "Ngày làm việc")


@pytest.mark.parametrize("who", ["officer", "supervisor"])
def test_only_an_administrator_changes_the_desk(
    db: Database, request: pytest.FixtureRequest, who: str
) -> None:
    from desk_app.domain.catalog import bundled_catalog
    from desk_app.services import users
    from desk_app.services.context import PermissionDeniedError

    actor: Actor = request.getfixturevalue(who)
    attempts = [
        lambda s: desk.update_settings(s, IdentityInput(place_name="Cao Bằng"), actor, now=NOW),
        lambda s: desk.set_calendar_day(s, date(2026, 3, 4), False, "Nghỉ", actor, now=NOW),
        lambda s: desk.clear_calendar_day(s, date(2026, 3, 4), actor),
        lambda s: desk.import_catalog(s, bundled_catalog()[:1], actor, now=NOW),
        lambda s: users.create_user(s, "moi", "Người Mới", users.Role.ADMIN, "matkhau123", actor),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError) as caught, db.writer.begin() as s:
            attempt(s)
        assert "không có quyền" in caught.value.message
    with db.reader.begin() as s:
        assert get_settings(s).place_name == "Lạng Sơn"
