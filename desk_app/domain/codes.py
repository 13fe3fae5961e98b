"""Codes and numbers: file codes, register numbers, slip numbers and UPU S10 postal numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from desk_app.errors import ValidationError

# --- Agency identifier ----------------------------------------------------------------------------

# QCVN 102:2016 writes the top level as a letter and two digits (H for provinces, G for ministries,
# ...); any upper-case letter is accepted so that a desk under a non-provincial body can be set up.
AGENCY_ID_RE: Final = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")

_AGENCY_MESSAGE = "Mã định danh cơ quan phải có dạng ZZZ.YY.XX.Hnn, ví dụ 000.17.22.H56."


def validate_agency_id(text: str, *, field: str = "agency_id") -> str:
    """Return the agency identifier trimmed and upper-cased, or raise ValidationError."""
    value = "".join(text.split()).upper()
    if not value:
        raise ValidationError("Mã định danh cơ quan không được để trống.", field=field)
    if AGENCY_ID_RE.fullmatch(value) is None:
        raise ValidationError(_AGENCY_MESSAGE, field=field)
    return value


# --- File code (mã hồ sơ) -------------------------------------------------------------------------

# The counter is 4 digits; a 5th is allowed so that a desk never has to refuse a file because of
# its code (10,000 files in a day is far beyond a one-stop desk, but a code must never fail).
MAX_FILE_SEQ: Final = 99_999

_FILE_CODE_RE: Final = re.compile(
    r"(?P<agency>[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})"
    r"-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4,5})"
)
_FILE_CODE_MESSAGE = (
    "Mã hồ sơ phải có dạng <mã cơ quan>-<năm tháng ngày>-<số thứ tự>, "
    "ví dụ 000.17.22.H56-210531-0001."
)


def _compact_upper(text: str) -> str:
    return "".join(text.split()).upper()


def _check_seq(seq: int, field: str) -> None:
    if not 1 <= seq <= MAX_FILE_SEQ:
        raise ValidationError(
            f"Số thứ tự trong mã hồ sơ phải từ 1 đến {MAX_FILE_SEQ}.", field=field
        )


def format_file_code(agency: str, day: date, seq: int) -> str:
    """Return `<agency>-<yymmdd>-<nnnn>`; the counter is zero-padded to 4 digits, 5 above 9999."""
    agency_id = validate_agency_id(agency)
    _check_seq(seq, "file_code")
    return f"{agency_id}-{day:%y%m%d}-{seq:04d}"


@dataclass(frozen=True, order=True)
class FileCode:
    """A parsed file code; orders by agency, then receipt day, then counter."""

    agency: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_file_code(self.agency, self.day, self.seq)


def is_file_code(text: str) -> bool:
    """Return whether `text` has the shape of a file code (the date itself is not checked).

    Meant for a search box deciding between a code look-up and a name search.
    """
    return _FILE_CODE_RE.fullmatch(_compact_upper(text)) is not None


def parse_file_code(text: str, *, field: str = "file_code") -> FileCode:
    """Parse a file code typed or scanned by the user (spaces ignored, any case)."""
    value = _compact_upper(text)
    if not value:
        raise ValidationError("Mã hồ sơ không được để trống.", field=field)
    match = _FILE_CODE_RE.fullmatch(value)
    if match is None:
        raise ValidationError(_FILE_CODE_MESSAGE, field=field)
    seq_text = match["seq"]
    # A 5-digit counter is only written for numbers above 9999; "00001" would be a second
    # spelling of "0001", and a code must have exactly one spelling.
    if len(seq_text) == 5 and seq_text.startswith("0"):
        raise ValidationError(_FILE_CODE_MESSAGE, field=field)
    seq = int(seq_text)
    _check_seq(seq, field)
    day_text = match["day"]
    try:
        # Electronic file codes started long after 2000, so the two-digit year is 20yy.
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
    except ValueError:
        raise ValidationError(
            f"Ngày tiếp nhận trong mã hồ sơ ({day_text}) không phải ngày hợp lệ.", field=field
        ) from None
    return FileCode(match["agency"], day, seq)


# --- Register (Sổ theo dõi hồ sơ) -----------------------------------------------------------------


def register_book_for(day: date) -> str:
    """Return the default register book for a receipt day: one book per calendar year."""
    return str(day.year)


@dataclass(frozen=True)
class RegisterNumber:
    """A line of the file register: book (Quyển số) and running number within the book."""

    book: str
    seq: int

    def __post_init__(self) -> None:
        if not self.book.strip():
            raise ValidationError("Quyển số không được để trống.", field="register_book")
        if self.seq < 1:
            raise ValidationError("Số thứ tự trong sổ phải lớn hơn 0.", field="register_seq")

    def format(self) -> str:
        """Return the number as printed on forms, e.g. "Quyển số 2026, Số thứ tự 15"."""
        return f"Quyển số {self.book}, Số thứ tự {self.seq}"

    def __str__(self) -> str:
        return self.format()


# --- Slip numbers (phiếu hướng dẫn, từ chối, xin lỗi) ---------------------------------------------

# Defaults only: the suffixes are desk settings. Read-only so that no caller edits the defaults
# in place; copy with dict(...) to build a settings value.
DEFAULT_SLIP_SUFFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {"supplement": "HDHS", "refusal": "TCHS", "apology": "XLHS"}
)

# Letters (Vietnamese included, e.g. "QĐ"), digits, "-" and "/"; starts with a letter or digit.
_SLIP_SUFFIX_RE: Final = re.compile(r"[^\W_](?:[^\W_]|[/-])*")
_SLIP_NUMBER_MESSAGE = "Số phiếu phải có dạng <số>/<ký hiệu>, ví dụ 12/HDHS."


def _normalise_suffix(suffix: str, field: str) -> str:
    value = unicodedata.normalize("NFC", suffix).strip().upper()
    if not value:
        raise ValidationError("Ký hiệu số phiếu không được để trống.", field=field)
    if _SLIP_SUFFIX_RE.fullmatch(value) is None:
        raise ValidationError(
            "Ký hiệu số phiếu chỉ được gồm chữ cái, chữ số, dấu gạch ngang và dấu gạch chéo.",
            field=field,
        )
    return value


def format_slip_number(n: int, suffix: str) -> str:
    """Return `<n>/<suffix>`, e.g. "12/HDHS"; the suffix is upper-cased."""
    if n < 1:
        raise ValidationError("Số phiếu phải lớn hơn 0.", field="slip_number")
    return f"{n}/{_normalise_suffix(suffix, 'slip_suffix')}"


def parse_slip_number(text: str, *, field: str = "slip_number") -> tuple[int, str]:
    """Parse "12/HDHS" (spaces ignored) into (12, "HDHS"); splits at the first "/"."""
    value = "".join(text.split())
    if not value:
        raise ValidationError("Số phiếu không được để trống.", field=field)
    number, sep, suffix = value.partition("/")
    if not sep or not number.isascii() or not number.isdigit() or not suffix:
        raise ValidationError(_SLIP_NUMBER_MESSAGE, field=field)
    n = int(number)
    if n < 1:
        raise ValidationError("Số phiếu phải lớn hơn 0.", field=field)
    return n, _normalise_suffix(suffix, field)


# --- UPU S10 postal item numbers ------------------------------------------------------------------

_S10_WEIGHTS: Final = (8, 6, 4, 2, 3, 5, 9, 7)
_S10_RE: Final = re.compile(r"[A-Z]{2}[0-9]{9}[A-Z]{2}")
_S10_MESSAGE = (
    "Số hiệu bưu gửi phải gồm 2 chữ cái, 9 chữ số và 2 chữ cái mã nước, ví dụ RR123456785VN."
)


def s10_check_digit(serial8: str) -> int:
    """Return the UPU S10 check digit of an 8-digit serial number."""
    if len(serial8) != 8 or not serial8.isascii() or not serial8.isdigit():
        raise ValidationError(
            "Số sê-ri của số hiệu bưu gửi phải gồm đúng 8 chữ số.", field="postal_number"
        )
    total = sum(int(d) * w for d, w in zip(serial8, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return 0
    if check == 11:
        return 5
    return check


@dataclass(frozen=True)
class S10Result:
    """An S10 number of valid shape; `warning` says why `check_ok` is False."""

    number: str
    check_ok: bool
    warning: str | None


def check_s10(text: str, *, field: str = "postal_number") -> S10Result:
    """Normalise and check an S10 number; a wrong check digit only warns (the desk may go on).

    Raises ValidationError when the shape itself is wrong.
    """
    number = _compact_upper(text)
    if not number:
        raise ValidationError("Số hiệu bưu gửi không được để trống.", field=field)
    if _S10_RE.fullmatch(number) is None:
        raise ValidationError(_S10_MESSAGE, field=field)
    expected = s10_check_digit(number[2:10])
    if int(number[10]) == expected:
        return S10Result(number, True, None)
    warning = (
        f"Chữ số kiểm tra của số hiệu bưu gửi {number} không khớp (tính ra là {expected}). "
        "Vui lòng kiểm tra lại số đã nhập."
    )
    return S10Result(number, False, warning)


def make_s10(prefix: str, serial8: str, country: str = "VN") -> str:
    """Return the S10 number built from a 2-letter prefix, 8-digit serial and country code."""
    prefix_value = prefix.strip().upper()
    country_value = country.strip().upper()
    for value in (prefix_value, country_value):
        if len(value) != 2 or not value.isascii() or not value.isalpha():
            raise ValidationError(
                "Tiền tố và mã nước của số hiệu bưu gửi phải gồm đúng 2 chữ cái.",
                field="postal_number",
            )
    return f"{prefix_value}{serial8}{s10_check_digit(serial8)}{country_value}"
