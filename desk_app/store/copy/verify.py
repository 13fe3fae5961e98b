"""The check after a copy: per table, the rows and a SHA-256 over the agency's rows with ids read
as the source's; and every archived slip's bytes against their SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    select,
)

from desk_app.services.context import SOLO_AGENCY
from desk_app.store.copy.plan import (
    AGENCIES,
    BY_SHA,
    BY_USERNAME,
    CENTRE_COLUMNS,
    CHUNK_ROWS,
    PAGES,
    SYNC,
    CopyError,
    Shift,
    View,
    agency_rows,
    audit_entity,
    copy_record,
    counter_back,
    identifier_of,
    marked_view,
    ordered_tables,
    owns_counter,
    plain,
    referred_table,
    solo_view,
    table_named,
)


def _names(conn: Connection, table: str, column: str) -> dict[int, Any]:
    t = table_named(table)
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
    conn: Connection, table: Table, view: View, usernames: dict[int, Any], shas: dict[int, Any]
) -> Iterator[tuple[Any, ...]]:
    """The agency's rows of `table` with ids read as the source's, in a canonical order."""
    if table.name == "user_agencies":
        return  # checked through the users line: every desk user assigned to the agency
    if table.name == "counters":
        identifier = identifier_of(conn, view.agency)
        rows = [
            (counter_back(name, view.agency), value)
            for name, value in conn.execute(select(table.c.name, table.c.value))
            if owns_counter(name, view.agency, identifier)
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
        stmt = select(table.c.username).where(agency_rows(conn, table, view))
        names = [str(n) for (n,) in conn.execute(stmt)]
        if view.usernames is not None:
            names = [n for n in names if n in view.usernames]
        yield from sorted((n,) for n in names)
        return
    if table.name == BY_SHA:
        stmt = select(table.c.sha256, table.c["items"]).where(agency_rows(conn, table, view))
        yield from sorted(tuple(r) for r in conn.execute(stmt.order_by(table.c.sha256)))
        return
    skip = {"agency"}
    if table.name in (AGENCIES, SYNC):
        skip |= {"id", *CENTRE_COLUMNS}
    columns = [c for c in table.columns if c.name not in skip]
    shift = view.shifts.get(table.name)
    readers: list[Callable[[Any], Any]] = []
    for column in columns:
        ref = referred_table(column)
        if ref == BY_USERNAME:
            readers.append(_via(usernames))
        elif ref == BY_SHA:
            readers.append(_via(shas))
        elif ref is not None and ref in view.shifts:
            readers.append(_via(view.shifts[ref]))
        elif column.primary_key and shift is not None:
            readers.append(_via(shift))
        else:
            readers.append(plain)
    stmt = (
        select(*columns)
        .where(agency_rows(conn, table, view))
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
            out[entity_id] = audit_entity(
                out[entity], out[entity_id], str(view.agency), str(SOLO_AGENCY), batches.back
            )
        yield tuple(out)


def fingerprint_of(conn: Connection, view: View) -> dict[str, tuple[int, str]]:
    usernames = _names(conn, BY_USERNAME, "username")
    shas = _names(conn, BY_SHA, "sha256")
    out: dict[str, tuple[int, str]] = {}
    for table in ordered_tables():
        if table.name in ("user_agencies", PAGES):
            continue
        digest, count = hashlib.sha256(), 0
        for row in _canonical(conn, table, view, usernames, shas):
            digest.update(repr(row).encode("utf-8"))
            count += 1
        out[table.name] = (count, digest.hexdigest())
    return out


def fingerprint(conn: Connection, agency: int = SOLO_AGENCY) -> dict[str, tuple[int, str]]:
    """Per table: (rows, SHA-256 over the agency's rows in a canonical order, ids as the solo
    desk had them). A solo desk's own database, or an agency a copy wrote (its record in the
    audit log maps the ids back)."""
    mark = copy_record(conn, agency)
    view = solo_view() if mark is None else marked_view(agency, mark)
    view.agency = agency
    return fingerprint_of(conn, view)


def check_slips(conn: Connection, agency: int) -> int:
    slips, files = table_named("printed_slips"), table_named("files")
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


def tables_differing(
    expected: dict[str, tuple[int, str]], got: dict[str, tuple[int, str]]
) -> list[str]:
    return [n for n in expected if expected[n] != got.get(n)]
