"""Started by every Python process the tests spawn: moves its clock to DESK_TEST_TRAVEL.

tests/conftest.py puts this folder on PYTHONPATH when DESK_TEST_TRAVEL is set, so the command
line and the window run as subprocesses live on the same faked day as the tests themselves.
"""

from __future__ import annotations

import os
from datetime import datetime

_destination = os.environ.get("DESK_TEST_TRAVEL")
if _destination:
    import time_machine

    time_machine.travel(datetime.fromisoformat(_destination).astimezone(), tick=True).start()
