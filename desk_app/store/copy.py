"""Moving a solo desk into a centre: copy its SQLite register into the centre's database as one
agency, in one transaction, then check the copy row by row.

- The source is a solo desk: one agency (its settings row, id 1) with an identifier. The target
  agency is the centre's agency with the same identifier when it has no files yet, the untouched
  first agency of a new database (no identifier, no files, no catalogue), or a new agency row.
  An agency with that identifier that has files is refused unless `replace` is given, which
  empties it first in the same transaction (a failed copy leaves the centre as it was).
- Ids are remapped. Each table whose rows have their own id gets a fixed offset: a source row
  with id n becomes n + offset, where the offset is past every id the target has used, so the
  rows keep their order and every foreign key is rewritten by the same sum. Users are the
  centre's account with the same username when there is one (then assigned to the agency);
  document sets are shared by their SHA-256; the catalogue, counters, sync state and outbox
  become the agency's. Calendar overrides are the centre's: missing days are added, a day the
  centre marks otherwise is reported and left as the centre has it.
- The check: per table, the number of rows and a SHA-256 over the agency's rows in the target
  with every id mapped back to the source's, equal to the source's own; and every archived slip's
  bytes still matching its stored SHA-256. A record of the copy (the offsets, the id ranges, the
  calendar days) goes into the audit log, so that a second run finds the agency, sees the same
  fingerprint and only says so (idempotent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    delete,
    exists,
    false,
    func,
    insert,
    select,
    text,
    true,
    update,
)

from desk_app import clock
from desk_app.errors import DeskError
from desk_app.services.context import SOLO_AGENCY, agency_counter
from desk_app.store.engine import Database
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


# --- the tables -----------------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _tables() -> list[Table]:
    """Every table, parents before children."""
    return list(Base.metadata.sorted_tables)


def _ref(column: Any) -> str | None:
    """The table a column refers to (its one foreign key), if any."""
    for fk in column.foreign_keys:
        return str(fk.column.table.name)
    return None


def _offset_tables() -> list[str]:
    """Tables whose rows have their own integer id and are copied under a new one."""
    out = []
    for table in _tables():
        keys = list(table.primary_key.columns)
        if table.name in (AGENCIES, SYNC, BY_USERNAME, BY_SHA):
            continue
        if len(keys) == 1 and keys[0].name == "id" and keys[0].type.python_type is int:
            out.append(table.name)
    return out


def _file_column(table: Table) -> Any | None:
    for column in table.columns:
        if _ref(column) == "files":
            return column
    return None


def _ranged(table: Table) -> bool:
    """A copied table whose rows name no agency or file: the copy's id range says which."""
    return "agency" not in table.c and _file_column(table) is None


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
class _View:
    """Which rows of a database are the agency's, and how their ids read as the source's."""

    agency: int
    shifts: dict[str, Shift]
    calendar_days: set[date] | None = None  # None: every day
    marked: bool = False  # the rows of a copy (ranges apply), not a solo desk's own
    usernames: set[str] | None = None  # the users to look at (None: every one in scope)


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _scope(conn: Connection, table: Table, view: _View) -> ColumnElement[bool]:
    """The agency's rows of `table` in `view`'s database."""
    files = _table("files")
    if table.name in (AGENCIES, SYNC):
        return table.c.id == view.agency
    if "agency" in table.c:
        return table.c.agency == view.agency
    file_column = _file_column(table)
    if file_column is not None:
        within: ColumnElement[bool] = file_column.in_(
            select(files.c.id).where(files.c.agency == view.agency)
        )
        return within
    if table.name == BY_USERNAME:
        if not view.marked:
            return true()
        links = _table("user_agencies")
        return table.c.id.in_(select(links.c.user_id).where(links.c.agency == view.agency))
    if table.name == BY_SHA:
        return table.c.id.in_(select(files.c.document_set_id).where(files.c.agency == view.agency))
    shift = view.shifts.get(table.name)
    if shift is not None and view.marked:
        if shift.lo is None or shift.hi is None:
            return false()
        return table.c.id.between(shift.lo, shift.hi)
    return true()


def _owns_counter(name: str, agency: int, identifier: str) -> bool:
    if name.startswith("file:"):
        return bool(identifier) and name.startswith(f"file:{identifier}:")
    if agency == SOLO_AGENCY:
        head = name.split(":", 1)[0]
        return not (head[:1] == "a" and head[1:].isdigit())
    return name.startswith(f"a{agency}:")


def _counter_name(name: str, agency: int) -> str:
    """A solo desk's counter as the target agency names it (file codes keep their names)."""
    return name if name.startswith("file:") else agency_counter(agency, name)


def _counter_back(name: str, agency: int) -> str:
    if name.startswith("file:") or agency == SOLO_AGENCY:
        return name
    return name.removeprefix(f"a{agency}:")


def _names(conn: Connection, table: str, column: str) -> dict[int, Any]:
    t = _table(table)
    return {row[0]: row[1] for row in conn.execute(select(t.c.id, t.c[column]))}


def _via(mapping: dict[int, Any] | Shift) -> Callable[[Any], Any]:
    """Read an id as the source's: through a shift, or as a natural key (username, SHA-256)."""

    def read(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(mapping, Shift):
            return mapping.back(value)
        return mapping.get(value, ("?", value))

    return read


def _canonical(
    conn: Connection, table: Table, view: _View, usernames: dict[int, Any], shas: dict[int, Any]
) -> Iterator[tuple[Any, ...]]:
    """The agency's rows of `table` with ids read as the source's, in a canonical order."""
    if table.name == "user_agencies":
        return  # checked through the users line: every desk user assigned to the agency
    if table.name == "counters":
        identifier = _identifier(conn, view.agency)
        rows = [
            (_counter_back(name, view.agency), value)
            for name, value in conn.execute(select(table.c.name, table.c.value))
            if _owns_counter(name, view.agency, identifier)
        ]
        yield from sorted(rows)
        return
    if table.name == "calendar_overrides":
        for day, working in conn.execute(
            select(table.c.day, table.c.working).order_by(table.c.day)
        ):
            if view.calendar_days is None or day in view.calendar_days:
                yield (day, working)
        return
    if table.name == BY_USERNAME:
        stmt = select(table.c.username).where(_scope(conn, table, view))
        names = [str(n) for (n,) in conn.execute(stmt)]
        if view.usernames is not None:
            names = [n for n in names if n in view.usernames]
        yield from sorted((n,) for n in names)
        return
    if table.name == BY_SHA:
        stmt = select(table.c.sha256, table.c["items"]).where(_scope(conn, table, view))
        yield from sorted(tuple(r) for r in conn.execute(stmt.order_by(table.c.sha256)))
        return
    skip = {"agency"}
    if table.name in (AGENCIES, SYNC):
        skip |= {"id", *CENTRE_COLUMNS}
    columns = [c for c in table.columns if c.name not in skip]
    shift = view.shifts.get(table.name)
    readers: list[Callable[[Any], Any]] = []
    for column in columns:
        ref = _ref(column)
        if ref == BY_USERNAME:
            readers.append(_via(usernames))
        elif ref == BY_SHA:
            readers.append(_via(shas))
        elif ref is not None and ref in view.shifts:
            readers.append(_via(view.shifts[ref]))
        elif column.primary_key and shift is not None:
            readers.append(_via(shift))
        else:
            readers.append(_plain)
    stmt = (
        select(*columns)
        .where(_scope(conn, table, view))
        .order_by(*table.primary_key.columns)
        .execution_options(yield_per=CHUNK_ROWS)
    )
    names = [c.name for c in columns]
    audited = table.name == "audit_log"
    entity, entity_id = (names.index("entity"), names.index("entity_id")) if audited else (0, 0)
    for row in conn.execute(stmt):
        out = [read(v) for read, v in zip(readers, row, strict=True)]
        if audited:
            batches = view.shifts["import_batches"]
            out[entity_id] = _audit_entity(
                out[entity], out[entity_id], str(view.agency), str(SOLO_AGENCY), batches.back
            )
        yield tuple(out)


def _audit_entity(
    entity: str, entity_id: Any, agency: str, to_agency: str, batch: Callable[[int], object]
) -> Any:
    """An audit entry names most things by code or username; these two by id: an agency's
    settings (the desk's are agency 1) and an import batch."""
    if entity == "settings" and entity_id == agency:
        return to_agency
    if entity == "import" and isinstance(entity_id, str) and entity_id.isdigit():
        return str(batch(int(entity_id)))
    return entity_id


def _identifier(conn: Connection, agency: int) -> str:
    t = _table(AGENCIES)
    return str(conn.execute(select(t.c.agency_id).where(t.c.id == agency)).scalar_one_or_none())


def _fingerprint(conn: Connection, view: _View) -> dict[str, tuple[int, str]]:
    usernames = _names(conn, BY_USERNAME, "username")
    shas = _names(conn, BY_SHA, "sha256")
    out: dict[str, tuple[int, str]] = {}
    for table in _tables():
        if table.name in ("user_agencies", PAGES):
            continue
        digest, count = hashlib.sha256(), 0
        for row in _canonical(conn, table, view, usernames, shas):
            digest.update(repr(row).encode("utf-8"))
            count += 1
        out[table.name] = (count, digest.hexdigest())
    return out


def _marker(conn: Connection, agency: int) -> dict[str, Any] | None:
    """The newest record of a copy into `agency`, if any."""
    log = _table("audit_log")
    detail = conn.execute(
        select(log.c.detail)
        .where(log.c.action == MARK_ACTION, log.c.entity == "agency")
        .where(log.c.entity_id == str(agency))
        .order_by(log.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return None if detail is None else dict(json.loads(detail))


def _marked_view(agency: int, mark: dict[str, Any]) -> _View:
    shifts = {name: Shift(off, lo, hi) for name, (off, lo, hi) in mark["tables"].items()}
    days = {date.fromisoformat(d) for d in mark.get("calendar", [])}
    return _View(agency=agency, shifts=shifts, calendar_days=days, marked=True)


def _solo_view() -> _View:
    return _View(
        agency=SOLO_AGENCY, shifts={name: Shift(everything=True) for name in _offset_tables()}
    )


def fingerprint(conn: Connection, agency: int = SOLO_AGENCY) -> dict[str, tuple[int, str]]:
    """Per table: (rows, SHA-256 over the agency's rows in a canonical order, ids as the solo
    desk had them). A solo desk's own database, or an agency a copy wrote (its record in the
    audit log maps the ids back)."""
    mark = _marker(conn, agency)
    view = _solo_view() if mark is None else _marked_view(agency, mark)
    view.agency = agency
    return _fingerprint(conn, view)


def _check_slips(conn: Connection, agency: int) -> int:
    slips, files = _table("printed_slips"), _table("files")
    bad: list[str] = []
    count = 0
    stmt = (
        select(slips.c.id, slips.c.sha256, slips.c.pdf)
        .where(slips.c.file_id.in_(select(files.c.id).where(files.c.agency == agency)))
        .order_by(slips.c.id)
    )
    for slip_id, stored, pdf in conn.execute(stmt.execution_options(yield_per=200)):
        count += 1
        if hashlib.sha256(bytes(pdf)).hexdigest() != stored:
            bad.append(str(slip_id))
    if bad:
        raise CopyError(
            f"{len(bad)} phiếu lưu trữ không khớp mã SHA-256 (phiếu số "
            f"{', '.join(bad[:10])}); bản chép không được dùng."
        )
    return count


# --- the source -----------------------------------------------------------------------------


def _source_agency(src: Connection) -> dict[str, Any]:
    """The solo desk's settings row; refuses a register of several agencies."""
    agencies = _table(AGENCIES)
    rows = [dict(r._mapping) for r in src.execute(select(agencies))]
    others = 0
    for name in ("files", "procedures", "sync_outbox"):
        t = _table(name)
        others += int(
            src.execute(
                select(func.count()).select_from(t).where(t.c.agency != SOLO_AGENCY)
            ).scalar_one()
        )
    if len(rows) != 1 or rows[0]["id"] != SOLO_AGENCY or others:
        raise CopyError(
            f"Sổ nguồn có {len(rows)} cơ quan: chỉ chép được sổ của một bàn (một cơ quan)."
        )
    row = rows[0]
    if not row["agency_id"]:
        raise CopyError(
            "Bàn nguồn chưa khai báo mã cơ quan (agency identifier): hãy khai báo ở bàn đó "
            "rồi chép lại."
        )
    return row


def _source_rows(src: Connection, table: Table) -> Iterator[dict[str, Any]]:
    stmt = select(table).order_by(*table.primary_key.columns)
    for row in src.execute(stmt.execution_options(yield_per=CHUNK_ROWS)):
        yield {k: _plain(v) for k, v in row._mapping.items()}


def _id_range(conn: Connection, table: Table) -> tuple[int | None, int | None]:
    lo, hi = conn.execute(select(func.min(table.c.id), func.max(table.c.id))).one()
    return lo, hi


# --- the target -----------------------------------------------------------------------------


def _files_of(dst: Connection, agency: int) -> int:
    files = _table("files")
    return int(
        dst.execute(
            select(func.count()).select_from(files).where(files.c.agency == agency)
        ).scalar_one()
    )


def _find_target(dst: Connection, identifier: str) -> tuple[int | None, str]:
    """The agency with the identifier, else the untouched first agency of a new database."""
    agencies = _table(AGENCIES)
    row = dst.execute(
        select(agencies.c.id, agencies.c.agency_name).where(agencies.c.agency_id == identifier)
    ).first()
    if row is not None:
        return int(row[0]), str(row[1])
    first = dst.execute(
        select(agencies.c.id, agencies.c.agency_name).where(
            agencies.c.id == SOLO_AGENCY, agencies.c.agency_id == ""
        )
    ).first()
    procedures = _table("procedures")
    if first is not None and not _files_of(dst, SOLO_AGENCY):
        catalogue = dst.execute(
            select(func.count()).select_from(procedures).where(procedures.c.agency == SOLO_AGENCY)
        ).scalar_one()
        if not catalogue:
            return SOLO_AGENCY, str(first[1])
    return None, ""


def _sequence(dst: Connection, table: str) -> str | None:
    if dst.dialect.name != "postgresql":
        return None
    name = dst.execute(text(f"SELECT pg_get_serial_sequence('{table}', 'id')")).scalar()
    return None if name is None else str(name)


def _used_through(dst: Connection, table: Table) -> int:
    """The highest id the target has used (its rows, or its sequence on PostgreSQL)."""
    top = int(dst.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    sequence = _sequence(dst, table.name)
    if sequence is not None:
        last, called = dst.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        top = max(top, int(last) if called else int(last) - 1)
    return top


def _reset_sequence(dst: Connection, table: str) -> None:
    sequence = _sequence(dst, table)
    if sequence is None:
        return
    # Only forward, and only past ids the copy wrote: a sequence never goes back.
    dst.execute(
        text(
            f"SELECT setval('{sequence}', top) FROM (SELECT max(id) AS top FROM {table}) AS t "
            f"WHERE top > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
            f"FROM {sequence})"
        )
    )


class _TriggersOff:
    """Lift the append-only delete triggers inside the transaction (they come back in it)."""

    def __init__(self, dst: Connection) -> None:
        self.dst = dst
        self.saved: list[str] = []

    def __enter__(self) -> None:
        for table, trigger in APPEND_ONLY.items():
            if self.dst.dialect.name == "postgresql":
                self.dst.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            else:
                sql = self.dst.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                    (trigger,),
                ).scalar()
                if sql:
                    self.saved.append(str(sql))
                    self.dst.exec_driver_sql(f"DROP TRIGGER {trigger}")

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction rolls back, and the triggers with it
        if self.dst.dialect.name == "postgresql":
            for table, trigger in APPEND_ONLY.items():
                self.dst.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        else:
            for sql in self.saved:
                self.dst.exec_driver_sql(sql)


def _chunks(ids: Iterable[_T], size: int = 5000) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for i in ids:
        batch.append(i)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _empty_agency(dst: Connection, agency: int, identifier: str) -> int:
    """Remove the agency's files and everything that is only theirs (the copy's rows of an
    earlier copy included); its settings row, users and assignments stay. Returns files removed."""
    files = _table("files")
    removed = _files_of(dst, agency)
    of_agency = select(files.c.id).where(files.c.agency == agency)
    mark = _marker(dst, agency)
    view = _marked_view(agency, mark) if mark else _View(agency=agency, shifts={})
    # Rows that name neither agency nor file: the earlier copy's, and those the files used.
    candidates: dict[str, set[int]] = {}
    for table in _tables():
        if table.name not in view.shifts or not _ranged(table):
            continue
        shift = view.shifts[table.name]
        ids: set[int] = set()
        if shift.lo is not None and shift.hi is not None:
            ids |= {
                int(i)
                for (i,) in dst.execute(
                    select(table.c.id).where(table.c.id.between(shift.lo, shift.hi))
                )
            }
        candidates[table.name] = ids
    applicants = candidates.setdefault("applicants", set())
    applicants |= {
        int(i) for (i,) in dst.execute(select(files.c.applicant_id).where(files.c.agency == agency))
    }
    links = _table("import_batch_files")
    batches = candidates.setdefault("import_batches", set())
    batches |= {
        int(i)
        for (i,) in dst.execute(select(links.c.batch_id).where(links.c.file_id.in_(of_agency)))
    }
    with _TriggersOff(dst):
        for table in reversed(_tables()):
            column = _file_column(table)
            if column is not None and table.name != "files":
                dst.execute(delete(table).where(column.in_(of_agency)))
        dst.execute(delete(files).where(files.c.agency == agency))
        for name in ("procedures", "sync_outbox"):
            t = _table(name)
            dst.execute(delete(t).where(t.c.agency == agency))
        counters = _table("counters")
        owned = [
            name
            for (name,) in dst.execute(select(counters.c.name))
            if _owns_counter(name, agency, identifier)
        ]
        for chunk in _chunks(owned):
            dst.execute(delete(counters).where(counters.c.name.in_(chunk)))
        log = _table("audit_log")
        for chunk in _chunks(sorted(candidates.get("audit_log", set()))):
            dst.execute(delete(log).where(log.c.id.in_(chunk)))
        batch_table = _table("import_batches")
        for chunk in _chunks(sorted(batches)):
            dst.execute(
                delete(batch_table).where(
                    batch_table.c.id.in_(chunk),
                    ~exists().where(links.c.batch_id == batch_table.c.id),
                )
            )
        people = _table("applicants")
        for chunk in _chunks(sorted(applicants)):
            dst.execute(
                delete(people).where(
                    people.c.id.in_(chunk), ~exists().where(files.c.applicant_id == people.c.id)
                )
            )
    return removed


def _calendar_conflicts(src: Connection, dst: Connection) -> tuple[set[date], list[date]]:
    """The source's override days, and those the centre marks otherwise (left as they are)."""
    t = _table("calendar_overrides")
    theirs: dict[date, bool] = {d: bool(w) for d, w in dst.execute(select(t.c.day, t.c.working))}
    days: set[date] = set()
    conflicts: list[date] = []
    for d, w in src.execute(select(t.c.day, t.c.working).order_by(t.c.day)):
        if d in theirs and bool(theirs[d]) != bool(w):
            conflicts.append(d)
        else:
            days.add(d)
    return days, conflicts


def _insert_batches(
    dst: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    progress: Callable[[str, int], None] | None,
) -> int:
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK_ROWS:
            dst.execute(insert(table), batch)
            count += len(batch)
            batch = []
            if progress:
                progress(table.name, count)
    if batch:
        dst.execute(insert(table), batch)
        count += len(batch)
    if progress:
        progress(table.name, count)
    return count


def _copy_counters(
    src: Connection, dst: Connection, agency: int, progress: Callable[[str, int], None] | None
) -> None:
    """The desk's counters under the agency's names; a name the centre already has (a file-code
    counter of an identifier the desk once used) keeps the higher value."""
    table = _table("counters")
    theirs = {str(n): int(v) for n, v in dst.execute(select(table.c.name, table.c.value))}
    new: list[dict[str, Any]] = []
    for row in _source_rows(src, table):
        name = _counter_name(str(row["name"]), agency)
        if name in theirs:
            if int(row["value"]) > theirs[name]:
                dst.execute(update(table).where(table.c.name == name).values(value=row["value"]))
        else:
            new.append({"name": name, "value": row["value"]})
    _insert_batches(dst, table, new, progress)


class _Copier:
    def __init__(self, src: Connection, dst: Connection, agency: int) -> None:
        self.src, self.dst, self.agency = src, dst, agency
        self.shifts: dict[str, Shift] = {}
        self.users: dict[int, int] = {}
        self.sets: dict[int, int] = {}
        self.reused: list[str] = []

    def forward(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        shift = self.shifts.get(table.name)
        for column in table.columns:
            value = row.get(column.key)
            if value is None:
                continue
            ref = _ref(column)
            if ref == AGENCIES:
                row[column.key] = self.agency
            elif ref == BY_USERNAME:
                row[column.key] = self.users[value]
            elif ref == BY_SHA:
                row[column.key] = self.sets[value]
            elif ref is not None:
                row[column.key] = value + self.shifts[ref].offset
            elif column.primary_key and shift is not None:
                row[column.key] = value + shift.offset
        if table.name == "audit_log":
            row["entity_id"] = _audit_entity(
                row["entity"],
                row["entity_id"],
                str(SOLO_AGENCY),
                str(self.agency),
                lambda n: n + self.shifts["import_batches"].offset,
            )
        return row

    def natural(self, table: Table, key: str) -> dict[int, int]:
        """Rows found in the target by `key` are reused; the others come with new ids."""
        theirs = {k: int(i) for i, k in self.dst.execute(select(table.c.id, table.c[key]))}
        offset = _used_through(self.dst, table)
        mapping: dict[int, int] = {}
        new: list[dict[str, Any]] = []
        for row in _source_rows(self.src, table):
            if row[key] in theirs:
                mapping[row["id"]] = theirs[row[key]]
                if table.name == BY_USERNAME:
                    self.reused.append(str(row[key]))
            else:
                mapping[row["id"]] = row["id"] + offset
                new.append({**row, "id": row["id"] + offset})
        if new:
            self.dst.execute(insert(table), new)
        return mapping

    def plan_shifts(self) -> None:
        for name in _offset_tables():
            table = _table(name)
            offset = _used_through(self.dst, table)
            lo, hi = _id_range(self.src, table)
            self.shifts[name] = Shift(
                offset, None if lo is None else lo + offset, None if hi is None else hi + offset
            )


def _settings_values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", *CENTRE_COLUMNS)}


def _write_agency(
    dst: Connection, agency: int | None, settings: dict[str, Any]
) -> tuple[int, bool]:
    """The target agency's settings row: the desk's settings; a new row when none was found."""
    agencies = _table(AGENCIES)
    values = _settings_values(settings)
    if agency is not None:
        current = dst.execute(
            select(agencies.c.short_name).where(agencies.c.id == agency)
        ).scalar_one()
        if not current and settings.get("short_name"):
            values["short_name"] = settings["short_name"]
        dst.execute(update(agencies).where(agencies.c.id == agency).values(**values))
        return agency, False
    values["short_name"] = settings.get("short_name", "")
    # An explicit id: the first agency's row was written with its id, past the sequence.
    new_id = _used_through(dst, agencies) + 1
    dst.execute(insert(agencies).values(id=new_id, **values))
    _reset_sequence(dst, AGENCIES)
    return new_id, True


def _write_sync(src: Connection, dst: Connection, agency: int) -> None:
    """The agency's sync row (id = agency) becomes the desk's: last, after the triggers that
    mark days to send again have run for the arriving rows."""
    sync = _table(SYNC)
    row = src.execute(select(sync).where(sync.c.id == SOLO_AGENCY)).first()
    if row is None:
        return
    values = {k: v for k, v in row._mapping.items() if k != "id"}
    if dst.execute(select(sync.c.id).where(sync.c.id == agency)).first() is None:
        dst.execute(insert(sync).values(id=agency, **values))
    else:
        dst.execute(update(sync).where(sync.c.id == agency).values(**values))


def _mark(
    dst: Connection,
    agency: int,
    identifier: str,
    source: str,
    copier: _Copier,
    days: set[date],
    now: datetime,
) -> None:
    detail = {
        "identifier": identifier,
        "source": source,
        "tables": {n: [s.offset, s.lo, s.hi] for n, s in copier.shifts.items()},
        "calendar": sorted(d.isoformat() for d in days),
    }
    dst.execute(
        insert(_table("audit_log")).values(
            at=now,
            user_id=None,
            action=MARK_ACTION,
            entity="agency",
            entity_id=str(agency),
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )


def _copy_pages(src: Connection, source: Database, dst: Connection, target: Database) -> None:
    from desk_app.store.pages import copy_pages, damage_report

    assert source.path is not None
    damaged = copy_pages(src, source.path, dst, target.path)
    if damaged:
        raise CopyError(
            f"{len(damaged)} trang bản quét của bàn này bị mất hoặc bị thay đổi; không có gì "
            "được ghi vào đích:\n" + damage_report(damaged)
        )


def _differ(expected: dict[str, tuple[int, str]], got: dict[str, tuple[int, str]]) -> list[str]:
    return [n for n in expected if expected[n] != got.get(n)]


def copy_register(
    source: Database,
    target: Database,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
    now: datetime | None = None,
) -> CopyReport:
    """Copy the solo desk at `source` (SQLite) into `target` (a centre's database) as one agency.

    Raises CopyError when the agency already has other files (without `replace`), the source is
    no solo desk, or the check after copying fails; the target is then left as it was.
    """
    if source.is_server:
        raise CopyError("Chỉ chép được từ tệp SQLite của một bàn.")
    if source.url == target.url:
        raise CopyError("Nguồn và đích là cùng một cơ sở dữ liệu.")
    report = CopyReport()
    options = {"pg_writer_lock": True} if target.is_server else {"sqlite_begin": "IMMEDIATE"}
    with source.engine.connect() as src:
        settings = _source_agency(src)
        identifier = str(settings["agency_id"])
        report.identifier = identifier
        with target.engine.execution_options(**options).begin() as dst:
            agency, name = _find_target(dst, identifier)
            days, conflicts = _calendar_conflicts(src, dst)
            report.calendar_conflicts = conflicts
            expected_view = _solo_view()
            expected_view.calendar_days = days
            expected = _fingerprint(src, expected_view)
            users = _table(BY_USERNAME)
            usernames = {str(n) for (n,) in src.execute(select(users.c.username))}
            report.rows = {n: rows for n, (rows, _) in expected.items()}
            if agency is not None:
                report.agency, report.agency_name = agency, name
                mark = _marker(dst, agency)
                differ: list[str] = []
                if mark is not None:
                    view = _marked_view(agency, mark)
                    view.calendar_days, view.usernames = days, usernames
                    differ = _differ(expected, _fingerprint(dst, view))
                    if not differ:
                        report.already_there = True
                        report.slips_checked = _check_slips(dst, agency)
                        return report
                held = _files_of(dst, agency)
                if held and not replace:
                    where = f" (khác ở các bảng: {', '.join(differ)})" if differ else ""
                    raise CopyError(
                        f"Cơ quan “{name}” (mã {identifier}) đã có {held} hồ sơ ở "
                        f"{target.label}, khác với sổ của bàn này{where}; không gộp hai sổ. "
                        "Dùng --replace để xóa hồ sơ của cơ quan này ở đích rồi chép lại."
                    )
                report.replaced_files = _empty_agency(dst, agency, identifier)
            agency, report.new_agency = _write_agency(dst, agency, settings)
            report.agency = agency
            report.agency_name = str(settings["agency_name"])
            copier = _Copier(src, dst, agency)
            copier.plan_shifts()
            for table in _tables():
                if table.name in (AGENCIES, SYNC):
                    continue
                if table.name == PAGES:
                    _copy_pages(src, source, dst, target)
                elif table.name == BY_USERNAME:
                    copier.users = copier.natural(table, "username")
                    report.users_reused = sorted(copier.reused)
                elif table.name == BY_SHA:
                    copier.sets = copier.natural(table, "sha256")
                elif table.name == "counters":
                    _copy_counters(src, dst, agency, progress)
                elif table.name == "calendar_overrides":
                    theirs = {d for (d,) in dst.execute(select(table.c.day))}
                    _insert_batches(
                        dst,
                        table,
                        (
                            copier.forward(table, r)
                            for r in _source_rows(src, table)
                            if r["day"] not in theirs
                        ),
                        progress,
                    )
                elif table.name == "user_agencies":
                    links = {
                        int(u)
                        for (u,) in dst.execute(
                            select(table.c.user_id).where(table.c.agency == agency)
                        )
                    }
                    assign = sorted(set(copier.users.values()) - links)
                    _insert_batches(
                        dst, table, ({"user_id": u, "agency": agency} for u in assign), progress
                    )
                else:
                    _insert_batches(
                        dst,
                        table,
                        (copier.forward(table, r) for r in _source_rows(src, table)),
                        progress,
                    )
            _write_sync(src, dst, agency)
            for name in [*_offset_tables(), BY_USERNAME, BY_SHA, AGENCIES]:
                _reset_sequence(dst, name)
            view = _View(
                agency=agency,
                shifts=copier.shifts,
                calendar_days=days,
                marked=True,
                usernames=usernames,
            )
            got = _fingerprint(dst, view)
            if got != expected:
                raise CopyError(
                    "Bản chép không khớp với sổ gốc ở các bảng: "
                    f"{', '.join(_differ(expected, got))}; không có gì được ghi vào đích."
                )
            report.slips_checked = _check_slips(dst, agency)
            _mark(dst, agency, identifier, source.label, copier, days, now or clock.now())
    return report
