"""A centre's agencies and who works for them: agencies list / add / edit, users list / assign,
and the `--agency N` option of the commands that write one agency's settings or catalogue."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli import signin
from desk_app.cli.common import database
from desk_app.cli.lang import tr
from desk_app.errors import FieldsError, ValidationError
from desk_app.services import desk, users
from desk_app.services.context import SOLO_AGENCY
from desk_app.services.scope import ALL, Scope
from desk_app.store.engine import Database


def add_agency_option(parser: Any) -> None:
    """`--agency N`: the agency a command works on (needed when the database has several)."""
    parser.add_argument(
        "--agency",
        type=int,
        metavar="N",
        help=tr(
            "số của cơ quan (xem lệnh 'agencies list'); cần khi cơ sở dữ liệu có nhiều cơ quan"
        ),
    )


def resolve_agency(args: argparse.Namespace, db: Database) -> int:
    """The agency named by --agency, else the only agency of the database; a database with
    several asks for --agency rather than guessing."""
    chosen: int | None = getattr(args, "agency", None)
    with db.reader.begin() as s:
        agencies = desk.list_agencies(s)
    if chosen is not None:
        if not any(a.id == chosen for a in agencies):
            raise ValidationError(
                tr(
                    "Không có cơ quan số {agency} (xem lệnh 'agencies list').",
                    agency=chosen,
                ),
                field="agency",
            )
        return chosen
    open_ = [a for a in agencies if a.active]
    if len(agencies) <= 1 or len(open_) == 1:
        return open_[0].id if open_ else SOLO_AGENCY
    raise ValidationError(
        tr(
            "Cơ sở dữ liệu có {count} cơ quan ({agencies}): thêm --agency N để chọn cơ quan.",
            count=len(open_),
            agencies=", ".join(f"{a.id} = {a.display_name}" for a in open_),
        ),
        field="agency",
    )


def add_scope_option(parser: Any) -> None:
    """`--agency N` on a command that lists or counts: one agency's files (default: all)."""
    parser.add_argument(
        "--agency",
        type=int,
        metavar="N",
        help=tr("chỉ các hồ sơ của cơ quan số N (mặc định: mọi cơ quan của cơ sở dữ liệu)"),
    )


def listing_scope(args: argparse.Namespace, db: Database) -> Scope:
    """The files a listing covers: --agency N's (checked to exist), else every agency's."""
    if getattr(args, "agency", None) is None:
        return ALL
    return Scope.of({resolve_agency(args, db)})


def _identity_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument(
        "--agency-id",
        required=adding,
        help=tr("mã cơ quan dùng trong mã hồ sơ, ví dụ 000.00.20.H37"),
    )
    parser.add_argument(
        "--name",
        required=adding,
        help=tr("tên cơ quan, ví dụ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
    )
    parser.add_argument(
        "--short-name", help=tr("tên viết tắt hiện ở thanh trạng thái, ví dụ Sở Tư pháp")
    )
    parser.add_argument("--governing-body", help=tr("cơ quan chủ quản, ví dụ UBND TỈNH LẠNG SƠN"))
    parser.add_argument("--unit-name", help=tr("tên bộ phận (mặc định BỘ PHẬN MỘT CỬA)"))
    parser.add_argument("--place", help=tr("địa danh ghi trên giấy tờ, ví dụ Lạng Sơn"))
    parser.add_argument("--phone", help=tr("điện thoại của bộ phận"))
    if not adding:
        parser.add_argument(
            "--office-hours", help=tr("giờ làm việc, ví dụ 07:00-11:30,13:30-17:00")
        )
        parser.add_argument("--cutoff", help=tr("giờ chốt nhận hồ sơ trong ngày, ví dụ 15:00"))
        state = parser.add_mutually_exclusive_group()
        state.add_argument(
            "--close",
            dest="active",
            action="store_false",
            default=None,
            help=tr("đóng cơ quan: không nhận hồ sơ mới, không ai làm việc cho cơ quan"),
        )
        state.add_argument(
            "--reopen", dest="active", action="store_true", help=tr("mở lại cơ quan đã đóng")
        )


def register(sub: Any) -> None:
    agencies = sub.add_parser(
        "agencies", help=tr("các cơ quan trong cơ sở dữ liệu")
    ).add_subparsers(dest="agencies_command", metavar=tr("<lệnh>"), required=True)
    p = agencies.add_parser("list", help=tr("liệt kê các cơ quan"))
    p.set_defaults(handler=cmd_agencies_list)
    p = agencies.add_parser("add", help=tr("thêm một cơ quan vào cơ sở dữ liệu của Trung tâm"))
    _identity_options(p, adding=True)
    signin.add_options(p)
    p.set_defaults(handler=cmd_agencies_add)
    p = agencies.add_parser("edit", help=tr("sửa thông tin của một cơ quan"))
    p.add_argument("agency", type=int, metavar="N", help=tr("số của cơ quan"))
    _identity_options(p, adding=False)
    signin.add_options(p)
    p.set_defaults(handler=cmd_agencies_edit)

    accounts = sub.add_parser("users", help=tr("người dùng")).add_subparsers(
        dest="users_command", metavar=tr("<lệnh>"), required=True
    )
    p = accounts.add_parser("list", help=tr("liệt kê người dùng và cơ quan được phân công"))
    p.set_defaults(handler=cmd_users_list)
    p = accounts.add_parser(
        "assign", help=tr("phân công người dùng làm việc cho các cơ quan (thay phân công cũ)")
    )
    p.add_argument("username", metavar=tr("TÊN"), help=tr("tên đăng nhập"))
    p.add_argument("agencies", type=int, nargs="+", metavar="N", help=tr("số của cơ quan"))
    signin.add_options(p)
    p.set_defaults(handler=cmd_users_assign)


def _identity(args: argparse.Namespace) -> desk.IdentityInput:
    return desk.IdentityInput(
        agency_id=args.agency_id,
        agency_name=args.name,
        governing_body=args.governing_body,
        unit_name=args.unit_name,
        place_name=args.place,
        phone=args.phone,
        office_hours=getattr(args, "office_hours", None),
        cutoff=getattr(args, "cutoff", None),
    )


def _fields_message(exc: FieldsError) -> ValidationError:
    """One line per wrong field, each led by its option."""
    options = {
        "agency_id": "--agency-id",
        "agency_name": "--name",
        "short_name": "--short-name",
        "governing_body": "--governing-body",
        "unit_name": "--unit-name",
        "place_name": "--place",
        "office_hours": "--office-hours",
        "cutoff": "--cutoff",
        "active": "--close",
    }
    lines = [f"{options.get(field, field)}: {message}" for field, message in exc.errors.items()]
    return ValidationError("; ".join(lines), field=exc.field)


def _print_agency(view: desk.AgencyView) -> None:
    state = "" if view.active else "  " + tr("(đã đóng)")
    print(f"{view.id}  {view.agency_id or '-'}  {view.display_name}{state}")


def cmd_agencies_list(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        found = desk.list_agencies(s)
    for view in found:
        state = tr("đang hoạt động") if view.active else tr("đã đóng")
        print(
            f"{view.id}  {view.agency_id or '-'}  {view.display_name}  "
            + tr(
                "{state}, {files} hồ sơ, {users} người dùng",
                state=state,
                files=view.files,
                users=view.users,
            )
        )
    return 0


def cmd_agencies_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("thêm cơ quan"))
    try:
        with db.writer.begin() as s:
            view = desk.add_agency(s, _identity(args), actor, short_name=args.short_name or "")
    except FieldsError as exc:
        raise _fields_message(exc) from None
    print(tr("Đã thêm cơ quan số {agency}:", agency=view.id))
    _print_agency(view)
    return 0


def cmd_agencies_edit(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("sửa thông tin cơ quan"))
    try:
        with db.writer.begin() as s:
            view = desk.update_agency(
                s,
                args.agency,
                _identity(args),
                actor,
                short_name=args.short_name,
                active=args.active,
            )
    except FieldsError as exc:
        raise _fields_message(exc) from None
    print(tr("Đã lưu cơ quan số {agency}:", agency=view.id))
    _print_agency(view)
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        found = users.list_users(s)
        names = {a.id: a.display_name for a in desk.list_agencies(s)}
    for user in found:
        state = "" if user.active else "  " + tr("(đã khóa)")
        assigned = ", ".join(f"{a} = {names.get(a, '?')}" for a in user.agencies) or tr(
            "chưa phân công"
        )
        print(f"{user.username}  {user.full_name}  {user.role}  [{assigned}]{state}")
    return 0


def cmd_users_assign(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("phân công cơ quan cho người dùng"))
    with db.writer.begin() as s:
        view = users.assign_agencies(s, args.username, args.agencies, actor)
    print(
        tr(
            "Đã phân công “{user}” cho cơ quan: {agencies}.",
            user=view.username,
            agencies=", ".join(str(a) for a in view.agencies),
        )
    )
    return 0
