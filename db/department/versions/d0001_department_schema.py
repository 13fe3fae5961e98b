"""The department's first schema: desks and viewers, day summaries with their revisions, the
current revision of each (desk, day), and the summaries' rows.

Revision ID: d0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(), nullable=True),
        sa.Column("last_software", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("unit_name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "day_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("desk_id", "day", "revision"),
        sa.UniqueConstraint("receipt_id"),
    )
    op.create_table(
        "current_days",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("summary_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["summary_id"], ["day_summaries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("desk_id", "day"),
    )
    op.create_index("ix_current_days_day", "current_days", ["day"], unique=False)
    op.create_table(
        "summary_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("summary_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=False),
        sa.Column("received_online", sa.Integer(), nullable=False),
        sa.Column("received_direct_postal", sa.Integer(), nullable=False),
        sa.Column("carried_over", sa.Integer(), nullable=False),
        sa.Column("settled_early", sa.Integer(), nullable=False),
        sa.Column("settled_on_time", sa.Integer(), nullable=False),
        sa.Column("settled_late", sa.Integer(), nullable=False),
        sa.Column("open_in_time", sa.Integer(), nullable=False),
        sa.Column("open_overdue", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Integer(), nullable=False),
        sa.Column("stopped", sa.Integer(), nullable=False),
        sa.Column("postal_received", sa.Integer(), nullable=False),
        sa.Column("postal_sent", sa.Integer(), nullable=False),
        sa.Column("postal_delivered", sa.Integer(), nullable=False),
        sa.Column("postal_returned", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["summary_id"], ["day_summaries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("summary_id", "procedure"),
    )


def downgrade() -> None:
    op.drop_table("summary_rows")
    op.drop_index("ix_current_days_day", table_name="current_days")
    op.drop_table("current_days")
    op.drop_table("day_summaries")
    op.drop_table("desks")
