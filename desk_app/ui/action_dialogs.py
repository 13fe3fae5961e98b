"""The small dialogs behind the file actions: each asks only what its step needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.digitising import LineKind
from desk_app.domain.workflow import Action
from desk_app.errors import ValidationError
from desk_app.services import amend, digitise, lifecycle, permissions, printing
from desk_app.services.context import Actor
from desk_app.services.printing import SlipKind
from desk_app.services.views import FileView
from desk_app.ui.action_base import (
    MOMENT_FORMAT,
    ActionDialog,
    Printer,
    SlipPdf,
    Write,
    last_slip_number,
    minute,
    moment_of,
)
from desk_app.ui.context import UiContext
from desk_app.ui.file_names import slip_file_name
from desk_app.ui.forms import MomentEdit, qt_moment


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


class ForwardDialog(ActionDialog):
    """Hand the file to the settling agency and print the handover control sheet."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Forward to the settling agency"), self.tr("Forward"))
        self.agency = _line(view.settling_agency)
        self.add_field(self.tr("Settling agency"), self.agency, "agency")
        self.add_moment(self.tr("Handed over at"))

    def write(self) -> Write:
        data, actor, now = self.move_input(), self.ctx.actor, self.ctx.now()
        agency = self.agency.text().strip() or None
        return lambda s: lifecycle.forward(s, data, actor, agency=agency, now=now)

    def slip_printer(self) -> Printer | None:
        title = self.tr("Handover control sheet")
        name = f"phieu-kiem-soat-{self.view.code}.pdf"
        return lambda s, v: SlipPdf(printing.print_handover(s, v.code), title, name)


def _numbered_slip(kind: SlipKind, number: str | None, actor: Actor, now: datetime) -> Printer:
    def make(s: Session, v: FileView) -> SlipPdf:
        doc = printing.print_slip(s, v.code, kind, actor, number=number, now=now)
        return SlipPdf(doc.pdf, kind.label, slip_file_name(kind, v.code, doc.number))

    return make


class SupplementDialog(ActionDialog):
    """Ask the applicant for more papers (the clock stops) and print the request slip."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Request supplement"), self.tr("Request and print"))
        self.setMinimumWidth(640)
        self.reason = _line(placeholder=self.tr("Why the file cannot be settled as it is"))
        self.add_field(self.tr("Reason (required)"), self.reason, "reason")
        self.documents = QListWidget()
        for line in view.documents:
            item = QListWidgetItem(line.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        # Document names are long sentences: wrap them rather than scroll sideways.
        self.documents.setWordWrap(True)
        self.documents.setResizeMode(QListView.ResizeMode.Adjust)
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.documents.setMaximumHeight(160)
        self.documents.setToolTip(self.tr("Tick the papers that are missing or need correcting."))
        if view.documents:
            self.add_field(self.tr("Documents to complete"), self.documents, "documents")
        else:
            self.documents.hide()
        self.other = QPlainTextEdit()
        self.other.setTabChangesFocus(True)
        self.other.setPlaceholderText(self.tr("One document or correction per line"))
        self.other.setMaximumHeight(90)
        self.add_field(self.tr("Other documents"), self.other, "missing")
        self.add_moment(self.tr("Requested at"))

    def set_checked(self, names: list[str]) -> None:
        """Tick the listed documents (and untick the others)."""
        for i in range(self.documents.count()):
            item = self.documents.item(i)
            checked = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def missing(self) -> tuple[str, ...]:
        """The ticked documents, then the other lines typed, without blanks or repeats."""
        ticked = [
            self.documents.item(i).text()
            for i in range(self.documents.count())
            if self.documents.item(i).checkState() == Qt.CheckState.Checked
        ]
        typed = [line.strip() for line in self.other.toPlainText().splitlines()]
        return tuple(dict.fromkeys(x for x in (*ticked, *typed) if x))

    def write(self) -> Write:
        data, actor, now = self.move_input(), self.ctx.actor, self.ctx.now()
        reason, missing = self.reason.text(), self.missing()
        return lambda s: lifecycle.request_supplement(
            s, data, reason, actor, missing=missing, now=now
        )

    def slip_printer(self) -> Printer | None:
        actor, now = self.ctx.actor, self.ctx.now()

        def make(s: Session, v: FileView) -> SlipPdf:
            number = last_slip_number(v, str(Action.REQUEST_SUPPLEMENT))
            return _numbered_slip(SlipKind.SUPPLEMENT, number, actor, now)(s, v)

        return make


MomentCall = Callable[..., FileView]


class MomentDialog(ActionDialog):
    """A step that needs only its moment: supplement received, obligation met, result back."""

    def __init__(
        self,
        view: FileView,
        ctx: UiContext,
        parent: QWidget | None,
        *,
        title: str,
        ok_text: str,
        moment_text: str,
        call: MomentCall,
    ) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(title, ok_text)
        self._call = call
        self.add_moment(moment_text)

    def write(self) -> Write:
        data, actor, now, call = self.move_input(), self.ctx.actor, self.ctx.now(), self._call
        return lambda s: call(s, data, actor, now=now)


def receive_supplement_dialog(
    view: FileView, ctx: UiContext, parent: QWidget | None = None
) -> MomentDialog:
    return MomentDialog(
        view,
        ctx,
        parent,
        title=QCoreApplication.translate("MomentDialog", "Supplement received"),
        ok_text=QCoreApplication.translate("MomentDialog", "Record"),
        moment_text=QCoreApplication.translate("MomentDialog", "Papers received at"),
        call=lifecycle.receive_supplement,
    )


def financial_done_dialog(
    view: FileView, ctx: UiContext, parent: QWidget | None = None
) -> MomentDialog:
    return MomentDialog(
        view,
        ctx,
        parent,
        title=QCoreApplication.translate("MomentDialog", "Financial obligation fulfilled"),
        ok_text=QCoreApplication.translate("MomentDialog", "Record"),
        moment_text=QCoreApplication.translate("MomentDialog", "Paid at"),
        call=lifecycle.record_financial,
    )


class RecordResultDialog(MomentDialog):
    """The result is back from the agency; its scan may be attached in the same step (Circular
    03/2025: results are digitised too). Without one, the file waits in "Chờ số hóa" until
    the result is scanned from the panel's Scans tab."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            view,
            ctx,
            parent,
            title=QCoreApplication.translate("MomentDialog", "Result received from the agency"),
            ok_text=QCoreApplication.translate("MomentDialog", "Record"),
            moment_text=QCoreApplication.translate("MomentDialog", "Result received at"),
            call=lifecycle.record_result,
        )
        self.scans: list[Path] = []
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.scans_label = QLabel()
        self.scans_label.setObjectName("resultScans")
        self.scans_label.setWordWrap(True)
        choose = QPushButton(self.tr("Choose…"))
        choose.setObjectName("chooseResultScans")
        choose.clicked.connect(self._on_choose_clicked)
        row.addWidget(self.scans_label, 1)
        row.addWidget(choose)
        self.add_field(self.tr("Result's scan"), box, "pages")
        self.set_scans([])
        box.setVisible(ctx.actor.role in permissions.DIGITISE)

    def set_scans(self, paths: list[Path]) -> None:
        """The files to attach to the result's line with the step (none: scan it later)."""
        self.scans = list(paths)
        self.scans_label.setText(
            ", ".join(p.name for p in paths)
            if paths
            else self.tr("None yet: the file waits in “Chờ số hóa” until it is scanned")
        )

    def write(self) -> Write:
        step, scans = super().write(), list(self.scans)
        if not scans:
            return step
        code, actor, now = self.view.code, self.ctx.actor, self.ctx.now()

        def run(s: Session) -> FileView:
            view = step(s)
            digitise.attach_paths(s, code, scans, actor, now, kind=LineKind.RESULT)
            return view

        return run

    def _on_choose_clicked(self) -> None:
        from desk_app.ui.scan_folder import ask_scan_files
        from desk_app.ui.scan_lines import refused_scans

        chosen = ask_scan_files(self, self.ctx.prefs.scan_folder)
        database = None if self.ctx.db.is_server else self.ctx.db.path
        if chosen and not refused_scans(self, chosen, database):
            self.set_scans(chosen)


def record_result_dialog(
    view: FileView, ctx: UiContext, parent: QWidget | None = None
) -> MomentDialog:
    return RecordResultDialog(view, ctx, parent)


def parse_amount(text: str) -> int | None:
    """An amount in đồng as typed ("1.500.000", "1 500 000 đ"); None when left empty."""
    digits = text.strip().lower().removesuffix("vnd").removesuffix("đ").strip()
    for sep in (".", ",", " "):
        digits = digits.replace(sep, "")
    if not digits:
        return None
    if not digits.isdigit():
        raise ValidationError(
            QCoreApplication.translate(
                "FinancialDialog", "The amount must be a whole number of đồng."
            ),
            field="amount",
        )
    return int(digits)


class FinancialDialog(ActionDialog):
    """Ask the applicant to pay a fee or tax; the clock stops until it is paid."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Financial obligation"), self.tr("Request payment"))
        self.reason = _line(placeholder=self.tr("Fee or tax to pay"))
        self.add_field(self.tr("Reason (required)"), self.reason, "reason")
        self.amount = _line(placeholder=self.tr("e.g. 1.500.000"))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.add_field(self.tr("Amount (VND)"), self.amount, "amount")
        self.add_moment(self.tr("Requested at"))

    def write(self) -> Write:
        amount = parse_amount(self.amount.text())
        data, actor, now = self.move_input(), self.ctx.actor, self.ctx.now()
        reason = self.reason.text()
        return lambda s: lifecycle.request_financial(s, data, reason, actor, amount=amount, now=now)


class ReturnDialog(ActionDialog):
    """The result handed over at the counter: who took it (name required, identity paper
    optional) and when. A result the post holds is refused next to the name (rule 10)."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Return the result at the counter"), self.tr("Return"))
        self.receiver = _line(view.applicant_name)
        self.add_field(self.tr("Received by (required)"), self.receiver, "receiver")
        self.receiver_id = _line(placeholder=self.tr("Optional: CCCD, CMND or passport"))
        self.add_field(self.tr("Identity paper number"), self.receiver_id, "receiver_id")
        self.add_moment(self.tr("Returned at"))

    def write(self) -> Write:
        data, actor, now = self.move_input(), self.ctx.actor, self.ctx.now()
        receiver, receiver_id = self.receiver.text(), self.receiver_id.text()
        return lambda s: lifecycle.return_result(
            s, data, actor, receiver=receiver, receiver_id=receiver_id, now=now
        )


ReasonCall = Callable[..., FileView]


class CloseDialog(ActionDialog):
    """Withdraw or stop a file: the reason is required and goes on the timeline; a stop prints
    its notice."""

    def __init__(
        self,
        view: FileView,
        ctx: UiContext,
        parent: QWidget | None,
        *,
        title: str,
        ok_text: str,
        call: ReasonCall,
        notice: SlipKind | None = None,
    ) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(title, ok_text)
        self._call = call
        self._notice = notice
        self.reason = _line()
        self.add_field(self.tr("Reason (required)"), self.reason, "reason")
        self.add_moment(self.tr("Recorded at"))

    def write(self) -> Write:
        data, actor, now, call = self.move_input(), self.ctx.actor, self.ctx.now(), self._call
        reason = self.reason.text()
        return lambda s: call(s, data, reason, actor, now=now)

    def slip_printer(self) -> Printer | None:
        """The stop notice after a stop (its number is taken at this first print)."""
        if self._notice is None:
            return None
        return _numbered_slip(self._notice, None, self.ctx.actor, self.ctx.now())


def withdraw_dialog(view: FileView, ctx: UiContext, parent: QWidget | None = None) -> CloseDialog:
    return CloseDialog(
        view,
        ctx,
        parent,
        title=QCoreApplication.translate("CloseDialog", "Withdraw the file"),
        ok_text=QCoreApplication.translate("CloseDialog", "Withdraw"),
        call=lifecycle.withdraw,
    )


def stop_dialog(view: FileView, ctx: UiContext, parent: QWidget | None = None) -> CloseDialog:
    return CloseDialog(
        view,
        ctx,
        parent,
        title=QCoreApplication.translate("CloseDialog", "Stop processing"),
        ok_text=QCoreApplication.translate("CloseDialog", "Stop and print the notice"),
        call=lifecycle.stop,
        notice=SlipKind.STOP,
    )


class RescheduleDialog(ActionDialog):
    """A new appointment with an apology letter (supervisors); the original due stays."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Reschedule with apology"), self.tr("Reschedule and print"))
        if view.due is not None:
            current = QLabel(view.due.strftime("%d/%m/%Y %H:%M"))
        else:
            current = QLabel(self.tr("(no appointment)"))
        current.setObjectName("current_due")
        self.form.addRow(self.tr("Current appointment"), current)
        start = minute(max(view.due or ctx.now(), ctx.now())) + timedelta(days=1)
        self.new_due = MomentEdit(qt_moment(start))
        self.new_due.setDisplayFormat(MOMENT_FORMAT)
        self.new_due.setCalendarPopup(True)
        self.add_field(self.tr("New appointment"), self.new_due, "new_due")
        self.reason = _line(placeholder=self.tr("Why the result will be late"))
        self.add_field(self.tr("Reason for the delay (required)"), self.reason, "reason")

    def write(self) -> Write:
        code, version = self.view.code, self.view.version
        actor, now = self.ctx.actor, self.ctx.now()
        new_due = moment_of(self.new_due)
        reason = self.reason.text()
        return lambda s: amend.reschedule(
            s, code, new_due, reason, actor, expected_version=version, now=now
        )

    def slip_printer(self) -> Printer | None:
        actor, now = self.ctx.actor, self.ctx.now()

        def make(s: Session, v: FileView) -> SlipPdf:
            number = v.reschedules[-1].slip_number if v.reschedules else None
            return _numbered_slip(SlipKind.APOLOGY, number, actor, now)(s, v)

        return make


CORRECTABLE: dict[str, str] = {**amend.APPLICANT_FIELDS, **amend.FILE_FIELDS}


def current_value(view: FileView, field: str) -> str:
    """The recorded value of a correctable field, as the officer would type it."""
    if field == "received_at":
        return view.received.strftime("%Y-%m-%d %H:%M")
    value = getattr(view, field, None)
    return "" if value is None else str(value)


class CorrectDialog(ActionDialog):
    """Correct one recorded field; the old and new values stay visible on the timeline."""

    def __init__(self, view: FileView, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(view, ctx, parent)
        self.set_texts(self.tr("Correct a field"), self.tr("Correct"))
        self.field = QComboBox()
        for key, label in CORRECTABLE.items():
            self.field.addItem(label, key)
        self.add_field(self.tr("Field"), self.field, "field")
        self.new_value = _line()
        self.add_field(self.tr("New value"), self.new_value, "new_value")
        self.reason = _line(placeholder=self.tr("Why the recorded value was wrong"))
        self.add_field(self.tr("Reason (required)"), self.reason, "reason")

        self.field.currentIndexChanged.connect(self._on_field_current_index_changed)
        self._on_field_current_index_changed(self.field.currentIndex())

    def choose(self, key: str) -> None:
        self.field.setCurrentIndex(self.field.findData(key))

    def field_alias(self, field: str) -> str:
        # The core names the corrected field itself; its message belongs under the new value.
        return "new_value" if field in CORRECTABLE else field

    def _on_field_current_index_changed(self, _index: int) -> None:
        key = str(self.field.currentData())
        self.new_value.setText(current_value(self.view, key))
        self.new_value.setPlaceholderText(
            self.tr("YYYY-MM-DD HH:MM (same day)") if key == "received_at" else ""
        )
        self.new_value.selectAll()
        self.errors.clear("new_value")

    def write(self) -> Write:
        data = amend.Correction(
            self.view.code,
            str(self.field.currentData()),
            self.new_value.text(),
            self.reason.text(),
            expected_version=self.view.version,
        )
        actor, now = self.ctx.actor, self.ctx.now()
        return lambda s: amend.correct_field(s, data, actor, now=now)


DialogFactory = Callable[[FileView, UiContext, QWidget | None], ActionDialog]

DIALOGS: dict[str, DialogFactory] = {
    str(Action.FORWARD): ForwardDialog,
    str(Action.REQUEST_SUPPLEMENT): SupplementDialog,
    str(Action.RECEIVE_SUPPLEMENT): receive_supplement_dialog,
    str(Action.REQUEST_FINANCIAL): FinancialDialog,
    str(Action.FINANCIAL_DONE): financial_done_dialog,
    str(Action.RECORD_RESULT): record_result_dialog,
    str(Action.RETURN_RESULT): ReturnDialog,
    str(Action.WITHDRAW): withdraw_dialog,
    str(Action.STOP): stop_dialog,
    "reschedule": RescheduleDialog,
    "correct": CorrectDialog,
}


def make_dialog(key: str, view: FileView, ctx: UiContext, parent: QWidget | None) -> ActionDialog:
    """The dialog of action `key`; ValueError for a key no dialog handles."""
    factory = DIALOGS.get(key)
    if factory is None:
        raise ValueError(f"no dialog for action {key!r}")
    return factory(view, ctx, parent)
