"""Desk settings for printed forms: form set, receipt layout, reprint mark.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("desk_settings") as batch_op:
        batch_op.add_column(
            sa.Column("form_set", sa.String(length=20), server_default="2025", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "receipt_layout",
                sa.String(length=12),
                server_default="two_sheets",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("reprint_mark", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("desk_settings") as batch_op:
        batch_op.drop_column("reprint_mark")
        batch_op.drop_column("receipt_layout")
        batch_op.drop_column("form_set")
