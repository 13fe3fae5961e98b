"""The Sync tab: where the department is, the desk's token, how often, on or off.

In a centre's database each agency sends with its own settings and token: the tab then opens
with a chooser of the agencies the administrator works for, and shows and edits the chosen one's.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.errors import DeskError, ValidationError
from desk_app.services.context import SOLO_AGENCY
from desk_app.sync import outbox
from desk_app.sync.secret import SecretStore, check_token, default_store
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.forms import FieldErrors
from desk_app.ui.settings.common import Notice, Pending, write


def token_storage_words(platform: str = sys.platform) -> str:
    """Where the token is kept, as SecretStore keeps it on this platform."""
    if platform == "win32":
        return QCoreApplication.translate(
            "SyncTab",
            "The token given by the department is kept encrypted for the signed-in Windows "
            "user only (DPAPI), not in the desk's database.",
        )
    return QCoreApplication.translate(
        "SyncTab",
        "The token given by the department is kept in a file of the signed-in user's "
        "configuration folder that only this user may read (mode 0600), not in the desk's "
        "database.",
    )


class SyncTab(QWidget):
    """Saves the address, interval and switch in the database and the token in the signed-in
    user's secret store (never in the database); announces Change.of("sync-settings")."""

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, secrets: SecretStore | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.secrets = secrets or default_store()
        self.setObjectName("syncTab")
        self._install_id = ""
        self.agency = SOLO_AGENCY  # whose settings the tab shows

        # Widgets.
        self.agency_label = QLabel(self.tr("Agency"))
        self.agency_box = QComboBox()
        self.agency_box.setObjectName("syncAgency")
        self.agency_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.agency_label.setBuddy(self.agency_box)
        self.url = QLineEdit()
        self.url.setObjectName("syncUrl")
        self.url.setPlaceholderText("https://so.example.gov.vn")
        self.token = QLineEdit()
        self.token.setObjectName("syncToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.remove_token = QPushButton(self.tr("Remove the stored token"))
        self.remove_token.setObjectName("syncRemoveToken")
        self.interval = QSpinBox()
        self.interval.setObjectName("syncInterval")
        self.interval.setRange(outbox.MIN_INTERVAL, outbox.MAX_INTERVAL)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setMaximumWidth(140)
        self.enabled = QCheckBox(self.tr("Send the summaries automatically"))
        self.enabled.setObjectName("syncEnabled")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveSync")
        self.notice = Notice("syncNotice")
        self.general_error = QLabel()
        self.general_error.setObjectName("syncErrorGeneral")
        self.errors = FieldErrors(self.general_error)
        self.pending = Pending(self.save_button, self.remove_token)
        about = QLabel(
            self.tr(
                "The desk sends the department its numbers per day and per procedure (received, "
                "settled, open, withdrawn, stopped, post) — never names, identity numbers, "
                "phones, addresses or file codes."
            )
            + " "
            + token_storage_words()
        )
        about.setWordWrap(True)

        # Layout.
        chooser = QHBoxLayout()
        chooser.addWidget(self.agency_label)
        chooser.addWidget(self.agency_box)
        chooser.addStretch(1)
        form = QFormLayout()
        add = self.errors.add_row
        add(form, self.tr("Department address"), self.url, "url")
        token_row = QWidget()
        token_lay = QHBoxLayout(token_row)
        token_lay.setContentsMargins(0, 0, 0, 0)
        token_lay.addWidget(self.token, 1)
        token_lay.addWidget(self.remove_token)
        add(form, self.tr("Desk token"), token_row, "token")
        add(form, self.tr("Every"), self.interval, "interval")
        form.addRow("", self.enabled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addLayout(chooser)
        lay.addWidget(about)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addLayout(buttons)

        # Signals.
        self.save_button.clicked.connect(self._on_save_clicked)
        self.remove_token.clicked.connect(self._on_remove_token_clicked)
        self.agency_box.activated.connect(self._on_agency_box_activated)

        # State.
        self.agency_label.hide()
        self.agency_box.hide()
        self.load()

    def load(self) -> None:
        """Read the agencies this administrator works for and the chosen one's settings."""
        wanted, mine = self.agency, self.ctx.actor.agencies

        def job(s: Session) -> tuple[dict[int, str], outbox.SyncConfig]:
            names = outbox.agency_names(s, mine)
            agency = outbox.chosen_agency(names, wanted)
            return names, outbox.read_config(s, agency)

        self.ctx.ops.read(job, self._on_loaded, owner=self)

    def _on_loaded(self, found: tuple[dict[int, str], outbox.SyncConfig]) -> None:
        names, config = found
        self.agency = config.agency
        several = len(names) > 1
        self.agency_label.setVisible(several)
        self.agency_box.setVisible(several)
        self.agency_box.clear()
        for agency, name in names.items():
            self.agency_box.addItem(name, agency)
        self.agency_box.setCurrentIndex(max(self.agency_box.findData(self.agency), 0))
        self._show_config(config)

    def _on_agency_box_activated(self, index: int) -> None:
        agency = self.agency_box.itemData(index)
        if agency is None or int(agency) == self.agency:
            return
        if self.pending.running:  # a save of the other agency is on its way
            self.agency_box.setCurrentIndex(max(self.agency_box.findData(self.agency), 0))
            return
        self.agency = int(agency)
        self.notice.clear_notice()
        self.load()

    def _show_config(self, config: outbox.SyncConfig) -> None:
        self._install_id = config.token_key
        self.url.setText(config.url)
        self.interval.setValue(config.interval_minutes)
        self.enabled.setChecked(config.enabled)
        self.token.clear()
        self._show_token_state()
        self.errors.clear()

    def has_token(self) -> bool:
        return bool(self._install_id) and bool(self.secrets.load(self._install_id))

    def _show_token_state(self) -> None:
        stored = self.has_token()
        self.token.setPlaceholderText(
            self.tr("A token is stored; type a new one to replace it")
            if stored
            else self.tr("The token printed by the department (add-desk)")
        )
        self.remove_token.setEnabled(stored)

    def _on_save_clicked(self) -> None:
        if self.pending.running:
            return
        self.errors.clear()
        self.notice.clear_notice()
        typed = self.token.text()
        # Both fields are checked before anything is written, so one click shows every mistake.
        problems: dict[str, str] = {}
        try:
            outbox.check_url(self.url.text())
        except ValidationError as exc:
            problems["url"] = exc.message
        token = ""
        try:
            token = check_token(typed)
        except ValidationError as exc:
            problems["token"] = exc.message
        if self.enabled.isChecked() and not typed.strip() and not self.has_token():
            problems["token"] = self.tr("Type the token given by the department.")
        if problems:
            self.errors.show(problems)
            return
        url, minutes, on = self.url.text(), self.interval.value(), self.enabled.isChecked()
        ctx, agency = self.ctx, self.agency

        def save(s: Session) -> outbox.SyncConfig:
            config = outbox.save_config(
                s,
                enabled=on,
                url=url,
                interval_minutes=minutes,
                actor=ctx.actor,
                token_changed=bool(token),
                now=ctx.now(),
                agency=agency,
            )
            if token:
                outbox.retry_rejected(s, agency)  # rows refused for the old token go again
            return config

        def saved(config: outbox.SyncConfig) -> None:
            self._install_id = config.token_key  # made with the agency's row if it had none
            if token:
                try:
                    self.secrets.save(self._install_id, token)
                except OSError as exc:
                    self.errors.show(
                        {"token": self.tr("The token could not be stored: {0}").format(exc)}
                    )
                    return
            self.url.setText(config.url)
            self.token.clear()
            self._show_token_state()
            self.notice.ok(self.tr("Saved."))

        self.pending.begin()
        write(
            ctx, self, save, Change.of("sync-settings", "sync"), saved, self._refused, self.pending
        )

    def _on_remove_token_clicked(self) -> None:
        if not self.pending.begin():
            return
        self.errors.clear()
        self.notice.clear_notice()
        ctx, agency = self.ctx, self.agency
        # The audit entry first: a role that may not change the settings removes nothing.
        write(
            ctx,
            self,
            lambda s: outbox.record_token_removed(s, ctx.actor, now=ctx.now(), agency=agency),
            Change.of("sync-settings"),
            self._on_token_removal_recorded,
            self._refused,
            self.pending,
        )

    def _on_token_removal_recorded(self, _result: object) -> None:
        if self._install_id:
            self.secrets.save(self._install_id, "")
        self._show_token_state()
        self.notice.ok(self.tr("The token was removed; nothing is sent until a new one is saved."))

    def _refused(self, exc: DeskError) -> None:
        self.errors.show_error(exc)
