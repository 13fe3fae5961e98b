"""Helpers shared by the command-line handlers: opening the database, parsing moments."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.exc import ArgumentError

from desk_app.cli.lang import tr
from desk_app.errors import ValidationError
from desk_app.pg_engine import is_server_url
from desk_app.store.engine import Database, Target, open_database
from desk_app.store.machine_db import chosen_target

# Only `init` makes a new database. Every other command refuses a missing file: a mistyped --db
# must not leave an empty database behind that `backup` or `report` then use without a word.
CREATING_COMMANDS = frozenset({"init"})


def database_target(text: str) -> Target:
    """argparse's type for --db: a centre's PostgreSQL URL (or an sqlite:/// URL) stays text, as
    a Path would fold its "//"; anything else is the SQLite file's path."""
    try:
        url = is_server_url(text) or text.startswith("sqlite:///")
    except ArgumentError:  # no URL at all: a file name that happens to hold "://"
        url = False
    return text if url else Path(text)


def database_choice(args: argparse.Namespace) -> Target | None:
    """The database a command works on, as the window chooses it (store/machine_db): --db,
    else the centre's server saved for this PC in Settings › Máy này, else None (the user's
    own SQLite file)."""
    return chosen_target(getattr(args, "db", None))


def database(args: argparse.Namespace) -> Database:
    """The database of `database_choice(args)`, migrated when older; created only by the
    commands in CREATING_COMMANDS (DatabaseFileError otherwise, nothing created)."""
    creating = getattr(args, "command", None) in CREATING_COMMANDS
    db = open_database(database_choice(args), create=creating)
    vars(args).setdefault(_OPENED, []).append(db)
    return db


_OPENED = "_opened_databases"


def close_databases(args: argparse.Namespace) -> None:
    """Dispose of the databases `database(args)` opened, once the command is done: a server's
    connections are closed then, not whenever the engine happens to be collected."""
    for db in vars(args).pop(_OPENED, []):
        db.dispose()


def parse_moment(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            tr("{what} “{text}” phải có dạng YYYY-MM-DDTHH:MM.", what=what, text=text)
        ) from None
    if value.tzinfo is not None:
        # Every moment of the register is the desk's local wall-clock time.
        raise ValidationError(
            tr(
                "{what} “{text}” không được kèm múi giờ: ghi giờ địa phương YYYY-MM-DDTHH:MM.",
                what=what,
                text=text,
            )
        )
    return value.replace(second=0, microsecond=0)


def parse_day(text: str, what: str | None = None) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        what = what or tr("Ngày")
        raise ValidationError(
            tr("{what} “{text}” phải có dạng YYYY-MM-DD.", what=what, text=text)
        ) from None


def moment(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M")
