"""The settings dialog: one tab per kind of setting; the desk-wide ones for administrators."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from desk_app.ui.context import UiContext
from desk_app.ui.settings.agencies import AgenciesTab
from desk_app.ui.settings.calendar import CalendarTab
from desk_app.ui.settings.catalog import CatalogTab
from desk_app.ui.settings.identity import DeskTab
from desk_app.ui.settings.machine import MachineTab
from desk_app.ui.settings.mail import MailTab
from desk_app.ui.settings.sync import SyncTab
from desk_app.ui.settings.ticket_groups import GroupsTab
from desk_app.ui.settings.users import UsersTab


class SettingsDialog(QDialog):
    """Tabs: Desk (identity, hours, cut-off, forms), Agencies (a centre's, added and edited
    here), Users, Calendar, Procedures, Queue (the service groups of the tickets), Sync (the
    department's address, the desk token, interval, on/off), E-mail (the SMTP server for the
    applicants' messages, a test message, the outbox), This computer
    (language vi/en and idle-lock minutes: per machine, in ctx.prefs). Only an administrator
    gets the desk-wide tabs (the core refuses their writes to anyone else too); "This
    computer" is for everyone. Every tab saves on its own, on the runner's worker; Close only
    closes, and waits while a save runs."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, tab: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))

        # Widgets.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.desk_tab: DeskTab | None = None
        self.agencies_tab: AgenciesTab | None = None
        self.users_tab: UsersTab | None = None
        self.calendar_tab: CalendarTab | None = None
        self.catalog_tab: CatalogTab | None = None
        self.sync_tab: SyncTab | None = None
        self.mail_tab: MailTab | None = None
        self.groups_tab: GroupsTab | None = None
        if ctx.is_admin:
            self.desk_tab = DeskTab(ctx)
            self.agencies_tab = AgenciesTab(ctx)
            self.users_tab = UsersTab(ctx)
            self.calendar_tab = CalendarTab(ctx)
            self.catalog_tab = CatalogTab(ctx)
            self.tabs.addTab(self.desk_tab, self.tr("Desk"))
            self.tabs.addTab(self.agencies_tab, self.tr("Agencies"))
            self.tabs.addTab(self.users_tab, self.tr("Users"))
            self.tabs.addTab(self.calendar_tab, self.tr("Calendar"))
            self.tabs.addTab(self.catalog_tab, self.tr("Procedures"))
            self.groups_tab = GroupsTab(ctx)
            self.tabs.addTab(self.groups_tab, self.tr("Queue"))
            self.sync_tab = SyncTab(ctx)
            self.tabs.addTab(self.sync_tab, self.tr("Sync"))
            # E-mail to applicants (issue 16): the SMTP server, a test message, the outbox.
            self.mail_tab = MailTab(ctx)
            self.tabs.addTab(self.mail_tab, self.tr("E-mail"))
        self.machine_tab = MachineTab(ctx)
        self.tabs.addTab(self.machine_tab, self.tr("This computer"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        # Layout.
        lay = QVBoxLayout(self)
        if not ctx.is_admin:
            note = QLabel(
                self.tr(
                    "The desk's identity, users, calendar, procedures and sync are changed by an "
                    "administrator."
                )
            )
            note.setObjectName("adminOnlyNote")
            note.setWordWrap(True)
            lay.addWidget(note)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)
        if ctx.is_admin:
            self.resize(1000, 680)
        else:
            self.resize(560, 360)

        # Signals.
        self.buttons.rejected.connect(self.reject)

        # State: `tab` names the tab to open on ("sync"), when the user may see it.
        if tab == "sync" and self.sync_tab is not None:
            self.tabs.setCurrentWidget(self.sync_tab)
        elif tab == "mail" and self.mail_tab is not None:
            self.tabs.setCurrentWidget(self.mail_tab)
        elif tab == "agencies" and self.agencies_tab is not None:
            self.tabs.setCurrentWidget(self.agencies_tab)
        elif tab == "queue" and self.groups_tab is not None:
            self.tabs.setCurrentWidget(self.groups_tab)

    def saving(self) -> bool:
        """True while a tab's save runs (from the click until the write has ended)."""
        tabs = (
            self.desk_tab,
            self.agencies_tab,
            self.users_tab,
            self.calendar_tab,
            self.catalog_tab,
            self.groups_tab,
            self.sync_tab,
            self.mail_tab,
        )
        return any(tab is not None and tab.pending.running for tab in tabs)

    def reject(self) -> None:
        # Closing while a save runs would hide whether it happened.
        if not self.saving():
            super().reject()

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]
