"""The overdue watch's batch dialogs: reschedule many files, record a reason for delay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError, FieldsError
from desk_app.services import amend, printing, watch
from desk_app.services.printing import SlipKind
from desk_app.services.watch import WatchRow
from desk_app.ui.action_base import MOMENT_FORMAT, SlipPdf, minute, moment_of
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.file_names import slip_file_name
from desk_app.ui.forms import FieldErrors, MomentEdit, qt_moment


class _FileRefusedError(Exception):
    """The core refused one of several files; the write of all of them was rolled back."""

    def __init__(self, code: str, error: DeskError) -> None:
        super().__init__(error.message)
        self.code = code
        self.error = error


@dataclass(frozen=True)
class RescheduleResult:
    """The files rescheduled, their apology letters, and letters that failed to print."""

    codes: tuple[str, ...]
    slips: tuple[SlipPdf, ...]
    print_errors: tuple[tuple[str, BaseException], ...]


class _BatchDialog(QDialog):
    """Shared frame of the dashboard's dialogs: the chosen files, a form, errors, OK/Cancel."""

    def __init__(self, codes: Sequence[str], ctx: UiContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.codes = tuple(codes)
        self.ctx = ctx
        self._busy = False
        self.setMinimumWidth(520)
        shown = ", ".join(self.codes[:5]) + (" …" if len(self.codes) > 5 else "")
        files = QLabel(self.tr("{0} file(s): {1}").format(len(self.codes), shown))
        files.setObjectName("batchFiles")
        files.setWordWrap(True)
        files.setToolTip("\n".join(self.codes))
        self.general = QLabel()
        self.general.setObjectName("error_general")
        self.errors = FieldErrors(self.general, clear_on_edit=True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("dialog_ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("dialog_cancel")

        layout = QVBoxLayout(self)
        layout.addWidget(files)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def add_field(self, text: str, widget: QWidget, field: str) -> None:
        widget.setObjectName(field)
        self.errors.add_row(self.form, text, widget, field)

    def submit(self) -> None:
        raise NotImplementedError

    def run(
        self,
        job: Callable[[Session], object],
        done: Callable[[object], None],
        changes: Callable[[object], Change],
    ) -> None:
        """Run `job` in one write on the worker; the dialog stays open with its input when it
        fails. `changes(result)` is announced after the commit."""
        if self._busy:
            return
        self.errors.clear()
        self._busy = True
        self.ok_button.setEnabled(False)

        def finished(result: object) -> None:
            self._set_idle()
            done(result)

        self.ctx.ops.write(
            job,
            finished,
            self._on_job_failed,
            changes=changes,
            owner=self,
            label=self.windowTitle(),
        )

    def _set_idle(self) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)

    def _on_job_failed(self, exc: BaseException) -> None:
        self._set_idle()
        prefix = ""
        if isinstance(exc, _FileRefusedError):
            prefix, exc = f"{exc.code}: ", exc.error
        if isinstance(exc, FieldsError):
            self.errors.show({f: prefix + m for f, m in exc.errors.items()})
        elif isinstance(exc, DeskError):
            self.errors.show({exc.field or "": prefix + exc.message})
        else:
            show_error(self, exc)

    def reject(self) -> None:
        # Closing while the write runs would hide whether it happened.
        if not self._busy:
            super().reject()


class RescheduleManyDialog(_BatchDialog):
    """One new appointment and one reason for every chosen file; an apology letter each.

    All files are rescheduled in one transaction: when the core refuses one of them (already
    rescheduled, the new appointment not after its current one), none is, and the message
    names the file. Each letter is then printed in its own transaction, so a letter that fails
    to render does not undo the reschedule. `outcome` is set when the dialog is accepted.
    """

    def __init__(
        self,
        rows: Sequence[WatchRow],
        ctx: UiContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__([r.code for r in rows], ctx, parent)
        self.outcome: RescheduleResult | None = None
        self.setWindowTitle(self.tr("Reschedule with apology"))
        self.ok_button.setText(self.tr("Reschedule and print"))
        latest = max((r.due for r in rows if r.due is not None), default=None)
        start = minute(max(latest or ctx.now(), ctx.now())) + timedelta(days=1)
        self.new_due = MomentEdit(qt_moment(start))
        self.new_due.setDisplayFormat(MOMENT_FORMAT)
        self.new_due.setCalendarPopup(True)
        self.add_field(self.tr("New appointment"), self.new_due, "new_due")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why the results will be late"))
        self.reason.setClearButtonEnabled(True)
        self.add_field(self.tr("Reason for the delay (required)"), self.reason, "reason")
        self.reason.setFocus()

    def submit(self) -> None:
        codes = self.codes
        actor, now = self.ctx.actor, self.ctx.now()
        new_due, reason = moment_of(self.new_due), self.reason.text()

        def job(s: Session) -> RescheduleResult:
            numbers: list[tuple[str, str | None]] = []
            for code in codes:
                try:
                    view = amend.reschedule(s, code, new_due, reason, actor, now=now)
                except DeskError as exc:
                    raise _FileRefusedError(code, exc) from exc
                number = view.reschedules[-1].slip_number if view.reschedules else None
                numbers.append((view.code, number))
            s.flush()
            slips: list[SlipPdf] = []
            failed: list[tuple[str, BaseException]] = []
            for code, number in numbers:
                # A letter that fails to render undoes only itself, never the reschedules.
                try:
                    with s.begin_nested():
                        doc = printing.print_slip(
                            s, code, SlipKind.APOLOGY, actor, number=number, now=now
                        )
                except Exception as exc:
                    failed.append((code, exc))
                    continue
                name = slip_file_name(SlipKind.APOLOGY, code, doc.number)
                slips.append(SlipPdf(doc.pdf, SlipKind.APOLOGY.label, name))
            return RescheduleResult(tuple(c for c, _ in numbers), tuple(slips), tuple(failed))

        def changed(result: object) -> Change:
            assert isinstance(result, RescheduleResult)
            return Change(frozenset({"files", "slips"}), frozenset(result.codes))

        self.run(job, self._on_done, changed)

    def _on_done(self, result: object) -> None:
        if isinstance(result, RescheduleResult):
            self.outcome = result
        self.accept()


class DelayReasonDialog(_BatchDialog):
    """Why the chosen files are late, recorded on each file (supervisors).

    `changed` (how many files took the new reason) is set when the dialog is accepted.
    """

    def __init__(
        self, rows: Sequence[WatchRow], ctx: UiContext, parent: QWidget | None = None
    ) -> None:
        super().__init__([r.code for r in rows], ctx, parent)
        self.changed: int | None = None
        self.setWindowTitle(self.tr("Reason for delay"))
        self.ok_button.setText(self.tr("Record"))
        reasons = {r.delay_reason for r in rows}
        # The reason they all share already, ready to be corrected; otherwise start empty.
        current = reasons.pop() if len(reasons) == 1 else None
        self.reason = QLineEdit(current or "")
        self.reason.setPlaceholderText(self.tr("e.g. waiting for another agency's opinion"))
        self.reason.setClearButtonEnabled(True)
        self.add_field(self.tr("Reason for the delay"), self.reason, "reason")
        self.reason.setFocus()

    def submit(self) -> None:
        codes = list(self.codes)
        actor, now = self.ctx.actor, self.ctx.now()
        reason = self.reason.text()

        def job(s: Session) -> int:
            return watch.set_delay_reason(s, codes, reason, actor, now=now)

        self.run(job, self._on_done, lambda _n: Change.files(*codes))

    def _on_done(self, result: object) -> None:
        self.changed = int(result) if isinstance(result, int) else 0
        self.accept()


DialogHook = Callable[[QDialog], None]


# --- the dashboard --------------------------------------------------------------------------
