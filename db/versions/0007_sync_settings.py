"""Sending summaries to the department: the sync settings and state (one row), and triggers that
remember the earliest day whose numbers a change may have moved.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A file only counts on the days from its reception on, so every change to it (or to its pauses
# and postal items) can move the numbers of those days only. `dirty_from` keeps the earliest.
_MARK = (
    "UPDATE sync_settings SET dirty_from = min(coalesce(dirty_from, '9999-12-31'), {day})"
    " WHERE id = 1;"
)
_FILE_DAY = "substr((SELECT received_at FROM files WHERE id = {row}.file_id), 1, 10)"
_STAT_COLUMNS = (
    "status, channel, procedure_id, received_at, original_due_at, settled_at, outcome, closed_at"
)
TRIGGERS = {
    "trg_sync_files_insert": "AFTER INSERT ON files BEGIN "
    + _MARK.format(day="substr(new.received_at, 1, 10)")
    + " END",
    "trg_sync_files_update": f"AFTER UPDATE OF {_STAT_COLUMNS} ON files BEGIN "
    + _MARK.format(day="min(substr(old.received_at, 1, 10), substr(new.received_at, 1, 10))")
    + " END",
    "trg_sync_files_delete": "AFTER DELETE ON files BEGIN "
    + _MARK.format(day="substr(old.received_at, 1, 10)")
    + " END",
    "trg_sync_pauses_insert": "AFTER INSERT ON pauses BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="new"))
    + " END",
    "trg_sync_pauses_update": "AFTER UPDATE ON pauses BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="new"))
    + " END",
    "trg_sync_pauses_delete": "AFTER DELETE ON pauses BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="old"))
    + " END",
    "trg_sync_postal_insert": "AFTER INSERT ON postal_items BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="new"))
    + " END",
    "trg_sync_postal_update": "AFTER UPDATE ON postal_items BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="new"))
    + " END",
    "trg_sync_postal_delete": "AFTER DELETE ON postal_items BEGIN "
    + _MARK.format(day=_FILE_DAY.format(row="old"))
    + " END",
    # The catalogue's code, name or field is part of every day's rows.
    "trg_sync_procedures_update": "AFTER UPDATE OF code, name, field ON procedures BEGIN "
    + _MARK.format(day="(SELECT substr(min(received_at), 1, 10) FROM files)")
    + " END",
}


def upgrade() -> None:
    op.create_table(
        "sync_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("url", sa.String(length=300), server_default="", nullable=False),
        sa.Column("interval_minutes", sa.Integer(), server_default="15", nullable=False),
        sa.Column("install_id", sa.String(length=40), nullable=False),
        sa.Column("dirty_from", sa.String(length=10), nullable=True),
        sa.Column("built_through", sa.String(length=10), nullable=True),
        sa.Column("last_attempt_at", sa.String(length=19), nullable=True),
        sa.Column("last_success_at", sa.String(length=19), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        sa.text("INSERT INTO sync_settings (id, install_id) VALUES (1, :u)").bindparams(
            u=uuid.uuid4().hex
        )
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("sync_settings")
