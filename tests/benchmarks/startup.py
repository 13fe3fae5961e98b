"""Start-up to a usable window from a fresh process: `python -m tests.benchmarks.startup DB`.

Imports Qt, opens the database, builds the main window offscreen as a signed-in officer and
exits once the first queue's list is on screen. The parent (run.py) times the whole process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

T0 = time.perf_counter()


def main(path: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desk_app.services.context import Actor
    from desk_app.store.engine import open_database
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs

    with TemporaryDirectory() as tmp:
        prefs = Prefs(Path(tmp) / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = open_database(path)
        ctx = UiContext(
            db=db,
            actor=Actor(user_id=None, name="Đo tốc độ", role="officer"),
            runner=OpRunner(),
            bus=ChangeBus(),
            prefs=prefs,
        )
        window = MainWindow(ctx)
        window.show()

        def ready(_count: int) -> None:
            # The parent stops its clock on this line: the window is up with its first list.
            print(f"ready {(time.perf_counter() - T0) * 1000:.0f} ms", flush=True)
            app.quit()

        window.model.loaded.connect(ready)
        QTimer.singleShot(60_000, app.quit)
        app.exec()
        window.close()
        ctx.runner.shutdown()
        db.dispose()
    return 0 if isinstance(app, QApplication) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
