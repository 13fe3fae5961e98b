"""Catalogue editing one procedure at a time, and identity checks before anything is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from desk_app.domain.catalog import DocumentSpec, ProcedureSpec
from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services import desk
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

NOW = datetime(2026, 3, 2, 10, 0)
COPY = ProcedureSpec(
    code="2.000815",
    name="Chứng thực bản sao từ bản chính",
    field="Chứng thực",
    settling_agency="Bộ phận Một cửa",
    duration=None,
    unit=DurationUnit.SAME_DAY,
    fee=2000,
    documents=(DocumentSpec("Bản chính giấy tờ", CopyType.ORIGINAL, 1),),
)


def _actions(db: Database) -> list[tuple[str, str | None]]:
    with db.reader.begin() as s:
        rows = s.execute(
            select(AuditEntry.action, AuditEntry.entity_id)
            .where(AuditEntry.entity == "procedure")
            .order_by(AuditEntry.id)
        ).all()
    return [(a, e) for a, e in rows]


def _by_code(db: Database, code: str) -> ProcedureSpec:
    with db.reader.begin() as s:
        return next(p for p in desk.export_catalog(s) if p.code == code)


def test_add_edit_retire_and_reactivate_a_procedure(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        size = desk.catalog_size(s)
        added = desk.save_procedure(s, COPY, admin, new=True, now=NOW)
    assert added == COPY
    assert added.duration == Decimal(1)
    with db.writer.begin() as s:
        assert desk.catalog_size(s) == size + 1
        desk.save_procedure(s, replace(COPY, fee=3000), admin, new=False, now=NOW)
    assert _by_code(db, COPY.code).fee == 3000
    with db.writer.begin() as s:
        assert desk.set_procedure_active(s, COPY.code, False, admin, now=NOW).active is False
    assert _by_code(db, COPY.code).active is False
    with db.writer.begin() as s:
        desk.set_procedure_active(s, COPY.code, True, admin, now=NOW)
    assert _actions(db) == [
        ("procedure_add", COPY.code),
        ("procedure_edit", COPY.code),
        ("procedure_retire", COPY.code),
        ("procedure_reactivate", COPY.code),
    ]


def test_an_unchanged_edit_writes_no_audit_entry(db: Database, admin: Actor) -> None:
    karaoke = _by_code(db, "1.001029")
    with db.writer.begin() as s:
        desk.save_procedure(s, karaoke, admin, new=False)
        desk.set_procedure_active(s, karaoke.code, True, admin)
    assert _actions(db) == []


def test_a_code_is_added_once_and_edited_only_if_it_exists(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        with pytest.raises(ValidationError) as dup:
            desk.save_procedure(s, replace(COPY, code="1.001029"), admin, new=True)
        assert dup.value.field == "code"
        with pytest.raises(NotFoundError):
            desk.save_procedure(s, COPY, admin, new=False)
        with pytest.raises(NotFoundError):
            desk.set_procedure_active(s, "9.999999", False, admin)


def test_only_an_administrator_edits_the_catalogue(db: Database, officer: Actor) -> None:
    with db.writer.begin() as s:
        with pytest.raises(PermissionDeniedError):
            desk.save_procedure(s, COPY, officer, new=True)
        with pytest.raises(PermissionDeniedError):
            desk.set_procedure_active(s, "1.001029", False, officer)


def test_identity_check_cleans_and_names_every_wrong_field() -> None:
    cleaned = desk.check_identity(
        desk.IdentityInput(agency_id=" 000.00.20.h37 ", cutoff="15:30", place_name=" Lạng  Sơn ")
    )
    assert cleaned == {"agency_id": "000.00.20.H37", "cutoff": "15:30", "place_name": "Lạng Sơn"}
    with pytest.raises(FieldsError) as caught:
        desk.check_identity(desk.IdentityInput(agency_id="H37", office_hours="7-5"))
    assert set(caught.value.errors) == {"agency_id", "office_hours"}
