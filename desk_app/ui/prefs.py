"""Per-machine window preferences (language, idle lock, geometry, each user's column layout,
the counter's name and the agencies it serves, the scanner's folder) in an INI file via QSettings.

Desk-wide configuration lives in the database; this is only what one PC remembers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from desk_app import machine_prefs
from desk_app.store.server_login import DEFAULT_PORT, TLS_MODES, ServerLogin

LANGUAGES = ("vi", "en")


def default_prefs_path() -> Path:
    return Path(platformdirs.user_config_dir("one-stop-desk", appauthor=False)) / "desk.ini"


class Prefs:
    """Typed access to the preferences; every key is declared here once with its default."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_prefs_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _get(self, key: str, default: object) -> object:
        return self._qs.value(key, default)

    @property
    def language(self) -> str:
        value = str(self._get("ui/language", "vi"))
        return value if value in LANGUAGES else "vi"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            msg = f"unknown language {value!r}"
            raise ValueError(msg)
        self._qs.setValue("ui/language", value)

    @property
    def lock_minutes(self) -> int:
        """Idle minutes before the screen locks; 0 turns the lock off."""
        try:
            return max(0, int(str(self._get("ui/lock_minutes", 10))))
        except ValueError:
            return 10

    @lock_minutes.setter
    def lock_minutes(self, value: int) -> None:
        self._qs.setValue("ui/lock_minutes", max(0, int(value)))

    @property
    def last_user(self) -> str:
        return str(self._get("ui/last_user", ""))

    @last_user.setter
    def last_user(self, value: str) -> None:
        self._qs.setValue("ui/last_user", value)

    @property
    def counter_name(self) -> str:
        """This computer's counter ("Quầy 3"): on the status bar, and on the files and steps
        it records; "" when not named."""
        key = f"{machine_prefs.COUNTER_GROUP}/{machine_prefs.COUNTER_NAME}"
        return machine_prefs.clean_counter_name(str(self._get(key, "")))

    @counter_name.setter
    def counter_name(self, value: str) -> None:
        key = f"{machine_prefs.COUNTER_GROUP}/{machine_prefs.COUNTER_NAME}"
        self._qs.setValue(key, machine_prefs.clean_counter_name(value))

    @property
    def scan_folder(self) -> Path | None:
        """The folder this computer's scanner writes to, watched by the intake form; None when
        not set. Per machine, like the counter's name: each counter has its own scanner."""
        value = str(self._get("scans/folder", "")).strip()
        return Path(value) if value else None

    @scan_folder.setter
    def scan_folder(self, value: Path | None) -> None:
        if value is None:
            self._qs.remove("scans/folder")
            return
        self._qs.setValue("scans/folder", str(value))

    def served_agencies(self, database: str) -> frozenset[int] | None:
        """The agencies this computer serves in `database` (its label); None: every one."""
        return machine_prefs.parse_agencies(str(self._get(self._served_key(database), "")))

    def set_served_agencies(self, database: str, agencies: Iterable[int] | None) -> None:
        """None or nothing ticked: the computer serves every agency of that database."""
        chosen = frozenset(agencies or ())
        if not chosen:
            self._qs.remove(self._served_key(database))
            return
        self._qs.setValue(self._served_key(database), machine_prefs.format_agencies(chosen))

    @staticmethod
    def _served_key(database: str) -> str:
        return f"{machine_prefs.SERVED_GROUP}/{machine_prefs.served_name(database)}"

    def centre_login(self) -> ServerLogin | None:
        """The centre's server this PC opens when started without --db (None: its own SQLite
        file). The password is not here: see store/server_login.PasswordStore."""
        host = str(self._get("centre/host", "")).strip()
        if not host:
            return None
        try:
            port = int(str(self._get("centre/port", DEFAULT_PORT)))
        except ValueError:
            port = DEFAULT_PORT
        sslmode = str(self._get("centre/sslmode", TLS_MODES[0]))
        return ServerLogin(
            host=host,
            port=port,
            database=str(self._get("centre/database", "desk")),
            user=str(self._get("centre/user", "desk")),
            sslmode=sslmode if sslmode in TLS_MODES else TLS_MODES[0],
        )

    def set_centre_login(self, login: ServerLogin | None) -> None:
        if login is None:
            self._qs.remove("centre")
            return
        self._qs.setValue("centre/host", login.host)
        self._qs.setValue("centre/port", login.port)
        self._qs.setValue("centre/database", login.database)
        self._qs.setValue("centre/user", login.user)
        self._qs.setValue("centre/sslmode", login.sslmode)

    def geometry(self, name: str) -> QByteArray | None:
        value = self._qs.value(f"geometry/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._qs.setValue(f"geometry/{name}", value)

    def user_state(self, user: str, name: str) -> QByteArray | None:
        """A widget's saved state (column widths and order, splitter sizes) for one user."""
        value = self._qs.value(self._user_key(user, name))
        return value if isinstance(value, QByteArray) else None

    def set_user_state(self, user: str, name: str, value: QByteArray) -> None:
        self._qs.setValue(self._user_key(user, name), value)

    @staticmethod
    def _user_key(user: str, name: str) -> str:
        # QSettings reads "/" as a group separator and "\\" badly in INI keys.
        return f"users/{user.replace('/', '_').replace(chr(92), '_')}/{name}"

    def sync(self) -> None:
        self._qs.sync()
