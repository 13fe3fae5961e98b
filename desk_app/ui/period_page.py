"""What the supervisor's period pages (statistics, national index, satisfaction, queue) share:
the period chosen and checked, the jobs run on the worker under a busy indicator, the "out of
date after a change" note, the report's table, the chart of flat bars beside it, the summary's
period, and the exports' save dialog and writing."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChartView, QHorizontalBarSeries
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import ValidationError
from desk_app.services import statistics
from desk_app.services.scope import Scope
from desk_app.store.files import write_atomically
from desk_app.ui import file_dialogs
from desk_app.ui.bus import Change
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import _attach, _chart, _count_axis, _set_top
from desk_app.ui.errors import show_error
from desk_app.ui.forms import ERROR_STYLE, FieldErrors
from desk_app.ui.period_chooser import PeriodChooser

T = TypeVar("T")
Row = TypeVar("Row")  # a group of the report drawn as bars

CHART_LIMIT = 12  # groups drawn: those that count the most; the table has them all
LABEL_MAX = 18  # characters of a group's name under its bars; the whole name in the tooltip


def short_label(text: str, most: int = LABEL_MAX) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


class Dated(Protocol):
    """A page's report: the period it counts."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


R = TypeVar("R", bound=Dated)  # the page's report


class PeriodPage(QWidget, Generic[R]):
    """A page that computes a report `R` for a chosen period and scope.

    The subclass calls `_build_common` (the period, Compute, the summary, the notes, PDF and
    Excel), sets `export_buttons` (and `busy` unless it overrides the busy hooks), lays the page
    out with `_lay_out`, connects with `_connect_common`, and writes `compute()`, `export_pdf()`
    and `export_xlsx()`; it shows a report through `_compute_latest`, which drops the answers of
    computations started before the last one.
    """

    # What a change must touch for the report on show to be out of date.
    STALE_ON: tuple[str, ...] = ("files", "catalog")

    chooser: PeriodChooser
    field_errors: FieldErrors
    stale_label: QLabel
    message_label: QLabel
    busy: BusyNote
    export_buttons: tuple[QPushButton, ...]
    # Each page writes these three; `_connect_common` connects its buttons to them.
    compute: Callable[[], None]
    export_pdf: Callable[[], None]
    export_xlsx: Callable[[], None]
    # The name an export is offered under: "<FILE_PREFIX>-<start>-<end>.pdf".
    FILE_PREFIX: str = "bao-cao"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: R | None = None
        # The agencies counted: every one the user works for, or the one the supervisor
        # window's chooser names.
        self.scope = ctx.scope
        self._generation = 0
        self._jobs = 0
        self._save_dir: Path | None = None
        self._split = False  # the splitter given its shares (when first shown)

    # --- building -------------------------------------------------------------------------

    def _build_common(self, compute_tip: str, stale_text: str) -> None:
        """The period chooser, Compute (its tooltip `compute_tip`), the period's error, the
        summary, the out-of-date note (`stale_text`), the message line, PDF and Excel."""
        self.chooser = PeriodChooser(self.ctx.now().date())
        self.compute_button = QPushButton(self.tr("Compute"))
        self.compute_button.setObjectName("computeButton")
        self.compute_button.setAutoDefault(True)
        self.compute_button.setToolTip(compute_tip)
        self.error_label = QLabel()
        self.error_label.setObjectName("periodError")
        self.field_errors = FieldErrors(self.error_label)
        self.field_errors.label_for("to", self.chooser.to_edit)
        self.summary_label = QLabel(self.tr("Choose a period and press Compute (Enter)."))
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.stale_label = QLabel(stale_text)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setStyleSheet(ERROR_STYLE)
        self.stale_label.hide()
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.pdf_button = QPushButton(self.tr("PDF…"))
        self.pdf_button.setObjectName("exportPdfButton")
        self.xlsx_button = QPushButton(self.tr("Excel…"))
        self.xlsx_button.setObjectName("exportXlsxButton")

    def _group_by_label(self, combo: QWidget) -> QLabel:
        label = QLabel(self.tr("Group by"))
        label.setBuddy(combo)
        return label

    @staticmethod
    def _report_table(
        name: str, model: QAbstractItemModel, stretch: int, *, fit_rows: bool = True
    ) -> QTableView:
        """A read-only table of whole rows, one selected at a time, without row numbers; its
        columns fit their contents but `stretch`, which takes the width left. `fit_rows`: long
        cells wrap and each row is as high as its contents."""
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if fit_rows:
            table.setWordWrap(True)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def _build_bar_chart(self, name: str, title: str, least_width: int) -> None:
        """`chart_view` (`<name>Chart`): flat bars in `series` (`<name>Series`), the groups on
        `axis` at the left, the values on `values` at the bottom; the legend reads from the top
        (the bars are added bottom-up, see `_draw_bars`)."""
        self.series = QHorizontalBarSeries()
        self.series.setObjectName(f"{name}Series")
        self.axis = QBarCategoryAxis()
        self.chart = _chart(title)
        self.chart.addSeries(self.series)
        self.chart.legend().setReverseMarkers(True)
        self.values = _count_axis()
        # The axes stay for the widget's life and only change their values (see the watch's
        # charts: axes made anew left old labels drawn under the new ones).
        _attach(
            self.chart,
            self.series,
            (self.axis, Qt.AlignmentFlag.AlignLeft),
            (self.values, Qt.AlignmentFlag.AlignBottom),
        )
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName(f"{name}Chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(least_width, 240)

    def _build_splitter(
        self, name: str, orientation: Qt.Orientation, parts: Sequence[tuple[QWidget, int]]
    ) -> QSplitter:
        """`splitter` (named `name`) holding each (widget, stretch factor) of `parts`."""
        self.splitter = QSplitter(orientation)
        self.splitter.setObjectName(name)
        self.splitter.setChildrenCollapsible(False)
        for index, (widget, stretch) in enumerate(parts):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(index, stretch)
        return self.splitter

    def _status_row(self) -> QHBoxLayout:
        """The summary, then the busy note, PDF and Excel at its right."""
        status = QHBoxLayout()
        status.addWidget(self.summary_label, 1)
        status.addWidget(self.busy)
        status.addWidget(self.pdf_button)
        status.addWidget(self.xlsx_button)
        return status

    def _lay_out(self, beside_period: list[QWidget], status: QBoxLayout, body: QWidget) -> None:
        """The period with `beside_period` and Compute on top, its error, the `status` row, the
        out-of-date note, `body` taking the height left, the message line at the foot."""
        period = QHBoxLayout()
        period.addWidget(self.chooser)
        for widget in beside_period:
            period.addWidget(widget)
        period.addWidget(self.compute_button)
        period.addStretch(1)

        lay = QVBoxLayout(self)
        lay.addLayout(period)
        lay.addWidget(self.error_label)
        lay.addWidget(self.field_errors.label_for("to"))
        lay.addLayout(status)
        lay.addWidget(self.stale_label)
        lay.addWidget(body, 1)
        lay.addWidget(self.message_label)

    def _connect_common(self, enter_within: QWidget) -> None:
        """The period, Compute (and Enter anywhere within `enter_within`), PDF, Excel and the
        changes of the data."""
        self.chooser.changed.connect(self._on_chooser_changed)
        self.compute_button.clicked.connect(self.compute)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), enter_within)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.compute)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.ctx.bus.changed.connect(self._on_bus_changed)

    # --- the period and the scope ---------------------------------------------------------

    def set_period(self, kind: str, year: int = 0, number: int = 1) -> None:
        """Choose a named period ("month", "quarter", "half", "year") or "custom" (the dates)."""
        self.chooser.set_period(kind, year, number)

    def set_dates(self, start: date, end: date) -> None:
        """Choose custom dates (the kind switches to "custom")."""
        self.chooser.set_dates(start, end)

    def period(self) -> tuple[date, date]:
        """The chosen period, first and last day included."""
        return self.chooser.period()

    def set_scope(self, scope: Scope) -> None:
        """Count `scope`'s agencies; a report on show is computed again."""
        if scope == self.scope:
            return
        self.scope = scope
        if self.report is not None:
            self.compute()

    def _on_chooser_changed(self) -> None:
        self.field_errors.clear()

    def _check_period(self, start: date, end: date) -> bool:
        """Whether the period can be counted; if not, the reason is shown next to it."""
        try:
            statistics.period_bounds(start, end)
        except ValidationError as exc:
            self.field_errors.show({exc.field or "": exc.message})
            return False
        self.field_errors.clear()
        return True

    # --- background jobs ------------------------------------------------------------------

    def _busy_started(self) -> None:
        self.busy.start(self.tr("Computing…"))

    def _busy_ended(self) -> None:
        self.busy.stop()

    def _run(
        self,
        job: Callable[[Session], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> None:
        """Run `job` in a reader session on the worker, the busy indicator armed until it ends."""
        self._jobs += 1
        if self._jobs == 1:
            # Armed before the job is handed over: a synchronous runner ends it inside read().
            self._busy_started()

        def finish() -> None:
            self._jobs -= 1
            if self._jobs == 0:
                self._busy_ended()

        def on_done(result: T) -> None:
            finish()
            done(result)

        def on_error(exc: BaseException) -> None:
            finish()
            if failed is not None:
                failed(exc)
            else:
                show_error(self, exc)

        self.ctx.ops.read(job, on_done, on_error, owner=self, label=label)

    def _compute_latest(
        self, job: Callable[[Session], R], show: Callable[[R], None], label: str
    ) -> None:
        """Run a computation of the page's report; only the last one started is shown (or its
        error), an earlier one finishing late is dropped."""
        self._generation += 1
        generation = self._generation

        def done(report: R) -> None:
            if generation == self._generation:
                show(report)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                show_error(self, exc)

        self.message_label.clear()
        self._run(job, done, failed, label=label)

    # --- showing --------------------------------------------------------------------------

    def _report_shown(self, report: R) -> None:
        """`report` is the one on show now: up to date, its exports offered."""
        self.report = report
        self.stale_label.hide()
        self._set_exports_enabled(True)

    def _period_words(self, report: R, as_of: datetime | None = None) -> str:
        """ "From <start> to <end>" (", counted as of <as_of>" for a period not over yet)."""
        words = self.tr("From {0} to {1}").format(
            f"{report.start:%d/%m/%Y}", f"{report.end:%d/%m/%Y}"
        )
        if as_of is not None:
            # A period not over yet is counted up to now (DOMAIN §4.1 rule 6).
            words += self.tr(", counted as of {0}").format(f"{as_of:%H:%M %d/%m/%Y}")
        return words

    def _draw_bars(
        self,
        rows: Sequence[Row],
        weight: Callable[[Row], float],
        names: Sequence[str],
        colours: Sequence[str],
        value: Callable[[Row, int], float],
        label: Callable[[Row], str],
    ) -> list[Row]:
        """Draw the CHART_LIMIT `rows` of the most `weight` (in `rows`' order from the top) as
        flat bars, one set per name of `names` (its colour in `colours`, a row's bar
        `value(row, index)`), each group named `label(row)`; the rows drawn are returned."""
        top = sorted(rows, key=lambda r: -weight(r))[:CHART_LIMIT]
        kept = {id(r) for r in top}
        charted = [r for r in rows if id(r) in kept]
        # Flat bars are drawn bottom-up: the groups, and the sets within each, reversed so that
        # both read from the top as in the table and the legend.
        upward = list(reversed(charted))
        self.series.clear()
        for index in reversed(range(len(names))):
            bars = QBarSet(names[index])
            bars.setColor(QColor(colours[index]))
            bars.append([value(r, index) for r in upward])
            self.series.append(bars)
        self.axis.clear()
        self.axis.append([label(r) for r in upward])
        self.axis.setTruncateLabels(False)
        values = [value(r, index) for r in charted for index in range(len(names))]
        _set_top(self.values, math.ceil(max(values, default=0.0)))
        return charted

    def _split_once(self, twentieths: int) -> None:
        """The first time the page is shown, give the splitter's first part `twentieths`/20 of
        its width and the second the rest: their own size hints would give the table nearly
        all (or, set before the page is laid out, nearly nothing)."""
        if not self._split:
            self._split = True
            width = self.splitter.width()
            self.splitter.setSizes([width * twentieths // 20, width - width * twentieths // 20])

    # --- out of date ----------------------------------------------------------------------

    def _on_bus_changed(self, change: Change) -> None:
        if self.report is not None and any(change.touches(t) for t in self.STALE_ON):
            self.stale_label.show()

    def _compute_if_due(self) -> None:
        """First shown, or shown again after a change: the page is worth its query."""
        if self.report is None or not self.stale_label.isHidden():
            self.compute()

    # --- exports --------------------------------------------------------------------------

    def _set_exports_enabled(self, enabled: bool) -> None:
        for button in self.export_buttons:
            button.setEnabled(enabled)

    def _ask_path(self, title: str, name: str, file_filter: str, suffix: str) -> Path | None:
        """The file to save to (`suffix` added when the user left it off), or None."""
        chosen = file_dialogs.ask_save_path(self, title, self._save_dir, name, file_filter)
        if chosen is None:
            return None
        path = chosen[0]
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._save_dir = path.parent
        return path

    def _save(self, path: Path, make: Callable[[Session], bytes], label: str = "export") -> None:
        """Make the bytes and write them on the worker, then say where they went."""

        def job(s: Session) -> Path:
            write_atomically(path, make(s))
            return path

        def done(saved: Path) -> None:
            self.message_label.setText(self.tr("Saved to {0}").format(str(saved)))

        self._run(job, done, label=label)

    def _ask_and_save(
        self,
        title: str,
        name: str,
        file_filter: str,
        make: Callable[[Session], bytes],
        label: str = "export",
    ) -> None:
        """Ask where to save `name` (its suffix is the file's type), then make and write it."""
        path = self._ask_path(title, name, file_filter, Path(name).suffix)
        if path is not None:
            self._save(path, make, label=label)

    def _file_stem(self, report: R) -> str:
        """The name an export of `report` is offered under, without its suffix."""
        return f"{self.FILE_PREFIX}-{report.start.isoformat()}-{report.end.isoformat()}"

    def _export_report(
        self, title: str, suffix: str, make: Callable[[Session, R], bytes], label: str
    ) -> None:
        """Ask where to save the report on show (if any) as ".pdf" or ".xlsx", then make it on
        the worker with `make` and write it."""
        report = self.report
        if report is None:
            return
        if suffix == ".pdf":
            file_filter = self.tr("PDF files (*.pdf)")
        else:
            file_filter = self.tr("Excel workbooks (*.xlsx)")
        name = self._file_stem(report) + suffix
        self._ask_and_save(title, name, file_filter, lambda s: make(s, report), label=label)
