"""The rating page on a tablet or phone paired with a counter (issue 16), in headless Chromium at a
10-inch tablet (1280×800) and a phone (390×844): docs/screenshots/rating-web-{pairing,idle,
question,reasons,thanks}-WxH.png.

A small desk is set up in a temporary SQLite file with the counter's LAN server on loopback; the
browser types the pairing code, the officer accepts a file (the visit offered to the tablet),
and the browser taps "Hài lòng", two reasons, a comment, then "Gửi". Then the officer's pairing
dialog, in Vietnamese (its strings not yet in desk_vi.ts given here, EXTRA):
rating-tablet-dialog.png.

    .venv/bin/python scripts/screenshot_rating_web.py [--out DIR] [--serve]

`--serve` keeps the page up on http://127.0.0.1:8765/danh-gia with a pairing code printed, and
offers a new visit on Enter (Ctrl+C stops).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot_web import Browser  # noqa: E402

from desk_app.counter_web.counter import CounterState  # noqa: E402
from desk_app.counter_web.server import LanServer, build_app  # noqa: E402
from desk_app.services import intake, ratings  # noqa: E402
from desk_app.services.context import Actor  # noqa: E402
from desk_app.store.engine import Database  # noqa: E402
from tests.desk_setup import desk_at, sign_in  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0)
EXTRA = {
    "TabletPairingDialog": {
        "Rating tablet": "Máy tính bảng đánh giá",
        "The rating page for a tablet is off on this computer. An administrator turns it on "
        "in Settings › This computer.": (
            "Trang đánh giá trên máy tính bảng đang tắt ở máy này. Quản trị viên bật trang này "
            "trong Cài đặt › Máy tính này."
        ),
        "1. On the tablet (same network), open:": (
            "1. Trên máy tính bảng (cùng mạng nội bộ), mở địa chỉ:"
        ),
        "2. Type this code on the tablet:": "2. Nhập mã này trên máy tính bảng:",
        "New code": "Mã mới",
        "Unpair the tablet": "Bỏ ghép máy tính bảng",
        "Valid until {0} ({1}:{2:02d} left), once.": (
            "Dùng được đến {0} (còn {1}:{2:02d}), một lần."
        ),
        "The code has expired or was used. Press New code for another.": (
            "Mã đã hết hạn hoặc đã được dùng. Bấm Mã mới để lấy mã khác."
        ),
        "A tablet is paired with this counter: it asks after each service.": (
            "Đã ghép một máy tính bảng với quầy này: máy hỏi ý kiến sau mỗi lượt phục vụ."
        ),
        "No tablet is paired with this counter.": "Chưa có máy tính bảng nào ghép với quầy này.",
    },
}
COUNTER = "Quầy 3"
SIZES = ((1280, 800), (390, 844))


def offer(db: Database, state: CounterState, officer: Actor) -> None:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
        received_at=NOW,
    )
    with db.writer.begin() as s:
        view = intake.accept_file(s, data, officer, now=NOW)
        visit = ratings.open_visit(s, view.code, "accept", officer, NOW, counter=COUNTER)
    state.offer(visit)


def dialog_shot(db: Database, officer: Actor, tmp: Path, out: Path) -> None:
    """The officer's pairing dialog, in Vietnamese, offscreen."""
    import os
    from dataclasses import replace
    from xml.sax.saxutils import escape

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from screenshot_centre import _catalogues

    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from desk_app.ui.rating_tablet import RatingTablet
    from desk_app.ui.tablet_pairing import TabletPairingDialog

    ts = tmp / "extra.ts"
    body = "".join(
        f"<context><name>{name}</name>"
        + "".join(
            f"<message><source>{escape(k)}</source><translation>{escape(v)}</translation></message>"
            for k, v in words.items()
        )
        + "</context>"
        for name, words in EXTRA.items()
    )
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="vi_VN">'
        f"{body}</TS>",
        encoding="utf-8",
    )
    qm = _catalogues(tmp, ts)
    i18n.translations_dir = lambda: qm  # type: ignore[assignment]
    prefs = Prefs(tmp / "prefs.ini")
    app = make_application([sys.argv[0]], prefs)
    ctx = UiContext(
        db=db, actor=replace(officer, counter=COUNTER), runner=OpRunner(synchronous=True),
        bus=ChangeBus(), prefs=prefs, clock=lambda: NOW,
    )  # fmt: skip
    tablet = RatingTablet(ctx)
    loop = QEventLoop()
    tablet.changed.connect(loop.quit)
    tablet.start(0, "127.0.0.1")
    QTimer.singleShot(15_000, loop.quit)
    loop.exec()
    dialog = TabletPairingDialog(tablet)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "rating-tablet-dialog.png"))
    print(out / "rating-tablet-dialog.png")
    dialog.close()
    tablet.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args(argv)
    with TemporaryDirectory() as tmp:
        db = desk_at(Path(tmp) / "desk.sqlite3")
        officer = sign_in(db, "canbo")
        state = CounterState(COUNTER, lambda: NOW)
        port = 8765 if args.serve else 0
        with LanServer(build_app(db, lambda: NOW, counter=state), "127.0.0.1", port) as server:
            base = f"http://127.0.0.1:{server.port}/danh-gia"
            if args.serve:
                print(base, "— mã ghép:", state.new_code().code)
                try:
                    while True:
                        input("Enter: một lượt phục vụ mới ")
                        offer(db, state, officer)
                except (KeyboardInterrupt, EOFError):
                    return 0
            with Browser() as browser:
                for width, height in SIZES:
                    state.unpair()
                    size = f"{width}x{height}"
                    with browser.tab(width, height) as tab:
                        tab.go(base)
                        tab.run(f"document.getElementById('ma').value = '{state.new_code().code}'")
                        print(tab.shot(args.out / f"rating-web-pairing-{size}.png"))
                        tab.run("document.querySelector('#ghep form').submit()")
                        tab.wait_for("document.getElementById('p-idle')")
                        tab.wait_for("document.body.dataset.page === 'idle'")
                        print(tab.shot(args.out / f"rating-web-idle-{size}.png"))
                        offer(db, state, officer)
                        tab.wait_for("document.body.dataset.page === 'ask'")
                        print(tab.shot(args.out / f"rating-web-question-{size}.png"))
                        tab.click('[data-level="2"]')
                        tab.click('[data-reason="huong_dan"]')
                        tab.click('[data-reason="thoi_gian_cho"]')
                        comment = json.dumps("Cán bộ hướng dẫn tận tình, nhưng phải chờ hơi lâu.")
                        tab.run(f"document.getElementById('comment').value = {comment}")
                        tab.wait_for("document.body.dataset.page === 'details'")
                        print(tab.shot(args.out / f"rating-web-reasons-{size}.png"))
                        tab.click("#send")
                        tab.wait_for("document.body.dataset.page === 'thanks'")
                        print(tab.shot(args.out / f"rating-web-thanks-{size}.png"))
        dialog_shot(db, officer, Path(tmp), args.out)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
