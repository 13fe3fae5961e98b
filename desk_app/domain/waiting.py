"""Waiting and service times of the hall's queue (issue 16): the mean and the 90th percentile of
a list of minutes, as the supervisor's queue page and its exports print them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

P90 = 0.9


def nearest_rank(values: Sequence[float], share: float = P90) -> float | None:
    """The `share` percentile by the nearest-rank rule (the smallest value with at least that
    share of the values at or below it): for ten values the ninth smallest, for 11-20 values
    the ceil(0.9 n)-th. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Minutes:
    """How long: the number of tickets timed, their mean and 90th percentile in minutes (None
    when no ticket was timed)."""

    count: int
    mean: float | None
    p90: float | None

    @staticmethod
    def of(values: Sequence[float]) -> Minutes:
        if not values:
            return Minutes(0, None, None)
        return Minutes(len(values), sum(values) / len(values), nearest_rank(values))
