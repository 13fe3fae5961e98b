"""Migration 0015 (digitising at intake) over a populated register, on both engines: no row lost
or changed; the files received before it are not asked for scans (the "Chờ số hóa" queue stays
empty); a line changed afterwards marks its file's day for the day summary again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

from desk_app.services import browse, digitise
from desk_app.services.browse import ListQueue
from desk_app.services.context import COMMAND_LINE
from desk_app.store.engine import make_engine, open_database
from desk_app.store.migrate import current_revision, head_revision, upgrade
from desk_app.store.pages import damaged_pages
from tests.pg_server import PgServer
from tests.unit.services.test_digitise import picture
from tests.unit.store.test_migration_agencies import _digest, _fill, _source

NOW = datetime(2026, 3, 2, 10, 0)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "old.sqlite3")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database(prefix="digitising")


def test_a_populated_register_gains_digitising_with_no_row_lost(
    old_target: str, tmp_path: Path
) -> None:
    target: str | Path = old_target if "://" in old_target else Path(old_target)
    upgrade(target, "0014")
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
    engine.dispose()

    upgrade(target)
    assert current_revision(target) == head_revision()
    engine = make_engine(target)
    assert _digest(engine, columns) == before
    with engine.begin() as conn:
        for table in ("scan_lines", "scan_pages", "page_blobs"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        conn.execute(text("UPDATE sync_settings SET dirty_from = NULL"))
    engine.dispose()

    db = open_database(target)
    try:
        with db.reader.begin() as s:
            assert browse.queue_count(s, ListQueue.TO_DIGITISE, NOW) == 0
            code, received = s.execute(
                text("SELECT code, received_at FROM files WHERE status = 4 ORDER BY id LIMIT 1")
            ).one()
        with db.writer.begin() as s:
            digitise.open_lines(s, code, COMMAND_LINE, NOW)
            digitise.attach(s, code, [(picture("PNG"), "a.png")], COMMAND_LINE, NOW)
        with db.reader.begin() as s:
            assert browse.queue_count(s, ListQueue.TO_DIGITISE, NOW) == (
                1 if len(digitise.file_lines(s, code)) > 1 else 0
            )
            assert damaged_pages(s) == []
            dirty = s.execute(text("SELECT dirty_from FROM sync_settings WHERE id = 1")).scalar()
        assert dirty == str(received)[:10]  # the file's day is counted again
    finally:
        db.dispose()
