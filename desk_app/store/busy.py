"""SQLite's "database is locked" turned into a typed, user-facing error."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError

from desk_app.errors import DatabaseBusyError

_BUSY_CODES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_BUSY_TEXTS = ("database is locked", "database is busy", "database table is locked")


def is_busy(exc: BaseException) -> bool:
    """True for a write that gave up waiting for another connection's lock."""
    orig: BaseException | None = exc.orig if isinstance(exc, OperationalError) else exc
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    name = getattr(orig, "sqlite_errorname", "")
    # Extended codes too: SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, SQLITE_LOCKED_SHAREDCACHE.
    if isinstance(name, str) and any(name == c or name.startswith(c + "_") for c in _BUSY_CODES):
        return True
    text = str(orig).lower()
    return any(t in text for t in _BUSY_TEXTS)


def as_known_error(exc: BaseException) -> BaseException:
    """`exc` itself, or a DatabaseBusyError (caused by it) when the database was busy."""
    if isinstance(exc, DatabaseBusyError) or not is_busy(exc):
        return exc
    busy = DatabaseBusyError()
    busy.__cause__ = exc
    return busy
