"""Desk commands: init, due, calendar, catalog, backup, restore."""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from desk_app.cli import signin
from desk_app.cli.agency_commands import add_agency_option, resolve_agency
from desk_app.cli.common import database, database_choice, moment, parse_day, parse_moment
from desk_app.cli.lang import tr
from desk_app.domain.calendar import REASON_WEEKEND, REASON_WORKING
from desk_app.domain.catalog import bundled_catalog, dump_catalog_file, load_catalog_file
from desk_app.domain.due import DurationUnit, Pause, PauseKind, compute_due
from desk_app.errors import ConfigurationError, ValidationError
from desk_app.pg_engine import is_server_url, redacted
from desk_app.services import calendar_moves, desk, users
from desk_app.services.context import COMMAND_LINE, load_context
from desk_app.store.backup import backup, restore
from desk_app.store.engine import Database
from desk_app.store.pg_backup import DumpCheck, backup_server, restore_server

# What `due` prints for a file without a deadline: a word scripts compare, never translated.
NO_DUE = "none"


def _weekdays() -> tuple[str, ...]:
    return (tr("T2"), tr("T3"), tr("T4"), tr("T5"), tr("T6"), tr("T7"), tr("CN"))


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init", help=tr("tạo hoặc nâng cấp CSDL, khai báo đơn vị, tạo quản trị viên")
    )
    p.add_argument("--agency-id", help=tr("mã cơ quan dùng trong mã hồ sơ, ví dụ 000.00.20.H37"))
    p.add_argument("--agency-name", help=tr("tên cơ quan, ví dụ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"))
    p.add_argument("--governing-body", help=tr("cơ quan chủ quản, ví dụ UBND TỈNH LẠNG SƠN"))
    p.add_argument("--unit-name", help=tr("tên bộ phận (mặc định BỘ PHẬN MỘT CỬA)"))
    p.add_argument("--place", help=tr("địa danh ghi trên giấy tờ, ví dụ Lạng Sơn"))
    p.add_argument("--office-hours", help=tr("giờ làm việc, ví dụ 07:00-11:30,13:30-17:00"))
    p.add_argument("--cutoff", help=tr("giờ chốt nhận hồ sơ trong ngày, ví dụ 15:00"))
    p.add_argument(
        "--admin", help=tr("tên đăng nhập của quản trị viên đầu tiên (mật khẩu từ stdin)")
    )
    p.add_argument("--admin-name", help=tr("họ tên quản trị viên"))
    p.add_argument("--no-catalog", action="store_true", help=tr("không nạp danh mục thủ tục mẫu"))
    add_agency_option(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("due", help=tr("tính thời điểm hẹn trả kết quả"))
    p.add_argument("--received", required=True, help=tr("thời điểm tiếp nhận YYYY-MM-DDTHH:MM"))
    p.add_argument("--duration", default="0", help=tr("thời hạn (có thể là số thập phân)"))
    p.add_argument("--unit", required=True, choices=[u.value for u in DurationUnit])
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar=tr("[fee:]START/END"),
        help=tr(
            "khoảng tạm dừng (có thể lặp lại); END để trống nếu chưa kết thúc; tiền tố fee: "
            "cho tạm dừng chờ thực hiện nghĩa vụ tài chính (mặc định: chờ bổ sung)"
        ),
    )
    p.add_argument("--restart", action="store_true", help=tr("tính lại từ đầu sau khi bổ sung"))
    p.add_argument("--cutoff", help=tr("giờ chốt cho đơn vị same_day (mặc định theo cài đặt)"))
    p.set_defaults(handler=cmd_due)

    cal = sub.add_parser("calendar", help=tr("lịch làm việc")).add_subparsers(
        dest="calendar_command", metavar=tr("<lệnh>"), required=True
    )
    p = cal.add_parser("show", help=tr("in lịch làm việc của một năm"))
    p.add_argument("year", type=int)
    p.add_argument("--all", action="store_true", help=tr("in cả ngày làm việc bình thường"))
    p.set_defaults(handler=cmd_calendar_show)
    p = cal.add_parser("set", help=tr("đặt một ngày là ngày làm việc hoặc ngày nghỉ"))
    p.add_argument("date")
    p.add_argument("kind", choices=["working", "off"])
    p.add_argument("--note", required=True, help=tr("căn cứ, ví dụ số văn bản thông báo"))
    p.add_argument("--yes", action="store_true", help=tr("đồng ý lùi hạn các hồ sơ bị ảnh hưởng"))
    signin.add_options(p)
    p.set_defaults(handler=cmd_calendar_set)
    p = cal.add_parser("clear", help=tr("bỏ điều chỉnh của quản trị cho một ngày"))
    p.add_argument("date")
    p.add_argument("--yes", action="store_true", help=tr("đồng ý lùi hạn các hồ sơ bị ảnh hưởng"))
    signin.add_options(p)
    p.set_defaults(handler=cmd_calendar_clear)

    cat = sub.add_parser("catalog", help=tr("danh mục thủ tục")).add_subparsers(
        dest="catalog_command", metavar=tr("<lệnh>"), required=True
    )
    p = cat.add_parser("import", help=tr("nhập danh mục từ JSON hoặc CSV"))
    p.add_argument("file", type=Path)
    add_agency_option(p)
    signin.add_options(p)
    p.set_defaults(handler=cmd_catalog_import)
    p = cat.add_parser("export", help=tr("xuất danh mục ra JSON hoặc CSV"))
    p.add_argument("file", type=Path)
    add_agency_option(p)
    p.set_defaults(handler=cmd_catalog_export)

    p = sub.add_parser("backup", help=tr("sao lưu CSDL (đang chạy vẫn sao lưu được)"))
    p.add_argument(
        "dest",
        help=tr(
            "tệp, hoặc thư mục (kết thúc bằng / hoặc đã có) để tự đặt tên; CSDL trên máy chủ "
            "được sao lưu thành tệp .pgdump bằng pg_dump"
        ),
    )
    p.add_argument("--force", action="store_true", help=tr("ghi đè tệp đã có (trừ CSDL đang dùng)"))
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help=tr("phục hồi CSDL từ bản sao lưu"))
    p.add_argument("src", type=Path)
    signin.add_options(p)
    p.set_defaults(handler=cmd_restore)


# The first administrator's user name offered on a terminal.
DEFAULT_ADMIN = "admin"
# The first administrator's name when none is given (stored in the database: Vietnamese).
ADMIN_NAME = "Quản trị viên"
# A "yes" to a question on the terminal, in either language.
YES_ANSWERS = frozenset({"c", "co", "có", "y", "yes"})


def _ask(prompt: str, current: str = "") -> str:
    suffix = f" [{current}]" if current else ""
    answer = input(f"{prompt}{suffix}: ").strip()
    return answer or current


def _read_password(interactive: bool) -> str:
    if interactive:
        first = getpass.getpass(tr("Mật khẩu: "))
        if getpass.getpass(tr("Nhập lại mật khẩu: ")) != first:
            raise ValidationError(tr("Hai lần nhập mật khẩu không khớp."))
        return first
    line = sys.stdin.readline()
    if not line:
        raise ValidationError(tr("Cần mật khẩu của quản trị viên trên đầu vào chuẩn (stdin)."))
    return line.rstrip("\r\n")


def cmd_init(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        return _init(args, db)
    finally:
        db.dispose()  # a server's connections closed now, not whenever the engine is collected


def _init(args: argparse.Namespace, db: Database) -> int:
    identity_given = any(
        getattr(args, k) is not None
        for k in ("agency_id", "agency_name", "place", "admin", "governing_body")
    )
    interactive = not identity_given and sys.stdin.isatty()
    agency = resolve_agency(args, db)
    with db.reader.begin() as s:
        current = desk.get_settings(s, agency)
        has_admin = users.count_admins(s) > 0
        # Once someone can sign in, the desk is changed by its signed-in users only: `init`
        # would otherwise let anyone add an administrator.
        if users.count_users(s) > 0:
            raise ConfigurationError(
                tr(
                    "Cơ sở dữ liệu {path} đã được khởi tạo (đã có người dùng); lệnh init không "
                    "làm lại. Hãy đổi thông tin đơn vị và người dùng trong Cài đặt của chương "
                    "trình.",
                    path=db.label,
                ),
                code="already_initialised",
            )
    values = {
        "agency_id": args.agency_id,
        "agency_name": args.agency_name,
        "governing_body": args.governing_body,
        "unit_name": args.unit_name,
        "place_name": args.place,
        "office_hours": args.office_hours,
        "cutoff": args.cutoff,
    }
    admin, admin_name = args.admin, args.admin_name
    if interactive:
        print(tr("Khai báo Bộ phận Một cửa (Enter để giữ giá trị trong ngoặc)."))
        values["governing_body"] = _ask(tr("Cơ quan chủ quản"), current.governing_body)
        values["agency_name"] = _ask(tr("Tên cơ quan"), current.agency_name)
        values["unit_name"] = _ask(tr("Tên bộ phận"), current.unit_name)
        values["agency_id"] = _ask(tr("Mã cơ quan (dùng trong mã hồ sơ)"), current.agency_id)
        values["place_name"] = _ask(tr("Địa danh ghi trên giấy tờ"), current.place_name)
        values["office_hours"] = _ask(tr("Giờ làm việc"), current.office_hours)
        values["cutoff"] = _ask(
            tr("Giờ chốt nhận hồ sơ trong ngày"), current.cutoff.strftime("%H:%M")
        )
        if not has_admin:
            admin = _ask(tr("Tên đăng nhập quản trị viên"), DEFAULT_ADMIN)
            admin_name = _ask(tr("Họ tên quản trị viên"), ADMIN_NAME)
    with db.writer.begin() as s:
        settings = desk.update_settings(
            s,
            desk.IdentityInput(**{k: v for k, v in values.items() if v is not None}),
            COMMAND_LINE,
            agency=agency,
        )
        # Counter intake is never dated before the day the desk was set up (rule 8).
        desk.ensure_first_day(s, COMMAND_LINE, agency=agency)
        if admin:
            if users.user_exists(s, admin):
                print(tr("Quản trị viên “{user}” đã có; giữ nguyên mật khẩu.", user=admin))
            else:
                password = _read_password(interactive)
                users.create_user(
                    s,
                    admin,
                    admin_name or ADMIN_NAME,
                    users.Role.ADMIN,
                    password,
                    COMMAND_LINE,
                )
                print(tr("Đã tạo quản trị viên “{user}”.", user=admin.lower()))
        loaded = 0
        if not args.no_catalog and desk.catalog_size(s, agency) == 0:
            loaded = desk.import_catalog(s, bundled_catalog(), COMMAND_LINE, agency=agency).added
    if loaded:
        print(tr("Đã nạp {count} thủ tục từ danh mục mẫu.", count=loaded))
    if not settings.is_configured:
        print(tr("Lưu ý: chưa đủ mã cơ quan và tên cơ quan; chưa tiếp nhận hồ sơ được."))
    print(tr("Cơ sở dữ liệu sẵn sàng: {path}", path=db.label))
    return 0


def _parse_pause(text: str) -> Pause:
    kind = PauseKind.SUPPLEMENT
    body = text
    if text.startswith("fee:"):
        kind, body = PauseKind.FINANCIAL, text[4:]
    start, sep, end = body.partition("/")
    if not sep:
        raise ValidationError(tr("Khoảng tạm dừng “{text}” phải có dạng START/END.", text=text))
    return Pause(
        parse_moment(start, tr("Đầu khoảng tạm dừng")),
        parse_moment(end, tr("Cuối khoảng tạm dừng")) if end.strip() else None,
        kind,
    )


def cmd_due(args: argparse.Namespace) -> int:
    unit = DurationUnit(args.unit)
    try:
        duration = Decimal(args.duration)
    except InvalidOperation:
        raise ValidationError(
            tr("Thời hạn “{value}” phải là một số.", value=args.duration)
        ) from None
    if unit != DurationUnit.NONE and duration <= 0:
        raise ValidationError(tr("Thời hạn phải lớn hơn 0."))
    received = parse_moment(args.received, tr("Thời điểm tiếp nhận"))
    pauses = [_parse_pause(p) for p in args.pause]
    db = database(args)
    with db.reader.begin() as s:
        ctx = load_context(s)
    cutoff = ctx.settings.cutoff
    if args.cutoff:
        cutoff = parse_moment(f"2000-01-01T{args.cutoff}", tr("Giờ chốt")).time()
    due = compute_due(
        ctx.calendar,
        received,
        duration,
        unit,
        pauses,
        restart_on_supplement=args.restart,
        cutoff=cutoff,
    )
    print(NO_DUE if due is None else moment(due))
    return 0


def cmd_calendar_show(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        days = desk.calendar_year(s, args.year)
    working = sum(1 for d in days if d.working)
    weekdays = _weekdays()
    width = max(len(name) for name in weekdays)
    for info in days:
        weekday = info.date.weekday()
        # Print what differs from a plain week: days off on weekdays, working weekends, and
        # any day whose reason is a holiday or an override.
        unusual = info.reason not in (REASON_WORKING, REASON_WEEKEND)
        if args.all or unusual:
            state = tr("làm việc") if info.working else tr("nghỉ")
            print(f"{info.date.isoformat()} {weekdays[weekday]:<{width}} {state:<9} {info.reason}")
    print(tr("Năm {year}: {count} ngày làm việc.", year=args.year, count=working))
    return 0


def _confirm_moves(args: argparse.Namespace, found: calendar_moves.CalendarImpact) -> bool:
    """Show which open files the change would move (DOMAIN §4.1 rule 7) and ask to go on."""
    if found.empty:
        return True
    for line in calendar_moves.describe(found):
        print(line)
    if args.yes:
        return True
    if sys.stdin.isatty():
        answer = input(tr("Lưu thay đổi và lùi hạn các hồ sơ trên? [c/K] ")).strip().lower()
        return answer in YES_ANSWERS
    print(tr("Chưa lưu: thêm --yes để xác nhận."))
    return False


def cmd_calendar_set(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    db = database(args)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("sửa lịch làm việc"))
    working = args.kind == "working"
    with db.reader.begin() as s:
        found = calendar_moves.preview_day(s, day, working, args.note)
    if not _confirm_moves(args, found):
        return 3
    with db.writer.begin() as s:
        info = desk.set_calendar_day(s, day, working, args.note, actor)
    state = tr("ngày làm việc") if info.working else tr("ngày nghỉ")
    print(f"{info.date.isoformat()}: {state} ({info.reason})")
    return 0


def cmd_calendar_clear(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    db = database(args)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("sửa lịch làm việc"))
    with db.reader.begin() as s:
        found = calendar_moves.preview_day(s, day, None)
    if not _confirm_moves(args, found):
        return 3
    with db.writer.begin() as s:
        info = desk.clear_calendar_day(s, day, actor)
    state = tr("ngày làm việc") if info.working else tr("ngày nghỉ")
    print(f"{info.date.isoformat()}: {state} ({info.reason})")
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    specs = load_catalog_file(args.file)
    db = database(args)
    agency = resolve_agency(args, db)
    actor = signin.acting_user(args, db, signin.ADMIN, tr("nhập danh mục thủ tục"))
    with db.writer.begin() as s:
        result = desk.import_catalog(s, specs, actor, agency=agency)
    print(
        tr(
            "Đã nhập danh mục: {added} thêm mới, {updated} cập nhật, {unchanged} không đổi.",
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )
    return 0


def cmd_catalog_export(args: argparse.Namespace) -> int:
    db = database(args)
    agency = resolve_agency(args, db)
    with db.reader.begin() as s:
        specs = desk.export_catalog(s, agency)
    dump_catalog_file(specs, args.file)
    print(tr("Đã xuất {count} thủ tục ra {path}", count=len(specs), path=args.file))
    return 0


def _print_check(check: DumpCheck) -> None:
    if check.scratch:
        print(
            tr(
                "Kiểm tra: đã phục hồi thử vào một cơ sở dữ liệu tạm; {tables} bảng, {rows} dòng "
                "khớp với bản gốc.",
                tables=check.tables,
                rows=check.rows,
            )
        )
    else:
        print(
            tr(
                "Kiểm tra: đọc được danh mục và phiên bản lược đồ của bản sao lưu ({tables} bảng "
                "có dữ liệu). Người dùng máy chủ không có quyền tạo cơ sở dữ liệu tạm nên chưa "
                "phục hồi thử.",
                tables=check.tables,
            )
        )


def cmd_backup(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        if db.path is None:  # a centre's database on a server: pg_dump, checked
            made = backup_server(db.url, args.dest, force=args.force)
            print(tr("Đã sao lưu và kiểm tra: {path}", path=made.path))
            _print_check(made.check)
            return 0
        dest = backup(db.path, args.dest, force=args.force)
    finally:
        db.dispose()
    print(tr("Đã sao lưu và kiểm tra: {path}", path=dest))
    return 0


def _sign_in_to_restore(args: argparse.Namespace) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        db = database(args)
    except (SQLAlchemyError, sqlite3.Error):
        # A file that does not open as a database has nobody to sign in (and whoever broke it
        # could replace it as well); restoring is the way out.
        return
    try:
        signin.acting_user(args, db, signin.ADMIN, tr("phục hồi cơ sở dữ liệu"))
    finally:
        db.dispose()


def _restore_server(args: argparse.Namespace, url: str) -> int:
    from desk_app.store.engine import default_data_dir
    from desk_app.store.migrate import server_revision

    # Refuses, before anything, a server out of reach and another program's database.
    if server_revision(url, create=True) is not None:
        _sign_in_to_restore(args)  # replacing a centre's register is an administrator's decision
    done = restore_server(args.src, url, default_data_dir())
    if done.safety is not None:
        print(tr("Bản cũ được giữ tại: {path}", path=done.safety))
    print(tr("Đã phục hồi {path} từ {source}", path=redacted(url), source=args.src))
    _print_check(done.check)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from desk_app.store.engine import default_database_path, sqlite_file

    # The database every other command would open (--db, else the centre's server saved for
    # this PC, else the PC's own file): a restore never lands somewhere else.
    chosen = database_choice(args)
    if isinstance(chosen, str) and is_server_url(chosen):
        return _restore_server(args, chosen)
    target = sqlite_file(chosen) if chosen else default_database_path().resolve()
    assert target is not None
    if target.exists():  # replacing a desk's database is an administrator's decision
        _sign_in_to_restore(args)
    target.parent.mkdir(parents=True, exist_ok=True)
    safety = restore(args.src, target)  # migrated before it replaces anything
    if safety is not None:
        print(tr("Bản cũ được giữ tại: {path}", path=safety))
    print(tr("Đã phục hồi {path} từ {source}", path=target, source=args.src))
    return 0
