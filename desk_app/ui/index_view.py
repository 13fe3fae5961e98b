"""The national service index page (Decision 766/QĐ-TTg): what the desk can compute for a period."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from desk_app.services import index_exports, national_index
from desk_app.services.national_index import FileRef, IndexReport
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.index_model import (
    CODE_ROLE,
    DRILL_ROLE,
    KEY_ROLE,
    LABEL_COLUMN,
    NOTE_COLUMN,
    FilesBehindModel,
    IndexModel,
)
from desk_app.ui.period_page import PeriodPage

DRILL_LIMIT = 1000  # files listed behind a figure; the caption says how many there are in all


class IndexView(PeriodPage[IndexReport]):
    """The Decision 766 page: a period, the groups with their points of their weight and their
    figures; a drillable figure lists the files behind it; PDF and Excel exports.

    Signals:
        open_file(str): the code of a file double-clicked (or Enter) in the list of files.

    Computed on the worker (`ctx.ops.read`) when first shown and on Compute; a busy note shows
    for slow work. A change to the files marks the page out of date (recomputed when it is shown
    again, or on Compute), as the statistics view does: every accepted file would otherwise
    start a query on the counter's worker.
    """

    FILE_PREFIX = "chi-so-766"

    open_file = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.drill_key: str | None = None
        self.drill_total = 0
        self._computed_now: datetime | None = None  # the clock the report was computed at
        self._drill_generation = 0
        self.setObjectName("indexView")

        self._build_widgets()
        self._build_layout()
        self._connect()

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._build_common(
            self.tr("Compute the index for the period (Enter)"),
            self.tr("Files have changed since this was computed; press Compute to refresh."),
        )
        self.busy = BusyNote()
        self.pdf_button.setToolTip(self.tr("Save the index as a PDF file"))
        self.xlsx_button.setToolTip(self.tr("Save the index as an Excel workbook"))
        self.export_buttons = (self.pdf_button, self.xlsx_button)

        self.model = IndexModel(self)
        self.table = self._report_table("indexTable", self.model, NOTE_COLUMN)

        self.drill_label = QLabel()
        self.drill_label.setObjectName("drillLabel")
        self.drill_label.setWordWrap(True)
        self.close_drill_button = QPushButton(self.tr("Close the list"))
        self.close_drill_button.setObjectName("closeDrillButton")
        self.files_model = FilesBehindModel(self)
        self.files_table = self._report_table(
            "filesBehindTable", self.files_model, 1, fit_rows=False
        )
        self.files_table.setToolTip(self.tr("Double-click a file to open it in the main window"))
        rows = self.files_table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self._set_exports_enabled(False)

    def _build_layout(self) -> None:
        # The files behind a figure, under the figures once one is clicked: until then the
        # figures have the page's whole height (all of them at 1366x768).
        self.drill_box = QWidget()
        self.drill_box.setObjectName("drillBox")
        caption = QHBoxLayout()
        caption.addWidget(self.drill_label, 1)
        caption.addWidget(self.close_drill_button)
        drill_lay = QVBoxLayout(self.drill_box)
        drill_lay.setContentsMargins(0, 6, 0, 0)
        drill_lay.addLayout(caption)
        drill_lay.addWidget(self.files_table, 1)
        self.drill_box.hide()
        splitter = self._build_splitter(
            "indexSplitter", Qt.Orientation.Vertical, [(self.table, 1), (self.drill_box, 1)]
        )
        self._lay_out([], self._status_row(), splitter)

    def _connect(self) -> None:
        self._connect_common(self.chooser)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_clicked)
        self.files_table.activated.connect(self._on_files_table_activated)
        self.close_drill_button.clicked.connect(self._clear_drill)

    # --- computing ------------------------------------------------------------------------

    def compute(self) -> None:
        """Compute the index for the chosen period and scope; it replaces the page."""
        start, end = self.period()
        if not self._check_period(start, end):
            return
        scope = self.scope
        now = self.ctx.now()

        def job(s: Session) -> IndexReport:
            return national_index.index_report(s, start, end, now, scope=scope)

        def show(report: IndexReport) -> None:
            self._computed_now = now
            self._show_report(report)

        self._compute_latest(job, show, label="national index")

    def _show_report(self, report: IndexReport) -> None:
        self._report_shown(report)
        self.model.set_report(report)
        period = self._period_words(report, report.as_of)
        computed = sum(1 for g in report.groups if g.points is not None)
        words = self.tr("{0} of {1} groups computed at the desk; weights: {2}.").format(
            computed, len(report.groups), report.weights_source
        )
        self.summary_label.setText(f"{period}. {words}")
        key = self.drill_key
        if key is not None and self._drillable(key):
            self.drill(key)  # the same figure, for the new period or scope
        else:
            self._clear_drill()

    def _drillable(self, key: str) -> bool:
        """Whether the list open for `key` stays open for the index now on show: a figure with
        a list, even at 0 now (it then says there is none); only a click needs files behind."""
        report = self.report
        if report is None or self.model.row_of(key) < 0:
            return False
        figure = report.figure(key)
        return figure.drill and figure.value is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._compute_if_due()

    # --- the files behind a figure --------------------------------------------------------

    def drill(self, key: str) -> None:
        """List the files behind figure `key` of the index on show."""
        report = self.report
        if report is None:
            return
        row = self.model.row_of(key)
        label = str(self.model.index(row, LABEL_COLUMN).data() or key).strip()
        start, end, scope = report.start, report.end, report.scope
        now = self._computed_now
        self.drill_key = key
        self._drill_generation += 1
        generation = self._drill_generation

        def job(s: Session) -> tuple[list[FileRef], int]:
            return national_index.files_behind(
                s, key, start, end, now, scope=scope, limit=DRILL_LIMIT
            )

        def done(found: tuple[list[FileRef], int]) -> None:
            if generation == self._drill_generation:
                self._show_files(label, *found)

        def failed(exc: BaseException) -> None:
            if generation == self._drill_generation:
                show_error(self, exc)

        self._run(job, done, failed, label="files behind")

    def _show_files(self, label: str, files: list[FileRef], total: int) -> None:
        self.files_model.set_rows(files)
        if self.drill_box.isHidden():
            self.drill_box.show()
            height = sum(self.splitter.sizes())
            self.splitter.setSizes([height - height * 2 // 5, height * 2 // 5])
        self.drill_total = total
        if len(files) < total:
            text = self.tr("Files behind “{0}”: showing {1} of {2}.")
            self.drill_label.setText(text.format(label, len(files), total))
        else:
            text = self.tr("Files behind “{0}”: {1}. Double-click one to open it.")
            self.drill_label.setText(text.format(label, total))

    def _clear_drill(self) -> None:
        self.drill_key = None
        self.drill_total = 0
        self._drill_generation += 1
        self.files_model.set_rows([])
        self.drill_box.hide()

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.data(DRILL_ROLE):
            self.drill(str(index.data(KEY_ROLE)))

    def _on_files_table_activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.open_file.emit(str(code))

    # --- exports --------------------------------------------------------------------------

    def export_pdf(self) -> None:
        """The index on show as a PDF file."""
        title = self.tr("Save the index as PDF")
        self._export_report(title, ".pdf", index_exports.index_pdf, "national index export")

    def export_xlsx(self) -> None:
        """The index on show as an Excel workbook."""
        title = self.tr("Save the index as Excel")
        self._export_report(title, ".xlsx", index_exports.index_xlsx, "national index export")
