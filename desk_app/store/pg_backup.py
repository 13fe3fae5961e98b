"""Backup and restore of a centre's PostgreSQL database with pg_dump, checked before it counts.

The counterpart of store/backup.py (SQLite's online backup). A backup is one `pg_dump
--format=custom` file taken from a snapshot that is exported for the purpose, so the rows of
every table can be counted in exactly the state the dump holds. The dump is written to a
temporary file beside its destination, flushed, and checked: its table of contents must list
the data of the desk's key tables, and, where the role may create a database, it is restored
into a scratch database whose every table must hold as many rows as the source did; only then
is it renamed into place. A restore runs the same check first, refuses a dump of a newer schema,
keeps a checked copy of the current database, and replaces it in one transaction.

The password goes to the client programs through their environment (PGPASSWORD), never on the
command line, where every account on the machine could read it (ps).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from desk_app.pg_engine import CONNECT_TIMEOUT_S, WRITER_LOCK_KEY, pg_engine, redacted
from desk_app.store.backup import (
    BackupError,
    _backup_destination,
    _failures,
    _fsync,
    _known_revision,
    _remove,
    _temp_beside,
)
from desk_app.store.pages import damage_report, server_damaged_pages

# The tables whose data a desk's dump must carry (a dump without them is no desk's backup).
KEY_TABLES = ("alembic_version", "desk_settings", "users", "files", "applicants", "events")
DUMP_SUFFIX = ".pgdump"
# Where the PostgreSQL client programs are when they are neither in the newest Debian folder
# nor on PATH (a Windows install, a portable copy).
BIN_VARIABLE = "DESK_PG_BIN"
# PostgreSQL's SQLSTATEs met here.
_INSUFFICIENT_PRIVILEGE = "42501"
_LOCK_NOT_AVAILABLE = "55P03"

SERVER_IN_USE = (
    "Cơ sở dữ liệu trên máy chủ đang được một quầy khác ghi và không nhường quyền ghi; chưa có "
    "gì bị thay đổi. Hãy thử lại khi các quầy ngừng ghi (ví dụ ngoài giờ làm việc)."
)


@dataclass(frozen=True)
class DumpCheck:
    """What a dump was checked against: `tables` tables of `rows` rows in all; `scratch` when
    it was restored into a scratch database and counted there (otherwise its table of contents
    and its schema revision were read, for want of the right to create a database)."""

    revision: str
    tables: int
    rows: int
    scratch: bool


@dataclass(frozen=True)
class ServerBackup:
    path: Path
    check: DumpCheck


@dataclass(frozen=True)
class ServerRestore:
    """`safety`: the checked copy of what the database held before (None: it was empty)."""

    safety: Path | None
    check: DumpCheck


def client_tool(name: str) -> Path:
    """The PostgreSQL client program `name` (pg_dump, pg_restore): from DESK_PG_BIN, the
    newest Debian PostgreSQL folder, or PATH."""
    exe = name + (".exe" if sys.platform == "win32" else "")
    given = os.environ.get(BIN_VARIABLE)
    if given and (Path(given) / exe).is_file():
        return Path(given) / exe
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{exe}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    on_path = shutil.which(exe)
    if on_path:
        return Path(on_path)
    raise BackupError(
        f"Không tìm thấy chương trình {name} của PostgreSQL trên máy này. Hãy cài gói "
        "postgresql-client (scripts/setup.sh cài sẵn) hoặc đặt biến môi trường "
        f"{BIN_VARIABLE} là thư mục chứa {exe}."
    )


def connection_for_tools(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string for `url` without its password, and the environment for
    the client programs, which carries the password (PGPASSWORD)."""
    from psycopg.conninfo import make_conninfo

    parsed = make_url(url)
    params: dict[str, str] = {}
    query = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
    password = query.pop("password", None) or parsed.password
    if parsed.host:
        params["host"] = parsed.host
    if parsed.port:
        params["port"] = str(parsed.port)
    if parsed.username:
        params["user"] = parsed.username
    if parsed.database:
        params["dbname"] = parsed.database
    params.update(query)
    env = dict(os.environ)
    env["PGCONNECT_TIMEOUT"] = str(CONNECT_TIMEOUT_S)
    env["PGAPPNAME"] = "one-stop-desk"
    if password:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**params), env


def _detail(stderr: str) -> str:
    """The client's first error line, without the program's name in front."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error:" in line or "FATAL" in line or "ERROR" in line:
            return re.sub(r"^(pg_dump|pg_restore):\s*(error:\s*)?", "", line)
    return lines[0] if lines else "không rõ lý do"


def _run(argv: list[str], env: Mapping[str, str], what: str) -> str:
    """Run a client program; its stdout, or BackupError `what: <the program's reason>`."""
    try:
        done = subprocess.run(
            argv, env=dict(env), capture_output=True, text=True, encoding="utf-8", check=False
        )
    except OSError as exc:
        raise BackupError(f"{what}: {exc.strerror or exc}.") from exc
    if done.returncode != 0:
        raise BackupError(f"{what}: {_detail(done.stderr)}")
    return done.stdout


def _tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    return env


def dump_tables(path: Path) -> set[str]:
    """The tables whose data the dump at `path` holds ("schema.table"); BackupError for a file
    that is no readable pg_dump archive or that lacks the desk's key tables."""
    listing = _run(
        [str(client_tool("pg_restore")), "--list", str(path)],
        _tool_env(),
        f"{path.name} không phải tệp sao lưu của cơ sở dữ liệu trên máy chủ hoặc đã hỏng",
    )
    tables = {
        f"{m.group(1)}.{m.group(2)}"
        for m in re.finditer(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ", listing, re.MULTILINE)
    }
    missing = [t for t in KEY_TABLES if not any(x.endswith("." + t) for x in tables)]
    if missing:
        raise BackupError(
            f"{path.name} không phải bản sao lưu của Bộ phận Một cửa "
            f"(thiếu dữ liệu của bảng {', '.join(missing)})."
        )
    return tables


def dump_revision(path: Path) -> str:
    """The schema revision recorded in the dump at `path` (its alembic_version row)."""
    script = _run(
        [
            *(str(client_tool("pg_restore")), "--data-only", "--table=alembic_version"),
            *("--file=-", str(path)),
        ],
        _tool_env(),
        f"Không đọc được phiên bản lược đồ trong {path.name}",
    )
    match = re.search(r"^COPY \S*alembic_version .*FROM stdin;\n([^\n\\]+)\n", script, re.M)
    if match is None:
        raise BackupError(
            f"{path.name} không ghi phiên bản lược đồ; không phải bản sao lưu hợp lệ."
        )
    return match.group(1).strip()


def row_counts(conn: Connection) -> dict[str, int]:
    """Every table of the database's own schemas and its number of rows, as `conn` sees them."""
    names = conn.execute(
        text(
            "SELECT format('%I.%I', schemaname, tablename), schemaname || '.' || tablename "
            "FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
            "AND schemaname NOT LIKE 'pg\\_%' ORDER BY 2"
        )
    ).all()
    return {
        str(plain): int(conn.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one())
        for quoted, plain in names
    }


def _compare(expected: Mapping[str, int], found: Mapping[str, int], what: str) -> None:
    if set(found) != set(expected):
        missing = sorted(set(expected) - set(found)) or sorted(set(found) - set(expected))
        raise BackupError(f"{what} không khớp: khác nhau ở bảng {', '.join(missing)}.")
    for table, rows in expected.items():
        if found[table] != rows:
            raise BackupError(
                f"{what} không khớp: bảng {table} có {found[table]} dòng, bản gốc có {rows} dòng."
            )


def _refuse_damaged_pages(conn: Connection, what: str) -> None:
    """BackupError naming each file whose scanned page is missing from page_blobs or no longer
    hashes to its SHA-256 (the bytea rows travel in the dump; this checks they arrived whole)."""
    damaged = server_damaged_pages(conn)
    if damaged:
        raise BackupError(
            f"{what}: {len(damaged)} trang bản quét bị mất hoặc bị thay đổi:\n"
            + damage_report(damaged)
        )


def _check_pages_at(url: str, what: str) -> None:
    engine = pg_engine(url)
    try:
        with engine.connect() as conn:
            _refuse_damaged_pages(conn, what)
    except SQLAlchemyError as exc:
        raise _server_failure(url, exc) from exc
    finally:
        engine.dispose()


def _server_failure(url: str, exc: SQLAlchemyError) -> BackupError:
    orig = getattr(exc, "orig", None)
    first = str(orig or exc).strip().splitlines()
    return BackupError(
        f"Lỗi khi làm việc với máy chủ cơ sở dữ liệu {redacted(url)}: "
        f"{first[0] if first else 'không rõ lý do'}"
    )


def _pg_restore(dump: Path, url: str, *, clean: bool, what: str) -> None:
    """Load `dump` into the database at `url` in one transaction (all or nothing), the objects
    owned by the connecting role (the desk program's)."""
    conninfo, env = connection_for_tools(url)
    argv = [
        *(str(client_tool("pg_restore")), "--exit-on-error", "--single-transaction"),
        *("--no-owner", "--no-acl", f"--dbname={conninfo}"),
    ]
    if clean:
        argv += ["--clean", "--if-exists"]
    _run([*argv, str(dump)], env, what)


def _pg_dump(url: str, dest: Path, snapshot: str | None = None) -> None:
    conninfo, env = connection_for_tools(url)
    argv = [str(client_tool("pg_dump")), "--format=custom", f"--file={dest}"]
    if snapshot is not None:
        argv.append(f"--snapshot={snapshot}")
    _run([*argv, f"--dbname={conninfo}"], env, "Không sao lưu được cơ sở dữ liệu trên máy chủ")
    with _failures("Không ghi được tệp sao lưu"):
        _fsync(dest)


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str | None]:
    """A new empty database beside the one at `url`, dropped afterwards; None when the role
    may not create databases (the least-privilege set-up may deny it)."""
    name = f"desk_check_{secrets.token_hex(6)}"
    engine = pg_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        try:
            with engine.connect() as conn:
                encoding = conn.execute(
                    text(
                        "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                        "WHERE datname = current_database()"
                    )
                ).scalar_one()
                conn.execute(
                    text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING '{encoding}'")
                )
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
                yield None
                return
            raise _server_failure(url, exc) from exc
        try:
            yield make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            with contextlib.suppress(SQLAlchemyError), engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def _counts_at(url: str) -> dict[str, int]:
    engine = pg_engine(url)
    try:
        with engine.connect() as conn:
            return row_counts(conn)
    except SQLAlchemyError as exc:
        raise _server_failure(url, exc) from exc
    finally:
        engine.dispose()


def check_dump(dump: Path, url: str, expected: Mapping[str, int] | None) -> DumpCheck:
    """Check the dump at `dump`: its table of contents and schema revision, then, where the
    role at `url` may create a database, a restore into a scratch one whose row counts must
    equal `expected` (the source's, in the dump's snapshot) when given."""
    tables = dump_tables(dump)
    revision = dump_revision(dump)
    with scratch_database(url) as scratch:
        if scratch is None:
            rows = sum(expected.values()) if expected else 0
            return DumpCheck(revision, len(tables), rows, scratch=False)
        _pg_restore(dump, scratch, clean=False, what=f"Tệp sao lưu {dump.name} hỏng")
        found = _counts_at(scratch)
        _check_pages_at(scratch, f"Tệp sao lưu {dump.name} hỏng")
    if expected is not None:
        _compare(expected, found, "Bản sao lưu")
    return DumpCheck(revision, len(found), sum(found.values()), scratch=True)


def backup_server(
    url: str, dest: Path | str, *, force: bool = False, now: datetime | None = None
) -> ServerBackup:
    """Dump the centre's database at `url` to `dest` (a file, or a folder for a dated name)
    while the counters keep working, check the dump, and only then give it its name."""
    path = _backup_destination(None, dest, force, now or datetime.now(), DUMP_SUFFIX)
    with _failures(f"Không sao lưu được vào {path.parent}"):
        tmp = _temp_beside(path, "backup")
    engine = pg_engine(url)
    try:
        try:
            snapshot_engine = engine.execution_options(isolation_level="REPEATABLE READ")
            with snapshot_engine.connect() as conn:
                conn.execute(text("SET TRANSACTION READ ONLY"))
                # The dump and the counts read one snapshot: what is counted is what is dumped.
                snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
                expected = row_counts(conn)
                _refuse_damaged_pages(conn, "Không sao lưu được")
                _pg_dump(url, tmp, snapshot)
                conn.rollback()
        except SQLAlchemyError as exc:
            raise _server_failure(url, exc) from exc
        check = check_dump(tmp, url, expected)
        with _failures("Không sao lưu được"):
            if not force and path.exists():
                raise BackupError(f"Tệp {path} vừa được tạo bởi người khác; không ghi đè.")
            tmp.replace(path)
            _fsync(path.parent, folder=True)
    finally:
        engine.dispose()
        _remove(tmp)
    return ServerBackup(path, check)


def _safety_path(folder: Path, url: str, now: datetime) -> Path:
    base = f"{make_url(url).database or 'desk'}.before-restore-{now:%Y%m%d-%H%M%S}"
    path, n = folder / f"{base}{DUMP_SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}{DUMP_SUFFIX}"
    return path


@contextlib.contextmanager
def _writers_stopped(url: str) -> Iterator[Connection]:
    """Hold the desk writers' lock (a session-level advisory lock on the key their
    transactions take) so no counter commits while the database is copied and replaced."""
    engine = pg_engine(url)
    try:
        with engine.connect() as conn:
            try:
                conn.execute(text(f"SELECT pg_advisory_lock({WRITER_LOCK_KEY})"))
                conn.commit()
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                    raise BackupError(SERVER_IN_USE) from exc
                raise _server_failure(url, exc) from exc
            try:
                yield conn
            finally:
                with contextlib.suppress(SQLAlchemyError):
                    conn.execute(text(f"SELECT pg_advisory_unlock({WRITER_LOCK_KEY})"))
                    conn.commit()
    except SQLAlchemyError as exc:
        raise _server_failure(url, exc) from exc
    finally:
        engine.dispose()


def restore_server(
    source: Path, url: str, keep_dir: Path, *, now: datetime | None = None
) -> ServerRestore:
    """Replace the centre's database at `url` with the dump `source`, after checking the dump.

    Nothing on the server changes before the dump has been checked (table of contents, a schema
    revision this program knows, and where allowed a restore into a scratch database that is
    then migrated to this program's schema). The current content is then dumped and checked into
    `keep_dir` (…before-restore-<time>.pgdump) while the writers' lock is held, and the database
    is replaced in one transaction under the same lock.
    """
    from desk_app.store.migrate import head_revision, upgrade

    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    when = now or datetime.now()
    dump_tables(source)
    _known_revision(dump_revision(source))
    with _failures(f"Không tạo được tệp tạm trong {keep_dir}"):
        keep_dir.mkdir(parents=True, exist_ok=True)
        staged = _temp_beside(keep_dir / f"restore{DUMP_SUFFIX}", "restore")
    try:
        with scratch_database(url) as scratch:
            if scratch is not None:
                _pg_restore(source, scratch, clean=False, what=f"Tệp sao lưu {source.name} hỏng")
                # Migrated where it harms nothing: the database is then replaced by a copy at
                # this program's schema, whose objects are exactly those --clean drops.
                upgrade(scratch)
                _check_pages_at(scratch, f"Tệp sao lưu {source.name} hỏng; chưa phục hồi gì")
                expected: dict[str, int] | None = _counts_at(scratch)
                _pg_dump(scratch, staged)
            else:
                expected = None
                with _failures(f"Không chép được tệp sao lưu vào {keep_dir}"):
                    shutil.copyfile(source, staged)
        with _writers_stopped(url) as conn:
            current = row_counts(conn)
            conn.rollback()
            if expected is None and set(current) - dump_tables(staged):
                raise BackupError(
                    "Cơ sở dữ liệu trên máy chủ có bảng mà bản sao lưu không có (lược đồ mới "
                    "hơn); cần quyền tạo cơ sở dữ liệu tạm (CREATEDB) để nâng cấp bản sao lưu "
                    "trước khi phục hồi. Cơ sở dữ liệu không bị thay đổi."
                )
            safety = backup_server(url, _safety_path(keep_dir, url, when)).path if current else None
            try:
                _pg_restore(
                    staged, url, clean=True, what="Không phục hồi được; cơ sở dữ liệu không đổi"
                )
            except BaseException:
                if safety is not None:
                    _remove(safety)
                raise
            if expected is None and dump_revision(staged) != head_revision():
                upgrade(url)
            found = _counts_at(url)
            _check_pages_at(url, "Cơ sở dữ liệu sau khi phục hồi")
        if expected is not None:
            _compare(expected, found, "Cơ sở dữ liệu sau khi phục hồi")
    finally:
        _remove(staged)
    return ServerRestore(
        safety, DumpCheck(head_revision(), len(found), sum(found.values()), expected is not None)
    )
