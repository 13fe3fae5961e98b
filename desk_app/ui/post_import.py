"""Importing delivery results from the post: paste or pick a list, preview, apply all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError
from desk_app.services import post, post_lists
from desk_app.services.post_lists import ImportReport, OutcomeImportError, OutcomeRow
from desk_app.ui import file_dialogs
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import error_text, show_error
from desk_app.ui.forms import ERROR_STYLE
from desk_app.ui.table_model import RowsModel

# Typing pauses this long before the pasted list is checked again.
PREVIEW_DELAY_MS = 400


@dataclass(frozen=True)
class _Preview:
    rows: list[OutcomeRow]
    codes: dict[str, str | None]  # tracking -> file code (None: no such item)


def _moment(row: OutcomeRow) -> str:
    return row.at.strftime("%d/%m/%Y %H:%M" if row.has_time else "%d/%m/%Y")


class PostalImportDialog(QDialog):
    """Paste the post office's list or choose a CSV/XLSX file, check it, apply it at once.

    The preview shows every parsed line with the file its tracking number belongs to. Apply is
    one transaction: either every line is applied (the table then lists them) or nothing is and
    every refused line is listed with its number, so the list can be corrected and applied again.

    Signals:
        applied(object): the ImportReport of a successful import.
    """

    applied = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: ImportReport | None = None
        self._rows: list[OutcomeRow] | None = None
        self._source: Path | None = None
        self._generation = 0
        self._busy = False

        self.setWindowTitle(self.tr("Import delivery results from the post"))
        self.setMinimumSize(820, 560)
        intro = QLabel(
            self.tr(
                "Paste the post office's list (tracking number, outcome, date, signed by, note;"
                " one item per line, separated by tabs or semicolons; a header line is optional)"
                " or choose a CSV or Excel file. Nothing is applied if any line is refused."
            )
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.setObjectName("import_choose_file")
        self.source = QLabel(self.tr("Pasted text"))
        self.source.setObjectName("import_source")
        self.text = QPlainTextEdit()
        self.text.setObjectName("import_text")
        self.text.setPlaceholderText(
            self.tr("RR123456785VN; delivered; 02/03/2026 15:30; Nguyễn Văn A")
        )
        self.text.setTabChangesFocus(False)
        self.text.setMaximumHeight(140)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("Line"),
                self.tr("Tracking number"),
                self.tr("File"),
                self.tr("Outcome"),
                self.tr("Date"),
                self.tr("Signed by"),
                self.tr("Note"),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("import_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QListWidget()
        self.problems.setObjectName("import_problems")
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.apply_button.setObjectName("import_apply")
        self.apply_button.setEnabled(False)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("import_close")
        # Enter in the dialog must neither apply a list by accident nor close it.
        for button in (self.apply_button, close):
            button.setAutoDefault(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)

        source_row = QHBoxLayout()
        source_row.addWidget(self.choose_button)
        source_row.addWidget(self.source, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(source_row)
        layout.addWidget(self.text)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.text.textChanged.connect(self._on_text_text_changed)
        self._timer.timeout.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

    # --- input ---------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """Put `text` in the paste box and check it now (no typing pause)."""
        self.text.setPlainText(text)
        self.preview()

    def _on_text_text_changed(self) -> None:
        self._source = None
        self.source.setText(self.tr("Pasted text"))
        self.report = None
        self._rows = None
        self.apply_button.setEnabled(False)
        self._timer.start()

    def _on_choose_button_clicked(self) -> None:
        chosen = file_dialogs.ask_open_path(
            self,
            self.tr("Choose the post office's list"),
            self.tr("Lists (*.csv *.xlsx *.txt);;All files (*)"),
        )
        if chosen is not None:
            self.load_file(chosen)

    def load_file(self, path: Path) -> None:
        """Read a CSV/XLSX list (off the GUI thread) and preview it."""
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        self._timer.stop()
        self._source = path
        self.source.setText(self.tr("File: {0}").format(path.name))
        self._start_preview(lambda: post_lists.parse_outcomes(path))

    def preview(self) -> None:
        """Check the pasted text: parse it and look up the file of every tracking number."""
        self._timer.stop()
        if self._source is not None:
            return
        text = self.text.toPlainText()
        if not text.strip():
            self._generation += 1
            self._show_rows([], {})
            self._show_problems([])
            self.summary.clear()
            self._rows = None
            self.apply_button.setEnabled(False)
            return
        self._start_preview(lambda: post_lists.parse_outcomes_text(text))

    def _start_preview(self, parse: Callable[[], list[OutcomeRow]]) -> None:
        self._generation += 1
        generation = self._generation
        self.report = None
        self._rows = None
        self.apply_button.setEnabled(False)

        def job(s: Session) -> _Preview:
            rows = parse()
            found = {r.tracking: post.find_by_tracking(s, r.tracking) for r in rows}
            return _Preview(rows, found)

        def done(result: _Preview) -> None:
            if generation == self._generation:
                self._on_preview_done(result)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._on_preview_failed(exc)

        self.ctx.ops.read(job, done, failed, owner=self, label=self.windowTitle())

    def _on_preview_done(self, result: _Preview) -> None:
        self._rows = result.rows
        self._show_rows(result.rows, result.codes)
        self._show_problems([])
        unknown = sum(1 for r in result.rows if result.codes.get(r.tracking) is None)
        n = len(result.rows)
        if not result.rows:
            self.summary.setText(self.tr("The list has no lines to apply."))
        elif unknown:
            self.summary.setText(
                self.tr("%n line(s) read.", "", n)
                + " "
                + self.tr("%n tracking number(s) match no file (marked ?).", "", unknown)
            )
        else:
            self.summary.setText(
                self.tr("%n line(s) read.", "", n) + " " + self.tr("Check them, then press Apply.")
            )
        self.apply_button.setEnabled(bool(result.rows) and not self._busy)

    def _on_preview_failed(self, exc: BaseException) -> None:
        self._rows = None
        self._show_rows([], {})
        if isinstance(exc, OutcomeImportError):
            self._show_problems(exc.lines)
            self.summary.setText(
                self.tr("The list cannot be read: %n line(s) are wrong.", "", len(exc.lines))
            )
        else:
            self._show_problems([error_text(exc)])
            self.summary.setText(self.tr("The list cannot be read."))
        self.apply_button.setEnabled(False)

    # --- applying ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def apply(self) -> None:
        """Apply every previewed line in one transaction (nothing at all when one is refused)."""
        rows = self._rows
        if self._busy or not rows:
            return
        actor, now = self.ctx.actor, self.ctx.now()

        def job(s: Session) -> ImportReport:
            return post_lists.import_outcomes(s, rows, actor, now=now)

        def changed(report: ImportReport) -> Change:
            return Change.files(*sorted({code for _tracking, code, _outcome in report.applied}))

        self._set_busy(True)
        self.ctx.ops.write(
            job,
            lambda report: self._on_apply_done(rows, report),
            self._on_apply_failed,
            changes=changed,
            owner=self,
            label=self.windowTitle(),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.apply_button.setEnabled(not busy and bool(self._rows) and self.report is None)
        self.choose_button.setEnabled(not busy)
        self.text.setReadOnly(busy)

    def _on_apply_done(self, rows: list[OutcomeRow], report: ImportReport) -> None:
        self.report = report
        self._set_busy(False)
        codes = {tracking: code for tracking, code, _outcome in report.applied}
        self._show_rows(rows, dict(codes))
        self._show_problems([])
        self.summary.setText(
            self.tr("Applied %n result(s); the listed files are updated.", "", len(report.applied))
        )
        self.apply_button.setEnabled(False)
        self.applied.emit(report)

    def _on_apply_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, OutcomeImportError):
            self._show_problems(exc.lines)
            self.summary.setText(
                self.tr(
                    "Nothing was applied: %n line(s) refused. Correct the list and apply again.",
                    "",
                    len(exc.lines),
                )
            )
        elif isinstance(exc, DeskError):
            self._show_problems([exc.message])
            self.summary.setText(self.tr("Nothing was applied."))
        else:
            show_error(self, exc)

    # --- showing -------------------------------------------------------------------------------

    def _show_rows(self, rows: list[OutcomeRow], codes: dict[str, str | None]) -> None:
        self.model.set_rows(
            [
                (
                    str(r.line),
                    r.tracking,
                    codes.get(r.tracking) or "?",
                    post.OUTCOME_LABELS.get(r.outcome, r.outcome),
                    _moment(r),
                    r.signed_by,
                    r.note,
                )
                for r in rows
            ],
            rows,
        )

    def _show_problems(self, lines: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(lines)
        self.problems.setVisible(bool(lines))

    def problem_lines(self) -> list[str]:
        """The refused lines as shown ("Dòng 3: …")."""
        return [self.problems.item(i).text() for i in range(self.problems.count())]

    def reject(self) -> None:
        # Closing while the import runs would hide whether it happened.
        if not self._busy:
            super().reject()
