"""`mail`: the e-mail to applicants from the command line (a desk without the window, a
scheduled task): send what is queued, the outbox's state, queue the failed again, and the
applicant's withdrawal of consent."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app import clock
from desk_app.cli import signin
from desk_app.cli.common import database
from desk_app.cli.lang import named, tr
from desk_app.errors import ValidationError
from desk_app.services import mail, mail_send

KIND_LABELS_EN = {
    "receipt": "File received",
    "supplement": "Supplement requested",
    "result": "Result ready",
    "apology": "Apology and new date",
}
STATUS_LABELS_EN = {
    "queued": "Waiting",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Not sent",
}


def register(sub: Any) -> None:
    group = sub.add_parser("mail", help=tr("thư điện tử gửi người nộp hồ sơ"))
    cmds = group.add_subparsers(dest="mail_command", metavar=tr("<lệnh>"), required=True)
    p = cmds.add_parser("send-queued", help=tr("gửi một lượt các thư đang chờ gửi"))
    p.add_argument(
        "--timeout",
        type=float,
        default=mail_send.DEFAULT_TIMEOUT,
        help=tr(
            "số giây chờ máy chủ thư trả lời (mặc định {seconds:g})",
            seconds=mail_send.DEFAULT_TIMEOUT,
        ),
    )
    signin.add_options(p)
    p.set_defaults(handler=cmd_send_queued)
    p = cmds.add_parser("status", help=tr("số thư chờ gửi, đã gửi, lỗi và các thư chưa gửi được"))
    p.set_defaults(handler=cmd_status)
    p = cmds.add_parser("retry-failed", help=tr("đưa các thư không gửi được vào hàng chờ lại"))
    signin.add_options(p)
    p.set_defaults(handler=cmd_retry_failed)
    p = cmds.add_parser(
        "withdraw", help=tr("người nộp hồ sơ rút lại sự đồng ý nhận thư của một hồ sơ")
    )
    p.add_argument("code")
    signin.add_options(p)
    p.set_defaults(handler=cmd_withdraw)


def _kind(kind: str) -> str:
    return named(kind, mail.MailKind(kind).label, KIND_LABELS_EN)


def cmd_send_queued(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise ValidationError(tr("Số giây chờ phải lớn hơn 0."), field="timeout")
    db = database(args)
    try:
        signin.acting_user(args, db, signin.ANY_ROLE, tr("gửi thư cho người nộp hồ sơ"))
        with db.reader.begin() as s:
            ready = mail.enabled_configs(s)
        if not ready:
            print(tr("Lỗi: {message}", message=tr("Chưa bật gửi thư điện tử (Cài đặt › Thư).")))
            return 2
        report = mail_send.send_queued(db, timeout=args.timeout)
        with db.reader.begin() as s:
            left = mail.status(s)
    finally:
        db.dispose()
    if not report.ran:
        print(tr("Lỗi: {message}", message=report.message))
        return 2
    for sent in report.sent:
        print(tr("Đã gửi: {code} ({kind})", code=sent.code, kind=_kind(sent.kind)))
    for failed in report.failed:
        fields = {"code": failed.code, "kind": _kind(failed.kind), "error": failed.error}
        if failed.final:
            print(tr("Không gửi được: {code} ({kind}): {error}", **fields))
        else:
            print(tr("Sẽ thử lại: {code} ({kind}): {error}", **fields))
    for message in report.skipped.values():
        print(tr("Lỗi: {message}", message=message))
    print(
        tr(
            "Đã gửi {sent}, lỗi {failed}, còn chờ gửi {queued}.",
            sent=len(report.sent),
            failed=len(report.failed),
            queued=left.queued + left.sending,
        )
    )
    return 3 if report.failed or report.skipped or left.queued else 0


def cmd_status(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        with db.reader.begin() as s:
            found = mail.status(s)
            rows = [r for r in mail.recent(s) if r.status != mail.SENT]
    finally:
        db.dispose()
    print(
        tr(
            "Chờ gửi {queued}, đang gửi {sending}, đã gửi {sent}, không gửi được {failed}.",
            queued=found.queued,
            sending=found.sending,
            sent=found.sent,
            failed=found.failed,
        )
    )
    for r in rows:
        state = named(r.status, r.status_label, STATUS_LABELS_EN)
        print(f"{r.code}\t{_kind(r.kind)}\t{state}\t{r.attempts}\t{r.last_error or ''}")
    return 0


def cmd_retry_failed(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("gửi thư cho người nộp hồ sơ"))
        with db.writer.begin() as s:
            done = mail.retry_failed(s, actor, now=clock.now())
    finally:
        db.dispose()
    print(tr("Đã đưa {count} thư vào hàng chờ gửi lại.", count=done))
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("ghi nhận việc rút lại đồng ý"))
        with db.writer.begin() as s:
            dropped = mail.withdraw_consent(s, args.code, actor, now=clock.now())
    finally:
        db.dispose()
    print(tr("Đã ghi nhận; {count} thư đang chờ sẽ không gửi.", count=dropped))
    return 0
