"""The sync window: the state of sending summaries to the department, and the outbox row by row.

A centre's database holds several agencies, each sending with its own settings: the window then
says each agency's state, one line each, and lists the outbox of the agency chosen above it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services.context import SOLO_AGENCY
from desk_app.sync import outbox
from desk_app.sync.outbox import OutboxEntry, SyncConfig, SyncStatus
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import show_error
from desk_app.ui.sync_controller import SyncController
from desk_app.ui.table_model import ListTableModel

_T = "SyncWindow"
# Marked for lupdate here, translated when shown (after the translator is installed).
STATE_WORDS = {
    outbox.PENDING: str(QT_TRANSLATE_NOOP("SyncWindow", "Waiting")),
    outbox.SENDING: str(QT_TRANSLATE_NOOP("SyncWindow", "Sending")),
    outbox.ACKNOWLEDGED: str(QT_TRANSLATE_NOOP("SyncWindow", "Received by the department")),
    outbox.REJECTED: str(QT_TRANSLATE_NOOP("SyncWindow", "Refused")),
    outbox.SUPERSEDED: str(QT_TRANSLATE_NOOP("SyncWindow", "Replaced by a newer revision")),
}
HEADERS = (
    str(QT_TRANSLATE_NOOP("SyncWindow", "Day")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "Revision")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "State")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "Attempts")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "Next attempt")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "Receipt")),
    str(QT_TRANSLATE_NOOP("SyncWindow", "Last error")),
)
STATE_COLOURS = {outbox.REJECTED: "#b3261e", outbox.PENDING: "#b35c00", outbox.SENDING: "#b35c00"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_T, text)


def _moment(value: datetime | None, now: datetime) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M" if value.date() == now.date() else "%d/%m/%Y %H:%M")


def status_words(status: SyncStatus | None, running: bool, now: datetime) -> tuple[str, str]:
    """The status bar's text and tooltip for the sync state."""
    if status is None or not status.configured:
        text = QCoreApplication.translate("SyncWindow", "Sync: not set up")
        tip = QCoreApplication.translate("SyncWindow", "Settings › Sync: the department's address")
        return text, tip
    if running:
        text = QCoreApplication.translate("SyncWindow", "Syncing…")
    elif not status.enabled:
        text = QCoreApplication.translate("SyncWindow", "Sync: off")
    elif status.online is None:
        text = QCoreApplication.translate("SyncWindow", "Sync: not yet")
    elif status.online:
        text = QCoreApplication.translate("SyncWindow", "Online")
    else:
        text = QCoreApplication.translate("SyncWindow", "Offline")
    parts = [text, QCoreApplication.translate("SyncWindow", "{0} unsent").format(status.unsent)]
    if status.rejected:
        parts.append(
            QCoreApplication.translate("SyncWindow", "{0} refused").format(status.rejected)
        )
    if status.last_success_at is not None:
        parts.append(
            QCoreApplication.translate("SyncWindow", "last sync {0}").format(
                _moment(status.last_success_at, now)
            )
        )
    tip = status.last_error or QCoreApplication.translate("SyncWindow", "Click for the outbox")
    return " · ".join(parts), tip


class OutboxModel(ListTableModel[OutboxEntry]):
    """The outbox rows, newest day first; refused rows red, waiting ones orange."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent, translate=_tr)

    def cell(self, row: OutboxEntry, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = STATE_COLOURS.get(row.state)
            return None if colour is None else QBrush(QColor(colour))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        due = row.next_attempt_at
        values = (
            row.day.strftime("%d/%m/%Y"),
            str(row.revision),
            _tr(STATE_WORDS.get(row.state, row.state)),
            str(row.attempts),
            "" if due is None else due.strftime("%d/%m/%Y %H:%M:%S"),
            row.receipt_id or "",
            row.last_error or "",
        )
        return values[column]


class SyncWindow(QDialog):
    """ "Đồng bộ với Sở": the state at the top, the outbox below, and what can be done."""

    def __init__(self, ctx: UiContext, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.controller = controller
        self.setObjectName("syncWindow")
        self.setWindowTitle(self.tr("Sync with the department"))

        # Widgets.
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("syncError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e")
        self.agency_label = QLabel(self.tr("Outbox of"))
        self.agency_box = QComboBox()
        self.agency_box.setObjectName("syncAgency")
        self.agency_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.agency_label.setBuddy(self.agency_box)
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setObjectName("syncTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNowButton")
        self.retry_button = QPushButton(self.tr("Send refused rows again"))
        self.retry_button.setObjectName("syncRetryButton")
        self.settings_button = QPushButton(self.tr("Settings…"))
        self.settings_button.setObjectName("syncSettingsButton")
        self.settings_button.setEnabled(ctx.is_admin)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        # Layout.
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        chooser = QHBoxLayout()
        chooser.addWidget(self.agency_label)
        chooser.addWidget(self.agency_box)
        chooser.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error_label)
        layout.addLayout(chooser)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1000, 560)

        # Connections.
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.settings_button.clicked.connect(self._on_settings_button_clicked)
        close.rejected.connect(self.reject)
        controller.status_changed.connect(self._on_controller_status_changed)
        controller.pass_started.connect(self._on_controller_pass_started)
        self.agency_box.activated.connect(self._on_agency_box_activated)

        # State.
        self.agency = SOLO_AGENCY  # whose outbox is listed
        self.agency_label.hide()
        self.agency_box.hide()
        self.reload()

    def reload(self) -> None:
        agency = self.agency

        def job(
            s: Session,
        ) -> tuple[dict[int, SyncConfig], dict[int, SyncStatus], list[OutboxEntry]]:
            found = outbox.statuses(s)
            shown = agency if agency in found or not found else next(iter(found))
            configs = {a: outbox.read_config(s, a) for a in found}
            return configs, found, outbox.entries(s, agency=shown)

        self.ctx.ops.read(job, self._on_reloaded, owner=self, label="sync window")

    def _on_reloaded(
        self, found: tuple[dict[int, SyncConfig], dict[int, SyncStatus], list[OutboxEntry]]
    ) -> None:
        configs, statuses, rows = found
        if statuses and self.agency not in statuses:
            self.agency = next(iter(statuses))
        self.model.set_rows(rows)
        now = self.ctx.now()
        running = self.controller.running
        several = len(statuses) > 1
        self._fill_agencies(statuses)
        if several:
            lines = []
            for agency, status in statuses.items():
                text, _tip = status_words(status, running, now)
                address = configs[agency].url or self.tr("(no address)")
                lines.append(self.tr("{0} — {1}: {2}").format(status.name, address, text))
            self.state_label.setText("\n".join(lines))
            errors = [f"{s.name}: {s.last_error}" for s in statuses.values() if s.last_error]
        else:
            status = statuses.get(self.agency) or outbox.overall(statuses)
            config = configs.get(self.agency)
            text, _tip = status_words(status, running, now)
            address = (config.url if config else "") or self.tr("(no address)")
            self.state_label.setText(
                self.tr("Department: {0}\n{1}").format(address, text)
                + (
                    ""
                    if status.last_attempt_at is None
                    else "\n"
                    + self.tr("Last attempt: {0}").format(_moment(status.last_attempt_at, now))
                )
            )
            errors = [status.last_error] if status.last_error else []
        self.error_label.setText("\n".join(errors))
        self.error_label.setVisible(bool(errors))
        chosen = statuses.get(self.agency)
        self.retry_button.setEnabled(chosen is not None and chosen.rejected > 0)
        self.sync_button.setEnabled(any(s.configured for s in statuses.values()) and not running)

    def _fill_agencies(self, statuses: dict[int, SyncStatus]) -> None:
        """The agency chooser, shown when the database has several agencies."""
        several = len(statuses) > 1
        self.agency_label.setVisible(several)
        self.agency_box.setVisible(several)
        wanted = [(a, s.name) for a, s in statuses.items()]
        have = [
            (int(self.agency_box.itemData(i)), self.agency_box.itemText(i))
            for i in range(self.agency_box.count())
        ]
        if wanted != have:
            self.agency_box.clear()
            for agency, name in wanted:
                self.agency_box.addItem(name, agency)
        index = self.agency_box.findData(self.agency)
        if index >= 0:
            self.agency_box.setCurrentIndex(index)

    def _on_agency_box_activated(self, index: int) -> None:
        agency = self.agency_box.itemData(index)
        if agency is not None and int(agency) != self.agency:
            self.agency = int(agency)
            self.reload()

    def _on_controller_status_changed(self, _status: object) -> None:
        self.reload()

    def _on_controller_pass_started(self) -> None:
        self.sync_button.setEnabled(False)

    def _on_sync_button_clicked(self) -> None:
        self.controller.sync_now()

    def _on_retry_button_clicked(self) -> None:
        def done(_result: object) -> None:
            self.reload()
            self.controller.sync_now()

        agency = self.agency
        self.ctx.ops.write(
            lambda s: outbox.retry_rejected(s, agency),
            done,
            lambda exc: show_error(self, exc),
            changes=Change.of("sync"),
            owner=self,
            label="retry rejected days",
        )

    def _on_settings_button_clicked(self) -> None:
        from desk_app.ui.settings import SettingsDialog

        dialog = SettingsDialog(self.ctx, self, tab="sync")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
