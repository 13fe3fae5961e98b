"""The Users tab: accounts and roles; add, change role, close or reopen, reset a password,
close the demo accounts before going live; in a centre, the agencies each user works for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import desk, users
from desk_app.services.desk import AgencyView
from desk_app.services.users import Role
from desk_app.services.views import UserView
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
    write,
)
from desk_app.ui.table_model import RowsModel

AGENCIES_COLUMN = 4


def _agency_ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


# What a dialog hands on: field values; the callable starts their save, which closes the
# dialog once it committed or shows the refusal in it.
Submit = Callable[[dict[str, str]], None]


def _password(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class AgencyTicks(QWidget):
    """One tick box per agency (a centre's): the agencies a user works for."""

    def __init__(
        self, agencies: list[AgencyView], ticked: tuple[int, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agencies")
        self.boxes: dict[int, QCheckBox] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for view in agencies:
            text = f"{view.display_name} ({view.agency_id or '-'})"
            if not view.active:
                text += " — " + self.tr("closed")
            box = QCheckBox(text)
            box.setObjectName(f"agency{view.id}")
            box.setChecked(view.id in ticked)
            self.boxes[view.id] = box
            lay.addWidget(box)

    def ticked(self) -> list[int]:
        return [agency for agency, box in self.boxes.items() if box.isChecked()]


def _role_combo() -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role")
    for role in Role:
        combo.addItem(role.label, str(role))
    return combo


class UserDialog(SaveDialog):
    """A small form for one account action; OK calls `submit`, which starts the save on the
    worker: the tab closes the dialog once it committed, or shows the refusal through
    `errors` and leaves the dialog (and what was typed) open. OK and Cancel wait meanwhile."""

    def __init__(self, title: str, fields: list[tuple[str, QWidget, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("userDialog")
        self.setWindowTitle(title)
        self.submit: Submit | None = None
        self.widgets = {name: widget for _label, widget, name in fields}
        self.general = QLabel()
        self.general.setObjectName("userDialogError")
        self.errors = FieldErrors(self.general)
        self._save_buttons(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        for label, widget, name in fields:
            self.errors.add_row(form, label, widget, name)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.general)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                out[name] = widget.text()
            elif isinstance(widget, QComboBox):
                out[name] = str(widget.currentData())
            elif isinstance(widget, AgencyTicks):
                out[name] = ",".join(str(a) for a in widget.ticked())
        return out

    def _on_buttons_accepted(self) -> None:
        if not self._submitting():
            return
        values = self.values()
        if "password2" in values and values["password2"] != values.get("password"):
            self.errors.show({"password2": self.tr("The two passwords differ.")})
            return
        if self.submit is not None and self.pending.begin():
            self.submit(values)


class UsersTab(RowsTab[UserView, UserDialog]):
    """Lists every account; each action writes through `desk_app.services.users` and
    announces Change.of("users")."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("usersTab")
        self._agencies: list[AgencyView] = []

        # Widgets.
        self.model = RowsModel(
            [
                self.tr("User name"),
                self.tr("Full name"),
                self.tr("Role"),
                self.tr("Account"),
                self.tr("Agencies"),
            ],
            self,
        )
        self.table = rows_table("usersTable", self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(AGENCIES_COLUMN, True)  # shown when there are several
        self.add_button = QPushButton(self.tr("Add user…"))
        self.add_button.setObjectName("addUser")
        self.role_button = QPushButton(self.tr("Change role…"))
        self.role_button.setObjectName("changeRole")
        self.active_button = QPushButton(self.tr("Close account"))
        self.active_button.setObjectName("toggleActive")
        self.password_button = QPushButton(self.tr("Reset password…"))
        self.password_button.setObjectName("resetPassword")
        self.agencies_button = QPushButton(self.tr("Agencies…"))
        self.agencies_button.setObjectName("assignAgencies")
        self.agencies_button.setToolTip(self.tr("The agencies this user works for"))
        self.agencies_button.hide()  # shown when the database has several agencies
        self.demo_button = QPushButton(self.tr("Close demo accounts"))
        self.demo_button.setObjectName("closeDemoAccounts")
        self.demo_button.setToolTip(
            self.tr(
                "Closes every demo account that still has the published password; "
                "do this before the desk goes live."
            )
        )
        self.notice = Notice("usersNotice")
        self.pending = Pending(
            self.add_button,
            self.role_button,
            self.active_button,
            self.password_button,
            self.agencies_button,
            self.demo_button,
            on_end=self._update_buttons,
        )

        # Layout.
        actions = (self.add_button, self.role_button, self.active_button, self.password_button)
        rows_tab_layout(
            self,
            self.table,
            [(*actions, self.agencies_button)],
            self.notice,
            foot=[self.demo_button],
        )

        # Signals.
        self.add_button.clicked.connect(self._on_add_clicked)
        self.role_button.clicked.connect(self._on_role_clicked)
        self.active_button.clicked.connect(self._on_active_clicked)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.agencies_button.clicked.connect(self._on_agencies_clicked)
        ctx.bus.changed.connect(self._on_bus_changed)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(lambda *_: self._update_buttons())

        # State.
        self.load()

    def load(self, select: str | None = None) -> None:
        current = self.selected()
        select = select or (current.username if current else None)
        self.ctx.ops.read(
            lambda s: (
                users.list_users(s),
                bool(users.demo_accounts(s)),
                desk.list_agencies(s),
            ),
            lambda found: self._on_loaded(*found, select),
            owner=self,
        )

    def _on_bus_changed(self, change: Change) -> None:
        if change.origin is not self and change.touches("agencies"):
            self.load()

    def several_agencies(self) -> bool:
        """A centre's database: the agencies column and button are shown."""
        return len(self._agencies) > 1

    def _agency_names(self, user: UserView) -> str:
        names = {a.id: a.display_name for a in self._agencies}
        return ", ".join(names.get(a, str(a)) for a in user.agencies) or self.tr("none")

    def _on_loaded(
        self,
        found: list[UserView],
        demo_open: bool,
        agencies: list[AgencyView],
        select: str | None,
    ) -> None:
        self._rows = found
        self._agencies = agencies
        several = self.several_agencies()
        self.table.setColumnHidden(AGENCIES_COLUMN, not several)
        # A centre's list gives the agencies' names the room; a solo desk's stays as it was.
        header = self.table.horizontalHeader()
        for column in range(AGENCIES_COLUMN):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.ResizeToContents
                if several
                else QHeaderView.ResizeMode.Stretch,
            )
        self.agencies_button.setVisible(several)
        # Offered only while an account opens with the published password (a check of a few
        # password hashes, done on the worker with the list).
        self.demo_button.setVisible(demo_open)
        self.model.set_rows(
            [
                (
                    u.username,
                    u.full_name,
                    Role(u.role).label,
                    self.tr("Active") if u.active else self.tr("Closed"),
                    self._agency_names(u),
                )
                for u in self._rows
            ],
            self._rows,
        )
        if select is not None:
            self.select(select)
        self._update_buttons()

    def select(self, username: str) -> None:
        self._select_where(lambda user: user.username == username)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (
            self.role_button,
            self.active_button,
            self.password_button,
            self.agencies_button,
        ):
            button.setEnabled(user is not None and not self.pending.running)
        self.active_button.setText(
            self.tr("Reopen account")
            if user is not None and not user.active
            else self.tr("Close account")
        )

    def _open(self, dialog: UserDialog, submit: Submit) -> None:
        dialog.submit = submit
        self._open_dialog(dialog)

    def _save(self, fn: Callable[..., UserView], dialog: UserDialog | None, done: str) -> None:
        """Save on the worker (the click began `pending`); the list then selects the user and
        the notice says `done` with the user's name."""

        def saved(view: UserView) -> str:
            self.load(select=view.username)
            return done.format(view.username)

        self._write(fn, Change.of("users"), dialog, saved)

    def _on_add_clicked(self) -> None:
        username = QLineEdit()
        username.setObjectName("username")
        full_name = QLineEdit()
        full_name.setObjectName("full_name")
        dialog = UserDialog(
            self.tr("Add user"),
            [
                (self.tr("User name"), username, "username"),
                (self.tr("Full name"), full_name, "full_name"),
                (self.tr("Role"), _role_combo(), "role"),
                (self.tr("Password"), _password("password"), "password"),
                (self.tr("Password again"), _password("password2"), "password2"),
                *self._agency_field(()),
            ],
            self,
        )

        def submit(v: dict[str, str]) -> None:
            self._save(
                lambda s: users.create_user(
                    s,
                    v["username"],
                    v["full_name"],
                    Role(v["role"]),
                    v["password"],
                    self.ctx.actor,
                    now=self.ctx.now(),
                    agencies=_agency_ids(v["agencies"]) if "agencies" in v else None,
                ),
                dialog,
                self.tr("User {0} added."),
            )

        self._open(dialog, submit)

    def _on_role_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        combo = _role_combo()
        combo.setCurrentIndex(combo.findData(user.role))
        dialog = UserDialog(
            self.tr("Role of {0}").format(user.username),
            [(self.tr("Role"), combo, "role")],
            self,
        )

        def submit(v: dict[str, str]) -> None:
            self._save(
                lambda s: users.set_role(
                    s, user.username, Role(v["role"]), self.ctx.actor, now=self.ctx.now()
                ),
                dialog,
                self.tr("Role of {0} saved."),
            )

        self._open(dialog, submit)

    def _on_active_clicked(self) -> None:
        user = self.selected()
        if user is None or not self.pending.begin():
            return
        active = not user.active
        self._save(
            lambda s: users.set_active(
                s, user.username, active, self.ctx.actor, now=self.ctx.now()
            ),
            None,
            self.tr("Account {0} reopened.") if active else self.tr("Account {0} closed."),
        )

    def _on_password_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(
            self.tr("New password for {0}").format(user.username),
            [
                (self.tr("New password"), _password("password"), "password"),
                (self.tr("Password again"), _password("password2"), "password2"),
            ],
            self,
        )

        def submit(v: dict[str, str]) -> None:
            self._save(
                lambda s: users.reset_password(
                    s, user.username, v["password"], self.ctx.actor, now=self.ctx.now()
                ),
                dialog,
                self.tr("Password of {0} reset."),
            )

        self._open(dialog, submit)

    def _agency_field(self, ticked: tuple[int, ...]) -> list[tuple[str, QWidget, str]]:
        """The agencies' tick boxes of a dialog, in a centre only (a solo desk's one agency is
        every user's)."""
        if not self.several_agencies():
            return []
        return [(self.tr("Works for"), AgencyTicks(self._agencies, ticked), "agencies")]

    def _on_agencies_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(
            self.tr("Agencies of {0}").format(user.username),
            self._agency_field(user.agencies),
            self,
        )

        def submit(v: dict[str, str]) -> None:
            self._save(
                lambda s: users.assign_agencies(
                    s,
                    user.username,
                    _agency_ids(v.get("agencies", "")),
                    self.ctx.actor,
                    now=self.ctx.now(),
                ),
                dialog,
                self.tr("Agencies of {0} saved."),
            )

        self._open(dialog, submit)

    def _on_demo_button_clicked(self) -> None:
        if not self.pending.begin():
            return
        self.notice.clear_notice()
        ctx = self.ctx
        write(
            ctx,
            self,
            lambda s: users.close_demo_accounts(s, ctx.actor, now=ctx.now()),
            Change.of("users"),
            self._on_demo_closed,
            lambda exc: self.notice.error(exc.message),
            self.pending,
        )

    def _on_demo_closed(self, closed: list[str]) -> None:
        self.load()
        if closed:
            self.notice.ok(self.tr("Demo accounts closed: {0}.").format(", ".join(closed)))
        else:
            self.notice.ok(self.tr("No demo account is open with the published password."))
