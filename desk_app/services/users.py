"""Users and sign-in: scrypt password hashes (standard library), four roles."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from desk_app import clock
from desk_app.domain import limits
from desk_app.domain.text import check_text, clean_name
from desk_app.errors import DeskError, NotFoundError, ValidationError
from desk_app.services import scope
from desk_app.services.context import ADMIN, Actor, audit, require_role
from desk_app.services.views import UserView
from desk_app.store.models import DeskSettings, User, UserAgency

# scrypt cost: about 50 ms on a desk PC; stored with the hash so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 8

# Back-off after failed sign-ins in a row: from the fifth on, the next attempt waits 30 s,
# doubling with each further failure, at most 15 minutes. A success clears the count.
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # Post-office staff at the counter (Decree 118/2025): receive, digitise, hand results over,
    # record postal hand-overs; what else they may do is services/permissions.py.
    POSTAL = "postal"

    @property
    def label(self) -> str:
        return {
            Role.OFFICER: "Công chức một cửa",
            Role.SUPERVISOR: "Lãnh đạo bộ phận",
            Role.ADMIN: "Quản trị",
            Role.POSTAL: "Nhân viên bưu điện",
        }[self]


# The accounts `demo` adds to a training desk, all with the password the README publishes; they
# must be closed before the desk goes live (`close_demo_accounts`).
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("canbo1", "Nguyễn Thị Lan", Role.OFFICER),
    ("canbo2", "Hoàng Văn Nam", Role.OFFICER),
    ("canbo3", "Lương Thị Thu", Role.OFFICER),
    ("lanhdao", "Vi Đức Thắng", Role.SUPERVISOR),
)
DEMO_PASSWORD = "motcua2026"


class SignInError(DeskError):
    code = "sign_in"


class SignInBlockedError(SignInError):
    """Too many failed sign-ins in a row for this user name: wait before the next attempt."""

    code = "sign_in_blocked"

    def __init__(self, wait: timedelta) -> None:
        super().__init__(
            "Đăng nhập sai nhiều lần liên tiếp; hãy chờ "
            f"{_wait_words(wait)} rồi thử lại, hoặc nhờ quản trị viên đặt lại mật khẩu."
        )
        self.wait = wait


def _wait_words(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 60:
        return f"{seconds} giây"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} phút" + (f" {rest} giây" if rest else "")


def signin_wait(failures: int) -> timedelta:
    """How long the next attempt waits after `failures` failed sign-ins in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 16)
    return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


@cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against, so that they take as long as known ones."""
    return hash_password(base64.b64encode(os.urandom(18)).decode())


def check_password(password: str) -> None:
    """Refuse a password too short to be a password (the only rule, as on the command line)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.", field="password"
        )
    if len(password) > limits.PASSWORD:
        raise ValidationError(
            f"Mật khẩu không được dài quá {limits.PASSWORD} ký tự.", field="password"
        )


def check_new_user(username: str, full_name: str, password: str) -> tuple[str, str]:
    """The cleaned user name and full name of a new account, or a ValidationError naming the
    field; lets a form check its page before anything is written."""
    username = check_text(
        username, field="username", label="Tên đăng nhập", limit=limits.USERNAME
    ).lower()
    plain = username.replace(".", "").replace("_", "")
    if not plain or not plain.isascii() or not plain.isalnum():
        raise ValidationError(
            "Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm hoặc gạch dưới.",
            field="username",
        )
    full_name = clean_name(
        check_text(full_name, field="full_name", label="Họ và tên", limit=limits.FULL_NAME)
    )
    if not full_name:
        raise ValidationError("Họ và tên không được để trống.", field="full_name")
    check_password(password)
    return username, full_name


def _view(user: User, agencies: Iterable[int] | None = None) -> UserView:
    """The user's view; their agencies read here unless given (a list reads them at once)."""
    session = object_session(user)
    if agencies is None and session is not None and user.id is not None:
        agencies = scope.user_agencies(session, user.id)
    return UserView(
        user.id,
        user.username,
        user.full_name,
        user.role,
        user.active,
        tuple(sorted(agencies or ())),
    )


def create_user(
    session: Session,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    actor: Actor,
    *,
    now: datetime | None = None,
    agencies: Iterable[int] | None = None,
) -> UserView:
    """Add a user, assigned to `agencies` (None: every agency of a one-agency database, none of
    a centre's; the administrator assigns them)."""
    now = now or clock.now()
    require_role(actor, ADMIN, "thêm người dùng")
    username, full_name = check_new_user(username, full_name, password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(f"Tên đăng nhập “{username}” đã có.", field="username")
    user = User(
        username=username,
        full_name=full_name,
        role=str(role),
        password_hash=hash_password(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    if agencies is None:
        every = scope.agency_ids(session)
        agencies = every if len(every) == 1 else []
    agencies = sorted(set(agencies))
    scope.assign(session, user, agencies)
    audit(
        session,
        actor,
        "create_user",
        "user",
        username,
        {"role": str(role), "agencies": agencies},
        at=now,
    )
    return _view(user, agencies)


@dataclass(frozen=True)
class SignInAttempt:
    """What one sign-in attempt gave: the actor, or the error to show (never both)."""

    actor: Actor | None
    error: SignInError | None

    def actor_or_raise(self) -> Actor:
        if self.actor is None:
            raise self.error or SignInError("Tên đăng nhập hoặc mật khẩu không đúng.")
        return self.actor


def attempt_sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    served: Iterable[int] | None = None,
    counter: str = "",
) -> SignInAttempt:
    """Check a user name and password and record the outcome on the user's row.

    Returns instead of raising so that the caller commits the failure count (a raised error
    would roll it back). An unknown name costs one scrypt check like a known one, so the time
    taken does not tell which names exist; a name in its back-off is refused unchecked.

    `served`: the agencies this computer serves (None: all); `counter`: its counter's name. The
    actor works for the user's assigned agencies among those; a user with none is refused.
    """
    now = now or datetime.now()
    user = session.scalars(
        select(User).where(User.username == username.strip().lower())
    ).one_or_none()
    blocked_until = user.signin_blocked_until if user is not None else None
    if blocked_until is not None and now < blocked_until:
        return SignInAttempt(None, SignInBlockedError(blocked_until - now))
    ok = verify_password(password, user.password_hash if user is not None else _dummy_hash())
    if user is None or not user.active or not ok:
        if user is not None:
            user.failed_signins = (user.failed_signins or 0) + 1
            wait = signin_wait(user.failed_signins)
            user.signin_blocked_until = now + wait if wait else None
            session.flush()
        return SignInAttempt(None, SignInError("Tên đăng nhập hoặc mật khẩu không đúng."))
    if user.failed_signins or user.signin_blocked_until is not None:
        user.failed_signins, user.signin_blocked_until = 0, None
        session.flush()
    agencies = scope.working_agencies(session, user.id, user.role, served)
    if agencies is not None and not agencies:
        return SignInAttempt(
            None,
            SignInError(
                "Tài khoản chưa được phân công cho cơ quan nào mà máy này phục vụ: "
                "hãy nhờ quản trị viên phân công, hoặc chọn cơ quan của máy trong "
                "Cài đặt › Máy này."
            ),
        )
    return SignInAttempt(
        Actor(
            user_id=user.id,
            name=user.full_name,
            role=user.role,
            username=user.username,
            agencies=agencies,
            counter=counter,
        ),
        None,
    )


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    served: Iterable[int] | None = None,
    counter: str = "",
) -> Actor:
    """The signed-in actor, or SignInError. The failure count is written to `session`; a caller
    that raises out of its transaction loses it, so sign-in screens use `attempt_sign_in`."""
    return attempt_sign_in(
        session, username, password, now=now, served=served, counter=counter
    ).actor_or_raise()


def count_users(session: Session) -> int:
    """Every account, open or closed: a database with any is no longer a fresh one."""
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def list_users(session: Session) -> list[UserView]:
    """Every account with the agencies assigned to it."""
    assigned: dict[int, list[int]] = {}
    for user_id, agency in session.execute(select(UserAgency.user_id, UserAgency.agency)):
        assigned.setdefault(user_id, []).append(agency)
    return [
        _view(u, assigned.get(u.id, ()))
        for u in session.scalars(select(User).order_by(User.username))
    ]


def assign_agencies(
    session: Session,
    username: str,
    agencies: Iterable[int],
    actor: Actor,
    *,
    now: datetime | None = None,
) -> UserView:
    """Replace the agencies a user works for (a centre's officers sign in once and work for
    every agency assigned here that their computer serves); audited with before and after."""
    now = now or clock.now()
    require_role(actor, ADMIN, "phân công cơ quan cho người dùng")
    wanted = sorted(set(agencies))
    user = _load_user(session, username)
    known = set(session.scalars(select(DeskSettings.id).where(DeskSettings.id.in_(wanted))))
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise ValidationError(
            "Không có cơ quan số " + ", ".join(str(a) for a in unknown) + ".", field="agencies"
        )
    before = sorted(scope.user_agencies(session, user.id))
    if before != wanted:
        scope.assign(session, user, wanted)
        audit(
            session,
            actor,
            "assign_agencies",
            "user",
            user.username,
            {"from": before, "to": wanted},
            at=now,
        )
        session.flush()
    return _view(user, wanted)


def count_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
        or 0
    )


def user_exists(session: Session, username: str) -> bool:
    return (
        session.scalar(select(User.id).where(User.username == username.strip().lower())) is not None
    )


def get_user(session: Session, username: str) -> UserView:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFoundError(f"Không có người dùng “{username}”.", field="username")
    return _view(user)


def _load_user(session: Session, username: str) -> User:
    user = session.scalars(
        select(User).where(User.username == username.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFoundError(f"Không có người dùng “{username}”.", field="username")
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave the desk without an active administrator."""
    if user.role == str(Role.ADMIN) and user.active and count_admins(session) <= 1:
        raise ValidationError(
            f"“{user.username}” là quản trị viên duy nhất đang hoạt động; hãy tạo hoặc mở lại "
            "một tài khoản quản trị khác trước.",
            field="role",
        )


def set_role(
    session: Session, username: str, role: Role, actor: Actor, *, now: datetime | None = None
) -> UserView:
    """Give a user another role; the last active administrator keeps theirs."""
    now = now or clock.now()
    require_role(actor, ADMIN, "đổi vai trò người dùng")
    role = Role(role)
    user = _load_user(session, username)
    if user.role == str(role):
        return _view(user)
    _keep_an_admin(session, user)
    old = user.role
    user.role = str(role)
    audit(session, actor, "set_role", "user", user.username, {"from": old, "to": str(role)}, at=now)
    session.flush()
    return _view(user)


def set_active(
    session: Session, username: str, active: bool, actor: Actor, *, now: datetime | None = None
) -> UserView:
    """Close an account (it can no longer sign in; its history stays) or open it again."""
    now = now or clock.now()
    require_role(actor, ADMIN, "khóa hoặc mở tài khoản người dùng")
    user = _load_user(session, username)
    if user.active == active:
        return _view(user)
    if not active:
        _keep_an_admin(session, user)
        if actor.user_id is not None and user.id == actor.user_id:
            raise ValidationError("Không thể tự khóa tài khoản đang đăng nhập.", field="username")
    user.active = active
    audit(
        session,
        actor,
        "activate_user" if active else "deactivate_user",
        "user",
        user.username,
        at=now,
    )
    session.flush()
    return _view(user)


def reset_password(
    session: Session, username: str, password: str, actor: Actor, *, now: datetime | None = None
) -> UserView:
    """Set a new password for a user who forgot theirs (the password itself is never audited)."""
    now = now or clock.now()
    require_role(actor, ADMIN, "đặt lại mật khẩu")
    check_password(password)
    user = _load_user(session, username)
    user.password_hash = hash_password(password)
    audit(session, actor, "reset_password", "user", user.username, at=now)
    session.flush()
    return _view(user)


def _open_demo_accounts(session: Session) -> list[User]:
    """Active demo accounts that still open with the published password (one whose password
    an administrator changed has been taken over by a real person and is left alone)."""
    names = [name for name, _, _ in DEMO_USERS]
    found = session.scalars(
        select(User).where(User.username.in_(names), User.active).order_by(User.username)
    )
    return [u for u in found if verify_password(DEMO_PASSWORD, u.password_hash)]


def demo_accounts(session: Session) -> list[UserView]:
    """The demo accounts that anyone who read the README could still sign in with."""
    return [_view(u) for u in _open_demo_accounts(session)]


def close_demo_accounts(
    session: Session, actor: Actor, *, now: datetime | None = None
) -> list[str]:
    """Close every demo account still open with the published password, before going live.

    Each closing is audited like a closing by hand (with "demo": true); the accounts and their
    history stay. Returns the user names closed (none: nothing is written).
    """
    now = now or clock.now()
    require_role(actor, ADMIN, "khóa các tài khoản mẫu")
    closed: list[str] = []
    for user in _open_demo_accounts(session):
        if actor.user_id is not None and user.id == actor.user_id:
            continue  # never the account in use; the administrator closes it by hand later
        _keep_an_admin(session, user)
        user.active = False
        audit(session, actor, "deactivate_user", "user", user.username, {"demo": True}, at=now)
        closed.append(user.username)
    session.flush()
    return closed
