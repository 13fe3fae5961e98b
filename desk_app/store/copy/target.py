"""The centre's side of a copy: finding or making the agency, emptying it (`replace`), ids past
what it has used, its sequences, the append-only triggers, and the record of the copy."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)

from desk_app.services.context import SOLO_AGENCY
from desk_app.store.copy.plan import (
    AGENCIES,
    APPEND_ONLY,
    CENTRE_COLUMNS,
    MARK_ACTION,
    SYNC,
    Shift,
    View,
    chunks,
    copy_record,
    file_column_of,
    marked_view,
    ordered_tables,
    owns_counter,
    ranged,
    table_named,
)


def files_of(dst: Connection, agency: int) -> int:
    files = table_named("files")
    return int(
        dst.execute(
            select(func.count()).select_from(files).where(files.c.agency == agency)
        ).scalar_one()
    )


def find_target(dst: Connection, identifier: str) -> tuple[int | None, str]:
    """The agency with the identifier, else the untouched first agency of a new database."""
    agencies = table_named(AGENCIES)
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
    procedures = table_named("procedures")
    if first is not None and not files_of(dst, SOLO_AGENCY):
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


def used_through(dst: Connection, table: Table) -> int:
    """The highest id the target has used (its rows, or its sequence on PostgreSQL)."""
    top = int(dst.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    sequence = _sequence(dst, table.name)
    if sequence is not None:
        last, called = dst.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        top = max(top, int(last) if called else int(last) - 1)
    return top


def reset_sequence(dst: Connection, table: str) -> None:
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


def empty_agency(dst: Connection, agency: int, identifier: str) -> int:
    """Remove the agency's files and everything that is only theirs (the copy's rows of an
    earlier copy included); its settings row, users and assignments stay. Returns files removed."""
    files = table_named("files")
    removed = files_of(dst, agency)
    of_agency = select(files.c.id).where(files.c.agency == agency)
    mark = copy_record(dst, agency)
    view = marked_view(agency, mark) if mark else View(agency=agency, shifts={})
    # Rows that name neither agency nor file: the earlier copy's, and those the files used.
    candidates: dict[str, set[int]] = {}
    for table in ordered_tables():
        if table.name not in view.shifts or not ranged(table):
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
    links = table_named("import_batch_files")
    batches = candidates.setdefault("import_batches", set())
    batches |= {
        int(i)
        for (i,) in dst.execute(select(links.c.batch_id).where(links.c.file_id.in_(of_agency)))
    }
    with _TriggersOff(dst):
        for table in reversed(ordered_tables()):
            column = file_column_of(table)
            if column is not None and table.name != "files":
                dst.execute(delete(table).where(column.in_(of_agency)))
        dst.execute(delete(files).where(files.c.agency == agency))
        for name in ("procedures", "sync_outbox"):
            t = table_named(name)
            dst.execute(delete(t).where(t.c.agency == agency))
        counters = table_named("counters")
        owned = [
            name
            for (name,) in dst.execute(select(counters.c.name))
            if owns_counter(name, agency, identifier)
        ]
        for chunk in chunks(owned):
            dst.execute(delete(counters).where(counters.c.name.in_(chunk)))
        log = table_named("audit_log")
        for chunk in chunks(sorted(candidates.get("audit_log", set()))):
            dst.execute(delete(log).where(log.c.id.in_(chunk)))
        batch_table = table_named("import_batches")
        for chunk in chunks(sorted(batches)):
            dst.execute(
                delete(batch_table).where(
                    batch_table.c.id.in_(chunk),
                    ~exists().where(links.c.batch_id == batch_table.c.id),
                )
            )
        people = table_named("applicants")
        for chunk in chunks(sorted(applicants)):
            dst.execute(
                delete(people).where(
                    people.c.id.in_(chunk), ~exists().where(files.c.applicant_id == people.c.id)
                )
            )
    return removed


def _settings_values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", *CENTRE_COLUMNS)}


def write_agency(dst: Connection, agency: int | None, settings: dict[str, Any]) -> tuple[int, bool]:
    """The target agency's settings row: the desk's settings; a new row when none was found."""
    agencies = table_named(AGENCIES)
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
    new_id = used_through(dst, agencies) + 1
    dst.execute(insert(agencies).values(id=new_id, **values))
    reset_sequence(dst, AGENCIES)
    return new_id, True


def write_sync(src: Connection, dst: Connection, agency: int) -> None:
    """The agency's sync row (id = agency) becomes the desk's: last, after the triggers that
    mark days to send again have run for the arriving rows."""
    sync = table_named(SYNC)
    row = src.execute(select(sync).where(sync.c.id == SOLO_AGENCY)).first()
    if row is None:
        return
    values = {k: v for k, v in row._mapping.items() if k != "id"}
    if dst.execute(select(sync.c.id).where(sync.c.id == agency)).first() is None:
        dst.execute(insert(sync).values(id=agency, **values))
    else:
        dst.execute(update(sync).where(sync.c.id == agency).values(**values))


def record_copy(
    dst: Connection,
    agency: int,
    identifier: str,
    source: str,
    shifts: dict[str, Shift],
    days: set[date],
    now: datetime,
) -> None:
    detail = {
        "identifier": identifier,
        "source": source,
        "tables": {n: [s.offset, s.lo, s.hi] for n, s in shifts.items()},
        "calendar": sorted(d.isoformat() for d in days),
    }
    dst.execute(
        insert(table_named("audit_log")).values(
            at=now,
            user_id=None,
            action=MARK_ACTION,
            entity="agency",
            entity_id=str(agency),
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )
