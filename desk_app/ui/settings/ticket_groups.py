"""The Queue tab (issue 16): the service groups the hall's tickets are numbered by, for an
administrator: add one, rename one, retire one (it issues no ticket; its history stays) and
reopen it. The services say what is wrong, next to the field it belongs to."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services import tickets
from desk_app.services.tickets import GroupRow, GroupView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.agencies import AgencyChooser
from desk_app.ui.settings.common import (
    Notice,
    Pending,
    RowsTab,
    SaveDialog,
    rows_tab_layout,
    rows_table,
)
from desk_app.ui.table_model import RowsModel

# What the groups' writes announce: the counters' ticket bars read their groups again.
GROUPS_CHANGED = Change.of("tickets")


class GroupDialog(SaveDialog):
    """A new group (`view` None: its letter and name) or a group renamed (the name only: the
    letter is on its tickets). Save calls `submit(prefix, name)`; the tab closes the dialog
    once the write committed, or shows the refusal next to its field."""

    def __init__(self, view: GroupView | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("groupDialog")
        self.setWindowTitle(self.tr("New service group") if view is None else self.tr("Rename"))
        self.view = view
        self.submit: Callable[[str, str], None] | None = None

        # Widgets.
        self.prefix = QLineEdit(view.prefix if view is not None else "")
        self.prefix.setObjectName("prefix")
        self.prefix.setMaxLength(4)
        self.prefix.setPlaceholderText(self.tr("e.g. B"))
        self.prefix.setReadOnly(view is not None)
        if view is not None:
            self.prefix.setToolTip(self.tr("The letter is printed on the group's tickets."))
        self.name = QLineEdit(view.name if view is not None else "")
        self.name.setObjectName("name")
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(self.tr("e.g. Civil status, certification"))
        self.general = QLabel()
        self.general.setObjectName("groupDialogError")
        self.errors = FieldErrors(self.general, clear_on_edit=True)
        self._save_buttons()

        # Layout.
        form = QFormLayout()
        self.errors.add_row(form, self.tr("Letter"), self.prefix, "prefix")
        self.errors.add_row(form, self.tr("Name"), self.name, "name")
        note = QLabel(
            self.tr(
                "Tickets are numbered per group and day: B001, B002… The letter is unique among "
                "the agency's groups that issue tickets; a retired group's letter can be used "
                "again from the day after its last ticket."
            )
        )
        note.setWordWrap(True)
        note.setVisible(view is None)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.general)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(480)

        # Signals.
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        if not self._submitting():
            return
        if self.submit is not None and self.pending.begin():
            self.submit(self.prefix.text(), self.name.text())


class GroupsTab(RowsTab[GroupRow, GroupDialog]):
    """The groups of the agency chosen (every one in a solo desk), retired ones too, with the
    tickets each issued; Add, Rename, Retire and Reopen write through services/tickets and
    announce Change.of("tickets")."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("groupsTab")

        # Widgets.
        self.chooser = AgencyChooser(ctx)
        self.intro = QLabel(
            self.tr(
                "The hall's queue: applicants take a ticket for a group, and each counter calls "
                "the groups it serves (chosen on the counter's ticket menu)."
            )
        )
        self.intro.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("Letter"),
                self.tr("Name"),
                self.tr("State"),
                self.tr("Tickets issued"),
                self.tr("Last ticket"),
            ],
            self,
        )
        self.table = rows_table("groupsTable", self.model, wrap=False, stretch=1)
        self.add_button = QPushButton(self.tr("Add group…"))
        self.add_button.setObjectName("addGroup")
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.setObjectName("renameGroup")
        self.retire_button = QPushButton(self.tr("Retire"))
        self.retire_button.setObjectName("retireGroup")
        self.retire_button.setToolTip(
            self.tr("The group issues no more tickets; its tickets and times are kept.")
        )
        self.reopen_button = QPushButton(self.tr("Reopen"))
        self.reopen_button.setObjectName("reopenGroup")
        self.notice = Notice("groupsNotice")
        self.pending = Pending(
            self.add_button,
            self.rename_button,
            self.retire_button,
            self.reopen_button,
            on_end=self._update_buttons,
        )

        # Layout.
        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(self.chooser)
        top_lay.addWidget(self.intro)
        rows_tab_layout(
            self,
            self.table,
            [(self.add_button, self.rename_button), (self.retire_button, self.reopen_button)],
            self.notice,
            top=top,
        )

        # Signals.
        self.chooser.chosen.connect(lambda _agency: self.load())
        self.add_button.clicked.connect(self._on_add_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.retire_button.clicked.connect(self._on_retire_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.table.doubleClicked.connect(lambda _index: self._on_rename_clicked())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_bus_changed)

        # State.
        self.load()

    # --- reading -----------------------------------------------------------------------------

    def _on_bus_changed(self, change: Change) -> None:
        if change.origin is not self and change.touches("tickets"):
            self.load()

    def load(self, select: int | None = None) -> None:
        current = self.selected()
        select = select if select is not None else (current.group.id if current else None)
        agency = self.chooser.agency()
        self.ctx.ops.read(
            lambda s: tickets.group_rows(s, agency),
            lambda found: self._on_loaded(found, select),
            owner=self,
        )

    def _on_loaded(self, found: list[GroupRow], select: int | None) -> None:
        self._rows = found
        self.model.set_rows(
            [
                (
                    r.group.prefix,
                    r.group.name,
                    self.tr("Issuing") if r.group.active else self.tr("Retired"),
                    self.locale().toString(r.issued),
                    f"{r.last_day:%d/%m/%Y}" if r.last_day is not None else "",
                )
                for r in found
            ],
            found,
        )
        if select is not None:
            self.select(select)
        self._update_buttons()

    def rows(self) -> list[GroupRow]:
        return list(self._rows)

    def select(self, group: int) -> None:
        self._select_where(lambda found: found.group.id == group)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        idle = not self.pending.running
        self.rename_button.setEnabled(chosen is not None and idle)
        self.retire_button.setEnabled(chosen is not None and chosen.group.active and idle)
        self.reopen_button.setEnabled(chosen is not None and not chosen.group.active and idle)

    # --- writing -----------------------------------------------------------------------------

    def _open(self, view: GroupView | None) -> GroupDialog:
        dialog = GroupDialog(view, self)
        ctx, agency = self.ctx, self.chooser.agency()

        def submit(prefix: str, name: str) -> None:
            fn: Callable[[Session], GroupView]
            if view is None:
                done = self.tr("Group {0} added.")
                day = ctx.now().date()
                fn = lambda s: tickets.add_group(  # noqa: E731
                    s, prefix, name, agency, day=day, actor=ctx.actor
                )
            else:
                done = self.tr("Group {0} renamed.")
                group = view.id
                fn = lambda s: tickets.rename_group(s, group, name, actor=ctx.actor)  # noqa: E731

            def saved(result: GroupView) -> str:
                self.load(select=result.id)
                return done.format(f"{result.prefix} – {result.name}")

            self._write(fn, GROUPS_CHANGED, dialog, saved)

        dialog.submit = submit
        self._open_dialog(dialog)
        return dialog

    def _on_add_clicked(self) -> None:
        self._open(None)

    def _on_rename_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._open(chosen.group)

    def _change_state(self, retire: bool) -> None:
        chosen = self.selected()
        if chosen is None or not self.pending.begin():
            return
        ctx, group = self.ctx, chosen.group
        now = ctx.now()
        fn: Callable[[Session], GroupView]
        if retire:
            done = self.tr("Group {0} retired: it issues no more tickets; its history is kept.")
            fn = lambda s: tickets.retire_group(s, group.id, now, actor=ctx.actor)  # noqa: E731
        else:
            done = self.tr("Group {0} issues tickets again.")
            fn = lambda s: tickets.reopen_group(  # noqa: E731
                s, group.id, day=now.date(), actor=ctx.actor
            )

        def saved(result: GroupView) -> str:
            self.load(select=result.id)
            return done.format(result.prefix)

        self._write(fn, GROUPS_CHANGED, None, saved)

    def _on_retire_clicked(self) -> None:
        self._change_state(retire=True)

    def _on_reopen_clicked(self) -> None:
        self._change_state(retire=False)


__all__ = ["GroupDialog", "GroupsTab"]
