"""Live across counters: on PostgreSQL, every committed write to a file's rows is announced with
NOTIFY on the channel `desk_changes`, so the other counters' windows refresh within a second
(desk_app.store.changes.PgChangeFeed listens). On SQLite this migration does nothing: a solo
desk's window watches the file's PRAGMA data_version instead.

Why triggers rather than a NOTIFY sent by the window after each commit: a trigger catches every
writer, the command line, an import, a sync pass and a program of the future alike, and its
notice is part of the transaction (sent at commit, never for a rolled-back write).

The triggers are statement-level with transition tables, so a statement touching many rows (an
import, a bulk move) sends one notice, not one per row. The payload is `table:ids`: the distinct
file ids of the rows (at most 100, comma-separated), or `table:*` when there were more or the
table's rows name no file (settings, calendar, catalogue). PostgreSQL folds identical payloads
of one transaction into one notice.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from desk_app.store import ddl

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "desk_changes"  # desk_app.store.changes.CHANNEL
MAX_IDS = 100  # desk_app.store.changes reads `*` for more
# Tables whose rows belong to one file, with the column naming it.
FILE_TABLES = {
    "files": "id",
    "events": "file_id",
    "pauses": "file_id",
    "reschedules": "file_id",
    "due_history": "file_id",
    "postal_items": "file_id",
    "printed_slips": "file_id",
}
# Tables whose change moves every file's deadlines or words.
WHOLE_TABLES = ("desk_settings", "calendar_overrides", "procedures")
# One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}

_FILE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION desk_notify_file_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
    n integer;
BEGIN
    EXECUTE format(
        'SELECT count(*), string_agg(x::text, '','') '
        'FROM (SELECT DISTINCT %I AS x FROM %I LIMIT {MAX_IDS + 1}) d',
        TG_ARGV[0],
        CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END
    ) INTO n, ids;
    IF n > {MAX_IDS} THEN
        PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':*');
    ELSIF n > 0 THEN
        PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':' || ids);
    END IF;
    RETURN NULL;
END $$
"""

_WHOLE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION desk_notify_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':*');
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if not ddl.is_postgresql():
        return
    op.execute(_FILE_FUNCTION)
    op.execute(_WHOLE_FUNCTION)
    for table, column in FILE_TABLES.items():
        for event, side in EVENTS.items():
            rows = f"{side.lower()}_rows"
            op.execute(
                f"CREATE TRIGGER {table}_notify_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {side} TABLE AS {rows} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION desk_notify_file_rows('{column}')"
            )
    for table in WHOLE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION desk_notify_table()"
        )


def downgrade() -> None:
    if not ddl.is_postgresql():
        return
    for table in FILE_TABLES:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_{event.lower()} ON {table}")
    for table in WHOLE_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS desk_notify_file_rows()")
    op.execute("DROP FUNCTION IF EXISTS desk_notify_table()")
