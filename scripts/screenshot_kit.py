"""What the Qt screenshot scripts share (screenshot_tickets, screenshot_queue_times): a demo
desk in a temporary folder with the application in Vietnamese (the committed catalogue, plus
the strings a script gives that it does not have yet) and the bundled font, a context on that
desk with the clock pinned, the event loop let run, and the pictures saved.

    with demo_desk(EXTRA, staff=[OFFICER]) as demo:
        ctx = demo.context(actor, NOW)
        ...
        shot(demo.app, window, out / "name.png")
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PASSWORD = "matkhau123"


@dataclass
class Demo:
    tmp: Path  # the temporary folder, gone after the `with`
    app: Any  # the QApplication
    prefs: Any  # this machine's preferences (in `tmp`)
    db: Any  # the demo desk's Database

    def context(self, actor: Any, now: datetime) -> Any:
        """A UiContext for `actor` on the desk, its jobs run at once, the clock at `now`."""
        from desk_app.ui.bus import ChangeBus
        from desk_app.ui.context import UiContext
        from desk_app.ui.ops import OpRunner

        return UiContext(
            db=self.db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=self.prefs, clock=lambda: now,
        )  # fmt: skip


@contextmanager
def demo_desk(
    extra: Mapping[str, Mapping[str, str]], staff: Any, password: str = PASSWORD
) -> Iterator[Demo]:
    """A desk set up with `staff` (tests/desk_setup.py) and the application in Vietnamese,
    `extra` ({context: {source: translation}}) added to the catalogue; the desk is closed and
    the folder removed afterwards."""
    import screenshot_applicant
    from screenshot_centre import _catalogues

    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.prefs import Prefs
    from tests.desk_setup import desk_at

    screenshot_applicant.EXTRA = extra  # what its _extra_ts writes
    with TemporaryDirectory() as name:
        tmp = Path(name)
        qm = _catalogues(tmp, screenshot_applicant._extra_ts(tmp / "extra.ts"))
        i18n.translations_dir = lambda: qm  # type: ignore[assignment]
        prefs = Prefs(tmp / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = desk_at(tmp / "desk.sqlite3", staff=staff, password=password)
        try:
            yield Demo(tmp, app, prefs, db)
        finally:
            db.dispose()


def settle(app: Any, rounds: int = 10) -> None:
    """Let the event loop run: layouts, timers at 0 and posted events are done."""
    for _ in range(rounds):
        app.processEvents()


def saved(picture: Any, target: Path) -> None:
    """Save `picture` (a QPixmap) to `target` and say so."""
    picture.save(str(target))
    print(f"wrote {target}")


def pdf_png(pdf: Path, target: Path, dpi: int) -> None:
    """The PDF's first page as `target` (a .png) at `dpi`, by pdftoppm."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(stem)], check=True
    )
    print(f"wrote {target}")
