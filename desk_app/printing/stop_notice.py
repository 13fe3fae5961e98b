"""Thông báo dừng giải quyết hồ sơ: the settling agency stops processing a file, and why.

Circular 03/2025/TT-VPCP added the procedure (DOMAIN §11). The title, "Mẫu số …" and the line
under it come from the form set like every form's; a set that does not number the notice (the
2018 set: Circular 01/2018 had no such form) prints it with its title alone. The notice cites the
reason the agency gave when it stopped the file and the legal grounds of the form set (`grounds`),
or a dotted line to write them on by hand when the set has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desk_app.printing.apology import capital, closing_block, issuer_header
from desk_app.printing.data import DeskHeader, PaperQr
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import (
    build_pdf,
    esc,
    form_number_line,
    frame_width,
    header_block,
    markup,
    para,
    qr_corner,
    styles,
    title_block,
)
from desk_app.printing.qr import paper_qr
from desk_app.printing.slips import (
    BLANK_NUMBER,
    addressee,
    body_style,
    continuation_head,
    in_sentence,
    labelled,
    slip_label,
)
from desk_app.printing.wording import addressed, moment_words, nfc

GROUNDS_LABEL = "Căn cứ pháp lý:"


@dataclass(frozen=True)
class StopNoticeData:
    """What the notice says; built by desk_app.services.stop_notice from the file's stop step."""

    header: DeskHeader  # the desk's identity; the header names the settling agency in its unit
    number: str  # e.g. "1/DGHS"
    issued: date
    code: str
    applicant_name: str
    procedure_name: str
    received: datetime
    stopped: datetime
    reason: str
    settling_agency: str  # who stops the file and signs the notice
    recipients: tuple[str, ...] = ()  # "Nơi nhận:"; empty: the addressee, the desk, the archive
    organisation: bool = False
    qr: PaperQr | None = None  # the QR code in the upper-left corner (Circular 01/2023 Art. 26)


def render_stop_notice(data: StopNoticeData, form_set: FormSet) -> bytes:
    """The stop notice on A4 portrait, like the refusal and the apology, in the agency's name."""
    form = form_set["stop"]
    s = styles()
    width = frame_width()
    body = body_style(s)
    agency = _agency(data)
    top = form_number_line(form, s) if form.number or form.legal_basis else []
    number = data.number.strip() or BLANK_NUMBER
    issuer = issuer_header(data.header, agency)
    qr = paper_qr(data.qr, code=data.code, title=form.title, number=data.number)
    story: list[Flowable] = qr_corner(
        qr, top, lambda w: header_block(issuer, data.issued, w, s, number=number), width, s
    )
    story += [
        Spacer(1, 6 * mm),
        title_block(form.title, s),
        Spacer(1, 2 * mm),
    ]
    you = addressed(data.organisation)
    story.append(addressee(data.applicant_name, s, data.organisation))
    story.append(
        markup(
            f"{esc(capital(agency))} đã tiếp nhận hồ sơ của {you} vào lúc "
            f"{esc(moment_words(data.received))}, mã hồ sơ <b>{esc(data.code)}</b>, "
            f"về việc: {esc(data.procedure_name.strip())}.",
            body,
        )
    )
    story.append(
        para(
            f"{capital(agency)} thông báo dừng giải quyết hồ sơ nêu trên kể từ "
            f"{moment_words(data.stopped)}.",
            body,
        )
    )
    story.append(labelled("Lý do:", data.reason, body))
    story.append(labelled(GROUNDS_LABEL, form.grounds, body))
    desk = in_sentence(data.header.unit_name) or "Bộ phận Một cửa"
    number_text = "\u00a0".join(data.header.phone.split())  # a phone number is not broken
    phone = f" (điện thoại {number_text})" if number_text else ""
    story.append(
        para(f"Mọi vướng mắc, đề nghị {you} liên hệ {desk}{phone} để được hướng dẫn.", body)
    )
    closing = para(f"Xin thông báo để {you} được biết./.", body)
    recipients = data.recipients or ("Như trên", desk, "Lưu: VT")
    story.append(KeepTogether([closing, Spacer(1, 5 * mm), closing_block(recipients, width, s)]))
    return build_pdf(
        story,
        title=f"{form.title} – {data.number}",
        author=agency,
        on_page=continuation_head(slip_label("Thông báo dừng giải quyết", data.number), data.code),
    )


def _agency(data: StopNoticeData) -> str:
    named = " ".join(nfc(data.settling_agency).split())
    if named:
        return in_sentence(named)
    fallback = data.header.agency_name or data.header.unit_name
    return in_sentence(fallback) or "Cơ quan giải quyết hồ sơ"
