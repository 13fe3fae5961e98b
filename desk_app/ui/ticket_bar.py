"""The counter's place in the hall's queue (issue 16), on the window's status bar.

The number this counter is serving, and how many wait; "Call next" (F8) finishes the current
ticket and calls the oldest waiting one of the groups this counter serves; "Call again" (F7)
recalls it, "Skip" gives up on it (the applicant did not come). A ticket can also be issued here
for a group and printed (an 80 mm PDF). The intake dialog links the called ticket to the file it
saves (`current_id`). All database work runs off the GUI thread (ctx.ops).

The groups this counter calls are kept per machine and database (ctx.prefs.called_groups) and
restored at start. A change to the queue made elsewhere (another counter's call, a kiosk's ticket,
an administrator's group: the change feed's "tickets") reads the groups, the current ticket and
the waiting count again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget
from sqlalchemy.orm import Session

from desk_app.services import tickets
from desk_app.services.tickets import GroupView, TicketView
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error

CHANGE = "tickets"


class TicketBar(QWidget):
    """Signals:
    ticket_changed(object): the ticket this counter serves now (a TicketView, or None).
    issued(object): a ticket issued here (a TicketView), its PDF shown in the preview.
    """

    ticket_changed = Signal(object)
    issued = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("ticketBar")
        self.current: TicketView | None = None
        self.waiting = 0
        self._groups: list[GroupView] = []
        # The groups chosen on this machine; None: every group of the counter's agencies.
        chosen = ctx.prefs.called_groups(ctx.db.label)
        self._chosen: set[int] | None = None if chosen is None else set(chosen)
        self._called_none = False  # the last "call next" found nobody waiting

        self.number_label = QLabel()
        self.number_label.setObjectName("ticketNumber")
        self.number_label.setStyleSheet("font-weight: bold;")
        self.call_next_action = QAction(self.tr("Call next"), self)
        self.call_next_action.setObjectName("ticketCallNext")
        self.call_next_action.setShortcut(QKeySequence("F8"))
        self.call_next_action.setToolTip(self.tr("Call the next number (F8)"))
        self.recall_action = QAction(self.tr("Call again"), self)
        self.recall_action.setObjectName("ticketRecall")
        self.recall_action.setShortcut(QKeySequence("F7"))
        self.skip_action = QAction(self.tr("Skip (did not come)"), self)
        self.skip_action.setObjectName("ticketSkip")
        self.menu = QMenu(self)
        self.menu.setObjectName("ticketMenu")
        self.menu.addAction(self.recall_action)
        self.menu.addAction(self.skip_action)
        self.menu.addSeparator()
        self.issue_menu = self.menu.addMenu(self.tr("Issue a ticket"))
        self.issue_menu.setObjectName("ticketIssueMenu")
        self.groups_menu = self.menu.addMenu(self.tr("Groups this counter calls"))
        self.groups_menu.setObjectName("ticketGroupsMenu")
        self.call_button = QToolButton()
        self.call_button.setObjectName("ticketCall")
        self.call_button.setDefaultAction(self.call_next_action)
        self.call_button.setMenu(self.menu)
        self.call_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.number_label)
        layout.addWidget(self.call_button)

        self.call_next_action.triggered.connect(self.call_next)
        self.recall_action.triggered.connect(self.recall)
        self.skip_action.triggered.connect(self.skip)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._show()
        self.load()

    def shortcut_actions(self) -> list[QAction]:
        """The actions whose keys work anywhere in the window (the window adds them)."""
        return [self.call_next_action, self.recall_action]

    @property
    def current_id(self) -> int | None:
        return None if self.current is None else self.current.id

    def group_ids(self) -> list[int]:
        ids = [g.id for g in self._groups]
        return ids if self._chosen is None else [i for i in ids if i in self._chosen]

    # --- reading -----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the groups, the ticket this counter serves and how many wait."""
        ctx, now = self.ctx, self.ctx.now()
        agencies = ctx.actor.agencies

        def job(s: Session) -> tuple[list[GroupView], TicketView | None, int]:
            groups = [g for g in tickets.groups(s) if agencies is None or g.agency in agencies]
            current = tickets.current_ticket(s, ctx.actor, now)
            waiting = tickets.waiting_count(s, [g.id for g in groups], now.date())
            return groups, current, waiting

        self.ctx.ops.read(job, self._on_loaded, lambda _exc: None, owner=self, label="tickets")

    def _on_loaded(self, result: tuple[list[GroupView], TicketView | None, int]) -> None:
        groups, current, _waiting = result
        self._groups = groups
        self._fill_group_menus()
        self._set_current(current)
        self._count_waiting()

    def _count_waiting(self) -> None:
        ids, day = self.group_ids(), self.ctx.now().date()

        def job(s: Session) -> int:
            return tickets.waiting_count(s, ids, day)

        self.ctx.ops.read(job, self._on_counted, lambda _exc: None, owner=self, label="waiting")

    def _on_counted(self, waiting: int) -> None:
        self.waiting = waiting
        self._show()

    # --- the counter's steps -----------------------------------------------------------------

    def call_next(self) -> None:
        ctx, now, ids = self.ctx, self.ctx.now(), self.group_ids()

        def job(s: Session) -> TicketView | None:
            return tickets.call_next(s, ctx.actor, ids, now)

        self.ctx.ops.write(
            job,
            self._on_called,
            self._on_failed,
            changes=Change.of(CHANGE),
            owner=self,
            label="call next",
        )

    def _on_called(self, ticket: TicketView | None) -> None:
        self._called_none = ticket is None
        self._set_current(ticket)
        self._count_waiting()

    def recall(self) -> None:
        if self.current is None:
            return
        ctx, ticket_id = self.ctx, self.current.id

        def job(s: Session) -> TicketView:
            return tickets.recall(s, ticket_id, ctx.actor)

        self.ctx.ops.write(
            job,
            self._set_current,
            self._on_failed,
            changes=Change.of(CHANGE),
            owner=self,
            label="recall",
        )

    def skip(self) -> None:
        if self.current is None:
            return
        ctx, now, ticket_id = self.ctx, self.ctx.now(), self.current.id

        def job(s: Session) -> TicketView:
            return tickets.skip(s, ticket_id, ctx.actor, now)

        self.ctx.ops.write(
            job,
            lambda _t: self._set_current(None),
            self._on_failed,
            changes=Change.of(CHANGE),
            owner=self,
            label="skip",
        )

    def issue(self, group_id: int) -> None:
        """Issue a ticket for `group_id` and open its PDF in the print preview."""
        now = self.ctx.now()

        def job(s: Session) -> tuple[TicketView, bytes]:
            ticket = tickets.issue_ticket(s, group_id, now)
            return ticket, tickets.ticket_pdf(s, ticket)

        self.ctx.ops.write(
            job,
            self._on_issued,
            self._on_failed,
            changes=Change.of(CHANGE),
            owner=self,
            label="issue ticket",
        )

    def _on_issued(self, result: tuple[TicketView, bytes]) -> None:
        from desk_app.ui.preview import show_pdf

        ticket, pdf = result
        self._count_waiting()
        self.issued.emit(ticket)
        title = self.tr("Ticket {0}").format(ticket.label)
        show_pdf(self.window(), pdf, title, f"so-thu-tu-{ticket.label}.pdf")

    def file_saved(self) -> None:
        """The intake dialog saved a file for the current ticket (it is served now)."""
        if self.current is not None:
            self._set_current(None)

    # --- inside ------------------------------------------------------------------------------

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self.window(), exc)
        self.load()

    def _on_bus_changed(self, change: Change) -> None:
        if change.touches(CHANGE) and change.origin is not self:
            self.load()  # the groups may have changed too (added, renamed, retired)

    def _set_current(self, ticket: TicketView | None) -> None:
        self.current = ticket
        if ticket is not None:
            self._called_none = False
        self.recall_action.setEnabled(ticket is not None)
        self.skip_action.setEnabled(ticket is not None)
        self._show()
        self.ticket_changed.emit(ticket)

    def _show(self) -> None:
        if self.current is not None:
            number = self.tr("Serving {0}").format(self.current.label)
        elif self._called_none:
            number = self.tr("Nobody is waiting")
        else:
            number = self.tr("No number called")
        waiting = self.tr("{0} waiting").format(self.waiting)
        self.number_label.setText(f"{number} · {waiting}")

    def _fill_group_menus(self) -> None:
        self.issue_menu.clear()
        self.groups_menu.clear()
        for group in self._groups:
            text = f"{group.prefix} — {group.name}"
            issue = self.issue_menu.addAction(text)
            issue.setObjectName(f"ticketIssue{group.prefix}")
            issue.triggered.connect(lambda _c=False, gid=group.id: self.issue(gid))
            chosen = self.groups_menu.addAction(text)
            chosen.setObjectName(f"ticketGroup{group.prefix}")
            chosen.setCheckable(True)
            chosen.setChecked(self._chosen is None or group.id in self._chosen)
            chosen.toggled.connect(lambda on, gid=group.id: self._choose(gid, on))
        self.call_next_action.setEnabled(bool(self._groups))

    def _choose(self, group_id: int, on: bool) -> None:
        chosen = set(self.group_ids())
        if on:
            chosen.add(group_id)
        else:
            chosen.discard(group_id)
        self._chosen = chosen
        self.ctx.prefs.set_called_groups(self.ctx.db.label, chosen)
        self._count_waiting()
