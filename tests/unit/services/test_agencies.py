"""Administering a centre's agencies: adding them (identity, identifier, sync row), editing
them, assigning officers, and each agency's own catalogue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from desk_app.domain.catalog import DocumentSpec, ProcedureSpec, bundled_catalog
from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services import desk, users
from desk_app.services.context import Actor, PermissionDeniedError, get_settings
from desk_app.services.scope import Scope
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry, SyncSettings

NOW = datetime(2026, 3, 2, 10, 0)
JUSTICE = desk.IdentityInput(
    governing_body="UBND TỈNH LẠNG SƠN",
    agency_name="SỞ TƯ PHÁP",
    agency_id="000.00.21.H37",
    place_name="Lạng Sơn",
)
HEALTH = desk.IdentityInput(
    governing_body="UBND TỈNH LẠNG SƠN",
    agency_name="SỞ Y TẾ",
    agency_id="000.00.22.H37",
    place_name="Lạng Sơn",
)
COPY = ProcedureSpec(
    code="2.000815",
    name="Chứng thực bản sao từ bản chính",
    field="Chứng thực",
    settling_agency="Sở Tư pháp",
    duration=None,
    unit=DurationUnit.SAME_DAY,
    fee=2000,
    documents=(DocumentSpec("Bản chính giấy tờ", CopyType.ORIGINAL, 1),),
)


def _two_agencies(db: Database, admin: Actor) -> tuple[int, int]:
    with db.writer.begin() as s:
        justice = desk.add_agency(s, JUSTICE, admin, short_name="Sở Tư pháp", now=NOW)
        health = desk.add_agency(s, HEALTH, admin, short_name="Sở Y tế", now=NOW)
    return justice.id, health.id


def test_added_agencies_are_listed_with_their_own_sync_row(db: Database, admin: Actor) -> None:
    justice, health = _two_agencies(db, admin)
    with db.reader.begin() as s:
        listed = desk.list_agencies(s)
        sync_rows = {r.id: r.install_id for r in s.scalars(select(SyncSettings))}
        settings = get_settings(s, justice)
    assert [a.id for a in listed] == [1, justice, health]
    assert [a.display_name for a in listed[1:]] == ["Sở Tư pháp", "Sở Y tế"]
    assert listed[1].agency_id == "000.00.21.H37" and listed[1].active
    # Hours and form settings start at the defaults; the identity is the one given.
    assert settings.agency_name == "SỞ TƯ PHÁP" and settings.office_hours
    assert set(sync_rows) == {1, justice, health}
    assert len(set(sync_rows.values())) == 3  # each agency's token has its own name


def test_identifier_is_required_and_unique(db: Database, admin: Actor) -> None:
    _two_agencies(db, admin)
    with db.writer.begin() as s, pytest.raises(FieldsError) as missing:
        desk.add_agency(s, replace(JUSTICE, agency_id=""), admin, now=NOW)
    assert "agency_id" in missing.value.errors
    with db.writer.begin() as s, pytest.raises(FieldsError) as taken:
        desk.add_agency(s, replace(HEALTH, agency_name="SỞ XÂY DỰNG"), admin, now=NOW)
    assert "Sở Y tế" in taken.value.errors["agency_id"]
    # Editing an agency to another's identifier is refused the same way.
    with db.writer.begin() as s, pytest.raises(FieldsError) as edited:
        desk.update_settings(
            s, desk.IdentityInput(agency_id="000.00.21.h37"), admin, now=NOW, agency=1
        )
    assert "đã là mã của cơ quan khác" in edited.value.errors["agency_id"]
    with db.reader.begin() as s:
        assert len(desk.list_agencies(s)) == 3


def test_only_an_administrator_adds_an_agency(db: Database, officer: Actor) -> None:
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
        desk.add_agency(s, JUSTICE, officer, now=NOW)


def test_identifier_no_longer_changes_once_the_agency_has_files(
    db: Database, admin: Actor, accept: Callable[..., FileView]
) -> None:
    justice, _ = _two_agencies(db, admin)
    # No file yet: the identifier may still be corrected.
    with db.writer.begin() as s:
        view = desk.update_agency(
            s, justice, desk.IdentityInput(agency_id="000.00.23.H37"), admin, now=NOW
        )
    assert view.agency_id == "000.00.23.H37"
    accept()  # agency 1's
    with db.writer.begin() as s, pytest.raises(FieldsError) as refused:
        desk.update_settings(s, desk.IdentityInput(agency_id="000.00.99.H37"), admin, now=NOW)
    assert "1 hồ sơ" in refused.value.errors["agency_id"]
    with db.reader.begin() as s:
        assert desk.get_agency(s, 1).files == 1
        # Other fields still change.
    with db.writer.begin() as s:
        desk.update_settings(s, desk.IdentityInput(phone="0205 3812 345"), admin, now=NOW)


def test_short_name_and_closing_an_agency(db: Database, admin: Actor) -> None:
    justice, health = _two_agencies(db, admin)
    with db.writer.begin() as s:
        view = desk.update_agency(
            s, health, desk.IdentityInput(), admin, short_name="  Y tế ", active=False, now=NOW
        )
    assert (view.short_name, view.active) == ("Y tế", False)
    with db.reader.begin() as s:
        assert [a.id for a in desk.list_agencies(s, active_only=True)] == [1, justice]
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "settings")))
    assert actions.count("add_agency") == 2 and "update_agency" in actions
    with db.writer.begin() as s:
        desk.update_agency(s, justice, desk.IdentityInput(), admin, active=False, now=NOW)
    with db.writer.begin() as s, pytest.raises(FieldsError) as last:
        desk.update_agency(s, 1, desk.IdentityInput(), admin, active=False, now=NOW)
    assert "active" in last.value.errors
    with db.writer.begin() as s, pytest.raises(NotFoundError):
        desk.update_agency(s, 99, desk.IdentityInput(), admin, now=NOW)


def test_each_agency_has_its_catalogue_and_users_see_only_theirs(
    db: Database, admin: Actor
) -> None:
    justice, health = _two_agencies(db, admin)
    with db.writer.begin() as s:
        # The same national code in two catalogues.
        desk.save_procedure(s, COPY, admin, new=True, now=NOW, agency=justice)
        desk.save_procedure(
            s, replace(COPY, settling_agency="Sở Y tế"), admin, new=True, now=NOW, agency=health
        )
        result = desk.import_catalog(s, bundled_catalog()[:3], admin, now=NOW, agency=health)
        users.assign_agencies(s, "canbo", [justice], admin, now=NOW)
    assert result.added == 3
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123", now=NOW)
        solo_size = desk.catalog_size(s)
        assert desk.catalog_size(s, justice) == 1
        assert desk.catalog_size(s, health) == 4
        assert [p.settling_agency for p in desk.export_catalog(s, health) if p.code == COPY.code]
        seen = desk.catalog_entries(s, scope=Scope.of(officer.agencies))
        everything = desk.catalog_entries(s)
    assert officer.agencies == frozenset({justice})
    assert [(e.agency, e.spec.code) for e in seen] == [(justice, COPY.code)]
    assert len(everything) == solo_size + 5
    # Retiring one agency's procedure leaves the other's.
    with db.writer.begin() as s:
        desk.set_procedure_active(s, COPY.code, False, admin, now=NOW, agency=justice)
    with db.reader.begin() as s:
        assert not desk.export_catalog(s, justice)[0].active
        assert all(p.active for p in desk.export_catalog(s, health))
    with db.writer.begin() as s, pytest.raises(ValidationError):
        desk.save_procedure(s, COPY, admin, new=True, now=NOW, agency=health)


def test_assigning_agencies_is_audited_and_shown(db: Database, admin: Actor) -> None:
    justice, health = _two_agencies(db, admin)
    with db.writer.begin() as s:
        view = users.assign_agencies(s, "canbo", [health, justice, health], admin, now=NOW)
    assert view.agencies == (justice, health)
    with db.reader.begin() as s:
        listed = {u.username: u.agencies for u in users.list_users(s)}
        detail = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "assign_agencies")
        ).one()
    assert listed["canbo"] == (justice, health)
    assert listed["quantri"] == (1,)
    assert '"from": [1]' in (detail or "")
    with db.writer.begin() as s, pytest.raises(ValidationError) as unknown:
        users.assign_agencies(s, "canbo", [42], admin, now=NOW)
    assert unknown.value.field == "agencies"
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
        officer = users.sign_in(s, "canbo", "matkhau123", now=NOW)
        users.assign_agencies(s, "canbo", [1], officer, now=NOW)


def test_a_new_user_of_a_centre_has_no_agency_until_assigned(db: Database, admin: Actor) -> None:
    _two_agencies(db, admin)
    with db.writer.begin() as s:
        made = users.create_user(
            s, "canbo2", "Hoàng Văn Nam", users.Role.OFFICER, "matkhau123", admin, now=NOW
        )
    assert made.agencies == ()


def test_two_administrators_adding_at_once_get_an_agency_each(db: Database, admin: Actor) -> None:
    """Two writers at once (two counters' windows): the writers' lock queues them, so each
    takes the next id in turn."""
    start = threading.Barrier(2)
    added: dict[str, int] = {}

    def add(identity: desk.IdentityInput) -> None:
        start.wait(timeout=5)
        with db.writer.begin() as s:
            added[identity.agency_id or ""] = desk.add_agency(s, identity, admin, now=NOW).id

    threads = [threading.Thread(target=add, args=(i,)) for i in (JUSTICE, HEALTH)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(added.values()) == [2, 3]
    with db.reader.begin() as s:
        assert sorted(s.scalars(select(SyncSettings.id))) == [1, 2, 3]


def _blocked_on_a_lock(db: Database) -> bool:
    with db.engine.connect() as c:
        return bool(c.exec_driver_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").scalar())


def test_a_session_without_the_writers_lock_takes_the_next_id_on_a_server(
    db: Database, admin: Actor, engine_name: str
) -> None:
    """A script's own transaction on a server, racing another administrator: its insert waits
    for the other's commit, breaks the primary key, and is made again with the next id; the
    same identifier added meanwhile is refused as taken."""
    if engine_name != "postgresql":
        pytest.skip("SQLite's writer holds its lock from BEGIN: nothing can come in between")
    unlocked = sessionmaker(db.engine, expire_on_commit=False)  # no advisory lock
    second: list[object] = []

    def add_in_a_thread(identity: desk.IdentityInput) -> threading.Thread:
        def run() -> None:
            try:
                with unlocked.begin() as s:
                    second.append(desk.add_agency(s, identity, admin, now=NOW).id)
            except Exception as exc:
                second.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def race(mine: desk.IdentityInput, theirs: desk.IdentityInput) -> tuple[int, object]:
        """Add `mine` and, before it commits, `theirs` in another thread: (mine's id, theirs)."""
        second.clear()
        with unlocked.begin() as s:
            first = desk.add_agency(s, mine, admin, now=NOW).id
            thread = add_in_a_thread(theirs)
            deadline = time.monotonic() + 5
            while not _blocked_on_a_lock(db) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert _blocked_on_a_lock(db)  # the other insert waits for this commit
        thread.join(timeout=10)
        (outcome,) = second
        return first, outcome

    assert race(JUSTICE, HEALTH) == (2, 3)
    # The same identifier, added by both: the second is told it is taken.
    clinic = replace(HEALTH, agency_name="TRUNG TÂM Y TẾ", agency_id="000.00.23.H37")
    first, refused = race(clinic, replace(clinic, agency_name="TRUNG TÂM Y TẾ HUYỆN"))
    assert first == 4
    assert isinstance(refused, FieldsError), refused
    assert "đã là mã của cơ quan khác" in refused.errors["agency_id"]
    with db.reader.begin() as s:
        assert sorted(s.scalars(select(SyncSettings.id))) == [1, 2, 3, 4]
