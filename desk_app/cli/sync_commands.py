"""`sync`: one pass of sending the day summaries to the department, printing what it sent.

A centre's database holds several agencies, each sending with its own settings and token: the
pass runs every agency set up (or the one of `--agency N`) and prints each one's results under
its name; `--url` and `--token` stand for one agency's settings, so they need `--agency` there.
"""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli import signin
from desk_app.cli.agency_commands import add_agency_option, resolve_agency
from desk_app.cli.common import database
from desk_app.cli.lang import tr
from desk_app.errors import ValidationError
from desk_app.sync import outbox
from desk_app.sync.protocol import DEFAULT_TIMEOUT
from desk_app.sync.runner import PassReport, run_agencies, run_pass
from desk_app.sync.secret import check_token


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync",
        help=tr("gửi số liệu tổng hợp theo ngày lên Sở một lượt (không có dữ liệu cá nhân)"),
    )
    p.add_argument("--url", help=tr("địa chỉ của Sở (thay cho địa chỉ trong Cài đặt)"))
    p.add_argument("--token", help=tr("mã truy cập do Sở cấp (thay cho mã đã lưu)"))
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=tr("số giây chờ Sở trả lời (mặc định {seconds:g})", seconds=DEFAULT_TIMEOUT),
    )
    add_agency_option(p)
    signin.add_options(p)
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise ValidationError(tr("Số giây chờ phải lớn hơn 0."), field="timeout")
    token = check_token(args.token) if args.token is not None else None
    db = database(args)
    try:
        signin.acting_user(args, db, signin.ANY_ROLE, tr("đồng bộ với Sở"))
        with db.reader.begin() as s:
            names = outbox.agency_names(s)
        if args.agency is not None or len(names) <= 1 or args.url or token is not None:
            # One agency: the one named, else the database's only one (several: --agency).
            agency = resolve_agency(args, db)
            report = run_pass(
                db, url=args.url, token=token, force=True, timeout=args.timeout, agency=agency
            )
            return _print_report(report)
        centre = run_agencies(db, force=True, timeout=args.timeout)
    finally:
        db.dispose()
    if not centre.reports:
        print(
            tr(
                "Lỗi: {message}",
                message=centre.message or tr("Chưa cơ quan nào có địa chỉ của Sở."),
            )
        )
        return 2
    codes = []
    for report in centre.reports:
        print(tr("Cơ quan {name}:", name=names.get(report.agency, str(report.agency))))
        codes.append(_print_report(report))
    # A database's pass is as good as its worst agency's: one not set up, else one with days left.
    return 2 if 2 in codes else max(codes)


def _print_report(report: PassReport) -> int:
    """One agency's results; the exit code they call for."""
    if report.new_revisions:
        print(tr("Số liệu mới hoặc thay đổi: {count} ngày.", count=report.new_revisions))
    if not report.ran:
        print(tr("Lỗi: {message}", message=report.message))
        return 2
    for sent in report.sent:
        print(
            tr(
                "Đã gửi ngày {day} bản {revision}: biên nhận {receipt}",
                day=sent.day.isoformat(),
                revision=sent.revision,
                receipt=sent.receipt_id,
            )
        )
    for failed in report.failed:
        fields = {"day": failed.day.isoformat(), "revision": failed.revision, "error": failed.error}
        if failed.rejected:
            print(tr("Bị từ chối ngày {day} bản {revision}: {error}", **fields))
        else:
            print(tr("Chưa gửi được ngày {day} bản {revision}: {error}", **fields))
    offline = "" if report.online is not False else tr(" Không kết nối được với Sở.")
    print(
        tr(
            "Đã gửi {sent}, lỗi {failed}, còn chờ gửi {unsent}.",
            sent=len(report.sent),
            failed=len(report.failed),
            unsent=report.unsent,
        )
        + offline
    )
    # Days still waiting (the department unreachable ends the pass before their turn) are not
    # success either: a script must see that something is left to send.
    return 3 if report.failed or report.unsent else 0
