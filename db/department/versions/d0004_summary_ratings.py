"""The applicants' ratings of each procedure on the day (issue 16): the summary row's optional
`ratings` object, stored as three counts (very satisfied, satisfied, dissatisfied). Rows received
before keep 0: the department had accepted the object and dropped it.

Revision ID: d0004
Revises: d0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0004"
down_revision: str | None = "d0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("rated_very_satisfied", "rated_satisfied", "rated_dissatisfied")


def upgrade() -> None:
    # A NOT NULL column with a constant default: ALTER TABLE ADD COLUMN on both engines, no copy.
    for name in COLUMNS:
        op.add_column(
            "summary_rows",
            sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0")),
        )


def downgrade() -> None:
    with op.batch_alter_table("summary_rows") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
