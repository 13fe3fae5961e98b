"""One change signal: after any write, every open view hears what changed and refreshes itself."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Change:
    """What a write touched: kinds of data ("files", "settings", "users", "calendar",
    "catalog", "slips") and, for files, their codes (empty when many or unknown)."""

    kinds: frozenset[str]
    codes: frozenset[str] = frozenset()

    @staticmethod
    def files(*codes: str) -> Change:
        return Change(frozenset({"files"}), frozenset(codes))

    @staticmethod
    def of(*kinds: str) -> Change:
        return Change(frozenset(kinds))

    def touches(self, kind: str) -> bool:
        return kind in self.kinds


class ChangeBus(QObject):
    """Signals:
    changed(Change): something was written; views decide for themselves whether to refresh.
    """

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        self.changed.emit(change)
