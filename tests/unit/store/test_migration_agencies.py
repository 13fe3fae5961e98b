"""Migration 0014 (agencies in one database) over a populated register, on both engines.

A solo desk's register at 0013 becomes a database with one agency: no row lost or changed, every
file, procedure and outbox row in agency 1, every user assigned to it; afterwards a second agency
may reuse register numbers and procedure codes, and the sync triggers mark only the changed
file's agency.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from desk_app.services.demo import generate_demo
from desk_app.store.engine import make_engine, open_database
from desk_app.store.migrate import current_revision, head_revision, upgrade
from tests.pg_server import PgServer

AGENCY_TABLES = ("files", "procedures", "sync_outbox")


_SOURCE: list[Path] = []  # made once per worker; the migration tests only read it


def _source(tmp_path: Path) -> Path:
    """A head database with a demo register (300 files, their steps, slips and outbox)."""
    if _SOURCE and _SOURCE[0].exists():
        return _SOURCE[0]
    path = tmp_path / "head.sqlite3"
    db = open_database(path)
    generate_demo(db, 300, seed=11, now=datetime(2026, 3, 2, 10, 0))
    with db.engine.connect() as conn:  # everything in the file: the tests read it raw
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    _SOURCE[:] = [path]
    return path


def _fill(source: Path, target: Engine) -> None:
    """Copy the source's rows into the older schema at `target`, the columns it has."""
    src = create_engine(f"sqlite:///{source}")
    old = MetaData()
    old.reflect(target)
    with src.connect() as s, target.begin() as t:
        if target.dialect.name == "sqlite":
            t.execute(text("PRAGMA foreign_keys=OFF"))
        for name in ("desk_settings", "sync_settings"):
            t.execute(text(f"DELETE FROM {name}"))
        for table in old.sorted_tables:
            if table.name in ("alembic_version",) or table.name.startswith("applicants_fts"):
                continue
            cols = [c.name for c in table.columns]
            rows = [
                dict(r._mapping)
                for r in s.execute(text(f"SELECT {', '.join(cols)} FROM {table.name}"))
            ]
            if rows:
                t.execute(insert(table), rows)
        if target.dialect.name == "postgresql":
            for table in old.sorted_tables:
                if "id" in table.columns and table.name != "alembic_version":
                    t.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"coalesce((SELECT max(id) FROM {table.name}), 1))"
                        )
                    )
    src.dispose()


def _digest(engine: Engine, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Per table: rows and a SHA-256 over the given columns in id order."""
    out = {}
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        for name, cols in columns.items():
            table: Table = meta.tables[name]
            key = [table.c[c] for c in cols]
            digest, n = hashlib.sha256(), 0
            for row in conn.execute(select(*key).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
                n += 1
            out[name] = (n, digest.hexdigest())
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def old_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "old.sqlite3")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database(prefix="agencies")


def test_a_solo_register_becomes_one_agency_with_no_row_lost(
    old_target: str, tmp_path: Path
) -> None:
    target: str | Path = old_target if "://" in old_target else Path(old_target)
    upgrade(target, "0013")
    assert current_revision(target) == "0013"
    engine = make_engine(target, foreign_keys=False)
    _fill(_source(tmp_path), engine)
    meta = MetaData()
    meta.reflect(engine)
    columns = {
        t.name: [c.name for c in t.columns]
        for t in meta.sorted_tables
        if t.name != "alembic_version" and not t.name.startswith("applicants_fts")
    }
    before = _digest(engine, columns)
    assert before["files"][0] == 300
    assert before["events"][0] > 600
    engine.dispose()

    upgrade(target)
    assert current_revision(target) == head_revision()
    engine = make_engine(target, foreign_keys=True)
    # Every row as it was, column for column.
    assert _digest(engine, columns) == before
    with engine.begin() as conn:
        for table in AGENCY_TABLES:
            agencies = conn.execute(text(f"SELECT DISTINCT agency FROM {table}")).scalars().all()
            assert set(agencies) <= {1}, table
        users = conn.execute(text("SELECT count(*) FROM users")).scalar_one()
        assigned = conn.execute(
            text("SELECT count(*) FROM user_agencies WHERE agency = 1")
        ).scalar_one()
        assert users > 0 and assigned == users

        # A second agency: its own identifier, sync row, catalogue and register book.
        conn.execute(
            text(
                "INSERT INTO desk_settings (id, agency_id, agency_name) "
                "VALUES (2, '000.00.99.H99', 'Sở Thử nghiệm')"
            )
        )
        conn.execute(text("INSERT INTO sync_settings (id, install_id) VALUES (2, 'b')"))
        # The identifier is unique across agencies.
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(
                text(
                    "INSERT INTO desk_settings (id, agency_id) "
                    "SELECT 3, agency_id FROM desk_settings WHERE id = 1"
                )
            )
        proc = conn.execute(text("SELECT * FROM procedures ORDER BY id LIMIT 1")).mappings().one()
        conn.execute(
            text(
                "INSERT INTO procedures (id, agency, code, name, name_folded, field, "
                "settling_agency, unit, restart_on_supplement, fee_note, documents, active, "
                "verify_note) VALUES (9001, 2, :code, :name, :folded, 'f', 's', 'working_days', "
                ":f, '', '[]', :t, '')"
            ),
            {
                "code": proc["code"],
                "name": proc["name"],
                "folded": proc["name_folded"],
                "f": False,
                "t": True,
            },
        )
        first = conn.execute(text("SELECT * FROM files ORDER BY id LIMIT 1")).mappings().one()
        conn.execute(text("UPDATE sync_settings SET dirty_from = NULL"))
        copy = {k: v for k, v in first.items() if k not in ("id", "code", "agency", "procedure_id")}
        copy_cols = ", ".join(copy)
        values = ", ".join(f":{k}" for k in copy)
        conn.execute(
            text(
                f"INSERT INTO files (id, code, agency, procedure_id, {copy_cols}) "
                f"VALUES (90001, 'X-1', 2, 9001, {values})"
            ),
            copy,
        )
        # Only agency 2's day is marked to send again.
        dirty = dict(conn.execute(text("SELECT id, dirty_from FROM sync_settings")).all())
        assert dirty == {1: None, 2: str(first["received_at"])[:10]}
        # The same book and number in agency 1 is still refused.
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(
                text(
                    f"INSERT INTO files (id, code, agency, procedure_id, {copy_cols}) "
                    f"VALUES (90002, 'X-2', 1, :p, {values})"
                ),
                {**copy, "p": first["procedure_id"]},
            )
    engine.dispose()
