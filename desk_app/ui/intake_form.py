"""The fields of the intake form, laid out like the paper receipt, validated as they are typed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.documents import Channel, ResultBy
from desk_app.domain.due import DurationUnit
from desk_app.services import intake, mail
from desk_app.services.lookup import ApplicantMatch, ProcedureChoice
from desk_app.ui import intake_state
from desk_app.ui.forms import FieldErrors, qt_moment
from desk_app.ui.intake_documents import DocumentsEditor
from desk_app.ui.intake_state import APPLICANT_FIELDS, PHONE_FIELDS
from desk_app.ui.procedure_picker import ProcedurePicker
from desk_app.ui.scan_panel import ScanPanel

# Validation waits for a pause in typing, so a half-typed number is not called wrong.
VALIDATE_DELAY_MS = 400
MAX_FEE = 2_000_000_000
MOMENT_FORMAT = "HH:mm dd/MM/yyyy"


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


class MomentEdit(QDateTimeEdit):
    """A date-time box that Tab leaves at once; the arrow keys move between its parts.

    QDateTimeEdit would spend five Tab presses walking hour, minute, day, month and year,
    which breaks the form's tab order for a keyboard-only officer.
    """

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def grouped(amount: int) -> str:
    """4000000 → '4.000.000', the way amounts are written in Vietnam."""
    return f"{amount:,}".replace(",", ".")


class IntakeForm(QWidget):
    """Every field of a new file; no buttons and no database access.

    Signals:
        changed(): something typed or chosen changed (the dialog saves its draft).
        lookup_wanted(): the identity number or phone was checked and may name a known applicant.
        received_edited(): the officer changed the receipt moment.
    """

    changed = Signal()
    lookup_wanted = Signal()
    received_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QLineEdit] = {}
        self.known: ApplicantMatch | None = None
        self.received_is_edited = False
        self._loading = False
        self._pending: set[str] = set()
        self._build_widgets()
        self._lay_out()
        self._connect()
        self.show_procedure(None)
        self._on_submitted_by_other_toggled(False)
        self._on_channel_changed()
        self._on_result_by_changed()

    # --- building ----------------------------------------------------------------------------

    def _line(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        if field in intake.TEXT_LIMITS:
            edit.setMaxLength(intake.TEXT_LIMITS[field])
        if placeholder:
            edit.setPlaceholderText(placeholder)
        self.fields[field] = edit
        return edit

    def _build_widgets(self) -> None:
        self.general_error = QLabel()
        self.general_error.setObjectName("error_general")
        self.errors = FieldErrors(self.general_error)

        self.procedure = ProcedurePicker()
        self.duration_label = QLabel()
        self.duration_label.setObjectName("processing_time")
        self.fee_label = QLabel()
        self.fee_label.setObjectName("usual_fee")
        self.appointment_label = QLabel()
        self.appointment_label.setObjectName("appointment")
        bold = QFont(self.appointment_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.appointment_label.setFont(bold)

        self.name = self._line("applicant_name", self.tr("As written on the identity card"))
        self.id_number = self._line("id_number", self.tr("CCCD, CMND, passport or tax code"))
        self.birth_year = self._line("birth_year", self.tr("Optional"))
        self.birth_year.setValidator(QIntValidator(1900, 2100, self.birth_year))
        self.birth_year.setMaxLength(4)
        self.birth_year.setFixedWidth(80)
        self.phone = self._line("phone", "09xx xxx xxx")
        self.email = self._line("email")
        # E-mail to the applicant (issue 16): only with this consent, worded as it is stored.
        self.mail_consent = QCheckBox(self.tr("Agrees to notices about this file by e-mail"))
        self.mail_consent.setObjectName("mail_consent")
        self.mail_consent.setEnabled(False)  # until an address is typed (then Tab stops on it)
        self.consent_wording = QLabel(mail.CONSENT_WORDING)
        self.consent_wording.setObjectName("consent_wording")
        self.consent_wording.setWordWrap(True)
        self.consent_wording.setStyleSheet("color: #555;")
        small = QFont(self.consent_wording.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.consent_wording.setFont(small)
        self.address = self._line("address")
        self.known_button = QPushButton()
        self.known_button.setObjectName("use_known_applicant")
        self.known_button.setAutoDefault(False)
        self.known_button.hide()

        self.submitted_by_other = QCheckBox(self.tr("Submitted by someone else"))
        self.submitted_by_other.setObjectName("submitted_by_other")
        self.submitter_name = self._line("submitter_name")
        self.submitter_id = self._line("submitter_id_number")
        self.submitter_phone = self._line("submitter_phone")
        self.authorisation = self._line(
            "authorisation", self.tr("e.g. power of attorney no. 12/UQ of 01/03/2026")
        )

        self.documents = DocumentsEditor()
        self.documents.table.setMinimumHeight(130)
        self.scans = ScanPanel(self.documents)
        self.sets_count = QSpinBox()
        self.sets_count.setObjectName("sets_count")
        self.sets_count.setRange(1, 99)
        self.sets_count.setFixedWidth(70)
        self.fee = QSpinBox()
        self.fee.setObjectName("fee_collected")
        self.fee.setRange(0, MAX_FEE)
        self.fee.setSingleStep(1000)
        self.fee.setGroupSeparatorShown(True)
        # Amounts are grouped the Vietnamese way (4.000.000), as on the printed forms.
        self.fee.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.fee.setSuffix(self.tr(" VND"))
        self.fee.setMinimumWidth(160)
        self.fee_note_label = QLabel()
        self.fee_note_label.setObjectName("fee_note")
        self.fee_note_label.setWordWrap(True)
        self.fee_note_label.setStyleSheet("color: #555;")
        self.received_at = MomentEdit()
        self.received_at.setObjectName("received_at")
        self.received_at.setDisplayFormat(MOMENT_FORMAT)
        self.received_at.setCalendarPopup(True)
        self.received_at.setMaximumWidth(200)
        self.received_at.setToolTip(self.tr("Change it for a file that arrived by post earlier"))
        self.backdate_reason = self._line(
            "backdate_reason", self.tr("Why it is entered only now (late entry)")
        )

        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for ch in Channel:
            self.channel.addItem(ch.label, ch.value)
        self.postal_number = self._line("postal_in_number", "RR123456785VN")
        self.postal_sender = self._line("postal_in_sender")
        self.result_by = QComboBox()
        self.result_by.setObjectName("result_by")
        for rb in ResultBy:
            self.result_by.addItem(rb.label, rb.value)
        self.delivery_name = self._line("delivery_name", self.tr("The applicant when empty"))
        self.delivery_phone = self._line("delivery_phone")
        self.delivery_address = self._line(
            "delivery_address", self.tr("The applicant's address when empty")
        )

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(48)
        self.notes.setMaximumHeight(110)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(VALIDATE_DELAY_MS)

    def _box(self, widget: QWidget, field: str) -> QWidget:
        """`widget` with its error label under it."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        lay.addWidget(self.errors.label_for(field, widget))
        return box

    def _pair(
        self,
        first: QWidget,
        field1: str,
        label: str,
        second: QWidget,
        field2: str,
        *,
        grow: bool = True,
    ) -> QWidget:
        """Two short fields on one line, each with its own error label under it."""
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._box(first, field1), 3 if grow else 0)
        caption = QLabel(label)
        # As tall as the field, so the caption sits on the field's line, not above it.
        caption.setMinimumHeight(second.sizeHint().height())
        caption.setBuddy(second)
        lay.addSpacing(8)
        lay.addWidget(caption, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self._box(second, field2), 2 if grow else 0)
        if not grow:
            lay.addStretch(1)
        return row

    def _lay_out(self) -> None:
        e = self.errors
        top = QFormLayout()
        e.add_row(top, self.tr("Procedure"), self.procedure, "procedure")
        info = QHBoxLayout()
        info.addWidget(self.duration_label)
        info.addSpacing(24)
        info.addWidget(self.fee_label)
        info.addStretch(1)
        info.addWidget(self.appointment_label)
        top.addRow("", info)

        applicant = QGroupBox(self.tr("Applicant (file owner)"))
        form = QFormLayout(applicant)
        e.add_row(form, self.tr("Full name"), self.name, "applicant_name")
        form.addRow(
            self.tr("Identity number"),
            self._pair(
                self.id_number, "id_number", self.tr("Birth year"), self.birth_year, "birth_year"
            ),
        )
        e.add_row(form, self.tr("Phone"), self.phone, "phone")
        e.add_row(form, self.tr("Email"), self.email, "email")
        form.addRow("", self.mail_consent)
        form.addRow("", self.consent_wording)
        e.add_row(form, self.tr("Address"), self.address, "address")
        form.addRow("", self.known_button)

        submitter = QGroupBox(self.tr("Submitter"))
        self.submitter_form = QFormLayout(submitter)
        sf = self.submitter_form
        sf.addRow(self.submitted_by_other)
        self.submitter_rows = (
            self._pair(
                self.submitter_name,
                "submitter_name",
                self.tr("Identity number"),
                self.submitter_id,
                "submitter_id_number",
            ),
            self._box(self.submitter_phone, "submitter_phone"),
            self._box(self.authorisation, "authorisation"),
        )
        for text, row in zip(
            (self.tr("Name"), self.tr("Phone"), self.tr("Authorisation")),
            self.submitter_rows,
            strict=True,
        ):
            sf.addRow(text, row)

        notes = QFormLayout()
        e.add_row(notes, self.tr("Notes"), self.notes, "notes")

        left = QVBoxLayout()
        left.addWidget(applicant)
        left.addWidget(submitter)
        left.addLayout(notes)
        left.addWidget(self.scans, 1)

        papers = QGroupBox(self.tr("Documents received"))
        pl = QVBoxLayout(papers)
        pl.addWidget(self.documents, 1)
        pl.addWidget(e.label_for("documents", self.documents.table))
        # A paper left unanswered: the focus goes where one key answers "scan the rest later".
        pl.addWidget(e.label_for("scans", self.scans.later_rest))
        counts = QFormLayout()
        counts.addRow(
            self.tr("Number of sets"),
            self._pair(
                self.sets_count,
                "sets_count",
                self.tr("Fee collected"),
                self.fee,
                "fee_collected",
                grow=False,
            ),
        )
        counts.addRow("", self.fee_note_label)
        e.add_row(counts, self.tr("Received at"), self.received_at, "received_at")
        # Shown only for a receipt moment earlier than now (DOMAIN §4.1 rule 8).
        self.backdate_box = self._box(self.backdate_reason, "backdate_reason")
        counts.addRow(self.tr("Reason for late entry"), self.backdate_box)
        counts.setRowVisible(self.backdate_box, False)
        self.counts_form = counts
        pl.addLayout(counts)

        route = QGroupBox(self.tr("Intake channel and result"))
        self.route_form = QFormLayout(route)
        rf = self.route_form
        e.add_row(rf, self.tr("Intake channel"), self.channel, "channel")
        self.postal_row = self._pair(
            self.postal_number,
            "postal_in_number",
            self.tr("Sender"),
            self.postal_sender,
            "postal_in_sender",
        )
        rf.addRow(self.tr("Postal item number"), self.postal_row)
        self.receipt_return = QComboBox()
        self.receipt_return.setObjectName("receipt_return")
        self.receipt_return.addItem(self.tr("Posted back to the applicant"), "post")
        self.receipt_return.addItem(self.tr("Kept at the desk"), "kept")
        rf.addRow(self.tr("Receipt"), self.receipt_return)
        e.add_row(rf, self.tr("Result by"), self.result_by, "result_by")
        self.delivery_rows = (
            self._pair(
                self.delivery_name,
                "delivery_name",
                self.tr("Phone"),
                self.delivery_phone,
                "delivery_phone",
            ),
            self._box(self.delivery_address, "delivery_address"),
        )
        rf.addRow(self.tr("Deliver to"), self.delivery_rows[0])
        rf.addRow(self.tr("Delivery address"), self.delivery_rows[1])

        right = QVBoxLayout()
        right.addWidget(papers, 1)
        right.addWidget(route)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)

    def tab_chain(self) -> list[QWidget]:
        """The fields in the order of the paper receipt (the dialog appends its buttons)."""
        return [
            self.procedure,
            self.name,
            self.id_number,
            self.birth_year,
            self.phone,
            self.email,
            self.mail_consent,
            self.address,
            self.known_button,
            self.submitted_by_other,
            self.submitter_name,
            self.submitter_id,
            self.submitter_phone,
            self.authorisation,
            self.documents.table,
            self.documents.add_button,
            self.documents.remove_button,
            self.sets_count,
            self.fee,
            self.received_at,
            self.channel,
            self.postal_number,
            self.postal_sender,
            self.receipt_return,
            self.result_by,
            self.delivery_name,
            self.delivery_phone,
            self.delivery_address,
            self.notes,
            *self.scans.tab_chain(),
        ]

    def _connect(self) -> None:
        self.procedure.chosen.connect(self._on_procedure_chosen)
        for field, edit in self.fields.items():
            edit.textChanged.connect(lambda _t, f=field: self._on_field_text_changed(f))
            edit.editingFinished.connect(lambda f=field: self.validate({f}))
        self.debounce.timeout.connect(self._on_debounce_timeout)
        self.known_button.clicked.connect(self._on_known_button_clicked)
        self.email.textChanged.connect(self._on_email_text_changed)
        self.submitted_by_other.toggled.connect(self._on_submitted_by_other_toggled)
        self.channel.currentIndexChanged.connect(self._on_channel_changed)
        self.result_by.currentIndexChanged.connect(self._on_result_by_changed)
        self.received_at.dateTimeChanged.connect(self._on_received_at_changed)
        for signal in (
            self.documents.changed,
            self.sets_count.valueChanged,
            self.fee.valueChanged,
            self.notes.textChanged,
            self.submitted_by_other.toggled,
            self.mail_consent.toggled,
            self.channel.currentIndexChanged,
            self.result_by.currentIndexChanged,
        ):
            signal.connect(self._on_form_changed)

    # --- procedure, fee and appointment ------------------------------------------------------

    def _duration_text(self, choice: ProcedureChoice) -> str:
        n = _number(choice.duration)
        unit = DurationUnit(choice.unit)
        if unit is DurationUnit.WORKING_DAYS:
            return self.tr("{0} working days").format(n)
        if unit is DurationUnit.WORKING_HOURS:
            return self.tr("{0} working hours").format(n)
        if unit is DurationUnit.CALENDAR_DAYS:
            return self.tr("{0} days").format(n)
        if unit is DurationUnit.SAME_DAY:
            return self.tr("Same day")
        return self.tr("No time limit")

    def _weekday(self, moment: datetime) -> str:
        names = (
            self.tr("Monday"),
            self.tr("Tuesday"),
            self.tr("Wednesday"),
            self.tr("Thursday"),
            self.tr("Friday"),
            self.tr("Saturday"),
            self.tr("Sunday"),
        )
        return names[moment.weekday()]

    def show_appointment(self, due: datetime | None) -> None:
        if due is None:
            text = self.tr("Appointment: no time limit")
        else:
            text = self.tr("Appointment: {0}, {1} {2}").format(
                due.strftime("%H:%M"), self._weekday(due), due.strftime("%d/%m/%Y")
            )
        self.appointment_label.setText(text)

    def show_procedure(self, choice: ProcedureChoice | None) -> None:
        if choice is None:
            self.duration_label.setText(self.tr("Processing time: —"))
            self.fee_label.setText("")
            self.fee_note_label.hide()
            self.appointment_label.setText(self.tr("Appointment: choose a procedure"))
            return
        self.duration_label.setText(
            self.tr("Processing time: {0}").format(self._duration_text(choice))
        )
        self.fee_label.setText(
            self.tr("Usual fee: {0} VND").format(grouped(choice.fee))
            if choice.fee is not None
            else self.tr("Usual fee: none set")
        )
        self.fee_note_label.setText(" ".join(choice.fee_note.split()))
        self.fee_note_label.setVisible(bool(choice.fee_note.strip()))

    def _on_procedure_chosen(self, choice: ProcedureChoice | None) -> None:
        self.show_procedure(choice)
        if choice is not None:
            self.errors.clear("procedure")
            self.documents.model.set_checklist(choice.documents)
            self.fee.setValue(choice.fee or 0)
        self._on_form_changed()

    def set_received(self, moment: datetime) -> None:
        """Show the receipt moment without counting it as the officer's edit."""
        with self.quiet():
            self.received_at.setDateTime(qt_moment(moment.replace(second=0, microsecond=0)))

    def received(self, now: datetime) -> datetime:
        """The receipt moment: as typed, or `now` when the officer left the field alone."""
        if not self.received_is_edited:
            return now.replace(second=0, microsecond=0)
        value = self.received_at.dateTime().toPython()
        assert isinstance(value, datetime)
        return value.replace(second=0, microsecond=0)

    def show_backdate_reason(self, now: datetime) -> None:
        """Ask for the reason when the receipt moment is earlier than `now`."""
        earlier = self.received(now) < now.replace(second=0, microsecond=0)
        self.counts_form.setRowVisible(self.backdate_box, earlier)

    def _on_received_at_changed(self) -> None:
        if self._loading:
            return
        self.received_is_edited = True
        self.received_edited.emit()
        self._on_form_changed()

    # --- validation as typed and the known applicant -----------------------------------------

    def _on_field_text_changed(self, field: str) -> None:
        if self._loading:
            return
        if field == "birth_year":
            self._pending.add("id_number")
        self._pending.add(field)
        self.debounce.start()
        self._on_form_changed()

    def _on_email_text_changed(self, text: str) -> None:
        self.mail_consent.setEnabled(bool(text.strip()))

    def _on_debounce_timeout(self) -> None:
        pending, self._pending = self._pending, set()
        # An empty name is only reported when the officer leaves the field.
        if "applicant_name" in pending and not self.name.text().strip():
            pending.discard("applicant_name")
            self.errors.clear("applicant_name")
        self.validate(pending)

    def validate(self, fields: set[str]) -> None:
        """Show the core's message (or nothing) next to each of `fields`."""
        if self._loading:
            return
        errors = intake_state.field_errors(self)
        for field in fields & {*APPLICANT_FIELDS, *PHONE_FIELDS}:
            self.errors.set(field, errors.get(field, ""))
        if fields & {"id_number", "phone"}:
            self.lookup_wanted.emit()

    def offer_known(self, match: ApplicantMatch | None) -> None:
        """Offer an earlier file's applicant, unless the form already holds those details."""
        typed = (self.name.text().strip(), self.address.text().strip(), self.email.text().strip())
        same = match is not None and typed == (match.name, match.address or "", match.email or "")
        self.known = None if same else match
        if self.known is None:
            self.known_button.hide()
            return
        self.known_button.setText(
            self.tr("Use details from an earlier file: {0}").format(self.known.name)
        )
        self.known_button.setToolTip(self.tr("Latest file: {0}").format(self.known.last_file))
        self.known_button.show()

    def _on_known_button_clicked(self) -> None:
        match = self.known
        if match is None:
            return
        for edit, value in (
            (self.name, match.name),
            (self.id_number, match.id_number),
            (self.phone, match.phone),
            (self.email, match.email),
            (self.address, match.address),
        ):
            if value:
                edit.setText(value)
        self.known_button.hide()
        self.known = None
        self.validate(set(APPLICANT_FIELDS))
        self.address.setFocus()

    # --- showing and hiding the optional parts -----------------------------------------------

    @staticmethod
    def _show_rows(form: QFormLayout, rows: tuple[QWidget, ...], on: bool) -> None:
        for row in rows:
            form.setRowVisible(row, on)

    def _on_submitted_by_other_toggled(self, on: bool) -> None:
        self._show_rows(self.submitter_form, self.submitter_rows, on)

    def _on_channel_changed(self, *_args: object) -> None:
        postal = self.channel.currentData() == Channel.POSTAL.value
        self.documents.model.set_online(self.channel.currentData() == Channel.ONLINE.value)
        self._show_rows(self.route_form, (self.postal_row, self.receipt_return), postal)

    def _on_result_by_changed(self, *_args: object) -> None:
        post = self.result_by.currentData() == ResultBy.POST.value
        self._show_rows(self.route_form, self.delivery_rows, post)

    def _on_form_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    # --- the form as data (desk_app.ui.intake_state) -------------------------------------------

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made inside are the program's, not the officer's: no signal, no validation."""
        before, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = before

    def applicant(self) -> intake.ApplicantInput:
        return intake_state.applicant_input(self)

    def has_input(self) -> bool:
        """Whether closing now would throw away anything the officer typed."""
        return intake_state.has_input(self)

    def intake_input(self, now: datetime) -> intake.IntakeInput:
        """What the core gets: empty optional fields are None; hidden parts are left out."""
        data = intake_state.intake_input(self, now)
        agreed = self.mail_consent.isChecked() and self.mail_consent.isEnabled()
        return replace(data, mail_consent=agreed)

    def state(self) -> dict[str, object]:
        """Everything typed, as plain JSON data (the crash draft)."""
        return {**intake_state.form_state(self), "mail_consent": self.mail_consent.isChecked()}

    def restore(self, state: dict[str, object]) -> None:
        """Put a saved state back (parts that are missing or damaged are skipped)."""
        intake_state.restore_state(self, state)
        with self.quiet():
            self.mail_consent.setChecked(state.get("mail_consent") is True)
