"""The supervisor's satisfaction page (issue 16): the applicants' ratings of a period by officer,
procedure or service, as a table and a chart, with PDF and Excel exports."""

from __future__ import annotations

from PySide6.QtCharts import QBarSet
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QShowEvent
from PySide6.QtWidgets import QComboBox, QToolTip, QWidget
from sqlalchemy.orm import Session

from desk_app.services import satisfaction
from desk_app.services.satisfaction import SatisfactionReport, SatisfactionRow
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.context import UiContext
from desk_app.ui.period_page import PeriodPage, short_label
from desk_app.ui.satisfaction_model import LABEL_COLUMN, SatisfactionModel

# Very satisfied green, satisfied blue, dissatisfied red (the watch's early / on time / late).
LEVEL_COLOURS = ("#2e7d32", "#1565c0", "#c62828")


class SatisfactionView(PeriodPage[SatisfactionReport]):
    """The period, the grouping (officer, procedure, service; agency in a centre), the table
    of the ratings by level with the share satisfied and the total, a bar chart of the three
    levels per group, PDF and Excel exports. No signals of its own.

    Computed on the worker (`ctx.ops.read`) when first shown and on Compute; a grouping chosen
    computes again. A change to the files or ratings marks the page out of date (recomputed
    when it is shown again, or on Compute), as the other supervisor pages do.
    """

    FILE_PREFIX = "muc-do-hai-long"

    STALE_ON = ("files", "ratings")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.charted: list[SatisfactionRow] = []  # the groups drawn, in the chart's order
        self.setObjectName("satisfactionView")

        self._build_widgets()
        self._build_layout()
        self._connect()

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._build_common(
            self.tr("Count the ratings of the period (Enter)"),
            self.tr("New ratings or files since this was computed; press Compute to refresh."),
        )
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("satisfactionGroupBy")
        self.group_combo.addItem(self.tr("Officer"), "officer")
        self.group_combo.addItem(self.tr("Procedure"), "procedure")
        self.group_combo.addItem(self.tr("Service"), "service")
        self.busy = BusyNote()
        self.pdf_button.setToolTip(self.tr("Save the ratings as a PDF file"))
        self.xlsx_button.setToolTip(self.tr("Save the ratings as an Excel workbook"))
        self.export_buttons = (self.pdf_button, self.xlsx_button)

        self.model = SatisfactionModel(self)
        self.table = self._report_table("satisfactionTable", self.model, LABEL_COLUMN)
        self._build_bar_chart("satisfaction", self.tr("Ratings by level"), 320)
        self._set_exports_enabled(False)

    def _build_layout(self) -> None:
        # The table on the left, the chart on the right: both whole at 1366x768. The bars lie
        # flat, so that the groups' names read across under one another.
        splitter = self._build_splitter(
            "satisfactionSplitter",
            Qt.Orientation.Horizontal,
            [(self.table, 1), (self.chart_view, 1)],
        )
        self._lay_out(
            [self._group_by_label(self.group_combo), self.group_combo], self._status_row(), splitter
        )

    def _connect(self) -> None:
        self._connect_common(self.chooser)
        self.group_combo.currentIndexChanged.connect(self._on_group_combo_changed)
        self.series.hovered.connect(self._on_series_hovered)

    # --- the period, the grouping and the scope -------------------------------------------

    def group_by(self) -> str:
        return str(self.group_combo.currentData())

    def set_group_by(self, by: str) -> None:
        """Group by "officer", "procedure", "service" (or "agency" in a centre)."""
        index = self.group_combo.findData(by)
        if index < 0:
            raise ValueError(by)
        self.group_combo.setCurrentIndex(index)

    def set_centre(self, centre: bool) -> None:
        """A centre's database: rows by agency may be chosen too."""
        index = self.group_combo.findData("agency")
        if centre and index < 0:
            self.group_combo.addItem(self.tr("Agency"), "agency")
        elif not centre and index >= 0:
            self.group_combo.removeItem(index)

    def _on_group_combo_changed(self, _index: int) -> None:
        if self.report is not None:
            self.compute()

    # --- computing ------------------------------------------------------------------------

    def compute(self) -> None:
        """Count the ratings of the chosen period, grouping and scope; they replace the page."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        scope = self.scope
        by = self.group_by()

        def job(s: Session) -> SatisfactionReport:
            return satisfaction.satisfaction_report(s, start, end, by=by, scope=scope)

        self._compute_latest(job, self._show_report, label="satisfaction")

    def _show_report(self, report: SatisfactionReport) -> None:
        self._report_shown(report)
        self.model.set_report(report)
        self._draw(report)
        period = self._period_words(report)
        total = report.total
        if total.total_rated == 0:
            words = self.tr("No rating was given in this period.")
        else:
            words = self.tr("{0} ratings given; {1} services not rated.").format(
                self.locale().toString(total.total_rated), self.locale().toString(total.not_rated)
            )
        if len(self.charted) < len(report.rows):
            words += " " + self.tr("The chart shows the {0} groups with the most ratings.").format(
                len(self.charted)
            )
        self.summary_label.setText(f"{period}. {words}")

    def _draw(self, report: SatisfactionReport) -> None:
        """The three levels of each group as bars one under another: the groups with the most
        ratings, in the table's order from the top."""
        names = (self.tr("Very satisfied"), self.tr("Satisfied"), self.tr("Dissatisfied"))
        # A procedure's code is short and unique (its names share long beginnings); the name
        # of a person or a service fits, shortened past LABEL_MAX. The tooltip has it whole.
        self.charted = self._draw_bars(
            report.rows,
            lambda r: r.rated,
            names,
            LEVEL_COLOURS,
            lambda r, level: float(self._level_count(r, level)),
            lambda r: self._category(r, report.by),
        )

    @staticmethod
    def _level_count(row: SatisfactionRow, level: int) -> int:
        c = row.counts
        return (c.very_satisfied, c.satisfied, c.dissatisfied)[level]

    @staticmethod
    def _category(row: SatisfactionRow, by: str) -> str:
        return row.key if by == "procedure" else short_label(row.label)

    def chart_tooltip(self, index: int) -> str:
        """What the bars of group `index` (in the table's order) hold: its whole name and the
        counts by level."""
        row = self.charted[index]
        c = row.counts
        text = self.tr("{0}: very satisfied {1}, satisfied {2}, dissatisfied {3}")
        name = (
            f"{row.key} – {row.label}"
            if self.report and self.report.by == "procedure"
            else row.label
        )
        return text.format(name, c.very_satisfied, c.satisfied, c.dissatisfied)

    def _on_series_hovered(self, status: bool, index: int, _bars: QBarSet) -> None:
        if status and 0 <= index < len(self.charted):
            shown = len(self.charted) - 1 - index  # the bars count from the bottom
            QToolTip.showText(QCursor.pos(), self.chart_tooltip(shown), self.chart_view)
        else:
            QToolTip.hideText()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._split_once(11)  # the table the larger part, the chart the rest
        self._compute_if_due()

    # --- exports --------------------------------------------------------------------------

    def export_pdf(self) -> None:
        """The ratings on show as a PDF file (the date left to the signer)."""
        title = self.tr("Save the ratings as PDF")
        self._export_report(title, ".pdf", satisfaction.satisfaction_pdf, "satisfaction export")

    def export_xlsx(self) -> None:
        """The ratings on show as an Excel workbook."""
        title = self.tr("Save the ratings as Excel")
        self._export_report(title, ".xlsx", satisfaction.satisfaction_xlsx, "satisfaction export")
