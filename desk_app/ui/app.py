"""Starting the window: a screen check, fonts, language, the database, set-up or sign-in."""

from __future__ import annotations

import gc
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from desk_app.errors import DeskError
from desk_app.log_scrub import ScrubbingFormatter
from desk_app.pg_engine import is_server_url, redacted
from desk_app.services.context import Actor
from desk_app.services.import_batches import RolledBack, recover_imports
from desk_app.store import machine_db
from desk_app.store.changes import open_feed
from desk_app.store.engine import (
    Database,
    DatabaseFileError,
    Target,
    default_data_dir,
    default_database_path,
    open_database,
)
from desk_app.store.migrate import ServerUnreachableError
from desk_app.ui.bus import Change, ChangeBus
from desk_app.ui.context import UiContext
from desk_app.ui.dbops import ChangeRelay, DbOps
from desk_app.ui.errors import show_error
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs

log = logging.getLogger(__name__)

NO_DISPLAY = (
    "Không tìm thấy màn hình để mở cửa sổ chương trình (chưa đặt DISPLAY/WAYLAND_DISPLAY).\n"
    "Hãy chạy chương trình trong phiên làm việc có giao diện đồ họa, hoặc trên máy không có\n"
    "màn hình: xvfb-run -a python main.py (thử: QT_QPA_PLATFORM=offscreen python main.py).\n"
    "Các lệnh quản trị không cần màn hình: python main.py --help"
)


def display_problem() -> str | None:
    """Why Qt could not open a window here, in words, or None when it can.

    Without this check Qt aborts with a message about the xcb plugin that sends people looking
    for missing libraries when the real cause is that there is no screen.
    """
    if not sys.platform.startswith("linux"):
        return None
    if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


# Python's cycle collector runs on whichever thread happens to allocate; a Qt object it frees
# on the runner's or the sync thread (a closed dialog's timer, say) warns "Timers cannot be
# stopped from another thread" and can crash the process. As Anki does, the window turns the
# automatic collector off and collects on the GUI thread every minute instead.
GC_EVERY_MS = 60_000


def collect_on_the_gui_thread(app: QApplication) -> QTimer:
    gc.disable()
    timer = QTimer(app)
    timer.setObjectName("gcTimer")
    timer.timeout.connect(gc.collect)
    timer.start(GC_EVERY_MS)
    return timer


def make_application(argv: list[str], prefs: Prefs) -> QApplication:
    """The QApplication with the bundled font, the icon and the chosen language."""
    from desk_app.ui import i18n, look

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    if existing is None:
        collect_on_the_gui_thread(app)
    app.setApplicationName("one-stop-desk")
    app.setApplicationDisplayName("Một cửa")
    app.setOrganizationName("one-stop-desk")
    look.apply_style(app)
    look.install_ui_font(app)
    app.setWindowIcon(look.app_icon())
    i18n.install_translators(app, prefs.language)
    return app


def show_busy_cursor(slow: bool) -> None:
    """The runner's busy indicator: work past 300 ms gets the busy cursor; the window (or the
    sign-in dialog) stays usable meanwhile."""
    if slow:
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    else:
        QApplication.restoreOverrideCursor()


def _recovered(rolled_back: list[RolledBack]) -> Change | None:
    return Change.files() if rolled_back else None


class Session:
    """Who is signed in, and the window they work in; handles lock, unlock and sign-out.

    It is given the context built on the database's one runner and bus, the same ones the
    sign-in used; whoever made them shuts the runner down."""

    def __init__(self, ctx: UiContext) -> None:
        from desk_app.ui.signin import IdleLock

        self.ctx = ctx
        actor = ctx.actor
        # An import killed half-way (see services/import_batches) is undone at the start, as
        # the window's first job, so its lists never show those files; an import still running
        # in another process is left alone. Short transactions of its own, resumable.
        ctx.ops.write_steps(
            lambda db: recover_imports(db, actor),
            changes=_recovered,
            label="recover imports",
        )
        self.window = MainWindow(ctx)
        self.window.lock_requested.connect(self.lock)
        self.window.sign_out_requested.connect(self.sign_out)
        self.idle = IdleLock(ctx.prefs, self.window)
        self.idle.locked.connect(self.lock)
        self.ctx.bus.changed.connect(self._on_bus_changed)
        self.idle.start()
        self._locked = False

    def _on_bus_changed(self, change: Change) -> None:
        if change.touches("prefs") and not self._locked:
            self.idle.stop()
            self.idle.start()  # picks up a new idle time at once

    def lock(self) -> None:
        self._ask_sign_in(locked_user=self.ctx.prefs.last_user or None)

    def sign_out(self) -> None:
        self._ask_sign_in(locked_user=None)

    def _ask_sign_in(self, locked_user: str | None) -> None:
        from desk_app.ui.signin import SignInDialog

        if self._locked:
            return
        self._locked = True
        self.idle.stop()
        central = self.window.centralWidget()
        assert central is not None
        central.hide()  # nobody reads files over the officer's shoulder while locked
        self.window.show_signed_out(locked=locked_user is not None)
        try:
            dialog = SignInDialog(
                self.ctx.ops,
                self.ctx.prefs,
                self.window,
                locked_user=locked_user,
                database=self.ctx.db.label,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor() is None:
                self.window.close()
                return
            actor = dialog.actor()
            assert actor is not None
            changed = actor.user_id != self.ctx.actor.user_id
            self.ctx.actor = actor
            self.window.set_actor_labels()
            if changed:
                self.window.detail.show_code(
                    self.window.detail.view.code if self.window.detail.view else None
                )
            central.show()
            self.idle.start()
        finally:
            self._locked = False

    def close(self) -> None:
        self.idle.stop()


def first_actor(ops: DbOps, prefs: Prefs, database: str = "") -> Actor | None:
    """The set-up wizard on a new database, otherwise the sign-in; None when cancelled.
    `database` (its label) picks the agencies this computer serves there."""
    from desk_app.ui.signin import SignInDialog
    from desk_app.ui.wizard import SetupWizard, read_setup_state

    state = read_setup_state(ops)
    if state.needed:
        wizard = SetupWizard(ops, prefs, state, database=database)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        if wizard.demo_summary:
            QMessageBox.information(None, wizard.windowTitle(), wizard.demo_summary)
        return wizard.admin_actor()
    dialog = SignInDialog(ops, prefs, database=database)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.actor()


# Alembic tells each migration step at INFO (some 15 lines on a first start): the log file keeps
# them, the console does not. httpx and httpcore log every request at INFO (2,192 lines in a
# first sync): warnings only, anywhere.
FILE_ONLY_BELOW_WARNING = ("alembic",)
WARNINGS_ONLY = ("httpx", "httpcore")


def _console_wants(record: logging.LogRecord) -> bool:
    quiet = any(
        record.name == name or record.name.startswith(name + ".")
        for name in FILE_ONLY_BELOW_WARNING
    )
    return record.levelno >= logging.WARNING or not quiet


def setup_logging(folder: Path) -> Path:
    """Log to the console and to `desk.log` in the user's data folder (kept to 5 x 1 MB)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "desk.log"
    fmt = ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(fmt)
    console = logging.StreamHandler()
    console.setFormatter(fmt)
    console.addFilter(_console_wants)
    for name in WARNINGS_ONLY:
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(file_handler)
    root.addHandler(console)
    return path


def install_excepthook() -> None:
    """A bug in a slot is logged with its traceback and shown as an unexpected error; the window
    stays open (Qt would otherwise print it and carry on silently)."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, exc, tb))
        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook


def saved_server(prefs: Prefs) -> str | None:
    """The URL of the centre's server saved on this PC (Settings › This computer), with its
    password from the user's secret store; None: this PC's own SQLite file."""
    prefs.sync()
    return machine_db.saved_server(prefs.path)


def ask_retry(message: str) -> bool:
    """The centre's server did not answer: say so and what to do; True to try again."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("app", "Cannot reach the centre's server"),
        message,
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close,
    )
    box.setObjectName("serverUnreachable")
    box.setInformativeText(
        QCoreApplication.translate(
            "app",
            "Nothing was changed. If the server is being restarted or the network is down, "
            "wait a moment and press Retry. If the server's address or password changed, the "
            "administrator corrects them in Settings › This computer (or starts the program "
            "with --db and the server's address).",
        )
    )
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return box.exec() == QMessageBox.StandardButton.Retry


def open_retrying(target: Target | None) -> Database | None:
    """The desk database at `target`; on a server that does not answer, asks whether to retry
    (None: the user gave up)."""
    while True:
        try:
            return open_database(target)
        except ServerUnreachableError as exc:
            log.warning("centre server unreachable: %s", exc.message)
            if not ask_retry(exc.message):
                return None


def run_gui(db_path: Target | None = None, argv: list[str] | None = None) -> int:
    """Open the program's window; returns the exit code."""
    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    setup_logging(default_data_dir())
    prefs = Prefs()
    app = make_application(argv or [sys.argv[0]], prefs)
    install_excepthook()
    prefs.sync()
    target = machine_db.chosen_target(db_path, prefs_path=prefs.path)
    try:
        db = open_retrying(target)
    except DatabaseFileError as exc:
        # A folder, a text file or another program's database given as --db: the message names
        # the path and says what it is; nothing was created or changed.
        log.warning("not a desk database: %s", exc.message)
        QMessageBox.critical(
            None, QCoreApplication.translate("app", "Cannot open the database"), exc.message
        )
        return 1
    except (DeskError, OSError, SQLAlchemyError) as exc:
        # A locked, damaged or unreadable database: say so instead of a traceback.
        log.exception("cannot open the database")
        QMessageBox.critical(
            None,
            QCoreApplication.translate("app", "Cannot open the database"),
            QCoreApplication.translate("app", "The database {0} cannot be opened: {1}").format(
                redacted(str(target))
                if is_server_url(target)
                else target or default_database_path(),
                exc,
            ),
        )
        return 1
    if db is None:
        return 1
    # One runner and one bus for the database, from before the sign-in to the end.
    runner = OpRunner()
    runner.slow_changed.connect(show_busy_cursor)
    bus = ChangeBus()
    # Writes made elsewhere (other counters, the command line) reach the same bus.
    feed = open_feed(db)
    relay = ChangeRelay(feed, bus)
    relay.start()
    try:
        actor = first_actor(DbOps(db, runner, bus, feed), prefs, db.label)
        if actor is None:
            return 0
        session = Session(
            UiContext(db=db, actor=actor, runner=runner, bus=bus, prefs=prefs, feed=feed)
        )
        session.window.show()
        try:
            return app.exec()
        finally:
            session.close()
    finally:
        relay.stop()
        runner.shutdown()
        db.dispose()
