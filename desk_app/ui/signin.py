"""Signing in, unlocking a locked screen, and the idle timer that locks it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.errors import DeskError
from desk_app.services import users
from desk_app.services.context import Actor
from desk_app.ui.busy_note import BusyNote
from desk_app.ui.dbops import DbOps
from desk_app.ui.errors import show_error
from desk_app.ui.forms import FieldErrors
from desk_app.ui.prefs import Prefs


class SignInDialog(QDialog):
    """User name and password; Enter signs in. With `locked_user` it unlocks a locked screen:
    the locked user's name is filled in, but anyone may sign in (the window then serves them).

    `database` is the open database's label: the agencies this computer serves there and its
    counter's name (Settings › This computer) go with the attempt, so the actor works for their
    agencies among those, and a user with none of them is refused next to the field.

    The check (a deliberately slow scrypt, and the attempt written for the back-off) runs on
    the runner's worker: the dialog keeps painting and can be closed meanwhile, and past
    ~300 ms it says that it is checking."""

    def __init__(
        self,
        ops: DbOps,
        prefs: Prefs,
        parent: QWidget | None = None,
        *,
        locked_user: str | None = None,
        database: str = "",
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._prefs = prefs
        self._database = database
        self._actor: Actor | None = None
        self._checking = False
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Unlock") if locked_user else self.tr("Sign in"))
        self.setModal(True)

        # Widgets.
        self.heading = QLabel()
        self.heading.setObjectName("signInHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        if locked_user:
            self.heading.setText(
                self.tr("Locked — signed in as {0}").format(locked_user)
                + "\n"
                + self.tr("Enter the password to go on, or sign in as someone else.")
            )
        else:
            self.heading.setText(self.tr("One-stop desk: sign in"))
        self.username = QLineEdit(locked_user or prefs.last_user)
        self.username.setObjectName("username")
        self.username.setMaxLength(60)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.caps_hint = QLabel(self.tr("Caps Lock may be on."))
        self.caps_hint.setObjectName("capsHint")
        self.caps_hint.hide()
        self.busy = BusyNote()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("signInButtons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in"))
        ok.setObjectName("signInButton")
        ok.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Quit") if locked_user is None else self.tr("Close the program"))
        self.errors = FieldErrors()

        # Layout.
        form = QFormLayout()
        self.errors.add_row(form, self.tr("User name"), self.username, "username")
        self.errors.add_row(form, self.tr("Password"), self.password, "password")
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addSpacing(8)
        lay.addLayout(form)
        lay.addWidget(self.caps_hint)
        lay.addWidget(self.busy)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)

        # Signals.
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.password.textEdited.connect(self._on_password_edited)
        self.username.textEdited.connect(lambda _text: self.errors.clear())

        # State.
        (self.password if self.username.text() else self.username).setFocus()

    def actor(self) -> Actor | None:
        """Who signed in, once the dialog was accepted."""
        return self._actor

    def _on_password_edited(self, _text: str) -> None:
        self.errors.clear("password")
        # Qt cannot read the Caps Lock state; an all-capitals password is the usual sign of it.
        text = self.password.text()
        self.caps_hint.setVisible(len(text) >= 3 and text.isupper())

    def is_checking(self) -> bool:
        """True while the password is being checked on the worker."""
        return self._checking

    def reject(self) -> None:
        # A check still running is let finish (its attempt is counted) but no longer heard.
        self._set_checking(False)
        super().reject()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        # Read-only rather than disabled: the focus stays in the password field.
        self.username.setReadOnly(checking)
        self.password.setReadOnly(checking)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not checking)
        if checking:
            self.busy.start(self.tr("Checking the password…"))
        else:
            self.busy.stop()

    def _on_buttons_accepted(self) -> None:
        if self._checking:
            return
        self.errors.clear()
        username = self.username.text().strip()
        if not username:
            self.errors.show({"username": self.tr("Enter your user name.")})
            return
        password = self.password.text()
        served, counter = sign_in_place(self._prefs, self._database)
        self._set_checking(True)
        # A write: the attempt is counted (the back-off after repeated failures) even when it
        # fails, so the error is raised here, after the transaction has committed. Nothing a
        # view shows changes, so nothing is announced.
        self._ops.write(
            lambda s: users.attempt_sign_in(s, username, password, served=served, counter=counter),
            self._on_attempt_done,
            self._on_attempt_failed,
            changes=None,
            owner=self,
            label="sign in",
        )

    def _on_attempt_done(self, attempt: users.SignInAttempt) -> None:
        if not self._checking:
            return  # closed meanwhile
        self._set_checking(False)
        try:
            actor = attempt.actor_or_raise()
        except DeskError as exc:
            # The same message for an unknown user and a wrong password: no hint which it was.
            # A refusal that names its field (the user name) is shown there.
            self._show_password_error(exc.message, exc.field)
            return
        self._actor = actor
        self._prefs.last_user = self.username.text().strip().lower()
        self._prefs.sync()
        self.accept()

    def _on_attempt_failed(self, exc: BaseException) -> None:
        if not self._checking:
            return
        self._set_checking(False)
        if isinstance(exc, DeskError):  # e.g. the database stayed busy and the officer gave up
            self._show_password_error(exc.message)
        else:  # a bug or a broken database: say so, keep the dialog open
            show_error(self, exc)

    def _show_password_error(self, message: str, field: str | None = None) -> None:
        self.errors.show({field if field in ("username", "password") else "password": message})
        self.adjustSize()  # a long message takes more lines: the dialog grows to show them
        self.password.setFocus()
        self.password.selectAll()


def sign_in_place(prefs: Prefs, database: str) -> tuple[frozenset[int] | None, str]:
    """What a sign-in at this computer passes on: the agencies it serves in `database` (None:
    every one, also when no database is named) and its counter's name."""
    return (prefs.served_agencies(database) if database else None), prefs.counter_name


_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,
    }
)


class IdleLock(QObject):
    """Installs an application event filter; after prefs.lock_minutes idle (keyboard/mouse),
    emits `locked` once (start() again after the unlock).

    Signals:
        locked(): nobody touched the keyboard or the mouse for the whole interval.
    """

    locked = Signal()

    def __init__(
        self, prefs: Prefs, parent: QObject | None = None, *, interval_ms: int | None = None
    ) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setObjectName("idleTimer")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._filtering = False

    def interval_ms(self) -> int:
        """The idle time before locking; 0 when the lock is turned off."""
        if self._interval_ms is not None:
            return self._interval_ms
        return self._prefs.lock_minutes * 60_000

    def is_running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Start (or restart) watching; reads the lock minutes again, so a change applies."""
        interval = self.interval_ms()
        if interval <= 0:
            self.stop()
            return
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start(interval)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False

    def _on_timer_timeout(self) -> None:
        self.stop()
        self.locked.emit()
