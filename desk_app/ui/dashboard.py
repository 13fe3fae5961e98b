"""The supervisor's overdue watch: late, nearly late and paused files, counts, charts, apologies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.due import DeadlineState
from desk_app.domain.text import fold
from desk_app.errors import DeskError, FieldsError
from desk_app.services import amend, printing, watch
from desk_app.services.printing import SlipKind
from desk_app.services.watch import Watch, WatchRow
from desk_app.ui import preview
from desk_app.ui.action_base import MOMENT_FORMAT, SlipPdf, file_part, minute, moment_of
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import DashboardCharts
from desk_app.ui.errors import error_text, show_error
from desk_app.ui.file_model import STATE_COLOURS
from desk_app.ui.forms import FieldErrors, qt_moment
from desk_app.ui.table_model import ListTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_PREVIEWS = 10  # apology letters opened at once; more would bury the window
REFRESH_EVERY_MS = 60_000  # the deadline words move with the clock
BUS_DELAY_MS = 500  # a burst of writes (a batch at the counter) refreshes once

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def _moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _sortable(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    """A watch column: header (English source), display text and sort key of a row."""

    header: str
    text: Callable[[WatchRow], str]
    key: Callable[[WatchRow], str]


def _column(header: str, text: Callable[[WatchRow], str], key: Callable[[WatchRow], str]) -> Column:
    return Column(header, text, key)


_CODE = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "File code")), lambda r: r.code, lambda r: r.code
)
_APPLICANT = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "Applicant")),
    lambda r: r.applicant_name,
    lambda r: fold(r.applicant_name),
)
_TAIL = (
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Reason for delay")),
        lambda r: r.delay_reason or "",
        lambda r: fold(r.delay_reason or ""),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Procedure")),
        lambda r: r.procedure_name,
        lambda r: fold(r.procedure_name),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Settling agency")),
        lambda r: r.settling_agency,
        lambda r: fold(r.settling_agency),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Officer")),
        lambda r: r.officer or "",
        lambda r: fold(r.officer or ""),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Received")),
        lambda r: _moment(r.received),
        lambda r: _sortable(r.received),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Status")),
        lambda r: r.status.label,
        lambda r: r.status.label,
    ),
)
_APPOINTMENT = _column(
    str(QT_TRANSLATE_NOOP("Dashboard", "Appointment")),
    lambda r: _moment(r.due),
    lambda r: _sortable(r.due),
)
# What the supervisor acts on comes first: the file, how late, by which due, and why.
RUNNING_COLUMNS: tuple[Column, ...] = (
    _CODE,
    _APPLICANT,
    # Time left orders like the rule's due: the least left (the most overdue) first.
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Time left")),
        lambda r: r.words,
        lambda r: _sortable(r.original_due),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Rule's due")),
        lambda r: _moment(r.original_due),
        lambda r: _sortable(r.original_due),
    ),
    _APPOINTMENT,
    *_TAIL,
)
PAUSED_COLUMNS: tuple[Column, ...] = (
    _CODE,
    _APPLICANT,
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Waiting")),
        lambda r: r.words,
        lambda r: _sortable(r.paused_since),
    ),
    _column(
        str(QT_TRANSLATE_NOOP("Dashboard", "Paused since")),
        lambda r: _moment(r.paused_since),
        lambda r: _sortable(r.paused_since),
    ),
    _APPOINTMENT,
    *_TAIL,
)
WORDS_HEADERS = {"Time left", "Waiting"}
NATURAL_COLUMN = 3  # "Rule's due" or "Paused since": the watch's own order


class WatchModel(ListTableModel[WatchRow]):
    """Rows of one watch list; the time column is coloured by the list's deadline state."""

    def __init__(
        self,
        columns: Sequence[Column],
        state: DeadlineState,
        parent: QObject | None = None,
    ) -> None:
        super().__init__([c.header for c in columns], parent, translate=_tr)
        self._columns = tuple(columns)
        self._state = state

    def cell(self, row: WatchRow, column_index: int, role: int) -> object:
        column = self._columns[column_index]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == CODE_ROLE:
            return row.code
        if column.header in WORDS_HEADERS and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            colours = STATE_COLOURS.get(self._state)
            if colours is None:
                return None
            return QBrush(QColor(colours[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
        return None


COUNT_HEADERS = (
    str(QT_TRANSLATE_NOOP("Dashboard", "Overdue")),
    str(QT_TRANSLATE_NOOP("Dashboard", "Due soon")),
)
MAX_COLUMN_WIDTH = 240  # pixels; a long procedure name is read in its tooltip


class CountsModel(ListTableModel[tuple[str, int, int]]):
    """(name, overdue, due soon) rows; numbers sort as numbers."""

    def __init__(self, name_header: str, parent: QObject | None = None) -> None:
        super().__init__((name_header, *COUNT_HEADERS), parent, translate=_tr)

    def cell(self, row: tuple[str, int, int], column: int, role: int) -> object:
        value = row[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0 and not value:
                return _tr("(not recorded)")
            return str(value)
        if role == SORT_ROLE:
            return fold(str(value)) if column == 0 else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _table(model: QAbstractTableModel, name: str, *, multi: bool) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# --- the two dialogs ------------------------------------------------------------------------


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
        self.errors = FieldErrors(self.general)
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

    def run(self, job: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run `job` on the worker; the dialog stays open with its input when it fails."""
        if self._busy:
            return
        self.errors.clear()
        self._busy = True
        self.ok_button.setEnabled(False)

        def finished(result: object) -> None:
            self._set_idle()
            done(result)

        self.ctx.runner.run(
            job, finished, self._on_job_failed, owner=self, label=self.windowTitle()
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
        self.new_due = QDateTimeEdit(qt_moment(start))
        self.new_due.setDisplayFormat(MOMENT_FORMAT)
        self.new_due.setCalendarPopup(True)
        self.add_field(self.tr("New appointment"), self.new_due, "new_due")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why the results will be late"))
        self.reason.setClearButtonEnabled(True)
        self.add_field(self.tr("Reason for the delay (required)"), self.reason, "reason")
        self.reason.setFocus()

    def submit(self) -> None:
        codes, db = self.codes, self.ctx.db
        actor, now = self.ctx.actor, self.ctx.now()
        new_due, reason = moment_of(self.new_due), self.reason.text()

        def job() -> RescheduleResult:
            numbers: list[tuple[str, str | None]] = []
            with db.writer.begin() as s:
                for code in codes:
                    try:
                        view = amend.reschedule(s, code, new_due, reason, actor, now=now)
                    except DeskError as exc:
                        raise _FileRefusedError(code, exc) from exc
                    number = view.reschedules[-1].slip_number if view.reschedules else None
                    numbers.append((view.code, number))
            slips: list[SlipPdf] = []
            failed: list[tuple[str, BaseException]] = []
            for code, number in numbers:
                try:
                    with db.writer.begin() as s:
                        doc = printing.print_slip(
                            s, code, SlipKind.APOLOGY, actor, number=number, now=now
                        )
                except Exception as exc:
                    failed.append((code, exc))
                    continue
                name = f"{SlipKind.APOLOGY.value}-{code}{file_part(doc.number)}.pdf"
                slips.append(SlipPdf(doc.pdf, SlipKind.APOLOGY.label, name))
            return RescheduleResult(tuple(c for c, _ in numbers), tuple(slips), tuple(failed))

        self.run(job, self._on_done)

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
        codes, db = list(self.codes), self.ctx.db
        actor, now = self.ctx.actor, self.ctx.now()
        reason = self.reason.text()

        def job() -> int:
            with db.writer.begin() as s:
                return watch.set_delay_reason(s, codes, reason, actor, now=now)

        self.run(job, self._on_done)

    def _on_done(self, result: object) -> None:
        self.changed = int(result) if isinstance(result, int) else 0
        self.accept()


DialogHook = Callable[[QDialog], None]


# --- the dashboard --------------------------------------------------------------------------


class Dashboard(QWidget):
    """The overdue watch for supervisors; others see a short note instead.

    Signals:
        open_file(str): the code of a file the supervisor opened (Enter or double-click).
    """

    open_file = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watch: Watch | None = None
        self._loading = False
        self._again = False
        self._stale = False
        self.setObjectName("dashboard")

        self.note = QLabel(
            self.tr("The overdue watch is for supervisors. Sign in as a supervisor to see it.")
        )
        self.note.setObjectName("dashboardNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setObjectName("dashboardSummary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.notice = QLabel()
        self.notice.setObjectName("dashboardNotice")
        self.notice.setWordWrap(True)
        self.reschedule_button = QPushButton(self.tr("Reschedule with apology…"))
        self.reschedule_button.setObjectName("rescheduleButton")
        self.delay_button = QPushButton(self.tr("Mark reason for delay…"))
        self.delay_button.setObjectName("delayReasonButton")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshButton")

        self.overdue_model = WatchModel(RUNNING_COLUMNS, DeadlineState.OVERDUE, self)
        self.due_soon_model = WatchModel(RUNNING_COLUMNS, DeadlineState.DUE_SOON, self)
        self.paused_model = WatchModel(PAUSED_COLUMNS, DeadlineState.PAUSED, self)
        self.overdue_view = _table(self.overdue_model, "overdueTable", multi=True)
        self.due_soon_view = _table(self.due_soon_model, "dueSoonTable", multi=True)
        self.paused_view = _table(self.paused_model, "pausedTable", multi=True)
        self.lists = QTabWidget()
        self.lists.setObjectName("watchTabs")
        self._fitted: set[str] = set()
        for view in self.file_views:
            # The rule's due (running) or the pause start: the watch's own order, shown as such.
            view.sortByColumn(NATURAL_COLUMN, Qt.SortOrder.AscendingOrder)
            self.lists.addTab(view, "")

        self.procedure_model = CountsModel(str(QT_TRANSLATE_NOOP("Dashboard", "Procedure")), self)
        self.agency_model = CountsModel(
            str(QT_TRANSLATE_NOOP("Dashboard", "Settling agency")), self
        )
        self.officer_model = CountsModel(
            str(QT_TRANSLATE_NOOP("Dashboard", "Receiving officer")), self
        )
        self.counts = QTabWidget()
        self.counts.setObjectName("countTabs")
        for model, name, title in (
            (self.procedure_model, "byProcedureTable", self.tr("By procedure")),
            (self.agency_model, "byAgencyTable", self.tr("By settling agency")),
            (self.officer_model, "byOfficerTable", self.tr("By receiving officer")),
        ):
            view = _table(model, name, multi=False)
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            view.horizontalHeader().setStretchLastSection(False)
            view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
            self.counts.addTab(view, title)
        self.charts = DashboardCharts(ctx)
        self.charts.setObjectName("dashboardCharts")

        self.content = QWidget()
        self.content.setObjectName("dashboardContent")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.reschedule_button)
        buttons.addWidget(self.delay_button)
        buttons.addWidget(self.refresh_button)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.counts)
        bottom.addWidget(self.charts)
        bottom.setSizes([430, 930])
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("dashboardSplit")
        split.addWidget(self.lists)
        split.addWidget(bottom)
        split.setSizes([440, 380])
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(buttons)
        content_layout.addWidget(self.notice)
        content_layout.addWidget(split, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.content, 1)

        self._bus_timer = QTimer(self)
        self._bus_timer.setSingleShot(True)
        self._bus_timer.setInterval(BUS_DELAY_MS)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(REFRESH_EVERY_MS)

        for view in self.file_views:
            view.activated.connect(self._on_view_activated)
            view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.lists.currentChanged.connect(self._update_buttons)
        self.reschedule_button.clicked.connect(self._on_reschedule_button_clicked)
        self.delay_button.clicked.connect(self._on_delay_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self._bus_timer.timeout.connect(self.refresh)
        self._clock_timer.timeout.connect(self._on_clock_timer_timeout)
        ctx.bus.changed.connect(self._on_bus_changed)

        self._set_titles()
        self._update_buttons()
        self._apply_role()
        if ctx.is_supervisor:
            self.refresh()
            self.charts.reload()
            self._clock_timer.start()

    @property
    def file_views(self) -> tuple[QTableView, QTableView, QTableView]:
        return self.overdue_view, self.due_soon_view, self.paused_view

    # --- loading -------------------------------------------------------------------------

    def _apply_role(self) -> bool:
        supervisor = self.ctx.is_supervisor
        self.note.setVisible(not supervisor)
        self.content.setVisible(supervisor)
        return supervisor

    def refresh(self) -> None:
        """Read the watch on the worker and show it (no-op for non-supervisors)."""
        self._bus_timer.stop()
        if not self._apply_role():
            return
        if self._loading:
            self._again = True
            return
        db, now = self.ctx.db, self.ctx.now()

        def job() -> Watch:
            with db.reader.begin() as s:
                return watch.watch(s, now)

        self._loading = True
        self._stale = False
        self.ctx.runner.run(
            job,
            self._on_job_done,
            self._on_job_failed,
            owner=self,
            label=self.tr("Overdue watch"),
        )

    def _on_job_done(self, found: Watch) -> None:
        self._loading = False
        self.show_watch(found)
        if self._again:
            self._again = False
            self.refresh()

    def _on_job_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._again = False
        self.notice.setText(error_text(exc))

    def show_watch(self, found: Watch) -> None:
        """Fill the lists and counts; the selection is kept by file code where it can be."""
        self.watch = found
        for view, model, rows in (
            (self.overdue_view, self.overdue_model, found.overdue),
            (self.due_soon_view, self.due_soon_model, found.due_soon),
            (self.paused_view, self.paused_model, found.paused),
        ):
            chosen = {r.code for r in self._selected_rows(view)}
            model.set_rows(rows)
            self._select_codes(view, chosen)
            if rows and view.objectName() not in self._fitted:
                # Once: later widths are the supervisor's own.
                self._fitted.add(view.objectName())
                view.resizeColumnsToContents()
                for column in range(model.columnCount() - 1):
                    if view.columnWidth(column) > MAX_COLUMN_WIDTH:
                        view.setColumnWidth(column, MAX_COLUMN_WIDTH)
        self.procedure_model.set_rows(found.by_procedure)
        self.agency_model.set_rows(found.by_agency)
        self.officer_model.set_rows(found.by_officer)
        self._set_titles()
        self._update_buttons()

    def _set_titles(self) -> None:
        found = self.watch
        totals = (
            (
                (found.overdue_total, len(found.overdue)),
                (found.due_soon_total, len(found.due_soon)),
                (found.paused_total, len(found.paused)),
            )
            if found
            else ((0, 0),) * 3
        )
        titles = (
            self.tr("Overdue"),
            self.tr("Due within one working day"),
            self.tr("Paused longest"),
        )
        for i, (title, (total, shown)) in enumerate(zip(titles, totals, strict=True)):
            if shown < total:
                text = self.tr("{0} ({1} of {2})").format(title, shown, total)
            else:
                text = self.tr("{0} ({1})").format(title, total)
            self.lists.setTabText(i, text)
        if found is None:
            self.summary.setText(self.tr("Loading…"))
            return
        self.summary.setText(
            self.tr("{0} overdue · {1} due within one working day · {2} paused — at {3}").format(
                found.overdue_total,
                found.due_soon_total,
                found.paused_total,
                found.now.strftime("%H:%M %d/%m/%Y"),
            )
        )

    # --- selection -----------------------------------------------------------------------

    def current_view(self) -> QTableView:
        return self.file_views[max(0, self.lists.currentIndex())]

    @staticmethod
    def _source(view: QTableView) -> tuple[QSortFilterProxyModel, WatchModel]:
        proxy = view.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        model = proxy.sourceModel()
        assert isinstance(model, WatchModel)
        return proxy, model

    def _selected_rows(self, view: QTableView) -> list[WatchRow]:
        proxy, model = self._source(view)
        rows = sorted(proxy.mapToSource(i).row() for i in view.selectionModel().selectedRows())
        return [model.row_at(r) for r in rows]

    def selected_rows(self) -> list[WatchRow]:
        """The chosen files of the list on show, in the list's own order."""
        return self._selected_rows(self.current_view())

    def _select_codes(self, view: QTableView, codes: set[str]) -> None:
        if not codes:
            return
        proxy, _ = self._source(view)
        selection = view.selectionModel()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            if index.data(CODE_ROLE) in codes:
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def _update_buttons(self, *_args: object) -> None:
        chosen = bool(self.current_view().selectionModel().selectedRows())
        self.reschedule_button.setEnabled(chosen)
        self.delay_button.setEnabled(chosen)

    # --- actions -------------------------------------------------------------------------

    def _exec(self, dialog: QDialog, hook: DialogHook | None) -> bool:
        if hook is not None:
            QTimer.singleShot(0, dialog, lambda: hook(dialog))
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def reschedule_selected(self, *, dialog_hook: DialogHook | None = None) -> int:
        """Reschedule the chosen files with one apology each; returns how many were.

        `dialog_hook` (tests, scripts) is called with the open dialog; it fills the fields and
        calls `submit()` or `reject()`.
        """
        rows = self.selected_rows()
        if not rows:
            return 0
        dialog = RescheduleManyDialog(rows, self.ctx, self)
        if not self._exec(dialog, dialog_hook) or dialog.outcome is None:
            return 0
        result = dialog.outcome
        self.ctx.bus.announce(Change.files(*result.codes))
        self.ctx.bus.announce(Change(frozenset({"slips"}), frozenset(result.codes)))
        for slip in result.slips[:MAX_PREVIEWS]:
            preview.show_pdf(self, slip.pdf, slip.title, slip.file_name)
        words = [
            self.tr("{0} file(s) rescheduled; apology letters recorded.").format(len(result.codes))
        ]
        if len(result.slips) > MAX_PREVIEWS:
            words.append(
                self.tr(
                    "The first {0} letters are open; print the others from each file's slips."
                ).format(MAX_PREVIEWS)
            )
        if result.print_errors:
            failed = ", ".join(code for code, _ in result.print_errors)
            words.append(self.tr("Could not print the letter of: {0}.").format(failed))
        self.notice.setText(" ".join(words))
        return len(result.codes)

    def mark_delay_reason(self, *, dialog_hook: DialogHook | None = None) -> int:
        """Record why the chosen files are late; returns how many files changed."""
        rows = self.selected_rows()
        if not rows:
            return 0
        dialog = DelayReasonDialog(rows, self.ctx, self)
        if not self._exec(dialog, dialog_hook) or dialog.changed is None:
            return 0
        codes = [r.code for r in rows]
        self.ctx.bus.announce(Change.files(*codes))
        self.notice.setText(
            self.tr("Reason for delay recorded on {0} file(s).").format(dialog.changed)
        )
        return dialog.changed

    # --- slots ---------------------------------------------------------------------------

    def _on_view_activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.open_file.emit(str(code))

    def _on_reschedule_button_clicked(self) -> None:
        self.reschedule_selected()

    def _on_delay_button_clicked(self) -> None:
        self.mark_delay_reason()

    def _on_refresh_button_clicked(self) -> None:
        self.notice.clear()
        self.refresh()
        self.charts.reload()

    def _on_bus_changed(self, change: Change) -> None:
        if not (
            change.touches("files") or change.touches("settings") or change.touches("calendar")
        ):
            return
        if self.isVisible():
            self._bus_timer.start()
        else:
            # Hidden: refresh when shown rather than spend the worker on nobody.
            self._stale = True

    def _on_clock_timer_timeout(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
