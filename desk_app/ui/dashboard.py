"""The supervisor's overdue watch: late, nearly late and paused files, counts, charts, apologies."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.due import DeadlineState
from desk_app.services import watch
from desk_app.services.scope import Scope
from desk_app.services.watch import Watch, WatchRow
from desk_app.ui import preview
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import DashboardCharts
from desk_app.ui.dashboard_dialogs import DelayReasonDialog, DialogHook, RescheduleManyDialog
from desk_app.ui.dashboard_lists import (
    CODE_ROLE,
    NATURAL_COLUMN,
    PAUSED_COLUMNS,
    RUNNING_COLUMNS,
    CountsModel,
    WatchModel,
    WatchTable,
    watch_table,
)
from desk_app.ui.errors import error_text

MAX_PREVIEWS = 10  # apology letters opened at once; more would bury the window
REFRESH_EVERY_MS = 60_000  # the deadline words move with the clock
BUS_DELAY_MS = 500  # a burst of writes (a batch at the counter) refreshes once


def _days(value: Decimal) -> str:
    """2, 1,5: a number of working days as the desk writes it."""
    return f"{value.normalize():f}".replace(".", ",")


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
        # The agencies watched: every one the user works for, or the one the supervisor
        # window's chooser names.
        self.scope = ctx.scope
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
        self.overdue_view = WatchTable(self.overdue_model, "overdueTable")
        self.due_soon_view = WatchTable(self.due_soon_model, "dueSoonTable")
        self.paused_view = WatchTable(self.paused_model, "pausedTable")
        self.lists = QTabWidget()
        self.lists.setObjectName("watchTabs")
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
            counts = watch_table(model, name, multi=False)
            counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            counts.horizontalHeader().setStretchLastSection(False)
            counts.sortByColumn(1, Qt.SortOrder.DescendingOrder)
            self.counts.addTab(counts, title)
        self.charts = DashboardCharts(ctx)
        self.charts.setObjectName("dashboardCharts")

        self.content = QWidget()
        self.content.setObjectName("dashboardContent")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.reschedule_button)
        buttons.addWidget(self.delay_button)
        buttons.addWidget(self.refresh_button)
        # The count tabs side by side without scroll arrows (at 1366 px the third was cut).
        self.counts.setMinimumWidth(self.counts.tabBar().sizeHint().width() + 4)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.setObjectName("dashboardBottom")
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
    def file_views(self) -> tuple[WatchTable, WatchTable, WatchTable]:
        return self.overdue_view, self.due_soon_view, self.paused_view

    # --- loading -------------------------------------------------------------------------

    def _apply_role(self) -> bool:
        supervisor = self.ctx.is_supervisor
        self.note.setVisible(not supervisor)
        self.content.setVisible(supervisor)
        return supervisor

    def set_scope(self, scope: Scope) -> None:
        """Watch the files of `scope`'s agencies: the lists, the counts and the charts."""
        if scope == self.scope:
            return
        self.scope = scope
        self.notice.clear()
        self.refresh()
        if self.ctx.is_supervisor:
            self.charts.set_scope(scope)
        else:
            self.charts.scope = scope

    def refresh(self) -> None:
        """Read the watch on the worker and show it (no-op for non-supervisors)."""
        self._bus_timer.stop()
        if not self._apply_role():
            return
        if self._loading:
            self._again = True
            return
        now = self.ctx.now()
        scope = self.scope

        def job(s: Session) -> Watch:
            return watch.watch(s, now, scope=scope)

        self._loading = True
        self._stale = False
        self.ctx.ops.read(
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
            model.set_rows(rows)  # the view fits its columns to the new rows
            self._select_codes(view, chosen)
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
        days = found.due_soon_days if found else Decimal(1)
        if days == 1:
            soon = self.tr("Due within one working day")
        elif days is None:  # a centre's agencies warn at different times
            soon = self.tr("Due soon")
        else:
            soon = self.tr("Due within {0} working days").format(_days(days))
        titles = (self.tr("Overdue"), soon, self.tr("Paused longest"))
        for i, (title, (total, shown)) in enumerate(zip(titles, totals, strict=True)):
            if shown < total:
                text = self.tr("{0} ({1} of {2})").format(title, shown, total)
            else:
                text = self.tr("{0} ({1})").format(title, total)
            self.lists.setTabText(i, text)
        if found is None:
            self.summary.setText(self.tr("Loading…"))
            return
        if days == 1:
            summary = self.tr("{0} overdue · {1} due within one working day · {2} paused — at {3}")
        else:
            summary = self.tr("{0} overdue · {1} due soon · {2} paused — at {3}")
        self.summary.setText(
            summary.format(
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
