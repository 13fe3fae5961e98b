"""`lan`: serve the counter's LAN pages (the hall's queue pages) from a PC with no window — a
kiosk or a hall display — until Ctrl+C. The rating page needs a counter's window: here it only
says so."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app import clock
from desk_app.cli.common import database
from desk_app.cli.lang import tr
from desk_app.errors import ValidationError

DEFAULT_LISTEN = "0.0.0.0:8765"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lan",
        help=tr(
            "phục vụ các trang của quầy trên mạng nội bộ (lấy số, màn hình hàng chờ) cho máy "
            "không mở cửa sổ chương trình (Ctrl+C để dừng)"
        ),
    )
    p.add_argument(
        "--listen",
        default=DEFAULT_LISTEN,
        metavar=tr("ĐỊA_CHỈ:CỔNG"),
        help=tr(
            "địa chỉ và cổng lắng nghe (mặc định {listen}: mọi địa chỉ của máy; "
            "127.0.0.1:8765 chỉ máy này)",
            listen=DEFAULT_LISTEN,
        ),
    )
    p.set_defaults(handler=cmd_lan)


def cmd_lan(args: argparse.Namespace) -> int:
    from desk_app.counter_web.server import page_url, parse_listen, serve

    try:
        host, port = parse_listen(args.listen)
    except ValueError:
        raise ValidationError(
            tr(
                "“{listen}” không phải địa chỉ lắng nghe: ghi ĐỊA_CHỈ_IP:CỔNG, ví dụ {example}.",
                listen=args.listen,
                example=DEFAULT_LISTEN,
            )
        ) from None
    db = database(args)
    print(
        tr(
            "Các trang của quầy tại {url} (Ctrl+C để dừng). Cơ sở dữ liệu: {database}",
            url=page_url(host, port, "/"),
            database=db.label,
        ),
        flush=True,
    )
    serve(db, clock.now, host, port)
    return 0
