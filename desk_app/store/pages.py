"""The bytes of scanned pages behind one interface, named by their SHA-256.

- A solo desk (SQLite): a content-addressed folder beside the database, `<db>.pages/ab/<sha256>`
  (`ab` the name's first two characters, so no folder holds too many files). A page is written
  to a temporary file in its folder, flushed to disk and renamed into place, so a name never
  holds half a page; the same bytes twice are stored once. Bytes are written before the rows
  that name them commit, so a row never names a page the folder lacks; a change rolled back
  leaves its page unnamed in the folder (harmless, and not carried by backups).
- A centre (PostgreSQL): the `page_blobs` table (bytea), one row per distinct page. Chosen over
  large objects because rows travel in `pg_dump` with the rest of the register and are counted
  by the backup's check, are deleted and rolled back with the transaction that wrote them, need
  no lo_unlink bookkeeping, and can be verified by the server itself (`sha256(data)`); a scanned
  page is a few hundred kilobytes, far below bytea's 1 GB limit.

The database holds the references (scan_pages: sha256, size, media type); `damaged_pages`
checks every reference against the store and names the file each damaged page belongs to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from desk_app.errors import DeskError
from desk_app.store.models import PageBlob

MISSING, ALTERED = "missing", "altered"
PROBLEM_WORDS = {MISSING: "mất", ALTERED: "bị thay đổi"}


class PageMissingError(DeskError):
    code = "page_missing"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PageStore(ABC):
    """Where page bytes live; `put` returns the bytes' SHA-256, their name."""

    @abstractmethod
    def put(self, data: bytes) -> str: ...

    @abstractmethod
    def get(self, sha256: str) -> bytes:
        """The page's bytes; PageMissingError when the store has none under that name."""

    @abstractmethod
    def problems(self, names: set[str]) -> dict[str, str]:
        """The names among `names` whose bytes are missing or no longer hash to the name."""


def pages_folder(database: Path) -> Path:
    """The page folder of the SQLite database at `database`."""
    return database.with_name(database.name + ".pages")


def _fsync_folder(path: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to flush it; NTFS journals the rename itself
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderStore(PageStore):
    """A content-addressed folder: `root/ab/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _holds(self, path: Path, sha256: str) -> bool:
        try:
            return sha256_of(path.read_bytes()) == sha256
        except OSError:
            return False

    def put(self, data: bytes) -> str:
        name = sha256_of(data)
        path = self.path_of(name)
        if self._holds(path, name):
            return name  # the same bytes are stored once
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name[:12]}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
        _fsync_folder(path.parent)
        return name

    def get(self, sha256: str) -> bytes:
        try:
            return self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise PageMissingError(f"Không tìm thấy trang {sha256[:12]}… trong kho.") from None

    def problems(self, names: set[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in sorted(names):
            path = self.path_of(name)
            if not path.is_file():
                found[name] = MISSING
            elif not self._holds(path, name):
                found[name] = ALTERED
        return found


class TableStore(PageStore):
    """The page_blobs table of the session's database (a centre's PostgreSQL)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, data: bytes) -> str:
        name = sha256_of(data)
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = pg_insert(PageBlob).values(sha256=name, data=data)
            self.session.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))
        elif self.session.get(PageBlob, name) is None:
            self.session.add(PageBlob(sha256=name, data=data))
            self.session.flush()
        return name

    def get(self, sha256: str) -> bytes:
        data = self.session.scalar(select(PageBlob.data).where(PageBlob.sha256 == sha256))
        if data is None:
            raise PageMissingError(f"Không tìm thấy trang {sha256[:12]}… trong kho.")
        return bytes(data)

    def problems(self, names: set[str]) -> dict[str, str]:
        if not names:
            return {}
        if self.session.get_bind().dialect.name == "postgresql":
            # The server hashes its own rows: no page crosses the network to be checked.
            held = {
                str(name): bool(ok)
                for name, ok in self.session.execute(
                    text(
                        "SELECT sha256, encode(sha256(data), 'hex') = sha256 FROM page_blobs"
                        " WHERE sha256 = ANY(:names)"
                    ),
                    {"names": sorted(names)},
                )
            }
        else:
            held = {
                str(name): sha256_of(bytes(data)) == name
                for name, data in self.session.execute(
                    select(PageBlob.sha256, PageBlob.data).where(PageBlob.sha256.in_(names))
                )
            }
        return {
            name: (ALTERED if name in held else MISSING)
            for name in sorted(names)
            if not held.get(name, False)
        }


def database_file(session: Session) -> Path | None:
    """The SQLite file the session works on (None on a server)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    name = bind.engine.url.database
    return Path(name).resolve() if name and name != ":memory:" else None


def page_store(session: Session) -> PageStore:
    """The store of the session's database: the folder beside an SQLite file, else the table."""
    path = database_file(session)
    return FolderStore(pages_folder(path)) if path is not None else TableStore(session)


@dataclass(frozen=True)
class PageDamage:
    """A page whose bytes are missing from the store or no longer match their SHA-256."""

    file_code: str
    kind: str
    line: int
    seq: int
    sha256: str
    problem: str  # MISSING or ALTERED

    def describe(self) -> str:
        where = "kết quả" if self.kind == "result" else f"giấy tờ thứ {self.line + 1}"
        return (
            f"Hồ sơ {self.file_code}, {where}, trang {self.seq + 1}: "
            f"{PROBLEM_WORDS[self.problem]} ({self.sha256[:12]}…)"
        )


REFERENCES_SQL = (
    "SELECT f.code, p.kind, p.line, p.seq, p.sha256 FROM scan_pages p"
    " JOIN files f ON f.id = p.file_id ORDER BY f.code, p.kind, p.line, p.seq"
)


def damages(
    references: list[tuple[str, str, int, int, str]], found: dict[str, str]
) -> list[PageDamage]:
    """The references (file code, kind, line, seq, sha256) whose name is in `found`."""
    return [
        PageDamage(str(code), str(kind), int(line), int(seq), str(sha), found[sha])
        for code, kind, line, seq, sha in references
        if sha in found
    ]


def damaged_pages(session: Session, store: PageStore | None = None) -> list[PageDamage]:
    """Every page the register refers to whose bytes are missing or altered in the store."""
    refs = [
        (str(code), str(kind), int(line), int(seq), str(sha))
        for code, kind, line, seq, sha in session.execute(text(REFERENCES_SQL))
    ]
    store = store or page_store(session)
    return damages(refs, store.problems({r[4] for r in refs}))


def damage_report(found: list[PageDamage], limit: int = 20) -> str:
    """The damaged pages as lines for a message, the first `limit` of them."""
    lines = [d.describe() for d in found[:limit]]
    if len(found) > limit:
        lines.append(f"… và {len(found) - limit} trang khác.")
    return "\n".join(lines)


# A server's own check of its pages, one statement: the server hashes its rows.
_SERVER_CHECK_SQL = """
SELECT f.code, p.kind, p.line, p.seq, p.sha256,
  CASE WHEN b.sha256 IS NULL THEN 'missing' ELSE 'altered' END
FROM scan_pages p JOIN files f ON f.id = p.file_id
LEFT JOIN page_blobs b ON b.sha256 = p.sha256
WHERE b.sha256 IS NULL OR encode(sha256(b.data), 'hex') <> p.sha256
ORDER BY f.code, p.kind, p.line, p.seq"""


def server_damaged_pages(conn: Connection) -> list[PageDamage]:
    """The damaged pages of a centre's PostgreSQL database as `conn` sees it (none when the
    schema predates digitising)."""
    if conn.execute(text("SELECT to_regclass('scan_pages')")).scalar_one() is None:
        return []
    return [
        PageDamage(str(code), str(kind), int(line), int(seq), str(sha), str(problem))
        for code, kind, line, seq, sha, problem in conn.execute(text(_SERVER_CHECK_SQL))
    ]


def copy_pages(
    src: Connection, src_file: Path, dst: Connection, dst_file: Path | None
) -> list[PageDamage]:
    """Put every page the solo desk at `src` (its SQLite file `src_file`) refers to into the
    store of the database at `dst` (a centre's page_blobs, or the folder beside `dst_file`),
    each checked against its SHA-256 first (`db copy`). Returns the source's damaged pages
    (none copied then is the caller's to decide)."""
    refs = [
        (str(code), str(kind), int(line), int(seq), str(sha))
        for code, kind, line, seq, sha in src.execute(text(REFERENCES_SQL))
    ]
    source = FolderStore(pages_folder(src_file))
    target = FolderStore(pages_folder(dst_file)) if dst_file is not None else None
    bad: dict[str, str] = {}
    for name in sorted({r[4] for r in refs}):
        try:
            data = source.get(name)
        except PageMissingError:
            bad[name] = MISSING
            continue
        if sha256_of(data) != name:
            bad[name] = ALTERED
        elif target is not None:
            target.put(data)
        else:
            dst.execute(
                text(
                    "INSERT INTO page_blobs (sha256, data) VALUES (:sha, :data)"
                    " ON CONFLICT (sha256) DO NOTHING"
                ),
                {"sha": name, "data": data},
            )
    return damages(refs, bad)
