"""The Agencies tab (a centre's database holds several agencies): the list, adding one and
editing one; and the agency chooser the Desk and Procedures tabs show when there are several."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services import desk
from desk_app.services.context import SOLO_AGENCY
from desk_app.services.desk import AgencyView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.common import (
    Notice,
    Pending,
    RowsTab,
    SaveDialog,
    rows_tab_layout,
    rows_table,
)
from desk_app.ui.table_model import RowsModel

# What the agencies' writes announce: the choosers, the users tab and the status bar reload.
AGENCIES_CHANGED = Change.of("agencies", "settings")


class AgencyChooser(QWidget):
    """ "Agency: [▾]" at the top of a tab, for the agencies the signed-in user works for.

    Hidden while the database has one agency, so a solo desk looks as it always did.
    Signals:
    chosen(int): another agency was picked (or the list changed under the current one).
    """

    chosen = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("agencyChooserRow")
        self._agencies: list[AgencyView] = []

        # Widgets.
        self.label = QLabel(self.tr("Agency"))
        self.combo = QComboBox()
        self.combo.setObjectName("agencyChooser")
        self.combo.setMinimumContentsLength(30)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label.setBuddy(self.combo)

        # Layout.
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.combo)
        lay.addStretch(1)

        # Signals.
        self.combo.activated.connect(lambda _index: self.chosen.emit(self.agency()))
        ctx.bus.changed.connect(self._on_bus_changed)

        # State.
        self.hide()
        self.reload()

    def agency(self) -> int:
        """The agency chosen (the solo desk's while the list has not come yet)."""
        data = self.combo.currentData()
        return int(data) if data is not None else SOLO_AGENCY

    def agencies(self) -> list[AgencyView]:
        return list(self._agencies)

    def choose(self, agency: int) -> None:
        index = self.combo.findData(agency)
        if index >= 0 and index != self.combo.currentIndex():
            self.combo.setCurrentIndex(index)
            self.chosen.emit(agency)

    def reload(self) -> None:
        scope = self.ctx.scope
        self.ctx.ops.read(
            lambda s: desk.list_agencies(s, scope=scope, active_only=True),
            self._on_loaded,
            owner=self,
        )

    def _on_loaded(self, found: list[AgencyView]) -> None:
        before = self.agency() if self._agencies else None
        self._agencies = found
        self.combo.clear()
        for view in found:
            self.combo.addItem(f"{view.display_name} ({view.agency_id or '-'})", view.id)
        index = self.combo.findData(before) if before is not None else -1
        self.combo.setCurrentIndex(max(0, index))
        self.setVisible(len(found) > 1)
        if before is not None and self.agency() != before:
            self.chosen.emit(self.agency())

    def _on_bus_changed(self, change: Change) -> None:
        # "settings": an agency's identity (its name here) was saved on the Desk tab.
        if change.touches("agencies") or change.touches("settings"):
            self.reload()


class AgencyDialog(SaveDialog):
    """One agency's identity: added (`view` None) or edited. OK calls `submit`; the tab closes
    the dialog once the write committed, or shows the refusal next to its field."""

    def __init__(self, view: AgencyView | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("agencyDialog")
        self.setWindowTitle(self.tr("New agency") if view is None else self.tr("Agency"))
        self.view = view
        self.submit: Callable[[desk.IdentityInput, str, bool], None] | None = None

        # Widgets.
        self.edits: dict[str, QLineEdit] = {}
        for name in (
            "agency_id",
            "agency_name",
            "short_name",
            "governing_body",
            "unit_name",
            "place_name",
            "phone",
        ):
            edit = QLineEdit(str(getattr(view, name)) if view is not None else "")
            edit.setObjectName(name)
            self.edits[name] = edit
        self.edits["agency_id"].setPlaceholderText(self.tr("e.g. 000.00.20.H37"))
        self.edits["short_name"].setPlaceholderText(self.tr("e.g. Department of Justice"))
        if view is None:
            self.edits["unit_name"].setText("BỘ PHẬN MỘT CỬA")
        elif view.files:
            # Printed codes carry it: the core refuses a change too.
            self.edits["agency_id"].setReadOnly(True)
            self.edits["agency_id"].setToolTip(
                self.tr("The agency has files; their printed codes carry this identifier.")
            )
        self.active = QCheckBox(self.tr("Open (takes files; officers work for it)"))
        self.active.setObjectName("active")
        self.active.setChecked(view.active if view is not None else True)
        self.active.setVisible(view is not None)
        self.general = QLabel()
        self.general.setObjectName("agencyDialogError")
        self.errors = FieldErrors(self.general)
        self._save_buttons()

        # Layout.
        form = QFormLayout()
        e, add = self.edits, self.errors.add_row
        add(form, self.tr("Agency identifier"), e["agency_id"], "agency_id")
        add(form, self.tr("Agency name"), e["agency_name"], "agency_name")
        add(form, self.tr("Short name"), e["short_name"], "short_name")
        add(form, self.tr("Governing body"), e["governing_body"], "governing_body")
        add(form, self.tr("Unit name"), e["unit_name"], "unit_name")
        add(form, self.tr("Place name for dates"), e["place_name"], "place_name")
        add(form, self.tr("Phone"), e["phone"], "phone")
        add(form, "", self.active, "active")
        note = QLabel(
            self.tr(
                "Office hours, slips and forms of the agency are set on the Desk tab once it "
                "is added."
            )
        )
        note.setWordWrap(True)
        note.setVisible(view is None)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.general)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(560)

        # Signals.
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def identity(self) -> desk.IdentityInput:
        def text(name: str) -> str | None:
            edit = self.edits[name]
            return None if edit.isReadOnly() else edit.text()

        return desk.IdentityInput(
            agency_id=text("agency_id"),
            agency_name=text("agency_name"),
            governing_body=text("governing_body"),
            unit_name=text("unit_name"),
            place_name=text("place_name"),
            phone=text("phone"),
        )

    def _on_buttons_accepted(self) -> None:
        if not self._submitting():
            return
        missing = {
            name: self.tr("Required.")
            for name in ("agency_id", "agency_name")
            if not self.edits[name].text().strip()
        }
        if missing:
            self.errors.show(missing)
            return
        if self.submit is not None and self.pending.begin():
            self.submit(self.identity(), self.edits["short_name"].text(), self.active.isChecked())


class AgenciesTab(RowsTab[AgencyView, AgencyDialog]):
    """Every agency of the database, closed ones too; Add and Edit write through
    `desk.add_agency` / `desk.update_agency` and announce Change.of("agencies", "settings")."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("agenciesTab")

        # Widgets.
        self.intro = QLabel(
            self.tr(
                "A centre's database holds one agency per department whose counters sit in the "
                "centre. Each has its own identifier in file codes, catalogue, register books, "
                "forms and sync token; officers work for the agencies assigned to them on the "
                "Users tab."
            )
        )
        self.intro.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("No."),
                self.tr("Identifier"),
                self.tr("Short name"),
                self.tr("Agency name"),
                self.tr("Files"),
                self.tr("Users"),
                self.tr("State"),
            ],
            self,
        )
        self.table = rows_table("agenciesTable", self.model, wrap=False, stretch=3)
        self.add_button = QPushButton(self.tr("Add agency…"))
        self.add_button.setObjectName("addAgency")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editAgency")
        self.notice = Notice("agenciesNotice")
        self.pending = Pending(self.add_button, self.edit_button, on_end=self._update_buttons)

        # Layout.
        rows_tab_layout(
            self, self.table, [(self.add_button, self.edit_button)], self.notice, top=self.intro
        )

        # Signals.
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.table.doubleClicked.connect(lambda _index: self._on_edit_clicked())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_bus_changed)

        # State.
        self.load()

    def _on_bus_changed(self, change: Change) -> None:
        # Another tab's save (the Desk tab's identity, the users' assignments); not our own,
        # which reloads with the row to select.
        if change.origin is not self and any(
            change.touches(kind) for kind in ("agencies", "settings", "users")
        ):
            self.load()

    def load(self, select: int | None = None) -> None:
        current = self.selected()
        select = select if select is not None else (current.id if current else None)
        self.ctx.ops.read(
            desk.list_agencies,
            lambda found: self._on_loaded(found, select),
            owner=self,
        )

    def _on_loaded(self, found: list[AgencyView], select: int | None) -> None:
        self._rows = found
        self.model.set_rows(
            [
                (
                    str(a.id),
                    a.agency_id,
                    a.short_name,
                    a.agency_name,
                    str(a.files),
                    str(a.users),
                    self.tr("Open") if a.active else self.tr("Closed"),
                )
                for a in found
            ],
            found,
        )
        if select is not None:
            self.select(select)
        self._update_buttons()

    def agencies(self) -> list[AgencyView]:
        return list(self._rows)

    def select(self, agency: int) -> None:
        self._select_where(lambda view: view.id == agency)

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None and not self.pending.running)

    def _open(self, view: AgencyView | None) -> AgencyDialog:
        dialog = AgencyDialog(view, self)
        ctx = self.ctx

        def submit(identity: desk.IdentityInput, short_name: str, active: bool) -> None:
            fn: Callable[[Session], AgencyView]
            if view is None:
                done = self.tr("Agency {0} added.")
                fn = lambda s: desk.add_agency(  # noqa: E731
                    s, identity, ctx.actor, short_name=short_name, now=ctx.now()
                )
            else:
                done = self.tr("Agency {0} saved.")
                agency = view.id
                fn = lambda s: desk.update_agency(  # noqa: E731
                    s,
                    agency,
                    identity,
                    ctx.actor,
                    short_name=short_name,
                    active=active,
                    now=ctx.now(),
                )

            def saved(result: AgencyView) -> str:
                self.load(select=result.id)
                return done.format(result.display_name)

            self._write(fn, AGENCIES_CHANGED, dialog, saved)

        dialog.submit = submit
        self._open_dialog(dialog)
        return dialog

    def _on_add_clicked(self) -> None:
        self._open(None)

    def _on_edit_clicked(self) -> None:
        view = self.selected()
        if view is not None:
            self._open(view)


__all__ = ["AgenciesTab", "AgencyChooser", "AgencyDialog"]
