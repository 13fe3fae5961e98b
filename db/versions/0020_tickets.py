"""A place in the queue (issue 16): service groups and the day's numbered tickets.

- `ticket_groups`: the groups the hall queues by (a field of work or an agency), each with a
  letter `prefix` ("A") unique within its agency and a name; one group "A" is made for the solo
  desk's agency. Groups are data: an administrator adds or retires them without a release.
- `tickets`: one row per ticket handed out. `number` counts per group and day (the named counter
  `ticket:<group>:<yymmdd>` taken atomically, like the file codes), and the database refuses a
  number twice for one group's day. A ticket goes waiting → called (by a counter, an officer) →
  served or skipped; `recalls` counts the times the number was called again; `file_id` is the file
  received for it, so the waiting and service times can be counted per group and officer.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.Integer(), sa.ForeignKey("desk_settings.id"), nullable=False),
        sa.Column("prefix", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency", "prefix", name="uq_ticket_groups_prefix"),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("ticket_groups.id"), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="waiting", nullable=False),
        sa.Column("issued_at", sa.String(length=19), nullable=False),
        sa.Column("called_at", sa.String(length=19), nullable=True),
        sa.Column("finished_at", sa.String(length=19), nullable=True),
        sa.Column("counter_name", sa.String(length=60), nullable=True),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("recalls", sa.Integer(), server_default="0", nullable=False),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("files.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "day", "number", name="uq_tickets_group_day_number"),
        sa.CheckConstraint(
            "status IN ('waiting', 'called', 'served', 'skipped')", name="ck_tickets_status"
        ),
    )
    op.create_index("ix_tickets_day_status", "tickets", ["day", "status", "group_id"])
    op.create_index("ix_tickets_file", "tickets", ["file_id"])
    op.execute(
        "INSERT INTO ticket_groups(agency, prefix, name) "
        "SELECT id, 'A', 'Tiếp nhận và trả kết quả' FROM desk_settings WHERE id = 1"
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_file", table_name="tickets")
    op.drop_index("ix_tickets_day_status", table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("ticket_groups")
