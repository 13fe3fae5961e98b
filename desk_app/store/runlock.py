"""A lock file held by a running process and released by the system when that process dies."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType


class ProcessLock:
    """An exclusive, non-blocking lock on `path` (created when missing).

    The operating system drops the lock when the holder exits for any reason, kill -9
    included, so "can I take it?" answers "is the holder still alive?" without trusting a
    process id that may have been reused.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False at once when another holder (any process) has it."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            import msvcrt

            with contextlib.suppress(OSError):
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)  # on POSIX closing the descriptor drops the flock

    def __enter__(self) -> ProcessLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
