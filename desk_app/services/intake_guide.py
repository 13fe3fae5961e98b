"""The supplement request given at the counter before a file is accepted (DOMAIN §7).

When the papers brought are incomplete, the officer does not accept the file: the applicant
leaves with a "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" that lists what to bring (Decree
118/2025 and 61/2018: guide the applicant, in writing, with the reason). No file and no code
exist yet, so this slip is numbered from the same yearly counter as the other supplement
requests, recorded in the audit log, and not archived against a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, people
from desk_app.domain.text import clean_name
from desk_app.errors import FieldsError, NotFoundError
from desk_app.printing.data import CounterSupplementData, PaperQr
from desk_app.printing.formset import load_form_set
from desk_app.services.context import Actor, agency_counter, audit, load_context, next_counter
from desk_app.services.intake import IntakeInput, find_procedure, intake_agency
from desk_app.services.printing import desk_header, issuing_system

__all__ = ["GuideSlip", "issue_intake_supplement"]


@dataclass(frozen=True)
class GuideSlip:
    """A supplement request issued at intake: its number, when, and the PDF to print."""

    number: str
    issued: datetime
    applicant_name: str
    procedure_name: str
    items: tuple[str, ...]
    reason: str
    pdf: bytes


def issue_intake_supplement(
    session: Session,
    data: IntakeInput,
    reason: str,
    missing: Sequence[str],
    actor: Actor,
    *,
    now: datetime | None = None,
) -> GuideSlip:
    """Number, audit and render the supplement request for a file that is not accepted.

    Only what the slip prints is checked: the procedure, the applicant's name and the reason.
    `missing` lists the papers to bring or correct; when empty the reason stands in for it.
    """
    now = (now or clock.now()).replace(second=0, microsecond=0)
    errors: dict[str, str] = {}
    procedure_name = procedure_code = ""
    try:
        procedure = find_procedure(
            session, data.procedure, agency=data.agency, agencies=actor.agencies
        )
        procedure_name, procedure_code = procedure.name, procedure.code
    except NotFoundError as exc:
        errors["procedure"] = exc.message
    name = clean_name(data.applicant.name or "")
    if not name:
        errors["applicant_name"] = "Họ và tên chủ hồ sơ không được để trống."
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Cần ghi rõ lý do yêu cầu bổ sung, hoàn thiện hồ sơ."
    if errors:
        raise FieldsError(errors)
    items = tuple(clean_name(m) for m in missing if m.strip()) or (reason,)
    agency = intake_agency(session, data, actor)
    ctx = load_context(session, agency)
    number = codes.format_slip_number(
        next_counter(session, agency_counter(agency, f"slip:supplement:{now.year}")),
        ctx.settings.supplement_suffix,
    )
    # Imported here, like the other renderers, so ReportLab loads only when a slip is drawn.
    from desk_app.printing.supplement import render_counter_supplement

    slip = CounterSupplementData(
        header=desk_header(ctx.settings),
        number=number,
        checked=now,
        applicant_name=name,
        procedure_name=procedure_name,
        items=items,
        reason=reason,
        officer_name=actor.name,
        officer_phone=ctx.settings.phone,
        organisation=people.organisation_by_number(data.applicant.id_number),
        # No file code yet: the QR code names the procedure, the applicant and the moment.
        qr=PaperQr(
            procedure_code=procedure_code,
            id_number=(data.applicant.id_number or "").strip(),
            system_name=issuing_system(ctx.settings),
            issued_at=now,
        ),
    )
    pdf = render_counter_supplement(slip, load_form_set(ctx.settings.form_set))
    audit(
        session,
        actor,
        "intake_supplement",
        "slip",
        number,
        {
            "procedure": data.procedure,
            "applicant": name,
            "items": list(items),
            "reason": reason,
        },
        at=now,
    )
    session.flush()
    return GuideSlip(number, now, name, procedure_name, items, reason, pdf)
