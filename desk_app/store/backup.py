"""Online backup and restore with SQLite's backup API, each verified by an integrity check."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from desk_app.errors import DeskError

PAGES_PER_STEP = 4096


class BackupError(DeskError):
    code = "backup"


def _check(conn: sqlite3.Connection, what: str) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()
    if result is None or result[0] != "ok":
        raise BackupError(f"{what} không toàn vẹn: {result[0] if result else 'không rõ'}.")
    has_version = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_version:
        raise BackupError(f"{what} không phải cơ sở dữ liệu của Bộ phận Một cửa.")


def backup(source: Path, dest: Path) -> Path:
    """Copy the live database to `dest` (while others keep working) and verify the copy.

    The copy is written to a temporary file beside `dest` and renamed only once it checks out,
    so a full disk or a killed process never leaves a half-written backup under the real name.
    """
    dest = dest.expanduser().resolve()
    if dest.is_dir():
        dest = dest / f"desk-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")
            _check(dst, "Bản sao lưu")
        tmp.replace(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"Không sao lưu được: {exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def restore(source: Path, target: Path) -> Path | None:
    """Replace the database at `target` with the backup `source`, after checking the backup.

    The current database is first saved beside it (…before-restore-<time>.sqlite3); the
    restore itself goes through the backup API into the target, which is one transaction.
    Returns the path of the safety copy, or None when there was no database yet.
    """
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
            _check(src, "Tệp sao lưu")
        safety: Path | None = None
        if target.exists():
            safety = backup(
                target,
                target.with_name(
                    f"{target.stem}.before-restore-{datetime.now():%Y%m%d-%H%M%S}{target.suffix}"
                ),
            )
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(target, timeout=15)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP)
            _check(dst, "Cơ sở dữ liệu sau khi phục hồi")
    except sqlite3.Error as exc:
        raise BackupError(f"Không phục hồi được: {exc}.") from exc
    return safety
