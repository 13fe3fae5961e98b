"""E-mail to applicants (issue 16): the SMTP settings, the applicant's consent, the outbox.

- `mail_settings`: one row per agency that set up e-mail (SMTP host, port, TLS mode, user,
  sender address and name, on/off; `install_id` names the password in each user's secret store:
  the password itself is never in the database).
- `mail_consents`: one row per file whose applicant agreed to notices by e-mail (Decree
  13/2023/NĐ-CP): the address, the wording agreed, who recorded it and when; withdrawn later.
- `mail_outbox`: one row per message, written in the transaction of the step that calls for it
  (accept, supplement request, result, reschedule with apology), so a rolled-back step queues
  nothing and a committed one never loses its message.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_settings",
        sa.Column("agency", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("host", sa.String(length=253), server_default="", nullable=False),
        sa.Column("port", sa.Integer(), server_default="587", nullable=False),
        sa.Column("security", sa.String(length=8), server_default="starttls", nullable=False),
        sa.Column("username", sa.String(length=200), server_default="", nullable=False),
        sa.Column("sender_address", sa.String(length=200), server_default="", nullable=False),
        sa.Column("sender_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("install_id", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=19), nullable=True),
        sa.ForeignKeyConstraint(["agency"], ["desk_settings.id"]),
        sa.PrimaryKeyConstraint("agency"),
        sa.CheckConstraint(
            "security IN ('starttls', 'ssl', 'none')", name="ck_mail_settings_security"
        ),
    )
    op.create_table(
        "mail_consents",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=19), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.String(length=19), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["withdrawn_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("file_id"),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="queued", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.String(length=19), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=19), nullable=False),
        sa.Column("sent_at", sa.String(length=19), nullable=True),
        sa.Column("queued_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["queued_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "kind IN ('receipt', 'supplement', 'result', 'apology')", name="ck_mail_outbox_kind"
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')", name="ck_mail_outbox_status"
        ),
    )
    op.create_index("ix_mail_outbox_status_next", "mail_outbox", ["status", "next_attempt_at"])
    op.create_index("ix_mail_outbox_file", "mail_outbox", ["file_id"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_file", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_status_next", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("mail_consents")
    op.drop_table("mail_settings")
