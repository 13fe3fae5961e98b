"""Results sent by post: choosing delivery, hand-over to VNPost, outcomes, bulk import, bảng kê."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import codes, people
from desk_app.domain.text import fold
from desk_app.domain.workflow import TERMINAL, Action, Status
from desk_app.errors import DeskError, FieldsError, ValidationError
from desk_app.services.context import Actor, audit, get_settings
from desk_app.services.lifecycle import MoveInput, move_moment
from desk_app.services.records import add_event, file_view, get_file, move
from desk_app.services.views import FileView
from desk_app.store.models import FileRecord, PostalItem, User


@dataclass(frozen=True)
class PostalItemView:
    """One postal item of a file (incoming parcel or outgoing result), for its postal history."""

    id: int
    direction: str  # in | out
    number: str | None
    recipient_name: str | None
    recipient_phone: str | None
    address: str | None
    postage: int | None
    paid_by: str | None
    handed_at: datetime | None
    state: str
    state_at: datetime | None
    signed_by: str | None
    note: str | None
    officer: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


PAYERS = ("applicant", "province")
PAYER_LABELS: dict[str, str] = {"applicant": "Tổ chức, cá nhân", "province": "Ngân sách tỉnh"}
STATE_LABELS: dict[str, str] = {
    "pending": "Chờ giao bưu chính",
    "handed": "Đang chuyển phát",
    "failed": "Phát không thành công",
    "delivered": "Đã phát thành công",
    "returned": "Chuyển hoàn",
    "received": "Đã nhận qua bưu chính",  # an incoming parcel (recorded at intake)
}
OUTCOMES = ("delivered", "failed", "returned")
OUTCOME_LABELS: dict[str, str] = {
    "delivered": "Phát thành công",
    "failed": "Phát không thành công",
    "returned": "Chuyển hoàn",
}
# States in which the post still holds the item: an outcome may follow, a new hand-over may not.
_WITH_POST = ("handed", "failed")
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


# --- choosing delivery by post -----------------------------------------------------------------


def _required(value: str, field: str, message: str, errors: dict[str, str]) -> str:
    value = " ".join(value.split())
    if not value:
        errors[field] = message
    return value


def choose_post(
    session: Session,
    code: str,
    *,
    name: str,
    phone: str,
    address: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> FileView:
    """The applicant asks for the result by post (at intake or later): recipient and address.

    Field errors come together as FieldsError with the fields "name", "phone" and "address".
    Also used to correct the address of a result that came back to sender before sending again.
    """
    now = now or datetime.now()
    errors: dict[str, str] = {}
    name = _required(name, "name", "Cần nhập họ tên người nhận.", errors)
    address = _required(address, "address", "Cần nhập địa chỉ nhận kết quả.", errors)
    normalised_phone: str | None = None
    if phone.strip():
        try:
            normalised_phone = people.validate_phone(phone, field="phone")
        except ValidationError as exc:
            errors["phone"] = exc.message
    if errors:
        raise FieldsError(errors)
    record = get_file(session, code, expected_version)
    if Status(record.status) in TERMINAL:
        raise ValidationError(
            f"Hồ sơ {record.code} đã ở trạng thái “{Status(record.status).label}”, "
            "không thể chọn nhận kết quả qua bưu chính."
        )
    if _active_item(session, record) is not None:
        raise ValidationError(
            f"Kết quả của hồ sơ {record.code} đang được bưu chính chuyển phát; "
            "không thể đổi địa chỉ nhận."
        )
    before = {
        "result_by": record.result_by,
        "name": record.delivery_name,
        "phone": record.delivery_phone,
        "address": record.delivery_address,
    }
    record.result_by = "post"
    record.delivery_name = name
    record.delivery_phone = normalised_phone
    record.delivery_address = address
    add_event(
        session,
        record,
        "choose_post",
        actor,
        now,
        note=f"{name}, {normalised_phone}, {address}",
    )
    audit(
        session,
        actor,
        "choose_post",
        "file",
        record.code,
        {
            "before": before,
            "after": {"name": name, "phone": normalised_phone, "address": address},
        },
        at=now,
    )
    session.flush()
    return file_view(session, record)


# --- hand-over and outcomes --------------------------------------------------------------------


def _out_items(session: Session, record: FileRecord) -> list[PostalItem]:
    return list(
        session.scalars(
            select(PostalItem)
            .where(PostalItem.file_id == record.id, PostalItem.direction == "out")
            .order_by(PostalItem.id)
        )
    )


def _active_item(session: Session, record: FileRecord) -> PostalItem | None:
    """The outgoing item the post holds now (handed over or after a failed attempt)."""
    for item in reversed(_out_items(session, record)):
        if item.state in _WITH_POST:
            return item
    return None


def _normal_number(text: str) -> str:
    return "".join(text.split()).upper()


def _item_by_number(session: Session, number: str) -> PostalItem | None:
    return session.scalars(
        select(PostalItem)
        .where(PostalItem.direction == "out", PostalItem.number == number)
        .order_by(PostalItem.id.desc())
        .limit(1)
    ).first()


def _code_of(session: Session, file_id: int) -> str:
    return str(session.scalar(select(FileRecord.code).where(FileRecord.id == file_id)))


def hand_over(
    session: Session,
    code: str,
    *,
    tracking: str,
    postage: int | None,
    paid_by: str,
    actor: Actor,
    at: datetime | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> tuple[FileView, str | None]:
    """The result (file at 9, delivery by post) is given to the postal worker.

    Returns the file and a warning when the S10 check digit does not match (it does not
    block: the number printed on the label is what counts). A wrong shape or a number already
    given to another item is refused with field "tracking".
    """
    now = now or datetime.now()
    s10 = codes.check_s10(tracking, field="tracking")
    if paid_by not in PAYERS:
        raise ValidationError("Cần chọn người trả cước.", field="paid_by")
    if postage is not None and postage < 0:
        raise ValidationError("Cước phí không được âm.", field="postage")
    record = get_file(session, code, expected_version)
    if record.result_by != "post":
        raise ValidationError(
            f"Hồ sơ {record.code} không đăng ký nhận kết quả qua bưu chính.", field="result_by"
        )
    if not (record.delivery_address or "").strip():
        raise ValidationError(f"Hồ sơ {record.code} chưa có địa chỉ nhận kết quả.", field="address")
    active = _active_item(session, record)
    if active is not None:
        raise ValidationError(
            f"Kết quả của hồ sơ {record.code} đã giao cho bưu chính "
            f"(số hiệu {active.number}) và chưa có kết quả phát.",
            field="tracking",
        )
    taken = _item_by_number(session, s10.number)
    if taken is not None:
        raise ValidationError(
            f"Số hiệu bưu gửi {s10.number} đã dùng cho hồ sơ {_code_of(session, taken.file_id)}.",
            field="tracking",
        )
    when = move_moment(session, MoveInput(record.code, at=at), record, now)
    details: dict[str, object] = {"number": s10.number, "postage": postage, "paid_by": paid_by}
    move(
        session,
        record,
        Action.POSTAL_HANDOVER,
        actor,
        when,
        note=f"Số hiệu bưu gửi {s10.number}",
        data=details,
    )
    session.add(
        PostalItem(
            file_id=record.id,
            direction="out",
            number=s10.number,
            recipient_name=record.delivery_name,
            recipient_phone=record.delivery_phone,
            address=record.delivery_address,
            postage=postage,
            paid_by=paid_by,
            handed_at=when,
            state="handed",
            state_at=when,
            officer_id=actor.user_id,
        )
    )
    session.flush()
    return file_view(session, record), s10.warning


def _outcome(
    session: Session,
    code: str,
    action: Action,
    state: str,
    at: datetime,
    actor: Actor,
    now: datetime | None,
    *,
    note: str,
    signed_by: str | None = None,
) -> FileView:
    now = now or datetime.now()
    record = get_file(session, code)
    item = _active_item(session, record)
    if item is None:
        raise ValidationError(
            f"Hồ sơ {record.code} không có bưu gửi nào đang chuyển phát.", field="tracking"
        )
    when = move_moment(session, MoveInput(record.code, at=at), record, now)
    if item.state_at is not None and when < item.state_at.replace(second=0):
        raise ValidationError(
            "Thời điểm ghi nhận không được trước lần ghi nhận trước của bưu gửi "
            f"({item.state_at:%H:%M ngày %d/%m/%Y}).",
            field="at",
        )
    details: dict[str, object] = {"number": item.number}
    if signed_by:
        details["signed_by"] = signed_by
    move(session, record, action, actor, when, note=note, data=details)
    item.state = state
    item.state_at = when
    if signed_by:
        item.signed_by = signed_by
    if state != "delivered":
        item.note = note
    if action == Action.POSTAL_DELIVERED:
        record.closed_at = when
    session.flush()
    return file_view(session, record)


def record_delivered(
    session: Session,
    code: str,
    *,
    at: datetime,
    signed_by: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """The post delivered the result (9 → 10): the file is "Đã trả kết quả"."""
    signed = " ".join(signed_by.split())
    if not signed:
        raise ValidationError("Cần ghi tên người ký nhận.", field="signed_by")
    return _outcome(
        session,
        code,
        Action.POSTAL_DELIVERED,
        "delivered",
        at,
        actor,
        now,
        note=f"Người ký nhận: {signed}",
        signed_by=signed,
    )


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("Cần ghi rõ lý do.", field="reason")
    return text


def record_failed(
    session: Session,
    code: str,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """A delivery attempt failed; the post keeps the item and tries again (stays at 9)."""
    return _outcome(
        session, code, Action.POSTAL_FAILED, "failed", at, actor, now, note=_reason(reason)
    )


def record_returned(
    session: Session,
    code: str,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> FileView:
    """The item came back to the desk (chuyển hoàn): the result is at the desk again (9)."""
    return _outcome(
        session, code, Action.POSTAL_RETURNED, "returned", at, actor, now, note=_reason(reason)
    )


# --- reading -------------------------------------------------------------------------------------


def postal_items(session: Session, code: str) -> list[PostalItemView]:
    """Every postal item of the file (incoming parcel first), oldest first."""
    record = get_file(session, code)
    rows = list(
        session.scalars(
            select(PostalItem).where(PostalItem.file_id == record.id).order_by(PostalItem.id)
        )
    )
    ids = {r.officer_id for r in rows if r.officer_id is not None}
    names: dict[int, str] = {}
    if ids:
        names = {
            int(i): str(n)
            for i, n in session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
        }
    return [
        PostalItemView(
            id=r.id,
            direction=r.direction,
            number=r.number,
            recipient_name=r.recipient_name,
            recipient_phone=r.recipient_phone,
            address=r.address,
            postage=r.postage,
            paid_by=r.paid_by,
            handed_at=r.handed_at,
            state=r.state,
            state_at=r.state_at,
            signed_by=r.signed_by,
            note=r.note,
            officer=names.get(r.officer_id) if r.officer_id is not None else None,
        )
        for r in rows
    ]


def find_by_tracking(session: Session, tracking: str) -> str | None:
    """The code of the file an outgoing (else incoming) postal item number belongs to."""
    number = _normal_number(tracking)
    if not number:
        return None
    for direction in ("out", "in"):
        file_id = session.scalar(
            select(PostalItem.file_id)
            .where(PostalItem.direction == direction, PostalItem.number == number)
            .order_by(PostalItem.id.desc())
            .limit(1)
        )
        if file_id is not None:
            return _code_of(session, int(file_id))
    return None


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

        tracking = _normal_number(_cell_text(cell("tracking")))
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
    now = now or datetime.now()
    problems: list[tuple[int, str]] = []
    plans: dict[str, _Plan] = {}
    moments: list[datetime] = []
    for row in rows:
        plan = plans.get(row.tracking)
        if plan is None:
            item = _item_by_number(session, row.tracking)
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
            plan = _Plan(_code_of(session, item.file_id), item.state, item.state_at or datetime.min)
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
    if plan.state not in _WITH_POST:
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


# --- the daily hand-over list ------------------------------------------------------------------


def handover_list_pdf(session: Session, day: date) -> bytes:
    """Bảng kê giao bưu chính: every result handed to the post on `day`, in hand-over order."""
    from desk_app.printing.postal_list import PostalListData, PostalListRow, render_postal_list
    from desk_app.services.printing import desk_header

    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    rows = session.execute(
        select(
            FileRecord.code,
            PostalItem,
            FileRecord.delivery_name,
            FileRecord.delivery_phone,
            FileRecord.delivery_address,
        )
        .join(FileRecord, FileRecord.id == PostalItem.file_id)
        .where(
            PostalItem.direction == "out",
            PostalItem.handed_at >= start,
            PostalItem.handed_at < end,
        )
        .order_by(PostalItem.handed_at, PostalItem.id)
    ).all()

    def phone_text(value: str | None) -> str:
        return people.format_phone(value) if value else ""

    # An item records its recipient when handed over; items entered before that (imports,
    # demo data) fall back to the file's delivery details.
    data = PostalListData(
        header=desk_header(get_settings(session)),
        day=day,
        rows=tuple(
            PostalListRow(
                code=str(code),
                recipient=item.recipient_name or name or "",
                address=item.address or address or "",
                phone=phone_text(item.recipient_phone or phone),
                tracking=item.number or "",
                postage=item.postage,
                paid_by=PAYER_LABELS.get(item.paid_by or "", item.paid_by or ""),
            )
            for code, item, name, phone, address in rows
        ),
    )
    return render_postal_list(data)
