"""Backups carry the scanned pages and every restore checks them: a solo desk's backup file holds
its pages (page_blobs) and a restore writes them back into the page folder; a centre's bytea
rows travel in the dump. A missing or altered page is reported with its file's code."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from desk_app.services import digitise, intake, users
from desk_app.services.context import Actor
from desk_app.store import pg_backup
from desk_app.store.backup import BackupError, backup, restore
from desk_app.store.engine import Database, open_database
from desk_app.store.pages import FolderStore, damaged_pages, pages_folder, sha256_of
from tests.pg_server import PgServer
from tests.unit.store.test_backup_server import execute, fill

NOW = datetime(2026, 3, 2, 10, 0)


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def scan_two_files(db: Database, officer: Actor) -> list[str]:
    """Two files; the first with two pages on line 0, the second with one on line 1."""
    codes = []
    for name in ("Đặng Thị Ánh", "Lò Thị Chăm"):
        data = intake.IntakeInput(
            procedure="1.001029", applicant=intake.ApplicantInput(name=name), received_at=NOW
        )
        with db.writer.begin() as s:
            codes.append(intake.accept_file(s, data, officer, now=NOW).code)
    with db.writer.begin() as s:
        digitise.attach(s, codes[0], [(png("red"), "a"), (png("lime"), "b")], officer, NOW)
        digitise.attach(s, codes[1], [(png("blue"), "c")], officer, NOW, line=1)
    return codes


@pytest.mark.sqlite_only
def test_a_backup_file_holds_its_pages_and_a_restore_puts_them_back(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = scan_two_files(db, officer)
    assert db.path is not None
    made = backup(db.path, tmp_path / "bk.sqlite3", now=NOW)
    with closing(sqlite3.connect(made)) as conn:
        carried = {str(r[0]) for r in conn.execute("SELECT sha256 FROM page_blobs")}
    assert carried == {sha256_of(png(c)) for c in ("red", "lime", "blue")}

    target = tmp_path / "other" / "desk.sqlite3"
    target.parent.mkdir()
    assert restore(made, target, now=NOW) is None
    restored = open_database(target)
    try:
        with restored.reader.begin() as s:
            assert damaged_pages(s) == []
            lines = digitise.file_lines(s, codes[0])
            assert digitise.page_bytes(s, lines[0].pages[1].sha256) == png("lime")
    finally:
        restored.dispose()
    folder = FolderStore(pages_folder(target))
    assert folder.path_of(sha256_of(png("blue"))).read_bytes() == png("blue")
    # The live database keeps no page bytes: they are in its folder.
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM page_blobs").fetchone() == (0,)


@pytest.mark.sqlite_only
def test_a_damaged_page_stops_the_backup_and_names_its_file(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = scan_two_files(db, officer)
    assert db.path is not None
    store = FolderStore(pages_folder(db.path))
    store.path_of(sha256_of(png("blue"))).write_bytes(b"not the scan")  # altered on disk
    store.path_of(sha256_of(png("lime"))).unlink()  # lost
    with db.reader.begin() as s:
        found = {(d.file_code, d.line, d.seq, d.problem) for d in damaged_pages(s)}
    assert found == {(codes[0], 0, 1, "missing"), (codes[1], 1, 0, "altered")}
    with pytest.raises(BackupError) as caught:
        backup(db.path, tmp_path / "bk.sqlite3", now=NOW)
    assert f"Hồ sơ {codes[0]}, giấy tờ thứ 1, trang 2: mất" in caught.value.message
    assert f"Hồ sơ {codes[1]}, giấy tờ thứ 2, trang 1: bị thay đổi" in caught.value.message
    assert not (tmp_path / "bk.sqlite3").exists()


@pytest.mark.sqlite_only
def test_a_backup_whose_page_was_altered_is_not_restored(
    db: Database, officer: Actor, tmp_path: Path
) -> None:
    codes = scan_two_files(db, officer)
    assert db.path is not None
    made = backup(db.path, tmp_path / "bk.sqlite3", now=NOW)
    with closing(sqlite3.connect(made)) as conn:
        conn.execute(
            "UPDATE page_blobs SET data = ? WHERE sha256 = ?", (b"x", sha256_of(png("red")))
        )
        conn.commit()
    target = tmp_path / "other" / "desk.sqlite3"
    target.parent.mkdir()
    with pytest.raises(BackupError) as caught:
        restore(made, target, now=NOW)
    assert f"Hồ sơ {codes[0]}, giấy tờ thứ 1, trang 1: bị thay đổi" in caught.value.message
    assert not target.exists() and not pages_folder(target).exists()  # nothing touched


@pytest.fixture
def centre(pg_server: PgServer, pg_template: str) -> Iterator[Database]:
    url = pg_server.new_database(template=pg_template)
    db = open_database(url)
    fill(db)
    yield db
    db.dispose()
    pg_server.drop_database(url)


def test_a_centre_dump_carries_its_pages_and_an_altered_one_is_refused(
    centre: Database, pg_server: PgServer, tmp_path: Path
) -> None:
    with centre.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    codes = scan_two_files(centre, officer)
    made = pg_backup.backup_server(centre.url, tmp_path / "c.pgdump", now=NOW)
    target = pg_server.new_database(prefix="r")
    try:
        pg_backup.restore_server(made.path, target, tmp_path / "keep", now=NOW)
        restored = open_database(target)
        try:
            with restored.reader.begin() as s:
                assert damaged_pages(s) == []
                lines = digitise.file_lines(s, codes[1])
                assert digitise.page_bytes(s, lines[1].pages[0].sha256) == png("blue")
        finally:
            restored.dispose()
    finally:
        pg_server.drop_database(target)
    execute(
        centre.url,
        f"UPDATE page_blobs SET data = 'x'::bytea WHERE sha256 = '{sha256_of(png('blue'))}'",
    )
    with pytest.raises(BackupError) as caught:
        pg_backup.backup_server(centre.url, tmp_path / "d.pgdump", now=NOW)
    assert f"Hồ sơ {codes[1]}, giấy tờ thứ 2, trang 1: bị thay đổi" in caught.value.message
