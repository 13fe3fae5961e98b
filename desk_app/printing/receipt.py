"""Giấy tiếp nhận hồ sơ và hẹn trả kết quả: two copies, on two A4 sheets or two halves of one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from desk_app.errors import ConfigurationError
from desk_app.printing.barcodes import QrFlowable, code128
from desk_app.printing.data import DocumentRow, ReceiptData
from desk_app.printing.fonts import FAMILY
from desk_app.printing.formset import FormSet, FormText
from desk_app.printing.layout import (
    BASE_SIZE,
    MARGINS,
    Signature,
    Styles,
    esc,
    form_number_line,
    frame_height,
    frame_width,
    grid_style,
    header_block,
    markup,
    new_document,
    page_frame,
    qr_corner,
    signature_row,
    styles,
    title_block,
)
from desk_app.printing.qr import LOOKUP_LABEL, paper_qr, printed_key
from desk_app.printing.wording import moment_words, nfc

LAYOUTS = ("two_sheets", "half_sheets")
COPY_MARKS = ("Liên 1: Lưu", "Liên 2: Giao người nộp")
REPRINT_MARK = "Bản in lại"
NO_TIME_LIMIT = "Thủ tục hành chính không quy định thời hạn giải quyết."
COUNTER = "Bộ phận Một cửa"
# The count columns of the document table; a certified copy is a copy ("Bản sao").
COPY_COLUMNS = ("Bản chính", "Bản sao", "Bản photo")
_COLUMN_OF = {"original": 0, "certified": 1, "photo": 2}


@dataclass(frozen=True)
class _Look:
    """Sizes of one way of printing the receipt."""

    size: float  # body text in points
    paragraph_gap: float  # space after each line of the body
    signature_space: float  # room to sign between the note and the printed name
    barcode_height: float
    count_column: float  # width of each of the three count columns
    header_gap: float  # between the national header and the title
    spacing: float = 1.25  # line height of the body in font sizes
    gap: float = 4  # points between the blocks (codes, body, table, signatures)
    # Half a page: the form number on one line, the barcode beside the code, a smaller QR
    # code beside the header, items 2-3 and 6-register paired when they fit one line.
    half: bool = False


SHEET = _Look(
    size=BASE_SIZE,
    paragraph_gap=1.5,
    signature_space=20 * mm,
    barcode_height=10 * mm,
    count_column=21 * mm,
    header_gap=3 * mm,
)
# A long document list at 12 pt still keeps each copy on one sheet more often than not.
SHEET_COMPACT = _Look(
    size=12,
    paragraph_gap=1,
    signature_space=18 * mm,
    barcode_height=9 * mm,
    count_column=19 * mm,
    header_gap=3 * mm,
)
HALF = _Look(
    size=10,
    paragraph_gap=0,
    signature_space=9.5 * mm,
    barcode_height=7 * mm,
    count_column=16 * mm,
    header_gap=1.5 * mm,
    spacing=1.15,
    gap=1.5,
    half=True,
)
# Margins of each half of the sheet: a binding edge on the left as on a full page, less room
# at the top and bottom so both copies fit; the cut line runs across the middle of the page.
HALF_MARGINS = {"left": 20 * mm, "right": 15 * mm, "top": 6 * mm, "bottom": 5 * mm}


def render_receipt(data: ReceiptData, form_set: FormSet, *, layout: str = "two_sheets") -> bytes:
    """The receipt as PDF: "Liên 1: Lưu" for the desk, "Liên 2: Giao người nộp" to hand over.

    `two_sheets`: each copy on its own A4 page at 13 pt (up to about six documents). A copy
    that would run onto a second page is tried again at 12 pt; if it still does not fit, it is
    set at 13 pt over as many pages as it needs, the table header repeated and a running head
    ("Mã hồ sơ … – Liên 1: Lưu (tiếp theo)") on each later page; the next copy starts a page.
    `half_sheets`: both copies as the halves of one A4 page at 10 pt, with a dashed cut line
    between them (up to about six documents). When a copy does not fit its half (a long
    document list, long names or addresses) the receipt falls back to `two_sheets` as above:
    a copy cut in two, or squeezed into unreadable type, would be worse than a second sheet.
    The same data always gives the same bytes (no clock, no random ids).
    """
    if layout not in LAYOUTS:
        raise ConfigurationError(
            f"Cách in giấy tiếp nhận “{layout}” không có; chọn một trong: {', '.join(LAYOUTS)}.",
            field="receipt_layout",
        )
    form = form_set["receipt"]
    if layout == "half_sheets":
        half = _half_sheets(data, form)
        if half is not None:
            return half
    for look in (SHEET, SHEET_COMPACT):
        sheets = _two_sheets(data, form, look, strict=True)
        if sheets is not None:
            return sheets
    long = _two_sheets(data, form, SHEET, strict=False)
    assert long is not None  # not strict: every copy is laid out over as many pages as it needs
    return long


# --- documents ------------------------------------------------------------------------------


class _DoesNotFitError(Exception):
    """A copy ran past its page (or half page) in a layout that must hold it whole."""


class _CopyTracker:
    """Where the copy being drawn started: its number, page and frame."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.copy = 0
        self.first_page = 1
        self.frame = ""


class _CopyMark(Flowable):
    """A zero-size marker at the start or the end of a copy.

    The start tells the running head of a long copy whose pages follow; the end, in a strict
    layout, stops the build as soon as a copy has spilled over, so the next try (smaller type,
    or two sheets instead of halves) begins without laying out the rest for nothing.
    """

    _ZEROSIZE = True

    def __init__(self, tracker: _CopyTracker, copy: int, *, end: bool) -> None:
        super().__init__()
        self.tracker = tracker
        self.copy = copy
        self.end = end
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        frame = str(getattr(getattr(self, "_frame", None), "id", ""))
        t = self.tracker
        if not self.end:
            t.copy, t.first_page, t.frame = self.copy, page, frame
        elif t.strict and (page, frame) != (t.first_page, t.frame):
            raise _DoesNotFitError


def _copies(
    data: ReceiptData,
    form: FormText,
    look: _Look,
    width: float,
    tracker: _CopyTracker,
    separator: Callable[[], Flowable],
) -> list[Flowable]:
    story: list[Flowable] = []
    for copy in range(len(COPY_MARKS)):
        if copy:
            story.append(separator())
        story.append(_CopyMark(tracker, copy, end=False))
        story += _copy_story(data, form, look, width, copy)
        story.append(_CopyMark(tracker, copy, end=True))
    return story


def _two_sheets(data: ReceiptData, form: FormText, look: _Look, *, strict: bool) -> bytes | None:
    """Each copy from the top of a new A4 page; None if `strict` and a copy needs two."""
    tracker = _CopyTracker(strict=strict)
    width = frame_width()

    def running_head(canvas: Canvas, doc: BaseDocTemplate) -> None:
        # Only on the second and later pages of a copy, which would otherwise be anonymous.
        if canvas.getPageNumber() == tracker.first_page:
            return
        canvas.saveState()
        canvas.setFont(f"{FAMILY}-Italic", 10)
        text = f"Mã hồ sơ: {data.code} – {COPY_MARKS[tracker.copy]} (tiếp theo)"
        canvas.drawRightString(A4[0] - MARGINS["right"], A4[1] - MARGINS["top"] + 4 * mm, nfc(text))
        canvas.restoreState()

    body = page_frame(MARGINS["left"], MARGINS["bottom"], width, frame_height(), "body")
    template = PageTemplate(id="sheet", frames=[body], pagesize=A4, onPageEnd=running_head)
    story = _copies(data, form, look, width, tracker, PageBreak)
    return _build(data, form, template, story)


def _half_sheets(data: ReceiptData, form: FormText) -> bytes | None:
    """Both copies on one A4 page, one above the cut line; None if a copy needs more room."""
    page_w, page_h = A4
    half_h = page_h / 2
    width = page_w - HALF_MARGINS["left"] - HALF_MARGINS["right"]
    height = half_h - HALF_MARGINS["top"] - HALF_MARGINS["bottom"]
    frames = [
        page_frame(HALF_MARGINS["left"], half_h + HALF_MARGINS["bottom"], width, height, "top"),
        page_frame(HALF_MARGINS["left"], HALF_MARGINS["bottom"], width, height, "bottom"),
    ]

    def cut_line(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        canvas.setDash(4, 3)
        canvas.line(8 * mm, half_h, page_w - 8 * mm, half_h)
        canvas.restoreState()

    template = PageTemplate(id="halves", frames=frames, pagesize=A4, onPage=cut_line)
    story = _copies(data, form, HALF, width, _CopyTracker(strict=True), FrameBreak)
    return _build(data, form, template, story)


def _build(
    data: ReceiptData, form: FormText, template: PageTemplate, story: list[Flowable]
) -> bytes | None:
    buffer = BytesIO()
    doc = new_document(
        buffer,
        title=f"{form.title} – {data.code}",
        author=data.header.unit_name,
        templates=[template],
    )
    try:
        doc.build(story)
    except _DoesNotFitError:
        return None
    return buffer.getvalue()


# --- one copy -------------------------------------------------------------------------------


def _copy_story(
    data: ReceiptData, form: FormText, look: _Look, width: float, copy: int
) -> list[Flowable]:
    s = styles(look.size, spacing=look.spacing)
    body = ParagraphStyle(
        "receipt_body", parent=s.body_justified, alignment=TA_JUSTIFY, spaceAfter=look.paragraph_gap
    )
    story: list[Flowable] = []

    # The QR code in the upper-left corner, level with the form number (Circular 01/2023);
    # on a half sheet the header and the title stand beside it, so it takes no extra height.
    title = markup(esc(form.title), _half_title(s)) if look.half else title_block(form.title, s)
    qr = _qr(data, form, look)
    story += qr_corner(
        qr,
        _top_lines(form, s, reprint=data.reprint, one_line=look.half, under=qr is not None),
        lambda w: header_block(data.header, data.issued, w, s),
        width,
        s,
        lambda w: [Spacer(1, look.header_gap), title],
    )
    if look.half:
        story.append(_code_line(data, s, look, width, copy))
    else:
        story.append(_code_row(data, s, look, copy))
    story.append(Spacer(1, look.gap))

    who = [
        _field("Đơn vị tiếp nhận:", " – ".join(_unit_names(data))),
        _field("Tiếp nhận hồ sơ của:", data.applicant_name, bold=True),
    ]
    if data.submitter_name:
        who.append(_field("Người trực tiếp nộp hồ sơ:", data.submitter_name))
    who += [
        _field("Địa chỉ:", data.address),
        f"{_field('Số điện thoại:', data.phone)}{'&nbsp;' * 10}{_field('Email:', data.email)}",
        _field("Nội dung yêu cầu giải quyết:", data.procedure_name),
        _field("1. Thành phần hồ sơ nộp gồm:"),
    ]
    story += [markup(x, body) for x in who]
    story.append(_documents_table(data.documents, s, look, width))
    story.append(Spacer(1, look.paragraph_gap + 0.2 * look.size))

    count = _field("2. Số lượng hồ sơ:", f"{data.sets_count:02d} (bộ)")
    duration = _field(
        "3. Thời gian giải quyết hồ sơ theo quy định là:",
        data.duration_text or "không quy định thời hạn",
    )
    due = _field(
        "5. Thời gian trả kết quả giải quyết hồ sơ:",
        moment_words(data.due) if data.due is not None else NO_TIME_LIMIT,
        bold=data.due is not None,
    )
    place = _field(
        "6. Đăng ký nhận kết quả tại:",
        f"Qua dịch vụ bưu chính công ích, địa chỉ: {data.delivery_address}"
        if data.result_by_post
        else COUNTER,
    )
    register = (
        f"Vào Sổ theo dõi hồ sơ, Quyển số: {esc(data.register_book)}, "
        f"Số thứ tự: {data.register_seq}"
    )
    if look.half:
        story += _paired(count, duration, body, width)
    else:
        story += [markup(count, body), markup(duration, body)]
    story.append(markup(_field("4. Thời gian nhận hồ sơ:", moment_words(data.received)), body))
    story.append(markup(due, body))
    if look.half:
        closing = _paired(place, register, body, width)
    else:
        closing = [markup(place, body), markup(register, body)]
    signatures = signature_row(
        [Signature("NGƯỜI NỘP HỒ SƠ"), Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=data.officer_name)],
        width,
        s,
        space=look.signature_space,
    )
    if look.half:
        signatures.setStyle(
            TableStyle(
                [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
            )
        )
    # Item 6, the register line and the signatures never part across a page.
    story.append(KeepTogether([*closing, Spacer(1, look.gap), signatures]))
    return story


def _half_title(s: Styles) -> ParagraphStyle:
    return ParagraphStyle("title_half", parent=s.title, spaceBefore=2, spaceAfter=2)


def _field(label: str, value: str = "", *, bold: bool = False) -> str:
    """'Label: value' as paragraph markup; the value in bold when it is the one to notice."""
    shown = f"<b>{esc(value)}</b>" if bold and value else esc(value)
    return f"{esc(label)} {shown}".rstrip()


def _unit_names(data: ReceiptData) -> list[str]:
    return [x for x in (data.header.unit_name, data.header.agency_name) if x]


def _paired(first: str, second: str, style: ParagraphStyle, width: float) -> list[Flowable]:
    """Two short items on one line when they fit there, else one under the other."""
    together = markup(f"{first}{'&nbsp;' * 6}{second}", style)
    _, height = together.wrap(width, 1000)
    if height <= style.leading * 1.01:
        return [together]
    return [markup(first, style), markup(second, style)]


def _top_lines(
    form: FormText, s: Styles, *, reprint: bool, one_line: bool, under: bool
) -> list[Flowable]:
    """'Mẫu số 01' and its legal basis on the right; the reprint mark, if any, on the left.

    The mark takes no room of its own, so a reprint is laid out exactly like the first print.
    It stands level with the one-line form number of a half sheet; on a full sheet with a QR
    code (`under`) it goes under the two lines, in the free band right of the code, where the
    long legal-basis line cannot run into it.
    """
    number = form_number_line(form, s, one_line=one_line)
    if not reprint:
        return number
    size = s.small.fontSize if one_line else s.size - 1
    if under and not one_line:
        return [*number, _ReprintMark(size)]
    return [_ReprintMark(size), *number]


class _ReprintMark(Flowable):
    """The reprint mark: "Bản in lại" boxed at the top left, in the band of the form number."""

    _ZEROSIZE = True

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        font = f"{FAMILY}-BoldItalic"
        pad = 0.3 * self.size
        box_w = stringWidth(REPRINT_MARK, font, self.size) + 2 * pad
        box_h = self.size + 2 * pad
        canvas.saveState()
        canvas.setLineWidth(0.8)
        canvas.rect(0, -box_h, box_w, box_h, stroke=1, fill=0)
        canvas.setFont(font, self.size)
        # The baseline sits a descent above the bottom padding.
        canvas.drawString(pad, -box_h + pad + 0.22 * self.size, nfc(REPRINT_MARK))
        canvas.restoreState()


def _code_row(data: ReceiptData, s: Styles, look: _Look, copy: int) -> KeepTogether:
    """'Mã hồ sơ' and the copy mark centred, the barcode under them for the counter's scanner."""
    barcode = code128(data.code, height=look.barcode_height)
    barcode.hAlign = "CENTER"
    centre = ParagraphStyle("code", parent=s.centre, spaceAfter=0)
    mark = ParagraphStyle("copy_mark", parent=s.centre, fontName=f"{FAMILY}-BoldItalic")
    return KeepTogether(
        [
            markup(f"Mã hồ sơ: <b>{esc(data.code)}</b>", centre),
            *_key_line(data, centre),
            markup(f"({esc(COPY_MARKS[copy])})", mark),
            Spacer(1, 1 * mm),
            barcode,
        ]
    )


def _key_line(data: ReceiptData, style: ParagraphStyle) -> list[Flowable]:
    """'Mã tra cứu: ABCD-EFGH' when the receipt's QR code carries a look-up key."""
    key = data.qr.lookup_key if data.qr is not None and data.qr.lookup_url.strip() else ""
    if not key:
        return []
    return [markup(f"{LOOKUP_LABEL}: <b>{esc(printed_key(key))}</b>", style)]


def _code_line(data: ReceiptData, s: Styles, look: _Look, width: float, copy: int) -> Table:
    """The half-page variant: 'Mã hồ sơ' and the copy mark on the left, the barcode beside."""
    barcode = code128(data.code, height=look.barcode_height)
    text_style = ParagraphStyle("code_half", parent=s.body, spaceAfter=0)
    mark = ParagraphStyle("copy_mark_half", parent=text_style, fontName=f"{FAMILY}-BoldItalic")
    text: list[Flowable] = [
        markup(f"Mã hồ sơ: <b>{esc(data.code)}</b>", text_style),
        *_key_line(data, text_style),
        markup(f"({esc(COPY_MARKS[copy])})", mark),
    ]
    code_w = min(barcode.width, width - 50 * mm)
    table = Table([[text, barcode]], colWidths=[width - code_w, code_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _qr(data: ReceiptData, form: FormText, look: _Look) -> QrFlowable | None:
    return paper_qr(data.qr, code=data.code, title=form.title, half=look.half)


def _documents_table(
    documents: tuple[DocumentRow, ...], s: Styles, look: _Look, width: float
) -> Table:
    """TT / Tên loại giấy tờ / Số lượng (Bản chính, Bản sao, Bản photo); header on each page."""
    head = s.cell_head
    cell = s.cell
    centre = s.cell_centre
    rows: list[list[object]] = [
        [
            Paragraph("TT", head),
            Paragraph("Tên loại giấy tờ", head),
            Paragraph("Số lượng", head),
            "",
            "",
        ],
        ["", "", *(Paragraph(esc(c), head) for c in COPY_COLUMNS)],
    ]
    for i, doc in enumerate(documents, start=1):
        if doc.copy_type not in _COLUMN_OF:
            msg = f"unknown copy type {doc.copy_type!r} of {doc.name!r}"
            raise ValueError(msg)
        counts: list[object] = ["", "", ""]
        counts[_COLUMN_OF[doc.copy_type]] = Paragraph(f"{doc.count:02d}", centre)
        rows.append([Paragraph(str(i), centre), Paragraph(esc(doc.name), cell), *counts])
    if not documents:
        rows.append(["", Paragraph("Không có giấy tờ kèm theo.", cell), "", "", ""])
    tt = max(10 * mm, look.size * 0.9 * mm)
    name_w = width - tt - 3 * look.count_column
    table = Table(
        rows,
        colWidths=[tt, name_w, *([look.count_column] * 3)],
        repeatRows=2,
    )
    style = grid_style(header_rows=2)
    style.add("SPAN", (0, 0), (0, 1))
    style.add("SPAN", (1, 0), (1, 1))
    style.add("SPAN", (2, 0), (4, 0))
    style.add("VALIGN", (0, 0), (-1, 1), "MIDDLE")
    # Empty cells are measured in the table's own font (10/12 pt), not the cells' style.
    style.add("FONTSIZE", (0, 0), (-1, -1), cell.fontSize)
    style.add("LEADING", (0, 0), (-1, -1), cell.leading)
    if look.half:
        style.add("TOPPADDING", (0, 0), (-1, -1), 1)
        style.add("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)
    table.setStyle(style)
    return table
