"""Backups and restores on real database files, with a counter PC saving in another process."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from desk_app.cli.app import run
from desk_app.store import backup as backup_module
from desk_app.store.backup import BackupError
from desk_app.store.engine import Database

WRITER = Path(__file__).with_name("desk_writer.py")

# Another program in the middle of a long write: holds SQLite's write lock until told to commit.
HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO applicants (name, name_folded) VALUES ('Người giữ khóa', 'x')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    assert err.startswith("Lỗi: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def saved(path: Path) -> set[str]:
    """The files in the database, by their applicant's name (what desk_writer.py reports)."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT a.name FROM files f JOIN applicants a ON a.id = f.applicant_id")
        return {str(r[0]) for r in rows}


def digest(path: Path) -> str:
    """The database's content as SQLite sees it (the WAL included), not its bytes on disk."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        dump = "\n".join(conn.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


@pytest.fixture
def admin_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_USER", "quantri")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")


class Writer:
    """desk_writer.py in its own process: `committed` holds the files it reported saved."""

    def __init__(self, db: Path, folder: Path) -> None:
        self.stop = folder / "stop-writer"
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), str(self.stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.committed: list[str] = []
        self.refused: list[str] = []

    def wait_for(self, more: int) -> None:
        """Read until `more` further files were committed."""
        target = len(self.committed) + more
        assert self.proc.stdout is not None
        while len(self.committed) < target:
            line = self.proc.stdout.readline()
            assert line, f"the writer died: {self.proc.stderr.read() if self.proc.stderr else ''}"
            self._take(line)

    def _take(self, line: str) -> None:
        kind, _, rest = line.strip().partition(" ")
        (self.committed if kind == "ok" else self.refused).append(rest)

    def finish(self) -> None:
        self.stop.touch()
        out, err = self.proc.communicate(timeout=60)
        for line in out.splitlines():
            self._take(line)
        assert self.proc.returncode == 0, err


@contextmanager
def writer(db: Database, folder: Path) -> Iterator[Writer]:
    db.dispose()
    w = Writer(db.path, folder)
    try:
        w.wait_for(10)  # saving in full before anything else happens
        yield w
    finally:
        if w.proc.poll() is None:
            w.finish()


# --- backup: never onto the database -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["desk.sqlite3", "link-to-db", "hardlink-to-db", "desk.sqlite3-wal", "desk.sqlite3-shm",
     "desk.sqlite3-journal", "link-to-wal", "hardlink-to-db-wal"],
)  # fmt: skip
@pytest.mark.parametrize("force", [False, True])
def test_backup_refuses_the_database_and_its_companions(
    capsys: pytest.CaptureFixture[str], db: Database, name: str, force: bool
) -> None:
    folder = db.path.parent
    with db.reader.begin() as s:  # the WAL and shared-memory files exist while in use
        s.connection()
    (folder / "desk.sqlite3-journal").touch()
    (folder / "link-to-db").symlink_to(db.path)
    (folder / "link-to-wal").symlink_to(folder / "desk.sqlite3-wal")
    os.link(db.path, folder / "hardlink-to-db")
    before = digest(db.path)
    args = ["backup", str(folder / name), *(["--force"] if force else [])]
    code, out, err = cli(capsys, db.path, *args)
    assert code == 2 and out == ""
    assert "cơ sở dữ liệu đang dùng" in one_error_line(err)
    assert digest(db.path) == before
    assert not list(folder.glob("*.part"))


def test_backup_onto_the_live_database_while_a_writer_saves_is_refused(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    """The issue's probe: `backup DB` while the window saves replaced the live file and printed
    success (3 runs of 3 damaged the database). Now refused, and nothing saved is lost."""
    with writer(db, tmp_path) as w:
        for _ in range(3):
            code, _, err = cli(capsys, db.path, "backup", str(db.path))
            assert code == 2 and "cơ sở dữ liệu đang dùng" in one_error_line(err)
            w.wait_for(5)
        w.finish()
    assert w.committed and not w.refused
    assert set(w.committed) <= saved(db.path)


def test_backup_refuses_an_existing_file_unless_forced(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    dest = tmp_path / "backups" / "monday.sqlite3"
    dest.parent.mkdir()
    dest.write_bytes(b"last week's backup")
    code, _, err = cli(capsys, db.path, "backup", str(dest))
    assert code == 2 and "--force" in one_error_line(err)
    assert dest.read_bytes() == b"last week's backup"

    code, out, _ = cli(capsys, db.path, "backup", str(dest), "--force")
    assert code == 0 and out == f"Đã sao lưu và kiểm tra: {dest}\n"
    assert saved(dest) == saved(db.path)

    # --force never writes over a database SQLite is using (its -wal beside it)
    other = tmp_path / "backups" / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        code, _, err = cli(capsys, db.path, "backup", str(other), "--force")
        assert code == 2 and "đang được SQLite dùng" in one_error_line(err)
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["monday.sqlite3", "other.sqlite3"]


# --- restore: nothing committed is lost --------------------------------------------------------


def test_restore_while_another_process_saves_loses_no_committed_file(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path, admin_env: None
) -> None:
    """The issue's probe: a restore while another PC saved lost 32 of 480 committed files
    (neither in the restored database nor in the safety copy). Three restores, each in the
    middle of the writer's loop: every file reported committed is in one of the two."""
    with db.writer.begin() as s:  # a desk some years in: copies and checks take a while
        s.connection().exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000) "
            "INSERT INTO applicants (name, name_folded, address) "
            "SELECT 'Khách ' || i, 'khach ' || i, printf('%0300d', i) FROM n"
        )
    backup_file = tmp_path / "backup.sqlite3"
    assert cli(capsys, db.path, "backup", str(backup_file))[0] == 0
    kept: set[str] = set()
    with writer(db, tmp_path) as w:
        for _ in range(3):
            code, out, err = cli(capsys, db.path, "restore", str(backup_file))
            assert code == 0, err
            safety = Path(out.split("Bản cũ được giữ tại: ", 1)[1].splitlines()[0])
            kept |= saved(safety)
            w.wait_for(10)  # the writer goes on saving, into the restored database
        w.finish()
    live = saved(db.path)
    lost = set(w.committed) - live - kept
    assert len(w.committed) >= 40 and not lost, f"{len(lost)} of {len(w.committed)} lost"
    # The restore did happen: files saved before the last restore are only in the kept copies.
    # (Not `live < committed`: a file the writer saved just before it was stopped may be live
    # and not yet reported, on a busy machine.)
    assert live and set(w.committed) - live


def test_restore_refuses_while_another_program_keeps_the_write_lock(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    tmp_path: Path,
    admin_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A program that holds the write lock (a long import) is not overrun: the restore waits
    LOCK_WAIT_S, then says the database is in use, and nothing changed."""
    backup_file = tmp_path / "backup.sqlite3"
    assert cli(capsys, db.path, "backup", str(backup_file))[0] == 0
    monkeypatch.setattr(backup_module, "LOCK_WAIT_S", 1.0)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(db.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        files_before = sorted(p.name for p in tmp_path.iterdir())
        # restore() itself: the command line's sign-in would wait for the same lock first
        with pytest.raises(BackupError, match="đang được một chương trình khác ghi"):
            backup_module.restore(backup_file, db.path)
        assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    finally:
        holder.communicate("commit\n", timeout=30)
    assert holder.returncode == 0
    with closing(sqlite3.connect(db.path)) as conn:  # its save went through after the refusal
        assert conn.execute(
            "SELECT count(*) FROM applicants WHERE name = 'Người giữ khóa'"
        ).fetchone() == (1,)


def test_restore_refuses_a_backup_of_a_newer_program_before_touching_anything(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path, admin_env: None
) -> None:
    backup_file = tmp_path / "newer.sqlite3"
    assert cli(capsys, db.path, "backup", str(backup_file))[0] == 0
    with closing(sqlite3.connect(backup_file)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.execute("CREATE TABLE from_the_future (x)")
    before = digest(db.path)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli(capsys, db.path, "restore", str(backup_file))
    assert code == 2 and out == ""
    assert "phiên bản mới hơn" in one_error_line(err) and "9999" in err
    assert digest(db.path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # no safety copy, no temp


# --- the machine says no -----------------------------------------------------------------------


def _mount(folder: Path, *options: str) -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    opts = ",".join(options)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], check=False)
    return done.returncode == 0


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "usb"
    folder.mkdir()
    if _mount(folder, "ro", "size=1m"):
        yield folder
        subprocess.run(["umount", str(folder)], check=True)
    elif os.name == "posix" and os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    else:
        pytest.skip("no way to make a read-only folder here (root without mount)")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB file system: room for a small file, never for a desk database."""
    folder = tmp_path / "small"
    folder.mkdir()
    if not _mount(folder, "size=256k"):
        pytest.skip("a small file system needs root and tmpfs")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_backup_into_a_missing_folder_creates_nothing(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    for dest in (tmp_path / "usb" / "backups" / "x.sqlite3", f"{tmp_path / 'usb'}{os.sep}"):
        code, _, err = cli(capsys, db.path, "backup", str(dest))
        assert code == 2 and "Không có thư mục" in one_error_line(err)
        assert not (tmp_path / "usb").exists()


def test_backup_into_a_read_only_folder_says_so(
    capsys: pytest.CaptureFixture[str], db: Database, read_only_folder: Path
) -> None:
    code, _, err = cli(capsys, db.path, "backup", str(read_only_folder))
    assert code == 2 and "chỉ cho phép đọc" in one_error_line(err)
    assert not list(read_only_folder.iterdir())


def test_backup_onto_a_full_disk_leaves_nothing(
    capsys: pytest.CaptureFixture[str], db: Database, small_disk: Path
) -> None:
    code, _, err = cli(capsys, db.path, "backup", str(small_disk / "desk.sqlite3"))
    assert code == 2 and "ổ đĩa đã đầy" in one_error_line(err)
    assert not list(small_disk.iterdir())


def test_restore_onto_a_full_disk_changes_nothing(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path, admin_env: None
) -> None:
    """The safety copy cannot be written: the restore is not made and nothing is left over."""
    backup_file = tmp_path / "backup.sqlite3"
    assert cli(capsys, db.path, "backup", str(backup_file))[0] == 0
    with db.writer.begin() as s:
        s.connection().exec_driver_sql("UPDATE desk_settings SET place_name = 'Cao Bằng'")
    db.dispose()
    folder = tmp_path / "disk"
    folder.mkdir()
    size = db.path.stat().st_size + (1 << 20)  # the database, its WAL, and room for one copy
    if not _mount(folder, f"size={size * 2 + (64 << 10)}"):
        pytest.skip("a small file system needs root and tmpfs")
    try:
        live = folder / "desk.sqlite3"
        with closing(sqlite3.connect(db.path)) as src, closing(sqlite3.connect(live)) as dst:
            src.backup(dst)
        # fill the disk so that one more database does not fit
        filler = folder / "filler"
        free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
        filler.write_bytes(b"\0" * max(0, free - live.stat().st_size // 2))
        before = digest(live)
        names = sorted(p.name for p in folder.iterdir())
        code, _, err = cli(capsys, live, "restore", str(backup_file))
        assert code == 2 and "ổ đĩa đã đầy" in one_error_line(err)
        assert digest(live) == before
        assert sorted(
            p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))
        ) == [n for n in names if not n.endswith(("-wal", "-shm"))]
    finally:
        time.sleep(0)
        subprocess.run(["umount", "-l", str(folder)], check=False)
