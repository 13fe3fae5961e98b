"""Files: CHECK constraints on status, channel and result_by; the supervisor's delay reason.

SQLite cannot add a CHECK constraint to an existing table, so the files table is rebuilt in
batch mode (copy, drop, rename). This is the migration that proves the rule of the project:
migrations run with foreign-key enforcement off, or the drop would take child rows with it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recreate() -> str:
    # SQLite adds CHECK constraints only by copying the table; PostgreSQL alters it in place.
    return "auto" if ddl.is_postgresql() else "always"


def upgrade() -> None:
    with op.batch_alter_table("files", recreate=_recreate()) as batch_op:
        batch_op.add_column(sa.Column("delay_reason", sa.Text(), nullable=True))
        batch_op.create_check_constraint("ck_files_status", "status BETWEEN 1 AND 10")
        batch_op.create_check_constraint(
            "ck_files_channel", "channel IN ('direct', 'postal', 'online')"
        )
        batch_op.create_check_constraint("ck_files_result_by", "result_by IN ('counter', 'post')")


def downgrade() -> None:
    with op.batch_alter_table("files", recreate=_recreate()) as batch_op:
        batch_op.drop_constraint("ck_files_result_by", type_="check")
        batch_op.drop_constraint("ck_files_channel", type_="check")
        batch_op.drop_constraint("ck_files_status", type_="check")
        batch_op.drop_column("delay_reason")
