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

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select

from desk_app import clock
from desk_app.store.copy.plan import (
    AGENCIES,
    BY_SHA,
    BY_USERNAME,
    PAGES,
    SYNC,
    CopyError,
    CopyReport,
    View,
    copy_record,
    marked_view,
    offset_tables,
    ordered_tables,
    solo_view,
    table_named,
)
from desk_app.store.copy.rows import (
    Copier,
    calendar_days_of,
    copy_counters,
    copy_page_blobs,
    insert_batches,
    source_agency,
    source_rows,
)
from desk_app.store.copy.target import (
    empty_agency,
    files_of,
    find_target,
    record_copy,
    reset_sequence,
    write_agency,
    write_sync,
)
from desk_app.store.copy.verify import (
    check_slips,
    fingerprint_of,
    tables_differing,
)
from desk_app.store.copy.verify import fingerprint as fingerprint
from desk_app.store.engine import Database

__all__ = ["CopyError", "CopyReport", "copy_register", "fingerprint"]


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
        settings = source_agency(src)
        identifier = str(settings["agency_id"])
        report.identifier = identifier
        with target.engine.execution_options(**options).begin() as dst:
            agency, name = find_target(dst, identifier)
            days, conflicts = calendar_days_of(src, dst)
            report.calendar_conflicts = conflicts
            expected_view = solo_view()
            expected_view.calendar_days = days
            expected = fingerprint_of(src, expected_view)
            users = table_named(BY_USERNAME)
            usernames = {str(n) for (n,) in src.execute(select(users.c.username))}
            report.rows = {n: rows for n, (rows, _) in expected.items()}
            if agency is not None:
                report.agency, report.agency_name = agency, name
                mark = copy_record(dst, agency)
                differ: list[str] = []
                if mark is not None:
                    view = marked_view(agency, mark)
                    view.calendar_days, view.usernames = days, usernames
                    differ = tables_differing(expected, fingerprint_of(dst, view))
                    if not differ:
                        report.already_there = True
                        report.slips_checked = check_slips(dst, agency)
                        return report
                held = files_of(dst, agency)
                if held and not replace:
                    where = f" (khác ở các bảng: {', '.join(differ)})" if differ else ""
                    raise CopyError(
                        f"Cơ quan “{name}” (mã {identifier}) đã có {held} hồ sơ ở "
                        f"{target.label}, khác với sổ của bàn này{where}; không gộp hai sổ. "
                        "Dùng --replace để xóa hồ sơ của cơ quan này ở đích rồi chép lại."
                    )
                report.replaced_files = empty_agency(dst, agency, identifier)
            agency, report.new_agency = write_agency(dst, agency, settings)
            report.agency = agency
            report.agency_name = str(settings["agency_name"])
            copier = Copier(src, dst, agency)
            copier.plan_shifts()
            for table in ordered_tables():
                if table.name in (AGENCIES, SYNC):
                    continue
                if table.name == PAGES:
                    copy_page_blobs(src, source, dst, target)
                elif table.name == BY_USERNAME:
                    copier.users = copier.natural(table, "username")
                    report.users_reused = sorted(copier.reused)
                elif table.name == BY_SHA:
                    copier.sets = copier.natural(table, "sha256")
                elif table.name == "counters":
                    copy_counters(src, dst, agency, progress)
                elif table.name == "calendar_overrides":
                    theirs = {d for (d,) in dst.execute(select(table.c.day))}
                    insert_batches(
                        dst,
                        table,
                        (
                            copier.forward(table, r)
                            for r in source_rows(src, table)
                            if r["day"] not in theirs
                        ),
                        progress,
                    )
                elif table.name == "ticket_groups":
                    # The desk's queue groups replace the agency's own (a new database gives
                    # its first agency group "A", as the desk's had): the groups and their
                    # tickets of the agency in the centre go first.
                    tickets = table_named("tickets")
                    groups = select(table.c.id).where(table.c.agency == agency)
                    dst.execute(delete(tickets).where(tickets.c.group_id.in_(groups)))
                    dst.execute(delete(table).where(table.c.agency == agency))
                    insert_batches(
                        dst,
                        table,
                        (copier.forward(table, r) for r in source_rows(src, table)),
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
                    insert_batches(
                        dst, table, ({"user_id": u, "agency": agency} for u in assign), progress
                    )
                else:
                    insert_batches(
                        dst,
                        table,
                        (copier.forward(table, r) for r in source_rows(src, table)),
                        progress,
                    )
            write_sync(src, dst, agency)
            for name in [*offset_tables(), BY_USERNAME, BY_SHA, AGENCIES]:
                reset_sequence(dst, name)
            view = View(
                agency=agency,
                shifts=copier.shifts,
                calendar_days=days,
                marked=True,
                usernames=usernames,
            )
            got = fingerprint_of(dst, view)
            if got != expected:
                raise CopyError(
                    "Bản chép không khớp với sổ gốc ở các bảng: "
                    f"{', '.join(tables_differing(expected, got))}; không có gì được ghi vào đích."
                )
            report.slips_checked = check_slips(dst, agency)
            record_copy(
                dst, agency, identifier, source.label, copier.shifts, days, now or clock.now()
            )
    return report
