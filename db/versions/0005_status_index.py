"""An index on (status, result_by): the window's status queues and their live counts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_files_status_result", "files", ["status", "result_by"])


def downgrade() -> None:
    op.drop_index("ix_files_status_result", table_name="files")
