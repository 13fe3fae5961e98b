"""`print`: the forms of a file and the register, as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desk_app.cli import signin
from desk_app.cli.common import database, parse_day
from desk_app.services import printing
from desk_app.store.files import write_atomically

SLIPS = {
    "receipt": printing.SlipKind.RECEIPT,
    "supplement": printing.SlipKind.SUPPLEMENT,
    "refusal": printing.SlipKind.REFUSAL,
    "apology": printing.SlipKind.APOLOGY,
}


def register(sub: Any) -> None:
    forms = sub.add_parser("print", help="in biểu mẫu ra tệp PDF").add_subparsers(
        dest="print_command", metavar="<biểu mẫu>", required=True
    )
    helps = {
        "receipt": "giấy tiếp nhận hồ sơ và hẹn trả kết quả (bản in lại giống hệt bản đầu)",
        "supplement": "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "refusal": "phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "apology": "phiếu xin lỗi và hẹn lại ngày trả kết quả",
    }
    for name, text in helps.items():
        p = forms.add_parser(name, help=text)
        p.add_argument("code", help="mã hồ sơ")
        if name in ("supplement", "apology"):
            p.add_argument("--number", help="số phiếu, ví dụ 12/HDHS (mặc định: phiếu mới nhất)")
        p.add_argument("--out", type=Path, required=True, help="tệp PDF ghi ra")
        signin.add_options(p)  # the first print is stored with the file
        p.set_defaults(handler=cmd_print_slip, slip=name)
    p = forms.add_parser("handover", help="phiếu kiểm soát quá trình giải quyết hồ sơ")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(handler=cmd_print_handover)
    p = forms.add_parser("register", help="sổ theo dõi hồ sơ cho một khoảng ngày")
    p.add_argument("--from", dest="start", required=True, help="từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="đến ngày YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(handler=cmd_print_register)


def cmd_print_slip(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, "in biểu mẫu")
    with db.writer.begin() as s:
        doc = printing.print_slip(
            s, args.code, SLIPS[args.slip], actor, number=getattr(args, "number", None)
        )
    write_atomically(args.out, doc.pdf)
    state = "bản in lại từ bản lưu" if doc.reprint else "bản in đầu tiên, đã lưu"
    number = f" số {doc.number}" if doc.number else ""
    print(f"Đã in {printing.SlipKind(doc.kind).label}{number} ({state}): {args.out}")
    return 0


def cmd_print_handover(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        pdf = printing.print_handover(s, args.code)
    write_atomically(args.out, pdf)
    print(f"Đã in phiếu kiểm soát quá trình giải quyết hồ sơ: {args.out}")
    return 0


def cmd_print_register(args: argparse.Namespace) -> int:
    start, end = parse_day(args.start, "Từ ngày"), parse_day(args.end, "Đến ngày")
    db = database(args)
    with db.reader.begin() as s:
        pdf = printing.print_register(s, start, end)
    write_atomically(args.out, pdf)
    print(f"Đã in sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: {args.out}")
    return 0
