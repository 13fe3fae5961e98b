"""The applicant's screen: a second window, on a second monitor that faces the applicant, that asks
how the service was once the officer has finished it (issue 16).

The counter window opens it from its toolbar ("Rating screen") and pairs it with the computer's
counter; a screen that is not paired shows nothing and asks nothing. When the officer accepts a
file, refuses it at intake or returns its result, the window calls `ask`: the visit is written
(services/ratings.py `open_visit`, off the GUI thread) and the screen shows three big buttons.
A level tapped leads to the optional reasons (toggle buttons) and "Gửi"; the thanks page goes back
to the idle page by itself. Left alone for `idle_ms`, a question goes back to the idle page
unanswered, and a level already tapped is sent with the reasons chosen so far.

Everything is tapped: no keyboard is needed. A comment field is shown only when `comment_field`
is set (a screen with a keyboard of its own); the counter's window does not set it, since the
keyboard on the desk is the officer's. The window never takes the keyboard's focus from the
officer's window. One rating per visit: the database refuses a second one, and nothing here
changes a rating once sent.

A paired tablet (ui/rating_tablet.py) asks about the same visit; whichever answers first counts.
When the change bus announces ratings written by someone else (the tablet, stored from the
counter's LAN server), the screen asks the database whether its own visit is among them and, if
so, stops asking: the thanks page, then idle.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desk_app.services import ratings
from desk_app.services.context import SOLO_AGENCY, get_settings
from desk_app.services.ratings import Level, RatingView, Visit
from desk_app.ui.bus import Change
from desk_app.ui.context import UiContext
from desk_app.ui.errors import error_text

IDLE_MS = 20_000  # a question left alone goes back to the idle page
THANKS_MS = 6_000  # the thanks page, then the idle page
SIZE = QSize(1280, 800)  # a 10-inch tablet used as a second monitor

PAGES = ("blank", "idle", "ask", "details", "thanks")

# Level button colours: (background, pressed).
_COLOURS = {
    Level.VERY_SATISFIED: ("#1b7f3b", "#145e2c"),
    Level.SATISFIED: ("#1f5fa8", "#174a82"),
    Level.DISSATISFIED: ("#b3261e", "#8c1d17"),
}
_FACES = {Level.VERY_SATISFIED: "☺☺", Level.SATISFIED: "☺", Level.DISSATISFIED: "☹"}

_STYLE = """
#applicantScreen { background: #f4f6f9; }
#applicantScreen[paired="false"] { background: #000000; }
QLabel { color: #1c2430; }
#idleAgency { font-size: 44px; font-weight: 700; color: #12355b; }
#idleUnit { font-size: 30px; font-weight: 600; color: #12355b; }
#idleInvite, #thanksTitle { font-size: 40px; font-weight: 600; }
#askTitle, #detailsTitle { font-size: 40px; font-weight: 700; color: #12355b; }
#askVisit, #detailsHint, #thanksNote { font-size: 24px; color: #3a4656; }
QPushButton[level] {
    color: white; font-size: 34px; font-weight: 700; border-radius: 24px; border: none;
    padding: 16px;
}
QPushButton[level] QLabel { color: white; background: transparent; }
#levelFace { font-size: 96px; }
#levelWords { font-size: 36px; font-weight: 700; }
QPushButton[reason] {
    font-size: 28px; border-radius: 18px; padding: 12px; background: white;
    border: 3px solid #9aa8b8; color: #1c2430;
}
QPushButton[reason]:checked { background: #12355b; border-color: #12355b; color: white; }
#sendButton {
    font-size: 36px; font-weight: 700; color: white; background: #12355b; border: none;
    border-radius: 22px; padding: 16px 48px;
}
#sendButton:disabled { background: #7d8a99; }
#backButton {
    font-size: 28px; color: #12355b; background: transparent; border: 3px solid #12355b;
    border-radius: 22px; padding: 12px 32px;
}
#comment { font-size: 26px; padding: 10px; border: 2px solid #9aa8b8; border-radius: 12px; }
"""


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _touch(button: QPushButton) -> QPushButton:
    """A button for a finger: never takes the keyboard focus from the officer's window."""
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class ApplicantScreen(QWidget):
    """The rating screen facing the applicant, paired with one counter.

    Signals:
        visit_opened(Visit): a finished service was written and the question is shown.
        rated(RatingView): the applicant's rating was stored.
        rating_refused(str): the rating was not stored (too late, already rated); the words.
        rated_elsewhere(Level): the visit asked about was rated on the tablet; thanks shown.
        page_changed(str): the page shown now, one of PAGES.
        unpaired(): the screen was closed or unpaired; it shows nothing now.
    """

    visit_opened = Signal(object)
    unpaired = Signal()
    rated = Signal(object)
    rating_refused = Signal(str)
    rated_elsewhere = Signal(object)
    page_changed = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        idle_ms: int = IDLE_MS,
        thanks_ms: int = THANKS_MS,
        comment_field: bool = False,
    ) -> None:
        # A window of its own even with a parent (it closes with the counter's window).
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.ctx = ctx
        self._idle_ms, self._thanks_ms = idle_ms, thanks_ms
        self._comment_field = comment_field
        self._counter: str | None = None
        self._visit: Visit | None = None
        self._level: Level | None = None
        self._sending = False
        self.setObjectName("applicantScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(self.tr("Rating screen"))
        self.setProperty("paired", False)
        self.setStyleSheet(_STYLE)
        self.resize(SIZE)

        self.pages = QStackedWidget()
        self.pages.setObjectName("screenPages")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.addWidget(self.pages)

        # Blank: not paired.
        self._pages: dict[str, QWidget] = {"blank": QWidget()}

        # Idle: who serves here, and an invitation.
        idle = QWidget()
        box = QVBoxLayout(idle)
        self.unit_label = _label("", "idleUnit")
        self.agency_label = _label("", "idleAgency")
        self.invite_label = _label(
            self.tr("Please rate our service once you have been served"), "idleInvite"
        )
        box.addStretch(2)
        box.addWidget(self.unit_label)
        box.addWidget(self.agency_label)
        box.addStretch(1)
        box.addWidget(self.invite_label)
        box.addStretch(2)
        self._pages["idle"] = idle

        # Ask: three big buttons.
        ask = QWidget()
        box = QVBoxLayout(ask)
        box.addWidget(_label(self.tr("How satisfied are you with our service?"), "askTitle"))
        self.visit_label = _label("", "askVisit")
        box.addWidget(self.visit_label)
        box.addSpacing(24)
        row = QHBoxLayout()
        row.setSpacing(32)
        self.level_buttons: dict[Level, QPushButton] = {}
        for level in (Level.VERY_SATISFIED, Level.SATISFIED, Level.DISSATISFIED):
            button = _touch(QPushButton())
            button.setAccessibleName(level.label)
            inside = QVBoxLayout(button)
            inside.addStretch(1)
            for words, name in ((_FACES[level], "levelFace"), (level.label, "levelWords")):
                label = _label(words, name)
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                inside.addWidget(label)
            inside.addStretch(1)
            button.setObjectName(f"level_{level.value}")
            button.setProperty("level", level.value)
            colour, pressed = _COLOURS[level]
            button.setStyleSheet(
                f"QPushButton {{ background: {colour}; }} "
                f"QPushButton:pressed {{ background: {pressed}; }}"
            )
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMinimumSize(260, 260)
            button.clicked.connect(lambda _=False, lv=level: self.choose(lv))
            self.level_buttons[level] = button
            row.addWidget(button)
        box.addLayout(row, 1)
        self._pages["ask"] = ask

        # Details: optional reasons, optional comment, send.
        details = QWidget()
        box = QVBoxLayout(details)
        self.details_title = _label("", "detailsTitle")
        box.addWidget(self.details_title)
        box.addWidget(
            _label(self.tr("You may also tap what it was about (optional)"), "detailsHint")
        )
        box.addSpacing(16)
        grid = QGridLayout()
        grid.setSpacing(20)
        self.reason_buttons: dict[str, QPushButton] = {}
        for i, (key, words) in enumerate(ratings.REASONS):
            button = _touch(QPushButton(words))
            button.setObjectName(f"reason_{key}")
            button.setProperty("reason", key)
            button.setCheckable(True)
            button.setMinimumHeight(96)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.toggled.connect(self._on_touched)
            self.reason_buttons[key] = button
            grid.addWidget(button, i // 3, i % 3)
        box.addLayout(grid)
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.comment.setMaxLength(ratings.COMMENT_LIMIT)
        self.comment.setPlaceholderText(self.tr("Your comment (optional)"))
        self.comment.textEdited.connect(self._on_touched)
        self.comment.setVisible(comment_field)
        box.addSpacing(12)
        box.addWidget(self.comment)
        box.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = _touch(QPushButton(self.tr("Back")))
        self.back_button.setObjectName("backButton")
        self.back_button.setMinimumHeight(88)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.send_button = _touch(QPushButton(self.tr("Send")))
        self.send_button.setObjectName("sendButton")
        self.send_button.setMinimumSize(320, 104)
        self.send_button.clicked.connect(self.send)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        box.addLayout(buttons)
        self._pages["details"] = details

        # Thanks.
        thanks = QWidget()
        box = QVBoxLayout(thanks)
        box.addStretch(1)
        self.thanks_label = _label("", "thanksTitle")
        self.thanks_note = _label("", "thanksNote")
        box.addWidget(self.thanks_label)
        box.addWidget(self.thanks_note)
        box.addStretch(1)
        self._pages["thanks"] = thanks

        for name in PAGES:
            page = self._pages[name]
            page.setObjectName(f"page_{name}")
            self.pages.addWidget(page)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._show("blank")

    # --- public ------------------------------------------------------------------------------

    @property
    def paired(self) -> bool:
        return self._counter is not None

    @property
    def counter(self) -> str | None:
        """The counter this screen is paired with ("" for a computer without a counter name)."""
        return self._counter

    @property
    def visit(self) -> Visit | None:
        """The visit the screen is asking about, if any."""
        return self._visit

    def page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def pair(self, counter: str) -> None:
        """Bind the screen to `counter` (the computer's counter name) and show the idle page."""
        self._counter = counter
        self.setProperty("paired", True)
        self._restyle()
        self._read_identity()
        self._reset()

    def unpair(self) -> None:
        """Forget the counter: the screen shows nothing and asks nothing until paired again."""
        was_paired = self._counter is not None
        self._counter = None
        self._visit, self._level = None, None
        self._timer.stop()
        self.setProperty("paired", False)
        self._restyle()
        self._show("blank")
        if was_paired:
            self.unpaired.emit()

    def show_on_screen(self) -> None:
        """Full screen on a second monitor when there is one; a window of the tablet's size on
        the officer's screen otherwise (to be dragged where the applicant sees it)."""
        screens = QGuiApplication.screens()
        parent = self.parentWidget()
        here = parent.screen() if parent is not None else None
        others = [s for s in screens if s is not here] if here is not None else screens[1:]
        if len(screens) > 1 and others:
            self.setScreen(others[0])
            self.setGeometry(others[0].geometry())
            self.showFullScreen()
        else:
            self.resize(SIZE)
            self.showNormal()

    def ask(self, code: str, service: str) -> None:
        """The officer finished `service` (accept, refuse, return) for file `code`: write the
        visit and ask the applicant. Nothing at all when the screen is not paired."""
        if self._counter is None:
            return
        if self._visit is not None and self._level is not None:
            self.send()  # the previous applicant tapped a level: it is not lost
        ctx, counter, now = self.ctx, self._counter, self.ctx.now()

        def job(s: Session) -> Visit:
            return ratings.open_visit(s, code, service, ctx.actor, now, counter=counter)

        self.ctx.ops.write(
            job,
            self._on_visit_opened,
            self._on_visit_failed,
            changes=Change.of("ratings"),
            owner=self,
            label="open visit",
        )

    def choose(self, level: Level) -> None:
        """The applicant tapped a level: the reasons, then "Send"."""
        if self._visit is None:
            return
        self._level = level
        self.details_title.setText(level.label)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.comment.clear()
        self.send_button.setEnabled(True)
        self._show("details")

    def chosen_reasons(self) -> list[str]:
        return [key for key, button in self.reason_buttons.items() if button.isChecked()]

    def send(self) -> None:
        """Store the rating chosen for the visit shown (once; the screen then thanks)."""
        if self._visit is None or self._level is None or self._sending:
            return
        token, level = self._visit.token, self._level
        reasons: Sequence[str] = self.chosen_reasons()
        comment = self.comment.text() if self._comment_field else ""
        now = self.ctx.now()
        self._visit, self._level, self._sending = None, None, True
        self.send_button.setEnabled(False)

        def job(s: Session) -> RatingView:
            return ratings.record_rating(s, token, level, reasons, comment, now)

        self.ctx.ops.write(
            job,
            self._on_rated,
            self._on_rating_failed,
            changes=Change.of("ratings"),
            owner=self,
            label="record rating",
        )

    # --- inside ------------------------------------------------------------------------------

    def _show(self, name: str) -> None:
        self.pages.setCurrentWidget(self._pages[name])
        self._timer.stop()
        if name in ("ask", "details"):
            self._timer.start(self._idle_ms)
        elif name == "thanks":
            self._timer.start(self._thanks_ms)
        self.page_changed.emit(name)

    def _restyle(self) -> None:
        self.style().unpolish(self)
        self.style().polish(self)

    def _reset(self) -> None:
        self._visit, self._level = None, None
        self._show("idle" if self._counter is not None else "blank")

    def _read_identity(self) -> None:
        agencies = self.ctx.actor.agencies
        agency = min(agencies) if agencies else SOLO_AGENCY

        def job(s: Session) -> tuple[str, str]:
            view = get_settings(s, agency)
            return view.unit_name, view.agency_name

        self.ctx.ops.read(job, self._on_identity_read, lambda _exc: None, owner=self)

    def _on_identity_read(self, names: tuple[str, str]) -> None:
        unit, agency = names
        self.unit_label.setText(unit)
        self.agency_label.setText(agency)

    def _on_visit_opened(self, visit: Visit) -> None:
        if self._counter is None:
            return  # unpaired meanwhile: the visit stays unrated
        self._visit, self._level = visit, None
        # What was done, for which file, by whom and where (the procedure's name is too long).
        service = f"{ratings.SERVICES.get(visit.service, visit.service)} {visit.file_code}"
        parts = [p for p in (service, visit.officer, visit.counter) if p]
        self.visit_label.setText(" · ".join(parts))
        self.visit_label.setToolTip(visit.procedure_name)
        self._show("ask")
        self.visit_opened.emit(visit)

    def _on_visit_failed(self, exc: BaseException) -> None:
        # The officer's step is done; only the question is missing. The status bar says why.
        self.ctx.runner.failed.emit(exc)

    def _on_rated(self, view: RatingView) -> None:
        self._sending = False
        self.thanks_label.setText(self.tr("Thank you for your rating!"))
        self.thanks_note.setText(view.level.label)
        self._show("thanks")
        self.rated.emit(view)

    def _on_rating_failed(self, exc: BaseException) -> None:
        self._sending = False
        words = error_text(exc)
        self.thanks_label.setText(self.tr("Thank you!"))
        self.thanks_note.setText(words)
        self._show("thanks")
        self.rating_refused.emit(words)

    def _on_bus_changed(self, change: Change) -> None:
        """Ratings written by another (the tablet): is the visit asked about among them?"""
        visit = self._visit
        if visit is None or change.origin is self or not change.touches("ratings"):
            return
        token = visit.token

        def job(s: Session) -> Level | None:
            return ratings.visit_level(s, token)

        self.ctx.ops.read(
            job,
            lambda level: self._on_visit_checked(token, level),
            lambda _exc: None,  # the screen goes on asking; a tap then hears "already rated"
            owner=self,
        )

    def _on_visit_checked(self, token: str, answered: Level | None) -> None:
        if answered is None or self._visit is None or self._visit.token != token:
            return  # not rated yet, or the screen moved on meanwhile
        self._visit, self._level = None, None
        self.thanks_label.setText(self.tr("Thank you for your rating!"))
        self.thanks_note.setText(answered.label)
        self._show("thanks")
        self.rated_elsewhere.emit(answered)

    def _on_back_clicked(self) -> None:
        self._level = None
        self._show("ask")

    def _on_touched(self, *_args: object) -> None:
        if self.page() in ("ask", "details"):
            self._timer.start(self._idle_ms)

    def _on_timer_timeout(self) -> None:
        if self.page() == "details" and self._level is not None:
            self.send()  # a level tapped counts, with the reasons chosen so far
            return
        self._reset()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.unpair()
        super().closeEvent(event)
