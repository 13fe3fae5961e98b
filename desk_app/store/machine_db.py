"""Which database this PC opens: one rule for the window and the command line.

The database named on the command line (--db) first; else the centre's server saved for this
PC in Settings › Máy này (its password from the user's secret store); else the user's own
SQLite file (store.engine.default_database_path). The window keeps the server's address in its
per-machine preferences file through QSettings (ui/prefs.Prefs.set_centre_login); it is a plain
INI file, read here without Qt, so the command line needs no Qt to find it.
"""

from __future__ import annotations

import configparser
from pathlib import Path

import platformdirs

from desk_app.store.engine import Target
from desk_app.store.server_login import DEFAULT_PORT, TLS_MODES, PasswordStore, ServerLogin

CENTRE_GROUP = "centre"  # the group of ui/prefs.Prefs's centre/* keys


def default_prefs_path() -> Path:
    """The window's per-machine preferences file (ui/prefs.default_prefs_path)."""
    return Path(platformdirs.user_config_dir("one-stop-desk", appauthor=False)) / "desk.ini"


def _value(parser: configparser.ConfigParser, key: str, default: str) -> str:
    # QSettings quotes a value holding a separator or outer spaces ("…").
    text = parser.get(CENTRE_GROUP, key, fallback=default).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text


def saved_login(prefs_path: Path | None = None) -> ServerLogin | None:
    """The centre's server saved for this PC (None: none saved, or no readable file); the same
    reading, with the same fallbacks, as ui/prefs.Prefs.centre_login."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(prefs_path or default_prefs_path(), encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    host = _value(parser, "host", "")
    if not host:
        return None
    try:
        port = int(_value(parser, "port", str(DEFAULT_PORT)))
    except ValueError:
        port = DEFAULT_PORT
    sslmode = _value(parser, "sslmode", TLS_MODES[0])
    return ServerLogin(
        host=host,
        port=port,
        database=_value(parser, "database", "desk"),
        user=_value(parser, "user", "desk"),
        sslmode=sslmode if sslmode in TLS_MODES else TLS_MODES[0],
    )


def saved_server(
    prefs_path: Path | None = None, passwords: PasswordStore | None = None
) -> str | None:
    """The URL of the centre's server saved for this PC, with its password when one is kept;
    None: this PC's own SQLite file."""
    login = saved_login(prefs_path)
    if login is None:
        return None
    store = passwords if passwords is not None else PasswordStore()
    return login.url(store.load(login))


def chosen_target(
    given: Target | None,
    *,
    prefs_path: Path | None = None,
    passwords: PasswordStore | None = None,
) -> Target | None:
    """The database to open: `given` (--db) when named, else the saved centre's server, else
    None (open_database then takes the user's own SQLite file)."""
    if given is not None:
        return given
    return saved_server(prefs_path, passwords)
