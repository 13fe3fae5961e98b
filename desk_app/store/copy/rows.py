"""Reading the solo desk and writing its rows, table by table: ids moved by their offsets,
users and document sets by natural key, counters and calendar days merged."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    func,
    insert,
    select,
    update,
)

from desk_app.services.context import SOLO_AGENCY
from desk_app.store.copy.plan import (
    AGENCIES,
    BY_SHA,
    BY_USERNAME,
    CHUNK_ROWS,
    CopyError,
    Shift,
    audit_entity,
    counter_name,
    offset_tables,
    plain,
    referred_table,
    table_named,
)
from desk_app.store.copy.target import used_through
from desk_app.store.engine import Database


def source_agency(src: Connection) -> dict[str, Any]:
    """The solo desk's settings row; refuses a register of several agencies."""
    agencies = table_named(AGENCIES)
    rows = [dict(r._mapping) for r in src.execute(select(agencies))]
    others = 0
    for name in ("files", "procedures", "sync_outbox"):
        t = table_named(name)
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


def source_rows(src: Connection, table: Table) -> Iterator[dict[str, Any]]:
    stmt = select(table).order_by(*table.primary_key.columns)
    for row in src.execute(stmt.execution_options(yield_per=CHUNK_ROWS)):
        yield {k: plain(v) for k, v in row._mapping.items()}


def _id_range(conn: Connection, table: Table) -> tuple[int | None, int | None]:
    lo, hi = conn.execute(select(func.min(table.c.id), func.max(table.c.id))).one()
    return lo, hi


def calendar_days_of(src: Connection, dst: Connection) -> tuple[set[date], list[date]]:
    """The source's override days, and those the centre marks otherwise (left as they are)."""
    t = table_named("calendar_overrides")
    theirs: dict[date, bool] = {d: bool(w) for d, w in dst.execute(select(t.c.day, t.c.working))}
    days: set[date] = set()
    conflicts: list[date] = []
    for d, w in src.execute(select(t.c.day, t.c.working).order_by(t.c.day)):
        if d in theirs and bool(theirs[d]) != bool(w):
            conflicts.append(d)
        else:
            days.add(d)
    return days, conflicts


def insert_batches(
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


def copy_counters(
    src: Connection, dst: Connection, agency: int, progress: Callable[[str, int], None] | None
) -> None:
    """The desk's counters under the agency's names; a name the centre already has (a file-code
    counter of an identifier the desk once used) keeps the higher value."""
    table = table_named("counters")
    theirs = {str(n): int(v) for n, v in dst.execute(select(table.c.name, table.c.value))}
    new: list[dict[str, Any]] = []
    for row in source_rows(src, table):
        name = counter_name(str(row["name"]), agency)
        if name in theirs:
            if int(row["value"]) > theirs[name]:
                dst.execute(update(table).where(table.c.name == name).values(value=row["value"]))
        else:
            new.append({"name": name, "value": row["value"]})
    insert_batches(dst, table, new, progress)


class Copier:
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
            ref = referred_table(column)
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
            row["entity_id"] = audit_entity(
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
        offset = used_through(self.dst, table)
        mapping: dict[int, int] = {}
        new: list[dict[str, Any]] = []
        for row in source_rows(self.src, table):
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
        for name in offset_tables():
            table = table_named(name)
            offset = used_through(self.dst, table)
            lo, hi = _id_range(self.src, table)
            self.shifts[name] = Shift(
                offset, None if lo is None else lo + offset, None if hi is None else hi + offset
            )


def copy_page_blobs(src: Connection, source: Database, dst: Connection, target: Database) -> None:
    from desk_app.store.pages import copy_pages, damage_report

    assert source.path is not None
    damaged = copy_pages(src, source.path, dst, target.path)
    if damaged:
        raise CopyError(
            f"{len(damaged)} trang bản quét của bàn này bị mất hoặc bị thay đổi; không có gì "
            "được ghi vào đích:\n" + damage_report(damaged)
        )
