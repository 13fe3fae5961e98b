"""The wall clock in one place: the local moment now, or the moment DESK_TEST_NOW pins."""

from __future__ import annotations

import os
from datetime import datetime

from desk_app.errors import ValidationError

# A test that starts the program as another process pins its "now" with this variable (an ISO
# moment, e.g. 2026-03-02T10:00): the clock then stands still there, so what the process does
# cannot depend on the day the test runs. Nothing sets it outside the tests.
PIN_VARIABLE = "DESK_TEST_NOW"


def now() -> datetime:
    """The local moment (naive, as every moment in the register), or the pinned one."""
    pinned = os.environ.get(PIN_VARIABLE, "").strip()
    if not pinned:
        return datetime.now()
    try:
        return datetime.fromisoformat(pinned)
    except ValueError:
        raise ValidationError(
            f"{PIN_VARIABLE} “{pinned}” phải có dạng YYYY-MM-DDTHH:MM.", code="bad_clock"
        ) from None
