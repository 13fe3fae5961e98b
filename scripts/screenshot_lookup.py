"""The public look-up page (`/tra-cuu`, issue 16) in headless Chromium at a phone (390×844) and a
desktop (1366×768): docs/screenshots/lookup-{form,processing,ready,returned,wrong-key,no-key,
too-many}-WxH.png.

A real department is started on loopback over a temporary SQLite file; a desk is registered and
sends three files' look-up rows through `POST /api/v1/lookup-rows` as a desk does (a file being
processed, one whose result waits at the counter, one returned by post), then the browser opens
the page as an applicant's phone does from the receipt's QR code. The rate-limited shot comes
from the same server with its limiter told to refuse.

    .venv/bin/python scripts/screenshot_lookup.py [--out DIR] [--serve]

`--serve` keeps the department up on http://127.0.0.1:8080 and prints the three files' links
(Ctrl+C stops). Needs `chromium` (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot_web import Browser  # noqa: E402

from desk_app.department.app import create_app  # noqa: E402
from desk_app.department.db import open_department_db  # noqa: E402
from desk_app.department.ratelimit import TokenBuckets  # noqa: E402
from desk_app.department.server import start_in_thread  # noqa: E402
from desk_app.department.service import add_desk  # noqa: E402
from desk_app.sync.protocol import LOOKUP_PATH, key_hash  # noqa: E402

SIZES = ((390, 844), (1366, 768))
AGENCY = "000.00.20.H37"


def _at(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%Y-%m-%dT%H:%M")


# (shot name, the key printed on the receipt, the row the desk sends)
FILES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "processing",
        "K7MP-2QRT",
        {
            "code": f"{AGENCY}-260302-0007",
            "procedure": "VHTTDL-DL-04",
            "procedure_name": "Thu hồi Giấy phép kinh doanh dịch vụ lữ hành nội địa trong "
            "trường hợp doanh nghiệp chấm dứt hoạt động kinh doanh dịch vụ lữ hành",
            "status": 4,
            "due": _at("2026-03-16T17:00"),
            "settled": None,
            "result_ready": False,
            "result_by": "post",
        },
    ),
    (
        "ready",
        "ABCD-EFGH",
        {
            "code": f"{AGENCY}-260302-0001",
            "procedure": "CHUNG-CT-01",
            "procedure_name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ "
            "chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
            "status": 9,
            "due": _at("2026-03-09T09:15"),
            "settled": _at("2026-03-06T14:30"),
            "result_ready": True,
            "result_by": "counter",
        },
    ),
    (
        "returned",
        "W9XY-Z3N5",
        {
            "code": f"{AGENCY}-260223-0042",
            "procedure": "1.001029",
            "procedure_name": "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
            "status": 10,
            "due": _at("2026-03-05T17:00"),
            "settled": _at("2026-03-03T10:20"),
            "result_ready": True,
            "result_by": "post",
        },
    ),
)


class Limiter(TokenBuckets):
    """The page's rationing, refusing every request while `refuse` is set."""

    refuse = False

    def allow(self, client: str) -> bool:
        return not self.refuse and super().allow(client)


def link(base: str, code: str, key: str | None) -> str:
    query = {"ma": code} if key is None else {"ma": code, "khoa": key}
    return f"{base}/tra-cuu?{urlencode(query)}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args(argv)
    with TemporaryDirectory(prefix="lookup-shots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'department.sqlite3'}"
        ddb = open_department_db(url)
        with ddb.writer.begin() as s:
            token = add_desk(s, "Một cửa Sở VHTTDL").token
        ddb.dispose()
        limiter = Limiter(capacity=1000, per_seconds=0.01)
        server = start_in_thread(
            url, port=8080 if args.serve else 0, app=create_app(url, lookup_limit=limiter)
        )
        try:
            rows = [{**row, "key_hash": key_hash(key)} for _name, key, row in FILES]
            sent = httpx.post(
                f"{server.url}{LOOKUP_PATH}",
                json={"protocol": 1, "rows": rows},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            sent.raise_for_status()
            if args.serve:
                for name, key, row in FILES:
                    print(f"{name}: {link(server.url, row['code'], key)}")
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    return 0
            code = FILES[0][2]["code"]
            pages = [("form", f"{server.url}/tra-cuu", False)]
            pages += [(name, link(server.url, row["code"], key), False) for name, key, row in FILES]
            pages += [
                ("wrong-key", link(server.url, code, "K7MP-2QRX"), False),
                ("no-key", link(server.url, code, None), False),
                ("too-many", link(server.url, code, FILES[0][1]), True),
            ]
            with Browser() as browser:
                for name, address, refuse in pages:
                    for width, height in SIZES:
                        limiter.refuse = refuse
                        with browser.tab(width, height) as tab:
                            tab.go(address, settle=0.1)
                            print(tab.shot(args.out / f"lookup-{name}-{width}x{height}.png"))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
