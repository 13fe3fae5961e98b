"""Report files: period_of, Biểu 06 as JSON / XLSX / PDF, and the register as XLSX."""

from __future__ import annotations

import io
import json
import os
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from desk_app.domain.statistics import STAT_KEYS
from desk_app.errors import ValidationError
from desk_app.printing.register import HEADINGS
from desk_app.services import lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.printing import register_data
from desk_app.services.reports import (
    REGISTER_FIRST_DATA_ROW,
    STATS_FIRST_DATA_ROW,
    period_of,
    register_xlsx,
    statistics_json,
    statistics_pdf,
    statistics_xlsx,
)
from desk_app.services.statistics import GroupBy, PeriodReport, period_report
from desk_app.services.views import FileView
from desk_app.store.engine import Database

os.environ.setdefault("DESK_FORM_FONT", "bundled")

NOW = datetime(2026, 3, 2, 10, 0)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _sheet(data: bytes) -> Worksheet:
    ws = load_workbook(io.BytesIO(data)).active
    assert isinstance(ws, Worksheet)
    return ws


# --- period_of -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last"),
    [
        ("month", 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("month", 2025, 2, date(2025, 2, 1), date(2025, 2, 28)),
        ("month", 2025, 12, date(2025, 12, 1), date(2025, 12, 31)),
        ("quarter", 2025, 1, date(2025, 1, 1), date(2025, 3, 31)),
        ("quarter", 2025, 4, date(2025, 10, 1), date(2025, 12, 31)),
        ("half", 2025, 1, date(2025, 1, 1), date(2025, 6, 30)),
        ("half", 2025, 2, date(2025, 7, 1), date(2025, 12, 31)),
        ("year", 2024, 1, date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_period_of_gives_first_and_last_day(
    kind: str, year: int, number: int, first: date, last: date
) -> None:
    assert period_of(kind, year, number) == (first, last)


def test_period_of_year_needs_no_number() -> None:
    assert period_of("year", 2026) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("kind", "number", "field"),
    [("month", 13, "number"), ("quarter", 0, "number"), ("half", 3, "number"), ("week", 1, "kind")],
)
def test_period_of_refuses_what_does_not_exist(kind: str, number: int, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        period_of(kind, 2025, number)
    assert info.value.field == field


# --- a small register ----------------------------------------------------------------------------


@pytest.fixture
def report(
    db: Database, officer: Actor, accept: Callable[..., FileView]
) -> tuple[Database, PeriodReport]:
    """Q1 2026 with files settled, withdrawn, stopped, open and carried over from 2025."""
    old = accept("VHTTDL-DL-01", datetime(2025, 12, 22, 9, 0))
    early = accept("1.001029", datetime(2026, 1, 5, 8, 30))
    late = accept("CHUNG-CT-01", datetime(2026, 1, 6, 9, 0))
    gone = accept("VHTTDL-DL-02", datetime(2026, 2, 2, 9, 0))
    stopped = accept("VHTTDL-TDTT-01", datetime(2026, 2, 3, 14, 0))
    accept("VHTTDL-VH-01", datetime(2026, 3, 2, 8, 0), name="Lương Thị Hồng")
    with db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(early.code, at=datetime(2026, 1, 7, 10)), officer, now=NOW
        )
        lifecycle.record_result(
            s, MoveInput(late.code, at=datetime(2026, 1, 9, 10)), officer, now=NOW
        )
        lifecycle.forward(s, MoveInput(old.code, at=datetime(2025, 12, 23, 9)), officer, now=NOW)
        lifecycle.withdraw(
            s, MoveInput(gone.code, at=datetime(2026, 2, 4, 9)), "Rút", officer, now=NOW
        )
        lifecycle.forward(s, MoveInput(stopped.code, at=datetime(2026, 2, 4, 9)), officer, now=NOW)
        lifecycle.stop(
            s, MoveInput(stopped.code, at=datetime(2026, 2, 10, 9)), "Dừng", officer, now=NOW
        )
    with db.reader.begin() as s:
        return db, period_report(s, *Q1, GroupBy.FIELD)


def test_the_small_register_fills_the_columns(report: tuple[Database, PeriodReport]) -> None:
    _, r = report
    t = r.total
    assert (t.received_total, t.carried_over, t.settled_early, t.settled_late) == (6, 1, 1, 1)
    assert (t.withdrawn, t.stopped, t.open_total) == (1, 1, 2)
    assert len(r.rows) >= 3


def test_json_is_the_report_with_vietnamese_kept(report: tuple[Database, PeriodReport]) -> None:
    _, r = report
    text = statistics_json(r)
    assert "Văn hóa" in text  # ensure_ascii=False
    assert json.loads(text) == r.to_json()
    assert text.startswith('{\n  "from": "2026-01-01"')


def test_xlsx_matches_the_json_cell_by_cell(report: tuple[Database, PeriodReport]) -> None:
    db, r = report
    with db.reader.begin() as s:
        ws = _sheet(statistics_xlsx(s, r))
    data = json.loads(statistics_json(r))
    rows = data["rows"]
    assert rows
    for i, row in enumerate(rows):
        line = STATS_FIRST_DATA_ROW + i
        assert ws.cell(line, 1).value == i + 1
        assert ws.cell(line, 2).value == row["label"]
        for col, key in enumerate(STAT_KEYS, start=3):
            value = ws.cell(line, col).value
            assert isinstance(value, int), (line, col)  # numbers, not text
            assert value == row[key], (row["group"], key)
    total_line = STATS_FIRST_DATA_ROW + len(rows)
    assert ws.cell(total_line, 2).value == "Tổng số"
    for col, key in enumerate(STAT_KEYS, start=3):
        assert ws.cell(total_line, col).value == data["total"][key]


def test_xlsx_has_the_merged_headings_and_column_numbers(
    report: tuple[Database, PeriodReport],
) -> None:
    db, r = report
    with db.reader.begin() as s:
        ws = _sheet(statistics_xlsx(s, r))
    top = STATS_FIRST_DATA_ROW - 4
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {f"A{top}:A{top + 2}", f"C{top}:F{top}", f"G{top}:J{top}", f"K{top}:M{top}"} <= merged
    assert f"D{top + 1}:E{top + 1}" in merged  # "Trong kỳ" over online and direct/postal
    assert ws.cell(top, 3).value == "Số hồ sơ nhận giải quyết"
    assert ws.cell(top, 7).value == "Số hồ sơ đã giải quyết"
    assert ws.cell(top, 11).value == "Số hồ sơ đang giải quyết"
    assert ws.cell(top + 2, 4).value == "Trực tuyến"
    assert [ws.cell(top + 3, c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    titles = [ws.cell(row, 1).value for row in range(1, top)]
    assert (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC" in titles
    )
    assert "(Từ ngày 01/01/2026 đến ngày 31/03/2026)" in titles
    assert ws.cell(2, 1).value == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"


def test_pdf_has_the_title_period_header_and_cells(
    report: tuple[Database, PeriodReport],
) -> None:
    db, r = report
    with db.reader.begin() as s:
        text = _pdf_text(statistics_pdf(s, r))
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC" in text
    assert "(Từ ngày 01/01/2026 đến ngày 31/03/2026)" in text
    assert "Đơn vị tính: Số hồ sơ TTHC" in text
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert "Lạng Sơn, ngày" in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text
    for row in r.rows:
        assert row.label in text


def test_pdf_by_procedure_names_the_procedures(report: tuple[Database, PeriodReport]) -> None:
    db, _ = report
    with db.reader.begin() as s:
        by_proc = period_report(s, *Q1, GroupBy.PROCEDURE)
        text = _pdf_text(statistics_pdf(s, by_proc, issued=date(2026, 4, 2)))
    assert "Thủ tục hành chính" in text
    assert "Lạng Sơn, ngày 02 tháng 4 năm 2026" in text
    assert by_proc.rows[0].label.split()[0] in text


# --- the register --------------------------------------------------------------------------------


def test_register_xlsx_has_the_rows_and_columns_of_the_pdf(
    report: tuple[Database, PeriodReport],
) -> None:
    db, _ = report
    with db.reader.begin() as s:
        ws = _sheet(register_xlsx(s, *Q1))
        data = register_data(s, *Q1)
    top = REGISTER_FIRST_DATA_ROW - 2
    headings = [
        ws.cell(top + 1, c).value or ws.cell(top, c).value for c in range(1, len(HEADINGS) + 1)
    ]
    assert headings == list(HEADINGS)
    assert ws.cell(top, 8).value == "Ngày, tháng, năm"
    assert f"H{top}:L{top}" in {str(m) for m in ws.merged_cells.ranges}
    assert len(data.rows) == 5
    for i, row in enumerate(data.rows):
        line = REGISTER_FIRST_DATA_ROW + i
        assert ws.cell(line, 1).value == i + 1
        assert ws.cell(line, 2).value == row.code
        assert ws.cell(line, 3).value == row.procedure_name
        assert ws.cell(line, 4).value == row.sets_count
        assert ws.cell(line, 5).value == row.applicant_name
        assert ws.cell(line, 8).value == row.received  # a real date, not text
        assert ws.cell(line, 9).value == row.due
        assert ws.cell(line, 11).value == row.result_back
        assert ws.cell(line, 15).value == (row.note or None)
    assert ws.cell(REGISTER_FIRST_DATA_ROW + 6, 1).value == "Tổng số: 5 hồ sơ (5 bộ)."


def test_register_xlsx_of_an_empty_range_says_so(db: Database) -> None:
    with db.reader.begin() as s:
        ws = _sheet(register_xlsx(s, date(2020, 1, 1), date(2020, 1, 31)))
    assert ws.cell(REGISTER_FIRST_DATA_ROW, 1).value == "Không có hồ sơ trong khoảng thời gian này."
