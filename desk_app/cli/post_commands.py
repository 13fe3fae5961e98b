"""`post`: apply the post office's outcome list, print the day's hand-over list (bảng kê)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desk_app import clock
from desk_app.cli import signin
from desk_app.cli.agency_commands import add_scope_option, listing_scope
from desk_app.cli.common import database, parse_day
from desk_app.cli.lang import named, tr
from desk_app.services import post, post_lists
from desk_app.store.files import write_atomically


def register(sub: Any) -> None:
    commands = sub.add_parser("post", help=tr("kết quả trả qua bưu chính")).add_subparsers(
        dest="post_command", metavar=tr("<lệnh>"), required=True
    )
    p = commands.add_parser(
        "import",
        help=tr("cập nhật kết quả phát từ danh sách của bưu chính (CSV/XLSX, một giao dịch)"),
        description=tr(
            "Cột: so_hieu|tracking, ket_qua|outcome, ngay|date, nguoi_nhan|signed_by, "
            "ghi_chu|note. Kết quả: phát thành công, phát không thành công, chuyển hoàn. "
            "Ngày: dd/mm/yyyy [HH:MM] hoặc YYYY-MM-DD[THH:MM]. Có dòng sai thì không ghi dòng nào."
        ),
    )
    p.add_argument("file", type=Path, help=tr("tệp CSV (UTF-8, phân cách ; hoặc ,) hoặc XLSX"))
    signin.add_options(p)
    p.set_defaults(handler=cmd_post_import)
    p = commands.add_parser("handover", help=tr("in bảng kê giao bưu chính của một ngày"))
    p.add_argument("--date", dest="day", required=True, help=tr("ngày giao YYYY-MM-DD"))
    p.add_argument("--out", type=Path, required=True, help=tr("tệp PDF ghi ra"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_post_handover)


def _refused(problems: list[tuple[int, str]], valid: int = 0) -> int:
    for line, message in problems:
        print(tr("Lỗi: Dòng {line}: {message}", line=line, message=message), file=sys.stderr)
    if valid:
        print(
            tr("Không cập nhật dòng nào ({valid} dòng hợp lệ cũng chưa được ghi).", valid=valid),
            file=sys.stderr,
        )
    else:
        print(tr("Không cập nhật dòng nào."), file=sys.stderr)
    return 2


def cmd_post_import(args: argparse.Namespace) -> int:
    try:
        rows = post_lists.parse_outcomes(args.file)
    except post_lists.OutcomeImportError as exc:
        return _refused(exc.problems)
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("cập nhật kết quả phát"))
    try:
        with db.writer.begin() as s:
            report = post_lists.import_outcomes(s, rows, actor, now=clock.now())
    except post_lists.OutcomeImportError as exc:
        faulty = {line for line, _ in exc.problems}
        return _refused(exc.problems, sum(1 for r in rows if r.line not in faulty))
    for row, (tracking, code, outcome) in zip(rows, report.applied, strict=True):
        name = named(outcome, post.OUTCOME_LABELS[outcome], post.OUTCOME_LABELS_EN)
        print(tr("Dòng {line}: ", line=row.line) + f"{tracking}  {code}  {name}")
    print(tr("Đã cập nhật kết quả phát của {count} dòng.", count=len(report.applied)))
    return 0


def cmd_post_handover(args: argparse.Namespace) -> int:
    day = parse_day(args.day, tr("Ngày giao"))
    db = database(args)
    scope = listing_scope(args, db)
    with db.reader.begin() as s:
        pdf = post.handover_list_pdf(s, day, scope=scope)
    write_atomically(args.out, pdf)
    print(tr("Đã in bảng kê giao bưu chính ngày {day:%d/%m/%Y}: {path}", day=day, path=args.out))
    return 0
