"""`sync`: one pass of sending the day summaries to the department, printing what it sent."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli import signin
from desk_app.cli.common import database
from desk_app.errors import ValidationError
from desk_app.sync.protocol import DEFAULT_TIMEOUT
from desk_app.sync.runner import run_pass
from desk_app.sync.secret import check_token


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync",
        help="gửi số liệu tổng hợp theo ngày lên Sở một lượt (không có dữ liệu cá nhân)",
    )
    p.add_argument("--url", help="địa chỉ của Sở (thay cho địa chỉ trong Cài đặt)")
    p.add_argument("--token", help="mã truy cập do Sở cấp (thay cho mã đã lưu)")
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"số giây chờ Sở trả lời (mặc định {DEFAULT_TIMEOUT:g})",
    )
    signin.add_options(p)
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise ValidationError("Số giây chờ phải lớn hơn 0.", field="timeout")
    token = check_token(args.token) if args.token is not None else None
    db = database(args)
    try:
        signin.acting_user(args, db, signin.ANY_ROLE, "đồng bộ với Sở")
        report = run_pass(db, url=args.url, token=token, force=True, timeout=args.timeout)
    finally:
        db.dispose()
    if report.new_revisions:
        print(f"Số liệu mới hoặc thay đổi: {report.new_revisions} ngày.")
    if not report.ran:
        print(f"Lỗi: {report.message}")
        return 2
    for sent in report.sent:
        print(
            f"Đã gửi ngày {sent.day.isoformat()} bản {sent.revision}: biên nhận {sent.receipt_id}"
        )
    for failed in report.failed:
        word = "Bị từ chối" if failed.rejected else "Chưa gửi được"
        print(f"{word} ngày {failed.day.isoformat()} bản {failed.revision}: {failed.error}")
    print(
        f"Đã gửi {len(report.sent)}, lỗi {len(report.failed)}, còn chờ gửi {report.unsent}."
        + ("" if report.online is not False else " Không kết nối được với Sở.")
    )
    # Days still waiting (the department unreachable ends the pass before their turn) are not
    # success either: a script must see that something is left to send.
    return 3 if report.failed or report.unsent else 0
