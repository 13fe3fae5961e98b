"""Database failures the user can act on, turned into typed, user-facing errors: SQLite's
"database is locked" (and PostgreSQL's lock timeout) into DatabaseBusyError, a centre's server
that cannot be reached or dropped the connection into ServerOfflineError."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, OperationalError

from desk_app.errors import DatabaseBusyError, ServerOfflineError

_BUSY_CODES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_BUSY_TEXTS = ("database is locked", "database is busy", "database table is locked")
_PG_LOCK_TIMEOUT = "55P03"  # lock_not_available: lock_timeout ran out
# SQLSTATEs of a lost server: connection exceptions (class 08), the backend terminated by an
# administrator or a shutdown, the server starting up, the database closed to connections
# (ALTER DATABASE … ALLOW_CONNECTIONS false) or too many connections. libpq's own failures
# (refused, timed out, "server closed the connection unexpectedly") carry no SQLSTATE at all.
_PG_OFFLINE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
_PG_CLOSED_DATABASE = ("55000", "not currently accepting connections")


def _pg_error(exc: BaseException) -> BaseException | None:
    """psycopg's OperationalError behind `exc` (or `exc` itself), None for anything else."""
    import psycopg  # loaded only where psycopg is installed; SQLite desks need it not

    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return orig if isinstance(orig, psycopg.OperationalError) else None


def is_offline(exc: BaseException) -> bool:
    """True when the centre's server could not be reached or the connection was lost."""
    if isinstance(exc, ServerOfflineError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = _pg_error(exc)
    if orig is None:
        return False
    state = getattr(orig, "sqlstate", None)
    if state is None or state.startswith("08") or state in _PG_OFFLINE_STATES:
        return True
    return state == _PG_CLOSED_DATABASE[0] and _PG_CLOSED_DATABASE[1] in str(orig)


def is_busy(exc: BaseException) -> bool:
    """True for a write that gave up waiting for another connection's lock."""
    pg = _pg_error(exc)
    if pg is not None:
        return getattr(pg, "sqlstate", None) == _PG_LOCK_TIMEOUT
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
    """`exc` itself, or a DatabaseBusyError when the database was busy, or a ServerOfflineError
    when the centre's server was out of reach (each caused by `exc`)."""
    if isinstance(exc, (DatabaseBusyError, ServerOfflineError)):
        return exc
    known: BaseException
    if is_busy(exc):
        known = DatabaseBusyError()
    elif is_offline(exc):
        known = ServerOfflineError()
    else:
        return exc
    known.__cause__ = exc
    return known
