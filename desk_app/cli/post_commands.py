"""`post`: apply the post office's outcome list, print the day's hand-over list (bảng kê)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desk_app import clock
from desk_app.cli import signin
from desk_app.cli.common import database, parse_day
from desk_app.services import post, post_lists
from desk_app.store.files import write_atomically


def register(sub: Any) -> None:
    commands = sub.add_parser("post", help="kết quả trả qua bưu chính").add_subparsers(
        dest="post_command", metavar="<lệnh>", required=True
    )
    p = commands.add_parser(
        "import",
        help="cập nhật kết quả phát từ danh sách của bưu chính (CSV/XLSX, một giao dịch)",
        description=(
            "Cột: so_hieu|tracking, ket_qua|outcome, ngay|date, nguoi_nhan|signed_by, "
            "ghi_chu|note. Kết quả: phát thành công, phát không thành công, chuyển hoàn. "
            "Ngày: dd/mm/yyyy [HH:MM] hoặc YYYY-MM-DD[THH:MM]. Có dòng sai thì không ghi dòng nào."
        ),
    )
    p.add_argument("file", type=Path, help="tệp CSV (UTF-8, phân cách ; hoặc ,) hoặc XLSX")
    signin.add_options(p)
    p.set_defaults(handler=cmd_post_import)
    p = commands.add_parser("handover", help="in bảng kê giao bưu chính của một ngày")
    p.add_argument("--date", dest="day", required=True, help="ngày giao YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, help="tệp PDF ghi ra")
    p.set_defaults(handler=cmd_post_handover)


def _refused(problems: list[tuple[int, str]], valid: int = 0) -> int:
    for line, message in problems:
        print(f"Lỗi: Dòng {line}: {message}", file=sys.stderr)
    extra = f" ({valid} dòng hợp lệ cũng chưa được ghi)" if valid else ""
    print(f"Không cập nhật dòng nào{extra}.", file=sys.stderr)
    return 2


def cmd_post_import(args: argparse.Namespace) -> int:
    try:
        rows = post_lists.parse_outcomes(args.file)
    except post_lists.OutcomeImportError as exc:
        return _refused(exc.problems)
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, "cập nhật kết quả phát")
    try:
        with db.writer.begin() as s:
            report = post_lists.import_outcomes(s, rows, actor, now=clock.now())
    except post_lists.OutcomeImportError as exc:
        faulty = {line for line, _ in exc.problems}
        return _refused(exc.problems, sum(1 for r in rows if r.line not in faulty))
    for row, (tracking, code, outcome) in zip(rows, report.applied, strict=True):
        print(f"Dòng {row.line}: {tracking}  {code}  {post.OUTCOME_LABELS[outcome]}")
    print(f"Đã cập nhật kết quả phát của {len(report.applied)} dòng.")
    return 0


def cmd_post_handover(args: argparse.Namespace) -> int:
    day = parse_day(args.day, "Ngày giao")
    db = database(args)
    with db.reader.begin() as s:
        pdf = post.handover_list_pdf(s, day)
    write_atomically(args.out, pdf)
    print(f"Đã in bảng kê giao bưu chính ngày {day:%d/%m/%Y}: {args.out}")
    return 0
