"""Bulk import of files from JSON or CSV, each row through the same accept service."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.documents import Channel, ResultBy
from desk_app.errors import DeskError, FieldsError, NotFoundError, ValidationError
from desk_app.services.context import SUPERVISORS, Actor, require_role
from desk_app.services.intake import ApplicantInput, IntakeInput, accept_file, find_procedure
from desk_app.services.views import FileView
from desk_app.store.models import DeskSettings

REQUIRED = ("received", "procedure", "applicant_name")
# "agency": in a centre, the agency a row is received for (its identifier as in file codes, or
# its short name); without it, the agency whose catalogue has the procedure.
OPTIONAL = ("id_number", "phone", "email", "address", "channel", "result_by", "notes", "agency")
# Kept on each imported file: `files import` moves a paper register (or another program's list)
# in, the one path for files received before the desk's first day (DOMAIN §4.1 rule 8).
SOURCE_PREFIX = "Nhập từ sổ giấy: "
# Intake fields whose import column has another name.
COLUMN_OF_FIELD = {"received_at": "received", "delivery_address": "address"}


class ImportRowError(ValidationError):
    """One row of an import is wrong; `row` is its number as a person counts it."""

    code = "import_row"

    def __init__(self, where: str, row: int, message: str) -> None:
        super().__init__(f"{where} {row}: {message}")
        self.row = row


@dataclass(frozen=True)
class ImportRow:
    number: int
    data: IntakeInput
    agency: str | None = None  # the row's "agency" column, as written


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _row(number: int, raw: dict[str, object], source: str) -> ImportRow:
    return ImportRow(number, _row_to_input(raw, source), _text(raw.get("agency")))


def _row_to_input(raw: dict[str, object], source: str) -> IntakeInput:
    missing = [k for k in REQUIRED if not _text(raw.get(k))]
    if missing:
        raise ValidationError("thiếu cột bắt buộc " + ", ".join(missing) + ".")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ValidationError("cột không được hỗ trợ: " + ", ".join(unknown) + ".")
    try:
        received = datetime.fromisoformat(str(raw["received"]).strip())
    except ValueError:
        raise ValidationError(
            f"received “{raw['received']}” phải có dạng YYYY-MM-DDTHH:MM."
        ) from None
    channel_text = _text(raw.get("channel")) or "direct"
    result_text = _text(raw.get("result_by")) or "counter"
    try:
        channel = Channel(channel_text)
    except ValueError:
        raise ValidationError(
            f"channel “{channel_text}” phải là direct, postal hoặc online."
        ) from None
    try:
        result_by = ResultBy(result_text)
    except ValueError:
        raise ValidationError(f"result_by “{result_text}” phải là counter hoặc post.") from None
    return IntakeInput(
        procedure=str(raw["procedure"]),
        applicant=ApplicantInput(
            name=str(raw["applicant_name"]),
            id_number=_text(raw.get("id_number")),
            phone=_text(raw.get("phone")),
            email=_text(raw.get("email")),
            address=_text(raw.get("address")),
        ),
        channel=channel,
        received_at=received,
        result_by=result_by,
        notes=_text(raw.get("notes")) or "",
        source=source,
    )


def parse_import(path: Path) -> tuple[str, list[ImportRow]]:
    """Read a JSON array of objects or a CSV with a header; returns how rows are counted."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" is Windows-1258 on a Vietnamese Windows; nothing is guessed.
        raise DeskError(
            f"Tệp {path.name} không phải văn bản UTF-8 (khi lưu từ Excel, chọn «CSV UTF-8»)."
        ) from None
    except OSError as exc:
        raise DeskError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
    suffix = path.suffix.lower()
    rows: list[ImportRow] = []
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DeskError(f"Tệp JSON không hợp lệ (dòng {exc.lineno}): {exc.msg}.") from exc
        if not isinstance(data, list):
            raise DeskError("Tệp JSON phải là một mảng các đối tượng hồ sơ.")
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise ImportRowError("Hồ sơ thứ", i, "phải là một đối tượng JSON.")
            try:
                source = f"{SOURCE_PREFIX}{path.name}, hồ sơ thứ {i}"
                rows.append(_row(i, item, source))
            except ValidationError as exc:
                raise ImportRowError("Hồ sơ thứ", i, exc.message) from exc
        return "Hồ sơ thứ", rows
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None:
            raise DeskError("Tệp CSV trống.")
        for item in reader:
            line = reader.line_num
            try:
                values = {k: v for k, v in item.items() if k}
                source = f"{SOURCE_PREFIX}{path.name}, dòng {line}"
                rows.append(_row(line, values, source))
            except ValidationError as exc:
                raise ImportRowError("Dòng", line, exc.message) from exc
        return "Dòng", rows
    raise DeskError("Chỉ nhập được tệp .json hoặc .csv.")


def _agency_named(session: Session, key: str) -> int:
    """The agency an import row names by its identifier or short name."""
    found = list(
        session.scalars(
            select(DeskSettings.id).where(
                or_(DeskSettings.agency_id == key, DeskSettings.short_name == key)
            )
        )
    )
    if len(found) != 1:
        raise ValidationError(f"agency “{key}” không phải mã hoặc tên ngắn của cơ quan nào.")
    return found[0]


def row_agency(session: Session, row: ImportRow, actor: Actor, agency: int | None = None) -> int:
    """The agency a row's file is created in: the row's "agency" column, else `agency`, else
    the one agency (among the actor's) whose catalogue has the row's procedure."""
    if row.agency is not None:
        chosen = _agency_named(session, row.agency)
    elif row.data.agency is not None:
        chosen = row.data.agency
    elif agency is not None:
        chosen = agency
    else:
        try:
            return find_procedure(session, row.data.procedure, agencies=actor.agencies).agency
        except NotFoundError as exc:
            raise ValidationError(f"procedure: {exc.message}") from None
    if actor.agencies is not None and chosen not in actor.agencies:
        raise ValidationError("tài khoản không làm việc cho cơ quan của dòng này.")
    return chosen


def import_files(
    session: Session,
    rows: list[ImportRow],
    actor: Actor,
    *,
    where: str = "Dòng",
    now: datetime | None = None,
    agency: int | None = None,
) -> list[FileView]:
    """Accept every row in the caller's transaction; the first bad row aborts the whole import.

    Rows may be dated before the desk's first day (never in the future); each file keeps its
    source, so only a supervisor or an administrator may import. Each file is created in the
    agency `row_agency` gives (`agency`: the importer's choice for rows that name none).
    """
    now = now or clock.now()
    require_role(actor, SUPERVISORS, "nhập hồ sơ hàng loạt (chỉ lãnh đạo bộ phận, quản trị viên)")
    accepted: list[FileView] = []
    for row in rows:
        try:
            data = replace(row.data, agency=row_agency(session, row, actor, agency))
            accepted.append(accept_file(session, data, actor, now=now, imported=True))
        except FieldsError as exc:
            details = "; ".join(f"{COLUMN_OF_FIELD.get(k, k)}: {v}" for k, v in exc.errors.items())
            raise ImportRowError(where, row.number, details) from exc
        except DeskError as exc:
            raise ImportRowError(where, row.number, exc.message) from exc
    return accepted
