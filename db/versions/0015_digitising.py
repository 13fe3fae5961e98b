"""Digitising at intake (Circular 03/2025): each document line's state and its scanned pages.

- `scan_lines`: one row per line of a file that has been given a state. `kind` is "document"
  (the line's index in the file's document set, 0..n-1) or "result" (the result papers, line 0).
  `state` is pending (the line waits for an answer), scan_later, digitised, or one of the four
  exceptions of the Circular (online, shown_only, produced_in_processing, confidential) with
  its reason. The partial index holds the lines still to scan: the "Chờ số hóa" queue.
- `scan_pages`: the pages of a line in order, each naming its bytes by SHA-256 with their size
  and media type. The bytes themselves are in the page store (store/pages.py).
- `page_blobs`: the page store of a centre's PostgreSQL database (bytea, one row per distinct
  page). A solo desk keeps its pages in a folder beside its SQLite file; there the table stays
  empty except inside a backup file, which carries the pages in it.
- Changing a line marks the file's day for the day summary again (its digitising counts).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = (
    "'pending', 'scan_later', 'digitised', 'online', 'shown_only', "
    "'produced_in_processing', 'confidential'"
)
OPEN = "state IN ('pending', 'scan_later') AND kind = 'document'"


def _mark(row: str) -> str:
    day = f"(SELECT substr(received_at, 1, 10) FROM files WHERE id = {row}.file_id)"
    agency = f"(SELECT agency FROM files WHERE id = {row}.file_id)"
    least = ddl.least("coalesce(dirty_from, '9999-12-31')", day)
    return f"UPDATE sync_settings SET dirty_from = {least} WHERE id = {agency}"


def triggers() -> dict[str, tuple[str, str, str]]:
    return {
        "trg_sync_scan_lines_insert": ("INSERT", "scan_lines", _mark("new")),
        "trg_sync_scan_lines_update": ("UPDATE", "scan_lines", _mark("new")),
        "trg_sync_scan_lines_delete": ("DELETE", "scan_lines", _mark("old")),
    }


def upgrade() -> None:
    op.create_table(
        "scan_lines",
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("files.id"), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.String(length=19), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.PrimaryKeyConstraint("file_id", "kind", "line"),
        sa.CheckConstraint("kind IN ('document', 'result')", name="ck_scan_lines_kind"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_scan_lines_state"),
    )
    op.create_index(
        "ix_scan_lines_open",
        "scan_lines",
        ["file_id"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "scan_pages",
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("files.id"), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("added_at", sa.String(length=19), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.PrimaryKeyConstraint("file_id", "kind", "line", "seq"),
    )
    op.create_index("ix_scan_pages_sha256", "scan_pages", ["sha256"])
    op.create_table(
        "page_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    for name, (event, table, body) in triggers().items():
        ddl.create_trigger(name, timing="AFTER", event=event, table=table, body=body)


def downgrade() -> None:
    for name, (_event, table, _body) in triggers().items():
        ddl.drop_trigger(name, table)
    op.drop_table("page_blobs")
    op.drop_index("ix_scan_pages_sha256", table_name="scan_pages")
    op.drop_table("scan_pages")
    op.drop_index("ix_scan_lines_open", table_name="scan_lines")
    op.drop_table("scan_lines")
