"""Account administration: roles, closing and reopening accounts, resets, the last admin."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from desk_app.errors import NotFoundError, ValidationError
from desk_app.services import users
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.users import Role, SignInError
from desk_app.store.engine import Database
from desk_app.store.models import AuditEntry

NOW = datetime(2026, 3, 2, 10, 0)


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.reader.begin() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
    return rows


def test_role_change_is_stored_and_audited(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        view = users.set_role(s, "canbo", Role.SUPERVISOR, admin, now=NOW)
    assert view.role == "supervisor"
    with db.reader.begin() as s:
        assert users.sign_in(s, "canbo", "matkhau123").role == "supervisor"
    (entry,) = _audit(db, "set_role")
    assert entry.entity_id == "canbo"
    assert entry.user_id == admin.user_id
    assert json.loads(entry.detail or "{}") == {"from": "officer", "to": "supervisor"}


def test_the_last_active_admin_keeps_role_and_account(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s, pytest.raises(ValidationError, match="quản trị viên duy nhất"):
        users.set_role(s, "quantri", Role.OFFICER, admin)
    with db.writer.begin() as s:
        users.create_user(s, "quantri2", "Hoàng Văn Hai", Role.ADMIN, "matkhau123", admin)
        users.set_active(s, "quantri2", False, admin)
    # The second administrator is closed, so "quantri" is still the only active one.
    with db.writer.begin() as s, pytest.raises(ValidationError, match="quản trị viên duy nhất"):
        users.set_role(s, "quantri", Role.SUPERVISOR, admin)
    with db.writer.begin() as s:
        users.set_active(s, "quantri2", True, admin)
        users.set_role(s, "quantri", Role.SUPERVISOR, admin)
    with db.reader.begin() as s:
        assert users.count_admins(s) == 1


def test_an_admin_cannot_close_their_own_account(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        users.create_user(s, "quantri2", "Hoàng Văn Hai", Role.ADMIN, "matkhau123", admin)
    with db.writer.begin() as s, pytest.raises(ValidationError, match="tự khóa"):
        users.set_active(s, "quantri", False, admin)


def test_last_admin_cannot_be_closed_by_anyone(db: Database, admin: Actor) -> None:
    from desk_app.services.context import COMMAND_LINE

    with db.writer.begin() as s, pytest.raises(ValidationError, match="quản trị viên duy nhất"):
        users.set_active(s, "quantri", False, COMMAND_LINE)


def test_a_closed_account_cannot_sign_in_until_reopened(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        assert users.set_active(s, "canbo", False, admin, now=NOW).active is False
    with db.reader.begin() as s, pytest.raises(SignInError):
        users.sign_in(s, "canbo", "matkhau123")
    with db.writer.begin() as s:
        users.set_active(s, "canbo", True, admin, now=NOW)
    with db.reader.begin() as s:
        assert users.sign_in(s, "canbo", "matkhau123").name == "Nguyễn Thị Lan"
    assert [e.entity_id for e in _audit(db, "deactivate_user")] == ["canbo"]
    assert [e.entity_id for e in _audit(db, "activate_user")] == ["canbo"]


def test_password_reset_replaces_the_old_one(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s:
        with pytest.raises(ValidationError) as short:
            users.reset_password(s, "canbo", "ngan", admin)
        assert short.value.field == "password"
        users.reset_password(s, "canbo", "moi-mat-khau", admin, now=NOW)
    with db.reader.begin() as s:
        with pytest.raises(SignInError):
            users.sign_in(s, "canbo", "matkhau123")
        assert users.sign_in(s, "canbo", "moi-mat-khau").role == "officer"
    (entry,) = _audit(db, "reset_password")
    assert "moi-mat-khau" not in (entry.detail or "")


def test_only_an_administrator_manages_accounts(db: Database, officer: Actor) -> None:
    with db.writer.begin() as s:
        with pytest.raises(PermissionDeniedError):
            users.set_role(s, "canbo", Role.ADMIN, officer)
        with pytest.raises(PermissionDeniedError):
            users.set_active(s, "lanhdao", False, officer)
        with pytest.raises(PermissionDeniedError):
            users.reset_password(s, "canbo", "matkhau999", officer)


def test_unknown_user_is_not_found(db: Database, admin: Actor) -> None:
    with db.writer.begin() as s, pytest.raises(NotFoundError):
        users.set_active(s, "khongco", False, admin)


@pytest.mark.parametrize(
    ("username", "full_name", "password", "field"),
    [
        ("Nguyễn", "Nguyễn Văn A", "matkhau123", "username"),
        ("nva", "   ", "matkhau123", "full_name"),
        ("nva", "Nguyễn Văn A", "1234567", "password"),
    ],
)
def test_new_user_check_names_the_wrong_field(
    username: str, full_name: str, password: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        users.check_new_user(username, full_name, password)
    assert caught.value.field == field


def test_new_user_check_cleans_the_names() -> None:
    assert users.check_new_user(" NVA ", "  Nguyễn  Văn A ", "12345678") == (
        "nva",
        "Nguyễn Văn A",
    )


def test_closing_the_demo_accounts_closes_those_with_the_published_password(
    db: Database, admin: Actor, officer: Actor
) -> None:
    with db.writer.begin() as s:
        for name, full_name, role in users.DEMO_USERS[:3]:  # lanhdao is a real account here
            users.create_user(s, name, full_name, role, users.DEMO_PASSWORD, admin, now=NOW)
        # canbo2 was given to a real officer with a password of their own: it stays open.
        users.reset_password(s, "canbo2", "matkhaumoi1", admin, now=NOW)
    with db.reader.begin() as s:
        assert [u.username for u in users.demo_accounts(s)] == ["canbo1", "canbo3"]
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
        users.close_demo_accounts(s, officer, now=NOW)
    with db.writer.begin() as s:
        assert users.close_demo_accounts(s, admin, now=NOW) == ["canbo1", "canbo3"]
    with db.reader.begin() as s:
        active = {u.username: u.active for u in users.list_users(s)}
        assert users.demo_accounts(s) == []
        with pytest.raises(SignInError):
            users.sign_in(s, "canbo1", users.DEMO_PASSWORD)
    assert active == {
        "canbo": True,
        "canbo1": False,
        "canbo2": True,
        "canbo3": False,
        "lanhdao": True,
        "quantri": True,
    }
    closed = _audit(db, "deactivate_user")
    assert [(e.entity_id, e.user_id, json.loads(e.detail or "{}")) for e in closed] == [
        ("canbo1", admin.user_id, {"demo": True}),
        ("canbo3", admin.user_id, {"demo": True}),
    ]
    with db.writer.begin() as s:  # a second press finds nothing and writes nothing
        assert users.close_demo_accounts(s, admin, now=NOW) == []
    assert len(_audit(db, "deactivate_user")) == 2
