"""The Desk tab: identity printed on the forms, office hours, cut-off and form options."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskError
from desk_app.printing.formset import available_form_sets
from desk_app.services import calendar_moves, desk
from desk_app.services.views import SettingsView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.agencies import AgencyChooser
from desk_app.ui.settings.common import Notice, Pending, confirm_moves, write

_TEXT_FIELDS = (
    "governing_body",
    "agency_name",
    "unit_name",
    "agency_id",
    "place_name",
    "phone",
    "lookup_url",
    "office_hours",
    "due_soon_days",
    "supplement_suffix",
    "refusal_suffix",
    "apology_suffix",
)


class DeskTab(QWidget):
    """Edits one agency's settings row through `desk.update_settings`; Save announces
    Change.of("settings"). With several agencies, the chooser at the top picks which."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("deskTab")

        # Widgets.
        self.chooser = AgencyChooser(ctx)
        self.edits: dict[str, QLineEdit] = {}
        for name in _TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            self.edits[name] = edit
        self.edits["agency_id"].setPlaceholderText(self.tr("e.g. 000.00.20.H37"))
        self.edits["office_hours"].setPlaceholderText("07:00-11:30,13:30-17:00")
        self.edits["lookup_url"].setPlaceholderText(self.tr("Web address for file look-up"))
        self.cutoff = QTimeEdit()
        self.cutoff.setObjectName("cutoff")
        self.cutoff.setDisplayFormat("HH:mm")
        self.max_reschedules = QSpinBox()
        self.max_reschedules.setObjectName("max_reschedules")
        self.max_reschedules.setRange(0, 9)
        self.form_set = QComboBox()
        self.form_set.setObjectName("form_set")
        self.form_set.addItems(list(available_form_sets()))
        self.receipt_layout = QComboBox()
        self.receipt_layout.setObjectName("receipt_layout")
        self.receipt_layout.addItem(self.tr("Each copy on its own A4 sheet"), "two_sheets")
        self.receipt_layout.addItem(self.tr("Both copies on one A4 sheet"), "half_sheets")
        self.reprint_mark = QCheckBox(self.tr("Mark reprinted slips as reprints"))
        self.reprint_mark.setObjectName("reprint_mark")
        # No file is received at the counter before it (older ones: `files import`).
        self.first_day = QDateEdit()
        self.first_day.setObjectName("first_day")
        self.first_day.setDisplayFormat("dd/MM/yyyy")
        self.first_day.setCalendarPopup(True)
        self._first_day_shown: date | None = None
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveDesk")
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.revert_button.setObjectName("revertDesk")
        self.notice = Notice("deskNotice")
        self.general_error = QLabel()
        self.general_error.setObjectName("deskError")
        self.errors = FieldErrors(self.general_error)
        self.pending = Pending(self.save_button, self.revert_button, self.chooser.combo)

        # Layout.
        identity = QGroupBox(self.tr("Identity (printed on the forms)"))
        form = QFormLayout(identity)
        e, add = self.edits, self.errors.add_row
        add(form, self.tr("Governing body"), e["governing_body"], "governing_body")
        add(form, self.tr("Agency name"), e["agency_name"], "agency_name")
        add(form, self.tr("Unit name"), e["unit_name"], "unit_name")
        add(form, self.tr("Agency identifier"), e["agency_id"], "agency_id")
        add(form, self.tr("Place name for dates"), e["place_name"], "place_name")
        add(form, self.tr("Phone"), e["phone"], "phone")
        add(form, self.tr("Look-up address"), e["lookup_url"], "lookup_url")
        rules = QGroupBox(self.tr("Hours and rules"))
        form = QFormLayout(rules)
        add(form, self.tr("Office hours"), e["office_hours"], "office_hours")
        add(form, self.tr("Same-day cut-off"), self.cutoff, "cutoff")
        add(form, self.tr("Due soon (working days)"), e["due_soon_days"], "due_soon_days")
        add(form, self.tr("Appointments moved at most"), self.max_reschedules, "max_reschedules")
        add(form, self.tr("Supplement slip suffix"), e["supplement_suffix"], "supplement_suffix")
        add(form, self.tr("Refusal slip suffix"), e["refusal_suffix"], "refusal_suffix")
        add(form, self.tr("Apology letter suffix"), e["apology_suffix"], "apology_suffix")
        add(form, self.tr("Form set"), self.form_set, "form_set")
        add(form, self.tr("Receipt layout"), self.receipt_layout, "receipt_layout")
        add(form, self.tr("First day at the desk"), self.first_day, "first_day")
        form.addRow("", self.reprint_mark)
        columns = QHBoxLayout()
        columns.addWidget(identity, 1)
        columns.addWidget(rules, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.chooser)
        lay.addLayout(columns)
        lay.addStretch(1)
        lay.addLayout(buttons)

        # Signals.
        self.save_button.clicked.connect(self._on_save_clicked)
        self.revert_button.clicked.connect(self.load)
        self.chooser.chosen.connect(lambda _agency: self._on_agency_chosen())

        # State.
        self.load()

    def agency(self) -> int:
        """The agency whose settings the tab shows."""
        return self.chooser.agency()

    def load(self) -> None:
        """Show what the database holds (drops unsaved edits)."""
        agency = self.agency()
        self.ctx.ops.read(lambda s: desk.get_settings(s, agency), self._on_loaded, owner=self)

    def _on_agency_chosen(self) -> None:
        self.notice.clear_notice()
        self.load()

    def _on_loaded(self, view: SettingsView) -> None:
        self._show(view)
        self.errors.clear()

    def _show(self, view: SettingsView) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(getattr(view, name)))
        self.cutoff.setTime(QTime(view.cutoff.hour, view.cutoff.minute))
        self.max_reschedules.setValue(view.max_reschedules)
        self.form_set.setCurrentText(view.form_set)
        self.receipt_layout.setCurrentIndex(
            max(0, self.receipt_layout.findData(view.receipt_layout))
        )
        self.reprint_mark.setChecked(view.reprint_mark)
        shown = view.first_day or self.ctx.now().date()
        self.first_day.setDate(QDate(shown.year, shown.month, shown.day))
        self._first_day_shown = self._first_day()

    def _first_day(self) -> date:
        value = self.first_day.date().toPython()
        assert isinstance(value, date)
        return value

    def data(self) -> desk.IdentityInput:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return desk.IdentityInput(
            **texts,
            cutoff=self.cutoff.time().toString("HH:mm"),
            max_reschedules=self.max_reschedules.value(),
            form_set=self.form_set.currentText(),
            receipt_layout=str(self.receipt_layout.currentData()),
            reprint_mark=self.reprint_mark.isChecked(),
            # Sent only when edited: a desk without one keeps none until set on purpose.
            first_day=None if self._first_day() == self._first_day_shown else self._first_day(),
        )

    def _on_save_clicked(self) -> None:
        if self.pending.running:
            return
        self.errors.clear()
        self.notice.clear_notice()
        data = self.data()
        missing = {
            name: self.tr("Required.")
            for name in ("agency_name", "agency_id", "place_name")
            if not self.edits[name].text().strip()
        }
        if missing:
            self.errors.show(missing)
            return
        self.pending.begin()
        ctx = self.ctx
        agency = self.agency()
        confirm_moves(
            ctx,
            self,
            lambda s: calendar_moves.preview_hours(
                s, data.office_hours, data.cutoff, agency=agency
            ),
            lambda: write(
                ctx,
                self,
                lambda s: desk.update_settings(s, data, ctx.actor, now=ctx.now(), agency=agency),
                Change.of("settings"),
                lambda view: self._on_saved(view, data),
                self._on_refused,
                self.pending,
            ),
            self.pending,
        )

    def _on_saved(self, view: SettingsView, sent: desk.IdentityInput) -> None:
        # The core's normalised values (upper-cased identifier, ...), unless the user went on
        # typing while the save ran: that is not thrown away.
        if self.data() == sent:
            self._show(view)
        self.notice.ok(self.tr("Saved."))

    def _on_refused(self, exc: DeskError) -> None:
        self.errors.show_error(exc)
