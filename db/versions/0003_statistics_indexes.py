"""Files: settled and closed indexes carry the receipt moment for the period statistics.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_files_settled", table_name="files")
    op.drop_index("ix_files_closed", table_name="files")
    op.create_index("ix_files_settled_received", "files", ["settled_at", "received_at"])
    op.create_index("ix_files_closed_received", "files", ["closed_at", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_files_closed_received", table_name="files")
    op.drop_index("ix_files_settled_received", table_name="files")
    op.create_index("ix_files_closed", "files", ["closed_at"])
    op.create_index("ix_files_settled", "files", ["settled_at"])
