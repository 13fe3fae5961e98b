"""Procedure catalogue as plain data, with JSON and CSV import/export (DOMAIN §10).

JSON: ``{"format": "one-stop-desk/catalog", "version": 1, "procedures": [...]}``; each procedure
is an object with every key of `ProcedureSpec` in declaration order, ``duration`` as a decimal
string ("5", "0.5") or null, ``cutoff`` as "HH:MM" or null, ``documents`` as a list of objects
``{"name", "copy_type", "count", "required"}``.

CSV (one procedure per row, made to survive a round trip through Excel)::

    code,name,field,settling_agency,duration,unit,restart_on_supplement,fee,fee_note,cutoff,
    active,verify_note,documents

- A UTF-8 byte-order mark is accepted (and written by `dump_catalog_file`, so Excel reads the
  accents); a header written with ``;`` as separator (Excel in a Vietnamese locale) is accepted.
- ``unit``: the English value ("working_days") or the Vietnamese label ("ngày làm việc").
- ``duration``: "5", "0.5" or "0,5"; empty when the unit is "none" (and may be empty for
  "same_day", meaning 1).
- ``fee``: whole VND, "4000000" or "4.000.000"; empty when there is no single usual fee.
- ``cutoff``: "15:00" (also "15:00:00" or "15h00"); empty for the desk's default.
- Yes/no columns: "true"/"false" (also 1/0, yes/no, có/không); empty means the default.
- ``documents``: one document per line inside the (quoted) cell, each line
  ``name | copy_type | count``, followed by ``| optional`` when the document is not required,
  e.g. ``Đơn đề nghị (Mẫu số 01) | original | 1``. ``copy_type`` is "original", "certified",
  "photo" or the Vietnamese label ("Bản chính", ...). The line is read from the right, so a
  name may itself contain ``|``; a document name never contains a line break.
- Errors name the row as Excel shows it: the header is row 1 ("Dòng 4: ..."), and a row whose
  cells span several lines still counts as one.

Excel in a Vietnamese locale may turn a code like "1.001029" into a number when it opens a CSV
by double-click; import the file with the ``code`` column set to Text before editing it there.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from desk_app.domain.documents import CopyType
from desk_app.domain.due import DurationUnit
from desk_app.domain.limits import (
    DOCUMENT_NAME,
    LONG_TEXT,
    PROCEDURE_FIELD,
    PROCEDURE_NAME,
    SETTLING_AGENCY,
)
from desk_app.domain.text import check_text
from desk_app.errors import DeskError, NotFoundError, ValidationError
from desk_app.resources import read_resource_text

CATALOG_FORMAT: Final = "one-stop-desk/catalog"
CATALOG_VERSION: Final = 1
CSV_COLUMNS: Final = (
    "code",
    "name",
    "field",
    "settling_agency",
    "duration",
    "unit",
    "restart_on_supplement",
    "fee",
    "fee_note",
    "cutoff",
    "active",
    "verify_note",
    "documents",
)
_REQUIRED_CSV_COLUMNS: Final = frozenset({"code", "name", "field", "settling_agency", "unit"})

MAX_DURATION: Final = Decimal(1000)
MAX_FEE: Final = 10**12
MAX_DOCUMENT_COUNT: Final = 99
_CODE_RE: Final = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/-]{0,63}")
_DECIMAL_RE: Final = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
# Whole VND, optionally grouped by thousands with one consistent separator: 4.000.000.
_FEE_RE: Final = re.compile(r"[0-9]+|[0-9]{1,3}([., ])[0-9]{3}(?:\1[0-9]{3})*")
_TIME_RE: Final = re.compile(r"([0-9]{1,2})[:hH]([0-9]{2})(?::([0-9]{2}))?")
_OPTIONAL_DOC: Final = "optional"
_DOC_SEP: Final = " | "

_TRUE_WORDS: Final = frozenset({"true", "1", "yes", "x", "có", "co"})
_FALSE_WORDS: Final = frozenset({"false", "0", "no", "không", "khong"})
_REQUIRED_WORDS: Final = frozenset({"required", "bắt buộc", "bat buoc"})
_OPTIONAL_WORDS: Final = frozenset(
    {_OPTIONAL_DOC, "không bắt buộc", "khong bat buoc", "tùy chọn", "tuỳ chọn", "tuy chon"}
)


# --- text clean-up -------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Key for lenient comparisons of words typed by people: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _clean_line(
    value: str, label: str, field_name: str, limit: int, *, required: bool = True
) -> str:
    """A one-line text of at most `limit` characters: NFC, trimmed, without line breaks or
    control characters."""
    text = check_text(value, field=field_name, label=label, limit=limit)
    text = unicodedata.normalize("NFC", text)
    if required and not text:
        raise ValidationError(f"{label} không được để trống.", field=field_name)
    return text


def _clean_text(value: str, label: str, field_name: str) -> str:
    """A free text that may span lines: NFC, trimmed, line breaks unified to LF."""
    text = check_text(value, field=field_name, label=label, limit=LONG_TEXT, multiline=True)
    return unicodedata.normalize("NFC", text)


# --- the records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSpec:
    """One paper of a procedure's file, as listed on the receipt."""

    name: str
    copy_type: CopyType = CopyType.PHOTO
    count: int = 1
    required: bool = True

    def __post_init__(self) -> None:
        # Normalising here means a spec built from NFD or padded input equals the clean one.
        name = _clean_line(self.name, "Tên thành phần hồ sơ", "documents", DOCUMENT_NAME)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "copy_type", _parse_copy_type(self.copy_type))
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise ValidationError(
                f"Số lượng bản của «{name}» phải là số nguyên.", field="documents"
            )
        if not 1 <= self.count <= MAX_DOCUMENT_COUNT:
            raise ValidationError(
                f"Số lượng bản của «{name}» phải từ 1 đến {MAX_DOCUMENT_COUNT}.",
                field="documents",
            )
        if not isinstance(self.required, bool):
            raise ValidationError(
                f"Thành phần «{name}»: giá trị bắt buộc phải là có/không.", field="documents"
            )


@dataclass(frozen=True)
class ProcedureSpec:
    """One administrative procedure (TTHC) the desk accepts files for.

    `duration` is in `unit`; it is None exactly when the unit is "none". A same-day procedure
    has duration 1 (given as None it becomes 1). `fee` is the usual fee in VND, or None when
    there is no single usual amount; `fee_note` gives tiers in words. `cutoff` overrides the
    desk's same-day cut-off time and is only allowed on same-day procedures. `verify_note`
    says what still has to be checked against the province's published list.
    """

    code: str
    name: str
    field: str
    settling_agency: str
    duration: Decimal | None
    unit: DurationUnit
    restart_on_supplement: bool = False
    fee: int | None = None
    fee_note: str = ""
    documents: tuple[DocumentSpec, ...] = ()
    cutoff: time | None = None
    active: bool = True
    verify_note: str = ""

    def __post_init__(self) -> None:
        code = unicodedata.normalize("NFC", self.code).strip()
        if not code:
            raise ValidationError("Mã thủ tục không được để trống.", field="code")
        if not _CODE_RE.fullmatch(code):
            raise ValidationError(
                f"Mã thủ tục «{code}» không hợp lệ: chỉ dùng chữ cái không dấu, chữ số và các "
                "ký tự . - _ / (bắt đầu bằng chữ hoặc số, tối đa 64 ký tự).",
                field="code",
            )
        set_ = object.__setattr__
        set_(self, "code", code)
        set_(self, "name", _clean_line(self.name, "Tên thủ tục", "name", PROCEDURE_NAME))
        set_(self, "field", _clean_line(self.field, "Lĩnh vực", "field", PROCEDURE_FIELD))
        set_(
            self,
            "settling_agency",
            _clean_line(
                self.settling_agency, "Cơ quan giải quyết", "settling_agency", SETTLING_AGENCY
            ),
        )
        set_(self, "fee_note", _clean_text(self.fee_note, "Ghi chú lệ phí", "fee_note"))
        set_(
            self,
            "verify_note",
            _clean_text(self.verify_note, "Ghi chú cần xác minh", "verify_note"),
        )
        unit = _parse_unit(self.unit)
        set_(self, "unit", unit)
        set_(self, "duration", _check_duration(self.duration, unit))
        for flag, label in (
            ("restart_on_supplement", "Tính lại thời hạn khi bổ sung"),
            ("active", "Đang áp dụng"),
        ):
            if not isinstance(getattr(self, flag), bool):
                raise ValidationError(f"{label} phải là có/không.", field=flag)
        if self.fee is not None and (isinstance(self.fee, bool) or not isinstance(self.fee, int)):
            raise ValidationError("Lệ phí phải là số nguyên (đồng).", field="fee")
        if self.fee is not None and not 0 <= self.fee <= MAX_FEE:
            raise ValidationError("Lệ phí phải từ 0 đồng trở lên và không quá lớn.", field="fee")
        if self.cutoff is not None:
            if unit is not DurationUnit.SAME_DAY:
                raise ValidationError(
                    "Giờ chốt nhận hồ sơ chỉ dùng cho thủ tục giải quyết trong ngày.",
                    field="cutoff",
                )
            if (
                not isinstance(self.cutoff, time)
                or self.cutoff.second
                or self.cutoff.microsecond
                or self.cutoff.tzinfo is not None
            ):
                raise ValidationError(
                    "Giờ chốt nhận hồ sơ phải là giờ và phút (ví dụ 15:00).", field="cutoff"
                )
        documents = tuple(self.documents)
        seen: set[str] = set()
        for doc in documents:
            if not isinstance(doc, DocumentSpec):
                raise ValidationError("Thành phần hồ sơ không hợp lệ.", field="documents")
            key = _fold(doc.name)
            if key in seen:
                raise ValidationError(f"Thành phần hồ sơ «{doc.name}» bị lặp.", field="documents")
            seen.add(key)
        set_(self, "documents", documents)


def _check_duration(value: Decimal | None, unit: DurationUnit) -> Decimal | None:
    if unit is DurationUnit.NONE:
        if value is not None:
            raise ValidationError(
                "Thủ tục không quy định thời hạn thì không ghi thời hạn giải quyết.",
                field="duration",
            )
        return None
    if value is None:
        if unit is DurationUnit.SAME_DAY:
            return Decimal(1)
        raise ValidationError(
            f"Thiếu thời hạn giải quyết (đơn vị: {unit.label}).", field="duration"
        )
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError("Thời hạn giải quyết phải là một số.", field="duration")
    if value <= 0:
        raise ValidationError("Thời hạn giải quyết phải lớn hơn 0.", field="duration")
    if value > MAX_DURATION:
        raise ValidationError(
            f"Thời hạn giải quyết không được quá {MAX_DURATION}.", field="duration"
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationError(
            "Thời hạn giải quyết chỉ có tối đa 2 chữ số thập phân.", field="duration"
        )
    if unit is DurationUnit.SAME_DAY and value != 1:
        raise ValidationError(
            "Thủ tục giải quyết trong ngày có thời hạn 1 (hoặc để trống).", field="duration"
        )
    if unit is DurationUnit.CALENDAR_DAYS and value != value.to_integral_value():
        raise ValidationError(
            "Thời hạn tính theo ngày (lịch) phải là số ngày nguyên.", field="duration"
        )
    return value


# --- value parsing shared by both formats ---------------------------------------------------


def _parse_unit(value: object) -> DurationUnit:
    if isinstance(value, DurationUnit):
        return value
    if isinstance(value, str):
        key = _fold(value)
        for unit in DurationUnit:
            if key in {unit.value, _fold(unit.label)}:
                return unit
    choices = ", ".join(f"{u.value} ({u.label})" for u in DurationUnit)
    raise ValidationError(
        f"Đơn vị thời hạn «{value}» không hợp lệ; dùng một trong: {choices}.", field="unit"
    )


def _parse_copy_type(value: object) -> CopyType:
    if isinstance(value, CopyType):
        return value
    if isinstance(value, str):
        key = _fold(value)
        for copy_type in CopyType:
            if key in {copy_type.value, _fold(copy_type.label)}:
                return copy_type
    choices = ", ".join(f"{c.value} ({c.label})" for c in CopyType)
    raise ValidationError(
        f"Loại bản «{value}» không hợp lệ; dùng một trong: {choices}.", field="documents"
    )


def _parse_decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    if not _DECIMAL_RE.fullmatch(text):
        raise ValidationError(
            f"Thời hạn giải quyết «{text}» không phải là số (ví dụ 5 hoặc 0,5).", field="duration"
        )
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise ValidationError(
            f"Thời hạn giải quyết «{text}» không hợp lệ.", field="duration"
        ) from exc


def _format_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _parse_fee(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _FEE_RE.fullmatch(text):
        raise ValidationError(
            f"Lệ phí «{text}» phải là số tiền nguyên tính bằng đồng (ví dụ 4000000 hoặc "
            "4.000.000).",
            field="fee",
        )
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) > len(str(MAX_FEE)):
        raise ValidationError(f"Lệ phí «{text}» quá lớn.", field="fee")
    return int(digits)


def _parse_time(text: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    match = _TIME_RE.fullmatch(text)
    if match is None:
        raise ValidationError(
            f"Giờ chốt nhận hồ sơ «{text}» phải có dạng giờ:phút (ví dụ 15:00).", field="cutoff"
        )
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second != 0:
        raise ValidationError(
            f"Giờ chốt nhận hồ sơ «{text}» không hợp lệ (giờ:phút, ví dụ 15:00).", field="cutoff"
        )
    return time(hour, minute)


def _format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _parse_bool(text: str, default: bool, label: str, field_name: str) -> bool:
    key = _fold(text)
    if not key:
        return default
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    raise ValidationError(
        f"{label}: «{text}» không hợp lệ; ghi true/false (hoặc có/không).", field=field_name
    )


def check_unique_codes(specs: Iterable[ProcedureSpec]) -> None:
    """Refuse two procedures with the same code (compared ignoring case)."""
    seen: dict[str, int] = {}
    for number, spec in enumerate(specs, start=1):
        key = spec.code.casefold()
        if key in seen:
            raise ValidationError(
                f"Thủ tục thứ {number}: mã thủ tục «{spec.code}» trùng với thủ tục thứ "
                f"{seen[key]}.",
                field="code",
            )
        seen[key] = number


def _in_record(prefix: str, exc: ValidationError) -> ValidationError:
    return ValidationError(f"{prefix}: {exc.message}", field=exc.field)


# --- JSON ----------------------------------------------------------------------------------

_JSON_KEYS: Final = (
    "code",
    "name",
    "field",
    "settling_agency",
    "duration",
    "unit",
    "restart_on_supplement",
    "fee",
    "fee_note",
    "cutoff",
    "active",
    "verify_note",
    "documents",
)
_JSON_DOC_KEYS: Final = ("name", "copy_type", "count", "required")


def _document_to_json(doc: DocumentSpec) -> dict[str, object]:
    return {
        "name": doc.name,
        "copy_type": doc.copy_type.value,
        "count": doc.count,
        "required": doc.required,
    }


def _procedure_to_json(spec: ProcedureSpec) -> dict[str, object]:
    return {
        "code": spec.code,
        "name": spec.name,
        "field": spec.field,
        "settling_agency": spec.settling_agency,
        "duration": None if spec.duration is None else _format_decimal(spec.duration),
        "unit": spec.unit.value,
        "restart_on_supplement": spec.restart_on_supplement,
        "fee": spec.fee,
        "fee_note": spec.fee_note,
        "cutoff": None if spec.cutoff is None else _format_time(spec.cutoff),
        "active": spec.active,
        "verify_note": spec.verify_note,
        "documents": [_document_to_json(doc) for doc in spec.documents],
    }


def dump_catalog_json(specs: Iterable[ProcedureSpec]) -> str:
    """The catalogue as JSON text (UTF-8 characters kept, 2-space indent, fixed key order)."""
    items = list(specs)
    check_unique_codes(items)
    document = {
        "format": CATALOG_FORMAT,
        "version": CATALOG_VERSION,
        "procedures": [_procedure_to_json(spec) for spec in items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_str(raw: Mapping[str, object], key: str, label: str, *, default: str | None) -> str:
    value = raw.get(key)
    if value is None:
        if default is None:
            raise ValidationError(f"Thiếu {label.lower()}.", field=key)
        return default
    if not isinstance(value, str):
        raise ValidationError(f"{label} phải là chuỗi ký tự.", field=key)
    return value


def _json_bool(raw: Mapping[str, object], key: str, label: str, *, default: bool) -> bool:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValidationError(f"{label} phải là true hoặc false.", field=key)
    return value


def _json_duration(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(
            'Thời hạn giải quyết phải là số hoặc chuỗi số (ví dụ "5").', field="duration"
        )
    return _parse_decimal(str(value))


def _json_fee(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError("Lệ phí phải là số nguyên (đồng) hoặc null.", field="fee")
    if isinstance(value, int):
        return value
    return _parse_fee(value)


def _check_keys(raw: Mapping[str, object], known: Sequence[str], field_name: str | None) -> None:
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise ValidationError(f"Trường không xác định: {', '.join(unknown)}.", field=field_name)


def _document_from_json(raw: object) -> DocumentSpec:
    if not isinstance(raw, dict):
        raise ValidationError("Phải là một đối tượng JSON.", field="documents")
    _check_keys(raw, _JSON_DOC_KEYS, "documents")
    name = _json_str(raw, "name", "Tên thành phần hồ sơ", default=None)
    copy_type = raw.get("copy_type", CopyType.PHOTO.value)
    count = raw.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError("Số lượng bản phải là số nguyên.", field="documents")
    required = _json_bool(raw, "required", "Giá trị bắt buộc", default=True)
    return DocumentSpec(
        name=name, copy_type=_parse_copy_type(copy_type), count=count, required=required
    )


def _procedure_from_json(raw: object) -> ProcedureSpec:
    if not isinstance(raw, dict):
        raise ValidationError("Phải là một đối tượng JSON.")
    _check_keys(raw, _JSON_KEYS, None)
    raw_docs = raw.get("documents")
    if raw_docs is None:
        raw_docs = []
    if not isinstance(raw_docs, list):
        raise ValidationError("Thành phần hồ sơ phải là một danh sách.", field="documents")
    documents: list[DocumentSpec] = []
    for number, raw_doc in enumerate(raw_docs, start=1):
        try:
            documents.append(_document_from_json(raw_doc))
        except ValidationError as exc:
            raise _in_record(f"Thành phần hồ sơ thứ {number}", exc) from exc
    cutoff_raw = raw.get("cutoff")
    if cutoff_raw is not None and not isinstance(cutoff_raw, str):
        raise ValidationError('Giờ chốt nhận hồ sơ phải là chuỗi "HH:MM".', field="cutoff")
    unit_raw = raw.get("unit")
    if unit_raw is None:
        raise ValidationError("Thiếu đơn vị thời hạn.", field="unit")
    return ProcedureSpec(
        code=_json_str(raw, "code", "Mã thủ tục", default=None),
        name=_json_str(raw, "name", "Tên thủ tục", default=None),
        field=_json_str(raw, "field", "Lĩnh vực", default=None),
        settling_agency=_json_str(raw, "settling_agency", "Cơ quan giải quyết", default=None),
        duration=_json_duration(raw.get("duration")),
        unit=_parse_unit(unit_raw),
        restart_on_supplement=_json_bool(
            raw, "restart_on_supplement", "Tính lại thời hạn khi bổ sung", default=False
        ),
        fee=_json_fee(raw.get("fee")),
        fee_note=_json_str(raw, "fee_note", "Ghi chú lệ phí", default=""),
        documents=tuple(documents),
        cutoff=None if cutoff_raw is None else _parse_time(cutoff_raw),
        active=_json_bool(raw, "active", "Đang áp dụng", default=True),
        verify_note=_json_str(raw, "verify_note", "Ghi chú cần xác minh", default=""),
    )


def load_catalog_json(text: str) -> list[ProcedureSpec]:
    """Read a catalogue written by `dump_catalog_json` (or by hand in the same format)."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Tệp JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}).", field="file"
        ) from exc
    except (ValueError, RecursionError) as exc:  # absurd numbers or nesting
        raise ValidationError("Tệp JSON không hợp lệ.", field="file") from exc
    if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT:
        raise ValidationError(
            f'Tệp không phải danh mục thủ tục (cần "format": "{CATALOG_FORMAT}").',
            field="file",
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError("Tệp danh mục thiếu hoặc sai số phiên bản.", field="file")
    if version > CATALOG_VERSION:
        raise ValidationError(
            f"Tệp danh mục phiên bản {version} mới hơn phiên bản chương trình đọc được "
            f"({CATALOG_VERSION}); hãy cập nhật chương trình.",
            field="file",
        )
    raw_procedures = data.get("procedures")
    if not isinstance(raw_procedures, list):
        raise ValidationError('Tệp danh mục thiếu danh sách "procedures".', field="file")
    specs: list[ProcedureSpec] = []
    for number, raw in enumerate(raw_procedures, start=1):
        try:
            specs.append(_procedure_from_json(raw))
        except ValidationError as exc:
            raise _in_record(f"Thủ tục thứ {number}", exc) from exc
    check_unique_codes(specs)
    return specs


# --- CSV -----------------------------------------------------------------------------------


def _document_to_csv(doc: DocumentSpec) -> str:
    parts = [doc.name, doc.copy_type.value, str(doc.count)]
    if not doc.required:
        parts.append(_OPTIONAL_DOC)
    return _DOC_SEP.join(parts)


def _documents_to_csv(documents: Sequence[DocumentSpec]) -> str:
    return "\n".join(_document_to_csv(doc) for doc in documents)


def _document_from_csv(line: str) -> DocumentSpec:
    segments = line.split("|")
    required = True
    last = _fold(segments[-1])
    if len(segments) > 1 and last in _OPTIONAL_WORDS | _REQUIRED_WORDS:
        required = last in _REQUIRED_WORDS
        segments.pop()
    if len(segments) < 3:
        raise ValidationError(
            f"«{line.strip()}» phải có dạng «tên | loại bản | số lượng» "
            "(thêm «| optional» nếu không bắt buộc).",
            field="documents",
        )
    count_text = segments[-1].strip()
    if not (count_text.isascii() and count_text.isdigit() and len(count_text) <= 3):
        raise ValidationError(f"Số lượng bản «{count_text}» phải là số nguyên.", field="documents")
    return DocumentSpec(
        name="|".join(segments[:-2]),
        copy_type=_parse_copy_type(segments[-2]),
        count=int(count_text),
        required=required,
    )


def _documents_from_csv(cell: str) -> tuple[DocumentSpec, ...]:
    lines = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    documents: list[DocumentSpec] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            documents.append(_document_from_csv(line))
        except ValidationError as exc:
            raise _in_record(f"Thành phần hồ sơ thứ {len(documents) + 1}", exc) from exc
    return tuple(documents)


# A cell a spreadsheet would run as a formula when it opens a CSV (OWASP "CSV injection").
_CSV_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _quoted(cell: str) -> bool:
    """Does `cell` carry the apostrophe `_csv_safe` adds?"""
    return cell.startswith("'") and cell[1:].startswith((*_CSV_FORMULA_STARTS, "'"))


def _csv_safe(cell: str) -> str:
    """`cell` with a leading apostrophe when it would start a formula (OWASP's advice): Excel
    and LibreOffice then show it as text. A cell that already looks quoted gets one more, so
    that `_csv_unsafe`, which takes one off, gives back exactly what was written."""
    return "'" + cell if cell.startswith(_CSV_FORMULA_STARTS) or _quoted(cell) else cell


def _csv_unsafe(cell: str) -> str:
    return cell[1:] if _quoted(cell) else cell


def _procedure_to_csv(spec: ProcedureSpec) -> list[str]:
    return [_csv_safe(cell) for cell in _procedure_cells(spec)]


def _procedure_cells(spec: ProcedureSpec) -> list[str]:
    return [
        spec.code,
        spec.name,
        spec.field,
        spec.settling_agency,
        "" if spec.duration is None else _format_decimal(spec.duration),
        spec.unit.value,
        "true" if spec.restart_on_supplement else "false",
        "" if spec.fee is None else str(spec.fee),
        spec.fee_note,
        "" if spec.cutoff is None else _format_time(spec.cutoff),
        "true" if spec.active else "false",
        spec.verify_note,
        _documents_to_csv(spec.documents),
    ]


def dump_catalog_csv(specs: Iterable[ProcedureSpec]) -> str:
    """The catalogue as CSV text (comma-separated, CRLF rows, no byte-order mark)."""
    items = list(specs)
    check_unique_codes(items)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for spec in items:
        writer.writerow(_procedure_to_csv(spec))
    return buffer.getvalue()


def _csv_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _csv_header(row: list[str]) -> list[str]:
    names = [cell.strip().casefold() for cell in row]
    while names and not names[-1]:
        names.pop()  # Excel may keep empty columns at the right
    unknown = [name or "(trống)" for name in names if name not in CSV_COLUMNS]
    if unknown:
        raise ValidationError(
            f"Dòng 1: cột không xác định: {', '.join(unknown)}. Các cột hợp lệ: "
            f"{','.join(CSV_COLUMNS)}.",
            field="file",
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValidationError(f"Dòng 1: cột bị lặp: {', '.join(duplicates)}.", field="file")
    missing = [name for name in CSV_COLUMNS if name in _REQUIRED_CSV_COLUMNS - set(names)]
    if missing:
        raise ValidationError(f"Dòng 1: thiếu cột: {', '.join(missing)}.", field="file")
    return names


def _procedure_from_csv(values: Mapping[str, str]) -> ProcedureSpec:
    def get(name: str) -> str:
        return values.get(name, "")

    return ProcedureSpec(
        code=get("code"),
        name=get("name"),
        field=get("field"),
        settling_agency=get("settling_agency"),
        duration=_parse_decimal(get("duration")),
        unit=_parse_unit(get("unit")),
        restart_on_supplement=_parse_bool(
            get("restart_on_supplement"),
            False,
            "Tính lại thời hạn khi bổ sung",
            "restart_on_supplement",
        ),
        fee=_parse_fee(get("fee")),
        fee_note=get("fee_note"),
        documents=_documents_from_csv(get("documents")),
        cutoff=_parse_time(get("cutoff")),
        active=_parse_bool(get("active"), True, "Đang áp dụng", "active"),
        verify_note=get("verify_note"),
    )


def load_catalog_csv(text: str) -> list[ProcedureSpec]:
    """Read a catalogue CSV (see the module docstring for the columns and the documents cell)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    specs: list[ProcedureSpec] = []
    line_of_code: dict[str, int] = {}
    header: list[str] | None = None
    row_number = 0
    while True:
        row_number += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ValidationError(
                f"Dòng {row_number}: lỗi cú pháp CSV (kiểm tra dấu ngoặc kép).", field="file"
            ) from exc
        if header is None:
            header = _csv_header(row)
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank rows that spreadsheets leave behind
        extra = row[len(header) :]
        if any(cell.strip() for cell in extra):
            raise ValidationError(
                f"Dòng {row_number}: có nhiều ô hơn số cột của dòng tiêu đề.", field="file"
            )
        values = dict(zip(header, map(_csv_unsafe, row), strict=False))
        try:
            spec = _procedure_from_csv(values)
        except ValidationError as exc:
            raise _in_record(f"Dòng {row_number}", exc) from exc
        seen_at = line_of_code.setdefault(spec.code.casefold(), row_number)
        if seen_at != row_number:
            raise ValidationError(
                f"Dòng {row_number}: mã thủ tục «{spec.code}» trùng với dòng {seen_at}.",
                field="code",
            )
        specs.append(spec)
    if header is None:
        raise ValidationError("Tệp CSV trống (không có dòng tiêu đề).", field="file")
    return specs


# --- files and the bundled seed ------------------------------------------------------------


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in {".json", ".csv"}:
        raise ValidationError(
            f"Tệp danh mục phải có đuôi .json hoặc .csv (tệp đã chọn: {path.name}).",
            field="path",
        )
    return suffix


def load_catalog_file(path: Path) -> list[ProcedureSpec]:
    """Read a catalogue file; the format follows the suffix (.json or .csv)."""
    suffix = _format_of(path)
    try:
        # Bytes, not read_text: universal newlines would rewrite line breaks inside cells.
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFoundError(f"Không tìm thấy tệp {path}.", field="path") from exc
    except OSError as exc:
        raise DeskError(
            f"Không đọc được tệp {path}: {exc.strerror or exc}.", code="io_error", field="path"
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"Tệp {path.name} không phải văn bản UTF-8 (khi lưu từ Excel, chọn «CSV UTF-8»).",
            field="path",
        ) from exc
    return load_catalog_json(text) if suffix == ".json" else load_catalog_csv(text)


def dump_catalog_file(specs: Iterable[ProcedureSpec], path: Path) -> None:
    """Write a catalogue file in the format its suffix names; CSV gets a BOM for Excel."""
    suffix = _format_of(path)
    if suffix == ".json":
        data = dump_catalog_json(specs).encode("utf-8")
    else:
        data = dump_catalog_csv(specs).encode("utf-8-sig")
    # Write beside the target and rename, so a failed export never leaves half a file.
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DeskError(
            f"Không ghi được tệp {path}: {exc.strerror or exc}.", code="io_error", field="path"
        ) from exc


def bundled_catalog() -> list[ProcedureSpec]:
    """The seed catalogue shipped in `resources/catalog/procedures.json`."""
    return load_catalog_json(read_resource_text("catalog", "procedures.json"))


__all__ = [
    "CATALOG_FORMAT",
    "CATALOG_VERSION",
    "CSV_COLUMNS",
    "DocumentSpec",
    "ProcedureSpec",
    "bundled_catalog",
    "check_unique_codes",
    "dump_catalog_csv",
    "dump_catalog_file",
    "dump_catalog_json",
    "load_catalog_csv",
    "load_catalog_file",
    "load_catalog_json",
]
