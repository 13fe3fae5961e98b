"""Import batches: a bulk import writes in short transactions and is undone as a whole.

Each `files import` is a batch; every file it writes is linked to it. A batch that fails, is
interrupted or whose process was killed is rolled back: its files and their timeline are
removed. The timeline and the due history stay append-only for everything else: their triggers
let a DELETE through only for rows of a file whose batch is being rolled back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Append-only tables of file rows (0001, 0008): their DELETE trigger gets the one exception.
APPEND_ONLY = ("events", "due_history")
# Rows of a file in an import batch being rolled back may go; nothing else may.
_ROLLING_BACK = (
    "EXISTS (SELECT 1 FROM import_batch_files l "
    "JOIN import_batches b ON b.id = l.batch_id "
    "WHERE l.file_id = old.file_id AND b.state = 'rolling_back')"
)


def _no_delete(table: str, *, rollback_only: bool) -> None:
    ddl.create_trigger(
        f"{table}_no_delete",
        timing="BEFORE",
        event="DELETE",
        table=table,
        when=f"NOT {_ROLLING_BACK}" if rollback_only else None,
        body=ddl.refuse(f"{table} is append-only"),
    )


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.String(length=19), nullable=False),
        sa.Column("finished_at", sa.String(length=19), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'committed', 'rolling_back', 'rolled_back')",
            name="ck_import_batches_state",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index("ix_import_batches_state", ["state"], unique=False)
    op.create_table(
        "import_batch_files",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.PrimaryKeyConstraint("file_id"),
    )
    with op.batch_alter_table("import_batch_files", schema=None) as batch_op:
        batch_op.create_index("ix_import_batch_files_batch", ["batch_id"], unique=False)
    for table in APPEND_ONLY:
        ddl.drop_trigger(f"{table}_no_delete", table)
        _no_delete(table, rollback_only=True)


def downgrade() -> None:
    for table in APPEND_ONLY:
        ddl.drop_trigger(f"{table}_no_delete", table)
        _no_delete(table, rollback_only=False)
    with op.batch_alter_table("import_batch_files", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batch_files_batch")
    op.drop_table("import_batch_files")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batches_state")
    op.drop_table("import_batches")
