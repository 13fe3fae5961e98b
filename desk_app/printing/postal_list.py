"""Bảng kê giao bưu chính: the results handed to the postal worker on one day, to sign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desk_app.printing.data import DeskHeader
from desk_app.printing.layout import (
    LANDSCAPE_A4,
    Styles,
    build_pdf,
    esc,
    frame_height,
    frame_width,
    grid_style,
    header_block,
    markup,
    para,
    styles,
    title_block,
)
from desk_app.printing.register import NumberedCanvas, PagedTable
from desk_app.printing.wording import short_date

TITLE = "BẢNG KÊ GIAO BƯU CHÍNH"
SUBTITLE = "(Kết quả giải quyết thủ tục hành chính chuyển trả qua dịch vụ bưu chính công ích)"
EMPTY_MESSAGE = "Không có bưu gửi nào được giao trong ngày."
GIVER = "NGƯỜI GIAO"
GIVER_ROLE = "(Cán bộ Bộ phận Một cửa)"
RECEIVER = "NGƯỜI NHẬN"
RECEIVER_ROLE = "(Nhân viên bưu chính)"
SIGN_NOTE = "(Ký và ghi rõ họ tên)"
# Heading and relative width of each column.
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("TT", 8),
    ("Mã hồ sơ", 30),
    ("Người nhận", 32),
    ("Địa chỉ", 58),
    ("Số điện thoại", 24),
    ("Số hiệu bưu gửi", 29),
    ("Cước (đồng)", 19),
    ("Người trả cước", 27),
)
HEADINGS = tuple(name for name, _ in _COLUMNS)
_POSTAGE_COLUMN = 6


@dataclass(frozen=True)
class PostalListRow:
    code: str
    recipient: str
    address: str
    phone: str
    tracking: str
    postage: int | None  # None: not known when handed over
    paid_by: str  # in words, e.g. "Tổ chức, cá nhân"


@dataclass(frozen=True)
class PostalListData:
    header: DeskHeader
    day: date
    rows: tuple[PostalListRow, ...]


class _ListCanvas(NumberedCanvas):
    """Numbers the pages only when the list runs past one page."""

    number_single_page: ClassVar[bool] = False


def amount(n: int) -> str:
    """'28.000': Vietnamese groups thousands with a dot."""
    return f"{n:,}".replace(",", ".")


def _code_markup(code: str) -> str:
    """A file code breaks after the agency part, never at an arbitrary digit."""
    agency, dash, rest = code.partition("-")
    return f"{esc(agency)}-<br/>{esc(rest)}" if dash else esc(code)


def _row(n: int, r: PostalListRow, s: Styles) -> list[Any]:
    right = s.cell.clone("pl_right", alignment=2)
    return [
        para(str(n), s.cell_centre),
        markup(_code_markup(r.code), s.cell),
        para(r.recipient, s.cell),
        para(r.address, s.cell),
        para(r.phone, s.cell_centre),
        para(r.tracking, s.cell_centre),
        para("" if r.postage is None else amount(r.postage), right),
        para(r.paid_by, s.cell_centre),
    ]


def _widths(width: float) -> list[float]:
    total = sum(w for _, w in _COLUMNS)
    return [width * w / total for _, w in _COLUMNS]


def postal_table(data: PostalListData, width: float, s: Styles) -> Flowable:
    """The list: the header row on top of every page, one row per item."""
    widths = _widths(width)
    head = [[para(h, s.cell_head) for h in HEADINGS]]
    shade = [("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93))]
    if not data.rows:
        message = s.cell_centre.clone("pl_empty", fontName=s.centre_italic.fontName)
        empty = [para(EMPTY_MESSAGE, message)] + [""] * (len(HEADINGS) - 1)
        table = Table([*head, empty], colWidths=widths, repeatRows=1)
        table.setStyle(grid_style())
        table.setStyle(TableStyle([*shade, ("SPAN", (0, 1), (-1, 1))]))
        return table
    body = [_row(n, r, s) for n, r in enumerate(data.rows, start=1)]
    return PagedTable(head, body, widths, shade, frame_height(LANDSCAPE_A4))


def totals_text(rows: tuple[PostalListRow, ...]) -> str:
    """'Tổng số: 3 bưu gửi. Tổng cước: 84.000 đồng (…).'"""
    text = f"Tổng số: {len(rows)} bưu gửi."
    known = [r for r in rows if r.postage is not None]
    if not known:
        return text
    total = sum(r.postage or 0 for r in known)
    text += f" Tổng cước: {amount(total)} đồng"
    by_payer: dict[str, int] = {}
    for r in known:
        by_payer[r.paid_by] = by_payer.get(r.paid_by, 0) + (r.postage or 0)
    if len(by_payer) > 1:
        parts = "; ".join(f"{payer.lower()} trả {amount(v)} đồng" for payer, v in by_payer.items())
        text += f" (trong đó: {parts})"
    return text + "."


def _signatures(width: float, s: Styles) -> Table:
    """The officer and the postal worker side by side, each with room to sign."""
    cells: list[list[Flowable]] = []
    for title, role in ((GIVER, GIVER_ROLE), (RECEIVER, RECEIVER_ROLE)):
        cells.append(
            [
                para(title, s.centre_bold),
                para(role, s.centre_bold),
                para(SIGN_NOTE, s.centre_italic),
                Spacer(1, 24 * mm),
            ]
        )
    table = Table([cells], colWidths=[width / 2] * 2)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def render_postal_list(data: PostalListData) -> bytes:
    """The hand-over list on landscape A4 with the two signatures under it."""
    s = styles()
    width = frame_width(LANDSCAPE_A4)
    story: list[Flowable] = [
        header_block(data.header, data.day, width, s),
        Spacer(1, 3 * mm),
        title_block(TITLE, s),
        para(SUBTITLE, s.centre_italic),
        markup(f"Ngày giao: <b>{short_date(data.day)}</b>", s.centre),
        Spacer(1, 3 * mm),
        postal_table(data, width, s),
        Spacer(1, 2 * mm),
        para(totals_text(data.rows), s.body),
        Spacer(1, 3 * mm),
        KeepTogether([_signatures(width, s)]),
    ]
    return build_pdf(
        story,
        title=TITLE,
        author=data.header.unit_name,
        pagesize=LANDSCAPE_A4,
        canvasmaker=_ListCanvas,
    )
