"""The selected file: its data, timeline, pauses and reschedules, printed slips, and actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel, CopyType, ResultBy
from desk_app.domain.workflow import Status
from desk_app.services import digitise, post, printing, queries
from desk_app.services.browse import OUTCOME_WORDS, Deadline, deadline_of
from desk_app.services.context import load_context
from desk_app.services.digitise import LineView
from desk_app.services.post import PostalItemView
from desk_app.services.printing import SlipInfo, SlipKind
from desk_app.services.views import FileView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.file_model import STATE_COLOURS, moment_text
from desk_app.ui.file_names import slip_file_name
from desk_app.ui.scan_lines import ScanLinesTab
from desk_app.ui.table_model import RowsModel


@dataclass(frozen=True)
class Loaded:
    view: FileView
    slips: list[SlipInfo]
    deadline: Deadline
    postal: list[PostalItemView]
    lines: tuple[LineView, ...] = ()


def _label(value: CopyType | Channel | ResultBy, raw: str) -> str:
    try:
        return value.__class__(raw).label
    except ValueError:
        return raw


def _table(model: RowsModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    # Rows grow to their wrapped text: a long note wraps in the panel's width instead of
    # pushing the table sideways past it (at 1366 px the panel is about 500 px wide).
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
    return table


class FileDetail(QWidget):
    """Shows one file and offers the actions its status allows.

    Signals:
        file_changed(object): an action here changed the file (the new FileView).
    """

    file_changed = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.view: FileView | None = None
        self.slips: list[SlipInfo] = []
        self.postal: list[PostalItemView] = []
        self._wanted: str | None = None

        self.setObjectName("fileDetail")
        self._title = QLabel()
        self._title.setObjectName("detailCode")
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self._title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self._title.setFont(font)
        self._subtitle = QLabel()
        self._subtitle.setObjectName("detailStatus")
        self._subtitle.setWordWrap(True)
        self._placeholder = QLabel(
            self.tr("Choose a file in the list, or type its code in the search box.")
        )
        self._placeholder.setObjectName("detailPlaceholder")
        self._placeholder.setWordWrap(True)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._actions_box = QWidget()
        self._actions_box.setObjectName("detailActions")
        self._actions_layout = QGridLayout(self._actions_box)
        self._actions_layout.setContentsMargins(0, 0, 0, 0)
        self.action_buttons: dict[str, QPushButton] = {}

        self._info = QWidget()
        self._form = QFormLayout(self._info)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        info_scroll = QScrollArea()
        info_scroll.setWidgetResizable(True)
        info_scroll.setWidget(self._info)

        self.timeline_model = RowsModel(
            [
                self.tr("When"),
                self.tr("Step"),
                self.tr("Status"),
                self.tr("Officer"),
                self.tr("Note"),
            ],
            self,
        )
        self.pauses_model = RowsModel(
            [self.tr("Kind"), self.tr("From"), self.tr("To"), self.tr("Reason"), self.tr("Slip")],
            self,
        )
        self.slips_model = RowsModel(
            [self.tr("Document"), self.tr("Number"), self.tr("First printed")], self
        )
        from desk_app.ui.post_dialogs import postal_history_headers

        self.postal_model = RowsModel(postal_history_headers(), self)
        self._slips_table = _table(self.slips_model, "slipsTable")
        self._slips_table.doubleClicked.connect(self._on_slips_double_clicked)
        open_slip = QPushButton(self.tr("Open / reprint"))
        open_slip.setObjectName("openSlip")
        open_slip.clicked.connect(self._on_open_slip_clicked)
        handover = QPushButton(self.tr("Handover control sheet"))
        handover.setObjectName("handoverSheet")
        handover.clicked.connect(self._on_handover_clicked)
        slips_page = QWidget()
        slips_lay = QVBoxLayout(slips_page)
        slips_lay.addWidget(self._slips_table)
        slip_buttons = QHBoxLayout()
        slip_buttons.addWidget(open_slip)
        slip_buttons.addWidget(handover)
        slip_buttons.addStretch(1)
        slips_lay.addLayout(slip_buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.addTab(info_scroll, self.tr("Details"))
        self.tabs.addTab(_table(self.timeline_model, "timelineTable"), self.tr("Timeline"))
        # Short tab names: six tabs side by side in the panel's width at 1366 px.
        pauses = self.tabs.addTab(_table(self.pauses_model, "pausesTable"), self.tr("Pauses"))
        self.tabs.setTabToolTip(
            pauses,
            self.tr("Pauses of the clock (supplements, financial obligations) and reschedules"),
        )
        self.tabs.addTab(slips_page, self.tr("Printed slips"))
        self.tabs.addTab(_table(self.postal_model, "postalTable"), self.tr("Post"))
        self.scans = ScanLinesTab(ctx)
        self._scans_tab = self.tabs.addTab(self.scans, self.tr("Scans"))

        layout = QVBoxLayout(self)
        layout.addWidget(self._placeholder)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._actions_box)
        layout.addWidget(self.tabs, 1)
        self._show_content(False)

        ctx.bus.changed.connect(self._on_bus_changed)

    # --- loading -----------------------------------------------------------------------------

    def show_code(self, code: str | None) -> None:
        """Load and show the file `code` (None clears the panel)."""
        self._wanted = code
        if code is None:
            self.view = None
            self._show_content(False)
            return
        now = self._ctx.now()

        def job(s: Session) -> Loaded:
            view = queries.show_file(s, code)
            ctx = load_context(s)
            deadline = deadline_of(
                view.status, view.original_due, view.outcome, ctx.calendar, now, ctx.due_soon
            )
            return Loaded(
                view,
                printing.list_slips(s, code),
                deadline,
                post.postal_items(s, code),
                digitise.file_lines(s, code),
            )

        def failed(exc: BaseException) -> None:
            show_error(self, exc)

        self._ctx.ops.read(job, self._apply, failed, owner=self, label="open file")

    def _apply(self, loaded: Loaded) -> None:
        if loaded.view.code != self._wanted:
            return
        self.view = loaded.view
        self.slips = loaded.slips
        self.postal = loaded.postal
        self._show_content(True)
        self._fill(loaded.view, loaded.slips)
        self._show_deadline(loaded.view, loaded.deadline)
        self.scans.show_file(loaded.view, loaded.lines)
        still = self.scans.open_count()
        # The count in the tooltip: the title stays short, so the six tabs fit side by side.
        self.tabs.setTabToolTip(
            self._scans_tab,
            self.tr("%n paper(s) still to scan", "", still) if still else "",
        )

    def _show_content(self, shown: bool) -> None:
        self._placeholder.setVisible(not shown)
        for w in (self._title, self._subtitle, self._actions_box, self.tabs):
            w.setVisible(shown)

    def _on_bus_changed(self, change: Change) -> None:
        if self.view is None:
            return
        if (change.touches("files") and (not change.codes or self.view.code in change.codes)) or (
            change.touches("slips") and self.view.code in change.codes
        ):
            self.show_code(self.view.code)

    # --- filling -----------------------------------------------------------------------------

    def _fill(self, v: FileView, slips: list[SlipInfo]) -> None:
        self._title.setText(v.code)
        self._fill_actions(v)
        self._fill_info(v)
        self.timeline_model.set_rows(
            [
                (
                    moment_text(e.at),
                    e.label,
                    e.to_status.label if e.to_status else "",
                    e.officer or "",
                    e.note or "",
                )
                for e in v.events
            ]
        )
        pause_rows = [
            (
                self.tr("Supplement")
                if p.kind == "supplement"
                else self.tr("Financial obligation"),
                moment_text(p.start),
                moment_text(p.end) if p.end else self.tr("(still paused)"),
                p.reason,
                p.slip_number or "",
            )
            for p in v.pauses
        ]
        pause_rows += [
            (
                self.tr("Reschedule"),
                moment_text(r.old_due),
                moment_text(r.new_due),
                r.reason,
                r.slip_number or "",
            )
            for r in v.reschedules
        ]
        self.pauses_model.set_rows(pause_rows)
        self.slips_model.set_rows(
            [(s.label, s.number or "", moment_text(s.created_at)) for s in slips], slips
        )
        from desk_app.ui.post_dialogs import postal_history_rows

        self.postal_model.set_rows(postal_history_rows(self.postal))

    def _show_deadline(self, v: FileView, deadline: Deadline) -> None:
        """Status · the appointment the applicant holds · the rules' due when a reschedule moved
        the appointment · the time left, which the clock counts against the rules' due."""
        parts = [v.status.label]
        if v.due:
            parts.append(self.tr("Appointment (receipt): {0}").format(moment_text(v.due)))
        if v.original_due and v.original_due != v.due:
            parts.append(self.tr("Due by the rules: {0}").format(moment_text(v.original_due)))
        clock_runs = v.status in (Status.ACCEPTED, Status.PROCESSING) and v.original_due
        if deadline.words and clock_runs:
            parts.append(self.tr("{0} (against the due by the rules)").format(deadline.words))
        elif deadline.words:
            parts.append(deadline.words)
        self._subtitle.setText(" · ".join(parts))
        colours = STATE_COLOURS.get(deadline.state) if deadline.state else None
        self._subtitle.setStyleSheet(f"color: {colours[1]}; font-weight: bold;" if colours else "")

    def _fill_info(self, v: FileView) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)

        def row(label: str, value: object) -> None:
            if value in (None, ""):
                return
            field = QLabel(str(value))
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(label, field)

        duration = ""
        if v.duration is not None:
            duration = f"{v.duration.normalize():f} {self._unit_words(v.unit)}"
        documents = "\n".join(
            f"{i}. {d.name} ({_label(CopyType.ORIGINAL, d.copy_type)}: {d.count})"
            for i, d in enumerate(v.documents, 1)
        )
        delivery = ""
        if v.result_by == ResultBy.POST.value:
            delivery = ", ".join(
                p for p in (v.delivery_name, v.delivery_phone, v.delivery_address) if p
            )
        row(self.tr("Procedure"), f"{v.procedure_code} — {v.procedure_name}")
        row(self.tr("Field"), v.field)
        row(self.tr("Settling agency"), v.settling_agency)
        row(self.tr("Processing time"), duration)
        row(self.tr("Applicant"), v.applicant_name)
        row(self.tr("Identity number"), v.id_number)
        row(self.tr("Phone"), v.phone)
        row(self.tr("E-mail"), v.email)
        row(self.tr("Address"), v.address)
        row(self.tr("Submitted by"), v.submitter_name)
        row(self.tr("Submitter's identity number"), v.submitter_id_number)
        row(self.tr("Submitter's phone"), v.submitter_phone)
        row(self.tr("Authorisation"), v.authorisation)
        row(self.tr("Documents"), documents)
        row(self.tr("Sets"), v.sets_count)
        row(
            self.tr("Fee collected"),
            f"{v.fee_collected:,} đ".replace(",", ".") if v.fee_collected else "",
        )
        row(self.tr("Intake channel"), _label(Channel.DIRECT, v.channel))
        row(self.tr("Incoming postal item"), v.postal_in_number)
        row(self.tr("Result returned by"), _label(ResultBy.COUNTER, v.result_by))
        row(self.tr("Deliver to"), delivery)
        row(
            self.tr("Register"),
            self.tr("book {book}, no. {seq}").format(book=v.register_book, seq=v.register_seq),
        )
        row(self.tr("Receiving officer"), v.officer)
        row(self.tr("Received"), moment_text(v.received))
        row(self.tr("Appointment (receipt)"), moment_text(v.due))
        if v.original_due and v.original_due != v.due:
            row(self.tr("Due by the rules"), moment_text(v.original_due))
        row(self.tr("Result received"), moment_text(v.settled))
        row(self.tr("Outcome"), OUTCOME_WORDS.get(v.outcome or "", v.outcome or ""))
        row(self.tr("Reason for the delay"), v.delay_reason)
        row(self.tr("Closed"), moment_text(v.closed))
        row(self.tr("Notes"), v.notes)

    def _unit_words(self, unit: str) -> str:
        return {
            "working_days": self.tr("working days"),
            "working_hours": self.tr("working hours"),
            "calendar_days": self.tr("days"),
            "same_day": self.tr("(same day)"),
            "none": self.tr("(no time limit)"),
        }.get(unit, unit)

    def _fill_actions(self, v: FileView) -> None:
        from desk_app.ui import actions

        for button in self.action_buttons.values():
            # Until deleteLater runs, a stale button must not share its shortcut with the new
            # one (two owners make the shortcut ambiguous and neither fires).
            button.setShortcut(QKeySequence())
            button.hide()
            self._actions_layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        from desk_app.ui.post_dialogs import postal_actions_for

        specs = actions.actions_for(v, self._ctx) + postal_actions_for(v, self.postal, self._ctx)
        if v.status != Status.REFUSED:
            receipt = QPushButton(self.tr("Receipt"))
            receipt.setObjectName("action_receipt")
            receipt.setToolTip(self.tr("Open or reprint the receipt (Ctrl+Shift+P)"))
            receipt.setShortcut(QKeySequence("Ctrl+Shift+P"))
            receipt.clicked.connect(self._on_receipt_clicked)
            self.action_buttons["receipt"] = receipt
        for spec in specs:
            button = QPushButton(spec.text)
            button.setObjectName(f"action_{spec.key}")
            if spec.shortcut:
                button.setShortcut(QKeySequence(spec.shortcut))
                button.setToolTip(spec.shortcut)
            button.clicked.connect(lambda _=False, key=spec.key: self.run_action(key))
            self.action_buttons[spec.key] = button
        for i, button in enumerate(self.action_buttons.values()):
            self._actions_layout.addWidget(button, i // 3, i % 3)
            # Shown now, not when the layout gets round to it, so the shortcuts work at once.
            button.setVisible(self._actions_box.isVisible())

    # --- actions -----------------------------------------------------------------------------

    def run_action(self, key: str) -> FileView | None:
        """Run one of the offered actions on the shown file (the buttons call this)."""
        from desk_app.ui import actions

        if self.view is None:
            return None
        from desk_app.ui.post_dialogs import POSTAL_KEYS, run_postal_action

        if key in POSTAL_KEYS:
            new_view = run_postal_action(key, self.view, self._ctx, self, items=self.postal)
        else:
            new_view = actions.run_action(key, self.view, self._ctx, self)
        if new_view is not None:
            self.file_changed.emit(new_view)
        return new_view

    def _open_pdf(self, make: Callable[[Session], bytes], title: str, file_name: str) -> None:
        from desk_app.ui.preview import show_pdf

        # A first print archives the slip; a reprint reads the archive (and is logged).
        codes = frozenset({self.view.code}) if self.view is not None else frozenset()
        ids = frozenset({self.view.id}) if self.view is not None else frozenset()
        self._ctx.ops.write(
            make,
            lambda pdf: show_pdf(self, pdf, title, file_name),
            lambda exc: show_error(self, exc),
            changes=Change(frozenset({"slips"}), codes, ids),
            owner=self,
            label="print slip",
        )

    def open_slip(self, slip: SlipInfo) -> None:
        if self.view is None:
            return
        code, actor, now = self.view.code, self._ctx.actor, self._ctx.now()
        kind = SlipKind(slip.kind)
        self._open_pdf(
            lambda s: printing.print_slip(s, code, kind, actor, number=slip.number, now=now).pdf,
            slip.label,
            slip_file_name(kind, code, slip.number),
        )

    def _on_receipt_clicked(self) -> None:
        if self.view is None:
            return
        code, actor, now = self.view.code, self._ctx.actor, self._ctx.now()
        self._open_pdf(
            lambda s: printing.print_slip(s, code, SlipKind.RECEIPT, actor, now=now).pdf,
            SlipKind.RECEIPT.label,
            slip_file_name(SlipKind.RECEIPT, code),
        )

    def _on_handover_clicked(self) -> None:
        if self.view is None:
            return
        code = self.view.code
        self._open_pdf(
            lambda s: printing.print_handover(s, code),
            QCoreApplication.translate("FileDetail", "Handover control sheet"),
            f"phieu-kiem-soat-{code}.pdf",
        )

    def _on_open_slip_clicked(self) -> None:
        index = self._slips_table.currentIndex()
        if index.isValid():
            self.open_slip(self.slips[index.row()])

    def _on_slips_double_clicked(self, index: object) -> None:
        row = self._slips_table.currentIndex().row()
        if 0 <= row < len(self.slips):
            self.open_slip(self.slips[row])
