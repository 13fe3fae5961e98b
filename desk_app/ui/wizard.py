"""First-run set-up: the desk's identity and hours, the first administrator and this computer's
counter, the catalogue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QEventLoop, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.catalog import bundled_catalog
from desk_app.errors import DeskError, FieldsError
from desk_app.machine_prefs import MAX_COUNTER_NAME, clean_counter_name
from desk_app.services import demo, desk, users
from desk_app.services.context import Actor
from desk_app.services.views import SettingsView, UserView
from desk_app.ui.bus import Change
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.dbops import DbOps
from desk_app.ui.errors import show_error
from desk_app.ui.forms import FieldErrors
from desk_app.ui.prefs import Prefs
from desk_app.ui.signin import sign_in_place

log = logging.getLogger(__name__)

# Who creates the first administrator: nobody has signed in yet (as with the command line).
SETUP_ACTOR = Actor(user_id=None, name="Trình cài đặt lần đầu", role="admin")
DEMO_DEFAULT = 200
DEMO_MAX = 5000


@dataclass(frozen=True)
class SetupState:
    """What the wizard starts from: the desk's settings, whether an administrator exists, the
    size of the catalogue. Read once through the runner before anything is shown."""

    settings: SettingsView
    has_admin: bool
    catalog_size: int

    @property
    def needed(self) -> bool:
        """True while the desk has no active administrator or no identity (code prefix, name)."""
        return not self.has_admin or not self.settings.is_configured


def setup_state(session: Session) -> SetupState:
    return SetupState(
        settings=desk.get_settings(session),
        has_admin=users.count_admins(session) > 0,
        catalog_size=desk.catalog_size(session),
    )


def read_setup_state(ops: DbOps) -> SetupState:
    """The state at start-up, before any window: read on the worker like every other read,
    the event loop turning (the busy cursor past 300 ms) until it is back; errors are raised."""
    results: list[SetupState] = []
    errors: list[BaseException] = []
    loop = QEventLoop()

    def done(state: SetupState) -> None:
        results.append(state)
        loop.quit()

    def failed(exc: BaseException) -> None:
        errors.append(exc)
        loop.quit()

    ops.read(setup_state, done, failed)
    if not results and not errors:  # a runner that runs jobs inline has answered already
        loop.exec()
    if errors:
        raise errors[0]
    return results[0]


@dataclass(frozen=True)
class _SetupInput:
    """What Finish writes, read from the pages on the GUI thread (the job touches no widget)."""

    identity: desk.IdentityInput
    existing: Actor | None
    username: str
    full_name: str
    password: str
    load_catalog: bool
    counter: str = ""  # this computer's counter, written on what the administrator records


def _write_setup(data: _SetupInput) -> Callable[[Session], Actor]:
    """Identity, hours, administrator and catalogue in one transaction; returns the admin."""

    def job(s: Session) -> Actor:
        if data.existing is not None:
            actor = data.existing
        else:
            view = users.create_user(
                s, data.username, data.full_name, users.Role.ADMIN, data.password, SETUP_ACTOR
            )
            actor = Actor(
                user_id=view.id,
                name=view.full_name,
                role=view.role,
                username=view.username,
                counter=data.counter,
            )
        desk.update_settings(s, data.identity, actor)
        desk.ensure_first_day(s, actor)  # no counter intake dated before the set-up day
        if data.load_catalog and desk.catalog_size(s) == 0:
            desk.import_catalog(s, bundled_catalog(), actor)
        return actor

    return job


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


class IdentityPage(QWizardPage):
    """Governing body, agency and unit names, the agency identifier, the place name."""

    def __init__(self, current: SettingsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityPage")
        self.setTitle(self.tr("Desk identity"))
        self.setSubTitle(
            self.tr(
                "These names are printed on receipts and slips; the identifier starts "
                "every file code."
            )
        )
        self.governing_body = QLineEdit(current.governing_body)
        self.governing_body.setObjectName("governing_body")
        self.governing_body.setPlaceholderText(self.tr("e.g. UBND TỈNH LẠNG SƠN"))
        self.agency_name = QLineEdit(current.agency_name)
        self.agency_name.setObjectName("agency_name")
        self.agency_name.setPlaceholderText(self.tr("e.g. SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"))
        self.unit_name = QLineEdit(current.unit_name)
        self.unit_name.setObjectName("unit_name")
        self.agency_id = QLineEdit(current.agency_id)
        self.agency_id.setObjectName("agency_id")
        self.agency_id.setPlaceholderText(self.tr("e.g. 000.00.20.H37"))
        self.place_name = QLineEdit(current.place_name)
        self.place_name.setObjectName("place_name")
        self.place_name.setPlaceholderText(self.tr("e.g. Lạng Sơn"))
        self.errors = FieldErrors()

        form = QFormLayout(self)
        self.errors.add_row(form, self.tr("Governing body"), self.governing_body, "governing_body")
        self.errors.add_row(form, self.tr("Agency name"), self.agency_name, "agency_name")
        self.errors.add_row(form, self.tr("Unit name"), self.unit_name, "unit_name")
        self.errors.add_row(form, self.tr("Agency identifier"), self.agency_id, "agency_id")
        form.addRow("", _hint(self.tr("Code of the agency (QCVN 102:2016), used in file codes.")))
        self.errors.add_row(form, self.tr("Place name for dates"), self.place_name, "place_name")

    def data(self) -> desk.IdentityInput:
        return desk.IdentityInput(
            governing_body=self.governing_body.text(),
            agency_name=self.agency_name.text(),
            unit_name=self.unit_name.text(),
            agency_id=self.agency_id.text(),
            place_name=self.place_name.text(),
        )

    def validatePage(self) -> bool:
        errors: dict[str, str] = {}
        try:
            desk.check_identity(self.data())
        except FieldsError as exc:
            errors = dict(exc.errors)
        for edit in (self.agency_name, self.place_name, self.unit_name):
            if not edit.text().strip() and edit.objectName() not in errors:
                errors[edit.objectName()] = self.tr("Required.")
        self.errors.show(errors)
        return not errors


class HoursPage(QWizardPage):
    """Office hours and the same-day cut-off, with the schema's defaults filled in."""

    def __init__(self, current: SettingsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hoursPage")
        self.setTitle(self.tr("Office hours"))
        self.setSubTitle(self.tr("Due dates are counted in these hours on working days."))
        self.office_hours = QLineEdit(current.office_hours)
        self.office_hours.setObjectName("office_hours")
        self.cutoff = QTimeEdit(_qtime(current.cutoff))
        self.cutoff.setObjectName("cutoff")
        self.cutoff.setDisplayFormat("HH:mm")
        self.errors = FieldErrors()

        form = QFormLayout(self)
        self.errors.add_row(form, self.tr("Office hours"), self.office_hours, "office_hours")
        form.addRow(
            "",
            _hint(
                self.tr(
                    "Sessions separated by commas, e.g. 07:00-11:30,13:30-17:00 "
                    "(a morning and an afternoon)."
                )
            ),
        )
        self.errors.add_row(form, self.tr("Same-day cut-off"), self.cutoff, "cutoff")
        form.addRow(
            "",
            _hint(self.tr("Same-day files received after this time are due the next working day.")),
        )

    def data(self) -> desk.IdentityInput:
        return desk.IdentityInput(
            office_hours=self.office_hours.text(), cutoff=self.cutoff.time().toString("HH:mm")
        )

    def validatePage(self) -> bool:
        try:
            desk.check_identity(self.data())
        except DeskError as exc:
            self.errors.show_error(exc)
            return False
        self.errors.clear()
        return True


class AdminPage(QWizardPage):
    """The first administrator; when one exists already, they sign in here instead (checked on
    the runner's worker: Next waits, the page says so past ~300 ms). And this computer's counter
    name (optional), kept as Settings › This computer keeps it."""

    def __init__(
        self,
        ops: DbOps,
        has_admin: bool,
        parent: QWidget | None = None,
        *,
        place: tuple[frozenset[int] | None, str] = (None, ""),
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._place = place  # this computer's agencies and counter (signin.sign_in_place)
        self.has_admin = has_admin
        self.existing: Actor | None = None
        self._checking = False
        self._inline = False
        self.setObjectName("adminPage")
        self.setTitle(self.tr("Administrator"))
        if has_admin:
            self.setSubTitle(self.tr("An administrator exists already: sign in to go on."))
        else:
            self.setSubTitle(
                self.tr(
                    "The administrator manages users, settings, the calendar and the procedures."
                )
            )
        self.username = QLineEdit("" if has_admin else "quantri")
        self.username.setObjectName("admin_username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("admin_full_name")
        self.password = QLineEdit()
        self.password.setObjectName("admin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("admin_password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.counter_name = QLineEdit(place[1])
        self.counter_name.setObjectName("admin_counter_name")
        self.counter_name.setMaxLength(MAX_COUNTER_NAME)
        self.counter_name.setPlaceholderText(self.tr("e.g. Counter 3"))
        self.busy = BusyNote()
        self.errors = FieldErrors()

        form = QFormLayout(self)
        self.errors.add_row(form, self.tr("User name"), self.username, "username")
        if not has_admin:
            self.errors.add_row(form, self.tr("Full name"), self.full_name, "full_name")
        self.errors.add_row(form, self.tr("Password"), self.password, "password")
        if not has_admin:
            self.errors.add_row(form, self.tr("Password again"), self.password2, "password2")
            form.addRow(
                "",
                _hint(self.tr("At least {0} characters.").format(users.MIN_PASSWORD_LENGTH)),
            )
        form.addRow(self.tr("Counter name"), self.counter_name)
        form.addRow(
            "",
            _hint(
                self.tr(
                    "Optional: this computer's counter, shown on the status bar and recorded on "
                    "the files received and the steps taken here. Settings › This computer "
                    "changes it later."
                )
            ),
        )
        form.addRow(self.busy)

        self.username.textEdited.connect(self._on_credentials_edited)
        self.password.textEdited.connect(self._on_credentials_edited)

    def isComplete(self) -> bool:
        return not self._checking and super().isComplete()

    def is_checking(self) -> bool:
        return self._checking

    def counter(self) -> str:
        """The counter's name as typed, tidied ("" when left empty)."""
        return clean_counter_name(self.counter_name.text())

    def _on_credentials_edited(self, _text: str) -> None:
        self.existing = None  # a sign-in holds for the name and password it was checked with

    def validatePage(self) -> bool:
        if self.has_admin:
            if self.existing is None and not self._checking:
                self._sign_in()
            return self.existing is not None
        self.errors.clear()
        try:
            users.check_new_user(self.username.text(), self.full_name.text(), self.password.text())
        except DeskError as exc:
            self.errors.show_error(exc)
            return False
        if self.password.text() != self.password2.text():
            self.errors.show({"password2": self.tr("The two passwords differ.")})
            return False
        return True

    def _sign_in(self) -> None:
        """Check the administrator on the worker; Next goes on by itself when it holds."""
        self.errors.clear()
        username, password = self.username.text(), self.password.text()
        served, counter = self._place[0], self.counter()
        self._set_checking(True)
        self._inline = True  # a runner that runs jobs inline answers before write() returns
        try:
            self._ops.write(
                lambda s: users.attempt_sign_in(
                    s, username, password, served=served, counter=counter
                ),
                self._on_attempt_done,
                self._on_attempt_failed,
                changes=None,
                owner=self,
                label="wizard sign in",
            )
        finally:
            self._inline = False

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.username.setReadOnly(checking)
        self.password.setReadOnly(checking)
        if checking:
            self.busy.start(self.tr("Checking the password…"))
        else:
            self.busy.stop()
        self.completeChanged.emit()

    def _on_attempt_done(self, attempt: users.SignInAttempt) -> None:
        self._set_checking(False)
        try:
            actor = attempt.actor_or_raise()
        except DeskError as exc:
            self._show_password_error(exc.message)
            return
        if actor.role != str(users.Role.ADMIN):
            self.errors.show({"username": self.tr("This account is not an administrator.")})
            return
        self.existing = actor
        wizard = self.wizard()
        if not self._inline and wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _on_attempt_failed(self, exc: BaseException) -> None:
        self._set_checking(False)
        if isinstance(exc, DeskError):
            self._show_password_error(exc.message)
        else:
            show_error(self, exc)

    def _show_password_error(self, message: str) -> None:
        self.errors.show({"password": message})
        self.password.setFocus()
        self.password.selectAll()


class DataPage(QWizardPage):
    """Offers the bundled procedure catalogue and demo files, then writes everything."""

    def __init__(self, catalog_size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPage")
        self.setTitle(self.tr("Procedures and sample files"))
        self.setSubTitle(self.tr("Finish saves the settings and creates the administrator."))
        self.load_catalog = QCheckBox(self.tr("Load the bundled procedure catalogue"))
        self.load_catalog.setObjectName("load_catalog")
        self.load_catalog.setChecked(catalog_size == 0)
        self.load_catalog.setEnabled(catalog_size == 0)
        self.add_demo = QCheckBox(self.tr("Add demo files (for training; not real applicants)"))
        self.add_demo.setObjectName("add_demo")
        self.demo_count = QSpinBox()
        self.demo_count.setObjectName("demo_count")
        self.demo_count.setRange(1, DEMO_MAX)
        self.demo_count.setValue(DEMO_DEFAULT)
        self.demo_count.setSuffix(self.tr(" files"))
        self.demo_count.setEnabled(False)
        self.general = QLabel()
        self.general.setObjectName("setupError")
        self.errors = FieldErrors(self.general)
        self.busy = BusyNote()
        self._working = False

        lay = QVBoxLayout(self)
        lay.addWidget(self.load_catalog)
        if catalog_size:
            lay.addWidget(
                _hint(self.tr("The catalogue has {0} procedures already.").format(catalog_size))
            )
        lay.addWidget(self.add_demo)
        row = QFormLayout()
        row.addRow(self.tr("Number of demo files"), self.demo_count)
        lay.addLayout(row)
        lay.addWidget(
            _hint(
                self.tr(
                    "Demo files need the catalogue and add demo user accounts; leave this "
                    "off on a desk that starts real work."
                )
            )
        )
        lay.addStretch(1)
        lay.addWidget(self.busy)
        lay.addWidget(self.general)

        self.add_demo.toggled.connect(self._on_add_demo_toggled)

    def _on_add_demo_toggled(self, checked: bool) -> None:
        self.demo_count.setEnabled(checked)
        if checked and self.load_catalog.isEnabled():
            self.load_catalog.setChecked(True)

    def isComplete(self) -> bool:
        return not self._working and super().isComplete()

    def is_working(self) -> bool:
        return self._working

    def set_working(self, text: str | None) -> None:
        """Finish waits, and past ~300 ms the page shows `text`, until called with None."""
        self._working = text is not None
        if text is not None:
            self.busy.start(text)
        else:
            self.busy.stop()
        self.completeChanged.emit()  # Finish follows isComplete
        wizard = self.wizard()
        if wizard is not None:  # and no going back to pages whose values are being written
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(not self._working)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard.finish_setup()


class SetupWizard(QWizard):
    """Asks what the command line's `init` asks, and stores it in one transaction.

    Everything it reads and writes goes through the runner: `state` was read before it opened,
    Finish writes on the worker (the wizard waits with Finish off and, past ~300 ms, says what
    it is doing), then closes by itself.
    """

    def __init__(
        self,
        ops: DbOps,
        prefs: Prefs,
        state: SetupState,
        parent: QWidget | None = None,
        *,
        database: str = "",
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._prefs = prefs
        self._admin: Actor | None = None
        self._finished = False
        self._inline = False
        self.demo_summary = ""
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Set up the one-stop desk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(640, 480)
        self.identity = IdentityPage(state.settings)
        self.hours = HoursPage(state.settings)
        self.admin = AdminPage(ops, state.has_admin, place=sign_in_place(prefs, database))
        self.data_page = DataPage(state.catalog_size)
        for page in (self.identity, self.hours, self.admin, self.data_page):
            self.addPage(page)

    def admin_actor(self) -> Actor | None:
        """The administrator created (or signed in) once the wizard finished."""
        return self._admin

    def is_working(self) -> bool:
        """True while Finish's writes run on the worker."""
        return self.data_page.is_working()

    def finish_setup(self) -> bool:
        """Write identity, hours, administrator and catalogue together; then the demo files.
        False until the writes are done; then the wizard accepts itself."""
        if self._finished:
            return True
        if self.data_page.is_working():
            return False
        self.data_page.errors.clear()
        self._inline = True  # a runner that runs jobs inline is done before this returns
        try:
            if self._admin is None:
                self._start_setup_write()
            else:  # written before, the demo files failed: the set-up stands
                self._done()
        finally:
            self._inline = False
        return self._finished

    def _start_setup_write(self) -> None:
        identity = desk.IdentityInput(
            **{
                **{k: v for k, v in vars(self.identity.data()).items() if v is not None},
                **{k: v for k, v in vars(self.hours.data()).items() if v is not None},
            }
        )
        data = _SetupInput(
            identity=identity,
            existing=self.admin.existing,
            username=self.admin.username.text(),
            full_name=self.admin.full_name.text(),
            password=self.admin.password.text(),
            load_catalog=self.data_page.load_catalog.isChecked(),
            counter=self.admin.counter(),
        )
        demo_count = self.data_page.demo_count.value() if self.data_page.add_demo.isChecked() else 0
        self.data_page.set_working(self.tr("Saving the settings…"))
        self._ops.write(
            _write_setup(data),
            lambda actor: self._on_setup_written(actor, demo_count),
            self._on_setup_failed,
            changes=Change.of("settings", "users", "catalog"),
            owner=self,
            label="set-up",
        )

    def _on_setup_written(self, actor: Actor, demo_count: int) -> None:
        # The counter's name as Settings › This computer keeps it (per machine), and on the
        # administrator who goes on to the window (also one who signed in, then changed it).
        counter = self.admin.counter()
        self._admin = replace(actor, counter=counter)
        self._prefs.counter_name = counter
        if self.admin.existing is None:
            self._prefs.last_user = self.admin.username.text().strip().lower()
        self._prefs.sync()
        if not demo_count:
            self._done()
            return
        # Demo files come after the commit, in short transactions: the set-up stands even if
        # they fail.
        self.data_page.set_working(self.tr("Adding {0} demo files…").format(demo_count))
        now = clock.now()
        self._ops.write_steps(
            lambda db: demo.generate_demo(db, demo_count, now=now),
            self._on_demo_added,
            self._on_demo_failed,
            changes=Change.of("files", "users"),
            owner=self,
            label="demo files",
        )

    def _on_setup_failed(self, exc: BaseException) -> None:
        self.data_page.set_working(None)
        if isinstance(exc, DeskError):
            self.data_page.errors.show({"": exc.message})
        else:  # a bug or a broken disk: tell, keep everything typed
            log.error("set-up failed", exc_info=exc)
            show_error(self, exc)

    def _on_demo_added(self, summary: str) -> None:
        log.info("%s", summary)
        self._ops.read(
            users.demo_accounts,  # none when the register held real files
            lambda accounts: self._on_demo_accounts_read(summary, accounts),
            self._on_demo_failed,
            owner=self,
        )

    def _on_demo_accounts_read(self, summary: str, accounts: list[UserView]) -> None:
        self.demo_summary = summary + self._accounts_text(accounts)
        self._done()

    def _on_demo_failed(self, exc: BaseException) -> None:
        log.error("demo files failed", exc_info=exc)
        self.data_page.set_working(None)
        show_error(self, exc)
        self._done()

    def _done(self) -> None:
        self.data_page.set_working(None)
        self._finished = True
        if not self._inline and self.isVisible():
            self.accept()  # validates the page again, which now says yes

    def _accounts_text(self, accounts: list[UserView]) -> str:
        """The demo accounts to sign in with, and the reminder to close them before going live."""
        if not accounts:
            return ""
        names = "\n".join(
            f"  {u.username} – {u.full_name} ({users.Role(u.role).label})" for u in accounts
        )
        return "\n\n" + self.tr(
            "Demo accounts (password {0}):\n{1}\nClose them under Settings › Users "
            "(Close demo accounts) before the desk starts real work."
        ).format(users.DEMO_PASSWORD, names)
