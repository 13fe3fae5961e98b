"""The supervisor's queue page (issue 16): for a period, per service group and per officer, the
tickets issued, served and skipped and the waiting and service minutes (mean and 90th
percentile), as a table and a chart, with PDF and Excel exports."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from desk_app.services import queue_exports, tickets
from desk_app.services.tickets import QueueGroupLines, QueueReport
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.context import UiContext
from desk_app.ui.period_page import PeriodPage, short_label
from desk_app.ui.queue_model import LABEL_COLUMN, QueueModel, format_minutes

# Waiting amber, service blue.
BAR_COLOURS = ("#ef6c00", "#1565c0")


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
        self.table = self._report_table("queueTable", self.model, LABEL_COLUMN)
        self._build_bar_chart("queue", self.tr("Mean minutes by group"), 300)
        self._set_exports_enabled(False)

    def _build_layout(self) -> None:
        splitter = self._build_splitter(
            "queueSplitter", Qt.Orientation.Horizontal, [(self.table, 2), (self.chart_view, 1)]
        )
        self._lay_out([], self._status_row(), splitter)

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
        self._report_shown(report)
        self.model.set_report(report)
        self._draw(report)
        period = self._period_words(report)
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
        self.charted = self._draw_bars(
            report.groups,
            lambda g: g.line.issued or 0,
            (self.tr("Waiting"), self.tr("Service")),
            BAR_COLOURS,
            self._mean,
            lambda g: short_label(g.line.label),
        )

    @staticmethod
    def _mean(group: QueueGroupLines, index: int) -> float:
        minutes = (group.line.wait, group.line.service)[index]
        return round(minutes.mean or 0.0, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._split_once(13)
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
