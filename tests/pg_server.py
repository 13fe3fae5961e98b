"""A throwaway PostgreSQL server for the test session (centre mode), or the one DESK_TEST_PG_URL
names.

The server is Debian's PostgreSQL (installed by scripts/setup.sh): `initdb` into a fresh folder,
started on a Unix socket only (no TCP port to collide with), with durability off since nothing
it holds outlives the session. Run as root (CI), the server runs as the `postgres` system user,
because PostgreSQL refuses to run as root.

Each test gets its own database, cloned from a migrated template (`CREATE DATABASE … TEMPLATE`),
as the SQLite tests get a copy of a migrated file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

URL_VARIABLE = "DESK_TEST_PG_URL"


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL server's bin folder (holding initdb and pg_ctl), if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@dataclass
class PgServer:
    """A PostgreSQL server the tests may create and drop databases on."""

    admin_url: str  # the maintenance database, as a superuser
    folder: Path | None = None  # our own server's folder (None: a server we were given)
    bin: Path | None = None
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def execute(self, sql: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def new_database(self, template: str | None = None, prefix: str = "t") -> str:
        """A new empty (or cloned) database's URL."""
        name = f"desk_{prefix}_{os.getpid()}_{next(self._names)}"
        self.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with contextlib.suppress(Exception):
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.folder is None or self.bin is None:
            return
        subprocess.run(
            _as_server_user(
                [
                    *(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data")),
                    *("-w", "-m", "immediate", "stop"),
                ]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


class NoServerError(RuntimeError):
    """Neither DESK_TEST_PG_URL nor Debian's PostgreSQL server packages are there."""


def start_server() -> PgServer:
    """DESK_TEST_PG_URL's server, or a new throwaway one (NoServerError when there is none)."""
    given = os.environ.get(URL_VARIABLE)
    if given:
        return PgServer(admin_url=given)
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise NoServerError(
            "No PostgreSQL server: install Debian's postgresql package (scripts/setup.sh does) "
            f"or set {URL_VARIABLE}."
        )
    # A short path: a Unix socket's path must stay under ~100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="deskpg-"))
    data, socket = folder / "data", folder / "s"
    socket.mkdir()
    if os.geteuid() == 0:
        folder.chmod(0o755)
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(socket, "postgres", "postgres")
    subprocess.run(
        _as_server_user(
            [
                *(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
                *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"),
            ]
        ),
        capture_output=True,
        check=True,
    )
    options = (
        f"-k {socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
    )
    subprocess.run(
        _as_server_user(
            [
                *(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60"),
                *("-l", str(folder / "server.log"), "start"),
            ]
        ),
        capture_output=True,
        check=True,
    )
    return PgServer(
        admin_url=f"postgresql+psycopg://postgres@/postgres?host={socket}",
        folder=folder,
        bin=bin_dir,
    )


# --- a database per test, without a CREATE DATABASE per test ----------------------------------
#
# Cloning the migrated template costs 0.3-1 s per test (the schema is many relations, each
# copied); with ~450 PostgreSQL tests that was minutes of `make test`. A pooled database is
# cloned once per worker and put back to the template's state before each test instead: every
# connection to it ended, every table emptied and refilled with the
# template's rows (COPY), every sequence set back. A test that changed more than rows (a table,
# a trigger, a grant, an owner, the migration head) leaves a different fingerprint: the database
# is then dropped and cloned afresh, so a test still starts from exactly the template.

_FINGERPRINT = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':'
                     || c.relowner::text || ':' || coalesce(c.relacl::text, ''), ','
                     ORDER BY n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'),
  (SELECT string_agg(attrelid::regclass::text || '.' || attname || coalesce(attacl::text, ''),
                     ',' ORDER BY attrelid::regclass::text, attname)
     FROM pg_attribute WHERE attacl IS NOT NULL),
  (SELECT string_agg(tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text, ','
                     ORDER BY tgrelid::regclass::text, tgname)
     FROM pg_trigger),
  (SELECT string_agg(p.oid::regprocedure::text || ':' || p.proowner::text
                     || coalesce(p.proacl::text, ''), ',' ORDER BY p.oid::regprocedure::text)
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')),
  (SELECT string_agg(nspname || ':' || nspowner::text || coalesce(nspacl::text, ''), ','
                     ORDER BY nspname) FROM pg_namespace),
  (SELECT count(*)::text FROM pg_default_acl),
  (SELECT string_agg(extname || extversion, ',' ORDER BY extname) FROM pg_extension),
  (SELECT d.datdba::text || coalesce(d.datacl::text, '') FROM pg_database d
    WHERE d.datname = current_database()),
  (SELECT string_agg(array_to_string(s.setconfig, ';'), ',') FROM pg_db_role_setting s
     JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database())
))
"""

_TABLES = """
SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
 WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
"""

_SEQUENCES = """
SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value),
       last_value IS NOT NULL
  FROM pg_sequences
 WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
"""


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


_END_CONNECTIONS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _end_connections(url: str) -> None:
    import psycopg

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(_conninfo(url), autocommit=True) as conn,
    ):
        conn.execute(_END_CONNECTIONS)


@dataclass(frozen=True)
class Snapshot:
    """What a pooled database holds when a test starts: its rows and its sequences."""

    fingerprint: str
    tables: tuple[str, ...]
    rows: tuple[tuple[str, bytes], ...]  # (table, its rows in COPY's text format), non-empty only
    sequences: tuple[tuple[str, int, bool], ...]  # setval's arguments

    @classmethod
    def take(cls, url: str) -> Snapshot:
        import psycopg

        with psycopg.connect(_conninfo(url), autocommit=True) as conn:
            fingerprint = str(conn.execute(_FINGERPRINT).fetchone()[0])  # type: ignore[index]
            tables = tuple(str(r[0]) for r in conn.execute(_TABLES))
            rows = []
            for table in tables:
                data = bytearray()
                with conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                    for block in copy:
                        data += block
                if data:
                    rows.append((table, bytes(data)))
            sequences = tuple((str(r[0]), int(r[1]), bool(r[2])) for r in conn.execute(_SEQUENCES))
        return cls(fingerprint, tables, tuple(rows), sequences)

    def restore(self, url: str) -> bool:
        """Put the database back to this snapshot; False (nothing done) when its fingerprint
        says the test changed more than rows."""
        import psycopg

        with psycopg.connect(_conninfo(url), autocommit=True) as conn:
            conn.execute(_END_CONNECTIONS)
            now = conn.execute(_FINGERPRINT).fetchone()[0]  # type: ignore[index]
            if now != self.fingerprint:
                return False
            with conn.transaction():
                # Triggers off (append-only guards, change notices, foreign keys): the rows go
                # back as they were taken. DELETE rather than TRUNCATE: a test leaves a few rows,
                # and TRUNCATE makes new files for every table and index (0.1-0.3 s).
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("; ".join(f"DELETE FROM {table}" for table in self.tables))
                for table, data in self.rows:
                    with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                        copy.write(data)
                if self.sequences:
                    calls = ", ".join("setval(%s, %s, %s)" for _ in self.sequences)
                    conn.execute(f"SELECT {calls}", [v for seq in self.sequences for v in seq])
        return True


@dataclass
class DatabasePool:
    """Databases cloned from a template once, each put back to the template before reuse."""

    server: PgServer
    template: str
    _free: list[str] = field(default_factory=list)
    _snapshots: dict[str, Snapshot] = field(default_factory=dict)

    def checkout(self) -> str:
        """A database holding exactly what the template holds, for one test."""
        import psycopg

        while self._free:
            url = self._free.pop()
            try:
                if self._snapshots[url].restore(url):
                    return url
            except psycopg.Error:  # e.g. a server given without superuser rights
                pass
            del self._snapshots[url]
            self.server.drop_database(url)
        url = self.server.new_database(template=self.template, prefix="pool")
        self._snapshots[url] = Snapshot.take(url)
        return url

    def checkin(self, url: str) -> None:
        """Take the database back after its test: what still holds a connection to it loses
        it now, within the test that made it (as DROP DATABASE … WITH (FORCE) did)."""
        _end_connections(url)
        self._free.append(url)
