"""Who runs a command that changes the database: the command line's sign-in.

A database without users yet (fresh, before `init` or the set-up wizard) is changed as the
"admin command line". Once it has users, every command that changes data signs someone in first
and acts as that user, so the audit log names who did it. The name comes from `--user` (or the
DESK_USER environment variable) or is asked on a terminal; the password from `--password-file`,
else the DESK_PASSWORD environment variable, else asked without echo on a terminal. A password
is never an argument: every other user of the machine can read a process's arguments.

On a counter PC of a centre the user works, as in the window, for their agencies among those
the computer serves, under its counter's name (Settings › This computer, read from the
window's preferences file without Qt).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from desk_app import machine_prefs
from desk_app.cli.lang import machine_settings_path, tr
from desk_app.errors import ValidationError
from desk_app.services import users
from desk_app.services.context import COMMAND_LINE, Actor, PermissionDeniedError
from desk_app.store.engine import Database

USER_VARIABLE = "DESK_USER"
PASSWORD_VARIABLE = "DESK_PASSWORD"

ADMIN = frozenset({"admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})
ANY_ROLE = frozenset({"officer", "supervisor", "admin", "postal"})  # the services refuse the rest


def add_options(parser: Any) -> None:
    """The sign-in options of a command that changes data."""
    parser.add_argument(
        "--user",
        metavar=tr("TÊN"),
        help=tr(
            "tên đăng nhập của người thực hiện (hoặc biến môi trường {variable}; "
            "mặc định: hỏi khi chạy trên màn hình dòng lệnh)",
            variable=USER_VARIABLE,
        ),
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar=tr("TỆP"),
        help=tr(
            "tệp chứa mật khẩu ở dòng đầu (hoặc biến môi trường {variable})",
            variable=PASSWORD_VARIABLE,
        ),
    )


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _username(args: argparse.Namespace) -> str:
    name = getattr(args, "user", None) or os.environ.get(USER_VARIABLE)
    if name and name.strip():
        return str(name).strip()
    if _interactive():
        name = input(tr("Tên đăng nhập: ")).strip()
        if name:
            return name
    raise ValidationError(
        tr(
            "Lệnh này thay đổi dữ liệu nên cần đăng nhập: thêm --user TÊN và mật khẩu trong biến "
            "môi trường {variable} hoặc --password-file TỆP.",
            variable=PASSWORD_VARIABLE,
        ),
        code="sign_in_required",
    )


def _password(args: argparse.Namespace, username: str) -> str:
    path: Path | None = getattr(args, "password_file", None)
    if path is not None:
        try:
            with path.open(encoding="utf-8") as f:
                return f.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            reason = (
                exc.strerror if isinstance(exc, OSError) and exc.strerror else tr("không đọc được")
            )
            raise ValidationError(
                tr("Không đọc được tệp mật khẩu {path}: {reason}.", path=path, reason=reason)
            ) from None
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if _interactive():
        return getpass.getpass(tr("Mật khẩu của {user}: ", user=username))
    raise ValidationError(
        tr(
            "Cần mật khẩu của “{user}”: đặt biến môi trường {variable} hoặc dùng "
            "--password-file TỆP.",
            user=username,
            variable=PASSWORD_VARIABLE,
        ),
        code="sign_in_required",
    )


def acting_user(
    args: argparse.Namespace,
    db: Database,
    roles: frozenset[str],
    what: str,
    *,
    now: datetime | None = None,
) -> Actor:
    """The user a data-changing command acts as (see the module's docstring); refuses a wrong
    password, a user in the sign-in back-off, or a role that may not do `what`."""
    with db.reader.begin() as s:
        if users.count_users(s) == 0:
            return COMMAND_LINE
    username = _username(args)
    password = _password(args, username)
    served, counter = machine_prefs.read_place(machine_settings_path(), db.label)
    # Its own transaction, committed even when the password is wrong: the failure counts.
    with db.writer.begin() as s:
        attempt = users.attempt_sign_in(
            s, username, password, now=now, served=served, counter=counter
        )
    actor = attempt.actor_or_raise()
    if actor.role not in roles:  # services.context.require_role, said in the command's language
        raise PermissionDeniedError(tr("Tài khoản của bạn không có quyền {what}.", what=what))
    return actor
