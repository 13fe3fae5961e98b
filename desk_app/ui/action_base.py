"""What every action dialog shares: fields with their errors, the moment, the write job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError, FieldsError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.forms import FieldErrors, MomentEdit, qt_moment

MOMENT_FORMAT = "dd/MM/yyyy HH:mm"

# The service call, built on the GUI thread from the typed input and run on the worker.
Write = Callable[[Session], FileView]


@dataclass(frozen=True)
class SlipPdf:
    """A printed form to show after the step: its bytes, the preview title, a file name."""

    pdf: bytes
    title: str
    file_name: str


Printer = Callable[[Session, FileView], SlipPdf]


@dataclass(frozen=True)
class ActionOutcome:
    """What a finished action leaves: the new file, and its slip (or why it did not print)."""

    view: FileView
    slip: SlipPdf | None = None
    print_error: BaseException | None = None


def minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def moment_of(edit: QDateTimeEdit) -> datetime:
    """The edit's moment to the minute, as a naive local datetime like the core's."""
    value = edit.dateTime().toPython()
    if not isinstance(value, datetime):  # PySide6 types toPython() as object
        raise TypeError(f"unexpected {value!r}")
    return minute(value)


def last_slip_number(view: FileView, action: str) -> str | None:
    """The slip number of the newest `action` event (status moves are kept in time order)."""
    for event in reversed(view.events):
        if event.action == action:
            number = (event.data or {}).get("slip_number")
            return str(number) if number else None
    return None


class ActionDialog(QDialog):
    """Base of the action dialogs: a form whose errors sit next to their fields.

    Subclasses add their fields with `add_field` and implement `write()` (read the input on the
    GUI thread, return the service call); a step with a printed form also overrides
    `slip_printer()`. `submit()` (OK, Enter, Ctrl+Return) runs the write, then the print, as one
    job through ctx.runner. On success the dialog is accepted with `outcome` set; when the core
    refuses, the dialog stays open with everything typed still there.
    """

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.view = view
        self.ctx = ctx
        self.outcome: ActionOutcome | None = None
        self._busy = False
        self._fields: set[str] = set()
        self._moment_default: datetime | None = None
        self.moment: QDateTimeEdit | None = None

        self.setMinimumWidth(500)
        header = QLabel(
            self.tr("File {code} — {name}").format(code=view.code, name=view.applicant_name)
        )
        header.setObjectName("actionFile")
        header.setWordWrap(True)
        header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        status = QLabel(self.tr("Status: {0}").format(view.status.label))
        status.setObjectName("actionStatus")
        self.general = QLabel()
        self.general.setObjectName("error_general")
        self.errors = FieldErrors(self.general, clear_on_edit=True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self._button(QDialogButtonBox.StandardButton.Ok, "dialog_ok")
        self.ok_button.setToolTip(self.tr("Ctrl+Enter"))
        self._button(QDialogButtonBox.StandardButton.Cancel, "dialog_cancel")

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(status)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.submit)

    def set_texts(self, title: str, ok_text: str) -> None:
        """The window title and the OK button's words (each dialog says what it does)."""
        self.setWindowTitle(title)
        self.ok_button.setText(ok_text)

    def _button(self, which: QDialogButtonBox.StandardButton, name: str) -> QPushButton:
        button = self.buttons.button(which)
        button.setObjectName(name)
        return button

    # --- building ----------------------------------------------------------------------------

    def add_field(self, text: str, widget: QWidget, field: str) -> None:
        """A row `text: widget` with the error label of the core's `field` under it."""
        widget.setObjectName(field)
        self.errors.add_row(self.form, text, widget, field)
        self._fields.add(field)
        if field != "at" and getattr(self, "_first_input", None) is None:
            # The cursor starts in the first thing to type (the reason, the agency, ...), not
            # in the moment, which is usually left at "now".
            self._first_input = widget
            widget.setFocus()

    def add_moment(self, text: str) -> QDateTimeEdit:
        """When the step happened: now, or earlier to record something done before."""
        now = minute(self.ctx.now())
        edit = MomentEdit(qt_moment(now))
        edit.setDisplayFormat(MOMENT_FORMAT)
        edit.setCalendarPopup(True)
        edit.setToolTip(self.tr("Set an earlier moment to record a step done before."))
        self._moment_default = now
        self.moment = edit
        self.add_field(text, edit, "at")
        return edit

    def moment_value(self) -> datetime | None:
        """The moment typed, or None when left at "now" (the core then dates it when it runs)."""
        if self.moment is None:
            return None
        value = moment_of(self.moment)
        return None if value == self._moment_default else value

    def move_input(self, note: str = "") -> MoveInput:
        return MoveInput(
            self.view.code, expected_version=self.view.version, note=note, at=self.moment_value()
        )

    def field_alias(self, field: str) -> str:
        """The dialog field showing the core's `field` (subclasses map core names to theirs)."""
        return field

    # --- what subclasses provide -------------------------------------------------------------

    def write(self) -> Write:
        raise NotImplementedError

    def slip_printer(self) -> Printer | None:
        return None

    # --- running -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def submit(self) -> None:
        """Perform the step; the dialog closes only when the core accepted it."""
        if self._busy:
            return
        self.errors.clear()
        try:
            write = self.write()
        except DeskError as exc:
            self.show_failure(exc)
            return
        printer = self.slip_printer()
        label = self.windowTitle()

        def written(view: FileView) -> None:
            if printer is None:
                self._on_job_done(ActionOutcome(view))
                return
            # The step is committed on its own: a form that fails to render must not undo it.
            self.ctx.ops.write(
                lambda s: printer(s, view),
                lambda slip: self._on_job_done(ActionOutcome(view, slip)),
                lambda exc: self._on_job_done(ActionOutcome(view, None, exc)),
                # The first print of a numbered slip is archived: the panel's slips grew.
                changes=Change(frozenset({"slips"}), frozenset({view.code}), frozenset({view.id})),
                owner=self,
                label=label,
            )

        self._set_busy(True)
        self.ctx.ops.write(
            write,
            written,
            self._on_job_failed,
            changes=lambda v: Change(frozenset({"files"}), frozenset({v.code}), frozenset({v.id})),
            owner=self,
            label=label,
        )

    def show_failure(self, exc: BaseException) -> None:
        """A refusal about a field goes next to it; anything else in a message box."""
        if isinstance(exc, FieldsError):
            self.errors.show({self.field_alias(f): m for f, m in exc.errors.items()})
            return
        if isinstance(exc, DeskError) and exc.field is not None:
            field = self.field_alias(exc.field)
            if field in self._fields:
                self.errors.show({field: exc.message})
                return
        show_error(self, exc)

    def reject(self) -> None:
        # Closing while the write runs would hide whether it happened.
        if not self._busy:
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok_button.setEnabled(not busy)

    def _on_job_done(self, outcome: ActionOutcome) -> None:
        self._set_busy(False)
        self.outcome = outcome
        self.accept()

    def _on_job_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_failure(exc)
