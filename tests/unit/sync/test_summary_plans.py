"""The day summary's statements walk indexes, never a whole table of files, ratings, postal items
or scan lines (issue 14; the ratings' index of migration 0024): every statement `day_summaries`
runs is caught as it runs and asked for its plan, on SQLite (EXPLAIN QUERY PLAN) and on
PostgreSQL (EXPLAIN, inside store.sqlfn.index_paths as the summary runs it)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from desk_app.services import intake, ratings
from desk_app.services.context import Actor
from desk_app.services.ratings import Level
from desk_app.services.scope import ALL, Scope
from desk_app.store.engine import Database
from desk_app.store.sqlfn import index_paths
from desk_app.sync.summary import day_summaries

MONDAY = datetime(2026, 3, 2, 9, 0)
# The tables that grow with the register; the catalogue (procedures) is read whole on purpose.
BIG = ("files", "ratings", "postal_items", "scan_lines", "pauses", "due_history")
SQLITE_ALIASES = {"f": "files", "r": "ratings", "p": "postal_items", "l": "scan_lines"}


def _is_setting(statement: str) -> bool:
    return "current_setting(" in statement or "set_config(" in statement


@contextmanager
def _caught(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """The statements run on `session`'s connection in the block, with their parameters."""
    found: list[tuple[str, Any]] = []
    conn = session.connection()

    def listen(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        found.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", listen)
    try:
        yield found
    finally:
        event.remove(conn, "before_cursor_execute", listen)


def _queries(found: list[tuple[str, Any]], server: bool) -> list[tuple[str, Any]]:
    """The data queries of `found`; on PostgreSQL, checked to run with sequential scans off
    (index_paths: set off before the first, set back after the last)."""
    if server:
        settings = [i for i, (q, p) in enumerate(found) if "set_config('enable_seqscan'" in q]
        assert len(settings) == 2, [q for q, _ in found if _is_setting(q)]
        first, last = settings
        assert "'off'" in found[first][0]
        assert not any(_is_setting(q) for q, _ in found[first + 1 : last])
        assert not any(not _is_setting(q) for q, _ in found[:first] + found[last + 1 :])
    return [(q, p) for q, p in found if not _is_setting(q)]


@functools.cache
def _partial_of(schema: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(name for name, sql in schema if " WHERE " in sql.upper())


def _partial_indexes(session: Session) -> frozenset[str]:
    rows = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    )
    return _partial_of(tuple((str(n), str(q)) for n, q in rows))


def _full_scans(session: Session, statement: str, parameters: Any) -> list[str]:
    """The big tables `statement` reads whole, by its plan."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    if session.get_bind().dialect.name == "sqlite":
        # A whole table: SCAN t, or SCAN t USING INDEX i where i holds every row (a partial
        # index holds only the rows it is for: the open files of ix_files_open_due).
        partial = _partial_indexes(session)
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        lines = [str(row[3]) for row in cursor.fetchall()]
        whole = [
            m.group(1)
            for line in lines
            if (m := re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", line))
            and m.group(2) not in partial
        ]
        return [SQLITE_ALIASES.get(t, t) for t in whole if SQLITE_ALIASES.get(t, t) in BIG]
    cursor.execute(f"EXPLAIN {statement}", parameters)
    lines = [str(row[0]) for row in cursor.fetchall()]
    return [t for line in lines for t in BIG if re.search(rf"Seq Scan on {t}\b", line)]


def _fill(db: Database, officer: Actor) -> None:
    """A few files and rated visits, so that every statement has something to plan over."""
    with db.writer.begin() as s:
        for i, procedure in enumerate(("1.001029", "VHTTDL-DL-05")):
            at = MONDAY + timedelta(minutes=10 * i)
            data = intake.IntakeInput(
                procedure=procedure,
                applicant=intake.ApplicantInput(name="Hoàng Văn Thụ"),
                received_at=at,
            )
            code = intake.accept_file(s, data, officer, now=at).code
            token = ratings.open_visit(s, code, "accept", officer, at).token
            ratings.record_rating(s, token, Level.SATISFIED, [], "", at + timedelta(minutes=1))


def _plans(db: Database, scope: Scope) -> tuple[int, dict[str, list[str]], int]:
    """(statements run, the full scans of each, days counted)."""
    with db.reader.begin() as s:
        with _caught(s) as found:
            days = day_summaries(s, date(2026, 3, 1), date(2026, 3, 31), scope=scope)
        queries = _queries(found, db.is_server)
        with index_paths(s):
            scans = {sql: _full_scans(s, sql, params) for sql, params in queries}
        if db.is_server:
            # Without the hint the planner would read these small tables whole: the check
            # above is not empty by chance.
            bare = [t for sql, params in queries for t in _full_scans(s, sql, params)]
            assert bare
    return len(queries), {sql: t for sql, t in scans.items() if t}, len(days)


def test_every_statement_of_the_day_summary_walks_an_index(db: Database, officer: Actor) -> None:
    _fill(db, officer)
    for scope in (ALL, Scope.of([1])):
        run, scanning, days = _plans(db, scope)
        assert days == 30  # the files are open every day from the 2nd to the 31st
        assert run >= 12  # the four alive parts, the moving files, flows, postal, ratings…
        assert scanning == {}, (scope, scanning)


def test_the_ratings_of_the_days_are_read_by_moment(db: Database, officer: Actor) -> None:
    _fill(db, officer)
    with db.reader.begin() as s:
        with _caught(s) as found:
            got = day_summaries(s, MONDAY.date(), MONDAY.date(), scope=Scope.of([1]))
        [(sql, params)] = [(q, p) for q, p in _queries(found, db.is_server) if "FROM ratings" in q]
        with index_paths(s):
            raw = s.connection().connection.driver_connection
            assert raw is not None
            cursor = raw.cursor()
            if db.is_server:
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = " ".join(str(r[0]) for r in cursor.fetchall())
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " ".join(str(r[3]) for r in cursor.fetchall())
    assert "ix_ratings_moments" in plan, plan
    assert sum(r.ratings.satisfied for r in got[MONDAY.date()]) == 2


def test_the_satisfaction_counts_read_the_ratings_by_moment(db: Database, officer: Actor) -> None:
    """services/ratings.py's period terms (rated in the period, or opened in it and never
    rated) on a solo desk (no agency term) and in a centre's scope."""
    _fill(db, officer)
    for scope in (ALL, Scope.of([1])):
        with db.reader.begin() as s:
            with _caught(s) as found:
                total = ratings.total_counts(s, MONDAY.date(), MONDAY.date(), scope=scope)
                ratings.rating_counts(s, MONDAY.date(), MONDAY.date(), scope=scope, by="service")
            with index_paths(s):
                scanning = {sql: t for sql, p in found if (t := _full_scans(s, sql, p))}
            # The satisfaction page's own statements, unhinted: SQLite plans them alone.
            if db.is_server:
                continue
        assert total.satisfied == 2
        assert len(found) == 2 and scanning == {}, (scope, scanning)
