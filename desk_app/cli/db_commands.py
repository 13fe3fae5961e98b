"""`db copy`: move a solo desk's register into a centre's database as one agency
(store/copy/: plan, rows, target, verify)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desk_app.cli.common import database_target
from desk_app.cli.lang import tr
from desk_app.store.copy import CopyReport, copy_register
from desk_app.store.engine import open_database


def register(sub: Any) -> None:
    p = sub.add_parser("db", help=tr("chuyển sổ của một bàn vào cơ sở dữ liệu của Trung tâm"))
    db_sub = p.add_subparsers(dest="db_command", metavar=tr("<lệnh>"), required=True)
    c = db_sub.add_parser(
        "copy",
        help=tr(
            "chép sổ của một bàn (tệp SQLite) vào cơ sở dữ liệu của Trung tâm thành một cơ "
            "quan, rồi kiểm tra từng dòng; chạy lại chỉ kiểm tra"
        ),
    )
    c.add_argument("--from", dest="source", type=Path, required=True, help=tr("tệp SQLite của bàn"))
    c.add_argument(
        "--to",
        dest="target",
        type=database_target,
        required=True,
        help=tr(
            "cơ sở dữ liệu của Trung tâm: địa chỉ PostgreSQL (postgresql+psycopg://…) hoặc "
            "tệp SQLite"
        ),
    )
    c.add_argument(
        "--replace",
        action="store_true",
        help=tr(
            "cơ quan cùng mã ở đích đã có hồ sơ: xóa hồ sơ của cơ quan đó rồi chép (không bao "
            "giờ gộp hai sổ)"
        ),
    )
    c.set_defaults(handler=cmd_db_copy)


def cmd_db_copy(args: argparse.Namespace) -> int:
    source = open_database(args.source, create=False)
    target = open_database(args.target)
    try:

        def progress(table: str, rows: int) -> None:
            print(tr("  {table}: {rows} dòng", table=table, rows=rows), file=sys.stderr)

        report = copy_register(source, target, replace=args.replace, progress=progress)
    finally:
        source.dispose()
        target.dispose()
    _say(report, source.label, target.label)
    return 0


def _say(report: CopyReport, source: str, target: str) -> None:
    agency = {"agency": report.agency_name, "number": report.agency, "code": report.identifier}
    if report.already_there:
        print(
            tr(
                "{target} đã có đúng sổ của {source} (cơ quan “{agency}”, số {number}, mã "
                "{code}): {rows} dòng khớp từng dòng, {slips} phiếu lưu trữ khớp SHA-256. "
                "Không chép lại.",
                target=target,
                source=source,
                rows=report.total,
                slips=report.slips_checked,
                **agency,
            )
        )
        return
    if report.replaced_files:
        print(
            tr(
                "Đã xóa {files} hồ sơ cũ của cơ quan “{agency}” ở đích trước khi chép.",
                files=report.replaced_files,
                agency=report.agency_name,
            )
        )
    print(
        tr(
            "Đã chép {files} hồ sơ ({rows} dòng) từ {source} vào cơ quan “{agency}” (số "
            "{number}, mã {code}) ở {target}; kiểm tra: số dòng và SHA-256 của từng bảng khớp, "
            "{slips} phiếu lưu trữ khớp SHA-256.",
            files=report.rows.get("files", 0),
            rows=report.total,
            source=source,
            target=target,
            slips=report.slips_checked,
            **agency,
        )
    )
    if report.new_agency:
        print(tr("Cơ quan này là cơ quan mới ở đích."))
    if report.users_reused:
        print(
            tr(
                "Tài khoản đã có ở đích, dùng lại (mật khẩu của đích): {names}.",
                names=", ".join(report.users_reused),
            )
        )
    if report.calendar_conflicts:
        print(
            tr(
                "Những ngày đích ghi khác (ngày làm việc / ngày nghỉ), giữ như đích: {days}.",
                days=", ".join(f"{d:%d/%m/%Y}" for d in report.calendar_conflicts),
            )
        )
