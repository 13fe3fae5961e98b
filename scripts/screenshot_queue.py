"""The queue's web pages (issue 16) in headless Chromium: the kiosk at 1080×1920 (portrait) and
1280×800, the kiosk showing a ticket just issued, and the hall display at 1920×1080, over a
demo desk with a morning's tickets (docs/screenshots/queue-*.png), and the picture a receipt
printer gets for a ticket.

    .venv/bin/python scripts/screenshot_queue.py [--out DIR] [--serve]

`--serve` keeps the pages up on http://127.0.0.1:8765 to look at by hand (Ctrl+C stops).
Needs `chromium` (apt-get install chromium) for the screenshots.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot_web import HEADLESS, find_chromium  # noqa: E402

NOW = datetime(2026, 3, 2, 9, 41)
GROUPS = (
    ("B", "Hộ tịch, chứng thực"),
    ("C", "Đất đai, xây dựng và tài nguyên môi trường"),
    ("D", "Kinh doanh, đầu tư"),
    ("E", "Lao động, thương binh và xã hội"),
)
SHOTS = (
    # name, path, width, height
    ("queue-kiosk-1080x1920", "/lay-so", 1080, 1920),
    ("queue-kiosk-1280x800", "/lay-so", 1280, 800),
    ("queue-kiosk-ticket-1080x1920", "/lay-so/mau", 1080, 1920),
    ("queue-display-1920x1080", "/man-hinh-cho", 1920, 1080),
)
# The kiosk tapped by a script of the demo's own (the page allows no inline script).
TAP_JS = """
const tap = setInterval(() => {
  const button = document.querySelectorAll("button.k-group")[1];
  if (button) { clearInterval(tap); button.click(); }
}, 100);
"""


def printer_sink() -> tuple[int, list[bytes]]:
    """A receipt printer on loopback that takes whatever it is sent (port, what it got)."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def run() -> None:
        while True:
            conn, _ = listener.accept()
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                got.append(b"".join(chunks))

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1], got


def demo_routes():  # type: ignore[no-untyped-def]
    from fastapi import APIRouter
    from fastapi.responses import HTMLResponse, Response

    from desk_app.counter_web import queue_pages

    router = APIRouter()

    @router.get("/lay-so/mau", response_class=HTMLResponse)
    def tapped_kiosk() -> str:
        html = queue_pages._kiosk_html()
        return html.replace("</head>", '<script src="/mau/tap.js" defer></script></head>')

    @router.get("/mau/tap.js")
    def tap_script() -> Response:
        return Response(TAP_JS, media_type="text/javascript")

    return router


def demo_desk(folder: Path):  # type: ignore[no-untyped-def]
    """A desk with five groups, a morning's tickets, four counters calling."""
    from desk_app.services import tickets
    from desk_app.services.context import Actor
    from tests.desk_setup import desk_at

    db = desk_at(folder / "desk.sqlite3")
    with db.writer.begin() as s:
        ids = [g.id for g in tickets.groups(s)]
        ids += [tickets.add_group(s, p, n).id for p, n in GROUPS]
    moment = NOW.replace(hour=7, minute=30)
    counts = (14, 9, 11, 4, 6)
    with db.writer.begin() as s:
        for k in range(max(counts)):
            for group, count in zip(ids, counts, strict=True):
                if k < count:
                    tickets.issue_ticket(s, group, moment)
                    moment += timedelta(minutes=1)
    desks = {
        "Quầy 1": ids[:1],
        "Quầy 2": ids[1:2],
        "Quầy 3": ids[2:3],
        "Quầy 4": ids[:2],
        "Quầy 5": ids[3:],
    }
    moment = NOW.replace(hour=8, minute=0)
    with db.writer.begin() as s:
        for turn in range(5):
            for counter, groups in desks.items():
                if counter == "Quầy 5" and turn > 1:
                    continue
                actor = Actor(user_id=None, name=counter, counter=counter)
                tickets.call_next(s, actor, groups, moment)
                moment += timedelta(minutes=4)
        # Quầy 5 finished and has not called again: it shows no number.
        last = tickets.current_ticket(s, Actor(user_id=None, name="Quầy 5", counter="Quầy 5"), NOW)
        if last is not None:
            tickets.skip(s, last.id, Actor(user_id=None, name="Quầy 5", counter="Quầy 5"), NOW)
    return db


def shoot(browser: str, url: str, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *HEADLESS,
                "--autoplay-policy=no-user-gesture-required",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=3000",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    from fastapi import FastAPI

    from desk_app.counter_web.queue_pages import queue_router
    from desk_app.department.server import start_in_thread

    with tempfile.TemporaryDirectory() as tmp:
        db = demo_desk(Path(tmp))
        app = FastAPI()
        clock = [NOW]
        port, printed = printer_sink()
        setting = f"127.0.0.1:{port}"
        app.include_router(queue_router(db, lambda: clock[0], printer_setting=lambda: setting))
        app.include_router(demo_routes())
        server = start_in_thread("", port=8765 if args.serve else 0, app=app)
        try:
            if args.serve:
                print(f"{server.url}/lay-so  {server.url}/man-hinh-cho  (Ctrl+C stops)")
                while True:
                    time.sleep(1)
            browser = find_chromium()
            if browser is None:
                print("no chromium: apt-get install chromium", file=sys.stderr)
                return 1
            args.out.mkdir(parents=True, exist_ok=True)
            for name, path, width, height in SHOTS:
                shoot(browser, server.url + path, args.out / f"{name}.png", width, height)
                print(args.out / f"{name}.png")
            print(f"the loopback printer received {[len(b) for b in printed]} bytes")
            # The picture the receipt printer got (docs/screenshots/queue-ticket-escpos.png).
            from desk_app.printing.escpos_ticket import ticket_image
            from desk_app.printing.ticket import TicketSlip

            slip = TicketSlip("B010", GROUPS[0][1], NOW, 2, "Sở Văn hóa, Thể thao và Du lịch")
            ticket_image(slip).save(args.out / "queue-ticket-escpos.png")
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
            db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
