"""Results digitised too (Circular 03/2025): the "Chờ số hóa" queue's partial index holds every
line still to scan, the result's included.

The result's line (kind "result", line 0) opens as pending when the settling agency's result
comes back (services/digitise.py `open_result`), so the queue lists the file until the result is
scanned or explained. Migration 0015's index held only the document lines; the queue would have
had to read every line of the register to find the results. No row changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "state IN ('pending', 'scan_later')"
OPEN_DOCUMENTS = "state IN ('pending', 'scan_later') AND kind = 'document'"


def _index(where: str) -> None:
    op.drop_index("ix_scan_lines_open", table_name="scan_lines")
    op.create_index(
        "ix_scan_lines_open",
        "scan_lines",
        ["file_id"],
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    _index(OPEN)


def downgrade() -> None:
    _index(OPEN_DOCUMENTS)
