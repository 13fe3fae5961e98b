"""The name search gives the same rows in the same order whichever way the database finds them.

A common name is best answered by walking the files newest first (PostgreSQL: the received_at
index backward, each file's applicant checked), a rare one by the name index (trigrams, FTS5)
and a sort; on a large register the planner picks by its estimate of the matches. Here, on a
small register, PostgreSQL is made to take each way in turn (its planner's costs tilted, and
the plan checked with EXPLAIN), and both are compared with the answer worked out in Python from
every file: each word but the last a whole word of the folded name, the last a word's start,
newest receipt first and, among receipts of one moment, the later file first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from desk_app.domain.text import fold
from desk_app.services import queries
from desk_app.services.scope import ALL, Scope
from desk_app.services.views import FileView
from desk_app.store.engine import Database
from desk_app.store.models import Applicant, FileRecord

Accept = Callable[..., FileView]

# Most files are a Nguyễn Văn's (the common name), two are Đặng Thị Ánh's (the rare one).
NAMES = ("Nguyễn Văn An", "Nguyễn Văn Bình", "Trần Thị Cúc", "Nguyễn Văn Anh", "Lê Văn Nguyễn")
START = datetime(2026, 3, 2, 8, 0)


@pytest.fixture
def register(accept: Accept) -> None:
    """22 files; receipts two at a time at one moment, so the order must break the ties."""
    for i in range(20):
        accept(received=START + timedelta(minutes=15 * (i // 2)), name=NAMES[i % len(NAMES)])
    accept(received=START + timedelta(minutes=30), name="Đặng Thị Ánh")
    accept(received=START + timedelta(minutes=90), name="Đặng Thị Ánh")


def _by_hand(s: Session, typed: str, limit: int) -> list[str]:
    """The codes the search must give, worked out from every file."""
    *whole, last = re.findall(r"[a-z0-9]+", fold(typed))
    found = []
    for code, received, file_id, name in s.execute(
        select(FileRecord.code, FileRecord.received_at, FileRecord.id, Applicant.name_folded).join(
            Applicant, Applicant.id == FileRecord.applicant_id
        )
    ):
        words = re.findall(r"[a-z0-9]+", name)
        if all(w in words for w in whole) and any(w.startswith(last) for w in words):
            found.append((received, file_id, code))
    return [code for *_, code in sorted(found, reverse=True)][:limit]


# PostgreSQL's costs tilted so that it walks the files newest first, or uses the trigram index.
WAYS = {
    "walk": (
        ("enable_bitmapscan", "off"),
        ("enable_seqscan", "off"),
        ("enable_hashjoin", "off"),
        ("enable_mergejoin", "off"),
        ("enable_sort", "off"),
    ),
    # No index walk, no scan and no nested loop left: the applicants can only come from the
    # trigram index.
    "name index": (
        ("enable_indexscan", "off"),
        ("enable_seqscan", "off"),
        ("enable_nestloop", "off"),
    ),
}
# What EXPLAIN must show for each way, and what it must not: the walk goes backward along an
# index of the receipts (a centre's one agency: that agency's, migration 0026) and never asks
# the trigram index; the other asks it and walks nothing backward.
SHOWS = {
    "walk": (
        r"Index Scan Backward using ix_files_(agency_)?received",
        r"ix_applicants_name_trgm",
    ),
    "name index": (r"Bitmap Index Scan on ix_applicants_name_trgm", r"Backward"),
}


@contextmanager
def _statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's, sent with the first statement
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


TYPED = ("nguyen van", "Nguyễn", "dang thi anh", "van a", "an")


@pytest.mark.parametrize("scope", [ALL, Scope.of({1})], ids=["centre", "one agency"])
def test_every_way_gives_the_rows_worked_out_by_hand(
    db: Database, register: None, engine_name: str, scope: Scope
) -> None:
    for typed, limit in itertools.product(TYPED, (3, 50)):
        with db.reader.begin() as s:
            expected = _by_hand(s, typed, limit)
        assert expected, "the register holds the name"
        if engine_name == "sqlite":
            with db.reader.begin() as s:
                found = queries.search_files(s, typed, limit=limit, scope=scope)
            assert [r.code for r in found] == expected, typed
            continue
        for way, settings in WAYS.items():
            with db.reader.begin() as s, _statements(db) as seen:
                for name, value in settings:
                    s.execute(select(_set_config(name, value)))
                found = queries.search_files(s, typed, limit=limit, scope=scope)
                (statement, parameters) = next(
                    (st, p) for st, p in seen if "ORDER BY" in st and "applicants" in st
                )
                plan = "\n".join(
                    s.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars()
                )
            assert [r.code for r in found] == expected, (typed, limit, way)
            uses, avoids = SHOWS[way]
            assert re.search(uses, plan) and not re.search(avoids, plan), (typed, way, plan)


def _set_config(name: str, value: str) -> Any:
    return func.set_config(name, value, True)


def test_a_code_is_looked_up_in_one_statement(db: Database, register: None) -> None:
    with db.reader.begin() as s:
        code = s.scalar(select(FileRecord.code).order_by(FileRecord.id.desc()).limit(1))
        with _statements(db) as seen:
            found = queries.search_files(s, str(code))
    assert [(r.code, r.applicant_name) for r in found] == [(code, "Đặng Thị Ánh")]
    assert len(seen) == 1


def test_a_name_search_is_one_statement_planned_for_its_name(
    db: Database, register: None, engine_name: str
) -> None:
    settings = ("max_parallel_workers_per_gather", "plan_cache_mode", "work_mem")
    with db.reader.begin() as s:
        if engine_name == "sqlite":
            with _statements(db) as seen:
                queries.search_files(s, "nguyen van")
            assert len(seen) == 1
            return
        read = [select(func.current_setting(n)) for n in settings]
        before = [s.scalar(q) for q in read]
        with _statements(db) as seen:
            queries.search_files(s, "nguyen van")
        # The settings for the search (planned for the name, alone, with room for its bitmap),
        # the search, and the transaction's settings back as they were.
        assert len(seen) == 3
        assert "set_config('plan_cache_mode', 'force_custom_plan', true)" in seen[0][0]
        assert "set_config('max_parallel_workers_per_gather', '0', true)" in seen[0][0]
        assert [s.scalar(q) for q in read] == before
