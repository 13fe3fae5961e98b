"""Where a counter PC stands in a centre: its counter's name and the agencies it serves, kept in
the per-machine preferences file; read by the window (ui/prefs.Prefs, QSettings) and, without
Qt, by the command line's sign-in (the same INI file read with configparser).

The agencies are kept per database (its label: the SQLite file's path or the server's URL
without password), so a PC that opens two databases keeps two sets. The label is hashed into
the key: QSettings would escape a path's slashes and colons in a key beyond configparser's
reading.
"""

from __future__ import annotations

import configparser
import hashlib
from collections.abc import Iterable
from pathlib import Path

COUNTER_GROUP, COUNTER_NAME = "counter", "name"
SERVED_GROUP = "served"
# The receipt printer for the queue's tickets ("host:port" or a device path; "" none), issue 16.
PRINTER_GROUP, TICKET_PRINTER = "printer", "tickets"
MAX_COUNTER_NAME = 40


def served_name(database: str) -> str:
    """The key (inside the "served" group) of one database's agencies."""
    return "db-" + hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]


def format_agencies(agencies: Iterable[int]) -> str:
    return ",".join(str(int(a)) for a in sorted(set(agencies)))


def parse_agencies(text: str) -> frozenset[int] | None:
    """The agencies written by format_agencies; None (every agency) for nothing or nonsense."""
    found: set[int] = set()
    for part in text.strip().strip('"').split(","):
        if not part.strip():
            continue
        try:
            found.add(int(part.strip()))
        except ValueError:
            return None
    return frozenset(found) or None


def clean_counter_name(text: str) -> str:
    return " ".join(text.split())[:MAX_COUNTER_NAME]


def read_place(path: Path, database: str) -> tuple[frozenset[int] | None, str]:
    """(the agencies this PC serves for `database`, None: all; the counter's name) from the
    preferences file, without Qt; nothing (None, "") when the file is missing or unreadable."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None, ""
    served = parse_agencies(parser.get(SERVED_GROUP, served_name(database), fallback=""))
    counter = parser.get(COUNTER_GROUP, COUNTER_NAME, fallback="").strip().strip('"')
    return served, clean_counter_name(counter)


def read_ticket_printer(path: Path) -> str:
    """The receipt printer this PC's kiosk prints tickets on (printing/escpos_ticket.
    parse_printer reads it), "" when none is named or the file is missing or unreadable."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return ""
    return parser.get(PRINTER_GROUP, TICKET_PRINTER, fallback="").strip().strip('"').strip()
