"""`make screenshots`: the README's pictures of the window, taken on a demo desk.

Run under Xvfb (the Makefile uses xvfb-run) or with QT_QPA_PLATFORM=offscreen. Writes
docs/screenshots/{main-window,intake,dashboard,statistics}-{1366x768,1920x1080}.png (a counter's
small screen and a full-HD one), action-<step>.png for every action dialog of the file panel, and
{file-detail,settings,calendar-moves,sync,settings-sync}.png.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 3, 12, 10, 30)  # a Thursday morning, a few weeks into the demo register
SIZES = ((1366, 768), (1920, 1080))  # the main window and intake are taken at each


def main() -> int:
    from PySide6.QtWidgets import QTabWidget, QWidget

    from desk_app.services import demo
    from desk_app.services.browse import ListQueue
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from desk_app.ui.settings import SettingsDialog
    from desk_app.ui.supervisor_window import SupervisorWindow
    from tests.desk_setup import DEMO_ADMIN, DEMO_PASSWORD, desk_at, sign_in

    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as tmp:
        prefs = Prefs(Path(tmp) / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = desk_at(Path(tmp) / "desk.sqlite3", staff=[DEMO_ADMIN], password=DEMO_PASSWORD)
        demo.generate_demo(db, 400, seed=11, now=NOW)
        actor = sign_in(db, "quantri", DEMO_PASSWORD)
        ctx = UiContext(
            db=db, actor=actor, runner=OpRunner(synchronous=True), bus=ChangeBus(),
            prefs=prefs, clock=lambda: NOW,
        )  # fmt: skip

        def shot(widget: QWidget, name: str) -> None:
            for _ in range(5):
                app.processEvents()
            widget.grab().save(str(out / f"{name}.png"))
            print(f"wrote {out / name}.png")

        window = MainWindow(ctx)
        window.show()
        for width, height in SIZES:
            size = f"{width}x{height}"
            window.resize(width, height)
            window.queues.select(ListQueue.ALL)  # newest first: the open files and their colours
            window.table.selectRow(2)
            window.detail.tabs.setCurrentIndex(0)
            shot(window, f"main-window-{size}")
            if width == SIZES[0][0]:
                window.detail.tabs.setCurrentIndex(1)
                shot(window.detail, "file-detail")
            _intake_shot(ctx, window, shot, width, height, f"intake-{size}")
        window.resize(*SIZES[0])

        settings = SettingsDialog(ctx, window)
        settings.show()
        tabs = settings.findChild(QTabWidget)
        if tabs is not None and settings.calendar_tab is not None:
            tabs.setCurrentWidget(settings.calendar_tab)
        shot(settings, "settings")
        _calendar_moves_shot(settings, shot)
        settings.hide()

        _sync_shots(ctx, window, Path(tmp), shot)

        _action_shots(ctx, window, shot)

        supervisor = SupervisorWindow(ctx, window)
        supervisor.show()
        for width, height in SIZES:
            size = f"{width}x{height}"
            supervisor.resize(width, height)
            supervisor.tabs.setCurrentWidget(supervisor.dashboard)
            supervisor.dashboard.refresh()
            shot(supervisor, f"dashboard-{size}")
            supervisor.tabs.setCurrentWidget(supervisor.statistics)
            supervisor.statistics.set_period("quarter", 2026, 1)
            supervisor.statistics.compute()
            shot(supervisor, f"statistics-{size}")
        supervisor.close()
        window.close()
        db.dispose()
    return 0


def _action_shots(ctx: object, window: object, shot: object) -> None:
    """Every action dialog of the file panel, at the counter's small screen, on a file of the
    status the step needs."""
    from desk_app.domain.workflow import Status
    from desk_app.services import queries
    from desk_app.ui import action_dialogs as ad
    from desk_app.ui import post_dialogs as pd

    def noop(*_args: object, **_kwargs: object) -> None:
        return None

    db = ctx.db  # type: ignore[attr-defined]
    with db.reader.begin() as s:
        views = {}
        for row in queries.list_files(s, queries.Queue.ALL, NOW, limit=400):
            views.setdefault(row.status, queries.show_file(s, row.code))
    made = [
        ("forward", Status.ACCEPTED, lambda v: ad.ForwardDialog(v, ctx, window)),
        ("supplement", Status.PROCESSING, lambda v: ad.SupplementDialog(v, ctx, window)),
        ("financial", Status.PROCESSING, lambda v: ad.FinancialDialog(v, ctx, window)),
        (
            "result",
            Status.PROCESSING,
            lambda v: ad.MomentDialog(
                v, ctx, window, title="Ghi nhận kết quả", ok_text="Ghi nhận",
                moment_text="Thời điểm nhận kết quả", call=noop,
            ),
        ),
        ("return", Status.SETTLED, lambda v: ad.ReturnDialog(v, ctx, window)),
        (
            "withdraw",
            Status.PROCESSING,
            lambda v: ad.CloseDialog(
                v, ctx, window, title="Công dân rút hồ sơ", ok_text="Rút hồ sơ", call=noop
            ),
        ),
        ("reschedule", Status.PROCESSING, lambda v: ad.RescheduleDialog(v, ctx, window)),
        ("correct", Status.PROCESSING, lambda v: ad.CorrectDialog(v, ctx, window)),
        ("choose-post", Status.SETTLED, lambda v: pd.ChoosePostDialog(v, ctx, window)),
        ("hand-over", Status.SETTLED, lambda v: pd.HandOverDialog(v, ctx, window)),
    ]  # fmt: skip
    for name, status, build in made:
        view = views.get(status)
        if view is None:
            continue
        dialog = build(view)
        dialog.show()
        shot(dialog, f"action-{name}")  # type: ignore[operator]
        dialog.hide()
        dialog.deleteLater()


def _intake_shot(
    ctx: object, window: object, shot: object, width: int, height: int, name: str
) -> None:
    """The intake form as it opens on a screen of that size, a file half typed."""
    from PySide6.QtCore import QSize, Qt

    from desk_app.ui.intake import IntakeDialog

    dialog = IntakeDialog(ctx, window)  # type: ignore[arg-type]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    # A dialog never grows past the screen: about 60 px go to the title bar and the task bar.
    dialog.resize(dialog.size().boundedTo(QSize(width, height - 60)))
    dialog.show()
    form = dialog.form
    form.procedure.choose("1.001029")
    form.name.setText("Lương Thị Thu Hằng")
    form.id_number.setText("020190001234")
    form.birth_year.setText("1990")
    form.phone.setText("0912 345 678")
    form.email.setText("hang.lt@example.com")
    form.address.setText("Số 12 đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn")
    form.phone.setFocus()
    shot(dialog, name)  # type: ignore[operator]
    dialog.discard_draft()
    dialog.hide()
    dialog.deleteLater()


def _calendar_moves_shot(settings: object, shot: object) -> None:
    """The box that lists the open files a day off would move (DOMAIN §4.1 rule 7)."""
    from datetime import timedelta

    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication, QMessageBox

    tab = settings.calendar_tab  # type: ignore[attr-defined]
    day = NOW.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    tab.select_date(day)
    tab.note.setText("Thông báo nghỉ số 12/TB-UBND")

    # The preview reads on the runner, then the box opens window-modal (no loop of its own).
    tab.off_button.click()
    for _ in range(200):
        QApplication.processEvents()
        box = tab.findChild(QMessageBox, "confirmMovesBox")
        if box is not None and box.isVisible():
            shot(box, "calendar-moves")  # type: ignore[operator]
            box.button(QMessageBox.StandardButton.Cancel).click()
            break
        QThread.msleep(10)


def _sync_shots(ctx: object, window: object, tmp: Path, shot: object) -> None:
    """The sync window after a pass that reached a department on loopback, then one that did
    not (a late correction waiting), and the Sync settings tab."""
    import os

    from sqlalchemy import select

    from desk_app.department.db import open_department_db
    from desk_app.department.server import start_in_thread
    from desk_app.department.service import add_desk
    from desk_app.services import lifecycle
    from desk_app.services.lifecycle import MoveInput
    from desk_app.store.models import FileRecord
    from desk_app.sync import outbox
    from desk_app.sync.runner import run_pass
    from desk_app.sync.secret import SecretStore
    from desk_app.ui.settings import SettingsDialog

    os.environ["DESK_SECRETS_DIR"] = str(tmp / "secrets")
    url = f"sqlite:///{tmp / 'department.sqlite3'}"
    ddb = open_department_db(url)
    with ddb.writer.begin() as s:
        token = add_desk(s, "Một cửa Sở VHTTDL").token
    ddb.dispose()
    server = start_in_thread(url)
    db = ctx.db  # type: ignore[attr-defined]
    with db.writer.begin() as s:
        config = outbox.save_config(
            s,
            enabled=True,
            url=server.url,
            interval_minutes=15,
            actor=ctx.actor,  # type: ignore[attr-defined]
        )
    SecretStore(tmp / "secrets").save(config.install_id, token)
    run_pass(db, now=ctx.now, force=True)  # type: ignore[attr-defined]
    server.stop()
    with db.reader.begin() as s:
        code = s.scalar(select(FileRecord.code).where(FileRecord.status == 4).limit(1))
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code, at=NOW.replace(hour=8)), ctx.actor, now=NOW)  # type: ignore[attr-defined]
    run_pass(db, now=ctx.now, force=True, timeout=1)  # type: ignore[attr-defined]
    window.sync.reload()  # type: ignore[attr-defined]
    window.open_sync_window()  # type: ignore[attr-defined]
    sync_window = window._sync_window  # type: ignore[attr-defined]
    sync_window.resize(1100, 520)
    shot(sync_window, "sync")  # type: ignore[operator]
    sync_window.hide()
    settings = SettingsDialog(ctx, window, tab="sync")  # type: ignore[arg-type]
    settings.show()
    shot(settings, "settings-sync")  # type: ignore[operator]
    settings.hide()


if __name__ == "__main__":
    sys.exit(main())
