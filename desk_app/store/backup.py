"""Online backup and restore with SQLite's backup API; every copy is checked before it counts."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

from desk_app.errors import DeskError
from desk_app.store.pages import (
    ALTERED,
    MISSING,
    REFERENCES_SQL,
    FolderStore,
    damage_report,
    damages,
    pages_folder,
    sha256_of,
)

PAGES_PER_STEP = 4096
# The files SQLite keeps beside a database while it is in use.
COMPANIONS = ("-wal", "-shm", "-journal")
# How long a restore waits for the write lock held by another program before it gives up.
LOCK_WAIT_S = 15.0

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14
_SQLITE_OK, _SQLITE_DONE = 0, 101

IN_USE = (
    "Cơ sở dữ liệu đang được một chương trình khác ghi (cửa sổ Bộ phận Một cửa hoặc một lệnh "
    "khác trên máy này) và không nhường quyền ghi; chưa có gì bị thay đổi. Hãy đóng chương trình "
    "đang mở cơ sở dữ liệu này rồi thử lại."
)


class BackupError(DeskError):
    code = "backup"


def _sqlite_reason(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL:
        return "ổ đĩa đã đầy"
    if primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM):
        return "không ghi được vào thư mục (chỉ cho phép đọc hoặc không có quyền)"
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return "cơ sở dữ liệu đang bận"
    if primary == _SQLITE_IOERR:
        return "lỗi đọc ghi đĩa"
    return str(exc)


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "ổ đĩa đã đầy"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "không ghi được vào thư mục (chỉ cho phép đọc hoặc không có quyền)"
    if exc.errno == errno.ENOENT:
        return "không tìm thấy thư mục hoặc tệp"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def _failures(what: str) -> Iterator[None]:
    """The machine's failures (full disk, read-only folder, ...) as one BackupError line."""
    try:
        yield
    except sqlite3.Error as exc:
        raise BackupError(f"{what}: {_sqlite_reason(exc)}.") from exc
    except OSError as exc:
        raise BackupError(f"{what}: {_os_reason(exc)}.") from exc


def _same(a: Path, b: Path) -> bool:
    """The same file, by resolved path (symbolic links followed) or by inode (hard links)."""
    if os.path.normcase(a.resolve()) == os.path.normcase(b.resolve()):
        return True
    try:
        return a.samefile(b)
    except OSError:
        return False


def _live_file(database: Path, path: Path) -> bool:
    """`path` is the database or one of the files SQLite keeps beside it while in use."""
    if any(_same(path, database.with_name(database.name + s)) for s in ("", *COMPANIONS)):
        return True
    # A companion named after another link to the database (SQLite names it after the path
    # the database was opened by).
    return any(
        path.name.endswith(s) and _same(path.with_name(path.name[: -len(s)]), database)
        for s in COMPANIONS
    )


def _in_use(path: Path) -> bool:
    return any(path.with_name(path.name + s).exists() for s in COMPANIONS)


def _temp_beside(path: Path, tag: str) -> Path:
    """An empty file of our own in `path`'s folder: what is written there is renamed into place
    only when complete and checked, so a half-written copy never carries the real name."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{tag}.part", dir=path.parent)
    os.close(fd)
    return Path(name)


def _remove(path: Path) -> None:
    for s in ("", *COMPANIONS):
        with contextlib.suppress(OSError):
            path.with_name(path.name + s).unlink(missing_ok=True)


def _fsync(path: Path, *, folder: bool = False) -> None:
    if folder and os.name == "nt":
        return  # Windows cannot open a folder to flush it; NTFS journals the rename itself
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT_S)


def _verify(path: Path, what: str) -> str:
    """Check the closed file at `path`, opened read-only; returns its schema revision."""
    with closing(_ro(path)) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise BackupError(f"{what} không toàn vẹn: {result[0] if result else 'không rõ'}.")
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        row = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if has_version
            else None
        )
    if row is None:
        raise BackupError(f"{what} không phải cơ sở dữ liệu của Bộ phận Một cửa.")
    return str(row[0])


def _copy(source: sqlite3.Connection, path: Path) -> None:
    """Copy the database open as `source` into the new file `path`, flushed to disk."""
    with closing(sqlite3.connect(path)) as dst:
        source.backup(dst, pages=PAGES_PER_STEP)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    _fsync(path)


def _has_pages_table(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='scan_pages'"
        ).fetchone()
    )


def _damaged(what: str, found: list[tuple[str, str, int, int, str]], bad: dict[str, str]) -> None:
    damaged = damages(found, bad)
    if damaged:
        raise BackupError(
            f"{what}: {len(damaged)} trang bản quét bị mất hoặc bị thay đổi:\n"
            + damage_report(damaged)
        )


def _carry_pages(copy: Path, folder: Path) -> int:
    """Put every page the copy refers to into its page_blobs table, from the solo desk's page
    folder, each checked against its SHA-256: the backup is one file that holds its pages.
    BackupError, naming each file, when a page is missing or altered. Returns the pages put."""
    store = FolderStore(folder)
    with closing(sqlite3.connect(copy)) as conn:
        if not _has_pages_table(conn):
            return 0
        refs = [tuple(r) for r in conn.execute(REFERENCES_SQL)]
        bad: dict[str, str] = {}
        put = 0
        for name in sorted({str(r[4]) for r in refs}):
            try:
                data = store.path_of(name).read_bytes()
            except FileNotFoundError:
                bad[name] = MISSING
                continue
            if sha256_of(data) != name:
                bad[name] = ALTERED
                continue
            conn.execute(
                "INSERT OR IGNORE INTO page_blobs (sha256, data) VALUES (?, ?)", (name, data)
            )
            put += 1
        _damaged("Không sao lưu được", refs, bad)
        conn.commit()
    return put


def _unpack_pages(staged: Path, folder: Path) -> int:
    """Check every page the staged restore refers to against its SHA-256 (BackupError naming
    each file whose page is missing or altered, before anything is written), then write the
    pages into the target's page folder and empty the staged copy's page_blobs."""
    with closing(sqlite3.connect(staged)) as conn:
        if not _has_pages_table(conn):
            return 0
        refs = [tuple(r) for r in conn.execute(REFERENCES_SQL)]
        names = {str(r[4]) for r in refs}
        held = {
            str(name): sha256_of(bytes(data)) == name
            for name, data in conn.execute("SELECT sha256, data FROM page_blobs")
            if name in names
        }
        bad = {n: (ALTERED if n in held else MISSING) for n in names if not held.get(n, False)}
        _damaged("Tệp sao lưu hỏng, chưa phục hồi gì", refs, bad)
        store = FolderStore(folder)
        for name in sorted(names):
            (data,) = conn.execute(
                "SELECT data FROM page_blobs WHERE sha256 = ?", (name,)
            ).fetchone()
            store.put(bytes(data))
        carried = conn.execute("SELECT count(*) FROM page_blobs").fetchone()[0]
        if carried:
            # The live database keeps no pages (they are in the folder): nor their space.
            conn.execute("DELETE FROM page_blobs")
            conn.commit()
            conn.execute("VACUUM")
    return len(names)


def _backup_destination(
    source: Path | None, given: Path | str, force: bool, now: datetime, suffix: str = ".sqlite3"
) -> Path:
    """Where a backup goes: `given`, or a dated name in the folder `given` names. `source` is
    the live SQLite file (None for a server's database, which has no file here)."""
    dest = Path(given).expanduser()
    if dest.is_dir():
        dest = dest / f"desk-{now:%Y%m%d-%H%M%S}{suffix}"
    elif str(given).endswith(tuple(filter(None, (os.sep, os.altsep)))):
        raise BackupError(f"Không có thư mục {dest}; hãy kiểm tra ổ đĩa hoặc tạo thư mục trước.")
    folder = dest.parent.resolve()
    if not folder.is_dir():
        raise BackupError(f"Không có thư mục {folder}; hãy kiểm tra ổ đĩa hoặc tạo thư mục trước.")
    dest = folder / dest.name
    if source is not None and _live_file(source, dest):
        raise BackupError(
            f"Không sao lưu được vào {dest}: đó là cơ sở dữ liệu đang dùng hoặc tệp đi kèm của "
            "nó. Hãy chọn tệp hoặc thư mục khác (nên là một ổ đĩa khác)."
        )
    if dest.exists() or dest.is_symlink():
        if not force:
            raise BackupError(
                f"Tệp {dest} đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè lên nó."
            )
        if not dest.is_file():
            raise BackupError(f"{dest} không phải là tệp; không ghi đè.")
        if _in_use(dest):
            raise BackupError(
                f"{dest} đang được SQLite dùng (có tệp -wal, -shm hoặc -journal bên cạnh); "
                "không ghi đè kể cả với --force."
            )
    return dest


def backup(
    source: Path, dest: Path | str, *, force: bool = False, now: datetime | None = None
) -> Path:
    """Copy the live database to `dest` (a file, or a folder for a dated name: one that exists
    or a path ending in a separator) while others keep working, and verify the copy. The
    scanned pages the copy refers to travel inside it (page_blobs), each checked against its
    SHA-256; a missing or altered page stops the backup with the file it belongs to.

    Refuses the database itself and its -wal/-shm/-journal (also through links), and an existing
    file unless `force`. The copy is written to a temporary file beside `dest`, flushed, checked
    opened read-only, and only then renamed into place.
    """
    source = source.expanduser().resolve()
    path = _backup_destination(source, dest, force, now or datetime.now())
    with _failures(f"Không sao lưu được vào {path.parent}"):
        tmp = _temp_beside(path, "backup")
    try:
        with _failures("Không sao lưu được"):
            with closing(sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True)) as src:
                # One read transaction for the whole copy: a consistent snapshot that writers
                # (WAL) do not wait for and that their commits cannot restart.
                src.execute("BEGIN")
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()
                _copy(src, tmp)
            _carry_pages(tmp, pages_folder(source))
            _verify(tmp, "Bản sao lưu")
            if not force and path.exists():
                raise BackupError(f"Tệp {path} vừa được tạo bởi người khác; không ghi đè.")
            tmp.replace(path)
            _fsync(path.parent, folder=True)
    finally:
        _remove(tmp)
    return path


def _known_revision(revision: str) -> None:
    from alembic.script import ScriptDirectory

    from desk_app.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    if revision not in {r.revision for r in script.walk_revisions()}:
        raise BackupError(
            f"Tệp sao lưu do một phiên bản mới hơn của chương trình tạo ra (lược đồ {revision}); "
            "hãy cài phiên bản mới hơn rồi phục hồi. Cơ sở dữ liệu hiện tại không bị thay đổi."
        )


def _safety_name(target: Path, now: datetime) -> Path:
    base = f"{target.stem}.before-restore-{now:%Y%m%d-%H%M%S}"
    path, n = target.with_name(f"{base}{target.suffix}"), 1
    while path.exists():
        n += 1
        path = target.with_name(f"{base}-{n}{target.suffix}")
    return path


def _swap_in(staged: Path, target: Path, now: datetime) -> Path | None:
    """Replace the content of `target` with `staged` in one write transaction, keeping a safety
    copy of what `target` held when that transaction took the write lock.

    The backup API writes the restore in steps of one page into the live database; its write
    lock is held from the first step to the commit. The safety copy is made after the first
    step, so no other connection can commit between the safety copy and the restore: every
    write is in the safety copy, or waits and lands on the restored database, or is refused.
    """
    if not target.exists():
        with closing(sqlite3.connect(staged)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst, pages=PAGES_PER_STEP)
        return None
    safety = _safety_name(target, now)
    safety_tmp = _temp_beside(safety, "safety")
    made: list[Path] = []
    started = time.monotonic()

    def _on_step(status: int, _remaining: int, _total: int) -> None:
        if made:
            return
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED):
            if time.monotonic() - started > LOCK_WAIT_S:
                raise BackupError(IN_USE)
            return
        if status != _SQLITE_OK:  # done in one step: no moment left for the safety copy
            raise BackupError("Tệp sao lưu quá nhỏ để là cơ sở dữ liệu của Bộ phận Một cửa.")
        with _failures(f"Không tạo được bản giữ lại {safety}"):
            with closing(_ro(target)) as live:
                _copy(live, safety_tmp)
            _verify(safety_tmp, "Bản giữ lại của cơ sở dữ liệu hiện tại")
            safety_tmp.replace(safety)
            _fsync(safety.parent, folder=True)
        made.append(safety)

    try:
        # No busy handler on the live database: SQLite's sleeps up to 100 ms between tries, and
        # a program that saves often takes the lock again first every time. A step that finds
        # the lock taken returns at once and is tried again 1 ms later, until LOCK_WAIT_S.
        with (
            closing(sqlite3.connect(staged)) as src,
            closing(sqlite3.connect(target, timeout=0)) as dst,
        ):
            src.backup(dst, pages=1, progress=_on_step, sleep=0.001)
    except BaseException:
        if made:  # the restore did not commit: the live database is as it was
            _remove(safety)
        raise
    finally:
        _remove(safety_tmp)
    return safety


def restore(source: Path, target: Path, *, now: datetime | None = None) -> Path | None:
    """Replace the database at `target` with the backup `source`, after checking the backup.

    Nothing is touched before the backup has been copied beside `target`, checked (integrity,
    a schema revision this program knows) and migrated to this program's schema, and its pages
    checked against their SHA-256 and written to the page folder. The current
    database is then kept beside it (…before-restore-<time>.sqlite3) under the same write lock
    as the restore. Returns the path of the safety copy, or None when there was no database yet.
    """
    from desk_app.store.migrate import upgrade

    source = source.expanduser().resolve()
    target = target.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    if _live_file(target, source):
        raise BackupError(f"{source} là cơ sở dữ liệu đang dùng, không phải một bản sao lưu.")
    if not target.parent.is_dir():
        raise BackupError(f"Không có thư mục {target.parent}.")
    with _failures(f"Không phục hồi được vào {target.parent}"):
        staged = _temp_beside(target, "restore")
    try:
        with _failures("Không đọc được tệp sao lưu"), closing(_ro(source)) as src:
            _copy(src, staged)
        with _failures("Không phục hồi được"):
            _known_revision(_verify(staged, "Tệp sao lưu"))
            upgrade(staged)
            _unpack_pages(staged, pages_folder(target))
            with closing(sqlite3.connect(staged)) as conn:
                conn.execute("PRAGMA journal_mode=DELETE")
            safety = _swap_in(staged, target, now or datetime.now())
            _verify(target, "Cơ sở dữ liệu sau khi phục hồi")
    finally:
        _remove(staged)
    return safety
