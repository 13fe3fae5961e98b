"""Moving a solo desk into a centre: copy its SQLite register into a PostgreSQL database, whole,
in one transaction, then check the copy row by row.

- The target must be a new database (set up by the migrations, nothing entered yet), or hold
  exactly this register already: a second run then only checks and says so (idempotent). A target
  that holds other files is refused unless `replace` is given, which empties it first (in the
  same transaction as the copy: a failed copy leaves it as it was).
- Every table of the models is copied with its ids, parents before children; the two one-row
  tables (the desk's settings, the sync state) replace the target's defaults; the sync state goes
  last so that the target's triggers, which mark days to send again as rows arrive, do not change
  what was copied. Id sequences continue after the copied ids.
- The check: the number of rows and a SHA-256 over every row of every table, equal on both sides,
  and every archived slip's bytes still matching its stored SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from desk_app.errors import DeskError
from desk_app.pg_engine import WRITER_LOCK_KEY
from desk_app.store.engine import Database
from desk_app.store.models import Base, PrintedSlip

CHUNK_ROWS = 2000
# One-row tables that a new database already has (their defaults), replaced by the desk's own.
SINGLETONS = ("desk_settings", "sync_settings")
# Copied last: the target's sync triggers update it while the other tables arrive.
LAST = "sync_settings"


class CopyError(DeskError):
    code = "db_copy"


@dataclass
class CopyReport:
    """What a copy did: rows per table, and whether it only checked an earlier copy."""

    rows: dict[str, int] = field(default_factory=dict)
    slips_checked: int = 0
    already_there: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[Table]:
    ordered = list(Base.metadata.sorted_tables)
    return [t for t in ordered if t.name != LAST] + [t for t in ordered if t.name == LAST]


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _rows(conn: Connection, table: Table) -> Iterable[tuple[Any, ...]]:
    """Every row of `table` in primary-key order, as the models' types give them."""
    stmt = select(*table.columns).order_by(*table.primary_key.columns)
    for row in conn.execute(stmt.execution_options(yield_per=CHUNK_ROWS)):
        yield tuple(_plain(v) for v in row)


def fingerprint(conn: Connection) -> dict[str, tuple[int, str]]:
    """Per table: (rows, SHA-256 over its rows in key order)."""
    out: dict[str, tuple[int, str]] = {}
    for table in _tables():
        digest, count = hashlib.sha256(), 0
        for row in _rows(conn, table):
            digest.update(repr(row).encode("utf-8"))
            count += 1
        out[table.name] = (count, digest.hexdigest())
    return out


def _entered_rows(conn: Connection) -> int:
    """Rows anyone entered (every table but the one-row defaults a new database has)."""
    total = 0
    for table in _tables():
        if table.name not in SINGLETONS:
            total += int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return total


def _check_slips(conn: Connection) -> int:
    bad: list[str] = []
    count = 0
    stmt = select(PrintedSlip.id, PrintedSlip.sha256, PrintedSlip.pdf).order_by(PrintedSlip.id)
    for slip_id, stored, pdf in conn.execute(stmt.execution_options(yield_per=200)):
        count += 1
        if hashlib.sha256(bytes(pdf)).hexdigest() != stored:
            bad.append(str(slip_id))
    if bad:
        raise CopyError(
            f"{len(bad)} phiếu lưu trữ không khớp mã SHA-256 sau khi chép (phiếu số "
            f"{', '.join(bad[:10])}); bản chép không được dùng."
        )
    return count


def _reset_sequences(conn: Connection) -> None:
    for table in _tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
            continue
        name, column = table.name, keys[0].name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"coalesce(max({column}), 1), max({column}) IS NOT NULL) FROM {name}"
            )
        )


def copy_register(
    source: Database,
    target: Database,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy the solo desk at `source` (SQLite) into the centre database `target` (PostgreSQL).

    Raises CopyError when the target holds another register (without `replace`) or the check
    after copying fails; the target is then left as it was.
    """
    if source.is_server or not target.is_server:
        raise CopyError("Chỉ chép được từ tệp SQLite của một bàn sang cơ sở dữ liệu PostgreSQL.")
    report = CopyReport()
    with source.engine.connect() as src:
        expected = fingerprint(src)
        with target.engine.begin() as dst:
            # No counter writes while the register arrives; they queue behind the copy.
            dst.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
            if _entered_rows(dst):
                if fingerprint(dst) == expected:
                    report.already_there = True
                    report.rows = {name: rows for name, (rows, _) in expected.items()}
                    report.slips_checked = _check_slips(dst)
                    return report
                if not replace:
                    raise CopyError(
                        f"Cơ sở dữ liệu {target.label} đã có hồ sơ khác với sổ của bàn này; "
                        "không gộp hai sổ. Chép vào một cơ sở dữ liệu mới, hoặc dùng --replace "
                        "để xóa hết dữ liệu ở đích rồi chép lại."
                    )
            names = ", ".join(t.name for t in _tables())
            # TRUNCATE empties the tables without their row triggers (the append-only ones).
            dst.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
            for table in _tables():
                batch: list[dict[str, Any]] = []
                count = 0
                keys = [c.key for c in table.columns]
                for row in _rows(src, table):
                    batch.append(dict(zip(keys, row, strict=True)))
                    if len(batch) >= CHUNK_ROWS:
                        dst.execute(table.insert(), batch)
                        count += len(batch)
                        batch.clear()
                        if progress:
                            progress(table.name, count)
                if batch:
                    dst.execute(table.insert(), batch)
                    count += len(batch)
                report.rows[table.name] = count
                if progress:
                    progress(table.name, count)
            _reset_sequences(dst)
            got = fingerprint(dst)
            if got != expected:
                differ = [n for n in expected if expected[n] != got.get(n)]
                raise CopyError(
                    "Bản chép không khớp với sổ gốc ở các bảng: "
                    f"{', '.join(differ)}; không có gì được ghi vào đích."
                )
            report.slips_checked = _check_slips(dst)
    return report
