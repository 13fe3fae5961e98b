"""The stop notice of a file (Thông báo dừng giải quyết hồ sơ), numbered when first printed.

The file is stopped by `lifecycle.stop` (4 → 8) with its reason; the notice is one of the
numbered slips of desk_app.services.printing (`SlipKind.STOP`): `print_slip` archives the first
print in printed_slips and reprints it byte for byte. Its number is taken at that first print from
the agency's yearly counter `slip:stop:<year>` (the year of the stop), e.g. "1/DGHS".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain import codes, people
from desk_app.domain.workflow import Action
from desk_app.errors import NotFoundError
from desk_app.printing import worker
from desk_app.printing.formset import FormSet, load_form_set
from desk_app.printing.stop_notice import StopNoticeData, render_stop_notice
from desk_app.services.context import agency_counter, get_settings, next_counter
from desk_app.services.printing import SlipKind, desk_header, issue_moment, qr_data
from desk_app.services.records import file_view, get_file

# The number's suffix (like HDHS, TCHS, XLHS for the other slips): "dừng giải quyết hồ sơ".
STOP_SUFFIX = "DGHS"


def stop_notice_data(
    session: Session, code: str, number: str = "", *, issued_at: datetime | None = None
) -> StopNoticeData:
    """The notice of file `code`'s stop step, with slip number `number` (not taken here);
    `issued_at` is its QR code's moment of issue (by default the archived first print's)."""
    record = get_file(session, code)
    view = file_view(session, record)
    stops = [e for e in view.events if e.action == str(Action.STOP)]
    if not stops:
        raise NotFoundError(
            f"Hồ sơ {view.code} chưa dừng giải quyết: không có thông báo dừng để in.", field="code"
        )
    event = stops[-1]
    settings = get_settings(session, record.agency)
    moment = issue_moment(session, record.id, SlipKind.STOP, number or None, issued_at)
    return StopNoticeData(
        header=desk_header(settings),
        number=number,
        issued=event.at.date(),
        code=view.code,
        applicant_name=view.applicant_name,
        procedure_name=view.procedure_name,
        received=view.received,
        stopped=event.at,
        reason=event.note or "",
        settling_agency=view.settling_agency,
        organisation=people.is_organisation(view.id_kind),
        qr=qr_data(settings, view, moment),
    )


def render(data: StopNoticeData, form_set: FormSet) -> bytes:
    """Draw the notice in the render process off the main thread (see printing.worker)."""
    if worker.uses_process():
        pdf = worker.in_process(render_stop_notice, data, form_set)
        if isinstance(pdf, bytes):
            return pdf
    return render_stop_notice(data, form_set)


def first_print(
    session: Session, code: str, number: str | None, now: datetime | None = None
) -> tuple[str, bytes]:
    """A new notice's number and PDF, issued `now` (for `printing.print_slip`, which archives
    them).

    `number` names a notice that should already be archived: there is none to draw anew.
    """
    if number is not None:
        raise NotFoundError(
            f"Hồ sơ {code} không có thông báo dừng giải quyết số {number}.", field="number"
        )
    # Refuses a file that was not stopped.
    data = stop_notice_data(session, code, issued_at=now or clock.now())
    agency = get_file(session, code).agency
    form_set = load_form_set(get_settings(session, agency).form_set)
    counter = agency_counter(agency, f"slip:stop:{data.stopped.year}")
    number = codes.format_slip_number(next_counter(session, counter), STOP_SUFFIX)
    return number, render(replace(data, number=number), form_set)
