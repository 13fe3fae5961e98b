"""The E-mail tab: the agency's SMTP server and sender, on or off, a test message, and the outbox.

The settings are saved in the database; the SMTP password in the signed-in user's secret store
(as the sync token, never in the database). A test message waits on the network on a thread of
its own, never on the GUI thread nor on the window's database worker. In a centre's database
each agency has its own settings: the tab then opens with a chooser, as the Sync tab does.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError
from desk_app.services import mail, mail_send
from desk_app.services.context import SOLO_AGENCY
from desk_app.sync import outbox
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.common import Notice, Pending, rows_table, write
from desk_app.ui.table_model import RowsModel

MESSAGES_SHOWN = 200


def password_storage_words(platform: str = sys.platform) -> str:
    """Where the SMTP password is kept, as the sync token is on this platform."""
    if platform == "win32":
        return QCoreApplication.translate(
            "MailTab",
            "The SMTP password is kept encrypted for the signed-in Windows user only (DPAPI), "
            "not in the desk's database.",
        )
    return QCoreApplication.translate(
        "MailTab",
        "The SMTP password is kept in a file of the signed-in user's configuration folder that "
        "only this user may read (mode 0600), not in the desk's database.",
    )


@dataclass(frozen=True)
class _Loaded:
    names: dict[int, str]
    config: mail.MailConfig
    status: mail.MailStatus
    rows: list[mail.MessageRow]


class _TestSender(QObject):
    """Sends the test message on a thread of its own; `finished(str)` ("" when it went)."""

    finished = Signal(str)

    def start(self, config: mail.MailConfig, password: str | None, to: str, now: object) -> None:
        def work() -> None:
            try:
                mail_send.send_test(config, password, to, now=now)  # type: ignore[arg-type]
                said = ""
            except DeskError as exc:
                said = exc.message
            except Exception as exc:  # a bug: said, not swallowed
                said = f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(RuntimeError):  # the dialog closed meanwhile
                self.finished.emit(said)

        threading.Thread(target=work, name="desk-mail-test", daemon=True).start()


class MailTab(QWidget):
    """Saves the settings in the database and the password in the user's secret store;
    announces Change.of("mail-settings"). Lists the messages not sent and the latest sent."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        passwords: mail.PasswordStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.passwords = passwords or mail.default_passwords()
        self.setObjectName("mailTab")
        self.agency = SOLO_AGENCY
        self._password_key = ""
        self._config: mail.MailConfig | None = None

        # Widgets.
        self.agency_label = QLabel(self.tr("Agency"))
        self.agency_box = QComboBox()
        self.agency_box.setObjectName("mailAgency")
        self.agency_label.setBuddy(self.agency_box)
        self.enabled = QCheckBox(self.tr("Send e-mail to applicants who agreed"))
        self.enabled.setObjectName("mailEnabled")
        self.host = QLineEdit()
        self.host.setObjectName("mailHost")
        self.host.setPlaceholderText("smtp.langson.gov.vn")
        self.port = QSpinBox()
        self.port.setObjectName("mailPort")
        self.port.setRange(1, 65535)
        self.port.setMaximumWidth(110)
        self.security = QComboBox()
        self.security.setObjectName("mailSecurity")
        self.security.addItem(self.tr("STARTTLS (port 587)"), "starttls")
        self.security.addItem(self.tr("SSL/TLS (port 465)"), "ssl")
        self.security.addItem(self.tr("None (port 25, inside the office network only)"), "none")
        self.username = QLineEdit()
        self.username.setObjectName("mailUsername")
        self.password = QLineEdit()
        self.password.setObjectName("mailPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sender_address = QLineEdit()
        self.sender_address.setObjectName("mailSender")
        self.sender_address.setPlaceholderText("motcua@langson.gov.vn")
        self.sender_name = QLineEdit()
        self.sender_name.setObjectName("mailSenderName")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveMail")
        self.test_to = QLineEdit()
        self.test_to.setObjectName("mailTestTo")
        self.test_to.setPlaceholderText(self.tr("An address to send a test message to"))
        self.test_button = QPushButton(self.tr("Send a test message"))
        self.test_button.setObjectName("mailTest")
        self.retry_button = QPushButton(self.tr("Queue the failed messages again"))
        self.retry_button.setObjectName("mailRetry")
        self.status_label = QLabel()
        self.status_label.setObjectName("mailStatus")
        self.notice = Notice("mailNotice")
        self.general_error = QLabel()
        self.general_error.setObjectName("mailErrorGeneral")
        self.errors = FieldErrors(self.general_error)
        self.pending = Pending(self.save_button, self.retry_button)
        self.model = RowsModel(
            [
                self.tr("File"),
                self.tr("Message"),
                self.tr("To"),
                self.tr("State"),
                self.tr("Tries"),
                self.tr("Next try / sent"),
                self.tr("Last error"),
            ],
            self,
        )
        self.table = rows_table("mailMessages", self.model, wrap=False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.tester = _TestSender(self)
        about = QLabel(
            self.tr(
                "Applicants who give an address and agree at the counter receive a short "
                "message when the file is received (the receipt attached), when papers are "
                "missing (the request attached), when the result is ready, and with an apology "
                "and a new date (the letter attached). Failed messages are tried again after "
                "1, 2, 4… minutes, eight times at most."
            )
            + " "
            + password_storage_words()
        )
        about.setObjectName("mailAbout")
        about.setWordWrap(True)

        # Layout.
        chooser = QHBoxLayout()
        chooser.addWidget(self.agency_label)
        chooser.addWidget(self.agency_box)
        chooser.addStretch(1)
        server = QGroupBox(self.tr("SMTP server"))
        form = QFormLayout(server)
        add = self.errors.add_row
        form.addRow("", self.enabled)
        add(form, self.tr("Server"), self.host, "host")
        add(form, self.tr("Port"), self.port, "port")
        add(form, self.tr("Encryption"), self.security, "security")
        add(form, self.tr("User name"), self.username, "username")
        add(form, self.tr("Password"), self.password, "password")
        add(form, self.tr("Sender address"), self.sender_address, "sender_address")
        add(form, self.tr("Sender name"), self.sender_name, "sender_name")
        test_row = QWidget()
        test_lay = QHBoxLayout(test_row)
        test_lay.setContentsMargins(0, 0, 0, 0)
        test_lay.addWidget(self.test_to, 1)
        test_lay.addWidget(self.test_button)
        add(form, self.tr("Test"), test_row, "test_to")
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        outbox_row = QHBoxLayout()
        outbox_row.addWidget(self.status_label, 1)
        outbox_row.addWidget(self.retry_button)
        lay = QVBoxLayout(self)
        lay.addLayout(chooser)
        lay.addWidget(about)
        lay.addWidget(server)
        lay.addLayout(buttons)
        lay.addLayout(outbox_row)
        lay.addWidget(self.table, 1)

        # Signals.
        self.save_button.clicked.connect(self._on_save_clicked)
        self.test_button.clicked.connect(self._on_test_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.security.activated.connect(self._on_security_activated)
        self.agency_box.activated.connect(self._on_agency_box_activated)
        self.tester.finished.connect(self._on_test_finished, Qt.ConnectionType.QueuedConnection)
        ctx.bus.changed.connect(self._on_bus_changed)

        # State.
        self.agency_label.hide()
        self.agency_box.hide()
        self.load()

    # --- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        wanted, mine = self.agency, self.ctx.actor.agencies

        def job(s: Session) -> _Loaded:
            names = outbox.agency_names(s, mine)
            agency = outbox.chosen_agency(names, wanted)
            scope = frozenset({agency})
            return _Loaded(
                names,
                mail.read_config(s, agency),
                mail.status(s, scope),
                mail.recent(s, scope, limit=MESSAGES_SHOWN),
            )

        self.ctx.ops.read(job, self._on_loaded, owner=self, label="mail settings")

    def _on_loaded(self, found: _Loaded) -> None:
        self.agency = found.config.agency
        several = len(found.names) > 1
        self.agency_label.setVisible(several)
        self.agency_box.setVisible(several)
        self.agency_box.clear()
        for agency, name in found.names.items():
            self.agency_box.addItem(name, agency)
        self.agency_box.setCurrentIndex(max(self.agency_box.findData(self.agency), 0))
        self._show_config(found.config)
        self._show_outbox(found.status, found.rows)

    def _show_config(self, config: mail.MailConfig) -> None:
        self._config = config
        self._password_key = config.password_key
        self.enabled.setChecked(config.enabled)
        self.host.setText(config.host)
        self.port.setValue(config.port)
        self.security.setCurrentIndex(max(self.security.findData(config.security), 0))
        self.username.setText(config.username)
        self.sender_address.setText(config.sender_address)
        self.sender_name.setText(config.sender_name)
        self.password.clear()
        stored = bool(self._password_key) and bool(self.passwords.load(self._password_key))
        self.password.setPlaceholderText(
            self.tr("A password is stored on this computer; type a new one to replace it")
            if stored
            else self.tr("Kept on this computer for the signed-in user, not in the database")
        )
        self.errors.clear()

    def _show_outbox(self, status: mail.MailStatus, rows: list[mail.MessageRow]) -> None:
        last = status.last_sent_at
        self.status_label.setText(
            self.tr("Waiting {0} · failed {1} · sent {2} · last sent {3}").format(
                status.queued + status.sending,
                status.failed,
                status.sent,
                last.strftime("%H:%M %d/%m/%Y") if last is not None else "—",
            )
        )
        self.retry_button.setEnabled(status.failed > 0)
        shown = []
        for r in rows:
            when = r.sent_at if r.status == mail.SENT else r.next_attempt_at
            shown.append(
                (
                    r.code,
                    r.kind_label,
                    r.recipient,
                    r.status_label,
                    str(r.attempts),
                    when.strftime("%H:%M %d/%m/%Y") if when is not None else "",
                    r.last_error or "",
                )
            )
        self.model.set_rows(shown, [r.id for r in rows])

    def _on_bus_changed(self, change: Change) -> None:
        if change.origin is not self and change.touches("mail"):
            self.load()

    def _on_agency_box_activated(self, index: int) -> None:
        agency = self.agency_box.itemData(index)
        if agency is None or int(agency) == self.agency or self.pending.running:
            self.agency_box.setCurrentIndex(max(self.agency_box.findData(self.agency), 0))
            return
        self.agency = int(agency)
        self.notice.clear_notice()
        self.load()

    def _on_security_activated(self, _index: int) -> None:
        # The usual port of the mode chosen, unless the administrator typed another one.
        if self.port.value() in mail.DEFAULT_PORTS.values():
            self.port.setValue(mail.DEFAULT_PORTS[str(self.security.currentData())])

    # --- saving --------------------------------------------------------------------------------

    def _typed(self) -> mail.MailSettingsInput:
        return mail.MailSettingsInput(
            enabled=self.enabled.isChecked(),
            host=self.host.text(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            username=self.username.text(),
            sender_address=self.sender_address.text(),
            sender_name=self.sender_name.text(),
        )

    def _on_save_clicked(self) -> None:
        if not self.pending.begin():
            return
        self.errors.clear()
        self.notice.clear_notice()
        data, typed, ctx, agency = self._typed(), self.password.text(), self.ctx, self.agency

        def save(s: Session) -> mail.MailConfig:
            return mail.save_config(
                s, data, ctx.actor, agency=agency, password_changed=bool(typed), now=ctx.now()
            )

        def saved(config: mail.MailConfig) -> None:
            if typed:
                try:
                    self.passwords.save(config.password_key, typed)
                except (OSError, DeskError) as exc:
                    said = exc.message if isinstance(exc, DeskError) else str(exc)
                    self.errors.show({"password": said})
                    return
            self._show_config(config)
            self.notice.ok(self.tr("Saved."))

        write(
            ctx, self, save, Change.of("mail-settings", "mail"), saved, self._refused, self.pending
        )

    def _refused(self, exc: DeskError) -> None:
        self.errors.show_error(exc)

    def _on_test_clicked(self) -> None:
        self.errors.clear()
        self.notice.clear_notice()
        try:
            data = mail.check_settings(self._typed())
        except DeskError as exc:
            self.errors.show_error(exc)
            return
        base = self._config
        config = mail.MailConfig(
            agency=self.agency,
            enabled=True,
            host=data.host,
            port=data.port,
            security=data.security,
            username=data.username,
            sender_address=data.sender_address,
            sender_name=data.sender_name,
            password_key=base.password_key if base is not None else "",
        )
        password = self.password.text() or self.passwords.load(config.password_key)
        self.test_button.setEnabled(False)
        self.notice.ok(self.tr("Sending a test message…"))
        self.tester.start(config, password, self.test_to.text(), self.ctx.now())

    def _on_test_finished(self, said: str) -> None:
        self.test_button.setEnabled(True)
        if said:
            self.notice.clear_notice()
            self.errors.show({"test_to": said})
        else:
            self.notice.ok(self.tr("The test message was sent to {0}.").format(self.test_to.text()))

    def _on_retry_clicked(self) -> None:
        if not self.pending.begin():
            return
        ctx, scope = self.ctx, frozenset({self.agency})

        def job(s: Session) -> int:
            return mail.retry_failed(s, ctx.actor, scope, now=ctx.now())

        def done(count: int) -> None:
            self.notice.ok(self.tr("{0} messages queued again.").format(count))
            self.load()

        write(ctx, self, job, Change.of("mail"), done, self._refused, self.pending)
