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
