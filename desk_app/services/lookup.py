"""Read-only look-ups for the intake form: the catalogue, the live appointment, known applicants."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import people
from desk_app.domain.due import DurationUnit, compute_due
from desk_app.domain.text import fold
from desk_app.errors import NotFoundError, ValidationError
from desk_app.services.context import load_context, settings_view
from desk_app.services.scope import ALL, Scope
from desk_app.store.models import Applicant, DeskSettings, FileRecord, Procedure


@dataclass(frozen=True)
class ChecklistItem:
    """One paper of a procedure's checklist, as the intake form pre-fills it."""

    name: str
    copy_type: str
    count: int
    required: bool


@dataclass(frozen=True)
class ProcedureChoice:
    """A procedure as the intake form offers it: what to fill in once it is chosen."""

    code: str
    name: str
    field: str
    settling_agency: str
    duration: Decimal | None
    unit: str
    fee: int | None
    fee_note: str
    documents: tuple[ChecklistItem, ...]
    # The agency whose catalogue holds it (desk_settings.id) and how the picker names it: in a
    # centre the same national code may stand in several agencies' catalogues.
    agency: int = 1
    agency_name: str = ""

    @property
    def folded(self) -> str:
        """The search key of the picker: code and name, diacritics and case ignored."""
        return fold(f"{self.code} {self.name}")


@dataclass(frozen=True)
class ApplicantMatch:
    """An applicant already known from an earlier file, offered to fill the form."""

    name: str
    id_number: str | None
    phone: str | None
    email: str | None
    address: str | None
    last_file: str  # the code of the latest file, so the officer can tell who it is


def _choice(row: Procedure, agency_name: str = "") -> ProcedureChoice:
    docs: list[dict[str, object]] = json.loads(row.documents or "[]")
    return ProcedureChoice(
        code=row.code,
        name=row.name,
        field=row.field,
        settling_agency=row.settling_agency,
        duration=row.duration,
        unit=row.unit,
        fee=row.fee,
        fee_note=row.fee_note,
        documents=tuple(
            ChecklistItem(
                name=str(d["name"]),
                copy_type=str(d.get("copy_type", "photo")),
                count=int(str(d.get("count", 1))),
                required=bool(d.get("required", True)),
            )
            for d in docs
        ),
        agency=row.agency,
        agency_name=agency_name,
    )


def _agency_names(session: Session) -> dict[int, str]:
    rows = session.scalars(select(DeskSettings))
    return {row.id: settings_view(row).display_name for row in rows}


def list_procedures(session: Session, *, scope: Scope = ALL) -> list[ProcedureChoice]:
    """The active procedures of the catalogues of `scope`'s active agencies, in code order, then
    agency (a few hundred per agency at most)."""
    stmt = (
        select(Procedure)
        .join(DeskSettings, DeskSettings.id == Procedure.agency)
        .where(Procedure.active.is_(True), DeskSettings.active.is_(True))
        .order_by(Procedure.code, Procedure.agency)
    )
    if not scope.is_all:
        stmt = stmt.where(scope.where(Procedure.agency))
    names = _agency_names(session)
    return [_choice(row, names.get(row.agency, "")) for row in session.scalars(stmt)]


def _procedure(session: Session, code: str, agency: int | None) -> Procedure:
    """The procedure with this code in `agency`'s catalogue, or in the only catalogue that has
    it (None given)."""
    stmt = select(Procedure).where(Procedure.code == code.strip())
    if agency is not None:
        stmt = stmt.where(Procedure.agency == agency)
    rows = list(session.scalars(stmt.order_by(Procedure.agency)))
    if not rows:
        raise NotFoundError(f"Không có thủ tục “{code}” trong danh mục.", field="procedure")
    if len(rows) > 1:
        raise NotFoundError(
            f"Thủ tục “{code}” có trong danh mục của nhiều cơ quan: hãy chọn cơ quan tiếp nhận.",
            field="procedure",
        )
    return rows[0]


def get_procedure(session: Session, code: str, agency: int | None = None) -> ProcedureChoice:
    """A procedure of `agency`'s catalogue (None: of the only agency whose catalogue has it)."""
    row = _procedure(session, code, agency)
    return _choice(row, _agency_names(session).get(row.agency, ""))


def preview_due(
    session: Session, procedure_code: str, received: datetime, agency: int | None = None
) -> datetime | None:
    """The appointment a file of this procedure received at `received` would get now.

    Computed exactly as `accept_file` does (receipt time to the minute, the procedure's cut-off or
    its agency's, that agency's calendar), so the moment shown while typing is the one printed on
    the receipt. None when the procedure has no time limit. `agency` picks the catalogue when the
    code is in several (None: the only one that has it).
    """
    row = _procedure(session, procedure_code, agency)
    ctx = load_context(session, row.agency)
    cutoff = time.fromisoformat(row.cutoff) if row.cutoff else ctx.settings.cutoff
    return compute_due(
        ctx.calendar,
        received.replace(second=0, microsecond=0),
        row.duration if row.duration is not None else Decimal(0),
        DurationUnit(row.unit),
        cutoff=cutoff,
    )


def _clean_id(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return people.validate_id_number(text)[1]
    except ValidationError:
        return None


def _clean_phone(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return people.validate_phone(text)
    except ValidationError:
        return None


def find_applicant(
    session: Session, *, id_number: str | None = None, phone: str | None = None
) -> ApplicantMatch | None:
    """The applicant of the latest file with this identity number (first) or phone.

    Only well-formed values are looked up, so a half-typed number never offers a stranger. The
    identity number wins over the phone: a phone may be shared by a family, a CCCD is not.
    """
    clean_id, clean_phone = _clean_id(id_number), _clean_phone(phone)
    for column, value in ((Applicant.id_number, clean_id), (Applicant.phone, clean_phone)):
        if value is None:
            continue
        row = session.execute(
            select(Applicant, FileRecord.code)
            .join(FileRecord, FileRecord.applicant_id == Applicant.id)
            .where(column == value)
            .order_by(FileRecord.received_at.desc(), FileRecord.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            applicant, code = row
            return ApplicantMatch(
                name=applicant.name,
                id_number=applicant.id_number,
                phone=applicant.phone,
                email=applicant.email,
                address=applicant.address,
                last_file=str(code),
            )
    return None


def search_procedures(choices: list[ProcedureChoice], text: str) -> list[ProcedureChoice]:
    """The choices whose code or name contains every word of `text` (diacritics ignored)."""
    words = fold(text).split()
    return [c for c in choices if all(w in c.folded for w in words)]


__all__ = [
    "ApplicantMatch",
    "ChecklistItem",
    "ProcedureChoice",
    "find_applicant",
    "get_procedure",
    "list_procedures",
    "preview_due",
    "search_procedures",
]
