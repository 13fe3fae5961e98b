"""The supervisor's queue page (issue 16): for a period, per service group and per officer, the
tickets issued, served and skipped and the waiting and service minutes (mean and 90th
percentile), as a table and a chart, with PDF and Excel exports."""

from __future__ import annotations

import math

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChartView, QHorizontalBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QTableView,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services import queue_exports, tickets
from desk_app.services.tickets import QueueGroupLines, QueueReport
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.context import UiContext
from desk_app.ui.dashboard_charts import _attach, _chart, _count_axis, _set_top
from desk_app.ui.period_page import PeriodPage
from desk_app.ui.queue_model import LABEL_COLUMN, QueueModel, format_minutes
from desk_app.ui.satisfaction_view import short_label

# Waiting amber, service blue.
BAR_COLOURS = ("#ef6c00", "#1565c0")
CHART_LIMIT = 12  # groups drawn: those with the most tickets; the table has them all


class QueueView(PeriodPage[QueueReport]):
    """The period, the table of the groups with their officers under each and the total, a
    bar chart of each group's mean waiting and service minutes, PDF and Excel exports. No
    signals of its own.

    Computed on the worker when first shown and on Compute; a change to the queue (a ticket
    issued or called here or at another counter) marks the page out of date, recomputed when it
    is shown again or on Compute, as the other supervisor pages do.
    """

    FILE_PREFIX = "hang-doi"

    STALE_ON = ("tickets",)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.charted: list[QueueGroupLines] = []  # the groups drawn, in the table's order
        self._split = False
        self.setObjectName("queueView")

        self._build_widgets()
        self._build_layout()
        self._connect()

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._build_common(
            self.tr("Count the tickets of the period (Enter)"),
            self.tr("Tickets issued or called since this was computed; press Compute to refresh."),
        )
        self.busy = BusyNote()
        self.pdf_button.setToolTip(self.tr("Save the queue's figures as a PDF file"))
        self.xlsx_button.setToolTip(self.tr("Save the queue's figures as an Excel workbook"))
        self.export_buttons = (self.pdf_button, self.xlsx_button)

        self.model = QueueModel(self)
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.series = QHorizontalBarSeries()
        self.series.setObjectName("queueSeries")
        self.axis = QBarCategoryAxis()
        self.chart = _chart(self.tr("Mean minutes by group"))
        self.chart.addSeries(self.series)
        self.chart.legend().setReverseMarkers(True)
        self.values = _count_axis()
        _attach(
            self.chart,
            self.series,
            (self.axis, Qt.AlignmentFlag.AlignLeft),
            (self.values, Qt.AlignmentFlag.AlignBottom),
        )
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("queueChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(300, 240)
        self._set_exports_enabled(False)

    def _build_layout(self) -> None:
        status = QHBoxLayout()
        status.addWidget(self.summary_label, 1)
        status.addWidget(self.busy)
        status.addWidget(self.pdf_button)
        status.addWidget(self.xlsx_button)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("queueSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self._lay_out([], status, self.splitter)

    def _connect(self) -> None:
        self._connect_common(self.chooser)

    # --- computing ------------------------------------------------------------------------

    def compute(self) -> None:
        """Count the tickets of the chosen period and scope; they replace the page."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        scope = self.scope

        def job(s: Session) -> QueueReport:
            return tickets.queue_report(s, start, end, scope=scope)

        self._compute_latest(job, self._show_report, label="queue")

    def _show_report(self, report: QueueReport) -> None:
        self.report = report
        self.model.set_report(report)
        self.stale_label.hide()
        self._set_exports_enabled(True)
        self._draw(report)
        period = self.tr("From {0} to {1}").format(
            f"{report.start:%d/%m/%Y}", f"{report.end:%d/%m/%Y}"
        )
        total, loc = report.total, self.locale()
        if not total.issued:
            words = self.tr("No ticket was issued in this period.")
        else:
            words = self.tr(
                "{0} tickets issued, {1} served, {2} skipped, {3} not called; "
                "mean wait {4} min, mean service {5} min."
            ).format(
                loc.toString(total.issued),
                loc.toString(total.served),
                loc.toString(total.skipped),
                loc.toString(report.not_called),
                format_minutes(total.wait.mean, loc),
                format_minutes(total.service.mean, loc),
            )
        if len(self.charted) < len(report.groups):
            words += " " + self.tr("The chart shows the {0} groups with the most tickets.").format(
                len(self.charted)
            )
        self.summary_label.setText(f"{period}. {words}")

    def _draw(self, report: QueueReport) -> None:
        """Each group's mean waiting and service minutes as flat bars, read from the top."""
        top = sorted(report.groups, key=lambda g: -(g.line.issued or 0))[:CHART_LIMIT]
        kept = {g.group_id for g in top}
        self.charted = [g for g in report.groups if g.group_id in kept]
        upward = list(reversed(self.charted))
        self.series.clear()
        names = (self.tr("Waiting"), self.tr("Service"))
        for index in reversed(range(2)):
            bars = QBarSet(names[index])
            bars.setColor(QColor(BAR_COLOURS[index]))
            bars.append([self._mean(g, index) for g in upward])
            self.series.append(bars)
        self.axis.clear()
        self.axis.append([short_label(g.line.label) for g in upward])
        self.axis.setTruncateLabels(False)
        means = [self._mean(g, i) for g in self.charted for i in range(2)]
        _set_top(self.values, math.ceil(max(means, default=0.0)))

    @staticmethod
    def _mean(group: QueueGroupLines, index: int) -> float:
        minutes = (group.line.wait, group.line.service)[index]
        return round(minutes.mean or 0.0, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split:
            self._split = True
            width = self.splitter.width()
            self.splitter.setSizes([width * 13 // 20, width - width * 13 // 20])
        self._compute_if_due()

    # --- exports --------------------------------------------------------------------------

    def export_pdf(self) -> None:
        """The figures on show as a PDF file (the date left to the signer)."""
        title = self.tr("Save the queue's figures as PDF")
        self._export_report(title, ".pdf", queue_exports.queue_pdf, "queue export")

    def export_xlsx(self) -> None:
        """The figures on show as an Excel workbook."""
        title = self.tr("Save the queue's figures as Excel")
        self._export_report(title, ".xlsx", queue_exports.queue_xlsx, "queue export")
