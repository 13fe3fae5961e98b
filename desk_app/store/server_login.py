"""The centre's server this PC opens when started without --db, and its password.

Where the server is (host, port, database, user, TLS mode) is per-machine preference; the
password is kept as the department token is (desk_app/sync/secret.py): in the user's own
configuration folder, encrypted with DPAPI for the current Windows account, elsewhere in a file
only its owner may read. Never in the database, never in the preferences file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from desk_app.errors import ValidationError
from desk_app.sync.secret import default_store, read_secret, write_secret

DEFAULT_PORT = 5432
# libpq's sslmode values offered: verify-full checks the server's certificate and its name
# (the LAN set-up the README describes); require encrypts without checking; disable is for a
# server on this very machine.
TLS_MODES = ("verify-full", "require", "prefer", "disable")


@dataclass(frozen=True)
class ServerLogin:
    """Where the centre's database is, without the password."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "desk"
    user: str = "desk"
    sslmode: str = "verify-full"

    def checked(self) -> ServerLogin:
        """The same login, trimmed; ValidationError (Vietnamese, by field) when incomplete."""
        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        if not host:
            raise ValidationError("Cần địa chỉ máy chủ (tên máy hoặc địa chỉ IP).", field="host")
        if not 0 < self.port < 65536:
            raise ValidationError("Cổng phải từ 1 đến 65535.", field="port")
        if not database:
            raise ValidationError("Cần tên cơ sở dữ liệu.", field="database")
        if not user:
            raise ValidationError("Cần tên người dùng trên máy chủ.", field="user")
        if self.sslmode not in TLS_MODES:
            raise ValidationError("Chế độ mã hóa không hợp lệ.", field="sslmode")
        return ServerLogin(host, self.port, database, user, self.sslmode)

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (postgresql+psycopg://…), with `password` when given. A host that
        is a folder (a Unix socket's, as libpq takes it) goes in the query, where a path fits."""
        socket = self.host.startswith("/")
        query = {"sslmode": self.sslmode}
        if socket:
            query |= {"host": self.host, "port": str(self.port)}
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=password or None,
            host=None if socket else self.host,
            port=None if socket else self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    def key(self) -> str:
        """The name its password is kept under: another server, port, database or user is
        another password."""
        where = f"{self.user}@{self.host}:{self.port}/{self.database}"
        return hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]


class PasswordStore:
    """Server passwords by login, one small owner-only file each in `folder`."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_store().folder

    def _path(self, login: ServerLogin) -> Path:
        return self.folder / f"centre-password-{login.key()}.bin"

    def load(self, login: ServerLogin) -> str | None:
        return read_secret(self._path(login))

    def save(self, login: ServerLogin, password: str) -> None:
        """Keep `password` for `login` (an empty one forgets it)."""
        write_secret(self._path(login), password)

    def has(self, login: ServerLogin) -> bool:
        return self.load(login) is not None
