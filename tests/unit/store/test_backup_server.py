"""Backups and restores of a centre's database on a real PostgreSQL server (pg_dump/pg_restore)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desk_app.services import intake, users
from desk_app.store import pg_backup
from desk_app.store.backup import BackupError
from desk_app.store.engine import Database, open_database
from tests.desk_setup import ADMIN, OFFICER, fill_desk
from tests.pg_server import PgServer

NOW = datetime(2026, 3, 2, 10, 0)
NAMES = ("Đặng Thị Ánh", "Nguyễn Văn Bình", "Lò Thị Chăm")


def fill(db: Database) -> None:
    """A desk with its identity, the catalogue, an administrator and three files."""
    with db.writer.begin() as s:
        fill_desk(s, staff=[ADMIN, OFFICER])
    accept_files(db)


def accept_files(db: Database) -> None:
    """Three files accepted by the officer `canbo`."""
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    for n, name in enumerate(NAMES):
        received = datetime(2026, 3, 2, 8 + n, 15)
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name=name),
            received_at=received,
        )
        with db.writer.begin() as s:
            intake.accept_file(s, data, officer, now=received)


def contents(url: str) -> dict[str, list[str]]:
    """Every table of the database and its rows (as JSON text), sorted."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = (
                conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
                )
                .scalars()
                .all()
            )
            return {
                t: sorted(conn.execute(text(f'SELECT to_jsonb(x)::text FROM "{t}" x')).scalars())
                for t in tables
            }
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture
def centre(pg_server: PgServer, pg_template: str) -> Iterator[Database]:
    url = pg_server.new_database(template=pg_template)
    db = open_database(url)
    fill(db)
    yield db
    db.dispose()
    pg_server.drop_database(url)


@pytest.fixture
def new_database(pg_server: PgServer) -> Iterator[Any]:
    made: list[str] = []

    def _make() -> str:
        made.append(pg_server.new_database(prefix="r"))
        return made[-1]

    yield _make
    for url in made:
        pg_server.drop_database(url)


def test_a_backup_restored_into_a_new_database_holds_every_row(
    centre: Database, new_database: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    made = pg_backup.backup_server(centre.url, folder, now=NOW)
    assert made.path == folder / "desk-20260302-100000.pgdump"
    assert made.check.scratch and made.check.revision
    assert [p.name for p in folder.iterdir()] == [made.path.name]  # no temporary file left
    before = contents(centre.url)
    assert len(before["files"]) == 3
    assert made.check.rows == sum(len(rows) for rows in before.values())

    target = new_database()
    result = pg_backup.restore_server(made.path, target, tmp_path / "keep", now=NOW)
    assert result.safety is None  # the new database was empty
    assert contents(target) == before


def test_restoring_over_a_database_keeps_a_checked_copy_of_it_first(
    centre: Database, pg_server: PgServer, pg_template: str, new_database: Any, tmp_path: Path
) -> None:
    made = pg_backup.backup_server(centre.url, tmp_path / "centre.pgdump", now=NOW)
    other_url = pg_server.new_database(template=pg_template)
    try:
        other = open_database(other_url)
        fill(other)
        other.dispose()
        execute(other_url, "UPDATE applicants SET name = 'Hà Văn Khác'")
        was = contents(other_url)
        assert was != contents(centre.url)

        keep = tmp_path / "keep"
        result = pg_backup.restore_server(made.path, other_url, keep, now=NOW)
        assert contents(other_url) == contents(centre.url)
        assert result.check.scratch
        assert result.safety is not None and result.safety.parent == keep
        assert result.safety.name.endswith(".before-restore-20260302-100000.pgdump")
        # The kept copy holds what the database held before the restore, row for row.
        again = new_database()
        pg_backup.restore_server(result.safety, again, tmp_path / "keep2", now=NOW)
        assert contents(again) == was
    finally:
        pg_server.drop_database(other_url)


def damaged(dump: Path) -> Path:
    """The dump with bytes in the middle of its compressed data overwritten."""
    data = bytearray(dump.read_bytes())
    middle = len(data) * 2 // 3
    data[middle : middle + 64] = b"\x00" * 64
    out = dump.with_name("damaged.pgdump")
    out.write_bytes(bytes(data))
    return out


def test_a_damaged_dump_is_refused_and_nothing_is_restored(
    centre: Database, pg_server: PgServer, pg_template: str, tmp_path: Path
) -> None:
    made = pg_backup.backup_server(centre.url, tmp_path / "centre.pgdump", now=NOW)
    bad = damaged(made.path)
    target = pg_server.new_database(template=pg_template)
    try:
        other = open_database(target)
        fill(other)
        other.dispose()
        was = contents(target)
        keep = tmp_path / "keep"
        with pytest.raises(BackupError, match="hỏng") as caught:
            pg_backup.restore_server(bad, target, keep, now=NOW)
        assert "Traceback" not in caught.value.message
        assert contents(target) == was
        assert not any(keep.glob("*.pgdump"))  # no safety copy made, no temporary file left
    finally:
        pg_server.drop_database(target)


def test_a_file_that_is_no_dump_is_refused(centre: Database, tmp_path: Path) -> None:
    notes = tmp_path / "ghi-chu.pgdump"
    notes.write_text("Danh sách việc cần làm\n", encoding="utf-8")
    with pytest.raises(BackupError, match="không phải tệp sao lưu"):
        pg_backup.restore_server(notes, centre.url, tmp_path / "keep", now=NOW)


def test_a_dump_of_a_newer_schema_is_refused(
    centre: Database, new_database: Any, tmp_path: Path
) -> None:
    made = pg_backup.backup_server(centre.url, tmp_path / "centre.pgdump", now=NOW)
    future = new_database()
    pg_backup.restore_server(made.path, future, tmp_path / "keep", now=NOW)
    execute(future, "UPDATE alembic_version SET version_num = '9999'")
    newer = pg_backup.backup_server(future, tmp_path / "newer.pgdump", now=NOW)
    assert newer.check.revision == "9999"
    was = contents(centre.url)
    with pytest.raises(BackupError, match="phiên bản mới hơn"):
        pg_backup.restore_server(newer.path, centre.url, tmp_path / "keep2", now=NOW)
    assert contents(centre.url) == was


def test_the_dump_and_the_counts_read_one_snapshot(
    centre: Database, new_database: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file accepted at another counter while the backup starts: the dump and the row counts
    it is checked against are taken from the same moment, so the check holds."""
    dump = pg_backup._pg_dump

    def accept_then_dump(url: str, dest: Path, snapshot: str | None = None) -> None:
        with centre.reader.begin() as s:
            officer = users.sign_in(s, "canbo", "matkhau123")
        data = intake.IntakeInput(
            procedure="1.001029",
            applicant=intake.ApplicantInput(name="Người Đến Sau"),
            received_at=datetime(2026, 3, 2, 11, 15),
        )
        with centre.writer.begin() as s:
            intake.accept_file(s, data, officer, now=datetime(2026, 3, 2, 11, 15))
        dump(url, dest, snapshot)

    monkeypatch.setattr(pg_backup, "_pg_dump", accept_then_dump)
    made = pg_backup.backup_server(centre.url, tmp_path / "centre.pgdump", now=NOW)
    assert made.check.scratch
    assert len(contents(centre.url)["files"]) == 4
    target = new_database()
    pg_backup.restore_server(made.path, target, tmp_path / "keep", now=NOW)
    assert len(contents(target)["files"]) == 3  # the moment the backup began


def test_the_password_reaches_the_tools_through_the_environment_only(
    centre: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    password = "Mật-khẩu-bí-mật-42"
    url = make_url(centre.url).set(password=password).render_as_string(hide_password=False)
    calls: list[tuple[list[str], dict[str, str]]] = []
    run = pg_backup._run

    def recording(argv: list[str], env: dict[str, str], what: str) -> str:
        calls.append((argv, dict(env)))
        return run(argv, env, what)

    monkeypatch.setattr(pg_backup, "_run", recording)
    pg_backup.backup_server(url, tmp_path / "centre.pgdump", now=NOW)
    connecting = [(argv, env) for argv, env in calls if any("--dbname" in a for a in argv)]
    assert len(connecting) >= 2  # pg_dump and the scratch restore
    for argv, env in connecting:
        assert not any(password in a for a in argv)
        assert env["PGPASSWORD"] == password
    assert all("PGPASSWORD" not in env for argv, env in calls if (argv, env) not in connecting)


def test_a_least_privilege_role_backs_up_and_restores(pg_server: PgServer, tmp_path: Path) -> None:
    """The README's set-up: a role that owns its database, no superuser, no CREATEDB. The dump is
    then checked by its table of contents (no scratch database), and restores all the same."""
    pg_server.execute("DROP ROLE IF EXISTS desk_counter")
    pg_server.execute("CREATE ROLE desk_counter LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    urls = []
    try:
        for name in ("desk_lp_source", "desk_lp_target"):
            pg_server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg_server.execute(f'CREATE DATABASE "{name}" OWNER desk_counter')
            urls.append(
                make_url(pg_server.url(name))
                .set(username="desk_counter")
                .render_as_string(hide_password=False)
            )
        source, target = urls
        db = open_database(source)
        fill(db)
        db.dispose()
        made = pg_backup.backup_server(source, tmp_path / "lp.pgdump", now=NOW)
        assert not made.check.scratch
        assert made.check.tables >= len(pg_backup.KEY_TABLES)
        open_database(target).dispose()  # a migrated, empty desk
        result = pg_backup.restore_server(made.path, target, tmp_path / "keep", now=NOW)
        assert not result.check.scratch
        assert contents(target) == contents(source)
    finally:
        for url in urls:
            pg_server.drop_database(url)
        pg_server.execute("DROP ROLE IF EXISTS desk_counter")


def test_a_restore_waits_for_a_counter_that_is_saving_then_gives_up_changing_nothing(
    centre: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made = pg_backup.backup_server(centre.url, tmp_path / "centre.pgdump", now=NOW)
    was = contents(centre.url)
    monkeypatch.setattr("desk_app.pg_engine.BUSY_TIMEOUT_MS", 300)
    keep = tmp_path / "keep"
    with centre.writer.begin() as s:  # a counter in the middle of a save: the writers' lock
        s.execute(text("SELECT 1"))
        with pytest.raises(BackupError, match="đang được một quầy khác ghi"):
            pg_backup.restore_server(made.path, centre.url, keep, now=NOW)
    assert contents(centre.url) == was
    assert not any(keep.glob("*.pgdump"))
