"""The Procedures tab: the catalogue as a table; add, edit, retire, import and export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.catalog import (
    CSV_COLUMNS,
    ProcedureSpec,
    dump_catalog_file,
    load_catalog_csv,
    load_catalog_file,
)
from desk_app.domain.due import DurationUnit
from desk_app.errors import DeskError, ValidationError
from desk_app.services import desk
from desk_app.ui import file_dialogs
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.agencies import AgencyChooser
from desk_app.ui.settings.catalog_documents import ChecklistEditor
from desk_app.ui.settings.common import (
    Notice,
    Pending,
    RowsTab,
    SaveDialog,
    rows_tab_layout,
    rows_table,
    write,
)
from desk_app.ui.table_model import RowsModel

# The one-row CSV the dialog builds has its header on row 1, so the core names row 2.
_ROW_PREFIX = "Dòng 2: "


def fee_text(fee: int | None) -> str:
    return "" if fee is None else f"{fee:,}".replace(",", ".")


def duration_text(spec: ProcedureSpec) -> str:
    if spec.duration is None or spec.unit in (DurationUnit.NONE, DurationUnit.SAME_DAY):
        return spec.unit.label
    number = format(spec.duration.normalize(), "f").replace(".", ",")  # Vietnamese decimal comma
    return f"{number} {spec.unit.label}"


class ProcedureDialog(SaveDialog):
    """One procedure's rule. The values are read exactly as an imported CSV row would be, so
    "0,5", "4.000.000" and "15h00" follow the catalogue file rules; the documents are a table."""

    def __init__(self, spec: ProcedureSpec | None, fields: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("procedureDialog")
        self.new = spec is None
        self.setWindowTitle(self.tr("New procedure") if spec is None else self.tr("Procedure"))
        # Starts the save; the tab closes the dialog once it committed, or shows the refusal.
        self.submit: Callable[[ProcedureSpec], None] | None = None

        # Widgets.
        def line(name: str, text: str = "") -> QLineEdit:
            edit = QLineEdit(text)
            edit.setObjectName(name)
            return edit

        self.code = line("code", spec.code if spec else "")
        self.code.setReadOnly(spec is not None)  # files refer to the code
        self.name = line("name", spec.name if spec else "")
        self.field = QComboBox()
        self.field.setObjectName("field")
        self.field.setEditable(True)
        self.field.addItems(fields)
        self.field.setCurrentText(spec.field if spec else "")
        self.settling_agency = line("settling_agency", spec.settling_agency if spec else "")
        duration = spec.duration if spec and spec.duration is not None else None
        self.duration = line("duration", "" if duration is None else format(duration, "f"))
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        for unit in DurationUnit:
            self.unit.addItem(unit.label, unit.value)
        self.unit.setCurrentIndex(
            self.unit.findData((spec.unit if spec else DurationUnit.WORKING_DAYS).value)
        )
        self.restart = QCheckBox(self.tr("Count the time again after a supplement"))
        self.restart.setObjectName("restart_on_supplement")
        self.restart.setChecked(bool(spec and spec.restart_on_supplement))
        self.fee = line("fee", fee_text(spec.fee) if spec else "")
        self.fee.setPlaceholderText(self.tr("VND; empty when there is no single fee"))
        self.fee_note = self._text("fee_note", spec.fee_note if spec else "", 3)
        self.cutoff = line("cutoff", spec.cutoff.strftime("%H:%M") if spec and spec.cutoff else "")
        self.cutoff.setPlaceholderText(self.tr("Same-day only; empty for the desk's cut-off"))
        self.documents = ChecklistEditor()
        self.documents.setObjectName("documents")
        if spec is not None:
            self.documents.model.set_specs(spec.documents)
        self.active = QCheckBox(self.tr("In use (offered at intake)"))
        self.active.setObjectName("active")
        self.active.setChecked(spec.active if spec else True)
        self.verify_note = self._text("verify_note", spec.verify_note if spec else "", 2)
        self.general = QLabel()
        self.general.setObjectName("procedureError")
        self.errors = FieldErrors(self.general)
        self._save_buttons()

        # Layout.
        form = QFormLayout()
        add = self.errors.add_row
        add(form, self.tr("Code"), self.code, "code")
        add(form, self.tr("Name"), self.name, "name")
        add(form, self.tr("Field of work"), self.field, "field")
        add(form, self.tr("Settling agency"), self.settling_agency, "settling_agency")
        time_row = QWidget()
        time_lay = QHBoxLayout(time_row)
        time_lay.setContentsMargins(0, 0, 0, 0)
        time_lay.addWidget(self.duration, 1)
        time_lay.addWidget(self.unit, 2)
        add(form, self.tr("Processing time"), time_row, "duration")
        self.errors.label_for("unit", self.unit)
        form.addRow("", self.errors.label_for("unit"))
        form.addRow("", self.restart)
        add(form, self.tr("Fee"), self.fee, "fee")
        add(form, self.tr("Fee note"), self.fee_note, "fee_note")
        add(form, self.tr("Cut-off"), self.cutoff, "cutoff")
        add(form, self.tr("Documents"), self.documents, "documents")
        add(form, self.tr("To verify"), self.verify_note, "verify_note")
        form.addRow("", self.active)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.general)
        lay.addWidget(self.buttons)
        self.resize(720, 640)

        # Signals.
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _text(self, name: str, text: str, lines: int) -> QPlainTextEdit:
        """A few lines of free text (fee tiers and notes may span lines)."""
        edit = QPlainTextEdit(text)
        edit.setObjectName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
        return edit

    def spec(self) -> ProcedureSpec:
        """The typed rule, or a ValidationError naming the field."""
        values = {
            "code": self.code.text(),
            "name": self.name.text(),
            "field": self.field.currentText(),
            "settling_agency": self.settling_agency.text(),
            "duration": self.duration.text(),
            "unit": str(self.unit.currentData()),
            "restart_on_supplement": "true" if self.restart.isChecked() else "false",
            "fee": self.fee.text(),
            "fee_note": self.fee_note.toPlainText(),
            "cutoff": self.cutoff.text(),
            "active": "true" if self.active.isChecked() else "false",
            "verify_note": self.verify_note.toPlainText(),
            "documents": "",  # from the table below, never through the CSV's text form
        }
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerow([values[c] for c in CSV_COLUMNS])
        try:
            (spec,) = load_catalog_csv(buffer.getvalue())
        except ValidationError as exc:
            raise ValidationError(exc.message.removeprefix(_ROW_PREFIX), field=exc.field) from exc
        return replace(spec, documents=self.documents.model.specs())

    def _on_buttons_accepted(self) -> None:
        if not self._submitting():
            return
        try:
            spec = self.spec()
        except ValidationError as exc:
            self.errors.show_error(exc)
            return
        if self.submit is not None and self.pending.begin():
            self.submit(spec)


class CatalogTab(RowsTab[ProcedureSpec, ProcedureDialog]):
    """Every procedure of one agency's catalogue, retired ones too; writes announce
    Change.of("catalog"). With several agencies, the chooser at the top picks the catalogue."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("catalogTab")

        # Widgets.
        self.chooser = AgencyChooser(ctx)
        self.model = RowsModel(
            [
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Field"),
                self.tr("Time"),
                self.tr("Fee (VND)"),
                self.tr("In use"),
            ],
            self,
        )
        self.table = rows_table("catalogTable", self.model, wrap=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((110, 380, 120, 150, 100, 70)):
            self.table.setColumnWidth(column, width)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setObjectName("addProcedure")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editProcedure")
        self.retire_button = QPushButton(self.tr("Retire"))
        self.retire_button.setObjectName("retireProcedure")
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setObjectName("importCatalog")
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("exportCatalog")
        self.notice = Notice("catalogNotice")
        self.pending = Pending(
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.import_button,
            self.chooser.combo,
            on_end=self._update_buttons,
        )

        # Layout.
        rows_tab_layout(
            self,
            self.table,
            [
                (self.add_button, self.edit_button, self.retire_button),
                (self.import_button, self.export_button),
            ],
            self.notice,
            top=self.chooser,
        )

        # Signals.
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.table.doubleClicked.connect(lambda _index: self._on_edit_clicked())
        self.retire_button.clicked.connect(self._on_retire_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.chooser.chosen.connect(lambda _agency: self._on_agency_chosen())

        # State.
        self.load()

    def agency(self) -> int:
        """The agency whose catalogue the tab shows and edits."""
        return self.chooser.agency()

    def load(self, select: str | None = None) -> None:
        current = self.selected()
        select = select or (current.code if current else None)
        agency = self.agency()
        self.ctx.ops.read(
            lambda s: desk.export_catalog(s, agency),
            lambda found: self._on_loaded(found, select),
            owner=self,
        )

    def _on_agency_chosen(self) -> None:
        self.notice.clear_notice()
        self.table.clearSelection()
        self.load()

    def _on_loaded(self, found: list[ProcedureSpec], select: str | None) -> None:
        self._rows = found
        self.model.set_rows(
            [
                (
                    p.code,
                    p.name,
                    p.field,
                    duration_text(p),
                    fee_text(p.fee),
                    self.tr("yes") if p.active else self.tr("retired"),
                )
                for p in self._rows
            ],
            self._rows,
        )
        if select is not None:
            self.select(select)
        self._update_buttons()

    def specs(self) -> list[ProcedureSpec]:
        return list(self._rows)

    def select(self, code: str) -> None:
        row = self._select_where(lambda spec: spec.code == code)
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        spec = self.selected()
        free = not self.pending.running
        self.edit_button.setEnabled(spec is not None and free)
        self.retire_button.setEnabled(spec is not None and free)
        self.retire_button.setText(
            self.tr("Bring back") if spec is not None and not spec.active else self.tr("Retire")
        )

    def _save(
        self,
        fn: Callable[[Session], ProcedureSpec],
        done: str,
        dialog: ProcedureDialog | None = None,
    ) -> None:
        """Save on the worker (the click began `pending`); the list then selects the
        procedure and the notice says `done` with its code."""

        def saved(spec: ProcedureSpec) -> str:
            self.load(select=spec.code)
            return done.format(spec.code)

        self._write(fn, Change.of("catalog"), dialog, saved)

    def _open(self, spec: ProcedureSpec | None) -> None:
        fields = sorted({p.field for p in self._rows})
        dialog = ProcedureDialog(spec, fields, self)
        new = spec is None
        agency = self.agency()

        def submit(value: ProcedureSpec) -> None:
            self._save(
                lambda s: desk.save_procedure(
                    s, value, self.ctx.actor, new=new, now=self.ctx.now(), agency=agency
                ),
                self.tr("Procedure {0} added.") if new else self.tr("Procedure {0} saved."),
                dialog,
            )

        dialog.submit = submit
        self._open_dialog(dialog)

    def _on_add_clicked(self) -> None:
        self._open(None)

    def _on_edit_clicked(self) -> None:
        spec = self.selected()
        if spec is not None:
            self._open(spec)

    def _on_retire_clicked(self) -> None:
        spec = self.selected()
        if spec is None or not self.pending.begin():
            return
        active = not spec.active
        agency = self.agency()
        self._save(
            lambda s: desk.set_procedure_active(
                s, spec.code, active, self.ctx.actor, now=self.ctx.now(), agency=agency
            ),
            self.tr("Procedure {0} is in use again.")
            if active
            else self.tr("Procedure {0} retired."),
        )

    # --- files ---------------------------------------------------------------------------

    def import_file(self, path: Path) -> None:
        """Add or update procedures from a JSON or CSV catalogue file; the notice says how
        it went once the write has ended."""
        if self.pending.running:
            return
        self.notice.clear_notice()
        try:
            specs = load_catalog_file(path)
        except DeskError as exc:
            self.notice.error(exc.message)
            return

        def imported(result: desk.CatalogImportResult) -> None:
            self.load()
            self.notice.ok(
                self.tr("Imported {0}: {1} added, {2} updated, {3} unchanged.").format(
                    path.name, result.added, result.updated, result.unchanged
                )
            )

        self.pending.begin()
        ctx = self.ctx
        agency = self.agency()
        write(
            ctx,
            self,
            lambda s: desk.import_catalog(s, specs, ctx.actor, now=ctx.now(), agency=agency),
            Change.of("catalog"),
            imported,
            lambda exc: self.notice.error(exc.message),
            self.pending,
        )

    def export_file(self, path: Path) -> bool:
        self.notice.clear_notice()
        try:
            dump_catalog_file(self._rows, path)
        except DeskError as exc:
            self.notice.error(exc.message)
            return False
        self.notice.ok(self.tr("Exported {0} procedures to {1}.").format(len(self._rows), path))
        return True

    def _on_import_clicked(self) -> None:
        chosen = file_dialogs.ask_open_path(
            self, self.tr("Import procedures"), self.tr("Catalogue files (*.json *.csv)")
        )
        if chosen is not None:
            self.import_file(chosen)

    def _on_export_clicked(self) -> None:
        answer = file_dialogs.ask_save_path(
            self,
            self.tr("Export procedures"),
            None,
            "thu-tuc.json",
            self.tr("JSON (*.json);;CSV for Excel (*.csv)"),
        )
        if answer is None:
            return
        path, chosen = answer
        if path.suffix.lower() not in {".json", ".csv"}:
            path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".json")
        self.export_file(path)


__all__ = ["CatalogTab", "ProcedureDialog"]
