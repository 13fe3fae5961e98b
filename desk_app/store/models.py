"""SQLAlchemy 2 typed models of the desk database; the schema itself is made by Alembic."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desk_app.domain.workflow import OPEN_CODES
from desk_app.store.types import Day, ExactDecimal, Moment

_OPEN_IN = ",".join(str(c) for c in OPEN_CODES)
_RUNNING_IN = "2,4"  # open and not paused: the statuses whose clock is running


class Base(DeclarativeBase):
    """Declarative base of every table."""


class DeskSettings(Base):
    """An agency of the database: its identity and working rules (migration 0014).

    A solo desk has one row, id 1. A centre database holds one row per agency (cơ quan) whose
    counters sit in the centre; files, procedures, register books, slip numbers, the sync state
    and the department token belong to one agency each. `agency_id` is the identifier used in
    file codes (unique when set); `id` is what the other tables' `agency` columns hold.
    """

    __tablename__ = "desk_settings"
    __table_args__ = (
        Index(
            "uq_desk_settings_agency_id",
            "agency_id",
            unique=True,
            sqlite_where=text("agency_id <> ''"),
            postgresql_where=text("agency_id <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # How the status bar and the pickers name the agency ("Sở Tư pháp"); the full name otherwise.
    short_name: Mapped[str] = mapped_column(String(60), server_default="")
    active: Mapped[bool] = mapped_column(Boolean, server_default="1")
    governing_body: Mapped[str] = mapped_column(String(200), server_default="")
    agency_name: Mapped[str] = mapped_column(String(200), server_default="")
    unit_name: Mapped[str] = mapped_column(String(200), server_default="BỘ PHẬN MỘT CỬA")
    agency_id: Mapped[str] = mapped_column(String(40), server_default="")
    place_name: Mapped[str] = mapped_column(String(100), server_default="")
    office_hours: Mapped[str] = mapped_column(String(100), server_default="07:00-11:30,13:30-17:00")
    cutoff: Mapped[str] = mapped_column(String(5), server_default="15:00")
    due_soon_days: Mapped[Decimal] = mapped_column(ExactDecimal, server_default="1")
    supplement_suffix: Mapped[str] = mapped_column(String(20), server_default="HDHS")
    refusal_suffix: Mapped[str] = mapped_column(String(20), server_default="TCHS")
    apology_suffix: Mapped[str] = mapped_column(String(20), server_default="XLHS")
    # At most this many apology letters with a new appointment per file (DOMAIN §4: verify).
    max_reschedules: Mapped[int] = mapped_column(Integer, server_default="1")
    lookup_url: Mapped[str] = mapped_column(String(300), server_default="")
    # The agency's secret behind each receipt's look-up key (services/lookup_keys.py, 0021).
    lookup_secret: Mapped[str] = mapped_column(String(64), server_default="")
    # Printed forms: which form set (titles, numbering, legal basis), the receipt layout
    # ("two_sheets": each copy on its own A4; "half_sheets": both copies on one A4), and
    # whether a reprint carries the words "Bản in lại".
    form_set: Mapped[str] = mapped_column(String(20), server_default="2025")
    receipt_layout: Mapped[str] = mapped_column(String(12), server_default="two_sheets")
    reprint_mark: Mapped[bool] = mapped_column(Boolean, server_default="0")
    phone: Mapped[str] = mapped_column(String(40), server_default="")
    # The first day the desk used the program: no file is received at the counter before it
    # (DOMAIN §4.1 rule 8); older files come in through `files import` only.
    first_day: Mapped[date | None] = mapped_column(Day, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class Procedure(Base):
    """An administrative procedure (thủ tục hành chính) of the desk's catalogue."""

    __tablename__ = "procedures"
    __table_args__ = (UniqueConstraint("agency", "code", name="uq_procedures_agency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The agency whose catalogue lists it; two agencies may use the same national code.
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"), server_default="1")
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500))
    name_folded: Mapped[str] = mapped_column(String(500))
    field: Mapped[str] = mapped_column(String(200))
    settling_agency: Mapped[str] = mapped_column(String(300))
    duration: Mapped[Decimal | None] = mapped_column(ExactDecimal, nullable=True)
    unit: Mapped[str] = mapped_column(String(20))
    restart_on_supplement: Mapped[bool] = mapped_column(Boolean, default=False)
    fee: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    cutoff: Mapped[str | None] = mapped_column(String(5), nullable=True)
    documents: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of document specs
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    verify_note: Mapped[str] = mapped_column(Text, default="")


class Applicant(Base):
    """A person or organisation that owns files (chủ hồ sơ)."""

    __tablename__ = "applicants"
    __table_args__ = (
        Index("ix_applicants_id_number", "id_number"),
        Index("ix_applicants_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300))
    id_kind: Mapped[str | None] = mapped_column(String(12), nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)


class User(Base):
    """A person who signs in: officer, supervisor or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    # Sign-in back-off (migration 0010): failures in a row, and no attempt is checked before
    # `signin_blocked_until`; a successful sign-in clears both.
    failed_signins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    signin_blocked_until: Mapped[datetime | None] = mapped_column(Moment)


class UserAgency(Base):
    """An officer's assignment: the agencies a user works for (migration 0014).

    A user signs in once and works for every agency assigned here that the computer also serves.
    """

    __tablename__ = "user_agencies"
    __table_args__ = (Index("ix_user_agencies_agency", "agency"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"), primary_key=True)


class DocumentSet(Base):
    """An immutable list of documents received, shared by every file that received exactly it.

    Rows are content-addressed (`sha256` of `items`) and never change, so a file's record of what
    was handed in cannot move when the catalogue or another file changes.
    """

    __tablename__ = "document_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    items: Mapped[str] = mapped_column(Text)  # JSON [[name, copy_type, count], ...]


class FileRecord(Base):
    """An application file (hồ sơ) with everything DOMAIN §2 asks the desk to record."""

    __tablename__ = "files"
    __table_args__ = (
        # Register books and numbers are the agency's own (migration 0014).
        UniqueConstraint("agency", "register_book", "register_seq", name="uq_files_register"),
        CheckConstraint("status BETWEEN 1 AND 10", name="ck_files_status"),
        CheckConstraint("channel IN ('direct', 'postal', 'online')", name="ck_files_channel"),
        CheckConstraint("result_by IN ('counter', 'post')", name="ck_files_result_by"),
        Index("ix_files_received", "received_at"),
        # (moment, received_at): the statistics find files carried over into a period
        # (received before it, ended in or after it) without visiting the table.
        Index("ix_files_settled_received", "settled_at", "received_at"),
        # The national index's counts of a period without reading a file's row (0025).
        Index("ix_files_received_counts", "received_at", "status", "channel", "agency"),
        Index(
            "ix_files_settled_counts", "settled_at", "received_at", "status", "outcome", "agency"
        ),
        Index("ix_files_closed_received", "closed_at", "received_at"),
        # The files closed without a result, by closing moment: the statistics' carried-over
        # files closed unsettled in a period, without walking the old refused ones (0017).
        Index(
            "ix_files_closed_unsettled",
            "closed_at",
            "received_at",
            sqlite_where=text("settled_at IS NULL AND closed_at IS NOT NULL"),
            postgresql_where=text("settled_at IS NULL AND closed_at IS NOT NULL"),
        ),
        Index("ix_files_applicant", "applicant_id"),
        # A centre's counts and lists for some of its agencies.
        Index("ix_files_agency_status", "agency", "status"),
        # The window's status queues (result at the desk vs. waiting for the post) and counts.
        Index("ix_files_status_result", "status", "result_by"),
        # Running clocks ordered by the rule's due moment: the overdue and due-soon queues.
        Index(
            "ix_files_running_original_due",
            "original_due_at",
            sqlite_where=text(f"status IN ({_RUNNING_IN})"),
            postgresql_where=text(f"status IN ({_RUNNING_IN})"),
        ),
        Index(
            "ix_files_open_due",
            "due_at",
            sqlite_where=text(f"status IN ({_OPEN_IN})"),
            postgresql_where=text(f"status IN ({_OPEN_IN})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The agency the file was received for (its procedure's agency); codes carry its identifier.
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"), server_default="1")
    code: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(8))
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    # The person who handed the file in, when not the owner (e.g. with an authorisation).
    submitter_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    submitter_id_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    submitter_phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    authorisation: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The documents received, as a shared immutable set: most files carry the same checklist.
    document_set_id: Mapped[int] = mapped_column(ForeignKey("document_sets.id"))
    sets_count: Mapped[int] = mapped_column(Integer, default=1)
    fee_collected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    result_by: Mapped[str] = mapped_column(String(8), default="counter")
    delivery_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    delivery_phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    delivery_address: Mapped[str | None] = mapped_column(Text, nullable=True)
    register_book: Mapped[str] = mapped_column(String(20))
    register_seq: Mapped[int] = mapped_column(Integer)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The counter (quầy) that received it, as the receiving computer names itself; None before 0014.
    counter_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Snapshot of the rule used, so a later catalogue edit never moves an existing appointment.
    duration: Mapped[Decimal | None] = mapped_column(ExactDecimal, nullable=True)
    unit: Mapped[str] = mapped_column(String(20))
    restart_on_supplement: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(Moment)
    due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    original_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(8), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    postal_in_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Why the file is late, as the supervisor marks it (shown on the overdue watch).
    delay_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    postal_in_sender: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Where a bulk-imported file came from ("Nhập từ sổ giấy: …"); None for counter intake.
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Written by `demo` (fake applicant, invented history); never true for a file taken in.
    demo: Mapped[bool] = mapped_column(Boolean, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Event(Base):
    """One step on a file's timeline; never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_file", "file_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    at: Mapped[datetime] = mapped_column(Moment)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON details
    # The counter (quầy) where the step was taken; None for the command line and before 0014.
    counter_name: Mapped[str | None] = mapped_column(String(60), nullable=True)


class Pause(Base):
    """An interval during which a file's clock is stopped (status 5 or 6)."""

    __tablename__ = "pauses"
    __table_args__ = (Index("ix_pauses_file", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    kind: Mapped[str] = mapped_column(String(12))  # supplement | financial
    start_at: Mapped[datetime] = mapped_column(Moment)
    end_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    slip_number: Mapped[str | None] = mapped_column(String(30), nullable=True)


class Reschedule(Base):
    """A new appointment given with an apology letter; the original stays on the file."""

    __tablename__ = "reschedules"
    __table_args__ = (Index("ix_reschedules_file", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    at: Mapped[datetime] = mapped_column(Moment)
    old_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    new_due_at: Mapped[datetime] = mapped_column(Moment)
    reason: Mapped[str] = mapped_column(Text)
    slip_number: Mapped[str | None] = mapped_column(String(30), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class DueChange(Base):
    """One change of a file's due or original due (DOMAIN §4.1 rule 5); append-only.

    Statistics judge a file against the original due as it stood at the moment judged: the
    newest row with `at` before that moment. `reason` is accept, pause, resume, reschedule,
    calendar, correction or migration.
    """

    __tablename__ = "due_history"
    # A file's newest row before a moment (ties by id) and its original due, from the index
    # alone (0017).
    __table_args__ = (
        Index("ix_due_history_file_latest", "file_id", "at", "id", "new_original_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    at: Mapped[datetime] = mapped_column(Moment)
    reason: Mapped[str] = mapped_column(String(12))
    old_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    new_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    old_original_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    new_original_due_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class PostalItem(Base):
    """A postal item: a file that arrived by post, or a result sent by post."""

    __tablename__ = "postal_items"
    __table_args__ = (
        Index("ix_postal_file", "file_id"),
        # The statistics' postal figures: items handed over or settled in a period.
        Index("ix_postal_handed", "handed_at"),
        Index("ix_postal_state_at", "state_at"),
        # The same tracking number is never given to two outgoing items.
        Index(
            "uq_postal_out_number",
            "number",
            unique=True,
            sqlite_where=text("direction = 'out'"),
            postgresql_where=text("direction = 'out'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    recipient_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    recipient_phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    postage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    paid_by: Mapped[str | None] = mapped_column(String(12), nullable=True)
    handed_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    state_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class CalendarOverride(Base):
    """An administrator's decision that a date is working or off (highest precedence)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Day, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(Moment)


class Counter(Base):
    """Named counters: file codes per agency and day, register numbers, slip numbers."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """Append-only audit log (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Moment)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON


class OutboxRow(Base):
    """A day's summary waiting to be sent to the department (one row per day and revision)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        UniqueConstraint("agency", "day", "revision", name="uq_outbox_day_revision"),
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Each agency sends its own summaries with its own token (migration 0014).
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"), server_default="1")
    day: Mapped[date] = mapped_column(Day)
    revision: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    receipt_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment)


class SyncSettings(Base):
    """Sending summaries to the department: an agency's settings and its last pass.

    One row per agency, with the agency's id (migration 0014): row 1 is the solo desk's.

    `dirty_from` is kept by triggers (migration 0007): the earliest day whose numbers a change
    may have moved since the outbox was last brought up to date (or the next day a chunked
    rebuild has still to look at).
    """

    __tablename__ = "sync_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="0")
    url: Mapped[str] = mapped_column(String(300), server_default="")
    interval_minutes: Mapped[int] = mapped_column(Integer, server_default="15")
    # Names this database's token in the user's secret store (the token is not kept here).
    install_id: Mapped[str] = mapped_column(String(40))
    dirty_from: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Every day up to this one has been looked at once (a day without numbers has no row).
    built_through: Mapped[str | None] = mapped_column(String(10), nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    online: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class LookupSent(Base):
    """The version of a file whose look-up row the department has acknowledged (migration 0021):
    a file whose `version` differs (or without a row) is sent again at the next pass."""

    __tablename__ = "lookup_sent"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer)


class PrintedSlip(Base):
    """A printed document kept byte for byte so a reprint is identical (receipt, slips)."""

    __tablename__ = "printed_slips"
    __table_args__ = (Index("ix_slips_file", "file_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(30), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class ImportBatch(Base):
    """One `files import`: written in short transactions, committed or rolled back as a whole.

    `state`: running -> committed, or running -> rolling_back -> rolled_back. A batch left
    running by a killed process is rolled back by the next import or the window's start.
    """

    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(
            "state IN ('running', 'committed', 'rolling_back', 'rolled_back')",
            name="ck_import_batches_state",
        ),
        Index("ix_import_batches_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(12))
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, server_default="0")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    started_at: Mapped[datetime] = mapped_column(Moment)
    finished_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class ImportBatchFile(Base):
    """A file written by an import batch (a link row, so the files table itself is unchanged)."""

    __tablename__ = "import_batch_files"
    __table_args__ = (Index("ix_import_batch_files_batch", "batch_id"),)

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class ScanLine(Base):
    """A line of a file and where its digitising stands (migration 0015, Circular 03/2025).

    `kind` "document": `line` is the index of the paper in the file's document set (0..n-1);
    "result": the result papers (line 0). `state` is one of domain/digitising.py's LineState;
    an exception carries its `reason`. A line without a row has not been asked about.
    """

    __tablename__ = "scan_lines"
    __table_args__ = (
        CheckConstraint("kind IN ('document', 'result')", name="ck_scan_lines_kind"),
        CheckConstraint(
            "state IN ('pending', 'scan_later', 'digitised', 'online', 'shown_only', "
            "'produced_in_processing', 'confidential')",
            name="ck_scan_lines_state",
        ),
        # The lines still to scan, results included (0016): the "Chờ số hóa" queue and its count.
        Index(
            "ix_scan_lines_open",
            "file_id",
            sqlite_where=text("state IN ('pending', 'scan_later')"),
            postgresql_where=text("state IN ('pending', 'scan_later')"),
        ),
        # The lines of a range of files with their states, read from the index alone: the
        # national index's digitised files and results (0025).
        Index("ix_scan_lines_states", "kind", "file_id", "line", "state"),
    )

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(Moment)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class ScanPage(Base):
    """One scanned page of a line, in order (`seq` from 0); its bytes are in the page store
    (store/pages.py) under `sha256`."""

    __tablename__ = "scan_pages"
    # By bytes, earliest first: a page's bytes already on another file's page is one seek
    # that reads no row (the national index's reuse, 0019).
    __table_args__ = (Index("ix_scan_pages_sha256_added", "sha256", "added_at", "file_id"),)

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(Moment)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class PageBlob(Base):
    """A page's bytes by SHA-256: a centre's page store (PostgreSQL bytea); on a solo desk only
    inside a backup file (the live pages are in the folder beside the database)."""

    __tablename__ = "page_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Rating(Base):
    """A service visit at the counter and the applicant's rating of it (migration 0018, issue 16).

    Opened when the officer finishes a service (`service` accept, refuse or return) with a random
    `token` the applicant's screen answers to; `level` (3 very satisfied, 2 satisfied,
    1 dissatisfied), `reasons` (JSON list of keys) and `comment` are set once, with `rated_at`.
    A trigger refuses deleting a row, changing a rated one, or changing who, what or when.
    """

    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("service IN ('accept', 'refuse', 'return')", name="ck_ratings_service"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 3", name="ck_ratings_level"),
        UniqueConstraint("token", name="uq_ratings_token"),
        Index("ix_ratings_moments", "rated_at", "opened_at", "agency"),
        Index("ix_ratings_file", "file_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    counter_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    service: Mapped[str] = mapped_column(String(8))
    opened_at: Mapped[datetime] = mapped_column(Moment)
    rated_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list of reason keys
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)


class TicketGroup(Base):
    """A group the hall queues by (a field of work or an agency), with its letter (migration 0020,
    issue 16): tickets are numbered per group and day ("A012")."""

    __tablename__ = "ticket_groups"
    __table_args__ = (
        # A retired group's letter may serve a new group (migration 0022; services/tickets.py
        # refuses it on a day the retired group issued tickets).
        Index(
            "uq_ticket_groups_active_prefix",
            "agency",
            "prefix",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[int] = mapped_column(ForeignKey("desk_settings.id"))
    prefix: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, server_default="1")


class Ticket(Base):
    """A ticket (số thứ tự) handed out for a group's queue (migration 0020, issue 16): waiting →
    called by a counter → served or skipped; `file_id` is the file then received for it."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("group_id", "day", "number", name="uq_tickets_group_day_number"),
        CheckConstraint(
            "status IN ('waiting', 'called', 'served', 'skipped')", name="ck_tickets_status"
        ),
        Index("ix_tickets_day_status", "day", "status", "group_id"),
        Index("ix_tickets_file", "file_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("ticket_groups.id"))
    day: Mapped[date] = mapped_column(Day)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), server_default="waiting")
    issued_at: Mapped[datetime] = mapped_column(Moment)
    called_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    counter_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, server_default="0")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"), nullable=True)


class MailSettings(Base):
    """E-mail to applicants (migration 0023, issue 16): an agency's SMTP server and sender, on or
    off. The SMTP password is not here: it is kept in the signed-in user's secret store, as the
    sync token is (services/mail.py), under a key made of `install_id` and the database."""

    __tablename__ = "mail_settings"
    __table_args__ = (
        CheckConstraint(
            "security IN ('starttls', 'ssl', 'none')", name="ck_mail_settings_security"
        ),
    )

    agency: Mapped[int] = mapped_column(
        ForeignKey("desk_settings.id"), primary_key=True, autoincrement=False
    )
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="0")
    host: Mapped[str] = mapped_column(String(253), server_default="")
    port: Mapped[int] = mapped_column(Integer, server_default="587")
    security: Mapped[str] = mapped_column(String(8), server_default="starttls")
    username: Mapped[str] = mapped_column(String(200), server_default="")
    sender_address: Mapped[str] = mapped_column(String(200), server_default="")
    sender_name: Mapped[str] = mapped_column(String(200), server_default="")
    install_id: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class MailConsent(Base):
    """The applicant's consent to notices by e-mail for one file (migration 0023; Decree
    13/2023/NĐ-CP): the address, the wording agreed, who recorded it and when; withdrawn when
    the applicant takes it back (nothing more is queued then)."""

    __tablename__ = "mail_consents"

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(200))
    wording: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(Moment)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class MailMessage(Base):
    """A message to an applicant waiting to go, or gone (migration 0023): written in the same
    transaction as the step that calls for it, sent afterwards by services/mail_send.py.

    `status`: queued → sending (claimed; `next_attempt_at` is then the end of the lease) → sent,
    or back to queued with a later `next_attempt_at` after a failure, or failed for good after
    the last attempt or a permanent refusal. The attachment is not stored: it is the file's
    archived slip (`number` for numbered ones), read at send time.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('receipt', 'supplement', 'result', 'apology')", name="ck_mail_outbox_kind"
        ),
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')", name="ck_mail_outbox_status"
        ),
        Index("ix_mail_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_mail_outbox_file", "file_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str | None] = mapped_column(String(30), nullable=True)
    recipient: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    sent_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    queued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
