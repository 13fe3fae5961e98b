"""The hall's queue from the command line (issue 16): tickets groups list / add / rename / close
/ reopen. Changing a group needs an administrator's sign-in; the services say what is wrong."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.cli import signin
from desk_app.cli.agency_commands import add_agency_option, resolve_agency
from desk_app.cli.common import database
from desk_app.cli.lang import tr
from desk_app.services import desk, tickets
from desk_app.services.context import Actor
from desk_app.services.tickets import GroupView
from desk_app.store.engine import Database


def register(sub: Any) -> None:
    queue = sub.add_parser("tickets", help=tr("số thứ tự: các nhóm dịch vụ của hàng đợi"))
    groups = queue.add_subparsers(dest="tickets_command", metavar=tr("<lệnh>"), required=True)
    verbs = groups.add_parser(
        "groups", help=tr("các nhóm dịch vụ (mỗi nhóm một ký hiệu, ví dụ A)")
    ).add_subparsers(dest="groups_command", metavar=tr("<lệnh>"), required=True)

    p = verbs.add_parser("list", help=tr("liệt kê các nhóm, cả nhóm đã ngừng"))
    p.add_argument(
        "--agency",
        type=int,
        metavar="N",
        help=tr("chỉ các nhóm của cơ quan số N (mặc định: mọi cơ quan)"),
    )
    p.set_defaults(handler=cmd_groups_list)

    p = verbs.add_parser("add", help=tr("thêm một nhóm dịch vụ"))
    p.add_argument("prefix", metavar=tr("KÝ_HIỆU"), help=tr("1 đến 4 chữ cái không dấu, ví dụ B"))
    p.add_argument("name", metavar=tr("TÊN"), help=tr("tên nhóm, ví dụ “Hộ tịch, chứng thực”"))
    _common(p, handler=cmd_groups_add)

    p = verbs.add_parser("rename", help=tr("đổi tên một nhóm (ký hiệu giữ nguyên)"))
    p.add_argument("prefix", metavar=tr("KÝ_HIỆU"), help=tr("ký hiệu của nhóm"))
    p.add_argument("name", metavar=tr("TÊN"), help=tr("tên mới của nhóm"))
    _common(p, handler=cmd_groups_rename)

    p = verbs.add_parser(
        "close", help=tr("ngừng một nhóm: không cấp số mới, các số đã cấp vẫn được giữ")
    )
    p.add_argument("prefix", metavar=tr("KÝ_HIỆU"), help=tr("ký hiệu của nhóm"))
    _common(p, handler=cmd_groups_close)

    p = verbs.add_parser("reopen", help=tr("mở lại một nhóm đã ngừng"))
    p.add_argument("prefix", metavar=tr("KÝ_HIỆU"), help=tr("ký hiệu của nhóm"))
    _common(p, handler=cmd_groups_reopen)


def _common(parser: Any, *, handler: Any) -> None:
    add_agency_option(parser)
    signin.add_options(parser)
    parser.set_defaults(handler=handler)


def _named(group: GroupView) -> str:
    return f"{group.prefix} – {group.name}"


def cmd_groups_list(args: argparse.Namespace) -> int:
    db = database(args)
    agency = resolve_agency(args, db) if args.agency is not None else None
    with db.reader.begin() as s:
        rows = tickets.group_rows(s, agency)
        several = len(desk.list_agencies(s)) > 1
    if not rows:
        print(tr("Chưa có nhóm dịch vụ nào."))
    for row in rows:
        group = row.group
        state = tr("đang cấp số") if group.active else tr("đã ngừng")
        words = tr("{state}, {issued} số đã cấp", state=state, issued=row.issued)
        if row.last_day is not None:
            words += tr(", lần cuối ngày {day}", day=row.last_day.isoformat())
        lead = f"[{group.agency}] " if several else ""
        print(f"{lead}{group.prefix}  {group.name}  {words}")
    return 0


def _managing(args: argparse.Namespace) -> tuple[Database, int, Actor]:
    """The database, the agency and the administrator signed in to manage its groups."""
    db = database(args)
    agency = resolve_agency(args, db)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("quản lý nhóm dịch vụ"))
    return db, agency, actor


def _change_group(
    args: argparse.Namespace, change: Callable[[Session, int, Actor], GroupView]
) -> GroupView:
    """`change(session, group id, actor)` the agency's group named by `args.prefix`."""
    db, agency, actor = _managing(args)
    with db.writer.begin() as s:
        found = tickets.find_group(s, args.prefix, agency)
        return change(s, found.id, actor)


def cmd_groups_add(args: argparse.Namespace) -> int:
    db, agency, actor = _managing(args)
    day = clock.now().date()
    with db.writer.begin() as s:
        group = tickets.add_group(s, args.prefix, args.name, agency, day=day, actor=actor)
    print(tr("Đã thêm nhóm {group}.", group=_named(group)))
    return 0


def cmd_groups_rename(args: argparse.Namespace) -> int:
    group = _change_group(
        args, lambda s, found, actor: tickets.rename_group(s, found, args.name, actor=actor)
    )
    print(tr("Đã đổi tên nhóm thành {group}.", group=_named(group)))
    return 0


def cmd_groups_close(args: argparse.Namespace) -> int:
    group = _change_group(
        args, lambda s, found, actor: tickets.retire_group(s, found, clock.now(), actor=actor)
    )
    print(
        tr(
            "Đã ngừng nhóm {group}: không cấp số mới; các số đã cấp vẫn được giữ.",
            group=_named(group),
        )
    )
    return 0


def cmd_groups_reopen(args: argparse.Namespace) -> int:
    group = _change_group(
        args,
        lambda s, found, actor: tickets.reopen_group(s, found, day=clock.now().date(), actor=actor),
    )
    print(tr("Đã mở lại nhóm {group}.", group=_named(group)))
    return 0
