"""`report` and `register`: Biểu 06 statistics (PDF, XLSX, JSON) and the register (PDF, XLSX);
`index`: the national index (Decision 766) as far as the desk computes it (PDF, XLSX, JSON)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from desk_app import clock
from desk_app.cli.agency_commands import add_scope_option, listing_scope
from desk_app.cli.common import database, parse_day
from desk_app.cli.lang import tr
from desk_app.errors import ValidationError
from desk_app.services import index_exports, national_index, printing, reports
from desk_app.services.statistics import GroupBy, period_bounds, period_report
from desk_app.store.files import write_atomically

STDOUT = "-"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report", help=tr("báo cáo tình hình, kết quả giải quyết TTHC (Biểu 06) cho một kỳ")
    )
    p.add_argument("--from", dest="start", required=True, help=tr("từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=tr("đến ngày YYYY-MM-DD"))
    p.add_argument(
        "--by",
        choices=[str(g) for g in GroupBy],
        default=str(GroupBy.FIELD),
        help=tr(
            "nhóm theo lĩnh vực (field, mặc định), thủ tục (procedure), cơ quan (agency), "
            "cán bộ tiếp nhận (officer) hoặc quầy (counter)"
        ),
    )
    p.add_argument("--format", choices=("pdf", "xlsx", "json"), required=True, help=tr("định dạng"))
    p.add_argument("--out", required=True, help=tr("tệp ghi ra (“-”: in JSON ra màn hình)"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_report)
    p = sub.add_parser("register", help=tr("sổ theo dõi hồ sơ cho một khoảng ngày (PDF hoặc XLSX)"))
    p.add_argument("--from", dest="start", required=True, help=tr("từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=tr("đến ngày YYYY-MM-DD"))
    p.add_argument("--format", choices=("pdf", "xlsx"), required=True, help=tr("định dạng"))
    p.add_argument("--out", type=Path, required=True, help=tr("tệp ghi ra"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_register)
    p = sub.add_parser(
        "index",
        help=tr(
            "chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766) cho một kỳ: phần tính được "
            "tại bộ phận một cửa"
        ),
    )
    p.add_argument("--from", dest="start", required=True, help=tr("từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=tr("đến ngày YYYY-MM-DD"))
    p.add_argument("--format", choices=("pdf", "xlsx", "json"), required=True, help=tr("định dạng"))
    p.add_argument("--out", required=True, help=tr("tệp ghi ra (“-”: in JSON ra màn hình)"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_index)


def _period(args: argparse.Namespace) -> tuple[date, date]:
    start, end = parse_day(args.start, tr("Từ ngày")), parse_day(args.end, tr("Đến ngày"))
    period_bounds(start, end)  # a reversed period is refused before the database is opened
    return start, end


def cmd_report(args: argparse.Namespace) -> int:
    start, end = _period(args)
    if args.out == STDOUT and args.format != "json":
        raise ValidationError(tr("Chỉ báo cáo dạng JSON mới in ra màn hình được; cần --out TỆP."))
    db = database(args)
    scope = listing_scope(args, db)
    with db.reader.begin() as s:
        report = period_report(s, start, end, GroupBy(args.by), now=clock.now(), scope=scope)
        if args.format == "pdf":
            data = reports.statistics_pdf(s, report)
        elif args.format == "xlsx":
            data = reports.statistics_xlsx(s, report)
        else:
            data = (reports.statistics_json(report) + "\n").encode("utf-8")
    if args.out == STDOUT:
        print(data.decode("utf-8"), end="")
        return 0
    out = Path(args.out)
    write_atomically(out, data)
    total = report.total
    as_of = (
        tr(", số liệu tính đến {as_of:%H:%M %d/%m/%Y}", as_of=report.as_of) if report.as_of else ""
    )
    print(
        tr(
            "Đã lập báo cáo từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}{as_of} ({format}): "
            "nhận {received}, đã giải quyết {settled}, đang giải quyết {open} hồ sơ: {path}",
            start=start,
            end=end,
            as_of=as_of,
            format=args.format.upper(),
            received=total.received_total,
            settled=total.settled_total,
            open=total.open_total,
            path=out,
        )
    )
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    start, end = _period(args)
    db = database(args)
    scope = listing_scope(args, db)
    with db.reader.begin() as s:
        if args.format == "pdf":
            data = printing.print_register(s, start, end, scope=scope)
        else:
            data = reports.register_xlsx(s, start, end, scope=scope)
    write_atomically(args.out, data)
    print(
        tr(
            "Đã lập sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} ({format}): {path}",
            start=start,
            end=end,
            format=args.format.upper(),
            path=args.out,
        )
    )
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    start, end = _period(args)
    if args.out == STDOUT and args.format != "json":
        raise ValidationError(tr("Chỉ báo cáo dạng JSON mới in ra màn hình được; cần --out TỆP."))
    db = database(args)
    scope = listing_scope(args, db)
    with db.reader.begin() as s:
        report = national_index.index_report(s, start, end, now=clock.now(), scope=scope)
        if args.format == "pdf":
            data = index_exports.index_pdf(s, report)
        elif args.format == "xlsx":
            data = index_exports.index_xlsx(s, report)
        else:
            text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
            data = (text + "\n").encode("utf-8")
    if args.out == STDOUT:
        print(data.decode("utf-8"), end="")
        return 0
    out = Path(args.out)
    write_atomically(out, data)
    as_of = (
        tr(", số liệu tính đến {as_of:%H:%M %d/%m/%Y}", as_of=report.as_of) if report.as_of else ""
    )
    print(
        tr(
            "Đã lập chỉ số 766 từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}{as_of} ({format}): "
            "{points} trên {max_points} điểm của các nhóm tính được tại bộ phận một cửa: {path}",
            start=start,
            end=end,
            as_of=as_of,
            format=args.format.upper(),
            points=f"{report.points:g}",
            max_points=f"{report.max_points:g}",
            path=out,
        )
    )
    return 0
