"""Who may take which step of a file: the agency's staff, and the post office's at the counter.

Decree 118/2025/NĐ-CP lets post-office staff (nhân viên bưu điện) guide applicants, receive
files, digitise them and return results at the one-stop counter. They do the counter's work and
nothing that belongs to the agency's officers: forwarding a file, pausing or resuming its clock
for a fee, recording its result, closing it, correcting the register, rescheduling, settings.
The table is here once; `records.move` checks every status move against it and the window offers
only what it allows (README: "Postal staff at the counter").
"""

from __future__ import annotations

from desk_app.domain.workflow import Action
from desk_app.services.context import Actor, PermissionDeniedError

OFFICER = "officer"
SUPERVISOR = "supervisor"
ADMIN = "admin"
POSTAL = "postal"

# The agency's own staff: every step of a file (some also need SUPERVISORS or ADMIN).
AGENCY_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
# Everyone who works at the counter, the post office's staff included.
COUNTER_STAFF = AGENCY_STAFF | {POSTAL}

# Digitising the papers received and the results (issue 15, its own part): counter work.
DIGITISE = COUNTER_STAFF
# Opening Settings (an officer sees only "This computer"; the rest needs ADMIN).
SETTINGS = AGENCY_STAFF
# Correcting a field of the register (applicant, contact, fee, ...): the agency's officers.
CORRECT = AGENCY_STAFF

# Each status move and who may record it. A move missing here is the agency staff's alone.
STEP_ROLES: dict[Action, frozenset[str]] = {
    Action.ACCEPT: COUNTER_STAFF,
    Action.REFUSE: COUNTER_STAFF,
    Action.FORWARD: AGENCY_STAFF,
    Action.REQUEST_SUPPLEMENT: AGENCY_STAFF,
    # The papers the agency asked for, received at the counter: receiving, not deciding.
    Action.RECEIVE_SUPPLEMENT: COUNTER_STAFF,
    Action.REQUEST_FINANCIAL: AGENCY_STAFF,
    Action.FINANCIAL_DONE: AGENCY_STAFF,
    Action.WITHDRAW: AGENCY_STAFF,
    Action.STOP: AGENCY_STAFF,
    Action.RECORD_RESULT: AGENCY_STAFF,
    Action.RETURN_RESULT: COUNTER_STAFF,
    Action.POSTAL_HANDOVER: COUNTER_STAFF,
    Action.POSTAL_DELIVERED: COUNTER_STAFF,
    Action.POSTAL_FAILED: COUNTER_STAFF,
    Action.POSTAL_RETURNED: COUNTER_STAFF,
}


def may_take(role: str, action: Action) -> bool:
    """Whether a user of `role` may record `action` on a file."""
    return role in STEP_ROLES.get(action, AGENCY_STAFF)


def require_step(actor: Actor, action: Action) -> None:
    """Refuse `action` to a role that may not take it (the window does not offer it either)."""
    if not may_take(actor.role, action):
        raise PermissionDeniedError(
            f"Tài khoản của bạn không có quyền thực hiện “{action.label}”: "
            "việc này do công chức của cơ quan thực hiện."
        )
