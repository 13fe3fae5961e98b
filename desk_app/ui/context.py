"""What every window and dialog is given: the database, who is signed in, the worker, the bus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from desk_app import clock
from desk_app.services.context import ADMIN, SUPERVISORS, Actor
from desk_app.services.scope import Scope
from desk_app.store.changes import ChangeFeed
from desk_app.store.engine import Database
from desk_app.ui.bus import ChangeBus
from desk_app.ui.dbops import DbOps
from desk_app.ui.ops import OpRunner
from desk_app.ui.prefs import Prefs


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


@dataclass
class UiContext:
    """Passed to constructors; no widget reaches for a global.

    `actor` changes when someone else signs in after a lock; `clock` is the wall clock, replaced
    by tests that need a fixed moment. `feed` hears other connections' writes (None: the
    window hears only its own); the runner's writes tell it about theirs.
    """

    db: Database
    actor: Actor
    runner: OpRunner
    bus: ChangeBus
    prefs: Prefs
    clock: Callable[[], datetime] = field(default=_now)
    feed: ChangeFeed | None = None

    def now(self) -> datetime:
        return self.clock()

    @property
    def ops(self) -> DbOps:
        """Database reads and writes, off the GUI thread, with typed change notices."""
        return DbOps(self.db, self.runner, self.bus, self.feed)

    @property
    def scope(self) -> Scope:
        """The agencies the signed-in user works for at this computer (lists, counts, pickers)."""
        return Scope.of(self.actor.agencies)

    @property
    def is_supervisor(self) -> bool:
        return self.actor.role in SUPERVISORS

    @property
    def is_admin(self) -> bool:
        return self.actor.role in ADMIN
