"""The national index's counts along indexes that read no file's row (issue 15).

- `ix_files_received_counts` (received_at, status, channel, agency): the files received in a
  period, how many and how many online, and the range of their ids.
- `ix_files_settled_counts` (settled_at, received_at, status, outcome, agency): the files
  settled in a period, on time and late, and both moments of each for the average time.
- `ix_scan_lines_states` (kind, file_id, line, state): the lines of a kind of a range of files,
  per file in file order, with their states, without reading a line's row.

No row changes.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_files_received_counts", "files", ["received_at", "status", "channel", "agency"]
    )
    op.create_index(
        "ix_files_settled_counts",
        "files",
        ["settled_at", "received_at", "status", "outcome", "agency"],
    )
    op.create_index("ix_scan_lines_states", "scan_lines", ["kind", "file_id", "line", "state"])


def downgrade() -> None:
    op.drop_index("ix_scan_lines_states", table_name="scan_lines")
    op.drop_index("ix_files_settled_counts", table_name="files")
    op.drop_index("ix_files_received_counts", table_name="files")
