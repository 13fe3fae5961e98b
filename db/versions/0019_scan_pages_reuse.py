"""The national index's reuse figure without reading the pages of every shared scan.

`ix_scan_pages_sha256_added` (sha256, added_at, file_id) replaces `ix_scan_pages_sha256`
(sha256): "a page whose bytes were already on another file's page before it" is then one seek
into the index (the earliest pages with the same SHA-256 first) that reads no row, where the
old index made it visit every page sharing those bytes. Looking a page up by its SHA-256 alone
uses the new index as it did the old. No row changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_scan_pages_sha256_added", "scan_pages", ["sha256", "added_at", "file_id"])
    op.drop_index("ix_scan_pages_sha256", table_name="scan_pages")


def downgrade() -> None:
    op.create_index("ix_scan_pages_sha256", "scan_pages", ["sha256"])
    op.drop_index("ix_scan_pages_sha256_added", table_name="scan_pages")
