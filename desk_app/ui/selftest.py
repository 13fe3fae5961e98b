"""`--self-test`: prove a build works end to end on a throw-away database, without a screen."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from desk_app.domain.catalog import bundled_catalog
from desk_app.services import desk, intake, printing, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.store.engine import open_database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desk_app.ui.bus import Change
    from desk_app.ui.dbops import DbOps
    from desk_app.ui.prefs import Prefs

T = TypeVar("T")

# A made-up desk: the self-test never touches the user's own database or settings.
_IDENTITY = desk.IdentityInput(
    governing_body="UBND TỈNH KIỂM THỬ",
    agency_name="BỘ PHẬN MỘT CỬA KIỂM THỬ",
    agency_id="000.00.20.H37",
    place_name="Kiểm Thử",
)
_APPLICANT = intake.ApplicantInput(name="Nguyễn Thị Kiểm Thử", phone="0912345678")


class SelfTestError(Exception):
    """A check of the self-test did not hold."""


def run_self_test() -> int:
    """Open the main window offscreen on a temporary database, accept a demo file and render
    its receipt; print one line and return 0, or print the error and return 1.

    Run by `main.py --self-test`, from the source tree and from the PyInstaller bundle, where it
    also proves that the fonts, icons, translations, migrations and catalogue were packed.
    """
    # The offscreen platform must be chosen before the QApplication exists.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An exception inside a Qt slot is only printed by PySide6, through sys.excepthook; catch
    # those too, or a broken window would still pass.
    slot_errors: list[BaseException] = []
    previous_hook = sys.excepthook

    def record(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        slot_errors.append(exc)
        previous_hook(kind, exc, tb)

    sys.excepthook = record
    try:
        with tempfile.TemporaryDirectory(prefix="desk-selftest-") as folder:
            line = _run(Path(folder))
        if slot_errors:
            raise SelfTestError(f"the window raised {slot_errors[0]!r}")
    except Exception as exc:
        traceback.print_exc()
        print(f"self-test failed: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.excepthook = previous_hook
    print(line)
    return 0


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise SelfTestError(what)


def _set_up_desk(ops: DbOps, prefs: Prefs, database: str) -> Actor:
    """Identity, one administrator and the bundled catalogue, as the set-up wizard leaves them;
    then that administrator signs in, as the sign-in dialog does (with this computer's agencies
    and counter from `prefs`)."""
    from desk_app.ui.bus import Change
    from desk_app.ui.signin import sign_in_place

    password = secrets.token_urlsafe(16)

    def set_up(s: Session) -> None:
        desk.update_settings(s, _IDENTITY, COMMAND_LINE)
        desk.import_catalog(s, bundled_catalog(), COMMAND_LINE)
        users.create_user(s, "selftest", "Kiểm thử", users.Role.ADMIN, password, COMMAND_LINE)

    _write(ops, set_up, lambda _none: Change.of("settings", "users", "catalog"))
    served, counter = sign_in_place(prefs, database)
    attempt = _write(
        ops,
        lambda s: users.attempt_sign_in(s, "selftest", password, served=served, counter=counter),
        None,
    )
    return attempt.actor_or_raise()


def _write(ops: DbOps, fn: Callable[[Session], T], changes: Callable[[T], Change] | None) -> T:
    """One write through the window's runner, which runs inline in the self-test."""
    done: list[T] = []
    failed: list[BaseException] = []
    ops.write(fn, done.append, failed.append, changes=changes, label="self-test")
    if failed:
        raise failed[0]
    _check(len(done) == 1, "the runner did not run the write")
    return done[0]


def _run(folder: Path) -> str:
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QApplication

    from desk_app.ui import i18n, look
    from desk_app.ui.bus import Change, ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.dbops import DbOps
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    family = look.install_ui_font(app)
    missing = look.missing_glyphs(app.font(), look.VIETNAMESE_SAMPLE)
    _check(not missing, f"the UI font {family!r} cannot draw {''.join(missing)!r}")
    icon = look.app_icon()
    _check(not icon.isNull(), "the application icon is missing")
    app.setWindowIcon(icon)
    locale = QLocale()
    translators = i18n.install_translators(app, "vi")
    notes: list[str] = []
    if len(translators) < len(i18n.CATALOGS):
        # A bundle without its catalogues is broken; a source tree may simply not have run
        # `make translations` yet.
        _check(not getattr(sys, "frozen", False), "the Vietnamese translations are missing")
        notes.append("translations not built")

    db = open_database(folder / "desk.sqlite3")
    # One runner and bus for the database from the set-up on, as the window has them.
    runner = OpRunner(synchronous=True)
    bus = ChangeBus()
    try:
        prefs = Prefs(folder / "prefs.ini")
        actor = _set_up_desk(DbOps(db, runner, bus), prefs, db.label)
        ctx = UiContext(db=db, actor=actor, runner=runner, bus=bus, prefs=prefs)
        window = MainWindow(ctx)
        window.show()
        QCoreApplication.processEvents()

        # As the window does it: through its runner (inline here), the notices after the commit.
        procedure = next(spec.code for spec in bundled_catalog())
        data = intake.IntakeInput(procedure, _APPLICANT)
        view = _write(
            ctx.ops,
            lambda s: intake.accept_file(s, data, actor),
            lambda v: Change.files(v.code),
        )
        QCoreApplication.processEvents()
        receipt = _write(
            ctx.ops,
            lambda s: printing.print_slip(s, view.code, printing.SlipKind.RECEIPT, actor),
            lambda doc: Change(frozenset({"slips"}), frozenset({view.code})),
        )
        _check(receipt.pdf.startswith(b"%PDF"), "the receipt is not a PDF")

        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
    finally:
        runner.shutdown()
        db.dispose()
        i18n.remove_translators(app, translators)
        QLocale.setDefault(locale)
    extra = f" ({', '.join(notes)})" if notes else ""
    return f"self-test ok: {view.code}, receipt {len(receipt.pdf)} bytes{extra}"
