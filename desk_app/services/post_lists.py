"""The post office's outcome lists: read from CSV, XLSX or pasted text, checked whole, applied."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.text import fold
from desk_app.errors import DeskError, FieldsError, ValidationError
from desk_app.services.context import Actor
from desk_app.services.post import (
    OUTCOME_LABELS,
    STATE_LABELS,
    WITH_POST,
    code_of,
    find_by_tracking,
    item_by_number,
    normal_number,
    record_delivered,
    record_failed,
    record_returned,
)

_IMPORT_REASON = "Theo danh sách kết quả phát của bưu chính"


@dataclass(frozen=True)
class OutcomeRow:
    """One line of a post office's outcome list."""

    line: int
    tracking: str
    outcome: str  # delivered | failed | returned
    at: datetime
    signed_by: str
    note: str
    # False when the list gave only a day: the moment then is that day, never before the
    # hand-over or the previous outcome of the same item.
    has_time: bool = True


@dataclass(frozen=True)
class ImportReport:
    """What an outcome import applied: (tracking, file code, outcome) per row, in list order."""

    applied: list[tuple[str, str, str]]


class OutcomeImportError(FieldsError):
    """An outcome import refused as a whole; `problems` lists (line, Vietnamese message).

    `errors` (as in FieldsError) maps "line_N" to "Dòng N: …", one entry per faulty line.
    """

    code = "import_refused"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        merged: dict[int, list[str]] = {}
        for line, message in problems:
            merged.setdefault(line, []).append(message)
        self.problems = [(n, m) for n, ms in sorted(merged.items()) for m in ms]
        super().__init__({f"line_{n}": f"Dòng {n}: {' '.join(ms)}" for n, ms in merged.items()})
        self.message = "\n".join(self.errors.values())

    @property
    def lines(self) -> list[str]:
        """'Dòng 3: …' for every faulty line, in line order."""
        return list(self.errors.values())


# --- outcome lists from the post office -------------------------------------------------------

_COLUMNS: dict[str, tuple[str, ...]] = {
    "tracking": ("so_hieu", "so hieu", "so hieu buu gui", "tracking", "so_hieu_buu_gui"),
    "outcome": ("ket_qua", "ket qua", "outcome", "ket qua phat"),
    "date": ("ngay", "date", "ngay phat", "thoi gian"),
    "signed_by": ("nguoi_nhan", "nguoi nhan", "signed_by", "nguoi ky nhan"),
    "note": ("ghi_chu", "ghi chu", "note"),
}
_ORDER = ("tracking", "outcome", "date", "signed_by", "note")
_OUTCOME_WORDS: dict[str, str] = {
    "delivered": "delivered",
    "phat thanh cong": "delivered",
    "da phat": "delivered",
    "failed": "failed",
    "phat khong thanh cong": "failed",
    "chua phat duoc": "failed",
    "returned": "returned",
    "chuyen hoan": "returned",
}
_VN_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2})[:hg](\d{2})(?::\d{2})?)?", re.IGNORECASE
)


def _column_of(cell: str) -> str | None:
    key = fold(cell).replace("-", "_")
    for column, names in _COLUMNS.items():
        if key in names or key.replace(" ", "_") in names:
            return column
    return None


def _parse_moment(value: object) -> tuple[datetime, bool]:
    """(moment, has_time) from a cell: a datetime, 'dd/mm/yyyy [HH:MM]' or ISO."""
    if isinstance(value, datetime):
        has_time = value.time() != time()
        return value.replace(second=0, microsecond=0), has_time
    if isinstance(value, date):
        return datetime.combine(value, time()), False
    text = str(value).strip()
    match = _VN_DATE.fullmatch(text)
    try:
        if match is not None:
            d, m, y, hh, mm = match.groups()
            day = date(int(y), int(m), int(d))
            if hh is None:
                return datetime.combine(day, time()), False
            return datetime.combine(day, time(int(hh), int(mm))), True
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time()), False
        return datetime.fromisoformat(text).replace(second=0, microsecond=0), True
    except ValueError:
        pass
    raise ValidationError(f"ngày “{text}” phải có dạng dd/mm/yyyy [HH:MM] hoặc YYYY-MM-DD.")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _rows_from_table(table: list[tuple[int, list[object]]]) -> list[OutcomeRow]:
    """Outcome rows from (line number, cells); the first non-empty line may be a header."""
    table = [(n, cells) for n, cells in table if any(_cell_text(c) for c in cells)]
    if not table:
        raise OutcomeImportError([(1, "danh sách không có dòng nào.")])
    positions = dict(zip(_ORDER, range(len(_ORDER)), strict=True))
    first_line, first = table[0]
    found = {_column_of(_cell_text(c)): i for i, c in enumerate(first)}
    found.pop(None, None)
    if found:
        missing = [c for c in ("tracking", "outcome", "date") if c not in found]
        if missing:
            names = ", ".join(_COLUMNS[c][0] for c in missing)
            raise OutcomeImportError([(first_line, f"thiếu cột {names}.")])
        positions = {str(k): v for k, v in found.items()}
        table = table[1:]
    rows: list[OutcomeRow] = []
    problems: list[tuple[int, str]] = []
    for line, cells in table:

        def cell(column: str, cells: list[object] = cells) -> object:
            i = positions.get(column)
            return cells[i] if i is not None and i < len(cells) else None

        tracking = normal_number(_cell_text(cell("tracking")))
        outcome_text = _cell_text(cell("outcome"))
        outcome = _OUTCOME_WORDS.get(fold(outcome_text))
        messages: list[str] = []
        if not tracking:
            messages.append("thiếu số hiệu bưu gửi.")
        if outcome is None:
            messages.append(
                f"kết quả “{outcome_text}” không rõ (phát thành công, "
                "phát không thành công hoặc chuyển hoàn)."
            )
        raw_date = cell("date")
        at, has_time = datetime.min, True
        if raw_date is None or not _cell_text(raw_date):
            messages.append("thiếu ngày.")
        else:
            try:
                at, has_time = _parse_moment(raw_date)
            except ValidationError as exc:
                messages.append(exc.message)
        if messages:
            problems += [(line, m) for m in messages]
            continue
        assert outcome is not None
        rows.append(
            OutcomeRow(
                line=line,
                tracking=tracking,
                outcome=outcome,
                at=at,
                signed_by=_cell_text(cell("signed_by")),
                note=_cell_text(cell("note")),
                has_time=has_time,
            )
        )
    if problems:
        raise OutcomeImportError(problems)
    return rows


def _split_lines(text: str, delimiter: str | None) -> list[tuple[int, list[object]]]:
    lines = text.splitlines()
    if delimiter is None:
        sample = "\n".join(lines[:20])
        delimiter = "\t" if "\t" in sample else (";" if ";" in sample else ",")
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    return [(n, list(cells)) for n, cells in enumerate(reader, start=1)]


def parse_outcomes_text(text: str) -> list[OutcomeRow]:
    """Rows pasted from a spreadsheet or typed: tab or ';' separated, header line optional.

    Without a header the columns are: tracking, outcome, date, signed by, note.
    Raises OutcomeImportError listing every faulty line.
    """
    text = text.lstrip("\ufeff")
    sample = "\n".join(text.splitlines()[:20])
    delimiter = "\t" if "\t" in sample else ";"
    return _rows_from_table(_split_lines(text, delimiter))


def parse_outcomes(path: Path) -> list[OutcomeRow]:
    """Rows of a CSV (UTF-8, ';' or ',' separated) or XLSX outcome list (first sheet)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _rows_from_table(_xlsx_table(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DeskError(
            f"Tệp {path.name} không phải văn bản UTF-8; hãy lưu lại dưới dạng CSV UTF-8."
        ) from None
    except OSError as exc:
        raise DeskError(f"Không đọc được tệp {path.name}: {exc.strerror}.") from None
    return _rows_from_table(_split_lines(text, None))


def _xlsx_table(path: Path) -> list[tuple[int, list[object]]]:
    # Imported here: only an import needs it, not every start of the program.
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise DeskError(f"Không đọc được tệp Excel {path.name}: {exc}.") from None
    try:
        sheet = book.worksheets[0]
        return [
            (n, list(values)) for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


@dataclass
class _Plan:
    """An item as the import will leave it, row after row (before anything is written)."""

    code: str
    state: str
    state_at: datetime


def import_outcomes(
    session: Session, rows: list[OutcomeRow], actor: Actor, *, now: datetime | None = None
) -> ImportReport:
    """Apply a post office's outcome list in the caller's transaction, all or nothing.

    Every row is checked first (unknown numbers, an outcome the item's state does not allow,
    moments out of order); any problem raises OutcomeImportError naming every faulty line and
    nothing is applied. The caller must let that error roll its transaction back.
    """
    now = now or clock.now()
    problems: list[tuple[int, str]] = []
    plans: dict[str, _Plan] = {}
    moments: list[datetime] = []
    for row in rows:
        plan = plans.get(row.tracking)
        if plan is None:
            item = item_by_number(session, row.tracking)
            if item is None:
                other = find_by_tracking(session, row.tracking)
                problems.append(
                    (
                        row.line,
                        f"số hiệu {row.tracking} không phải bưu gửi kết quả nào "
                        + (f"(là bưu gửi đến của hồ sơ {other})." if other else "đã giao."),
                    )
                )
                moments.append(row.at)
                continue
            plan = _Plan(code_of(session, item.file_id), item.state, item.state_at or datetime.min)
            plans[row.tracking] = plan
        at = row.at if row.has_time else max(row.at, plan.state_at)
        if not row.has_time and at.date() != row.at.date():
            at = row.at  # the day is before the previous move: reported below
        moments.append(at)
        message = _conflict(row, plan, at, now)
        if message:
            problems.append((row.line, message))
            continue
        plan.state, plan.state_at = row.outcome, at
    if problems:
        raise OutcomeImportError(problems)
    applied: list[tuple[str, str, str]] = []
    for row, at in zip(rows, moments, strict=True):
        code = plans[row.tracking].code
        try:
            if row.outcome == "delivered":
                record_delivered(
                    session, code, at=at, signed_by=row.signed_by, actor=actor, now=now
                )
            elif row.outcome == "failed":
                record_failed(
                    session, code, at=at, reason=row.note or _IMPORT_REASON, actor=actor, now=now
                )
            else:
                record_returned(
                    session, code, at=at, reason=row.note or _IMPORT_REASON, actor=actor, now=now
                )
        except DeskError as exc:
            problems.append((row.line, f"hồ sơ {code}: {exc.message}"))
            continue
        applied.append((row.tracking, code, row.outcome))
    if problems:
        raise OutcomeImportError(problems)
    return ImportReport(applied)


def _conflict(row: OutcomeRow, plan: _Plan, at: datetime, now: datetime) -> str | None:
    if plan.state not in WITH_POST:
        state = STATE_LABELS.get(plan.state, plan.state).lower()
        return (
            f"bưu gửi {row.tracking} (hồ sơ {plan.code}) đã ở trạng thái “{state}”, "
            f"không thể ghi nhận “{OUTCOME_LABELS[row.outcome].lower()}”."
        )
    if row.outcome == "delivered" and not row.signed_by:
        return f"bưu gửi {row.tracking}: thiếu tên người ký nhận."
    if at > now:
        return f"bưu gửi {row.tracking}: thời điểm {at:%d/%m/%Y %H:%M} ở tương lai."
    if at < plan.state_at.replace(second=0):
        return (
            f"bưu gửi {row.tracking}: thời điểm {at:%d/%m/%Y %H:%M} trước lần ghi nhận trước "
            f"({plan.state_at:%d/%m/%Y %H:%M})."
        )
    return None
