"""Users and sign-in: scrypt hashes, wrong passwords, duplicate names, short passwords."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk_app.errors import ValidationError
from desk_app.services import users
from desk_app.services.context import COMMAND_LINE
from desk_app.services.users import Role, SignInError
from desk_app.store.engine import Database

NOW = datetime(2026, 3, 2, 10, 0)


def test_hash_verifies_only_its_own_password() -> None:
    stored = users.hash_password("matkhau123")

    assert stored.startswith("scrypt$16384$8$1$")
    assert "matkhau123" not in stored
    assert users.verify_password("matkhau123", stored) is True
    assert users.verify_password("matkhau124", stored) is False
    assert users.verify_password("MATKHAU123", stored) is False
    assert users.verify_password("mật khẩu 123", users.hash_password("mật khẩu 123")) is True


def test_same_password_hashes_differently_each_time() -> None:
    assert users.hash_password("matkhau123") != users.hash_password("matkhau123")


@pytest.mark.parametrize("stored", ["", "plain-text", "bcrypt$1$2$3$4$5", "scrypt$16384$8$1$abc"])
def test_malformed_stored_hash_never_verifies(stored: str) -> None:
    assert users.verify_password("matkhau123", stored) is False


def test_sign_in_returns_the_actor(db: Database) -> None:
    with db.reader.begin() as s:
        actor = users.sign_in(s, "  LanhDao ", "matkhau123")

    assert (actor.name, actor.role) == ("Vi Đức Thắng", "supervisor")
    assert actor.user_id is not None


@pytest.mark.parametrize(
    ("username", "password"),
    [("canbo", "matkhau124"), ("canbo", ""), ("khongco", "matkhau123")],
)
def test_wrong_password_or_unknown_user_is_one_error(
    db: Database, username: str, password: str
) -> None:
    with pytest.raises(SignInError) as caught, db.reader.begin() as s:
        users.sign_in(s, username, password)

    # The same message either way: it must not tell which usernames exist.
    assert caught.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.mark.parametrize("username", ["canbo", "CanBo", " canbo "])
def test_duplicate_username_is_refused(db: Database, username: str) -> None:
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        users.create_user(s, username, "Người khác", Role.OFFICER, "matkhau999", COMMAND_LINE)

    assert caught.value.field == "username"
    with db.reader.begin() as s:
        assert [u.full_name for u in users.list_users(s) if u.username == "canbo"] == [
            "Nguyễn Thị Lan"
        ]


def test_short_password_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        users.create_user(s, "canbo2", "Hoàng Văn Nam", Role.OFFICER, "1234567", COMMAND_LINE)

    assert caught.value.field == "password"
    with db.reader.begin() as s:
        assert users.user_exists(s, "canbo2") is False


def test_new_user_with_eight_characters_can_sign_in(db: Database) -> None:
    with db.writer.begin() as s:
        view = users.create_user(
            s, "Canbo.2", "Hoàng  Văn Nam", Role.OFFICER, "12345678", COMMAND_LINE, now=NOW
        )
    with db.reader.begin() as s:
        actor = users.sign_in(s, "canbo.2", "12345678")

    assert (view.username, view.full_name, view.role, view.active) == (
        "canbo.2",
        "Hoàng Văn Nam",
        "officer",
        True,
    )
    assert actor.user_id == view.id


@pytest.mark.parametrize(
    "username",
    [
        "",
        "cán bộ",
        "can bo",
        "canbo@so",
        "cánbộ",
    ],
)
def test_username_must_be_plain(db: Database, username: str) -> None:
    with pytest.raises(ValidationError) as caught, db.writer.begin() as s:
        users.create_user(s, username, "Hoàng Văn Nam", Role.OFFICER, "matkhau123", COMMAND_LINE)

    assert caught.value.field == "username"
