"""A centre's name search within its agencies walks each agency's files newest first (issue 14).

PostgreSQL only: `ix_files_agency_received` (agency, received_at). The search box finds a common
name's newest files by walking the files newest first and checking each one's applicant; for
an officer of one agency of a centre that walk went through every agency's files and skipped
the others' (5,000,000 files, "nguyen van" in an agency of a twelfth of them: 91,000 files
walked, 87 ms), and walks that agency's alone with this index (6,000 files, 40 ms).

A solo desk's SQLite register has one agency and finds names by its FTS5 index: the index
would only be written there, never read, and SQLite's planner, which has no statistics of a
new index until ANALYZE, could take it for the queues' own. No row changes.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_files_agency_received ON files (agency, received_at)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_files_agency_received")
