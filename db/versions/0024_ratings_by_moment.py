"""The ratings' indexes start with the moment, then the agency (issue 16).

0018 indexed the ratings by (agency, rated_at) and (agency, opened_at). A solo desk asks by
moment alone (its scope is every agency: no agency term), so the day summary's "ratings given
on these days" and the satisfaction page read the whole table. One index on (rated_at,
opened_at, agency) serves every question asked: the ratings given in a range (rated_at), the
visits of a range never rated (rated_at IS NULL, then opened_at), and a centre's agency term
checked in the index before the row is read. It replaces the two of 0018.

No row changes.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_ratings_moments", "ratings", ["rated_at", "opened_at", "agency"])
    op.drop_index("ix_ratings_agency_rated", table_name="ratings")
    op.drop_index("ix_ratings_agency_opened", table_name="ratings")


def downgrade() -> None:
    op.create_index("ix_ratings_agency_opened", "ratings", ["agency", "opened_at"])
    op.create_index("ix_ratings_agency_rated", "ratings", ["agency", "rated_at"])
    op.drop_index("ix_ratings_moments", table_name="ratings")
