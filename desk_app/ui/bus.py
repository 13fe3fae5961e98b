"""One change signal: after any write, every open view hears what changed and refreshes itself."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal

# The origin of a change heard from the database (another counter, the command line, an import),
# not made by this window: see desk_app.ui.dbops.ChangeRelay.
ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class Change:
    """What a write touched: kinds of data ("files", "settings", "users", "calendar",
    "catalog", "slips", "sync", ...), for files their codes (empty when many or unknown) and
    ids, and `origin`: who started it (the widget or the job's label), so a view can tell its
    own write from someone else's. Built by DbOps.write after the commit, or by ChangeRelay for
    a write heard from another connection (origin ELSEWHERE); never by a widget."""

    kinds: frozenset[str]
    codes: frozenset[str] = frozenset()
    # Ids serve views keyed by id; two notices naming the same kinds and codes are the same.
    ids: frozenset[int] = field(default=frozenset(), compare=False)
    origin: object = field(default=None, compare=False)

    @staticmethod
    def files(*codes: str) -> Change:
        return Change(frozenset({"files"}), frozenset(codes))

    @staticmethod
    def of(*kinds: str) -> Change:
        return Change(frozenset(kinds))

    def with_kinds(self, *kinds: str) -> Change:
        return replace(self, kinds=self.kinds | frozenset(kinds))

    def from_origin(self, origin: object) -> Change:
        return replace(self, origin=origin)

    def touches(self, kind: str) -> bool:
        return kind in self.kinds


class ChangeBus(QObject):
    """Signals:
    changed(Change): something was written; views decide for themselves whether to refresh.
    """

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        self.changed.emit(change)
