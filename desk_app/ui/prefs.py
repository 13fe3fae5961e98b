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
RATING_WEB_PORT = 8765  # counter_web.server.DEFAULT_PORT (not imported: FastAPI stays unloaded)


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

    @property
    def ticket_printer(self) -> str:
        """The ESC/POS receipt printer for the queue's tickets ("192.168.1.50:9100",
        "/dev/usb/lp0"); "" when none: the kiosk then offers the PDF."""
        key = f"{machine_prefs.PRINTER_GROUP}/{machine_prefs.TICKET_PRINTER}"
        return str(self._get(key, "")).strip()

    @ticket_printer.setter
    def ticket_printer(self, value: str) -> None:
        key = f"{machine_prefs.PRINTER_GROUP}/{machine_prefs.TICKET_PRINTER}"
        if value.strip():
            self._qs.setValue(key, value.strip())
        else:
            self._qs.remove(key)

    @property
    def rating_web(self) -> bool:
        """Whether this computer serves the rating tablet's page on the office network
        (counter_web; off by default: nothing listens unless asked)."""
        return str(self._get("rating_web/enabled", "false")).lower() in ("true", "1")

    @rating_web.setter
    def rating_web(self, value: bool) -> None:
        self._qs.setValue("rating_web/enabled", bool(value))

    @property
    def rating_web_port(self) -> int:
        try:
            port = int(str(self._get("rating_web/port", RATING_WEB_PORT)))
        except ValueError:
            return RATING_WEB_PORT
        return port if 1024 <= port <= 65535 else RATING_WEB_PORT

    @rating_web_port.setter
    def rating_web_port(self, value: int) -> None:
        self._qs.setValue("rating_web/port", int(value))

    @property
    def rating_device(self) -> str | None:
        """The digest of the paired tablet's token (never the token itself); None: none."""
        value = str(self._get("rating_web/device", "")).strip()
        return value or None

    @rating_device.setter
    def rating_device(self, value: str | None) -> None:
        if value:
            self._qs.setValue("rating_web/device", value)
        else:
            self._qs.remove("rating_web/device")

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

    def called_groups(self, database: str) -> frozenset[int] | None:
        """The queue's groups this counter calls in `database` (its label); None: every group
        (nothing chosen yet), an empty set: none."""
        key = self._called_key(database)
        if not self._qs.contains(key):
            return None
        text = str(self._get(key, "")).strip().strip('"')
        # Nonsense written by hand reads as nothing chosen (every group), not as none.
        return machine_prefs.parse_agencies(text) if text else frozenset()

    def set_called_groups(self, database: str, groups: Iterable[int] | None) -> None:
        """None: call every group of the counter's agencies (new ones too)."""
        key = self._called_key(database)
        if groups is None:
            self._qs.remove(key)
            return
        self._qs.setValue(key, machine_prefs.format_agencies(groups))

    @staticmethod
    def _called_key(database: str) -> str:
        return f"tickets/{machine_prefs.served_name(database)}"

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
