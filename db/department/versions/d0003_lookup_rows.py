"""The files' look-up rows for the public page (issue 16): status, due, result ready and the
hash of the receipt's look-up key, one row per (desk, file code); no personal data.

Revision ID: d0003
Revises: d0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0003"
down_revision: str | None = "d0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lookup_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("procedure", sa.String(length=64), nullable=False),
        sa.Column("procedure_name", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=True),
        sa.Column("settled", sa.DateTime(), nullable=True),
        sa.Column("result_ready", sa.Boolean(), nullable=False),
        sa.Column("result_by", sa.String(length=8), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("desk_id", "code", name="uq_lookup_rows_desk_code"),
    )
    op.create_index("ix_lookup_rows_code", "lookup_rows", ["code"])


def downgrade() -> None:
    op.drop_index("ix_lookup_rows_code", table_name="lookup_rows")
    op.drop_table("lookup_rows")
