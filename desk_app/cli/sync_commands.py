"""`sync`: one pass of sending the day summaries to the department, printing what it sent."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli import signin
from desk_app.cli.common import database
from desk_app.cli.lang import tr
from desk_app.errors import ValidationError
from desk_app.sync.protocol import DEFAULT_TIMEOUT
from desk_app.sync.runner import run_pass
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
    signin.add_options(p)
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise ValidationError(tr("Số giây chờ phải lớn hơn 0."), field="timeout")
    token = check_token(args.token) if args.token is not None else None
    db = database(args)
    try:
        signin.acting_user(args, db, signin.ANY_ROLE, tr("đồng bộ với Sở"))
        report = run_pass(db, url=args.url, token=token, force=True, timeout=args.timeout)
    finally:
        db.dispose()
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
