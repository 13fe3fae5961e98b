"""Sign-in back-off per user.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Failed sign-ins in a row and the moment the next attempt is allowed: kept in the database
    # so that restarting the program does not reset the back-off.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("failed_signins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("signin_blocked_until", sa.String(length=19), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("signin_blocked_until")
        batch_op.drop_column("failed_signins")
