"""The desk's first day and where an imported file came from (DOMAIN §4.1 rule 8).

`desk_settings.first_day` bounds backdated intake: no file is received at the counter before
it. An existing database gets the earlier of its first file's receipt day and the day it was
set up (its first settings change); a database never set up keeps it empty until `init` or the
wizard. `files.source` says where a bulk-imported file came from (e.g. a paper register).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# min() over a union skips the NULL of an empty table.
_FIRST_DAY = """
UPDATE desk_settings SET first_day = (
    SELECT min(day) FROM (
        SELECT substr(min(received_at), 1, 10) AS day FROM files
        UNION ALL
        SELECT substr(min(at), 1, 10) FROM audit_log WHERE action = 'update_settings'
    ) AS days
)
WHERE id = 1
"""


def upgrade() -> None:
    with op.batch_alter_table("desk_settings") as batch_op:
        batch_op.add_column(sa.Column("first_day", sa.String(length=10), nullable=True))
    with op.batch_alter_table("files") as batch_op:
        batch_op.add_column(sa.Column("source", sa.Text(), nullable=True))
    op.execute(_FIRST_DAY)


def downgrade() -> None:
    with op.batch_alter_table("files") as batch_op:
        batch_op.drop_column("source")
    with op.batch_alter_table("desk_settings") as batch_op:
        batch_op.drop_column("first_day")
