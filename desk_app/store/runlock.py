"""A lock file held by a running process and released by the system when that process dies."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine


class HeldLock(ABC):
    """A lock this process holds until `release` (or the end of a `with` block); `acquire`
    never waits: False when another holder has it. ProcessLock (a file) and ServerLock (a
    PostgreSQL advisory lock) are the two kinds."""

    @abstractmethod
    def acquire(self) -> bool: ...

    @abstractmethod
    def release(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class ProcessLock(HeldLock):
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


class ServerLock(HeldLock):
    """The same promise on a PostgreSQL server (centre mode): a session-level advisory lock
    held by a connection of its own. The server drops it when that connection ends, the
    holder's death included, so every counter of the centre sees the same lock."""

    def __init__(self, engine: Engine, key: int) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            return True
        conn = self.engine.connect()
        try:
            taken = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({self.key})").scalar())
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        with contextlib.suppress(Exception):
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({self.key})")
            conn.commit()
        conn.close()


def lock_key(name: str) -> int:
    """A stable 63-bit advisory-lock key for a lock's name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") >> 1


def database_lock(engine: Engine, path: Path | None, name: str) -> HeldLock:
    """The lock `name` of one database, held by this process: a lock file beside the SQLite
    file at `path`, or an advisory lock on the server (path None)."""
    if path is None:
        return ServerLock(engine, lock_key(f"one-stop-desk:{name}"))
    return ProcessLock(path.with_name(f"{path.name}.{name}.lock"))
