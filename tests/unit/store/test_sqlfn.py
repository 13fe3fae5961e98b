"""The SQL pieces the engines spell differently give the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import String, Subquery, case, func, literal, select, text, union_all

from desk_app.store import sqlfn
from desk_app.store.engine import Database
from desk_app.store.sqlfn import count_if, greatest, least


def _rows() -> Subquery:
    """Five rows of (a text, n a number, maybe a text or NULL), as a subquery."""
    values = [("2026-03-02", 3, "2026-03-01"), ("2026-03-05", 1, None), ("2026-03-04", 7, "x")]
    values += [("2026-03-09", 2, "2026-03-09"), ("2026-03-01", 5, None)]
    return union_all(
        *(
            select(
                literal(a).label("a"),
                literal(n).label("n"),
                literal(m, type_=String()).label("m"),
            )
            for a, n, m in values
        )
    ).subquery()


def test_least_and_greatest_pick_the_same_value_on_both_engines(db: Database) -> None:
    with db.reader.begin() as s:
        t = _rows()
        found = s.execute(
            select(
                least(t.c.a, "2026-03-04"),
                greatest(t.c.a, "2026-03-04"),
                least(t.c.n, 4),
                greatest(t.c.n, 4),
                # A NULL is the one case the engines differ on; coalesce() makes them agree.
                func.coalesce(least("2026-03-03", t.c.m), "2026-03-03"),
            ).order_by(t.c.a)
        ).all()
    assert [tuple(r) for r in found] == [
        ("2026-03-01", "2026-03-04", 4, 5, "2026-03-03"),
        ("2026-03-02", "2026-03-04", 3, 4, "2026-03-01"),
        ("2026-03-04", "2026-03-04", 4, 7, "2026-03-03"),
        ("2026-03-04", "2026-03-05", 1, 4, "2026-03-03"),
        ("2026-03-04", "2026-03-09", 2, 4, "2026-03-03"),
    ]


def test_count_if_counts_the_rows_of_each_group_that_meet_the_condition(db: Database) -> None:
    with db.reader.begin() as s:
        t = _rows()
        big = case((t.c.n >= 3, "big"), else_="small").label("size")
        found = s.execute(
            select(
                big,
                count_if(t.c.a < "2026-03-04"),
                count_if(t.c.m.is_(None)),
                count_if(t.c.a > "2027"),  # none: 0, not NULL
                func.count(),
            )
            .group_by(big)
            .order_by(big)
        ).all()
    assert [tuple(r) for r in found] == [("big", 2, 1, 0, 3), ("small", 0, 1, 0, 2)]


def test_the_raw_spelling_runs_on_the_engine_it_is_taken_from(db: Database) -> None:
    with db.writer.begin() as s:
        sp = sqlfn.spelling(s)
        assert sp == (sqlfn.POSTGRESQL if db.is_server else sqlfn.SQLITE)
        got = s.execute(
            text(
                f"SELECT {sp.least(':a', ':b')}, {sp.greatest(':a', ':b')},"
                f" CASE WHEN {sp.differs(':a', ':b')} THEN 1 ELSE 0 END,"
                f" CASE WHEN {sp.differs('NULL', ':b')} THEN 1 ELSE 0 END,"
                f" CASE WHEN {sp.differs('NULL', 'NULL')} THEN 1 ELSE 0 END,"
                f" CASE WHEN {sp.differs(':a', ':a')} THEN 1 ELSE 0 END"
            ),
            {"a": "2026-03-02 10:00:00", "b": "2026-03-02 09:59:59"},
        ).one()
        assert tuple(got) == ("2026-03-02 09:59:59", "2026-03-02 10:00:00", 1, 1, 0, 0)
        # INDEXED BY names a real index on SQLite; elsewhere it says nothing.
        count = s.scalar(
            text(
                f"SELECT count(*) FROM files f{sp.indexed_by('ix_files_settled_received')}"
                " WHERE f.settled_at >= '2026-01-01'"
            )
        )
        assert count == 0
    assert sqlfn.SQLITE.indexed_by("ix") == " INDEXED BY ix"
    assert sqlfn.POSTGRESQL.indexed_by("ix") == ""


def test_sqlite_keeps_its_own_spelling(db: Database) -> None:
    """A solo desk's queries read as before centre mode (its query plans were measured so)."""
    with db.reader.begin() as s:
        dialect = s.get_bind().dialect
    sql = str(select(least(literal(1), 2), greatest(literal(1), 2)).compile(dialect=dialect))
    if db.is_server:
        assert "LEAST(" in sql and "GREATEST(" in sql
    else:
        assert "min(" in sql and "max(" in sql
