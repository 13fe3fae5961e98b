"""Period statistics arithmetic (Biểu 06/VPCP/KSTT, DOMAIN §9): columns, identities, totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date
from enum import StrEnum

# Keys of the machine-readable report, in column order (JSON, XLSX and the department).
STAT_KEYS: tuple[str, ...] = (
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "settled_total",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "open_total",
    "open_in_time",
    "open_overdue",
    "withdrawn",
    "stopped",
    "postal_received",
    "postal_sent",
    "postal_delivered",
    "postal_returned",
)


@dataclass(frozen=True)
class StatCounts:
    """The counts of one row of the report (one field of work, one procedure, or the total)."""

    received_online: int = 0
    received_direct_postal: int = 0
    carried_over: int = 0
    settled_early: int = 0
    settled_on_time: int = 0
    settled_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    withdrawn: int = 0
    stopped: int = 0
    postal_received: int = 0
    postal_sent: int = 0
    postal_delivered: int = 0
    postal_returned: int = 0

    @property
    def received_total(self) -> int:
        """Column 3 = 4 + 5 + 6."""
        return self.received_online + self.received_direct_postal + self.carried_over

    @property
    def settled_total(self) -> int:
        """Column 7 = 8 + 9 + 10."""
        return self.settled_early + self.settled_on_time + self.settled_late

    @property
    def open_total(self) -> int:
        """Column 11 = 12 + 13."""
        return self.open_in_time + self.open_overdue

    def __add__(self, other: StatCounts) -> StatCounts:
        mine, theirs = asdict(self), asdict(other)
        return StatCounts(**{k: mine[k] + theirs[k] for k in mine})

    def as_dict(self) -> dict[str, int]:
        return {key: int(getattr(self, key)) for key in STAT_KEYS}

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> StatCounts:
        return cls(**{f.name: int(data.get(f.name, 0)) for f in fields(cls)})

    def identity_errors(self) -> list[str]:
        """Every identity of DOMAIN §9 that does not hold (an empty list means all do)."""
        errors = []
        balance = self.settled_total + self.open_total + self.withdrawn + self.stopped
        if self.received_total != balance:
            errors.append(
                f"received_total {self.received_total} != settled + open + withdrawn + stopped "
                f"{balance}"
            )
        for name in fields(self):
            if getattr(self, name.name) < 0:
                errors.append(f"{name.name} is negative")
        return errors


ZERO = StatCounts()


class GroupBy(StrEnum):
    """A report's rows: one per field of work, or one per procedure."""

    FIELD = "field"
    PROCEDURE = "procedure"


def report_json(
    start: date,
    end: date,
    by: str,
    rows: Iterable[tuple[str, str, StatCounts]],
    total: StatCounts,
) -> dict[str, object]:
    """The machine-readable report: the desk's `report --format json` and the department's
    consolidated report are this one shape (`rows` as (group, label, counts))."""
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": str(by),
        "rows": [{"group": g, "label": label, **c.as_dict()} for g, label, c in rows],
        "total": total.as_dict(),
    }
