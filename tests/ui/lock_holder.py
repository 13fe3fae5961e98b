"""Another process holding a desk database's write lock, for the window's busy-database tests."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


class LockHolder:
    """Another process that holds the database's write lock until let go."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"
        self.let_go_at: float | None = None

    def let_go(self) -> None:
        """Tell it to commit, without waiting for it (this runs on the GUI thread)."""
        assert self.proc.stdin is not None
        if not self.proc.stdin.closed:
            self.let_go_at = time.perf_counter()
            self.proc.stdin.write("\n")
            self.proc.stdin.close()

    def release(self) -> None:
        self.let_go()
        assert self.proc.wait(timeout=30) == 0
        assert self.proc.stdout is not None
        self.proc.stdout.close()
