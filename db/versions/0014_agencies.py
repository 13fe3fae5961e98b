"""Agencies in one database: a centre's register holds several agencies; a solo desk is one.

- `desk_settings` becomes the agencies table: one row per agency (identity, identifier used in
  codes, hours, form settings), id 1 being the solo desk's. The identifier is unique when set.
- Files, procedures and the sync outbox gain `agency` (default 1, so every existing row is the
  solo desk's agency). Register numbers are unique per agency and book, procedure codes per
  agency, outbox revisions per agency and day.
- `sync_settings` keeps one row per agency with the agency's id; the triggers that mark days to
  send again now mark the changed file's agency only.
- `user_agencies` assigns users to agencies; every existing user is assigned to agency 1.
- Files and events record the counter (quầy) that received or acted, as the computer names it.

On SQLite the three tables whose unique constraints change are rebuilt (Alembic batch, run with
foreign-key enforcement off by store/migrate.py, so no child row is touched); the sync triggers
are dropped first and made again at the end.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.store import ddl

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_SYNC_TRIGGERS = {
    "trg_sync_files_insert": "files",
    "trg_sync_files_update": "files",
    "trg_sync_files_delete": "files",
    "trg_sync_pauses_insert": "pauses",
    "trg_sync_pauses_update": "pauses",
    "trg_sync_pauses_delete": "pauses",
    "trg_sync_postal_insert": "postal_items",
    "trg_sync_postal_update": "postal_items",
    "trg_sync_postal_delete": "postal_items",
    "trg_sync_procedures_update": "procedures",
    "trg_sync_due_history_insert": "due_history",
}

_STAT_COLUMNS = (
    "status, channel, procedure_id, received_at, original_due_at, settled_at, outcome, closed_at"
)


def _mark(day: str, agency: str) -> str:
    least = ddl.least("coalesce(dirty_from, '9999-12-31')", day)
    return f"UPDATE sync_settings SET dirty_from = {least} WHERE id = {agency}"


def _file_of(row: str, column: str) -> str:
    return f"(SELECT {column} FROM files WHERE id = {row}.file_id)"


def _day_of(row: str) -> str:
    return f"substr({_file_of(row, 'received_at')}, 1, 10)"


def triggers() -> dict[str, tuple[str, str, str]]:
    """name: (event, table, the UPDATE of the agency's sync row)."""
    return {
        "trg_sync_files_insert": (
            "INSERT",
            "files",
            _mark("substr(new.received_at, 1, 10)", "new.agency"),
        ),
        "trg_sync_files_update": (
            f"UPDATE OF {_STAT_COLUMNS}, agency",
            "files",
            _mark(
                ddl.least("substr(old.received_at, 1, 10)", "substr(new.received_at, 1, 10)"),
                "old.agency",
            )
            + "; "
            + _mark(
                ddl.least("substr(old.received_at, 1, 10)", "substr(new.received_at, 1, 10)"),
                "new.agency",
            ),
        ),
        "trg_sync_files_delete": (
            "DELETE",
            "files",
            _mark("substr(old.received_at, 1, 10)", "old.agency"),
        ),
        "trg_sync_pauses_insert": (
            "INSERT",
            "pauses",
            _mark(_day_of("new"), _file_of("new", "agency")),
        ),
        "trg_sync_pauses_update": (
            "UPDATE",
            "pauses",
            _mark(_day_of("new"), _file_of("new", "agency")),
        ),
        "trg_sync_pauses_delete": (
            "DELETE",
            "pauses",
            _mark(_day_of("old"), _file_of("old", "agency")),
        ),
        "trg_sync_postal_insert": (
            "INSERT",
            "postal_items",
            _mark(_day_of("new"), _file_of("new", "agency")),
        ),
        "trg_sync_postal_update": (
            "UPDATE",
            "postal_items",
            _mark(_day_of("new"), _file_of("new", "agency")),
        ),
        "trg_sync_postal_delete": (
            "DELETE",
            "postal_items",
            _mark(_day_of("old"), _file_of("old", "agency")),
        ),
        # The catalogue's code, name or field is part of every day's rows of its agency.
        "trg_sync_procedures_update": (
            "UPDATE OF code, name, field",
            "procedures",
            _mark(
                "(SELECT substr(min(received_at), 1, 10) FROM files WHERE agency = new.agency)",
                "new.agency",
            ),
        ),
        "trg_sync_due_history_insert": (
            "INSERT",
            "due_history",
            _mark("substr(new.at, 1, 10)", _file_of("new", "agency")),
        ),
    }


def _drop_sync_triggers() -> None:
    for name, table in _OLD_SYNC_TRIGGERS.items():
        ddl.drop_trigger(name, table)


def _make_sync_triggers(make: dict[str, tuple[str, str, str]]) -> None:
    for name, (event, table, body) in make.items():
        ddl.create_trigger(name, timing="AFTER", event=event, table=table, body=body)


def _agency_column() -> sa.Column[int]:
    return sa.Column(
        "agency",
        sa.Integer(),
        sa.ForeignKey("desk_settings.id", name="fk_agency"),
        server_default="1",
        nullable=False,
    )


def upgrade() -> None:
    pg = ddl.is_postgresql()
    _drop_sync_triggers()

    with op.batch_alter_table("desk_settings") as batch_op:
        batch_op.add_column(
            sa.Column("short_name", sa.String(length=60), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default="1", nullable=False))
    op.create_index(
        "uq_desk_settings_agency_id",
        "desk_settings",
        ["agency_id"],
        unique=True,
        sqlite_where=sa.text("agency_id <> ''"),
        postgresql_where=sa.text("agency_id <> ''"),
    )

    if pg:
        op.add_column("procedures", _agency_column())
        op.drop_constraint("procedures_code_key", "procedures", type_="unique")
        op.create_unique_constraint("uq_procedures_agency_code", "procedures", ["agency", "code"])
        op.add_column("files", _agency_column())
        op.add_column("files", sa.Column("counter_name", sa.String(length=60), nullable=True))
        op.drop_constraint("uq_files_register", "files", type_="unique")
        op.create_unique_constraint(
            "uq_files_register", "files", ["agency", "register_book", "register_seq"]
        )
        op.add_column("sync_outbox", _agency_column())
        op.drop_constraint("uq_outbox_day_revision", "sync_outbox", type_="unique")
        op.create_unique_constraint(
            "uq_outbox_day_revision", "sync_outbox", ["agency", "day", "revision"]
        )
    else:
        # SQLite: a table's unique constraints change only by rebuilding it.
        # 0001 left the code's UNIQUE unnamed on SQLite: the convention names it to drop it.
        with op.batch_alter_table(
            "procedures",
            recreate="always",
            naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"},
        ) as batch_op:
            batch_op.add_column(_agency_column())
            batch_op.drop_constraint("uq_procedures_code", type_="unique")
            batch_op.create_unique_constraint("uq_procedures_agency_code", ["agency", "code"])
        with op.batch_alter_table("files", recreate="always") as batch_op:
            batch_op.add_column(_agency_column())
            batch_op.add_column(sa.Column("counter_name", sa.String(length=60), nullable=True))
            batch_op.drop_constraint("uq_files_register", type_="unique")
            batch_op.create_unique_constraint(
                "uq_files_register", ["agency", "register_book", "register_seq"]
            )
        with op.batch_alter_table("sync_outbox", recreate="always") as batch_op:
            batch_op.add_column(_agency_column())
            batch_op.drop_constraint("uq_outbox_day_revision", type_="unique")
            batch_op.create_unique_constraint(
                "uq_outbox_day_revision", ["agency", "day", "revision"]
            )
    op.create_index("ix_files_agency_status", "files", ["agency", "status"])
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("counter_name", sa.String(length=60), nullable=True))

    op.create_table(
        "user_agencies",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("agency", sa.Integer(), sa.ForeignKey("desk_settings.id"), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "agency"),
    )
    op.create_index("ix_user_agencies_agency", "user_agencies", ["agency"])
    op.execute("INSERT INTO user_agencies (user_id, agency) SELECT id, 1 FROM users")

    _make_sync_triggers(triggers())


def downgrade() -> None:
    raise NotImplementedError("Agencies cannot be folded back into one desk by a migration.")
