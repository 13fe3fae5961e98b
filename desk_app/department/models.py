"""The department's tables: registered desks, their day summaries and each summary's rows, and
the audit log of registrations and token changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desk_app.sync.protocol import COUNT_KEYS

# The applicants' ratings of a procedure on the day (the summary's optional `ratings` object,
# migration d0004), one column per level, as `rated_<level>`; 0 on a day without ratings.
RATING_LEVELS: tuple[str, ...] = ("very_satisfied", "satisfied", "dissatisfied")

DESK_ROLE = "desk"
VIEWER_ROLE = "viewer"


class Base(DeclarativeBase):
    pass


class Desk(Base):
    """A registered caller: a one-stop desk that sends summaries, or a viewer of reports."""

    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("name_key", name="uq_desks_name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # NFC, whitespace collapsed (service.clean_name); name_key is its comparison form
    # (service.name_key: NFKC, case folded), unique so that look-alike names cannot coexist.
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_key: Mapped[str] = mapped_column(String(400))
    role: Mapped[str] = mapped_column(String(10))
    # sha256 hex of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_software: Mapped[str] = mapped_column(String(64), default="")
    agency_id: Mapped[str] = mapped_column(String(64), default="")
    agency_name: Mapped[str] = mapped_column(String(300), default="")
    unit_name: Mapped[str] = mapped_column(String(300), default="")
    # Set by `revoke-desk` / `revoke-viewer`: the caller has no working token until rotated.
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class AuditEntry(Base):
    """One change to who may call the department: registered, token rotated, revoked."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(16))  # register, rotate, revoke
    role: Mapped[str] = mapped_column(String(10))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))  # the caller's name at that moment
    actor: Mapped[str] = mapped_column(String(200))  # who ran the command (user@host)


class DaySummary(Base):
    """One revision of one desk's day, as received (kept even when a newer revision exists)."""

    __tablename__ = "day_summaries"
    __table_args__ = (UniqueConstraint("desk_id", "day", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    revision: Mapped[int]
    receipt_id: Mapped[str] = mapped_column(String(40), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime)

    rows: Mapped[list[SummaryRow]] = relationship(
        back_populates="summary", cascade="all, delete-orphan", passive_deletes=True
    )


class CurrentDay(Base):
    """Which revision of a (desk, day) counts: the highest received, moved in the same transaction
    that stores a newer one, so reports join one row per (desk, day) without a max() subquery."""

    __tablename__ = "current_days"
    __table_args__ = (Index("ix_current_days_day", "day"),)

    desk_id: Mapped[int] = mapped_column(
        ForeignKey("desks.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    revision: Mapped[int]
    summary_id: Mapped[int] = mapped_column(ForeignKey("day_summaries.id", ondelete="CASCADE"))


class SummaryRow(Base):
    """One procedure's numbers in one summary (the COUNT_KEYS of the protocol, then the day's
    ratings by level; no personal data)."""

    __tablename__ = "summary_rows"
    __table_args__ = (UniqueConstraint("summary_id", "procedure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("day_summaries.id", ondelete="CASCADE"))
    procedure: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(1000))
    field: Mapped[str] = mapped_column(String(300))
    received_online: Mapped[int] = mapped_column(default=0)
    received_direct_postal: Mapped[int] = mapped_column(default=0)
    carried_over: Mapped[int] = mapped_column(default=0)
    settled_early: Mapped[int] = mapped_column(default=0)
    settled_on_time: Mapped[int] = mapped_column(default=0)
    settled_late: Mapped[int] = mapped_column(default=0)
    open_in_time: Mapped[int] = mapped_column(default=0)
    open_overdue: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    stopped: Mapped[int] = mapped_column(default=0)
    postal_received: Mapped[int] = mapped_column(default=0)
    postal_sent: Mapped[int] = mapped_column(default=0)
    postal_delivered: Mapped[int] = mapped_column(default=0)
    postal_returned: Mapped[int] = mapped_column(default=0)
    rated_very_satisfied: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rated_satisfied: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rated_dissatisfied: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    summary: Mapped[DaySummary] = relationship(back_populates="rows")


class LookupRow(Base):
    """A file's status as its desk last sent it, for the public look-up page (issue 16): no
    name, identity number, phone or address; `key_hash` is SHA-256 of the receipt's look-up key,
    which a visitor must give for the row to be shown."""

    __tablename__ = "lookup_rows"
    __table_args__ = (
        UniqueConstraint("desk_id", "code", name="uq_lookup_rows_desk_code"),
        Index("ix_lookup_rows_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    procedure: Mapped[str] = mapped_column(String(64))
    procedure_name: Mapped[str] = mapped_column(String(1000))
    status: Mapped[int]
    due: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    settled: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    result_ready: Mapped[bool] = mapped_column(Boolean, default=False)
    result_by: Mapped[str] = mapped_column(String(8))
    key_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime)


# The columns above must be the protocol's numbers, in its order: a new count key fails here at
# import rather than being silently dropped.
_RATING_COLUMNS = tuple(f"rated_{level}" for level in RATING_LEVELS)
_COUNT_COLUMNS = tuple(
    c.name
    for c in SummaryRow.__table__.columns
    if c.name not in ("id", "summary_id", *_RATING_COLUMNS)
)[3:]
if _COUNT_COLUMNS != COUNT_KEYS:
    raise RuntimeError(f"summary_rows columns {_COUNT_COLUMNS} differ from COUNT_KEYS")
