"""Queue tickets (issue 16, back office): a retired group's letter may serve a new group, and
the other counters hear the queue move.

- `ticket_groups`: the letter is unique among the agency's *active* groups (a partial unique
  index replaces the unique constraint of 0020), so a group retired yesterday lends its letter
  to a new one; the history of the retired group keeps its own row. On the day a retired group
  issued tickets its letter is still refused (services/tickets.py: two "A012" in one hall).
- On PostgreSQL, every committed write to `tickets` and `ticket_groups` is announced on
  `desk_changes` (`tickets:*`, `ticket_groups:*`) by migration 0013's `desk_notify_table()`,
  so the other counters' waiting counts move within a second. SQLite needs nothing: its
  windows watch PRAGMA data_version.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTIFIED = ("tickets", "ticket_groups")


def upgrade() -> None:
    with op.batch_alter_table("ticket_groups") as batch:
        batch.drop_constraint("uq_ticket_groups_prefix", type_="unique")
    op.create_index(
        "uq_ticket_groups_active_prefix",
        "ticket_groups",
        ["agency", "prefix"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    if ddl.is_postgresql():
        for table in NOTIFIED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION desk_notify_table()"
            )


def downgrade() -> None:
    if ddl.is_postgresql():
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
    op.drop_index("uq_ticket_groups_active_prefix", table_name="ticket_groups")
    with op.batch_alter_table("ticket_groups") as batch:
        batch.create_unique_constraint("uq_ticket_groups_prefix", ["agency", "prefix"])
