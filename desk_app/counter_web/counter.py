"""One counter's link with its rating tablet, shared by the counter's window (GUI thread) and its
LAN server (uvicorn's thread): the pairing code, the paired device, and the visit waiting for
the applicant's answer. Every method takes the lock; nothing here touches the database.

Pairing: the officer's window asks for a code (`new_code`: CODE_DIGITS digits, CODE_TTL, one
live code at a time, a new one replaces it); the tablet types it (`pair`), which spends it and
returns a device token the server sets as a cookie. Only a digest of the token is kept (the
window saves it in the machine's preferences, so the tablet stays paired across restarts). One
device per counter: pairing another replaces it; `unpair` forgets it. CODE_TRIES wrong codes
burn the live code, whoever typed them (the server also rations tries per address).

Visits: the window `offer`s each visit it opens; the tablet reads `snapshot` (its `version`
moves on every change it must show), `choose`s a level and reasons, `touch`es while the
applicant types, and the server stores the answer (services/ratings.record_rating) then calls
`done`. Left alone ASK_IDLE, a question is withdrawn; a level already chosen is then returned
by `due` to be stored with the reasons chosen so far — the second-monitor screen's rule. A
visit offered over one with a level chosen queues that one's answer too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from desk_app.services import ratings
from desk_app.services.ratings import Level, Visit

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)
CODE_TRIES = 5  # wrong codes in a row that burn the live one
# As the second-monitor screen (ui/applicant_screen.IDLE_MS, THANKS_MS; a test keeps them equal).
ASK_IDLE = timedelta(seconds=20)
THANKS_SECONDS = 6
RECENT = 16  # visits answered or withdrawn whose token a late request may still name


def digest(token: str) -> str:
    """What is kept of a device token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PairingCode:
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Offer:
    """The question the tablet shows: no file code, no applicant, only what was done, by whom
    and where."""

    seq: int
    service: str
    service_words: str
    officer: str | None
    counter: str | None


@dataclass(frozen=True)
class Snapshot:
    version: int
    offer: Offer | None
    level: Level | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """A rating to store: the visit's token, and what was chosen."""

    seq: int
    token: str
    level: Level
    reasons: tuple[str, ...]


@dataclass
class _Pending:
    seq: int
    visit: Visit
    touched: datetime
    level: Level | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairingResult:
    """What `pair` made of a typed code: OK with the device token, WRONG, EXPIRED or NONE (no
    code shown at the counter)."""

    outcome: str
    token: str | None = None

    OK: ClassVar[str] = "ok"
    WRONG: ClassVar[str] = "wrong"
    EXPIRED: ClassVar[str] = "expired"
    NONE: ClassVar[str] = "none"


class CounterState:
    """The link of one counter (`counter`, its name) with its tablet; thread-safe."""

    def __init__(
        self,
        counter: str,
        now: Callable[[], datetime],
        *,
        device_digest: str | None = None,
        on_device_changed: Callable[[str | None], None] | None = None,
        on_stored: Callable[[], None] | None = None,
        ask_idle: timedelta = ASK_IDLE,
        code_ttl: timedelta = CODE_TTL,
    ) -> None:
        self._lock = threading.Lock()
        self._counter = counter
        self._now = now
        self._device = device_digest or None
        self._on_device_changed = on_device_changed
        self._on_stored = on_stored
        self._ask_idle, self._code_ttl = ask_idle, code_ttl
        self._code: PairingCode | None = None
        self._wrong = 0
        self._pending: _Pending | None = None
        self._queued: list[Answer] = []
        self._recent: OrderedDict[int, str] = OrderedDict()  # seq -> token
        self._seq = 0
        self._version = 0

    # --- the counter ---------------------------------------------------------------------------

    @property
    def counter(self) -> str:
        with self._lock:
            return self._counter

    @counter.setter
    def counter(self, name: str) -> None:
        with self._lock:
            self._counter = name
            self._version += 1

    @property
    def version(self) -> int:
        with self._lock:
            return self._version

    # --- pairing -------------------------------------------------------------------------------

    def new_code(self) -> PairingCode:
        """A fresh code for the officer to show; the previous one stops working."""
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        with self._lock:
            self._code = PairingCode(code, self._now() + self._code_ttl)
            self._wrong = 0
            return self._code

    def live_code(self) -> PairingCode | None:
        """The code that works now, if any (None once used, burnt or expired)."""
        with self._lock:
            return self._live_code()

    def _live_code(self) -> PairingCode | None:
        if self._code is not None and self._now() >= self._code.expires_at:
            self._code = None
        return self._code

    def cancel_code(self) -> None:
        with self._lock:
            self._code = None

    def pair(self, typed: str) -> PairingResult:
        """The tablet typed `typed`: a device token when it is the live code (spent then)."""
        text = "".join(typed.split())
        with self._lock:
            expired = self._code is not None and self._now() >= self._code.expires_at
            code = self._live_code()
            if code is None:
                return PairingResult(PairingResult.EXPIRED if expired else PairingResult.NONE)
            if not (len(text) == CODE_DIGITS and text.isascii() and text.isdigit()):
                return PairingResult(PairingResult.WRONG)  # a slip of the finger, not a guess
            if not hmac.compare_digest(text.encode("ascii"), code.code.encode("ascii")):
                self._wrong += 1
                if self._wrong >= CODE_TRIES:
                    self._code = None
                return PairingResult(PairingResult.WRONG)
            self._code = None
            token = secrets.token_urlsafe(32)
            self._device = digest(token)
            self._version += 1
            kept = self._device
        if self._on_device_changed is not None:
            self._on_device_changed(kept)
        return PairingResult(PairingResult.OK, token)

    def is_device(self, token: str | None) -> bool:
        """Whether `token` (a cookie's value) is the paired device's."""
        if not token:
            return False
        with self._lock:
            kept = self._device
        return kept is not None and hmac.compare_digest(digest(token), kept)

    @property
    def paired(self) -> bool:
        with self._lock:
            return self._device is not None

    def unpair(self) -> None:
        """Forget the device (and the question it was shown); it sees the pairing form again."""
        with self._lock:
            was = self._device is not None
            self._device = None
            self._code = None
            self._withdraw()
            self._version += 1
        if was and self._on_device_changed is not None:
            self._on_device_changed(None)

    # --- visits --------------------------------------------------------------------------------

    def offer(self, visit: Visit) -> int:
        """Ask the tablet about `visit` (as opened by the window); its number."""
        with self._lock:
            self._withdraw()
            self._seq += 1
            self._pending = _Pending(self._seq, visit, self._now())
            self._version += 1
            return self._seq

    def snapshot(self) -> Snapshot:
        with self._lock:
            self._expire()
            p = self._pending
            if p is None:
                return Snapshot(self._version, None, None, ())
            v = p.visit
            offer = Offer(
                p.seq, v.service, ratings.SERVICES.get(v.service, v.service), v.officer, v.counter
            )
            return Snapshot(self._version, offer, p.level, p.reasons)

    def choose(self, seq: int, level: Level | None, reasons: Sequence[str]) -> bool:
        """The applicant chose `level` (None: went back) and `reasons` for visit `seq`; False
        when that visit is no longer asked about."""
        with self._lock:
            self._expire()
            p = self._pending
            if p is None or p.seq != seq:
                return False
            p.level = level
            p.reasons = tuple(dict.fromkeys(r for r in reasons if r in _REASON_KEYS))
            p.touched = self._now()
            return True

    def touch(self, seq: int) -> bool:
        """The applicant is still at it (typing a comment)."""
        with self._lock:
            self._expire()
            p = self._pending
            if p is None or p.seq != seq:
                return False
            p.touched = self._now()
            return True

    def token_of(self, seq: int) -> str | None:
        """The token of visit `seq`: the one asked about, or one recently answered or withdrawn
        (a repeated send then meets the database's "already rated")."""
        with self._lock:
            if self._pending is not None and self._pending.seq == seq:
                return self._pending.visit.token
            return self._recent.get(seq)

    def done(self, seq: int, *, stored: bool) -> None:
        """Visit `seq` was answered (`stored`: its rating is in the database now) or refused
        for good: the tablet stops asking."""
        with self._lock:
            if self._pending is not None and self._pending.seq == seq:
                self._remember(self._pending)
                self._pending = None
                self._version += 1
        if stored and self._on_stored is not None:
            self._on_stored()

    def due(self) -> list[Answer]:
        """The answers to store now: a question left alone ASK_IDLE with a level chosen, and
        those queued when another visit came. A question with no level is withdrawn."""
        with self._lock:
            self._expire()
            out, self._queued = self._queued, []
            return out

    def _expire(self) -> None:
        p = self._pending
        if p is not None and self._now() - p.touched >= self._ask_idle:
            self._withdraw()
            self._version += 1

    def _withdraw(self) -> None:
        p = self._pending
        if p is None:
            return
        if p.level is not None:
            self._queued.append(Answer(p.seq, p.visit.token, p.level, p.reasons))
        self._remember(p)
        self._pending = None

    def _remember(self, p: _Pending) -> None:
        self._recent[p.seq] = p.visit.token
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)


_REASON_KEYS = frozenset(key for key, _label in ratings.REASONS)
