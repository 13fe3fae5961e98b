"""The period statistics screen (Biểu 06/VPCP/KSTT): choose a period, compute, look, export."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services import printing, reports, statistics
from desk_app.services.statistics import GroupBy, PeriodReport
from desk_app.ui import preview
from desk_app.ui.context import UiContext
from desk_app.ui.forms import ERROR_STYLE
from desk_app.ui.period_page import PeriodPage
from desk_app.ui.statistics_model import (
    FIRST_COUNT_COLUMN,
    LABEL_COLUMN,
    GroupedHeader,
    StatisticsModel,
)

# The rule: an indicator only for work that lasts longer than half a second, so a
# quick quarter on a small desk does not flash a bar.
BUSY_DELAY_MS = 500

LABEL_MIN_WIDTH = 320  # px: two lines of a long procedure name
# The count columns are at least as wide as a five-digit count, so that they line up alike.
COUNT_SAMPLE = "00.000"
CELL_PADDING = 10  # px: a cell's margins and focus frame


class StatisticsView(PeriodPage[PeriodReport]):
    """Period statistics: the period and grouping chooser, the report table and its exports.

    No signals of its own. The report is computed on the worker (`ctx.runner`); a busy bar
    shows when a job lasts more than BUSY_DELAY_MS. After a change to the files the table is
    kept and marked out of date rather than recomputed: on a large register every accepted
    file would otherwise start a half-second query.
    """

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("statisticsView")
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)

        self._build_widgets()
        self._build_layout()
        self._connect()

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        # The period widgets are the chooser's; named here too for the view's callers.
        self._build_common(
            self.tr("Compute the report for the period (Enter)"),
            self.tr("Files have changed since this was computed; press Compute to refresh."),
        )
        self.kind_combo = self.chooser.kind_combo
        self.number_combo = self.chooser.number_combo
        self.year_spin = self.chooser.year_spin
        self.from_edit = self.chooser.from_edit
        self.to_edit = self.chooser.to_edit
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupBy")
        self.group_combo.addItem(self.tr("Field of work"), str(GroupBy.FIELD))
        self.group_combo.addItem(self.tr("Procedure"), str(GroupBy.PROCEDURE))
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)  # no known end: the bar runs back and forth
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.hide()

        self.pdf_button.setToolTip(self.tr("The report in the official layout, to print or save"))
        self.json_button = QPushButton(self.tr("JSON…"))
        self.json_button.setObjectName("exportJsonButton")
        self.register_button = QPushButton(self.tr("File register…"))
        self.register_button.setObjectName("registerButton")
        self.register_button.setToolTip(self.tr("The file register for the chosen period"))
        menu = QMenu(self.register_button)
        menu.setObjectName("registerMenu")
        self.register_pdf_action = QAction(self.tr("As PDF…"), menu)
        self.register_pdf_action.setObjectName("registerPdfAction")
        self.register_xlsx_action = QAction(self.tr("As Excel…"), menu)
        self.register_xlsx_action.setObjectName("registerXlsxAction")
        menu.addAction(self.register_pdf_action)
        menu.addAction(self.register_xlsx_action)
        self.register_button.setMenu(menu)
        self.export_buttons = (self.pdf_button, self.xlsx_button, self.json_button)

        self.model = StatisticsModel(self)
        self.table = QTableView()
        self.table.setObjectName("statisticsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Long procedure names wrap onto a second line rather than vanish behind an ellipsis.
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.fontMetrics().height() + 10)
        # Widths are set by _fit_columns: the numbers' columns to their contents, the label
        # column to what they leave.
        self.header = GroupedHeader(self.table)
        self.table.setHorizontalHeader(self.header)
        self.header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.header.setStretchLastSection(False)
        self.header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("00") + CELL_PADDING)
        self._set_exports_enabled(False)

    def _build_layout(self) -> None:
        status = QHBoxLayout()
        status.addWidget(self.summary_label, 1)
        status.addWidget(self.busy_bar)
        for button in (self.pdf_button, self.xlsx_button, self.json_button):
            status.addWidget(button)
        status.addSpacing(12)
        status.addWidget(self.register_button)

        self._lay_out(
            [self._group_by_label(self.group_combo), self.group_combo], status, self.table
        )

    def _connect(self) -> None:
        self._connect_common(self)
        self._busy_timer.timeout.connect(self._on_busy_timer_timeout)
        self.table.viewport().installEventFilter(self)
        self.json_button.clicked.connect(self.export_json)
        self.register_pdf_action.triggered.connect(self.register_pdf)
        self.register_xlsx_action.triggered.connect(self.register_xlsx)

    # --- the period -----------------------------------------------------------------------

    def group_by(self) -> GroupBy:
        return GroupBy(str(self.group_combo.currentData()))

    def set_group_by(self, by: GroupBy) -> None:
        index = self.group_combo.findData(str(by))
        if index < 0:
            raise ValueError(by)
        self.group_combo.setCurrentIndex(index)

    def set_centre(self, centre: bool) -> None:
        """A centre's database (several agencies): rows by agency, receiving officer and
        counter may be chosen too. A solo desk keeps its two groupings."""
        extra = (
            (self.tr("Agency"), GroupBy.AGENCY),
            (self.tr("Receiving officer"), GroupBy.OFFICER),
            (self.tr("Counter"), GroupBy.COUNTER),
        )
        for text, by in extra:
            index = self.group_combo.findData(str(by))
            if centre and index < 0:
                self.group_combo.addItem(text, str(by))
            elif not centre and index >= 0:
                self.group_combo.removeItem(index)

    # --- background jobs ------------------------------------------------------------------

    def _busy_started(self) -> None:
        self._busy_timer.start()

    def _busy_ended(self) -> None:
        self._busy_timer.stop()
        self.busy_bar.hide()

    def _on_busy_timer_timeout(self) -> None:
        if self._jobs > 0:
            self.busy_bar.show()

    # --- computing ------------------------------------------------------------------------

    def compute(self) -> None:
        """Compute the report for the chosen period and grouping; it replaces the table."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        by = self.group_by()
        scope = self.scope
        now = self.ctx.now()

        def job(s: Session) -> PeriodReport:
            return statistics.period_report(s, start, end, by, now=now, scope=scope)

        self._compute_latest(job, self._show_report, label="statistics")

    def _show_report(self, report: PeriodReport) -> None:
        self._report_shown(report)
        self.model.set_report(report)
        self._fit_columns()
        period = self._period_words(report, report.as_of)
        problems = [
            f"{row.label}: {problem}"
            for row in report.rows
            for problem in row.counts.identity_errors()
        ] + [f"{self.tr('Total')}: {p}" for p in report.total.identity_errors()]
        if problems:
            # A wrong identity is a bug in the counting, never something to hide.
            self.summary_label.setStyleSheet(ERROR_STYLE)
            check = self.tr("The report's identities do not hold; please report this: {0}")
            self.summary_label.setText(period + ". " + check.format("; ".join(problems)))
        else:
            self.summary_label.setStyleSheet("")
            check = self.tr(
                "Checked: 3 = 4+5+6, 7 = 8+9+10, 11 = 12+13, 3 = 7+11+withdrawn+stopped."
            )
            self.summary_label.setText(period + ". " + check)

    def _fit_columns(self) -> None:
        """Every column as wide as its numbers and its name, and no sideways scrolling at a
        1366 px window: where one-line names leave too little room, they go onto two lines.

        The label column takes the room left, never less than a readable width (a stretched
        column would shrink procedure names to a few letters); a window narrower than all
        that scrolls sideways.
        """
        header = self.header
        label = max(
            min(self.table.sizeHintForColumn(LABEL_COLUMN), LABEL_MIN_WIDTH),
            header.minimumSectionSize(),
        )
        room = self.table.viewport().width()
        for wrapped in (False, True):
            header.set_wrapped(wrapped)
            widths = self._column_widths()
            if sum(widths.values()) + label <= room:
                break
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.resizeSection(LABEL_COLUMN, max(room - sum(widths.values()), label))

    def _column_widths(self) -> dict[int, int]:
        """The least width of every column but the label's: its cells, its name (as the header
        writes it), and a share of its group's name so that the group reads whole."""
        header = self.header
        count = self.table.fontMetrics().horizontalAdvance(COUNT_SAMPLE) + CELL_PADDING
        widths = {
            column: max(
                self.table.sizeHintForColumn(column),
                header.sectionSizeFromContents(column).width(),
                count if column >= FIRST_COUNT_COLUMN else 0,
            )
            for column in range(self.model.columnCount())
            if column != LABEL_COLUMN
        }
        for column in list(widths):
            span = header.group_span(column)
            if span is None or span[0] != column:
                continue
            members = range(span[0], span[1] + 1)
            short = header.group_width(column) - sum(widths[c] for c in members)
            for i, member in enumerate(members if short > 0 else ()):  # spread over the group
                widths[member] += short // len(members) + int(i < short % len(members))
        return widths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    # --- exports --------------------------------------------------------------------------

    def _base_name(self, prefix: str, start: date, end: date) -> str:
        return f"{prefix}-{start.isoformat()}-{end.isoformat()}"

    def export_pdf(self) -> None:
        """The report in the official layout, in the print preview."""
        report = self.report
        if report is None:
            return
        name = self._base_name("bieu-06", report.start, report.end) + ".pdf"
        issued = self.ctx.now().date()

        def job(s: Session) -> bytes:
            return reports.statistics_pdf(s, report, issued=issued)

        def done(pdf: bytes) -> None:
            preview.show_pdf(self, pdf, self.tr("Period statistics"), name)

        self._run(job, done, label="statistics pdf")

    def export_xlsx(self) -> None:
        """The report as an Excel workbook with the form's merged headers."""
        report = self.report
        if report is None:
            return
        self._ask_and_save(
            self.tr("Save the report as Excel"),
            self._base_name("bieu-06", report.start, report.end) + ".xlsx",
            self.tr("Excel workbooks (*.xlsx)"),
            lambda s: reports.statistics_xlsx(s, report),
        )

    def export_json(self) -> None:
        """The report's numbers for machines (keys as in the issue)."""
        report = self.report
        if report is None:
            return
        self._ask_and_save(
            self.tr("Save the report as JSON"),
            self._base_name("bieu-06", report.start, report.end) + ".json",
            self.tr("JSON files (*.json)"),
            lambda _s: reports.statistics_json(report).encode("utf-8"),
        )

    def register_pdf(self) -> None:
        """The file register (sổ theo dõi hồ sơ) of the chosen period, in the print preview."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        name = self._base_name("so-theo-doi", start, end) + ".pdf"
        scope = self.scope

        def job(s: Session) -> bytes:
            return printing.print_register(s, start, end, scope=scope)

        def done(pdf: bytes) -> None:
            preview.show_pdf(self, pdf, self.tr("File register"), name)

        self._run(job, done, label="register pdf")

    def register_xlsx(self) -> None:
        """The file register of the chosen period as an Excel workbook."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        scope = self.scope
        self._ask_and_save(
            self.tr("Save the file register as Excel"),
            self._base_name("so-theo-doi", start, end) + ".xlsx",
            self.tr("Excel workbooks (*.xlsx)"),
            lambda s: reports.register_xlsx(s, start, end, scope=scope),
        )
