"""The department's HTML page: one Biểu 06 table per desk and a total (no external assets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from desk_app.department.service import (
    ConsolidatedReport,
    DeskOverview,
    LookupView,
    RatingsReport,
)
from desk_app.domain.statistics import StatCounts

TITLE = "Một cửa — Sở (tổng hợp)"

# (heading over the columns, [(StatCounts key, column heading)]); a None heading spans two rows.
_COLUMNS: tuple[tuple[str | None, tuple[tuple[str, str], ...]], ...] = (
    (
        "Số hồ sơ nhận giải quyết",
        (
            ("received_total", "Tổng số"),
            ("received_online", "Trực tuyến"),
            ("received_direct_postal", "Trực tiếp, dịch vụ bưu chính"),
            ("carried_over", "Từ kỳ trước"),
        ),
    ),
    (
        "Số hồ sơ đã giải quyết",
        (
            ("settled_total", "Tổng số"),
            ("settled_early", "Trước hạn"),
            ("settled_on_time", "Đúng hạn"),
            ("settled_late", "Quá hạn"),
        ),
    ),
    (
        "Số hồ sơ đang giải quyết",
        (
            ("open_total", "Tổng số"),
            ("open_in_time", "Trong hạn"),
            ("open_overdue", "Quá hạn"),
        ),
    ),
    (None, (("withdrawn", "Rút hồ sơ"),)),
    (None, (("stopped", "Dừng xử lý"),)),
    (
        "Dịch vụ bưu chính công ích",
        (
            ("postal_received", "Nhận hồ sơ"),
            ("postal_sent", "Gửi kết quả"),
            ("postal_delivered", "Đã phát"),
            ("postal_returned", "Chuyển hoàn"),
        ),
    ),
)
_KEYS = tuple(key for _, cols in _COLUMNS for key, _ in cols)

_STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.8em; }
h3 { font-size: 1em; margin: 1.2em 0 0; }
table { border-collapse: collapse; font-size: 0.85em; margin-top: 0.5em; }
th, td { border: 1px solid #888; padding: 3px 6px; }
th { background: #eee; font-weight: 600; }
td.n { text-align: right; } td.label { min-width: 14em; }
.error { color: #a00; font-weight: 600; } tr.total td { font-weight: 700; background: #f5f5f5; }
.meta { color: #555; font-size: 0.9em; } .empty { font-style: italic; color: #666; }
form { margin: 1em 0; } label { margin-right: 1em; }
"""


@dataclass(frozen=True)
class DeskSection:
    desk: DeskOverview
    report: ConsolidatedReport
    ratings: RatingsReport | None = None


def _moment(value: datetime | None) -> str:
    return "chưa liên hệ" if value is None else value.strftime("%d/%m/%Y %H:%M")


def _day(value: date | None) -> str:
    return "chưa có" if value is None else value.strftime("%d/%m/%Y")


def _head() -> str:
    top = ['<th rowspan="2">STT</th>', '<th rowspan="2">Lĩnh vực, công việc giải quyết</th>']
    bottom: list[str] = []
    for heading, cols in _COLUMNS:
        if heading is None:
            top.append(f'<th rowspan="2">{escape(cols[0][1])}</th>')
            continue
        top.append(f'<th colspan="{len(cols)}">{escape(heading)}</th>')
        bottom.extend(f"<th>{escape(label)}</th>" for _, label in cols)
    return f"<thead><tr>{''.join(top)}</tr><tr>{''.join(bottom)}</tr></thead>"


def _cells(counts: StatCounts) -> str:
    values = counts.as_dict()
    return "".join(f'<td class="n">{values[k]}</td>' for k in _KEYS)


def _table(report: ConsolidatedReport) -> str:
    if not report.rows:
        return '<p class="empty">Không có số liệu trong kỳ.</p>'
    body = [
        f'<tr><td>{i}</td><td class="label">{escape(row.label)}</td>{_cells(row.counts)}</tr>'
        for i, row in enumerate(report.rows, start=1)
    ]
    body.append(f'<tr class="total"><td></td><td>Tổng số</td>{_cells(report.total)}</tr>')
    return f"<table>{_head()}<tbody>{''.join(body)}</tbody></table>"


_RATING_HEADS = ("Rất hài lòng", "Hài lòng", "Không hài lòng", "Tổng lượt đánh giá")


def _rating_cells(values: dict[str, int]) -> str:
    keys = ("very_satisfied", "satisfied", "dissatisfied", "rated")
    return "".join(f'<td class="n">{values[k]}</td>' for k in keys)


def _ratings_table(report: RatingsReport | None) -> str:
    """The applicants' ratings given in the period by field (counts only); nothing without any."""
    if report is None or not report.rows:
        return ""
    head = "".join(f"<th>{escape(h)}</th>" for h in _RATING_HEADS)
    body = [
        f'<tr><td>{i}</td><td class="label">{escape(row.label)}</td>'
        f"{_rating_cells({**row.ratings.as_dict(), 'rated': row.ratings.rated})}</tr>"
        for i, row in enumerate(report.rows, start=1)
    ]
    total = {**report.total.as_dict(), "rated": report.total.rated}
    body.append(f'<tr class="total"><td></td><td>Tổng số</td>{_rating_cells(total)}</tr>')
    return (
        "<h3>Đánh giá mức độ hài lòng của người dân, doanh nghiệp</h3>"
        '<table class="ratings"><thead><tr><th>STT</th><th>Lĩnh vực</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _desk_section(section: DeskSection) -> str:
    d = section.desk
    who = " — ".join(escape(part) for part in (d.agency_name, d.unit_name) if part)
    meta = (
        f"Liên hệ lần cuối: {escape(_moment(d.last_contact_at))}"
        f" · Phần mềm: {escape(d.software or 'không rõ')}"
        f" · Ngày số liệu gần nhất: {escape(_day(d.last_day))} · Số ngày đã nhận: {d.days}"
    )
    if d.revoked_at is not None:
        meta += f" · Mã truy cập đã bị thu hồi: {escape(_moment(d.revoked_at))}"
    return (
        f'<section class="desk"><h2>{escape(d.name)}</h2>'
        + (f'<p class="meta">{who}</p>' if who else "")
        + f'<p class="meta">{meta}</p>{_table(section.report)}'
        + f"{_ratings_table(section.ratings)}</section>"
    )


def render_page(
    start: date,
    end: date,
    sections: list[DeskSection],
    total: ConsolidatedReport | None,
    error: str | None = None,
    total_ratings: RatingsReport | None = None,
) -> str:
    """The whole page; `total` None leaves out the all-desks table (a desk sees only itself),
    `error` replaces the tables with a message about the period asked for. Each table of a
    period with ratings is followed by the ratings by field (`total_ratings` for all desks)."""
    period = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    form = (
        '<form method="get" action="/">'
        f'<label>Từ ngày <input type="date" name="from" value="{start.isoformat()}"></label>'
        f'<label>Đến ngày <input type="date" name="to" value="{end.isoformat()}"></label>'
        '<button type="submit">Xem</button></form>'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(TITLE)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(TITLE)}</h1>",
        "<p>Tình hình, kết quả giải quyết TTHC (Biểu 06) theo lĩnh vực, đơn vị tính: số hồ sơ."
        f" {escape(period)}.</p>",
        form,
    ]
    if error is not None:
        parts.append(f'<p class="error">{escape(error)}</p></body></html>')
        return "\n".join(parts)
    if total is not None:
        parts.append(
            f'<section class="total"><h2>Tổng hợp tất cả bộ phận một cửa</h2>{_table(total)}'
            f"{_ratings_table(total_ratings)}</section>"
        )
    if not sections:
        parts.append('<p class="empty">Chưa có bộ phận một cửa nào được đăng ký.</p>')
    parts.extend(_desk_section(s) for s in sections)
    parts.append("</body></html>")
    return "\n".join(parts)


# --- the public look-up page (issue 16) ----------------------------------------------------------

LOOKUP_TITLE = "Tra cứu tình trạng hồ sơ"
# The one answer for an unknown code, a wrong key and a missing key: nothing about the file.
NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Vui lòng kiểm tra lại hai mã in trên "
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
)
TOO_MANY = "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút."
# The status in words, as an applicant reads it (domain/workflow.Status).
STATUS_WORDS: dict[int, str] = {
    1: "Đã đăng ký, chờ tiếp nhận",
    2: "Đã tiếp nhận",
    3: "Không tiếp nhận",
    4: "Đang giải quyết",
    5: "Chờ bổ sung hồ sơ",
    6: "Chờ thực hiện nghĩa vụ tài chính",
    7: "Đã rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã có kết quả, chờ trả",
    10: "Đã trả kết quả",
}
RETURN_WORDS = {
    "counter": "Nhận trực tiếp tại Bộ phận Một cửa",
    "post": "Gửi qua dịch vụ bưu chính công ích",
}
_LOOKUP_STYLE = """
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 16px;
  line-height: 1.4; margin: 0; color: #1a1a1a; background: #f1f4f7; }
main { max-width: 34em; margin: 0 auto; padding: 0.75em 1em 2em; }
h1 { font-size: 1.4em; line-height: 1.25; color: #0b4f8a; margin: 0.5em 0 0.6em; }
form, .card { background: #fff; border: 1px solid #c8cfd8; border-radius: 10px; padding: 1em; }
.card, .notice { margin: 0 0 1em; }
label { display: block; margin: 0.8em 0 0.3em; font-weight: 600; }
label:first-child { margin-top: 0; }
.hint { display: block; font-weight: 400; color: #4a5561; font-size: 0.9em; }
input { display: block; width: 100%; box-sizing: border-box; min-height: 48px; font: inherit;
  font-size: 1.15em; padding: 0.4em 0.6em; border: 1px solid #8a96a3; border-radius: 6px;
  color: #1a1a1a; background: #fff; font-variant-numeric: tabular-nums; }
input:focus { outline: 3px solid #7fb2e5; outline-offset: 1px; border-color: #0b4f8a; }
button { display: block; width: 100%; min-height: 48px; margin-top: 1.1em; font: inherit;
  font-size: 1.15em; font-weight: 600; padding: 0.5em 1.4em; background: #0b4f8a; color: #fff;
  border: 0; border-radius: 6px; cursor: pointer; }
button:focus-visible { outline: 3px solid #7fb2e5; outline-offset: 2px; }
dl { margin: 0; }
dt { color: #4a5561; font-size: 0.95em; margin-top: 0.9em; }
dt:first-child { margin-top: 0; }
dd { margin: 0.1em 0 0; font-size: 1.15em; font-weight: 600; overflow-wrap: anywhere; }
dd .code { font-weight: 400; color: #4a5561; white-space: nowrap; }
.ready { color: #0f6b35; } .wait { color: #7a4f00; }
.notice { padding: 0.8em 1em; background: #fff4e5; border: 1px solid #d9a55c;
  border-left: 5px solid #b86e00; border-radius: 8px; font-size: 1.05em; }
@media (min-width: 48em) {
  main { max-width: 46em; padding-top: 2em; }
  button { display: inline-block; width: auto; min-width: 10em; }
  .card dl { display: grid; grid-template-columns: 13em 1fr; column-gap: 1.2em; row-gap: 0.8em;
    align-items: baseline; }
  .card dt, .card dd { margin: 0; }
}
"""


def _when(value: datetime | None) -> str:
    return value.strftime("%H:%M ngày %d/%m/%Y") if value is not None else "—"


def _card(view: LookupView) -> str:
    ready = (
        '<dd class="ready">Đã có kết quả</dd>'
        if view.result_ready
        else '<dd class="wait">Chưa có kết quả</dd>'
    )
    items = [
        ("Mã hồ sơ", f"<dd>{escape(view.code)}</dd>"),
        (
            "Thủ tục",
            f"<dd>{escape(view.procedure_name)} "
            f'<span class="code">({escape(view.procedure)})</span></dd>',
        ),
        ("Tình trạng", f"<dd>{escape(STATUS_WORDS.get(view.status, 'Không rõ'))}</dd>"),
        ("Hẹn trả kết quả", f"<dd>{escape(_when(view.due))}</dd>"),
        ("Kết quả", ready),
        ("Hình thức nhận kết quả", f"<dd>{escape(RETURN_WORDS.get(view.result_by, '—'))}</dd>"),
    ]
    if view.settled is not None:
        items.insert(4, ("Thời điểm có kết quả", f"<dd>{escape(_when(view.settled))}</dd>"))
    rows = "".join(f"<dt>{escape(label)}</dt>{value}" for label, value in items)
    return f'<section class="card" id="ket-qua"><dl>{rows}</dl></section>'


def render_lookup(code: str, view: LookupView | None, notice: str | None = None) -> str:
    """The look-up page: the file when `view` is given, else `notice` (NOT_FOUND, TOO_MANY) when
    one is given, then the form (the code kept, never the key)."""
    form = (
        '<form method="get" action="/tra-cuu">'
        '<label for="ma">Mã hồ sơ</label>'
        f'<input id="ma" name="ma" value="{escape(code)}" maxlength="40" autocomplete="off" '
        'autocapitalize="characters" spellcheck="false">'
        '<label for="khoa">Mã tra cứu <span class="hint">(in trên giấy tiếp nhận, dạng XXXX-XXXX)'
        "</span></label>"
        '<input id="khoa" name="khoa" maxlength="12" autocomplete="off" '
        'autocapitalize="characters" spellcheck="false">'
        '<button type="submit">Tra cứu</button></form>'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{escape(LOOKUP_TITLE)}</title><style>{_LOOKUP_STYLE}</style></head><body><main>",
        f"<h1>{escape(LOOKUP_TITLE)}</h1>",
    ]
    # The answer above the form: on a phone it is what the applicant came for, seen unscrolled.
    if view is not None:
        parts.append(_card(view))
    elif notice:
        parts.append(f'<p class="notice" id="thong-bao">{escape(notice)}</p>')
    parts.append(form)
    parts.append("</main></body></html>")
    return "\n".join(parts)
