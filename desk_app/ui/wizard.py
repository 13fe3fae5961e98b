"""First-run set-up: the desk's identity and hours, the first administrator, the catalogue."""

from __future__ import annotations

import logging
from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QGuiApplication
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

from desk_app import clock
from desk_app.domain.catalog import bundled_catalog
from desk_app.errors import DeskError, FieldsError
from desk_app.services import demo, desk, users
from desk_app.services.context import Actor
from desk_app.services.views import SettingsView, UserView
from desk_app.store.engine import Database
from desk_app.ui.errors import show_error
from desk_app.ui.forms import FieldErrors
from desk_app.ui.prefs import Prefs

log = logging.getLogger(__name__)

# Who creates the first administrator: nobody has signed in yet (as with the command line).
SETUP_ACTOR = Actor(user_id=None, name="Trình cài đặt lần đầu", role="admin")
DEMO_DEFAULT = 200
DEMO_MAX = 5000


def needs_setup(db: Database) -> bool:
    """True while the desk has no active administrator or no identity (code prefix, name)."""
    with db.reader.begin() as s:
        return users.count_admins(s) == 0 or not desk.get_settings(s).is_configured


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
    """The first administrator; when one exists already, they sign in here instead."""

    def __init__(self, db: Database, has_admin: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.has_admin = has_admin
        self.existing: Actor | None = None
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

    def validatePage(self) -> bool:
        self.errors.clear()
        if self.has_admin:
            return self._sign_in()
        try:
            users.check_new_user(self.username.text(), self.full_name.text(), self.password.text())
        except DeskError as exc:
            self.errors.show_error(exc)
            return False
        if self.password.text() != self.password2.text():
            self.errors.show({"password2": self.tr("The two passwords differ.")})
            return False
        return True

    def _sign_in(self) -> bool:
        try:
            with self._db.reader.begin() as s:
                actor = users.sign_in(s, self.username.text(), self.password.text())
        except DeskError as exc:
            self.errors.show({"password": exc.message})
            return False
        if actor.role != str(users.Role.ADMIN):
            self.errors.show({"username": self.tr("This account is not an administrator.")})
            return False
        self.existing = actor
        return True


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
        lay.addWidget(self.general)

        self.add_demo.toggled.connect(self._on_add_demo_toggled)

    def _on_add_demo_toggled(self, checked: bool) -> None:
        self.demo_count.setEnabled(checked)
        if checked and self.load_catalog.isEnabled():
            self.load_catalog.setChecked(True)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard.finish_setup()


class SetupWizard(QWizard):
    """Asks what the command line's `init` asks, and stores it in one transaction."""

    def __init__(self, db: Database, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._prefs = prefs
        self._admin: Actor | None = None
        self.demo_summary = ""
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Set up the one-stop desk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(640, 480)
        with db.reader.begin() as s:
            current = desk.get_settings(s)
            has_admin = users.count_admins(s) > 0
            catalog_size = desk.catalog_size(s)
        self.identity = IdentityPage(current)
        self.hours = HoursPage(current)
        self.admin = AdminPage(db, has_admin)
        self.data_page = DataPage(catalog_size)
        for page in (self.identity, self.hours, self.admin, self.data_page):
            self.addPage(page)

    def admin_actor(self) -> Actor | None:
        """The administrator created (or signed in) once the wizard finished."""
        return self._admin

    def finish_setup(self) -> bool:
        """Write identity, hours, administrator and catalogue together; then the demo files."""
        self.data_page.errors.clear()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self._admin is None:
                self._admin = self._write_setup()
        except DeskError as exc:
            self.data_page.errors.show({"": exc.message})
            return False
        except Exception as exc:  # a bug or a broken disk: tell, keep everything typed
            log.exception("set-up failed")
            show_error(self, exc)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        if self.admin.existing is None:
            self._prefs.last_user = self.admin.username.text().strip().lower()
            self._prefs.sync()
        if self.data_page.add_demo.isChecked():
            self._add_demo_files()
        return True

    def _write_setup(self) -> Actor:
        identity = desk.IdentityInput(
            **{
                **{k: v for k, v in vars(self.identity.data()).items() if v is not None},
                **{k: v for k, v in vars(self.hours.data()).items() if v is not None},
            }
        )
        with self._db.writer.begin() as s:
            if self.admin.existing is not None:
                actor = self.admin.existing
            else:
                view = users.create_user(
                    s,
                    self.admin.username.text(),
                    self.admin.full_name.text(),
                    users.Role.ADMIN,
                    self.admin.password.text(),
                    SETUP_ACTOR,
                )
                actor = Actor(
                    user_id=view.id,
                    name=view.full_name,
                    role=view.role,
                    username=view.username,
                )
            desk.update_settings(s, identity, actor)
            desk.ensure_first_day(s, actor)  # no counter intake dated before the set-up day
            if self.data_page.load_catalog.isChecked() and desk.catalog_size(s) == 0:
                desk.import_catalog(s, bundled_catalog(), actor)
        return actor

    def _add_demo_files(self) -> None:
        """Demo files come after the commit: the set-up stands even if they fail."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = demo.generate_demo(
                self._db, self.data_page.demo_count.value(), now=clock.now()
            )
            log.info("%s", summary)
            with self._db.reader.begin() as s:
                accounts = users.demo_accounts(s)  # none when the register held real files
        except Exception as exc:
            log.exception("demo files failed")
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc)
            return
        QGuiApplication.restoreOverrideCursor()
        self.demo_summary = summary + self._accounts_text(accounts)

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
