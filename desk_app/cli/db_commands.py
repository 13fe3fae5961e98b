"""`db copy`: move a solo desk's register into a centre's PostgreSQL database (store/copy.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desk_app.cli.common import database_target
from desk_app.cli.lang import tr
from desk_app.errors import ValidationError
from desk_app.pg_engine import is_server_url
from desk_app.store.copy import copy_register
from desk_app.store.engine import open_database


def register(sub: Any) -> None:
    p = sub.add_parser("db", help=tr("chuyển sổ của một bàn vào cơ sở dữ liệu của Trung tâm"))
    db_sub = p.add_subparsers(dest="db_command", metavar=tr("<lệnh>"), required=True)
    c = db_sub.add_parser(
        "copy",
        help=tr(
            "chép toàn bộ sổ từ tệp SQLite của bàn sang cơ sở dữ liệu PostgreSQL, rồi kiểm tra "
            "từng dòng; chạy lại chỉ kiểm tra"
        ),
    )
    c.add_argument("--from", dest="source", type=Path, required=True, help=tr("tệp SQLite của bàn"))
    c.add_argument(
        "--to",
        dest="target",
        type=database_target,
        required=True,
        help=tr("địa chỉ cơ sở dữ liệu PostgreSQL (postgresql+psycopg://…)"),
    )
    c.add_argument(
        "--replace",
        action="store_true",
        help=tr("xóa hết dữ liệu đang có ở đích rồi chép (không bao giờ gộp hai sổ)"),
    )
    c.set_defaults(handler=cmd_db_copy)


def cmd_db_copy(args: argparse.Namespace) -> int:
    if not is_server_url(args.target):
        raise ValidationError(
            tr("--to phải là địa chỉ PostgreSQL (postgresql+psycopg://…)."), field="to"
        )
    source = open_database(args.source, create=False)
    target = open_database(args.target)
    try:

        def progress(table: str, rows: int) -> None:
            print(tr("  {table}: {rows} dòng", table=table, rows=rows), file=sys.stderr)

        report = copy_register(source, target, replace=args.replace, progress=progress)
    finally:
        source.dispose()
        target.dispose()
    if report.already_there:
        print(
            tr(
                "{target} đã có đúng sổ của {source}: {rows} dòng khớp từng dòng, {slips} phiếu "
                "lưu trữ khớp SHA-256. Không chép lại.",
                target=target.label,
                source=source.label,
                rows=report.total,
                slips=report.slips_checked,
            )
        )
    else:
        print(
            tr(
                "Đã chép {files} hồ sơ ({rows} dòng) từ {source} sang {target}; kiểm tra: số "
                "dòng và SHA-256 của từng bảng khớp, {slips} phiếu lưu trữ khớp SHA-256.",
                files=report.rows.get("files", 0),
                rows=report.total,
                source=source.label,
                target=target.label,
                slips=report.slips_checked,
            )
        )
    return 0
