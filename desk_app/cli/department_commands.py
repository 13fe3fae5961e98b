"""`department`: run the department's service, register desks and viewers, rotate and revoke
their tokens, print its report."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

from desk_app.cli.common import parse_day
from desk_app.department import service
from desk_app.department.db import database_url, default_database_path, open_department_db
from desk_app.department.guard import DEFAULT_MAX_BODY
from desk_app.department.models import DESK_ROLE, VIEWER_ROLE
from desk_app.department.service import GroupBy
from desk_app.errors import ValidationError

STDOUT = "-"


def register(sub: Any) -> None:
    dept = sub.add_parser(
        "department", help="dịch vụ tổng hợp số liệu của Sở (nhận số liệu từ các bộ phận một cửa)"
    )
    dsub = dept.add_subparsers(dest="department_command", metavar="<lệnh>")
    dept.set_defaults(handler=lambda _args: _help(dept))

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = dsub.add_parser(name, help=help_)
        p.add_argument(
            "--db",
            dest="department_db",
            metavar="URL",
            help="cơ sở dữ liệu của Sở: URL SQLAlchemy (sqlite:///…, postgresql+psycopg://…) "
            f"hoặc đường dẫn tệp SQLite (mặc định: {default_database_path()})",
        )
        return p

    p = add("serve", "chạy dịch vụ HTTP của Sở (Ctrl+C để dừng)")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="cổng (mặc định 8080)")
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTE",
        help=f"cỡ tối đa của một yêu cầu gửi lên, tính bằng byte (mặc định {DEFAULT_MAX_BODY})",
    )
    p.add_argument(
        "--api-docs",
        action="store_true",
        help="phục vụ tài liệu API (/openapi.json, /docs, /redoc); mặc định tắt",
    )
    p.set_defaults(handler=cmd_serve)

    p = add("add-desk", "đăng ký một bộ phận một cửa; in mã truy cập của nó ở dòng cuối")
    p.add_argument("--name", required=True, help="tên bộ phận một cửa (duy nhất)")
    p.set_defaults(handler=cmd_add_desk)

    p = add("add-viewer", "đăng ký người hoặc công cụ xem báo cáo; in mã truy cập ở dòng cuối")
    p.add_argument("--name", required=True, help="tên người xem (duy nhất)")
    p.set_defaults(handler=cmd_add_viewer)

    new_token = "cấp mã truy cập mới (in ở dòng cuối) cho một {}; mã cũ hết hiệu lực ngay"
    revoke = "thu hồi mã truy cập của một {}"
    for command, role, help_ in (
        ("rotate-token", DESK_ROLE, new_token.format("bộ phận một cửa")),
        ("revoke-desk", DESK_ROLE, revoke.format("bộ phận một cửa") + " (số liệu đã nhận vẫn giữ)"),
        ("rotate-viewer-token", VIEWER_ROLE, new_token.format("người xem báo cáo")),
        ("revoke-viewer", VIEWER_ROLE, revoke.format("người xem báo cáo")),
    ):
        p = add(command, help_)
        what = "bộ phận một cửa" if role == DESK_ROLE else "người xem"
        p.add_argument("--name", required=True, help=f"tên {what} đã đăng ký")
        handler = cmd_rotate if command.startswith("rotate") else cmd_revoke
        p.set_defaults(handler=handler, department_role=role)

    p = add("report", "báo cáo tổng hợp (Biểu 06) của các bộ phận một cửa cho một kỳ")
    p.add_argument("--from", dest="start", required=True, help="từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="đến ngày YYYY-MM-DD")
    p.add_argument("--desk", help="chỉ một bộ phận một cửa (mặc định: tất cả)")
    p.add_argument(
        "--by",
        choices=[str(g) for g in GroupBy],
        default=str(GroupBy.FIELD),
        help="nhóm theo lĩnh vực (field, mặc định) hoặc theo thủ tục (procedure)",
    )
    p.add_argument("--format", choices=("json",), required=True, help="định dạng")
    p.add_argument("--out", default=STDOUT, help="tệp ghi ra (mặc định “-”: in ra màn hình)")
    p.set_defaults(handler=cmd_report)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _db_value(args: argparse.Namespace) -> str:
    """--db after `department`, else the program's --db (a file path), else the default."""
    value = getattr(args, "department_db", None) or getattr(args, "db", None)
    return database_url(value)


def cmd_serve(args: argparse.Namespace) -> int:
    from desk_app.department.server import serve

    if not 0 <= args.port <= 65535:
        raise ValidationError(f"Cổng “{args.port}” không hợp lệ (0–65535).")
    if args.max_body < 1024:
        raise ValidationError(f"Cỡ tối đa “{args.max_body}” quá nhỏ (ít nhất 1024 byte).")
    url = _db_value(args)
    print(
        f"Dịch vụ của Sở chạy tại http://{args.host}:{args.port} (Ctrl+C để dừng). "
        f"Cơ sở dữ liệu: {url}",
        flush=True,
    )
    try:
        serve(url, args.host, args.port, max_body=args.max_body, api_docs=args.api_docs)
    except OSError as exc:
        raise ValidationError(f"Không mở được cổng {args.port}: {exc.strerror or exc}.") from None
    return 0


def _actor() -> str:
    """Who runs the command, for the audit log: the operating system's user at this host."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return f"{user}@{socket.gethostname()}"


def _add(args: argparse.Namespace, role: str) -> int:
    db = open_department_db(_db_value(args))
    try:
        with db.writer.begin() as s:
            if role == "viewer":
                made = service.add_viewer(s, args.name, actor=_actor())
            else:
                made = service.add_desk(s, args.name, actor=_actor())
    finally:
        db.dispose()
    what = "người xem báo cáo" if role == "viewer" else "bộ phận một cửa"
    print(f"Đã đăng ký {what} “{made.name}”. Mã truy cập (chỉ hiện một lần, hãy lưu lại):")
    print(made.token)
    return 0


def cmd_add_desk(args: argparse.Namespace) -> int:
    return _add(args, "desk")


def cmd_add_viewer(args: argparse.Namespace) -> int:
    return _add(args, "viewer")


def _role_words(role: str) -> str:
    return "người xem báo cáo" if role == VIEWER_ROLE else "bộ phận một cửa"


def cmd_rotate(args: argparse.Namespace) -> int:
    role: str = args.department_role
    db = open_department_db(_db_value(args))
    try:
        with db.writer.begin() as s:
            made = service.rotate_token(s, args.name, role=role, actor=_actor())
    finally:
        db.dispose()
    print(
        f"Đã cấp mã truy cập mới cho {_role_words(role)} “{made.name}”; mã cũ không còn dùng "
        "được. Mã truy cập mới (chỉ hiện một lần, hãy lưu lại):"
    )
    print(made.token)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    role: str = args.department_role
    db = open_department_db(_db_value(args))
    try:
        with db.writer.begin() as s:
            name = service.revoke(s, args.name, role=role, actor=_actor())
    finally:
        db.dispose()
    kept = " Số liệu đã nhận vẫn nằm trong báo cáo." if role == DESK_ROLE else ""
    again = "rotate-token" if role == DESK_ROLE else "rotate-viewer-token"
    print(
        f"Đã thu hồi mã truy cập của {_role_words(role)} “{name}”.{kept} "
        f"Cấp lại mã bằng lệnh “department {again}”."
    )
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_report(args: argparse.Namespace) -> int:
    start, end = parse_day(args.start, "Từ ngày"), parse_day(args.end, "Đến ngày")
    if end < start:
        raise ValidationError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    db = open_department_db(_db_value(args))
    try:
        with db.reader.begin() as s:
            report = service.consolidated_report(
                s, start, end, GroupBy(args.by), desk_name=args.desk
            )
    finally:
        db.dispose()
    # The same text as the desk's `report --format json` (reports.statistics_json).
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    if args.out == STDOUT:
        print(text, end="")
        return 0
    out = Path(args.out)
    _write_atomically(out, text.encode("utf-8"))
    total = report.total
    print(
        f"Đã lập báo cáo tổng hợp từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: "
        f"nhận {total.received_total}, đã giải quyết {total.settled_total}, "
        f"đang giải quyết {total.open_total} hồ sơ: {out}"
    )
    return 0
