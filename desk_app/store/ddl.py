"""Schema pieces the two engines spell differently, for the migrations in db/versions.

A migration says what it wants once (a trigger's event and its SQL body, a refusal, the smaller
of two values) and gets SQLite's or PostgreSQL's spelling from the connection it runs on. The
SQLite spelling is exactly what the migrations wrote before centre mode, so a solo desk's schema
is the same whichever way it was built.
"""

from __future__ import annotations

from alembic import op

from desk_app.store.sqlfn import Spelling


def dialect() -> str:
    return str(op.get_bind().dialect.name)


def is_postgresql() -> bool:
    return dialect() == "postgresql"


def least(a: str, b: str) -> str:
    """The smaller of two SQL values, spelled as the queries spell it (store/sqlfn.py)."""
    return Spelling(dialect()).least(a, b)


def refuse(message: str) -> str:
    """A trigger body statement that aborts the statement with `message`."""
    if is_postgresql():
        return f"RAISE EXCEPTION '{message}'"
    return f"SELECT RAISE(ABORT, '{message}')"


def create_trigger(
    name: str,
    *,
    timing: str,
    event: str,
    table: str,
    body: str,
    when: str | None = None,
) -> None:
    """CREATE TRIGGER `name` `timing` (BEFORE/AFTER) `event` (e.g. "UPDATE OF a, b") ON `table`,
    running `body` (SQL statements separated by ';', NEW/OLD for the row) for each row, when
    `when` holds. On PostgreSQL the body becomes a PL/pgSQL trigger function `name`_fn."""
    body = body.strip().rstrip(";")
    if not is_postgresql():
        condition = f" WHEN {when}" if when else ""
        op.execute(
            f"CREATE TRIGGER {name} {timing} {event} ON {table}{condition} BEGIN {body}; END"
        )
        return
    pass_row = "OLD" if event.upper().startswith("DELETE") else "NEW"
    statements = f"IF {when} THEN {body}; END IF;" if when else f"{body};"
    op.execute(
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {statements} RETURN {pass_row}; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {name} {timing} {event} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_fn()"
    )


def drop_trigger(name: str, table: str) -> None:
    if is_postgresql():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}_fn()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
