"""The applicant's rating of the service at the counter (issue 16): one row per service visit.

- `ratings`: a visit opens when the officer finishes a service for a file (accept, refuse at
  intake, return of the result) with a random `token` that the applicant's screen answers to;
  it is rated at most once (`level` 3 Rất hài lòng, 2 Hài lòng, 1 Không hài lòng, with optional
  reason keys as a JSON list and a comment). The file's agency, the officer and the counter are
  written with the visit and never change.
- The database keeps the rating honest: a trigger refuses DELETE, any UPDATE of a row already
  rated, and any UPDATE that changes who, what or when the visit was (token, file, agency,
  officer, counter, service, opened_at). Only the one rating (NULL level → a level) goes through.
- A visit or its rating marks its day for the day summary again (the counts by level).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIXED = ("token", "file_id", "agency", "officer_id", "counter_name", "service", "opened_at")


def _changed(column: str) -> str:
    if ddl.is_postgresql():
        return f"NEW.{column} IS DISTINCT FROM OLD.{column}"
    return f"NEW.{column} IS NOT OLD.{column}"


def _mark() -> str:
    day = "substr(coalesce(NEW.rated_at, NEW.opened_at), 1, 10)"
    least = ddl.least("coalesce(dirty_from, '9999-12-31')", day)
    return f"UPDATE sync_settings SET dirty_from = {least} WHERE id = NEW.agency"


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("files.id"), nullable=False),
        sa.Column("agency", sa.Integer(), sa.ForeignKey("desk_settings.id"), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("counter_name", sa.String(length=60), nullable=True),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.String(length=19), nullable=False),
        sa.Column("rated_at", sa.String(length=19), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token", name="uq_ratings_token"),
        sa.CheckConstraint("service IN ('accept', 'refuse', 'return')", name="ck_ratings_service"),
        sa.CheckConstraint("level IS NULL OR level BETWEEN 1 AND 3", name="ck_ratings_level"),
    )
    op.create_index("ix_ratings_agency_rated", "ratings", ["agency", "rated_at"])
    op.create_index("ix_ratings_agency_opened", "ratings", ["agency", "opened_at"])
    op.create_index("ix_ratings_file", "ratings", ["file_id"])
    ddl.create_trigger(
        "ratings_no_delete",
        timing="BEFORE",
        event="DELETE",
        table="ratings",
        body=ddl.refuse("ratings: a rating is never deleted"),
    )
    changed = " OR ".join(_changed(c) for c in FIXED)
    ddl.create_trigger(
        "ratings_once",
        timing="BEFORE",
        event="UPDATE",
        table="ratings",
        when=f"OLD.level IS NOT NULL OR {changed}",
        body=ddl.refuse("ratings: a visit is rated once and never changed"),
    )
    for event in ("INSERT", "UPDATE"):
        ddl.create_trigger(
            f"trg_sync_ratings_{event.lower()}",
            timing="AFTER",
            event=event,
            table="ratings",
            body=_mark(),
        )


def downgrade() -> None:
    for name in ("trg_sync_ratings_update", "trg_sync_ratings_insert", "ratings_once"):
        ddl.drop_trigger(name, "ratings")
    ddl.drop_trigger("ratings_no_delete", "ratings")
    op.drop_index("ix_ratings_file", table_name="ratings")
    op.drop_index("ix_ratings_agency_opened", table_name="ratings")
    op.drop_index("ix_ratings_agency_rated", table_name="ratings")
    op.drop_table("ratings")
