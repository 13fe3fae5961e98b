"""SQL the two engines spell differently, written once for the queries of the services and sync.

Two forms of the same pieces:

- SQLAlchemy constructs for queries built with `select()`: `least(a, b)` / `greatest(a, b)`
  (SQLite's two-argument min()/max(), PostgreSQL's LEAST/GREATEST) and `count_if(condition)`
  (count(*) FILTER (WHERE …), which both engines run; PostgreSQL has no sum() of a boolean
  and no iif()).
- `Spelling`, the pieces as SQL text for the raw statements of the statistics and the day
  summaries, taken from the session's dialect with `spelling(session)`. On SQLite every piece
  is exactly what those statements said before centre mode (min(), max(), `IS NOT`,
  INDEXED BY), so a solo desk's query plans stay as they were.

Counting the rows of a group that meet a condition needs no helper in raw SQL: write
`count(*) FILTER (WHERE …)`, which both engines run alike (and SQLite as fast as the sum() of a
comparison it used before).

NULL: SQLite's min(a, NULL) is NULL where PostgreSQL's LEAST(a, NULL) is a. Both pieces give
the same result only for non-NULL arguments, or wrapped as coalesce(least(x, maybe), x).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import ReturnTypeFromArgs

__all__ = [
    "POSTGRESQL",
    "SQLITE",
    "Spelling",
    "count_if",
    "greatest",
    "index_paths",
    "least",
    "spelling",
    "values_plan",
]


class least(ReturnTypeFromArgs[Any]):  # noqa: N801 - named like the SQL it stands for
    """The smaller of two values: min(a, b) on SQLite, LEAST(a, b) on PostgreSQL."""

    name = "least"
    inherit_cache = True


class greatest(ReturnTypeFromArgs[Any]):  # noqa: N801 - named like the SQL it stands for
    """The larger of two values: max(a, b) on SQLite, GREATEST(a, b) on PostgreSQL."""

    name = "greatest"
    inherit_cache = True


@compiles(least)
def _least(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(greatest)
def _greatest(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet `condition` (0, never NULL, when none do)."""
    return func.count().filter(condition)


@dataclass(frozen=True)
class Spelling:
    """The pieces of raw SQL text one engine spells its own way (`name`: the dialect's name)."""

    name: str

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})" if self.is_sqlite else f"LEAST({a}, {b})"

    def greatest(self, a: str, b: str) -> str:
        return f"max({a}, {b})" if self.is_sqlite else f"GREATEST({a}, {b})"

    def differs(self, a: str, b: str) -> str:
        """`a` and `b` differ, a NULL differing from a value and two NULLs equal."""
        return f"{a} IS NOT {b}" if self.is_sqlite else f"{a} IS DISTINCT FROM {b}"

    def indexed_by(self, index: str) -> str:
        """SQLite's INDEXED BY `index` (its planner's choice made for it); nothing elsewhere,
        where the planner's statistics choose."""
        return f" INDEXED BY {index}" if self.is_sqlite else ""


SQLITE = Spelling("sqlite")
POSTGRESQL = Spelling("postgresql")


def spelling(session: Session) -> Spelling:
    """The raw SQL spelling of the engine `session` talks to."""
    name = session.get_bind().dialect.name
    return SQLITE if name == "sqlite" else Spelling(name)


@contextmanager
def index_paths(session: Session) -> Iterator[None]:
    """The statements of this block walk indexes rather than the whole table: SQLite is told
    which index by INDEXED BY (`Spelling.indexed_by`); PostgreSQL's planner is told to avoid a
    sequential scan for the block (`enable_seqscan` off for the transaction, the previous value
    back at the end).

    Why on PostgreSQL: its estimate of two ranges on correlated columns multiplies their
    selectivities as if independent. The statistics' "received before the period and settled
    since its start" is 10,000 files of a 5,000,000-file register, estimated at 186,000, so the
    planner scanned the whole table (0.87 s) where the index gives them in 40 ms.
    """
    if spelling(session).is_sqlite:
        yield
        return
    before = session.execute(text("SELECT current_setting('enable_seqscan')")).scalar_one()
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    yield  # on an error the transaction is lost anyway, the setting with it
    session.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": before})


# The settings `values_plan` gives its block (and takes back after).
_VALUES_PLAN = (
    ("max_parallel_workers_per_gather", "0"),
    ("plan_cache_mode", "force_custom_plan"),
    ("work_mem", "32MB"),
)


@contextmanager
def values_plan(session: Session) -> Iterator[None]:
    """The statements of this block are planned for the values they are given, each time,
    without parallel workers, and with room for a large bitmap (PostgreSQL's `plan_cache_mode`
    force_custom_plan, `max_parallel_workers_per_gather` 0 and `work_mem` 32MB for the block,
    the previous values back at the end); nothing on SQLite.

    Why, for the search box's name search, whose best plan depends on the name: a rare name's
    few applicants are best found by the trigram index, a common name's newest files by walking
    the files newest first until enough match (5,000,000 files):
    - psycopg prepares a statement run five times on a connection, and PostgreSQL then may
      keep one generic plan for every name, planned without the patterns ("nguyen van": 40 ms
      planned for it, 470 ms once a generic plan was kept);
    - PostgreSQL splits the walk among parallel workers, whose start costs more than the walk
      ("nguyen van": 72 ms with two workers, 63 ms of it before the first row; 25–32 ms alone);
    - a short word's trigrams match hundreds of thousands of names ("vu": 450,000), whose
      bitmap goes lossy in the default 4 MB, and every row of those pages is then read again
      ("vu van" in one agency: 1.1–1.2 s, 0.6 s with 32 MB).
    """
    if spelling(session).is_sqlite:
        yield
        return
    # One round trip each way: the old values read, then the new ones set (left to right).
    names = [name for name, _ in _VALUES_PLAN]
    reads = ", ".join(f"current_setting('{name}')" for name in names)
    sets = ", ".join(f"set_config('{name}', '{value}', true)" for name, value in _VALUES_PLAN)
    before = session.execute(text(f"SELECT {reads}, {sets}")).one()
    yield  # on an error the transaction is lost anyway, the settings with it
    back = ", ".join(f"set_config('{name}', :v{i}, true)" for i, name in enumerate(names))
    session.execute(text(f"SELECT {back}"), {f"v{i}": before[i] for i in range(len(names))})
