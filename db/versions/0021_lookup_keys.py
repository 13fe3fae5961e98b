"""The file's status from the receipt (issue 16): a look-up secret per agency, and which version
of each file the department has.

- `desk_settings.lookup_secret`: the secret behind each receipt's look-up key (HMAC of the file
  code, services/lookup_keys.py), made here for every agency already present; never printed nor
  sent.
- `lookup_sent` (file_id, version): the file's version whose look-up row the department
  acknowledged; a pass sends the files whose version differs (sync/lookup.py).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("desk_settings") as batch:
        batch.add_column(
            sa.Column("lookup_secret", sa.String(length=64), server_default="", nullable=False)
        )
    conn = op.get_bind()
    settings = sa.table(
        "desk_settings", sa.column("id", sa.Integer()), sa.column("lookup_secret", sa.String())
    )
    for (agency,) in conn.execute(sa.select(settings.c.id)).all():
        conn.execute(
            settings.update()
            .where(settings.c.id == agency)
            .values(lookup_secret=secrets.token_hex(32))
        )
    op.create_table(
        "lookup_sent",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("file_id"),
    )


def downgrade() -> None:
    op.drop_table("lookup_sent")
    with op.batch_alter_table("desk_settings") as batch:
        batch.drop_column("lookup_secret")
