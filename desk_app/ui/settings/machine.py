"""The This computer tab: language, idle lock, the counter's name, the scanner's folder, the
agencies it serves and the centre's server, remembered by this PC only (the server's password
in the user's secret store, never in the preferences)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskError, ValidationError
from desk_app.machine_prefs import MAX_COUNTER_NAME, clean_counter_name
from desk_app.printing.escpos_ticket import parse_printer
from desk_app.store.migrate import server_revision
from desk_app.store.server_login import DEFAULT_PORT, TLS_MODES, PasswordStore, ServerLogin
from desk_app.ui.agencies import AgencyName, read_agencies
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import ERROR_STYLE
from desk_app.ui.scan_folder import ask_scan_folder, forbidden_reason

# Each language is named in itself, so whoever reads the list finds theirs.
LANGUAGE_NAMES = (("vi", "Tiếng Việt"), ("en", "English"))
MAX_LOCK_MINUTES = 240


class MachineTab(QWidget):
    """Saves each change to ctx.prefs at once and announces Change.of("prefs") (per-machine
    QSettings, not the database: DbOps.notify). The centre's server is saved with its button,
    by an administrator only (whoever sets it decides which register this PC opens).

    The counter's name and the agencies this PC serves are an administrator's too (the name is
    written on every file and step; the agencies decide who may sign in here). The agencies are
    kept per database and shown only when the open one has more than one; they apply from the
    next sign-in, the name at once."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        passwords: PasswordStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.passwords = passwords or PasswordStore()
        self.setObjectName("machineTab")

        # Widgets.
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(0, MAX_LOCK_MINUTES)
        self.lock_minutes.setSuffix(self.tr(" min"))
        self.lock_minutes.setSpecialValueText(self.tr("Never"))
        self.language_note = QLabel()
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        lock_note = QLabel(
            self.tr(
                "The screen locks after this many minutes without keyboard or mouse; "
                "0 turns the lock off. Applies from the next sign-in or unlock."
            )
        )
        lock_note.setWordWrap(True)
        self.counter_name = QLineEdit()
        self.counter_name.setObjectName("counterName")
        self.counter_name.setMaxLength(MAX_COUNTER_NAME)
        self.counter_name.setPlaceholderText(self.tr("e.g. Counter 3"))
        self.counter_name.setReadOnly(not ctx.is_admin)
        counter_note = QLabel(
            self.tr(
                "Shown on the status bar and recorded on the files received and the steps "
                "taken at this computer."
            )
        )
        counter_note.setWordWrap(True)
        self.scan_folder = QLineEdit()
        self.scan_folder.setObjectName("scanFolder")
        self.scan_folder.setReadOnly(True)
        self.scan_folder.setPlaceholderText(self.tr("none: scans are chosen or dropped by hand"))
        self.scan_folder_choose = QPushButton(self.tr("Choose…"))
        self.scan_folder_choose.setObjectName("scanFolderChoose")
        self.scan_folder_clear = QPushButton(self.tr("Clear"))
        self.scan_folder_clear.setObjectName("scanFolderClear")
        self._scan_folder_words = self.tr(
            "The folder this computer's scanner writes to: the intake form shows each new "
            "scan there as it lands, to be assigned to a paper. Never the database's folder."
        )
        self.scan_folder_note = QLabel(self._scan_folder_words)
        self.scan_folder_note.setObjectName("scanFolderNote")
        self.scan_folder_note.setWordWrap(True)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_folder, 1)
        scan_row.addWidget(self.scan_folder_choose)
        scan_row.addWidget(self.scan_folder_clear)
        self.ticket_printer = QLineEdit()
        self.ticket_printer.setObjectName("ticketPrinter")
        self.ticket_printer.setPlaceholderText(self.tr("none: the kiosk offers the ticket's PDF"))
        self._ticket_printer_words = self.tr(
            "The ESC/POS receipt printer the queue's kiosk prints tickets on: its address and "
            "port (e.g. 192.168.1.50:9100) or its device (e.g. /dev/usb/lp0)."
        )
        self.ticket_printer_note = QLabel(self._ticket_printer_words)
        self.ticket_printer_note.setObjectName("ticketPrinterNote")
        self.ticket_printer_note.setWordWrap(True)
        self.rating_web = QCheckBox(self.tr("Serve the rating page for a tablet or phone"))
        self.rating_web.setObjectName("ratingWeb")
        self.rating_web.setEnabled(ctx.is_admin)
        self.rating_web_port = QSpinBox()
        self.rating_web_port.setObjectName("ratingWebPort")
        self.rating_web_port.setRange(1024, 65535)
        self.rating_web_port.setGroupSeparatorShown(False)
        self.rating_web_port.setEnabled(ctx.is_admin)
        rating_web_note = QLabel(
            self.tr(
                "The applicant rates the service on a tablet or phone on the office network, "
                "paired with this counter by a code (toolbar: Rating tablet…). The page shows "
                "nothing about any file. Applies at once."
            )
        )
        rating_web_note.setWordWrap(True)
        rating_web_row = QHBoxLayout()
        rating_web_row.addWidget(self.rating_web)
        rating_web_row.addStretch(1)
        rating_web_row.addWidget(QLabel(self.tr("Port")))
        rating_web_row.addWidget(self.rating_web_port)
        self.served_box = QGroupBox(self.tr("Agencies this computer serves"))
        self.served_box.setObjectName("servedAgencies")
        self.served_checks: dict[int, QCheckBox] = {}
        self._served_lay = QVBoxLayout(self.served_box)
        served_note = QLabel(
            self.tr(
                "Officers sign in here for the ticked agencies they are assigned to. None "
                "ticked: every agency of this database. Applies from the next sign-in."
            )
        )
        served_note.setWordWrap(True)
        self._served_lay.addWidget(served_note)
        self.served_box.hide()  # until the database turns out to hold more than one agency
        self.server_box = self._build_server_box()

        # Layout.
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.language_note)
        form.addRow(self.tr("Lock the screen after"), self.lock_minutes)
        form.addRow("", lock_note)
        form.addRow(self.tr("Counter name"), self.counter_name)
        form.addRow("", counter_note)
        form.addRow(self.tr("Scan folder"), scan_row)
        form.addRow("", self.scan_folder_note)
        form.addRow(self.tr("Rating tablet"), rating_web_row)
        form.addRow("", rating_web_note)
        form.addRow(self.tr("Ticket printer"), self.ticket_printer)
        form.addRow("", self.ticket_printer_note)
        if not ctx.is_admin:  # where the database is, read-only, in the small officer's dialog
            form.addRow(self.tr("Centre's server"), self.server_note)
            form.addRow(self.tr("Open now"), self.open_now)
        content = QWidget()
        content.setObjectName("machineContent")
        lay = QVBoxLayout(content)
        lay.addWidget(
            QLabel(self.tr("These settings belong to this computer, not to the whole desk."))
        )
        lay.addLayout(form)
        lay.addWidget(self.served_box)
        if ctx.is_admin:
            lay.addWidget(self.server_box)
        lay.addStretch(1)
        # Scrolls rather than stretching the dialog past a 768-pixel screen (a centre's list of
        # agencies and the server's fields do not fit its height together).
        scroll = QScrollArea()
        scroll.setObjectName("machineScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # State (before the signals, so loading does not write back).
        self._loaded_language = ctx.prefs.language
        self.language.setCurrentIndex(max(0, self.language.findData(self._loaded_language)))
        self.lock_minutes.setValue(min(ctx.prefs.lock_minutes, MAX_LOCK_MINUTES))
        self.counter_name.setText(ctx.prefs.counter_name)
        folder = ctx.prefs.scan_folder
        self.scan_folder.setText(str(folder) if folder is not None else "")
        self.rating_web.setChecked(ctx.prefs.rating_web)
        self.rating_web_port.setValue(ctx.prefs.rating_web_port)
        self.ticket_printer.setText(ctx.prefs.ticket_printer)
        self._load_server()
        ctx.ops.read(read_agencies, self._on_agencies_read, self._on_read_failed, owner=self)

        # Signals.
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes_changed)
        self.counter_name.textEdited.connect(self._on_counter_name_edited)
        self.scan_folder_choose.clicked.connect(self._on_scan_folder_choose_clicked)
        self.scan_folder_clear.clicked.connect(self._on_scan_folder_clear_clicked)
        self.rating_web.toggled.connect(self._on_rating_web_toggled)
        self.rating_web_port.editingFinished.connect(self._on_rating_web_port_edited)
        self.ticket_printer.editingFinished.connect(self._on_ticket_printer_edited)
        self.server_save.clicked.connect(self._on_server_save_clicked)
        self.server_check.clicked.connect(self._on_server_check_clicked)
        self.server_forget.clicked.connect(self._on_server_forget_clicked)

    # --- the counter and its agencies ----------------------------------------------------------

    def _on_agencies_read(self, agencies: list[AgencyName]) -> None:
        if len(agencies) < 2:
            return  # a solo desk (or a centre of one agency): nothing to choose
        served = self.ctx.prefs.served_agencies(self.ctx.db.label)
        for agency in agencies:
            check = QCheckBox(
                agency.full if agency.full == agency.short else f"{agency.short} — {agency.full}"
            )
            check.setObjectName(f"served_{agency.id}")
            check.setChecked(served is not None and agency.id in served)
            check.setEnabled(self.ctx.is_admin)
            check.toggled.connect(self._on_served_toggled)
            self.served_checks[agency.id] = check
            self._served_lay.insertWidget(self._served_lay.count() - 1, check)
        self.served_box.show()

    def _on_read_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DeskError):
            raise exc
        self.server_note.setText(exc.message)

    def served(self) -> frozenset[int] | None:
        """The agencies ticked; None when none is (the computer serves every agency)."""
        ticked = frozenset(a for a, check in self.served_checks.items() if check.isChecked())
        return ticked or None

    def _on_served_toggled(self, _on: bool) -> None:
        self.ctx.prefs.set_served_agencies(self.ctx.db.label, self.served())
        self.ctx.prefs.sync()
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    def _on_counter_name_edited(self, text: str) -> None:
        self.ctx.prefs.counter_name = text
        self.ctx.prefs.sync()
        # The name applies at once: the status bar, and the files and steps from now on.
        self.ctx.actor = replace(self.ctx.actor, counter=clean_counter_name(text))
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    # --- the scanner's folder ------------------------------------------------------------------

    def _on_scan_folder_choose_clicked(self) -> None:
        folder = ask_scan_folder(self, self.ctx.db.path, self.ctx.prefs.scan_folder)
        if folder is not None:
            self.set_scan_folder(folder)

    def _on_scan_folder_clear_clicked(self) -> None:
        self.set_scan_folder(None)

    def set_scan_folder(self, folder: Path | None) -> bool:
        """Keep `folder` as this computer's scan folder (None: none); False, with the reason
        under the field, for a folder that cannot be one (the database's own)."""
        why = forbidden_reason(folder, self.ctx.db.path) if folder is not None else ""
        self.scan_folder_note.setText(why or self._scan_folder_words)
        self.scan_folder_note.setStyleSheet(ERROR_STYLE if why else "")
        if why:
            return False
        self.ctx.prefs.scan_folder = folder
        self.ctx.prefs.sync()
        self.scan_folder.setText(str(folder) if folder is not None else "")
        self.ctx.ops.notify(Change.of("prefs"), origin=self)
        return True

    def _on_ticket_printer_edited(self) -> None:
        """Kept when it names a printer (or nothing); otherwise the reason under the field."""
        text = self.ticket_printer.text().strip()
        try:
            parse_printer(text)
        except ValidationError as exc:
            self.ticket_printer_note.setText(exc.message)
            self.ticket_printer_note.setStyleSheet(ERROR_STYLE)
            return
        self.ticket_printer_note.setText(self._ticket_printer_words)
        self.ticket_printer_note.setStyleSheet("")
        if text != self.ctx.prefs.ticket_printer:
            self.ctx.prefs.ticket_printer = text
            self.ctx.prefs.sync()
            self.ctx.ops.notify(Change.of("prefs"), origin=self)

    # --- the rating tablet's page -------------------------------------------------------------

    def _on_rating_web_toggled(self, on: bool) -> None:
        self.ctx.prefs.rating_web = on
        self.ctx.prefs.sync()
        self.ctx.ops.notify(Change.of("prefs"), origin=self)  # the window starts or stops it

    def _on_rating_web_port_edited(self) -> None:
        if self.rating_web_port.value() == self.ctx.prefs.rating_web_port:
            return
        self.ctx.prefs.rating_web_port = self.rating_web_port.value()
        self.ctx.prefs.sync()
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    def _build_server_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Centre's server (PostgreSQL)"))
        box.setObjectName("centreServer")
        self.server_host = QLineEdit()
        self.server_host.setObjectName("centreHost")
        self.server_host.setPlaceholderText(self.tr("e.g. csdl.trungtam.lan or 10.0.0.5"))
        self.server_port = QSpinBox()
        self.server_port.setObjectName("centrePort")
        self.server_port.setRange(1, 65535)
        self.server_port.setValue(DEFAULT_PORT)
        self.server_port.setGroupSeparatorShown(False)
        self.server_database = QLineEdit()
        self.server_database.setObjectName("centreDatabase")
        self.server_user = QLineEdit()
        self.server_user.setObjectName("centreUser")
        self.server_password = QLineEdit()
        self.server_password.setObjectName("centrePassword")
        self.server_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_tls = QComboBox()
        self.server_tls.setObjectName("centreTls")
        names = {
            "verify-full": self.tr("Encrypted, server's certificate checked (verify-full)"),
            "require": self.tr("Encrypted, certificate not checked (require)"),
            "prefer": self.tr("Encrypted when the server offers it (prefer)"),
            "disable": self.tr("Not encrypted: server on this computer only (disable)"),
        }
        for mode in TLS_MODES:
            self.server_tls.addItem(names[mode], mode)
        self.server_save = QPushButton(self.tr("Save"))
        self.server_save.setObjectName("centreSave")
        self.server_check = QPushButton(self.tr("Check the connection"))
        self.server_check.setObjectName("centreCheck")
        self.server_forget = QPushButton(self.tr("Use this computer's own database"))
        self.server_forget.setObjectName("centreForget")
        self.server_note = QLabel()
        self.server_note.setObjectName("centreNote")
        self.server_note.setWordWrap(True)
        self.open_now = QLabel(self.ctx.db.label)
        self.open_now.setObjectName("centreOpenNow")
        self.open_now.setWordWrap(True)
        explain = QLabel(
            self.tr(
                "In a centre, every counter opens the centre's database on its server. Filled "
                "in, the window opens it at the next start; empty, this computer's own database "
                "file. The password is kept for your account on this computer only, never in "
                "the database or the settings file."
            )
        )
        explain.setWordWrap(True)

        editor = QWidget()  # the fields, for an administrator; others read the summary
        form = QFormLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Server"), self.server_host)
        form.addRow(self.tr("Port"), self.server_port)
        form.addRow(self.tr("Database"), self.server_database)
        form.addRow(self.tr("User"), self.server_user)
        form.addRow(self.tr("Password"), self.server_password)
        form.addRow(self.tr("Encryption"), self.server_tls)
        buttons = QHBoxLayout()
        buttons.addWidget(self.server_save)
        buttons.addWidget(self.server_check)
        buttons.addWidget(self.server_forget)
        buttons.addStretch(1)
        form.addRow(buttons)
        lay = QVBoxLayout(box)
        lay.addWidget(explain)
        lay.addWidget(editor)
        if self.ctx.is_admin:  # an officer's tab shows the two labels in its own form
            form.addRow(self.tr("Open now"), self.open_now)
            lay.addWidget(self.server_note)
        editor.setEnabled(self.ctx.is_admin)
        return box

    def _load_server(self) -> None:
        login = self.ctx.prefs.centre_login()
        self.server_host.setText(login.host if login else "")
        self.server_port.setValue(login.port if login else DEFAULT_PORT)
        self.server_database.setText(login.database if login else "desk")
        self.server_user.setText(login.user if login else "desk")
        self.server_tls.setCurrentIndex(
            max(0, self.server_tls.findData(login.sslmode if login else TLS_MODES[0]))
        )
        if not self.ctx.is_admin:
            self.server_note.setText(
                self._shown(login)
                if login is not None
                else self.tr("none: this computer's own database file")
            )
        self.server_password.clear()
        self.server_password.setPlaceholderText(
            self.tr("saved; type a new one to change it")
            if login is not None and self.passwords.has(login)
            else ""
        )

    def _typed_login(self) -> ServerLogin:
        return ServerLogin(
            host=self.server_host.text(),
            port=self.server_port.value(),
            database=self.server_database.text(),
            user=self.server_user.text(),
            sslmode=str(self.server_tls.currentData()),
        ).checked()

    def _on_server_save_clicked(self) -> None:
        if not self.server_host.text().strip():
            self._on_server_forget_clicked()
            return
        try:
            login = self._typed_login()
        except ValidationError as exc:
            self.server_note.setText(exc.message)
            return
        before = self.ctx.prefs.centre_login()
        password = self.server_password.text()
        if not password and before is not None and before.key() != login.key():
            password = self.passwords.load(before) or ""  # the same password, moved
        if password:
            self.passwords.save(login, password)
        if before is not None and before.key() != login.key():
            self.passwords.save(before, "")
        self.ctx.prefs.set_centre_login(login)
        self.ctx.prefs.sync()
        self._load_server()
        self.server_note.setText(
            self.tr("Saved. The window opens {0} from the next start.").format(self._shown(login))
        )
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    def _on_server_check_clicked(self) -> None:
        try:
            login = self._typed_login()
        except ValidationError as exc:
            self.server_note.setText(exc.message)
            return
        saved = self.ctx.prefs.centre_login()
        password = self.server_password.text() or (
            self.passwords.load(login) if saved is not None and saved.key() == login.key() else None
        )
        url = login.url(password)
        self.server_check.setEnabled(False)
        self.server_note.setText(self.tr("Connecting to {0}…").format(self._shown(login)))
        self.ctx.runner.run(
            lambda: server_revision(url, create=True),
            self._on_server_checked,
            self._on_server_check_failed,
            owner=self,
            label="check the centre's server",
            retry_busy=False,
        )

    def _on_server_checked(self, revision: object) -> None:
        self.server_check.setEnabled(True)
        self.server_note.setText(
            self.tr("Connected. The database is empty: the window sets it up at its first start.")
            if revision is None
            else self.tr("Connected. The database holds a desk's register (schema {0}).").format(
                revision
            )
        )

    def _on_server_check_failed(self, exc: BaseException) -> None:
        self.server_check.setEnabled(True)
        if not isinstance(exc, DeskError):
            raise exc  # a bug: the excepthook logs and shows it
        self.server_note.setText(exc.message)

    def _on_server_forget_clicked(self) -> None:
        before = self.ctx.prefs.centre_login()
        if before is not None:
            self.passwords.save(before, "")
        self.ctx.prefs.set_centre_login(None)
        self.ctx.prefs.sync()
        self._load_server()
        self.server_note.setText(
            self.tr("Saved. The window opens this computer's own database from the next start.")
        )
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    @staticmethod
    def _shown(login: ServerLogin) -> str:
        return f"{login.user}@{login.host}:{login.port}/{login.database}"

    def _on_language_changed(self, _index: int) -> None:
        code = str(self.language.currentData())
        self.ctx.prefs.language = code
        self.ctx.prefs.sync()
        self.language_note.setText(
            ""
            if code == self._loaded_language
            else self.tr("The new language is used the next time the program starts.")
        )
        self.ctx.ops.notify(Change.of("prefs"), origin=self)

    def _on_lock_minutes_changed(self, value: int) -> None:
        self.ctx.prefs.lock_minutes = value
        self.ctx.prefs.sync()
        self.ctx.ops.notify(Change.of("prefs"), origin=self)
