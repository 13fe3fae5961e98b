"""The picture of a counter PC in a centre (issue 14): docs/screenshots/counter-centre-1366x768.png.

The main window at 1366x768 on a database of two agencies, its status bar naming the counter and
the agencies, with Settings › This computer open over it (the counter's name, the agencies this
PC serves). Run under Xvfb or with QT_QPA_PLATFORM=offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_centre.py

Strings not yet in resources/translations/desk_vi.ts can be given their Vietnamese with
--extra-ts FILE (a .ts holding them): the catalogue is compiled into a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 3, 12, 10, 30)
WIDTH, HEIGHT = 1366, 768
B_IDENT = "000.00.15.H37"
# What agency B's procedures copy from agency A's catalogue.
COPIED = ("code", "name", "name_folded", "field", "duration", "unit", "fee", "fee_note")
COPIED += ("documents", "settling_agency")


def _catalogues(tmp: Path, extra: Path | None) -> Path:
    """The .qm files, compiled from the committed .ts (merged with `extra`) into `tmp`."""
    import xml.etree.ElementTree as ET

    folder = tmp / "qm"
    folder.mkdir()
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in (ROOT / "resources" / "translations").glob("*.ts"):
        source = ts
        if extra is not None and ts.stem == "desk_vi":
            tree = ET.parse(ts)
            contexts = {c.findtext("name"): c for c in tree.getroot().iter("context")}
            for context in ET.parse(extra).getroot().iter("context"):
                name = context.findtext("name")
                target = contexts.get(name)
                if target is None:
                    tree.getroot().append(context)
                    continue
                for message in context.iter("message"):
                    target.append(message)
            source = tmp / ts.name
            tree.write(source, encoding="utf-8", xml_declaration=True)
        qm = folder / f"{ts.stem}.qm"
        subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(qm)], check=True)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra-ts", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from sqlalchemy import select

    from desk_app.services import demo, intake, scope, users
    from desk_app.services.browse import ListQueue
    from desk_app.store.models import DeskSettings, Procedure, SyncSettings, User
    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from desk_app.ui.settings import SettingsDialog
    from tests.desk_setup import DEMO_ADMIN, DEMO_PASSWORD, desk_at

    args.out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as name:
        tmp = Path(name)
        qm = _catalogues(tmp, args.extra_ts)
        i18n.translations_dir = lambda: qm  # type: ignore[assignment]
        prefs = Prefs(tmp / "prefs.ini")
        prefs.counter_name = "Quầy 3"
        app = make_application([sys.argv[0]], prefs)
        db = desk_at(tmp / "desk.sqlite3", staff=[DEMO_ADMIN], password=DEMO_PASSWORD)
        demo.generate_demo(db, 300, seed=11, now=NOW)
        with db.writer.begin() as s:  # the second agency, as plain rows
            first = s.get_one(DeskSettings, 1)
            first.short_name = "Sở VHTTDL"
            b = DeskSettings(
                governing_body="UBND TỈNH LẠNG SƠN",
                agency_name="SỞ XÂY DỰNG TỈNH LẠNG SƠN",
                short_name="Sở Xây dựng",
                agency_id=B_IDENT,
                place_name="Lạng Sơn",
                first_day=first.first_day,
            )
            s.add(b)
            s.flush()
            s.add(SyncSettings(id=b.id, install_id="screenshot-b"))
            for row in s.scalars(select(Procedure).where(Procedure.agency == 1).limit(5)):
                s.add(
                    Procedure(
                        **{c: getattr(row, c) for c in COPIED},
                        agency=b.id,
                    )
                )
            admin = s.scalars(select(User).where(User.username == "quantri")).one()
            scope.assign(s, admin, [1, b.id])
            b_id = b.id
        with db.writer.begin() as s:
            actor = users.sign_in(s, "quantri", DEMO_PASSWORD, counter=prefs.counter_name)
            code = s.scalars(select(Procedure.code).where(Procedure.agency == b_id)).first()
            assert code is not None
            for i, who in enumerate(("Nông Văn Đức", "Hoàng Thị Mai", "Lương Văn Tùng")):
                intake.accept_file(
                    s,
                    intake.IntakeInput(
                        procedure=code,
                        applicant=intake.ApplicantInput(name=who, phone=f"091234567{i}"),
                        agency=b_id,
                        received_at=NOW.replace(hour=8 + i),
                    ),
                    actor,
                    now=NOW.replace(hour=8 + i),
                )
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=prefs, clock=lambda: NOW,
        )  # fmt: skip

        def settle() -> None:
            for _ in range(5):
                app.processEvents()

        window = MainWindow(ctx)
        window.show()
        window.resize(WIDTH, HEIGHT)
        window.queues.select(ListQueue.ALL)
        window.table.selectRow(1)
        settle()
        picture = window.grab()
        settings = SettingsDialog(ctx, window)
        settings.show()
        settings.tabs.setCurrentWidget(settings.machine_tab)
        settle()
        over = settings.grab()
        painter = QPainter(picture)
        painter.drawPixmap(QPoint((WIDTH - over.width()) // 2, 40), over)
        painter.end()
        target = args.out / f"counter-centre-{WIDTH}x{HEIGHT}.png"
        picture.save(str(target))
        print(f"wrote {target}")
        settings.close()
        window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
