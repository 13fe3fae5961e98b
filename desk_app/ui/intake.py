"""The intake dialog: a new file accepted with its receipt and its scans, or refused, or sent back
for papers."""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.digitising import LineState
from desk_app.errors import ServerOfflineError, ValidationError
from desk_app.services import intake, intake_scans, lookup, printing, tickets
from desk_app.services.intake_guide import GuideSlip, issue_intake_supplement
from desk_app.services.lookup import ApplicantMatch, ProcedureChoice
from desk_app.services.printing import PrintedDocument, SlipKind
from desk_app.services.views import FileView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.file_names import slip_file_name
from desk_app.ui.intake_draft import DRAFT_NAME, read_draft, remove_draft, write_draft
from desk_app.ui.intake_form import IntakeForm
from desk_app.ui.scan_folder import TakenScans

# The draft is written shortly after each change and, as a safety net, every few seconds.
DRAFT_DELAY_MS = 1000
DRAFT_INTERVAL_MS = 5000


class IntakeDialog(QDialog):
    """Accept a file (or refuse it, or hand out a supplement request) at the counter.

    Ctrl+Enter (or Ctrl+Return) accepts the file and opens its receipt in the print preview.
    Ctrl+P does the same: the preview is where the receipt is printed or saved as PDF, so
    "save and print" is one step for the officer either way. The file's scans (or why a paper
    is not scanned) are saved in the same transaction as the file (services/intake_scans.py);
    a paper left without either is named next to the papers and nothing is saved.

    Signals:
        accepted_file(object): the FileView of the new file, also for a refused one.
    """

    accepted_file = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("intake_dialog")
        self.setWindowTitle(self.tr("New file"))
        self.draft_path = ctx.db.local_dir() / DRAFT_NAME
        self.due: datetime | None = None
        self._busy = False
        # The queue ticket the counter called (issue 16): linked to the file saved or refused.
        self.ticket_id: int | None = None

        self._build_widgets()
        self._lay_out()
        self._connect()
        self._load()

    # --- building ----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.form = IntakeForm()
        self.accept_button = QPushButton(self.tr("Accept file"))
        self.accept_button.setObjectName("accept_file")
        self.accept_button.setToolTip(self.tr("Ctrl+Enter: accept and open the receipt"))
        self.supplement_button = QPushButton(self.tr("Request supplement…"))
        self.supplement_button.setObjectName("request_supplement")
        self.supplement_button.setToolTip(
            self.tr("Papers are missing: give a supplement request without accepting the file")
        )
        self.refuse_button = QPushButton(self.tr("Refuse…"))
        self.refuse_button.setObjectName("refuse")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel")
        # Enter in a field must never save a half-checked file by accident: Ctrl+Enter does.
        for button in self._buttons():
            button.setAutoDefault(False)
            button.setDefault(False)

        self.draft_soon = QTimer(self)
        self.draft_soon.setSingleShot(True)
        self.draft_soon.setInterval(DRAFT_DELAY_MS)
        self.draft_timer = QTimer(self)
        self.draft_timer.setInterval(DRAFT_INTERVAL_MS)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.accept_button, self.supplement_button, self.refuse_button, self.cancel_button)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.supplement_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)
        self.resize(1200, 740)
        # The order of the paper receipt, then the buttons (accept first).
        self.tab_chain: list[QWidget] = [*self.form.tab_chain(), *self._buttons()]
        for first, second in itertools.pairwise(self.tab_chain):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        f = self.form
        f.procedure.chosen.connect(self._on_form_procedure_chosen)
        f.received_edited.connect(self.refresh_due)
        f.lookup_wanted.connect(self._on_form_lookup_wanted)
        f.changed.connect(self.draft_soon.start)
        f.documents.changed.connect(self._on_documents_changed)
        self.draft_soon.timeout.connect(self.save_draft)
        self.draft_timer.timeout.connect(self._on_draft_timer_timeout)
        self.accept_button.clicked.connect(self.save)
        self.refuse_button.clicked.connect(self.refuse)
        self.supplement_button.clicked.connect(self.request_supplement)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+P"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)

    def _load(self) -> None:
        self.form.set_received(self.ctx.now())
        taken = TakenScans.beside(self.ctx.prefs.path)  # scans of earlier files: not offered
        self.form.scans.watch(self.ctx.prefs.scan_folder, self.ctx.db.path, taken=taken)
        self.form.procedure.setFocus()
        scope = self.ctx.scope  # the catalogues of the agencies the officer works for here
        self.ctx.ops.read(
            lambda s: lookup.list_procedures(s, scope=scope),
            self._on_procedures_loaded,
            self._on_error,
            owner=self,
        )

    def _on_procedures_loaded(self, choices: list[ProcedureChoice]) -> None:
        self.form.procedure.set_choices(choices)
        self.offer_draft()
        self.draft_timer.start()

    # --- the live appointment and the known applicant ----------------------------------------

    def _on_form_procedure_chosen(self, _choice: ProcedureChoice | None) -> None:
        self.refresh_due()

    def refresh_due(self) -> None:
        """Recompute the appointment shown for the chosen procedure and receipt moment."""
        self.form.show_backdate_reason(self.ctx.now())
        choice = self.form.procedure.choice()
        if choice is None:
            self.due = None
            return
        code, agency = choice.code, choice.agency
        received = self.form.received(self.ctx.now())

        def job(s: Session) -> datetime | None:
            return lookup.preview_due(s, code, received, agency=agency)

        def done(due: datetime | None) -> None:
            if self.form.procedure.choice() != choice:
                return  # another procedure was chosen meanwhile
            self.due = due
            self.form.show_appointment(due)

        self.ctx.ops.read(job, done, self._on_error, owner=self)

    def _on_form_lookup_wanted(self) -> None:
        id_number, phone = self.form.id_number.text(), self.form.phone.text()

        def job(s: Session) -> ApplicantMatch | None:
            return lookup.find_applicant(s, id_number=id_number, phone=phone)

        self.ctx.ops.read(job, self.form.offer_known, self._on_error, owner=self)

    def _on_draft_timer_timeout(self) -> None:
        # An untouched receipt moment follows the clock, and so does the appointment shown.
        if not self.form.received_is_edited:
            now = self.ctx.now().replace(second=0, microsecond=0)
            if self.form.received_at.dateTime().toPython() != now:
                self.form.set_received(now)
                self.refresh_due()
        else:
            self.form.show_backdate_reason(self.ctx.now())
        self.save_draft()

    # --- the crash draft -----------------------------------------------------------------------

    def save_draft(self) -> None:
        if self._busy:
            return
        if self.form.has_input():
            write_draft(self.draft_path, self.form.state())
        else:
            remove_draft(self.draft_path)

    def discard_draft(self) -> None:
        self.draft_soon.stop()
        self.draft_timer.stop()
        self.form.scans.stop()  # the form is done with: no more scans to offer
        remove_draft(self.draft_path)

    def offer_draft(self) -> bool:
        """Offer the form left unsaved last time (e.g. after a crash); True when restored."""
        state = read_draft(self.draft_path)
        if state is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Restore unsaved form?"),
            self.tr(
                "An intake form was not saved last time (last change {0}). Restore what was typed?"
            ).format(str(state.get("saved_at", "")).replace("T", " ")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            remove_draft(self.draft_path)
            return False
        self.form.restore(state)
        self.refresh_due()
        return True

    # --- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, Cancel and the window's X: ask before throwing typed input away."""
        if self._busy:
            return
        if self.form.has_input():
            answer = QMessageBox.question(
                self,
                self.tr("Discard this form?"),
                self.tr("The form has input that is not saved. Close it and discard the input?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.discard_draft()
        super().reject()

    def _finish(self) -> None:
        """After a file or a slip is issued: nothing is left to lose."""
        self.discard_draft()
        self._set_busy(False)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in self._buttons():
            button.setEnabled(not busy)

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ServerOfflineError):
            # Nothing was written (the transaction never committed); the form and its draft
            # are kept, and the window retries the server on its own.
            exc = ServerOfflineError(
                self.tr(
                    "Lost the connection to the centre's database server ({0}); the file was not "
                    "saved. The file you are entering is kept: once the connection is back, "
                    "press {1} again."
                ).format(self.ctx.db.label, self.accept_button.text())
            )
        if isinstance(exc, ValidationError) and exc.field in ("reason", intake_scans.FIELD):
            # A paper's scan or reason: said beside the papers, naming them.
            exc = ValidationError(self._scan_problem() or exc.message, field=intake_scans.FIELD)
        if not self.form.errors.show_error(exc):
            show_error(self, exc)
        elif not self.form.errors.message(intake_scans.FIELD):
            # The core stops at the first wrong field; the papers' scans are checked here too.
            self.form.errors.set(intake_scans.FIELD, self._scan_problem())

    def _show_pdf(self, pdf: bytes, title: str, file_name: str) -> None:
        from desk_app.ui.preview import show_pdf

        # The preview outlives this dialog, so it belongs to the window that opened the form.
        show_pdf(self.parentWidget(), pdf, title, file_name)

    # --- accept, refuse, request a supplement --------------------------------------------------

    def _scan_problem(self) -> str:
        """What the papers' scans still lack ("" when nothing): papers with neither a scan nor
        an answer, and exceptions without their reason."""
        model = self.form.documents.model
        open_rows = [f"{i + 1}. {model.row_at(i).name}" for i in model.unanswered()]
        if open_rows:
            return self.tr(
                "Papers without a scan: {0}. Assign a scan, or choose “Scan later” or why the "
                "paper is not scanned (with its reason)."
            ).format("; ".join(open_rows))
        no_reason = [
            f"{i + 1}. {r.name}"
            for i, r in enumerate(model.rows())
            if r.received
            and r.scan_state
            and r.scan_state != LineState.SCAN_LATER
            and not r.scan_reason.strip()
        ]
        if no_reason:
            return self.tr("Write why these papers are not scanned: {0}.").format(
                "; ".join(no_reason)
            )
        return ""

    def _on_documents_changed(self) -> None:
        # A message about the papers' scans follows the answers as they are given.
        if self.form.errors.message(intake_scans.FIELD):
            self.form.errors.set(intake_scans.FIELD, self._scan_problem())

    def save(self) -> None:
        """Accept the file and its scans, announce it, then print its receipt into the preview.
        The scans are read on the worker, in the transaction that saves the file."""
        if self._busy:
            return
        self.form.errors.clear()
        ctx, now = self.ctx, self.ctx.now()
        data = self.form.intake_input(now)
        plan = self.form.documents.model.scan_plan()
        # Shown at once, beside the other fields' messages; the core refuses the same file.
        self.form.errors.set(intake_scans.FIELD, self._scan_problem())
        self._set_busy(True)

        ticket_id = self.ticket_id

        def job(s: Session) -> FileView:
            view = intake.accept_file(s, data, ctx.actor, now=now)
            intake_scans.save_intake_scans(s, view.code, plan, ctx.actor, now)
            tickets.link_called_ticket(s, ticket_id, view.code, now)
            return view

        self.ctx.ops.write(
            job, self._on_saved, self._on_error, changes=_file_changed, owner=self, label="accept"
        )

    def _on_saved(self, view: FileView) -> None:
        self.form.scans.remember_saved()
        self.discard_draft()
        self.accepted_file.emit(view)
        self._print(view, SlipKind.RECEIPT)

    def _print(self, view: FileView, kind: SlipKind) -> None:
        ctx, now = self.ctx, self.ctx.now()

        def job(s: Session) -> PrintedDocument:
            return printing.print_slip(s, view.code, kind, ctx.actor, now=now)

        def done(doc: PrintedDocument) -> None:
            self._finish()
            self._show_pdf(doc.pdf, kind.label, slip_file_name(kind, view.code, doc.number))

        def failed(exc: BaseException) -> None:
            # The file is saved: its slip can be printed again from the file's detail.
            self._finish()
            show_error(self.parentWidget(), exc)

        # The slip is archived with the file: the file panel's slips tab lists it at once.
        slips = Change(frozenset({"slips"}), frozenset({view.code}), frozenset({view.id}))
        self.ctx.ops.write(job, done, failed, changes=slips, owner=self, label="print")

    def refuse(self) -> None:
        """Refuse the file at the desk (it still gets a code) and open the refusal slip."""
        if self._busy:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Refuse the file"),
            self.tr("Reason for refusing (printed on the refusal slip, required):"),
        )
        if not ok:
            return
        self.form.errors.clear()
        ctx, now = self.ctx, self.ctx.now()
        data = self.form.intake_input(now)
        self._set_busy(True)

        ticket_id = self.ticket_id

        def job(s: Session) -> FileView:
            view = intake.refuse_file(s, data, reason, ctx.actor, now=now)
            tickets.link_called_ticket(s, ticket_id, view.code, now)
            return view

        def done(view: FileView) -> None:
            self.discard_draft()
            self.accepted_file.emit(view)
            self._print(view, SlipKind.REFUSAL)

        self.ctx.ops.write(
            job, done, self._on_error, changes=_file_changed, owner=self, label="refuse"
        )

    def request_supplement(self) -> None:
        """Give the applicant a supplement request instead of accepting the file."""
        from desk_app.ui.intake_supplement import ask_supplement

        if self._busy:
            return
        answer = ask_supplement(self, self.form.documents.model.missing())
        if answer is None:
            return
        reason, items = answer
        self.form.errors.clear()
        ctx, now = self.ctx, self.ctx.now()
        data = self.form.intake_input(now)
        self._set_busy(True)

        def job(s: Session) -> GuideSlip:
            return issue_intake_supplement(s, data, reason, items, ctx.actor, now=now)

        def done(slip: GuideSlip) -> None:
            self._finish()
            name = slip_file_name(SlipKind.SUPPLEMENT, None, slip.number)
            self._show_pdf(slip.pdf, SlipKind.SUPPLEMENT.label, name)

        # No file is created; the slip is numbered and archived for the desk's register.
        self.ctx.ops.write(
            job, done, self._on_error, changes=Change.of("slips"), owner=self, label="supplement"
        )


def _file_changed(view: FileView) -> Change:
    return Change(frozenset({"files"}), frozenset({view.code}), frozenset({view.id}))
