"""Phiếu xin lỗi và hẹn lại ngày trả kết quả, issued by the agency that is late."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from desk_app.printing.data import ApologyData, DeskHeader
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet
from desk_app.printing.layout import (
    Signature,
    Styles,
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
    plain_table_style,
    slip_label,
    slip_opening,
)
from desk_app.printing.wording import addressed, moment_words, nfc

HEAD_TITLE = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
HEAD_NOTE = "(Ký, ghi rõ họ tên và đóng dấu)"
DEFAULT_RECIPIENTS = ("Như trên", "Lưu: VT")
NO_TIME_LIMIT = "Thủ tục hành chính này không quy định thời hạn giải quyết."
# Names of People's Committees: bodies that head their own header, with no superior line.
_COMMITTEE_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")


def render_apology(data: ApologyData, form_set: FormSet) -> bytes:
    """The apology and new appointment on A4 portrait, in the name of the agency at fault.

    The left of the header names that agency (see `issuer_header`); the bottom holds the
    "Nơi nhận:" list on the left and the head of the agency's signature and seal on the right.
    """
    form = form_set["apology"]
    s = styles()
    width = frame_width()
    body = body_style(s)
    agency = _agency(data)
    header = issuer_header(data.header, agency)
    qr = paper_qr(data.qr, code=data.code, title=form.title, number=data.number)
    story = slip_opening(form, header, data.issued, data.number, s, width, qr)
    you = addressed(data.organisation)
    story.append(addressee(data.applicant_name, s, data.organisation))
    story.append(
        markup(
            f"{esc(capital(agency))} tiếp nhận hồ sơ của {you} vào lúc "
            f"{esc(moment_words(data.received))}, mã hồ sơ <b>{esc(data.code)}</b>, "
            f"về việc: {esc(data.procedure_name.strip())}.",
            body,
        )
    )
    if data.original_due is not None:
        due = f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {moment_words(data.original_due)}."
        story.append(para(due, body))
    else:
        story.append(para(NO_TIME_LIMIT, body))
    story.append(
        para(f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho {you}.", body)
    )
    story.append(labelled("Lý do:", data.reason, body))
    story.append(
        markup(
            f"Sự chậm trễ này đã gây phiền hà cho {you}. {esc(capital(agency))} xin lỗi {you} "
            f"và sẽ trả kết quả giải quyết hồ sơ cho {you} vào lúc: "
            f"<b>{esc(moment_words(data.new_due))}</b>.",
            body,
        )
    )
    closing = para(f"Xin trân trọng cảm ơn sự hợp tác của {you}./.", body)
    story.append(
        KeepTogether([closing, Spacer(1, 5 * mm), closing_block(data.recipients, width, s)])
    )
    return build_pdf(
        story,
        title=f"{form.title} – {data.number}",
        author=agency,
        on_page=continuation_head(slip_label("Phiếu xin lỗi", data.number), data.code),
    )


def issuer_header(desk: DeskHeader, agency: str) -> DeskHeader:
    """The left of the header for a paper the agency at fault issues, not the desk.

    Decree 30 names the issuing body in bold with its superior above it. The agency at fault
    takes the place of the desk's unit ("BỘ PHẬN MỘT CỬA"):
    - a division of the desk's own agency (the usual case, "Phòng Quản lý Du lịch"): the
      governing body, the desk's agency, then the division in bold;
    - the desk's agency itself: the governing body, then the agency in bold;
    - a People's Committee (or the governing body itself): its name alone, in bold.
    The place and phone stay the desk's: the paper is handed over at the desk.
    """
    key = _fold(agency)
    if key == _fold(desk.governing_body) or key.startswith(_COMMITTEE_PREFIXES):
        return replace(desk, governing_body="", agency_name="", unit_name=agency)
    if key == _fold(desk.agency_name):
        return replace(desk, agency_name="", unit_name=agency)
    return replace(desk, unit_name=agency)


def _agency(data: ApologyData) -> str:
    """The agency at fault as written in a sentence; the desk's agency when none is given."""
    named = " ".join(nfc(data.agency_at_fault).split())
    if named:
        return in_sentence(named)
    fallback = data.header.agency_name or data.header.unit_name
    return in_sentence(fallback) or "Cơ quan giải quyết hồ sơ"


def _fold(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


def capital(text: str) -> str:
    """At the start of a sentence: 'cơ quan…' → 'Cơ quan…' (names are usually capitalised)."""
    return text[:1].upper() + text[1:]


def closing_block(recipients: Sequence[str], width: float, s: Styles) -> Table:
    """'Nơi nhận:' and its list on the left, the head of the agency's signature on the right:
    the close of the agency's letters (the apology, the stop notice)."""
    recipients_w = width * 0.42
    sign_w = width - recipients_w
    label = ParagraphStyle(
        "recipients_label",
        parent=s.body,
        fontName=f"{FAMILY}-BoldItalic",
        fontSize=s.size - 1,
        leading=(s.size - 1) * 1.2,
        spaceAfter=0,
    )
    item = ParagraphStyle(
        "recipients_item",
        parent=s.body,
        fontSize=s.size - 2,
        leading=(s.size - 2) * 1.2,
        leftIndent=3 * mm,
        firstLineIndent=-3 * mm,
        spaceAfter=0,
    )
    left: list[Flowable] = [para("Nơi nhận:", label)]
    # Every paper under Decree 30 has its recipients; an empty list gets the usual two.
    given = [r.strip().rstrip(";.").strip() for r in recipients]
    names = [r for r in given if r] or list(DEFAULT_RECIPIENTS)
    for n, recipient in enumerate(names, start=1):
        end = "." if n == len(names) else ";"
        left.append(para(f"- {recipient}{end}", item))
    signature = signature_row([Signature(HEAD_TITLE, HEAD_NOTE)], sign_w, s, space=28 * mm)
    table = Table([[left, signature]], colWidths=[recipients_w, sign_w])
    style = plain_table_style()
    # The list starts level with the signature's title, as on papers under Decree 30.
    style.add("TOPPADDING", (0, 0), (0, 0), 3)
    table.setStyle(style)
    return table
