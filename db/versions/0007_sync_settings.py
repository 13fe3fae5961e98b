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

from desk_app.store import ddl

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A file only counts on the days from its reception on, so every change to it (or to its pauses
# and postal items) can move the numbers of those days only. `dirty_from` keeps the earliest.
def _mark(day: str) -> str:
    least = ddl.least("coalesce(dirty_from, '9999-12-31')", day)
    return f"UPDATE sync_settings SET dirty_from = {least} WHERE id = 1"


_FILE_DAY = "substr((SELECT received_at FROM files WHERE id = {row}.file_id), 1, 10)"
_STAT_COLUMNS = (
    "status, channel, procedure_id, received_at, original_due_at, settled_at, outcome, closed_at"
)


def triggers() -> dict[str, tuple[str, str, str]]:
    """name: (event, table, the day from which numbers may move)."""
    return {
        "trg_sync_files_insert": ("INSERT", "files", "substr(new.received_at, 1, 10)"),
        "trg_sync_files_update": (
            f"UPDATE OF {_STAT_COLUMNS}",
            "files",
            ddl.least("substr(old.received_at, 1, 10)", "substr(new.received_at, 1, 10)"),
        ),
        "trg_sync_files_delete": ("DELETE", "files", "substr(old.received_at, 1, 10)"),
        "trg_sync_pauses_insert": ("INSERT", "pauses", _FILE_DAY.format(row="new")),
        "trg_sync_pauses_update": ("UPDATE", "pauses", _FILE_DAY.format(row="new")),
        "trg_sync_pauses_delete": ("DELETE", "pauses", _FILE_DAY.format(row="old")),
        "trg_sync_postal_insert": ("INSERT", "postal_items", _FILE_DAY.format(row="new")),
        "trg_sync_postal_update": ("UPDATE", "postal_items", _FILE_DAY.format(row="new")),
        "trg_sync_postal_delete": ("DELETE", "postal_items", _FILE_DAY.format(row="old")),
        # The catalogue's code, name or field is part of every day's rows.
        "trg_sync_procedures_update": (
            "UPDATE OF code, name, field",
            "procedures",
            "(SELECT substr(min(received_at), 1, 10) FROM files)",
        ),
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
    for name, (event, table, day) in triggers().items():
        ddl.create_trigger(name, timing="AFTER", event=event, table=table, body=_mark(day))


def downgrade() -> None:
    for name, (_event, table, _day) in triggers().items():
        ddl.drop_trigger(name, table)
    op.drop_table("sync_settings")
