"""`print`: the forms of a file and the register, as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desk_app.cli import signin
from desk_app.cli.agency_commands import add_scope_option, listing_scope
from desk_app.cli.common import database, parse_day
from desk_app.cli.lang import named, tr
from desk_app.services import printing
from desk_app.store.files import write_atomically

SLIPS = {
    "receipt": printing.SlipKind.RECEIPT,
    "supplement": printing.SlipKind.SUPPLEMENT,
    "refusal": printing.SlipKind.REFUSAL,
    "apology": printing.SlipKind.APOLOGY,
    "stop": printing.SlipKind.STOP,
}


def register(sub: Any) -> None:
    forms = sub.add_parser("print", help=tr("in biểu mẫu ra tệp PDF")).add_subparsers(
        dest="print_command", metavar=tr("<biểu mẫu>"), required=True
    )
    helps = {
        "receipt": tr("giấy tiếp nhận hồ sơ và hẹn trả kết quả (bản in lại giống hệt bản đầu)"),
        "supplement": tr("phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "refusal": tr("phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "apology": tr("phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        "stop": tr("thông báo dừng giải quyết hồ sơ (số lấy khi in lần đầu)"),
    }
    for name, text in helps.items():
        p = forms.add_parser(name, help=text)
        p.add_argument("code", help=tr("mã hồ sơ"))
        if name in ("supplement", "apology"):
            p.add_argument(
                "--number", help=tr("số phiếu, ví dụ 12/HDHS (mặc định: phiếu mới nhất)")
            )
        p.add_argument("--out", type=Path, required=True, help=tr("tệp PDF ghi ra"))
        signin.add_options(p)  # the first print is stored with the file
        p.set_defaults(handler=cmd_print_slip, slip=name)
    p = forms.add_parser("handover", help=tr("phiếu kiểm soát quá trình giải quyết hồ sơ"))
    p.add_argument("code", help=tr("mã hồ sơ"))
    p.add_argument("--out", type=Path, required=True, help=tr("tệp PDF ghi ra"))
    p.set_defaults(handler=cmd_print_handover)
    p = forms.add_parser("register", help=tr("sổ theo dõi hồ sơ cho một khoảng ngày"))
    p.add_argument("--from", dest="start", required=True, help=tr("từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=tr("đến ngày YYYY-MM-DD"))
    p.add_argument("--out", type=Path, required=True, help=tr("tệp PDF ghi ra"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_print_register)


def cmd_print_slip(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("in biểu mẫu"))
    with db.writer.begin() as s:
        doc = printing.print_slip(
            s, args.code, SLIPS[args.slip], actor, number=getattr(args, "number", None)
        )
    write_atomically(args.out, doc.pdf)
    state = tr("bản in lại từ bản lưu") if doc.reprint else tr("bản in đầu tiên, đã lưu")
    number = tr(" số {number}", number=doc.number) if doc.number else ""
    kind = printing.SlipKind(doc.kind)
    slip = named(kind, kind.label, printing.SLIP_LABELS_EN)
    print(
        tr(
            "Đã in {slip}{number} ({state}): {path}",
            slip=slip,
            number=number,
            state=state,
            path=args.out,
        )
    )
    return 0


def cmd_print_handover(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        pdf = printing.print_handover(s, args.code)
    write_atomically(args.out, pdf)
    print(tr("Đã in phiếu kiểm soát quá trình giải quyết hồ sơ: {path}", path=args.out))
    return 0


def cmd_print_register(args: argparse.Namespace) -> int:
    start, end = parse_day(args.start, tr("Từ ngày")), parse_day(args.end, tr("Đến ngày"))
    db = database(args)
    scope = listing_scope(args, db)
    with db.reader.begin() as s:
        pdf = printing.print_register(s, start, end, scope=scope)
    write_atomically(args.out, pdf)
    print(
        tr(
            "Đã in sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: {path}",
            start=start,
            end=end,
            path=args.out,
        )
    )
    return 0
