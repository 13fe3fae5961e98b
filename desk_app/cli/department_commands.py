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
from desk_app.cli.lang import tr
from desk_app.department import service
from desk_app.department.db import database_url, default_database_path, open_department_db
from desk_app.department.guard import DEFAULT_MAX_BODY
from desk_app.department.models import DESK_ROLE, VIEWER_ROLE
from desk_app.department.service import GroupBy
from desk_app.errors import ValidationError

STDOUT = "-"


def register(sub: Any) -> None:
    dept = sub.add_parser(
        "department",
        help=tr("dịch vụ tổng hợp số liệu của Sở (nhận số liệu từ các bộ phận một cửa)"),
    )
    dsub = dept.add_subparsers(dest="department_command", metavar=tr("<lệnh>"))
    dept.set_defaults(handler=lambda _args: _help(dept))

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = dsub.add_parser(name, help=help_)
        p.add_argument(
            "--db",
            dest="department_db",
            metavar="URL",
            help=tr(
                "cơ sở dữ liệu của Sở: URL SQLAlchemy (sqlite:///…, postgresql+psycopg://…) "
                "hoặc đường dẫn tệp SQLite (mặc định: {path})",
                path=default_database_path(),
            ),
        )
        return p

    p = add("serve", tr("chạy dịch vụ HTTP của Sở (Ctrl+C để dừng)"))
    p.add_argument("--host", default="127.0.0.1", help=tr("địa chỉ lắng nghe (mặc định 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8080, help=tr("cổng (mặc định 8080)"))
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTE",
        help=tr(
            "cỡ tối đa của một yêu cầu gửi lên, tính bằng byte (mặc định {size})",
            size=DEFAULT_MAX_BODY,
        ),
    )
    p.add_argument(
        "--api-docs",
        action="store_true",
        help=tr("phục vụ tài liệu API (/openapi.json, /docs, /redoc); mặc định tắt"),
    )
    p.set_defaults(handler=cmd_serve)

    p = add("add-desk", tr("đăng ký một bộ phận một cửa; in mã truy cập của nó ở dòng cuối"))
    p.add_argument("--name", required=True, help=tr("tên bộ phận một cửa (duy nhất)"))
    p.set_defaults(handler=cmd_add_desk)

    p = add("add-viewer", tr("đăng ký người hoặc công cụ xem báo cáo; in mã truy cập ở dòng cuối"))
    p.add_argument("--name", required=True, help=tr("tên người xem (duy nhất)"))
    p.set_defaults(handler=cmd_add_viewer)

    for command, role, help_ in (
        ("rotate-token", DESK_ROLE, _new_token_help(DESK_ROLE)),
        (
            "revoke-desk",
            DESK_ROLE,
            tr(
                "thu hồi mã truy cập của một {what} (số liệu đã nhận vẫn giữ)",
                what=_role_words(DESK_ROLE),
            ),
        ),
        ("rotate-viewer-token", VIEWER_ROLE, _new_token_help(VIEWER_ROLE)),
        (
            "revoke-viewer",
            VIEWER_ROLE,
            tr("thu hồi mã truy cập của một {what}", what=_role_words(VIEWER_ROLE)),
        ),
    ):
        p = add(command, help_)
        p.add_argument(
            "--name", required=True, help=tr("tên {what} đã đăng ký", what=_role_words(role))
        )
        handler = cmd_rotate if command.startswith("rotate") else cmd_revoke
        p.set_defaults(handler=handler, department_role=role)

    p = add("report", tr("báo cáo tổng hợp (Biểu 06) của các bộ phận một cửa cho một kỳ"))
    p.add_argument("--from", dest="start", required=True, help=tr("từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=tr("đến ngày YYYY-MM-DD"))
    p.add_argument("--desk", help=tr("chỉ một bộ phận một cửa (mặc định: tất cả)"))
    p.add_argument(
        "--by",
        choices=[str(g) for g in GroupBy],
        default=str(GroupBy.FIELD),
        help=tr("nhóm theo lĩnh vực (field, mặc định) hoặc theo thủ tục (procedure)"),
    )
    p.add_argument("--format", choices=("json",), required=True, help=tr("định dạng"))
    p.add_argument("--out", default=STDOUT, help=tr("tệp ghi ra (mặc định “-”: in ra màn hình)"))
    p.set_defaults(handler=cmd_report)


def _new_token_help(role: str) -> str:
    return tr(
        "cấp mã truy cập mới (in ở dòng cuối) cho một {what}; mã cũ hết hiệu lực ngay",
        what=_role_words(role),
    )


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
        raise ValidationError(tr("Cổng “{port}” không hợp lệ (0–65535).", port=args.port))
    if args.max_body < 1024:
        raise ValidationError(
            tr("Cỡ tối đa “{size}” quá nhỏ (ít nhất 1024 byte).", size=args.max_body)
        )
    url = _db_value(args)
    print(
        tr(
            "Dịch vụ của Sở chạy tại http://{host}:{port} (Ctrl+C để dừng). Cơ sở dữ liệu: {url}",
            host=args.host,
            port=args.port,
            url=url,
        ),
        flush=True,
    )
    try:
        serve(url, args.host, args.port, max_body=args.max_body, api_docs=args.api_docs)
    except OSError as exc:
        raise ValidationError(
            tr("Không mở được cổng {port}: {reason}.", port=args.port, reason=exc.strerror or exc)
        ) from None
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
    print(
        tr(
            "Đã đăng ký {what} “{name}”. Mã truy cập (chỉ hiện một lần, hãy lưu lại):",
            what=_role_words(role),
            name=made.name,
        )
    )
    print(made.token)
    return 0


def cmd_add_desk(args: argparse.Namespace) -> int:
    return _add(args, "desk")


def cmd_add_viewer(args: argparse.Namespace) -> int:
    return _add(args, "viewer")


def _role_words(role: str) -> str:
    return tr("người xem báo cáo") if role == VIEWER_ROLE else tr("bộ phận một cửa")


def cmd_rotate(args: argparse.Namespace) -> int:
    role: str = args.department_role
    db = open_department_db(_db_value(args))
    try:
        with db.writer.begin() as s:
            made = service.rotate_token(s, args.name, role=role, actor=_actor())
    finally:
        db.dispose()
    print(
        tr(
            "Đã cấp mã truy cập mới cho {what} “{name}”; mã cũ không còn dùng được. Mã truy cập "
            "mới (chỉ hiện một lần, hãy lưu lại):",
            what=_role_words(role),
            name=made.name,
        )
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
    kept = tr(" Số liệu đã nhận vẫn nằm trong báo cáo.") if role == DESK_ROLE else ""
    again = "rotate-token" if role == DESK_ROLE else "rotate-viewer-token"
    print(
        tr(
            "Đã thu hồi mã truy cập của {what} “{name}”.{kept} "
            "Cấp lại mã bằng lệnh “department {again}”.",
            what=_role_words(role),
            name=name,
            kept=kept,
            again=again,
        )
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
    start, end = parse_day(args.start, tr("Từ ngày")), parse_day(args.end, tr("Đến ngày"))
    if end < start:
        raise ValidationError(tr("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
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
        tr(
            "Đã lập báo cáo tổng hợp từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: nhận {received}, "
            "đã giải quyết {settled}, đang giải quyết {open} hồ sơ: {path}",
            start=start,
            end=end,
            received=total.received_total,
            settled=total.settled_total,
            open=total.open_total,
            path=out,
        )
    )
    return 0
