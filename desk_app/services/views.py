"""Frozen dataclasses the services return; ORM objects never leave the service layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from desk_app.domain.workflow import Status


@dataclass(frozen=True)
class SettingsView:
    governing_body: str
    agency_name: str
    unit_name: str
    agency_id: str
    place_name: str
    office_hours: str
    cutoff: time
    due_soon_days: Decimal
    max_reschedules: int
    supplement_suffix: str
    refusal_suffix: str
    apology_suffix: str
    lookup_url: str
    phone: str
    form_set: str = "2025"
    receipt_layout: str = "two_sheets"
    reprint_mark: bool = False
    # No file is received at the counter before this day (None: not set up yet).
    first_day: date | None = None
    agency: int = 1  # the agency's row (desk_settings.id); 1 on a solo desk
    short_name: str = ""

    @property
    def display_name(self) -> str:
        """How the status bar and pickers name the agency."""
        return self.short_name or self.agency_name or self.agency_id or f"Cơ quan {self.agency}"

    @property
    def is_configured(self) -> bool:
        return bool(self.agency_id and self.agency_name)


@dataclass(frozen=True)
class DocumentLine:
    """A document received with a file: name, copy type and count."""

    name: str
    copy_type: str
    count: int


@dataclass(frozen=True)
class EventView:
    at: datetime
    action: str
    label: str
    from_status: Status | None
    to_status: Status | None
    officer: str | None
    note: str | None
    data: dict[str, object] | None


@dataclass(frozen=True)
class PauseView:
    kind: str
    start: datetime
    end: datetime | None
    reason: str
    slip_number: str | None


@dataclass(frozen=True)
class RescheduleView:
    at: datetime
    old_due: datetime | None
    new_due: datetime
    reason: str
    slip_number: str | None
    officer: str | None


@dataclass(frozen=True)
class FileView:
    """Everything about one file, as shown in the detail view and printed on its forms."""

    id: int
    code: str
    version: int
    status: Status
    channel: str
    procedure_code: str
    procedure_name: str
    field: str
    settling_agency: str
    duration: Decimal | None
    unit: str
    applicant_id: int
    applicant_name: str
    id_kind: str | None
    id_number: str | None
    phone: str | None
    email: str | None
    address: str | None
    submitter_name: str | None
    submitter_id_number: str | None
    submitter_phone: str | None
    authorisation: str | None
    documents: tuple[DocumentLine, ...]
    sets_count: int
    fee_collected: int | None
    result_by: str
    delivery_name: str | None
    delivery_phone: str | None
    delivery_address: str | None
    register_book: str
    register_seq: int
    officer: str | None
    notes: str
    received: datetime
    due: datetime | None
    original_due: datetime | None
    settled: datetime | None
    outcome: str | None
    closed: datetime | None
    postal_in_number: str | None
    postal_in_sender: str | None
    events: tuple[EventView, ...] = ()
    pauses: tuple[PauseView, ...] = ()
    reschedules: tuple[RescheduleView, ...] = ()
    delay_reason: str | None = None
    source: str | None = None  # where a bulk-imported file came from

    def to_json(self, *, full: bool = True) -> dict[str, object]:
        """The machine-readable shape of `files show --json` and, without `full` (no documents,
        pauses, reschedules or timeline), of each file of `files list --json`; moments to the
        minute."""

        def m(value: datetime | None) -> str | None:
            return None if value is None else value.strftime("%Y-%m-%dT%H:%M")

        data: dict[str, object] = {
            "code": self.code,
            "status": int(self.status),
            "status_label": self.status.label,
            "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name,
            "channel": self.channel,
            "applicant_name": self.applicant_name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "result_by": self.result_by,
            "register_book": self.register_book,
            "register_seq": self.register_seq,
            "received": m(self.received),
            "due": m(self.due),
            "original_due": m(self.original_due),
            "settled": m(self.settled),
            "outcome": self.outcome,
            "closed": m(self.closed),
            "source": self.source,
            "version": self.version,
        }
        if not full:
            return data
        return data | {
            "documents": [
                {"name": d.name, "copy_type": d.copy_type, "count": d.count} for d in self.documents
            ],
            "pauses": [
                {"kind": p.kind, "start": m(p.start), "end": m(p.end), "reason": p.reason}
                for p in self.pauses
            ],
            "reschedules": [
                {"new_due": m(r.new_due), "old_due": m(r.old_due), "reason": r.reason}
                for r in self.reschedules
            ],
            "events": [
                {"at": m(e.at), "action": e.action, "to_status": e.to_status, "note": e.note}
                for e in self.events
            ],
        }


@dataclass(frozen=True)
class FileRow:
    """One line of a file list: what the list and the queues show."""

    id: int
    code: str
    status: Status
    applicant_name: str
    procedure_code: str
    procedure_name: str
    received: datetime
    due: datetime | None
    original_due: datetime | None
    officer: str | None


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    agencies: tuple[int, ...] = ()  # the agencies assigned to the user (desk_settings ids)
