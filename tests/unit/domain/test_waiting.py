"""The queue's minutes: the mean and the nearest-rank 90th percentile, counted by hand."""

from __future__ import annotations

import pytest

from desk_app.domain.waiting import Minutes, nearest_rank


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([7.0], 7.0),
        ([3.0, 1.0], 3.0),  # ceil(1.8) = 2nd
        ([float(v) for v in range(1, 11)], 9.0),  # ten values: the ninth
        ([float(v) for v in range(1, 12)], 10.0),  # ceil(9.9) = 10th
        ([float(v) for v in range(1, 21)], 18.0),  # exactly 18th
        ([10.0, 11.0, 18.0, 13.0, 26.0], 26.0),  # ceil(4.5) = 5th
    ],
)
def test_nearest_rank_p90(values: list[float], expected: float | None) -> None:
    assert nearest_rank(values) == expected


def test_minutes_of_nothing_and_of_some() -> None:
    assert Minutes.of([]) == Minutes(0, None, None)
    m = Minutes.of([10.0, 10.0, 24.0])
    assert (m.count, m.p90) == (3, 24.0) and m.mean == pytest.approx(44 / 3)
