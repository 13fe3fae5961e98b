"""The desk's token for the department, kept where only the signed-in user can read it.

The token is not stored in the desk database (which may be copied, backed up or opened by other
accounts). It lives in the user's own configuration folder: on Windows encrypted with DPAPI for
the current user (another Windows account on the machine cannot decrypt it, even an
administrator copying the file), elsewhere in a file only its owner may read (mode 0600).

A centre's database is on a server (centre mode): the token is still kept on each counter PC
that syncs, the same way, under a key made of the database's install id and its URL without
password (`token_key`), so that a copy of the centre's database on another server (a test
server restored from a backup) never sends with the real server's token.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from pathlib import Path

from platformdirs import user_config_dir
from sqlalchemy.engine import URL, make_url

from desk_app.errors import ValidationError
from desk_app.store.engine import APP_DIR_NAME

_ENV_FOLDER = "DESK_SECRETS_DIR"  # tests and portable installs point this elsewhere


def check_token(token: str) -> str:
    token = token.strip()
    if not token:
        return ""
    if len(token) < 16 or len(token) > 200 or any(c.isspace() for c in token):
        raise ValidationError(
            "Mã truy cập (token) do Sở cấp phải liền một dòng, từ 16 đến 200 ký tự.", field="token"
        )
    return token


def token_key(install_id: str, database_url: URL | str) -> str:
    """The name the token of the database at `database_url` is kept under: its install id for an
    SQLite file (as before centre mode, so a solo desk's saved token stays found), the install
    id and a fingerprint of the server's URL without password for a centre database (a changed
    password keeps it; another server, port, database or user does not)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return install_id
    # Built afresh: URL.set() takes a password of None for "leave it as it is".
    bare = URL.create(
        url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query={k: v for k, v in url.query.items() if k != "password"},
    )
    where = bare.render_as_string(hide_password=False)
    return f"{install_id}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:16]}"


def read_secret(path: Path) -> str | None:
    """The secret kept in `path` (None: none kept, or one this account cannot read)."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return _unprotect(blob).decode("utf-8")
    except (OSError, ValueError):
        return None  # written by another account or damaged: ask for it again


def write_secret(path: Path, value: str) -> None:
    """Keep `value` in `path`, protected for this account and readable by it alone (an empty
    value forgets it); the tokens and the centre's server passwords are kept this one way."""
    if not value:
        path.unlink(missing_ok=True)
        return
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        folder.chmod(0o700)
    tmp = path.with_suffix(".tmp")
    # Created with owner-only permissions from the start, then moved over the old one.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(_protect(value.encode("utf-8")))
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


class SecretStore:
    """Tokens by key (`token_key`), one small file each in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, install_id: str) -> Path:
        safe = "".join(c for c in install_id if c.isalnum()) or "desk"
        return self.folder / f"department-token-{safe}.bin"

    def load(self, install_id: str) -> str | None:
        return read_secret(self._path(install_id))

    def save(self, install_id: str, token: str) -> None:
        write_secret(self._path(install_id), check_token(token))


def default_store() -> SecretStore:
    folder = os.environ.get(_ENV_FOLDER)
    return SecretStore(Path(folder) if folder else Path(user_config_dir(APP_DIR_NAME, False)))


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    class _Blob(ctypes.Structure):
        _fields_ = (("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char)))

    def _call(fn_name: str, data: bytes) -> bytes:
        crypt32 = ctypes.windll.crypt32
        kernel32 = ctypes.windll.kernel32
        buffer = ctypes.create_string_buffer(data, len(data))  # kept alive until the call ends
        source = _Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
        target = _Blob()
        fn = getattr(crypt32, fn_name)
        # CRYPTPROTECT_UI_FORBIDDEN: never show a prompt from a background thread.
        if not fn(ctypes.byref(source), None, None, None, None, 0x1, ctypes.byref(target)):
            raise OSError("DPAPI failed")
        try:
            return ctypes.string_at(target.pbData, target.cbData)
        finally:
            kernel32.LocalFree(target.pbData)

    def _protect(data: bytes) -> bytes:
        return b"dpapi:" + base64.b64encode(_call("CryptProtectData", data))

    def _unprotect(blob: bytes) -> bytes:
        if not blob.startswith(b"dpapi:"):
            raise ValueError("not a DPAPI blob")
        return _call("CryptUnprotectData", base64.b64decode(blob[6:]))

else:

    def _protect(data: bytes) -> bytes:
        return b"plain:" + base64.b64encode(data)

    def _unprotect(blob: bytes) -> bytes:
        if not blob.startswith(b"plain:"):
            raise ValueError("unknown token file")
        return base64.b64decode(blob[6:])
