"""Users and sign-in: scrypt hashes, wrong passwords, duplicate names, short passwords."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.errors import ValidationError
from desk_app.services import users
from desk_app.services.context import COMMAND_LINE
from desk_app.services.users import Role, SignInError
from desk_app.store.engine import Database
from desk_app.store.models import User

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


def test_an_unknown_name_costs_one_scrypt_check_like_a_known_one(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing must not tell which names exist: every attempt runs scrypt once (an unknown or
    closed account against a dummy hash), and the comparison is hmac.compare_digest."""
    checked: list[str] = []
    real = users.verify_password

    def counting(password: str, stored: str) -> bool:
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr(users, "verify_password", counting)
    with db.writer.begin() as s:
        users.set_active(s, "canbo", False, COMMAND_LINE)
    for name in ("khongco", "canbo", "lanhdao"):
        with db.writer.begin() as s:
            attempt = users.attempt_sign_in(s, name, "sai-mat-khau", now=NOW)
        assert attempt.actor is None and isinstance(attempt.error, SignInError)
        assert attempt.error.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert len(checked) == 3
    assert checked[0].startswith("scrypt$16384$8$1$")  # the dummy hash, same cost


def test_repeated_failures_make_the_user_wait_longer_until_a_success(db: Database) -> None:
    def attempt(password: str, at: datetime) -> users.SignInAttempt:
        # A new session each time: the count lives in the database, as across restarts.
        with db.writer.begin() as s:
            return users.attempt_sign_in(s, "canbo", password, now=at)

    at = NOW
    for _ in range(4):
        assert attempt("sai-mat-khau", at).error is not None
    assert attempt("matkhau123", at).actor is not None  # four failures: no wait, count reset
    for _ in range(5):
        assert not isinstance(attempt("sai-mat-khau", at).error, users.SignInBlockedError)
    # The fifth failure in a row: 30 s before the next attempt is even checked.
    blocked = attempt("matkhau123", at + timedelta(seconds=29)).error
    assert isinstance(blocked, users.SignInBlockedError)
    assert blocked.message == (
        "Đăng nhập sai nhiều lần liên tiếp; hãy chờ 1 giây rồi thử lại, hoặc nhờ quản trị viên "
        "đặt lại mật khẩu."
    )
    waits = []
    for _ in range(6):
        at += timedelta(minutes=16)
        assert attempt("sai-mat-khau", at).actor is None
        with db.reader.begin() as s:
            user = s.scalars(select(User).where(User.username == "canbo")).one()
            assert user.signin_blocked_until is not None
            waits.append(user.signin_blocked_until - at)
    assert [w.total_seconds() for w in waits] == [60, 120, 240, 480, 900, 900]
    at += timedelta(minutes=15)
    assert attempt("matkhau123", at).actor is not None
    with db.reader.begin() as s:
        user = s.scalars(select(User).where(User.username == "canbo")).one()
        assert (user.failed_signins, user.signin_blocked_until) == (0, None)
    assert [users.signin_wait(n).total_seconds() for n in (4, 5, 6, 10, 100)] == [
        0,
        30,
        60,
        900,
        900,
    ]
