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

from desk_app.domain import codes
from desk_app.domain.text import clean_name
from desk_app.errors import FieldsError, NotFoundError
from desk_app.services.context import Actor, audit, load_context, next_counter
from desk_app.services.intake import IntakeInput, find_procedure
from desk_app.services.printing import desk_header
from desk_app.services.views import SettingsView

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
    now = (now or datetime.now()).replace(second=0, microsecond=0)
    errors: dict[str, str] = {}
    procedure_name = ""
    try:
        procedure_name = find_procedure(session, data.procedure).name
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
    ctx = load_context(session)
    number = codes.format_slip_number(
        next_counter(session, f"slip:supplement:{now.year}"), ctx.settings.supplement_suffix
    )
    pdf = _render(ctx.settings, number, now, name, procedure_name, items, reason, actor.name)
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


def _render(
    settings: SettingsView,
    number: str,
    issued: datetime,
    applicant_name: str,
    procedure_name: str,
    items: tuple[str, ...],
    reason: str,
    officer_name: str,
) -> bytes:
    """The slip in the supplement form's layout, worded for a file that was checked, not taken.

    The archived form (printing.supplement) says the file "was received" with its code; here
    there is neither, so the opening sentence differs and the rest is the same form.
    """
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    from desk_app.printing.formset import load_form_set
    from desk_app.printing.layout import (
        Signature,
        build_pdf,
        esc,
        frame_width,
        grid_style,
        markup,
        para,
        styles,
    )
    from desk_app.printing.slips import (
        addressee,
        body_style,
        in_sentence,
        labelled,
        right_signature,
        slip_opening,
    )
    from desk_app.printing.wording import moment_words

    form = load_form_set(settings.form_set)["supplement"]
    s = styles()
    width = frame_width()
    body = body_style(s)
    header = desk_header(settings)
    desk = in_sentence(header.unit_name) or "Bộ phận Một cửa"
    story = slip_opening(form, header, issued.date(), number, s, width)
    story.append(addressee(applicant_name, s))
    story.append(
        markup(
            f"Vào lúc {esc(moment_words(issued))}, {esc(desk)} đã kiểm tra hồ sơ của Ông/Bà "
            f"đề nghị giải quyết thủ tục: <b>{esc(procedure_name)}</b>. Hồ sơ chưa đầy đủ, "
            "chưa hợp lệ theo quy định nên chưa được tiếp nhận.",
            body,
        )
    )
    story.append(para("Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:", body))
    story.append(Spacer(1, 1 * mm))
    head, cell = s.cell_head, s.cell
    rows: list[list[object]] = [
        [Paragraph("TT", head), Paragraph(esc("Nội dung yêu cầu bổ sung, hoàn thiện"), head)]
    ]
    rows += [
        [Paragraph(str(n), s.cell_centre), Paragraph(esc(item), cell)]
        for n, item in enumerate(items, start=1)
    ]
    table = Table(rows, colWidths=[14 * mm, width - 14 * mm], repeatRows=1)
    table.setStyle(grid_style())
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    story.append(labelled("Lý do:", reason, body))
    phone = f" số điện thoại {settings.phone.strip()}" if settings.phone.strip() else ""
    help_line = para(
        "Sau khi hoàn thiện, Ông/Bà nộp lại hồ sơ tại "
        f"{desk}. Nếu có vướng mắc, Ông/Bà liên hệ với {officer_name.strip() or desk}"
        f"{phone} để được hướng dẫn./.",
        body,
    )
    signature = right_signature(Signature("NGƯỜI HƯỚNG DẪN", name=officer_name.strip()), width, s)
    story.append(KeepTogether([help_line, Spacer(1, 4 * mm), signature]))
    return build_pdf(story, title=f"{form.title} – {number}", author=header.unit_name)
