"""What a copy moves and how its ids map: the tables and how each is copied (by id with an
offset, by natural key, per agency), the shifts, and which rows of a database are an agency's."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    false,
    select,
    true,
)

from desk_app.errors import DeskError
from desk_app.services.context import SOLO_AGENCY, agency_counter
from desk_app.store.models import Base

CHUNK_ROWS = 2000

# The audit entry that records a copy (entity "agency", entity_id the target agency's id).
MARK_ACTION = "db_copy"

# Tables shared by natural key rather than copied by id.
BY_USERNAME = "users"
BY_SHA = "document_sets"
AGENCIES = "desk_settings"
SYNC = "sync_settings"

# The agency's descriptors within the centre: the centre's own values are kept.
CENTRE_COLUMNS = ("short_name", "active")

# The page store's table: a solo desk's pages are in its folder; they are copied by their
# SHA-256 (store/pages.py), each checked, and are shared by every agency that holds them.
PAGES = "page_blobs"

# Delete triggers that keep these tables append-only; `replace` lifts them for its deletes.
APPEND_ONLY = {
    "events": "events_no_delete",
    "due_history": "due_history_no_delete",
    "audit_log": "audit_log_no_delete",
    "ratings": "ratings_no_delete",
}

_T = TypeVar("_T")


class CopyError(DeskError):
    code = "db_copy"


@dataclass
class CopyReport:
    """What a copy did: rows per table, the agency it became, and whether it only checked."""

    rows: dict[str, int] = field(default_factory=dict)
    slips_checked: int = 0
    already_there: bool = False
    agency: int = 0
    agency_name: str = ""
    identifier: str = ""
    new_agency: bool = False
    replaced_files: int = 0
    users_reused: list[str] = field(default_factory=list)
    calendar_conflicts: list[date] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def table_named(name: str) -> Table:
    return Base.metadata.tables[name]


def ordered_tables() -> list[Table]:
    """Every table, parents before children."""
    return list(Base.metadata.sorted_tables)


def referred_table(column: Any) -> str | None:
    """The table a column refers to (its one foreign key), if any."""
    for fk in column.foreign_keys:
        return str(fk.column.table.name)
    return None


def offset_tables() -> list[str]:
    """Tables whose rows have their own integer id and are copied under a new one."""
    out = []
    for table in ordered_tables():
        keys = list(table.primary_key.columns)
        if table.name in (AGENCIES, SYNC, BY_USERNAME, BY_SHA):
            continue
        if len(keys) == 1 and keys[0].name == "id" and keys[0].type.python_type is int:
            out.append(table.name)
    return out


def file_column_of(table: Table) -> Any | None:
    for column in table.columns:
        if referred_table(column) == "files":
            return column
    return None


def ranged(table: Table) -> bool:
    """A copied table whose rows name no agency or file: the copy's id range says which."""
    return "agency" not in table.c and file_column_of(table) is None


@dataclass(frozen=True)
class Shift:
    """new id = old id + offset; the copy wrote the target ids lo..hi (None: no row), or, for a
    solo desk's own database (`everything`), every id is its own."""

    offset: int = 0
    lo: int | None = None
    hi: int | None = None
    everything: bool = False

    def back(self, new: int) -> object:
        if self.everything or (
            self.lo is not None and self.hi is not None and self.lo <= new <= self.hi
        ):
            return new - self.offset
        return ("?", new)  # a row the copy did not write: matches nothing of the source


@dataclass
class View:
    """Which rows of a database are the agency's, and how their ids read as the source's."""

    agency: int
    shifts: dict[str, Shift]
    calendar_days: set[date] | None = None  # None: every day
    marked: bool = False  # the rows of a copy (ranges apply), not a solo desk's own
    usernames: set[str] | None = None  # the users to look at (None: every one in scope)


def plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def agency_rows(conn: Connection, table: Table, view: View) -> ColumnElement[bool]:
    """The agency's rows of `table` in `view`'s database."""
    files = table_named("files")
    if table.name in (AGENCIES, SYNC):
        return table.c.id == view.agency
    if "agency" in table.c:
        return table.c.agency == view.agency
    file_column = file_column_of(table)
    if file_column is not None:
        within: ColumnElement[bool] = file_column.in_(
            select(files.c.id).where(files.c.agency == view.agency)
        )
        return within
    if table.name == BY_USERNAME:
        if not view.marked:
            return true()
        links = table_named("user_agencies")
        return table.c.id.in_(select(links.c.user_id).where(links.c.agency == view.agency))
    if table.name == BY_SHA:
        return table.c.id.in_(select(files.c.document_set_id).where(files.c.agency == view.agency))
    shift = view.shifts.get(table.name)
    if shift is not None and view.marked:
        if shift.lo is None or shift.hi is None:
            return false()
        return table.c.id.between(shift.lo, shift.hi)
    return true()


def owns_counter(name: str, agency: int, identifier: str) -> bool:
    if name.startswith("file:"):
        return bool(identifier) and name.startswith(f"file:{identifier}:")
    if agency == SOLO_AGENCY:
        head = name.split(":", 1)[0]
        return not (head[:1] == "a" and head[1:].isdigit())
    return name.startswith(f"a{agency}:")


def counter_name(name: str, agency: int) -> str:
    """A solo desk's counter as the target agency names it (file codes keep their names)."""
    return name if name.startswith("file:") else agency_counter(agency, name)


def counter_back(name: str, agency: int) -> str:
    if name.startswith("file:") or agency == SOLO_AGENCY:
        return name
    return name.removeprefix(f"a{agency}:")


def audit_entity(
    entity: str, entity_id: Any, agency: str, to_agency: str, batch: Callable[[int], object]
) -> Any:
    """An audit entry names most things by code or username; these two by id: an agency's
    settings (the desk's are agency 1) and an import batch."""
    if entity == "settings" and entity_id == agency:
        return to_agency
    if entity == "import" and isinstance(entity_id, str) and entity_id.isdigit():
        return str(batch(int(entity_id)))
    return entity_id


def identifier_of(conn: Connection, agency: int) -> str:
    t = table_named(AGENCIES)
    return str(conn.execute(select(t.c.agency_id).where(t.c.id == agency)).scalar_one_or_none())


def copy_record(conn: Connection, agency: int) -> dict[str, Any] | None:
    """The newest record of a copy into `agency`, if any."""
    log = table_named("audit_log")
    detail = conn.execute(
        select(log.c.detail)
        .where(log.c.action == MARK_ACTION, log.c.entity == "agency")
        .where(log.c.entity_id == str(agency))
        .order_by(log.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return None if detail is None else dict(json.loads(detail))


def marked_view(agency: int, mark: dict[str, Any]) -> View:
    shifts = {name: Shift(off, lo, hi) for name, (off, lo, hi) in mark["tables"].items()}
    days = {date.fromisoformat(d) for d in mark.get("calendar", [])}
    return View(agency=agency, shifts=shifts, calendar_days=days, marked=True)


def solo_view() -> View:
    return View(
        agency=SOLO_AGENCY, shifts={name: Shift(everything=True) for name in offset_tables()}
    )


def chunks(ids: Iterable[_T], size: int = 5000) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for i in ids:
        batch.append(i)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
