"""The counter window: queues on the left, the file list in the centre, the file on the right."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.domain.workflow import Action, Status
from desk_app.errors import ServerOfflineError
from desk_app.services import browse, permissions, queries
from desk_app.services.browse import ListQueue
from desk_app.services.ratings import RatingView
from desk_app.services.views import FileRow, FileView
from desk_app.ui.agencies import AgencyName, place_text, read_agencies
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import error_text, show_error
from desk_app.ui.file_detail import FileDetail
from desk_app.ui.file_model import CODE_ROLE, FILE_ID_ROLE, FileListModel
from desk_app.ui.file_table import FileTable
from desk_app.ui.mail_controller import MailController
from desk_app.ui.offline import OfflineBanner
from desk_app.ui.queues import QueuePanel, queue_to_follow
from desk_app.ui.rating_tablet import RatingTablet
from desk_app.ui.sync_controller import SyncController
from desk_app.ui.sync_window import SyncWindow, status_words
from desk_app.ui.ticket_bar import TicketBar

if TYPE_CHECKING:
    from desk_app.ui.applicant_screen import ApplicantScreen
    from desk_app.ui.supervisor_window import SupervisorWindow

ROLE_NAMES = {
    "officer": "cán bộ",
    "supervisor": "lãnh đạo",
    "admin": "quản trị",
    "postal": "bưu điện",
}
COUNTS_EVERY_MS = 60_000  # queue counts and deadline colours move with the clock
SPLITTER_STATE = "mainWindow/splitter"
# The counter and its agencies, and the database, on the status bar; longer is elided (all of
# it in the tooltip), so the bar keeps its other parts on a 1366-pixel screen.
DB_MAX_WIDTH = 320
PLACE_MAX_WIDTH = 380


class MainWindow(QMainWindow):
    """Signals:
    lock_requested(): the officer locks the screen (Ctrl+L).
    sign_out_requested(): the officer signs out.
    """

    lock_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._follow_id: int | None = None
        self._detail_waits = False  # the current row is still being read: show it when it comes
        self._want_id: int | None = None  # a file to select once a list shows it (follow)
        self._supervisor: SupervisorWindow | None = None
        self._applicant: ApplicantScreen | None = None  # the rating screen, once opened
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("One-stop desk"))

        # Widgets.
        self.queues = QueuePanel(ctx)
        self.model = FileListModel(ctx, self)
        self.table = FileTable(self.model, ctx.prefs)
        self.detail = FileDetail(ctx)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("File code (scan or type) + Enter, or a name, identity number, phone")
        )
        self.search.setMinimumWidth(420)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.queues)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.detail.setMinimumWidth(self._panel_width())
        self.setCentralWidget(self.splitter)
        # Above everything while the centre's server is out of reach (hidden otherwise).
        self.offline_banner = OfflineBanner(ctx)
        self.setMenuWidget(self.offline_banner)

        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.new_file_action = self._action(
            self.tr("New file"), "Ctrl+N", self._on_new_file_triggered, "newFile", toolbar
        )
        self.new_file_action.setShortcuts([QKeySequence("Ctrl+N"), QKeySequence("F2")])
        toolbar.addSeparator()
        toolbar.addWidget(self.search)
        focus_search = QAction(self)
        focus_search.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("F3")])
        focus_search.triggered.connect(self._on_focus_search_triggered)
        self.addAction(focus_search)
        toolbar.addSeparator()
        post_menu = QMenu(self)
        post_menu.setObjectName("postMenu")
        self.post_import_action = post_menu.addAction(self.tr("Import delivery results…"))
        self.post_import_action.setObjectName("postImport")
        self.post_import_action.triggered.connect(self._on_post_import_triggered)
        self.post_list_action = post_menu.addAction(self.tr("Hand-over list for a day…"))
        self.post_list_action.setObjectName("postList")
        self.post_list_action.triggered.connect(self._on_post_list_triggered)
        post_button = QToolButton()
        post_button.setObjectName("postButton")
        post_button.setText(self.tr("Post"))
        post_button.setMenu(post_menu)
        post_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(post_button)
        sync_menu = QMenu(self)
        sync_menu.setObjectName("syncMenu")
        self.sync_now_action = sync_menu.addAction(self.tr("Sync now"))
        self.sync_now_action.setObjectName("syncNow")
        self.sync_now_action.setShortcut(QKeySequence("F9"))
        self.sync_now_action.triggered.connect(self._on_sync_now_triggered)
        self.addAction(self.sync_now_action)  # F9 works with the menu closed
        self.sync_window_action = sync_menu.addAction(self.tr("Outbox and state…"))
        self.sync_window_action.setObjectName("syncWindowAction")
        self.sync_window_action.triggered.connect(self.open_sync_window)
        sync_button = QToolButton()
        sync_button.setObjectName("syncButton")
        sync_button.setText(self.tr("Sync"))
        sync_button.setMenu(sync_menu)
        sync_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(sync_button)
        self.supervisor_action = self._action(
            self.tr("Deadlines and statistics"),
            "Ctrl+D",
            self._on_supervisor_triggered,
            "supervisor",
            toolbar,
        )
        self._action(self.tr("Refresh"), "F5", self.refresh, "refresh", toolbar)
        # The applicant's rating screen on a second monitor, paired with this counter.
        self.rating_screen_action = self._action(
            self.tr("Rating screen"), "", self._on_rating_screen_triggered, "ratingScreen", toolbar
        )
        self.rating_screen_action.setCheckable(True)
        # The same question on a tablet or phone, over the office network (counter_web).
        self.rating_tablet = RatingTablet(ctx, self)
        self.rating_tablet_action = self._action(
            self.tr("Rating tablet…"), "", self._on_rating_tablet_triggered, "ratingTablet", toolbar
        )
        self.settings_action = self._action(
            self.tr("Settings"), "Ctrl+,", self._on_settings_triggered, "settings", toolbar
        )
        self._action(self.tr("Lock"), "Ctrl+L", self.lock_requested.emit, "lock", toolbar)
        self._action(self.tr("Sign out"), "", self.sign_out_requested.emit, "signOut", toolbar)

        self.user_label = QLabel()
        self.user_label.setObjectName("statusUser")
        # The counter's name and the agencies the officer works for here.
        self.place_label = QLabel()
        self.place_label.setObjectName("statusPlace")
        self._agencies: list[AgencyName] = []
        # The file's path, or the centre's server without password.
        # A server's URL is long: shortened in the middle to fit 1366 px, whole in the tooltip.
        db_text = self.tr("Database: {0}").format(ctx.db.label)
        self.db_label = QLabel(
            self.fontMetrics().elidedText(db_text, Qt.TextElideMode.ElideMiddle, DB_MAX_WIDTH)
        )
        self.db_label.setToolTip(db_text)
        self.db_label.setObjectName("statusDatabase")
        # The sync state; a click opens the sync window.
        self.sync_label = QToolButton()
        self.sync_label.setObjectName("statusSync")
        self.sync_label.setAutoRaise(True)
        self.sync = SyncController(ctx, self)
        # E-mail to applicants (issue 16), sent on a thread of its own.
        self.mail = MailController(ctx, self)
        self._sync_window: SyncWindow | None = None
        self.busy_label = QLabel()
        self.busy_label.setObjectName("statusBusy")
        self.count_label = QLabel()
        self.count_label.setObjectName("statusCount")
        self.message_label = QLabel()
        self.message_label.setObjectName("statusMessage")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message_label.clear)
        status = self.statusBar()
        status.addWidget(self.user_label)
        status.addWidget(self.place_label)
        status.addWidget(self.count_label)
        status.addWidget(self.busy_label)
        status.addWidget(self.message_label, 1)
        # The hall's queue: the number this counter serves, "Call next" (F8), recall, skip.
        self.ticket_bar = TicketBar(ctx, self)
        self.addActions(self.ticket_bar.shortcut_actions())
        status.addPermanentWidget(self.ticket_bar)
        status.addPermanentWidget(self.sync_label)
        status.addPermanentWidget(self.db_label)

        self._clock = QTimer(self)
        self._clock.setInterval(COUNTS_EVERY_MS)

        # Connections.
        self.queues.queue_chosen.connect(self._on_queues_queue_chosen)
        self.queues.queue_model.dataChanged.connect(self._on_queue_model_data_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_section_clicked)
        self.splitter.splitterMoved.connect(self._on_splitter_splitter_moved)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.loading.connect(self._on_model_loading)
        self.model.dataChanged.connect(self._on_model_data_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.detail.file_changed.connect(self._on_detail_file_changed)
        ctx.bus.changed.connect(self._on_bus_changed)
        ctx.runner.failed.connect(self._on_runner_failed)
        self._clock.timeout.connect(self._on_clock_timeout)
        self.sync_label.clicked.connect(self.open_sync_window)
        self.sync.status_changed.connect(self._on_sync_status_changed)
        self.sync.pass_started.connect(self._on_sync_pass_started)

        # State.
        self._layout_user: str | None = None
        self._splitter_set = False  # by the user or from their saved layout
        self.set_actor_labels()
        self._read_agencies()
        self._on_sync_status_changed(self.sync.status)
        geometry = ctx.prefs.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 860)
        # The list first, then the counts: one worker runs them in turn, and the officer
        # needs the list.
        self.queues.select(ListQueue.NEW)
        self.queues.refresh_counts()
        self._clock.start()
        self.rating_tablet.apply_prefs()  # its page served when this computer says so

    def _action(
        self, text: str, shortcut: str, slot: object, name: str, toolbar: QToolBar
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text} ({shortcut})")
        action.triggered.connect(slot)
        toolbar.addAction(action)
        return action

    # --- public ------------------------------------------------------------------------------

    def set_actor_labels(self) -> None:
        """Show who is signed in (after a sign-in that changed the user too)."""
        actor = self.ctx.actor
        self.user_label.setText(
            self.tr("Signed in: {name} ({role})").format(
                name=actor.name, role=ROLE_NAMES.get(actor.role, actor.role)
            )
        )
        self.show_place()
        self.settings_action.setVisible(self.ctx.actor.role in permissions.SETTINGS)
        self.supervisor_action.setVisible(self.ctx.is_supervisor)
        self._restore_layout()
        if not self.ctx.is_supervisor and self._supervisor is not None:
            self._supervisor.close()
            self._supervisor = None

    def show_signed_out(self, locked: bool) -> None:
        """While the sign-in asks: the status bar names nobody (the user has left the desk)."""
        self.user_label.setText(self.tr("Locked") if locked else self.tr("Signed out"))

    def show_place(self) -> None:
        """The counter's name and, in a centre, the agencies the user works for here
        ("Quầy 3 · Sở Tư pháp, Sở Xây dựng"), elided to fit with the whole in the tooltip."""
        text, tip = place_text(self.ctx.actor.counter, self._agencies, self.ctx.actor.agencies)
        metrics = self.place_label.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, PLACE_MAX_WIDTH)
        self.place_label.setText(shown)
        self.place_label.setToolTip(tip)
        self.place_label.setVisible(bool(text))

    def _read_agencies(self) -> None:
        self.ctx.ops.read(read_agencies, self._on_agencies_read, self._search_failed, owner=self)

    def _on_agencies_read(self, agencies: list[AgencyName]) -> None:
        self._agencies = agencies
        self.show_place()

    def _layout_key(self) -> str:
        actor = self.ctx.actor
        return actor.username or (f"id-{actor.user_id}" if actor.user_id else "-")

    def _restore_layout(self) -> None:
        """The signed-in user's column widths and order and pane sizes (another user who takes
        over the window gets theirs; the previous user's are kept first)."""
        user = self._layout_key()
        if user == self._layout_user:
            return
        self.save_layout()
        self._layout_user = user
        self.table.restore_layout(user)
        state = self.ctx.prefs.user_state(user, SPLITTER_STATE)
        self._splitter_set = state is not None and self.splitter.restoreState(state)
        if not self._splitter_set:
            self._fit_splitter()

    def save_layout(self) -> None:
        if self._layout_user is None:
            return
        self.table.save_layout(self._layout_user)
        if self._splitter_set:
            self.ctx.prefs.set_user_state(
                self._layout_user, SPLITTER_STATE, self.splitter.saveState()
            )

    def _fit_splitter(self) -> None:
        """Pane widths for this window: the list gets at least its deadline columns, the file
        panel its row of tabs, the queues their longest name (with the count)."""
        handles = 2 * self.splitter.handleWidth()
        total = (self.splitter.width() or self.width()) - handles
        queues = min(
            self.queues.sizeHint().width(),
            self.queues.sizeHintForColumn(0) + 2 * self.queues.frameWidth() + 16,
        )
        panel = self._panel_width()
        rest = total - queues
        table = max(self.table.deadline_width(), rest - max(panel, rest // 3))
        self.splitter.setSizes([queues, table, max(panel, rest - table)])

    def _panel_width(self) -> int:
        """The file panel's least width: its tabs side by side, without scroll arrows."""
        margins = self.detail.contentsMargins()
        layout = self.detail.layout()
        if layout is not None:
            margins = layout.contentsMargins()
        return self.detail.tabs.tabBar().sizeHint().width() + margins.left() + margins.right() + 4

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._splitter_set:
            self._fit_splitter()

    def _on_queue_model_data_changed(self, *_args: object) -> None:
        # The counts arrive after the first fit (off the GUI thread): the names grew by them.
        if not self._splitter_set:
            self._fit_splitter()

    def _on_splitter_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_set = True

    def say(self, text: str, seconds: int = 8) -> None:
        """A short message in the status bar that does not hide who is signed in."""
        self.message_label.setText(text)
        self._message_timer.start(seconds * 1000)

    def _on_clock_timeout(self) -> None:
        """Every minute: counts, and the deadline words; only the clock-bound queues re-read
        their ids (the full list of a million files is not read again each minute)."""
        self.queues.refresh_counts()
        if self.model.queue in (ListQueue.OVERDUE, ListQueue.DUE_SOON):
            self._remember_current()
            self.model.reload()
        else:
            self.model.tick(self.ctx.now())

    def refresh(self) -> None:
        """Re-read counts, the list and the file shown (F5, a calendar or settings change)."""
        self.refresh_list()
        if self.detail.view is not None:
            self.detail.show_code(self.detail.view.code)

    def refresh_list(self) -> None:
        """Re-read counts and the list; the file shown stays as it is when the list still has
        it (a change to that file refreshes the panel through the bus by itself)."""
        self._remember_current()
        self.queues.refresh_counts()
        if self.model.queue is not None:
            self.model.reload()
        else:
            self.model.forget(None)

    def open_code(self, code: str) -> None:
        """Show one file in the list and its detail, as the search box does for a code."""
        self.search.setText(code)
        self._on_search_return_pressed()

    def current_code(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        code = self.model.data(index, CODE_ROLE)
        return None if code is None else str(code)

    # --- slots -------------------------------------------------------------------------------

    def _on_queues_queue_chosen(self, queue: ListQueue) -> None:
        self._follow_id = self._want_id
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(False)
        self.model.load(queue)

    def _on_header_section_clicked(self, section: int) -> None:
        header = self.table.horizontalHeader()
        if self.model.queue is None:
            return
        from desk_app.ui.file_model import COLUMNS

        if COLUMNS[section].sort is None:
            return
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            order = (
                Qt.SortOrder.AscendingOrder
                if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
                else Qt.SortOrder.DescendingOrder
            )
        else:
            order = Qt.SortOrder.AscendingOrder
        header.setSortIndicatorShown(True)
        header.setSortIndicator(section, order)
        self._remember_current()
        self.model.sort(section, order)

    def _remember_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and self._want_id is None:
            self._follow_id = int(self.model.data(index, FILE_ID_ROLE))  # type: ignore[call-overload]

    def _on_model_loading(self, loading: bool) -> None:
        self.busy_label.setText(self.tr("Loading…") if loading else "")

    def _on_model_loaded(self, count: int) -> None:
        if self._want_id is not None and self.model.row_of(self._want_id) >= 0:
            self._follow_id, self._want_id = self._want_id, None
        row = self.model.row_of(self._follow_id) if self._follow_id is not None else -1
        if row < 0 and count:
            row = 0 if self._follow_id is None else -1
        if row >= 0:
            self._select_row(row)
        elif not count and self._want_id is None:
            self.detail.show_code(None)  # (a file being followed stays in the panel)
        self.count_label.setText(self.tr("{0} files").format(f"{count:,}".replace(",", ".")))

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        self._follow_id = int(self.model.data(current, FILE_ID_ROLE))  # type: ignore[call-overload]
        code = self.model.data(current, CODE_ROLE)
        self._detail_waits = code is None  # its row is read off the GUI thread; dataChanged
        shown = self.detail.view
        if code is not None and (shown is None or shown.code != code):
            # The same file selected again after a reload is not read again (~35 ms a time).
            self.detail.show_code(str(code))

    def _on_model_data_changed(
        self, top: QModelIndex, bottom: QModelIndex, _roles: object = None
    ) -> None:
        current = self.table.currentIndex()
        if self._detail_waits and current.isValid() and top.row() <= current.row() <= bottom.row():
            self._on_table_current_row_changed(current, current)

    def _on_focus_search_triggered(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_return_pressed(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.queues.select(self.queues.current_queue() or ListQueue.NEW)
            return

        scope = self.ctx.scope

        def job(s: Session) -> list[FileRow]:
            return queries.search_files(s, text, limit=200, scope=scope)

        self.ctx.ops.read(job, self._show_results, self._search_failed, owner=self, label="search")

    def _search_failed(self, exc: BaseException) -> None:
        self.say(error_text(exc))

    def _show_results(self, rows: list[FileRow]) -> None:
        self.queues.clear_choice()
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self._follow_id = rows[0].id if rows else None
        self.model.show_ids([r.id for r in rows])
        if not rows:
            self.say(self.tr("No file matches “{0}”.").format(self.search.text()))
            return
        if len(rows) == 1:
            # A scanned code: the file is open; the next scan replaces the text.
            self.search.selectAll()
            self.table.setFocus()

    def _on_new_file_triggered(self) -> None:
        from desk_app.ui.intake import IntakeDialog

        dialog = IntakeDialog(self.ctx, self)
        dialog.ticket_id = self.ticket_bar.current_id
        dialog.accepted_file.connect(self._on_intake_accepted_file)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_intake_accepted_file(self, view: FileView) -> None:
        self.follow(view)
        self.ticket_bar.load()  # the called ticket was linked to the file: served
        if view.channel == "direct":  # the applicant is at the counter
            self._served(view, "refuse" if view.status == Status.REFUSED else "accept")

    def _served(self, view: FileView, service: str) -> None:
        """A service finished at this counter: the paired rating screen asks the applicant, and
        the paired tablet the same visit (one visit, whichever answers first)."""
        if self._applicant is not None and self._applicant.paired:
            self._applicant.ask(view.code, service)  # its visit_opened reaches the tablet
        else:
            self.rating_tablet.serve(view.code, service)

    def open_rating_screen(self) -> ApplicantScreen:
        """Open the applicant's rating screen, paired with this computer's counter."""
        from desk_app.ui.applicant_screen import ApplicantScreen

        if self._applicant is None:
            self._applicant = ApplicantScreen(self.ctx, self)
            self._applicant.unpaired.connect(self._on_applicant_unpaired)
            self._applicant.visit_opened.connect(self.rating_tablet.offer)
            self._applicant.rated.connect(self._on_applicant_rated)
        self._applicant.pair(self.ctx.actor.counter)
        self._applicant.show_on_screen()
        self.rating_screen_action.setChecked(True)
        return self._applicant

    def _on_rating_screen_triggered(self, checked: bool) -> None:
        if checked:
            self.open_rating_screen()
        elif self._applicant is not None:
            self._applicant.close()

    def _on_applicant_rated(self, view: RatingView) -> None:
        """The screen's answer came first: the tablet stops asking about the same visit (its
        page, polling, goes back to idle). The screen hears the tablet's answers on the bus."""
        state = self.rating_tablet.state
        if state is None:
            return
        offer = state.snapshot().offer
        if offer is not None and state.token_of(offer.seq) == view.token:
            state.done(offer.seq, stored=False)

    def _on_applicant_unpaired(self) -> None:
        self.rating_screen_action.setChecked(False)

    def _on_rating_tablet_triggered(self) -> None:
        from desk_app.ui.tablet_pairing import TabletPairingDialog

        dialog = TabletPairingDialog(self.rating_tablet, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def follow(self, view: FileView) -> None:
        """After a step on a file in this window (intake, refusal, any action of the panel,
        postal ones too): the file stays selected, in a queue that lists it (the rule is
        queues.queue_to_follow), the panel shows it, and the keyboard stays in the list so the
        officer goes on by keyboard. The step's change notice has already reloaded the list;
        which queues hold the file now is read after it, off the GUI thread."""
        self._want_id = view.id
        shown = self.detail.view
        if shown is None or shown.code != view.code:
            self.detail.show_code(view.code)
        self.table.setFocus()
        now, scope = self.ctx.now(), self.ctx.scope

        def job(s: Session) -> frozenset[ListQueue]:
            return browse.queues_listing(s, view.id, now, scope=scope)

        def failed(exc: BaseException) -> None:
            if self._want_id == view.id:
                self._want_id = None  # the list stays as it is; the panel shows the file
            self.say(error_text(exc))

        self.ctx.ops.read(
            job,
            lambda listing: self._go_to(view.id, listing),
            failed,
            owner=self,
            label="follow file",
        )

    def _go_to(self, file_id: int, listing: frozenset[ListQueue]) -> None:
        if self._want_id != file_id:
            return  # another file is followed since
        shown = self.queues.current_queue()
        queue = queue_to_follow(shown, listing, self.model.row_of(file_id) >= 0)
        if queue is not None and queue is not shown:
            self.search.clear()
            self.queues.select(queue)  # loads it, selecting the file (_on_model_loaded)
            return
        row = self.model.row_of(file_id)
        if row < 0:
            self.model.reload()  # the list read before the step did not have it yet
        else:
            self._follow_id, self._want_id = file_id, None
            self._select_row(row)

    def _on_post_import_triggered(self) -> None:
        from desk_app.ui.post_import import PostalImportDialog

        dialog = PostalImportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_post_list_triggered(self) -> None:
        day = self.ask_day(self.tr("Hand-over list for the post"))
        if day is not None:
            self.print_post_list(day)

    def ask_day(self, title: str) -> date | None:
        """A small dialog with one date (today by default); None when cancelled."""
        dialog = QDialog(self)
        dialog.setObjectName("dayDialog")
        dialog.setWindowTitle(title)
        today = self.ctx.now().date()
        edit = QDateEdit(QDate(today.year, today.month, today.day))
        edit.setObjectName("day")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Day"), edit)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def print_post_list(self, day: date) -> None:
        """The day's hand-over list (bảng kê giao bưu chính) in the preview."""
        from desk_app.services import post
        from desk_app.ui.preview import show_pdf

        scope = self.ctx.scope  # the agencies the officer works for here

        def job(s: Session) -> bytes:
            return post.handover_list_pdf(s, day, scope=scope)

        def done(pdf: bytes) -> None:
            title = self.tr("Hand-over list for the post")
            show_pdf(self, pdf, title, f"bang-ke-buu-chinh-{day.isoformat()}.pdf")

        self.ctx.ops.read(job, done, lambda exc: show_error(self, exc), owner=self)

    def _on_supervisor_triggered(self) -> None:
        from desk_app.ui.supervisor_window import SupervisorWindow

        if not self.ctx.is_supervisor:
            return
        if self._supervisor is None:
            self._supervisor = SupervisorWindow(self.ctx, self)
            self._supervisor.setMenuWidget(OfflineBanner(self.ctx))
            self._supervisor.open_file.connect(self._on_supervisor_open_file)
        self._supervisor.show()
        self._supervisor.raise_()
        self._supervisor.activateWindow()

    def _on_supervisor_open_file(self, code: str) -> None:
        self.open_code(code)
        self.raise_()
        self.activateWindow()

    def _on_settings_triggered(self) -> None:
        from desk_app.ui.settings import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_sync_window(self) -> None:
        if self._sync_window is None:
            self._sync_window = SyncWindow(self.ctx, self.sync, self)
        self._sync_window.reload()
        self._sync_window.show()
        self._sync_window.raise_()
        self._sync_window.activateWindow()

    def _on_sync_now_triggered(self) -> None:
        self.sync.sync_now()

    def _on_sync_pass_started(self) -> None:
        text, tip = status_words(self.sync.status, True, self.ctx.now())
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)

    def _on_sync_status_changed(self, status: object) -> None:
        text, tip = status_words(self.sync.status, self.sync.running, self.ctx.now())
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)

    def _on_detail_file_changed(self, view: FileView) -> None:
        self.follow(view)
        returned = str(Action.RETURN_RESULT)  # at the counter, not delivered by the post
        if view.status == Status.RETURNED and any(e.action == returned for e in view.events):
            self._served(view, "return")

    def _on_bus_changed(self, change: Change) -> None:
        if change.touches("settings"):
            self._read_agencies()  # an agency renamed, added or closed
        if change.touches("prefs"):
            self.show_place()  # the counter renamed (Settings › This computer)
            self.rating_tablet.apply_prefs()  # the tablet's page turned on or off, moved
        if change.touches("calendar") or change.touches("settings"):
            self.refresh()  # deadlines move: the panel's words too
        elif change.touches("files"):
            self.refresh_list()

    def _on_runner_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServerOfflineError):
            return  # the offline banner says so, and the window retries on its own
        show_error(self, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.prefs.set_geometry("main", self.saveGeometry())
        self.save_layout()
        self._clock.stop()
        if self._applicant is not None:
            self._applicant.close()
        self.rating_tablet.stop()
        self.sync.shutdown()
        self.mail.shutdown()
        super().closeEvent(event)
