"""Phiếu từ chối tiếp nhận giải quyết hồ sơ: the file is not accepted, and why."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from desk_app.printing.data import RefusalData
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import (
    Signature,
    build_pdf,
    esc,
    frame_width,
    markup,
    para,
    signature_row,
    styles,
)
from desk_app.printing.qr import paper_qr
from desk_app.printing.slips import (
    addressee,
    body_style,
    continuation_head,
    in_sentence,
    labelled,
    slip_label,
    slip_opening,
)
from desk_app.printing.wording import addressed


def render_refusal(data: RefusalData, form_set: FormSet) -> bytes:
    """The refusal slip on A4 portrait, signed by the applicant and the receiving officer."""
    form = form_set["refusal"]
    s = styles()
    width = frame_width()
    body = body_style(s)
    desk = in_sentence(data.header.unit_name) or "Bộ phận Một cửa"
    code = f" (mã hồ sơ <b>{esc(data.code)}</b>)" if data.code.strip() else ""
    qr = paper_qr(data.qr, code=data.code, title=form.title, number=data.number)
    story = slip_opening(form, data.header, data.issued, data.number, s, width, qr)
    you = addressed(data.organisation)
    story.append(addressee(data.applicant_name, s, data.organisation))
    story.append(
        markup(
            f"{esc(desk)} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: "
            f"{esc(data.procedure_name.strip())}{code} của {you}.",
            body,
        )
    )
    story.append(
        para(
            f"Sau khi kiểm tra, đối chiếu với các quy định hiện hành, hồ sơ của {you} không đủ "
            "điều kiện để tiếp nhận giải quyết với lý do cụ thể như sau:",
            body,
        )
    )
    story.append(labelled("Lý do:", data.reason, body))
    closing = para(f"Xin thông báo để {you} được biết và thực hiện./.", body)
    signatures = signature_row(
        [
            Signature("NGƯỜI NỘP HỒ SƠ"),
            Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=data.officer_name.strip()),
        ],
        width,
        s,
    )
    story.append(KeepTogether([closing, Spacer(1, 4 * mm), signatures]))
    return build_pdf(
        story,
        title=f"{form.title} – {data.number}",
        author=data.header.unit_name,
        on_page=continuation_head(slip_label("Phiếu từ chối", data.number), data.code),
    )
