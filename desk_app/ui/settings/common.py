"""Pieces shared by the settings tabs: a one-line result message, their writes through the
window's runner (off the GUI thread, with the runner's change notice), the tabs that list rows
and the dialogs whose OK saves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError
from desk_app.services.calendar_moves import CalendarImpact, describe
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.forms import ERROR_STYLE, FieldErrors

T = TypeVar("T")
Row = TypeVar("Row")  # a row a tab lists
OK_STYLE = "color: #1b5e20;"


class Notice(QLabel):
    """One line under a tab's buttons: what the last action did, or why it was refused."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def ok(self, text: str) -> None:
        self.setStyleSheet(OK_STYLE)
        self.setText(text)
        self.show()

    def error(self, text: str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self.setText(text)
        self.show()

    def clear_notice(self) -> None:
        self.clear()
        self.hide()


class Pending:
    """The buttons of one tab or dialog while a save runs: disabled from the click until the
    write has ended (or the user declined to go on), so a double click cannot write twice.

    `begin()` is called by the click and says False when a save is already running; `write`
    and `confirm_moves` call `end()`, which gives each button back the state it had, then
    calls `on_end` (a tab whose buttons follow its selection sets them afresh there)."""

    def __init__(self, *widgets: QWidget, on_end: Callable[[], object] | None = None) -> None:
        self._widgets = widgets
        self._on_end = on_end
        self._enabled: list[bool] = []
        self.running = False

    def begin(self) -> bool:
        if self.running:
            return False
        self.running = True
        self._enabled = [w.isEnabled() for w in self._widgets]
        for widget in self._widgets:
            widget.setEnabled(False)
        return True

    def end(self) -> None:
        if not self.running:
            return
        self.running = False
        for widget, enabled in zip(self._widgets, self._enabled, strict=True):
            widget.setEnabled(enabled)
        if self._on_end is not None:
            self._on_end()


def _preview_or_none(
    preview: Callable[[Session], CalendarImpact],
) -> Callable[[Session], CalendarImpact | None]:
    def job(session: Session) -> CalendarImpact | None:
        try:
            return preview(session)
        except DeskError:
            return None  # a value the core refuses: saving shows the error next to its field

    return job


def confirm_moves(
    ctx: UiContext,
    parent: QWidget,
    preview: Callable[[Session], CalendarImpact],
    then: Callable[[], None],
    pending: Pending,
) -> None:
    """Before a calendar or hours change: list the open files whose due it would move (DOMAIN
    §4.1 rule 7) and ask whether to go on. The preview reads on the worker; `then()` runs
    when nothing moves or the user agrees, otherwise `pending` ends and nothing is saved."""

    def found(impact: CalendarImpact | None) -> None:
        if impact is None or impact.empty:
            then()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("settings", "Due dates will move"),
            "\n".join(describe(impact)),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            parent,
        )
        box.setObjectName("confirmMovesBox")
        box.setInformativeText(
            QCoreApplication.translate(
                "settings",
                "Only files the new rules make later are moved; no appointment is brought "
                "forward. Save the change?",
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Save:
                then()
            else:
                pending.end()

        box.finished.connect(answered)
        box.open()  # window-modal without a nested event loop

    def failed(exc: BaseException) -> None:
        pending.end()
        show_error(parent, exc)

    ctx.ops.read(
        _preview_or_none(preview), found, failed, owner=parent, label="preview of moved dues"
    )


def write(
    ctx: UiContext,
    parent: QWidget,
    fn: Callable[[Session], T],
    change: Change,
    done: Callable[[T], object],
    refused: Callable[[DeskError], None],
    pending: Pending,
) -> None:
    """Run `fn` in one writer transaction on the worker; once it committed the runner
    announces `change` and `done(result)` runs here. A refusal by the core (a busy database
    the user did not retry included) goes to `refused`, a bug gets the error box; the form
    keeps what was typed either way. `pending` (begun by the click) ends before either."""

    def written(result: T) -> None:
        pending.end()
        done(result)

    def failed(exc: BaseException) -> None:
        pending.end()
        if isinstance(exc, DeskError):
            refused(exc)
        else:
            show_error(parent, exc)

    label = f"{type(parent).__name__}: save {', '.join(sorted(change.kinds))}"
    ctx.ops.write(fn, written, failed, changes=change, owner=parent, label=label)


def rows_table(
    name: str, model: QAbstractItemModel, *, wrap: bool = True, stretch: int | None = None
) -> QTableView:
    """The settings tabs' list of rows: one row selected at a time, no row numbers, rows as
    high as a line of text (`wrap` False: long cells are elided, not wrapped). `stretch`: the
    columns fit their contents but that one, which takes the width left."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if not wrap:
        table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    if stretch is not None:
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


BUTTON_GROUP_GAP = 16  # pixels between groups of a tab's buttons


def rows_tab_layout(
    tab: QWidget,
    table: QTableView,
    groups: Sequence[Sequence[QWidget]],
    notice: QWidget,
    *,
    top: QWidget | None = None,
    foot: Sequence[QWidget] = (),
) -> None:
    """Lay out a tab that lists rows: `top` (an introduction, the agency chooser) over the
    table, the table's buttons in a column at its right (`groups` apart by a gap, `foot` at
    the column's bottom), and the notice under them."""
    column = QVBoxLayout()
    for i, group in enumerate(groups):
        if i:
            column.addSpacing(BUTTON_GROUP_GAP)
        for widget in group:
            column.addWidget(widget)
    column.addStretch(1)
    for widget in foot:
        column.addWidget(widget)
    body = QHBoxLayout()
    body.addWidget(table, 1)
    body.addLayout(column)
    lay = QVBoxLayout(tab)
    if top is not None:
        lay.addWidget(top)
    lay.addLayout(body)
    lay.addWidget(notice)


def selected_row(table: QTableView) -> int | None:
    """The row selected in a tab's list of rows (one at a time), or None."""
    model = table.selectionModel()
    rows = model.selectedRows() if model is not None else []
    return rows[0].row() if rows else None


class SaveDialog(QDialog):
    """A settings dialog whose OK starts a save (the tab's `write`): its buttons wait
    (`pending`) until the write ended, and closing it meanwhile is refused. The subclass makes
    `errors` and its buttons with `_save_buttons`, and starts its OK with `_submitting`."""

    errors: FieldErrors
    buttons: QDialogButtonBox
    pending: Pending

    def _save_buttons(
        self, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save
    ) -> QDialogButtonBox:
        """`ok` (Save) and Cancel, held by `pending` while a save runs."""
        self.buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        self.pending = Pending(self.buttons)
        return self.buttons

    def reject(self) -> None:
        # Closing while the save runs would hide whether it happened.
        if not self.pending.running:
            super().reject()

    def _submitting(self) -> bool:
        """OK was pressed: False while a save runs, else the last refusal is cleared."""
        if self.pending.running:
            return False
        self.errors.clear()
        return True


D = TypeVar("D", bound=SaveDialog)


class RowsTab(QWidget, Generic[Row, D]):
    """A tab that lists rows (`_rows`, one selected at a time in `table`), says what its last
    action did in `notice`, holds its buttons in `pending` while a save runs, and has at most
    one dialog `D` open (`dialog`, None once it closed)."""

    table: QTableView
    notice: Notice
    pending: Pending

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[Row] = []
        self.dialog: D | None = None

    def _select_where(self, match: Callable[[Row], bool]) -> int | None:
        """Select the first row that `match`es; its number, or None when there is none."""
        for number, row in enumerate(self._rows):
            if match(row):
                self.table.selectRow(number)
                return number
        return None

    def selected(self) -> Row | None:
        number = selected_row(self.table)
        return None if number is None or number >= len(self._rows) else self._rows[number]

    def _open_dialog(self, dialog: D) -> None:
        """Show `dialog` window-modal; it is deleted once closed."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _write(
        self,
        fn: Callable[[Session], T],
        change: Change,
        dialog: D | None,
        saved: Callable[[T], str],
    ) -> None:
        """Save on the worker (the click began the dialog's `pending`, or the tab's without a
        dialog). Once it committed the dialog closes, then `saved(result)` (which reloads the
        list) gives the notice's words; a refusal shows in the dialog, next to its field and
        with what was typed kept, or in the notice."""

        def done(result: T) -> None:
            if dialog is not None:
                dialog.accept()
            self.notice.ok(saved(result))

        def refused(exc: DeskError) -> None:
            if dialog is not None:
                dialog.errors.show_error(exc)
            else:
                self.notice.error(exc.message)

        self.notice.clear_notice()
        pending = dialog.pending if dialog is not None else self.pending
        write(self.ctx, self, fn, change, done, refused, pending)
