"""The applicant's rating screen at 1280x800 (a 10-inch tablet used as a second monitor), in
Vietnamese with the bundled font: docs/screenshots/applicant-idle-1280x800.png (waiting),
applicant-rating-1280x800.png (asking, after a file was accepted) and
applicant-reasons-1280x800.png (a level tapped, two reasons chosen).

A small desk is set up in a temporary SQLite file; the officer accepts one file and the screen,
paired with "Quầy 3", asks. Run with QT_QPA_PLATFORM=offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_applicant.py

The screen's strings not yet in resources/translations/desk_vi.ts are given here (EXTRA).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 2, 10, 0)
PASSWORD = "matkhau123"
EXTRA = {
    "ApplicantScreen": {
        "Rating screen": "Màn hình đánh giá",
        "Please rate our service once you have been served": (
            "Xin mời quý khách đánh giá sau khi được phục vụ"
        ),
        "How satisfied are you with our service?": ("Quý khách có hài lòng với sự phục vụ không?"),
        "You may also tap what it was about (optional)": (
            "Quý khách có thể chạm để chọn thêm nội dung (không bắt buộc)"
        ),
        "Your comment (optional)": "Góp ý của quý khách (không bắt buộc)",
        "Back": "Quay lại",
        "Send": "Gửi",
        "Thank you for your rating!": "Cảm ơn quý khách đã đánh giá!",
        "Thank you!": "Cảm ơn quý khách!",
    },
    "MainWindow": {"Rating screen": "Màn hình đánh giá"},
}


def _extra_ts(path: Path) -> Path:
    contexts = []
    for context, messages in EXTRA.items():
        body = "".join(
            f"<message><source>{escape(s)}</source><translation>{escape(t)}</translation></message>"
            for s, t in messages.items()
        )
        contexts.append(f"<context><name>{context}</name>{body}</context>")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="vi_VN">'
        + "".join(contexts)
        + "</TS>",
        encoding="utf-8",
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from screenshot_centre import _catalogues

    from desk_app.services import intake
    from desk_app.services.ratings import Level
    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.applicant_screen import SIZE, ApplicantScreen
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from tests.desk_setup import OFFICER, desk_at, sign_in

    args.out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as name:
        tmp = Path(name)
        qm = _catalogues(tmp, _extra_ts(tmp / "extra.ts"))
        i18n.translations_dir = lambda: qm  # type: ignore[assignment]
        prefs = Prefs(tmp / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = desk_at(tmp / "desk.sqlite3", staff=[OFFICER], password=PASSWORD)
        actor = replace(sign_in(db, "canbo", PASSWORD), counter="Quầy 3")
        with db.writer.begin() as s:
            data = intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(name="Đặng Thị Ánh"),
                received_at=NOW,
            )
            code = intake.accept_file(s, data, actor, now=NOW).code
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=prefs, clock=lambda: NOW,
        )  # fmt: skip
        screen = ApplicantScreen(ctx)
        screen.resize(SIZE)
        screen.show()
        screen.pair(actor.counter)

        def shot(name: str) -> None:
            for _ in range(5):
                app.processEvents()
            target = args.out / f"applicant-{name}-{SIZE.width()}x{SIZE.height()}.png"
            screen.grab().save(str(target))
            print(f"wrote {target}")

        shot("idle")
        screen.ask(code, "accept")
        shot("rating")
        screen.choose(Level.SATISFIED)
        screen.reason_buttons["thoi_gian_cho"].setChecked(True)
        screen.reason_buttons["huong_dan"].setChecked(True)
        shot("reasons")
        screen.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
