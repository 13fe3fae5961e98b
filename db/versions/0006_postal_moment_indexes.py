"""Indexes on the postal items' hand-over and outcome moments: the period statistics' postal
figures read a period's items instead of scanning them all.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_postal_handed", "postal_items", ["handed_at"])
    op.create_index("ix_postal_state_at", "postal_items", ["state_at"])


def downgrade() -> None:
    op.drop_index("ix_postal_state_at", table_name="postal_items")
    op.drop_index("ix_postal_handed", table_name="postal_items")
