"""Two indexes that keep a centre's statistics fast however old its register grows.

- `ix_files_closed_unsettled`: the files closed without a result (withdrawn, stopped, refused),
  by closing moment. The statistics' "carried over and closed unsettled in the period" part used
  to walk every unsettled file received before the period (all the refused files of the years
  before): on a 5,000,000-file register most of a quarter's time for the whole centre. This
  partial index holds only those files and finds the period's few at once.
- `ix_due_history_file_latest` replaces `ix_due_history_file_at`: (file_id, at, id) and the
  original due, so "the original due as it stood at the end" (the newest row of a file's due
  history before a moment, ties by id) is read from the index alone, without sorting nor
  visiting the table, once per file open at the period's end.

No row changes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSED_UNSETTLED = "settled_at IS NULL AND closed_at IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_files_closed_unsettled",
        "files",
        ["closed_at", "received_at"],
        sqlite_where=sa.text(CLOSED_UNSETTLED),
        postgresql_where=sa.text(CLOSED_UNSETTLED),
    )
    op.create_index(
        "ix_due_history_file_latest",
        "due_history",
        ["file_id", "at", "id", "new_original_due_at"],
    )
    op.drop_index("ix_due_history_file_at", table_name="due_history")


def downgrade() -> None:
    op.create_index("ix_due_history_file_at", "due_history", ["file_id", "at"])
    op.drop_index("ix_due_history_file_latest", table_name="due_history")
    op.drop_index("ix_files_closed_unsettled", table_name="files")
