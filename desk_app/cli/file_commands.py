"""File commands: files import / list / show / attach, and demo data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desk_app import clock
from desk_app.cli import signin
from desk_app.cli.agency_commands import (
    add_agency_option,
    add_scope_option,
    listing_scope,
    resolve_agency,
)
from desk_app.cli.common import database, moment, parse_moment
from desk_app.cli.lang import named, tr
from desk_app.domain.digitising import STATE_LABELS_EN, LineKind
from desk_app.domain.workflow import ACTION_LABELS_EN, STATUS_LABELS_EN, Status
from desk_app.services import digitise
from desk_app.services.bulk import parse_import
from desk_app.services.import_batches import Progress, run_import
from desk_app.services.queries import (
    QUEUE_LABELS_EN,
    Queue,
    count_queue,
    list_file_views,
    list_files,
    show_file,
)
from desk_app.services.records import CUSTOM_EVENT_LABELS_EN
from desk_app.services.views import FileView


def register(sub: Any) -> None:
    files = sub.add_parser("files", help=tr("hồ sơ")).add_subparsers(
        dest="files_command", metavar=tr("<lệnh>"), required=True
    )
    p = files.add_parser(
        "import", help=tr("tiếp nhận hàng loạt từ JSON hoặc CSV (tất cả hoặc không hồ sơ nào)")
    )
    p.add_argument("file", type=Path)
    add_agency_option(p)
    signin.add_options(p)
    p.set_defaults(handler=cmd_files_import)
    p = files.add_parser("list", help=tr("danh sách hồ sơ theo hàng đợi"))
    p.add_argument(
        "--queue",
        choices=[q.value for q in Queue],
        default="open",
        help=tr(
            "hàng đợi: {queues} (mặc định open)",
            queues=", ".join(f"{q.value} = {queue_name(q)}" for q in Queue),
        ),
    )
    p.add_argument(
        "--limit", type=int, default=50, help=tr("số hồ sơ in ra nhiều nhất (mặc định 50)")
    )
    p.add_argument("--json", action="store_true", help=tr("in JSON"))
    p.add_argument("--now", help=tr("xét hạn tại thời điểm YYYY-MM-DDTHH:MM (mặc định: bây giờ)"))
    add_scope_option(p)
    p.set_defaults(handler=cmd_files_list)
    p = files.add_parser("show", help=tr("chi tiết một hồ sơ"))
    p.add_argument("code", help=tr("mã hồ sơ"))
    p.add_argument("--json", action="store_true", help=tr("in JSON"))
    p.set_defaults(handler=cmd_files_show)
    p = files.add_parser(
        "attach", help=tr("đính kèm bản quét (PDF, JPEG, PNG, TIFF) vào một giấy tờ của hồ sơ")
    )
    p.add_argument("code", help=tr("mã hồ sơ"))
    p.add_argument("paths", type=Path, nargs="+", metavar=tr("TỆP"), help=tr("các tệp bản quét"))
    p.add_argument(
        "--line",
        type=int,
        default=0,
        help=tr("số thứ tự giấy tờ trong hồ sơ, đếm từ 0 (mặc định 0)"),
    )
    p.add_argument(
        "--result", action="store_true", help=tr("bản quét của kết quả giải quyết, khi trả về")
    )
    signin.add_options(p)
    p.set_defaults(handler=cmd_files_attach)

    p = sub.add_parser("demo", help=tr("tạo dữ liệu mẫu để dùng thử và đo tốc độ"))
    p.add_argument("--files", type=int, default=500, help=tr("số hồ sơ (mặc định 500)"))
    p.add_argument(
        "--seed", type=int, default=2026, help=tr("hạt giống ngẫu nhiên (mặc định 2026)")
    )
    p.add_argument(
        "--now",
        help=tr(
            "thời điểm hiện tại của dữ liệu mẫu, YYYY-MM-DDTHH:MM (mặc định: bây giờ); "
            "hồ sơ trải trên hai năm trước thời điểm này"
        ),
    )
    p.add_argument(
        "--into-production",
        action="store_true",
        help=tr(
            "cho phép thêm vào sổ đã có hồ sơ thật (hồ sơ mẫu được đánh dấu, "
            "không tạo tài khoản mẫu)"
        ),
    )
    signin.add_options(p)
    p.set_defaults(handler=cmd_demo)


def cmd_files_import(args: argparse.Namespace) -> int:
    where, rows = parse_import(args.file)
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("tiếp nhận hồ sơ"))

    def progress(step: Progress) -> None:
        if sys.stderr.isatty():
            line = tr("Đã ghi {done}/{total} hồ sơ…", done=step.done, total=step.total)
            print(f"\r{line}", end="", file=sys.stderr, flush=True)

    # Short write transactions (the counter keeps working); a failure undoes the whole batch.
    # --agency: every row's procedure in that agency's catalogue (else each row's `agency`
    # column, or the only catalogue holding its procedure).
    accepted = run_import(
        db,
        rows,
        actor,
        source=args.file.name,
        where=where,
        progress=progress,
        agency=resolve_agency(args, db) if args.agency is not None else None,
    )
    if rows and sys.stderr.isatty():
        print(file=sys.stderr)
    for view in accepted:
        due = moment(view.due) or tr("không hạn")
        print(f"{view.code}  {view.applicant_name}  " + tr("hẹn trả {due}", due=due))
    print(tr("Đã tiếp nhận {count} hồ sơ.", count=len(accepted)))
    return 0


def cmd_files_list(args: argparse.Namespace) -> int:
    queue = Queue(args.queue)
    now = parse_moment(args.now, tr("Thời điểm")) if args.now else clock.now()
    db = database(args)
    scope = listing_scope(args, db)
    if args.json:
        # The per-file fields of `files show --json` (one builder), without the lists.
        with db.reader.begin() as s:
            views = list_file_views(s, queue, now, limit=max(args.limit, 0), scope=scope)
        print(json.dumps([v.to_json(full=False) for v in views], ensure_ascii=False, indent=2))
        return 0
    with db.reader.begin() as s:
        rows = list_files(s, queue, now, limit=max(args.limit, 0), scope=scope)
        total = count_queue(s, queue, now, scope=scope)
    # Status names as the window shows them (the number is in `files show` and --json).
    width = max((len(status_name(r.status)) for r in rows), default=0)
    for r in rows:
        print(
            f"{r.code:<26} {moment(r.received):<16} {moment(r.due) or '-':<16} "
            f"{status_name(r.status):<{width}}  {r.applicant_name}"
        )
    print(
        tr(
            "{shown}/{total} hồ sơ ({queue}).",
            shown=len(rows),
            total=total,
            queue=queue_name(queue),
        )
    )
    return 0


def status_name(status: Status) -> str:
    return named(status, status.label, STATUS_LABELS_EN)


def queue_name(queue: Queue) -> str:
    return named(queue, queue.label, QUEUE_LABELS_EN)


# An event's English name: its action's (domain.workflow), else the desk's own kinds (records).
EVENT_LABELS_EN = {**{str(a): t for a, t in ACTION_LABELS_EN.items()}, **CUSTOM_EVENT_LABELS_EN}


def _print_view(view: FileView) -> None:
    no_limit = tr("không quy định thời hạn")
    lines = [
        (tr("Mã hồ sơ"), view.code),
        (tr("Trạng thái"), f"{int(view.status)} - {status_name(view.status)}"),
        (tr("Thủ tục"), f"{view.procedure_code} - {view.procedure_name}"),
        (tr("Chủ hồ sơ"), view.applicant_name),
        (tr("Giấy tờ tùy thân"), view.id_number or ""),
        (tr("Điện thoại"), view.phone or ""),
        (tr("Địa chỉ"), view.address or ""),
        (tr("Kênh tiếp nhận"), view.channel),
        (
            tr("Sổ theo dõi"),
            tr(
                "Quyển số {book}, số thứ tự {seq}",
                book=view.register_book,
                seq=view.register_seq,
            ),
        ),
        (tr("Tiếp nhận"), moment(view.received)),
        (tr("Hẹn trả"), moment(view.due) or no_limit),
        (tr("Hạn theo quy định"), moment(view.original_due) or no_limit),
        (tr("Có kết quả"), moment(view.settled)),
        (tr("Kết thúc"), moment(view.closed)),
        *([(tr("Nguồn"), view.source)] if view.source else []),
    ]
    for label, value in lines:
        print(f"{label + ':':<20} {value}")
    print(tr("Quá trình:"))
    for e in view.events:
        note = f" — {e.note}" if e.note else ""
        print(f"  {moment(e.at)}  {named(e.action, e.label, EVENT_LABELS_EN)}{note}")


def _print_lines(lines: tuple[digitise.LineView, ...]) -> None:
    print(tr("Số hóa:"))
    for line in lines:
        where = tr("Kết quả") if line.kind == LineKind.RESULT else f"{line.line}."
        state = named(line.state, line.state.label, STATE_LABELS_EN)
        pages = (
            tr("{pages} trang, {bytes} byte", pages=len(line.pages), bytes=line.bytes)
            if line.pages
            else ""
        )
        detail = " — ".join(x for x in (pages, line.reason or "") if x)
        print(f"  {where} {line.name}: {state}" + (f" ({detail})" if detail else ""))


def cmd_files_show(args: argparse.Namespace) -> int:
    db = database(args)
    with db.reader.begin() as s:
        view = show_file(s, args.code)
        lines = digitise.file_lines(s, view.code)
    if args.json:
        # Each line's digitising state and its pages (sha256, bytes), never the pages' bytes.
        data = view.to_json() | {"lines": [line.to_json() for line in lines]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_view(view)
        _print_lines(lines)
    return 0


def cmd_files_attach(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signin.acting_user(args, db, signin.ANY_ROLE, tr("đính kèm bản quét"))
    kind = LineKind.RESULT if args.result else LineKind.DOCUMENT
    with db.writer.begin() as s:
        line = digitise.attach_paths(
            s, args.code, args.paths, actor, clock.now(), line=args.line, kind=kind
        )
    print(
        tr(
            "Đã đính kèm vào “{name}”: {pages} trang, {bytes} byte.",
            name=line.name,
            pages=len(line.pages),
            bytes=line.bytes,
        )
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desk_app.services.demo import RealFilesError, generate_demo

    now = parse_moment(args.now, tr("Thời điểm")) if args.now else clock.now()

    db = database(args)
    # Nobody to ask on a fresh database; on one with users, a supervisor or administrator.
    signin.acting_user(args, db, signin.SUPERVISORS, tr("tạo dữ liệu mẫu"))
    try:
        report = generate_demo(
            db,
            args.files,
            seed=args.seed,
            now=now,
            into_production=args.into_production,
            progress=print,
        )
    except RealFilesError as exc:
        print(
            tr(
                "Lỗi: {message} Nếu thật sự cần, chạy lại với --into-production.",
                message=exc.message,
            ),
            file=sys.stderr,
        )
        return 2
    print(report)
    return 0
