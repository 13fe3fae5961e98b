"""The supervisor's national index page (Decision 766) at 1366x768, on the pinned demo register:
docs/screenshots/national-index-1366x768.png (the figures of the first quarter of 2026) and
national-index-files-1366x768.png (the files behind the late figure listed under them).

The register is made as a desk makes it: `main.py init`, then `main.py demo --files 500 --seed
2026 --now 2026-03-12T10:30`; the supervisor `lanhdao` looks at it. Run under Xvfb or with
QT_QPA_PLATFORM=offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_index.py

Strings not yet in resources/translations/desk_vi.ts can be given their Vietnamese with
--extra-ts FILE (a .ts holding them), as scripts/screenshot_centre.py does.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 12, 10, 30)
WIDTH, HEIGHT = 1366, 768
PASSWORD = "motcua2026"


def _make_register(db: Path, tmp: Path) -> None:
    """The demo register through the command line, as the README pins it."""
    main = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    init = ["init", "--agency-id", "000.00.20.H37", "--place", "Lạng Sơn"]
    init += ["--agency-name", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
    init += ["--governing-body", "UBND TỈNH LẠNG SƠN", "--admin", "quantri"]
    subprocess.run([*main, *init], input=PASSWORD + "\n", text=True, check=True)
    secret = tmp / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    demo = ["demo", "--files", "500", "--seed", "2026", "--now", NOW.isoformat(timespec="minutes")]
    demo += ["--user", "quantri", "--password-file", str(secret)]
    subprocess.run([*main, *demo], check=True)


def supervisor_window(tmp: Path, extra_ts: Path | None) -> tuple[Any, Any, Any]:
    """The application, the supervisor `lanhdao`'s window at WIDTH x HEIGHT (shown) and the
    database, on the register made in `tmp` beforehand; in Vietnamese, with `extra_ts`'s
    strings too. The caller closes the window and disposes of the database."""
    from screenshot_centre import _catalogues

    from desk_app.services import users
    from desk_app.store.engine import open_database
    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from desk_app.ui.supervisor_window import SupervisorWindow

    qm = _catalogues(tmp, extra_ts)
    i18n.translations_dir = lambda: qm  # type: ignore[assignment]
    prefs = Prefs(tmp / "prefs.ini")
    app = make_application([sys.argv[0]], prefs)
    db = open_database(tmp / "desk.sqlite3")
    with db.reader.begin() as s:
        actor = users.sign_in(s, "lanhdao", PASSWORD)
    ctx = UiContext(
        db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
        prefs=prefs, clock=lambda: NOW,
    )  # fmt: skip
    window = SupervisorWindow(ctx)
    window.show()
    window.resize(WIDTH, HEIGHT)
    return app, window, db


def shot(app: Any, window: Any, target: Path) -> None:
    """The window as it is drawn once the events queued are handled, into `target`."""
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(target))
    print(f"wrote {target}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra-ts", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as name:
        tmp = Path(name)
        _make_register(tmp / "desk.sqlite3", tmp)
        app, window, db = supervisor_window(tmp, args.extra_ts)
        page = window.index
        page.set_period("quarter", 2026, 1)
        window.tabs.setCurrentWidget(page)  # showing the page computes it
        shot(app, window, args.out / f"national-index-{WIDTH}x{HEIGHT}.png")
        page.drill("progress.late")
        shot(app, window, args.out / f"national-index-files-{WIDTH}x{HEIGHT}.png")
        window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
