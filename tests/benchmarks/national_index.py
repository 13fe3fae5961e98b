"""The national index (Decision 766) for `make bench`: the page's figures for last year on the big
register, the files behind a figure, and its PDF; then the page again with the last three and a
half months of the year digitised (synthetic lines and pages added inside a transaction that is
rolled back, so the register is left as it was)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk_app.services import index_exports, national_index
from desk_app.store.engine import Database


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# A desk scanning from 15 September (Circular 03/2025): every paper of the files received at the
# counter or by post from then on (one in ten shown only, one file in seven never asked about),
# the results settled from then on (one in four still to scan), a page per scanned line; one page
# in six carries bytes from a pool of 5,000 (the same blank form scanned again), so reuse shows.
# SQLite's own functions: the bench's register is an SQLite file.
_DIGITISE = (
    """WITH j(n) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7))
INSERT INTO scan_lines (file_id, kind, line, state, reason, at, officer_id)
SELECT f.id, 'document', j.n,
  CASE WHEN (f.id + j.n) % 10 = 0 THEN 'shown_only' ELSE 'digitised' END,
  CASE WHEN (f.id + j.n) % 10 = 0 THEN 'Xuất trình' END, f.received_at, f.officer_id
FROM files f JOIN document_sets ds ON ds.id = f.document_set_id
  JOIN j ON j.n < json_array_length(ds.items)
WHERE f.received_at >= :s AND f.received_at < :e AND f.channel <> 'online'
  AND f.status NOT IN (1, 3) AND f.id % 7 <> 0
ON CONFLICT DO UPDATE SET state = excluded.state""",
    """INSERT INTO scan_lines (file_id, kind, line, state, reason, at, officer_id)
SELECT f.id, 'result', 0, CASE WHEN f.id % 4 = 0 THEN 'pending' ELSE 'digitised' END, NULL,
  f.settled_at, f.officer_id
FROM files f WHERE f.settled_at >= :s AND f.settled_at < :e ON CONFLICT DO NOTHING""",
    """INSERT INTO scan_pages (file_id, kind, line, seq, sha256, size, media_type, added_at,
  officer_id)
SELECT l.file_id, l.kind, l.line, 0,
  CASE WHEN (l.file_id + l.line) % 6 = 0 THEN printf('%064d', l.file_id % 5000)
    ELSE lower(hex(randomblob(32))) END, 250000, 'image/jpeg', l.at, l.officer_id
FROM scan_lines l WHERE l.state = 'digitised' AND l.at >= :s AND l.at < :e""",
)


def add_digitising(session: Session, start: date, end: date) -> tuple[int, int]:
    """Synthetic scan lines and pages for the files received (and results settled) in
    [start, end): how many lines and pages the register then holds."""
    bounds = {"s": f"{start} 00:00:00", "e": f"{end} 00:00:00"}
    for sql in _DIGITISE:
        session.execute(text(sql), bounds)
    lines = int(session.execute(text("SELECT count(*) FROM scan_lines")).scalar_one())
    pages = int(session.execute(text("SELECT count(*) FROM scan_pages")).scalar_one())
    return lines, pages


class _UndoError(Exception):
    """Rolls the synthetic digitising back."""


def index_figures(db: Database, line: Callable[[str, str], None]) -> None:
    year = date.today().year - 1
    start, end, now = date(year, 1, 1), date(year, 12, 31), datetime.now()
    with db.reader.begin() as s:
        report = national_index.index_report(s, start, end, now)
        ms = _median_ms(lambda: national_index.index_report(s, start, end, now))
        received = int(report.figure("progress.received").value or 0)
        line("Decision 766 page, a year", f"{ms:.0f} ms ({received:,} files received)")
        ms = _median_ms(
            lambda: national_index.files_behind(s, "progress.late", start, end, now, limit=500)
        )
        _, late = national_index.files_behind(s, "progress.late", start, end, now, limit=1)
        line("files behind a figure (500)", f"{ms:.0f} ms ({late:,} late files)")
        ms = _median_ms(lambda: index_exports.index_pdf(s, report), 3)
        line("Decision 766 PDF", f"{ms:.0f} ms")
    try:
        with db.writer.begin() as s:
            lines, pages = add_digitising(s, date(year, 9, 15), date(year + 1, 1, 1))
            ms = _median_ms(lambda: national_index.index_report(s, start, end, now), 3)
            line(
                "Decision 766 page, digitised",
                f"{ms:.0f} ms (from 15 Sep: {lines:,} lines, {pages:,} pages; not kept)",
            )
            raise _UndoError
    except _UndoError:
        pass
