"""Tests for desk_app.domain.codes: file codes, register and slip numbers, S10 postal numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.codes import (
    AGENCY_ID_RE,
    DEFAULT_SLIP_SUFFIXES,
    FileCode,
    RegisterNumber,
    S10Result,
    check_s10,
    format_file_code,
    format_slip_number,
    is_file_code,
    make_s10,
    parse_file_code,
    parse_slip_number,
    register_book_for,
    s10_check_digit,
    validate_agency_id,
)
from desk_app.errors import ValidationError

AGENCY = "000.17.22.H56"

# --- Agency identifier ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("000.17.22.H56", "000.17.22.H56"),
        ("000.00.00.H37", "000.00.00.H37"),
        (" 000.00.16.h37 ", "000.00.16.H37"),
        ("000.00.00.G01", "000.00.00.G01"),
    ],
)
def test_validate_agency_id_accepts(raw: str, expected: str) -> None:
    assert validate_agency_id(raw) == expected
    assert AGENCY_ID_RE.fullmatch(expected)


@pytest.mark.parametrize(
    "raw",
    ["000.17.22.56", "000.17.22.HH6", "00.17.22.H56", "000-17-22-H56", "000.17.22.H5", "000.17.22"],
)
def test_validate_agency_id_refuses(raw: str) -> None:
    with pytest.raises(ValidationError, match=r"ZZZ\.YY\.XX\.Hnn") as info:
        validate_agency_id(raw)
    assert info.value.field == "agency_id"


def test_validate_agency_id_empty() -> None:
    with pytest.raises(ValidationError, match="không được để trống"):
        validate_agency_id("  ")


# --- File codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency", "day", "seq", "expected"),
    [
        (AGENCY, date(2021, 5, 31), 1, "000.17.22.H56-210531-0001"),
        ("000.00.16.h37", date(2026, 1, 2), 42, "000.00.16.H37-260102-0042"),
        (AGENCY, date(2026, 12, 31), 9999, "000.17.22.H56-261231-9999"),
        (AGENCY, date(2026, 12, 31), 10000, "000.17.22.H56-261231-10000"),
        (AGENCY, date(2026, 12, 31), 99999, "000.17.22.H56-261231-99999"),
    ],
)
def test_format_file_code(agency: str, day: date, seq: int, expected: str) -> None:
    assert format_file_code(agency, day, seq) == expected


@pytest.mark.parametrize("seq", [0, -1, 100000])
def test_format_file_code_refuses_counter_out_of_range(seq: int) -> None:
    with pytest.raises(ValidationError, match="Số thứ tự"):
        format_file_code(AGENCY, date(2026, 1, 2), seq)


def test_format_file_code_refuses_bad_agency() -> None:
    with pytest.raises(ValidationError):
        format_file_code("H56", date(2026, 1, 2), 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("000.17.22.H56-210531-0001", FileCode(AGENCY, date(2021, 5, 31), 1)),
        ("  000.17.22.h56-210531-0001 ", FileCode(AGENCY, date(2021, 5, 31), 1)),
        ("000.17.22.H56 - 210531 - 0001", FileCode(AGENCY, date(2021, 5, 31), 1)),
        ("000.00.16.H37-240229-1234", FileCode("000.00.16.H37", date(2024, 2, 29), 1234)),
        ("000.17.22.H56-261231-10000", FileCode(AGENCY, date(2026, 12, 31), 10000)),
    ],
)
def test_parse_file_code(raw: str, expected: FileCode) -> None:
    assert parse_file_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "không được để trống"),
        ("000.17.22.H56-210531", "Mã hồ sơ phải có dạng"),
        ("000.17.22.H56-210531-001", "Mã hồ sơ phải có dạng"),
        ("000.17.22.H56-210531-123456", "Mã hồ sơ phải có dạng"),
        ("000.17.22.H56-20210531-0001", "Mã hồ sơ phải có dạng"),
        ("H56-210531-0001", "Mã hồ sơ phải có dạng"),
        ("000.17.22.H56-210531-00001", "Mã hồ sơ phải có dạng"),
        ("000.17.22.H56-210531-0000", "Số thứ tự"),
        ("000.17.22.H56-211331-0001", "không phải ngày hợp lệ"),
        ("000.17.22.H56-230229-0001", "không phải ngày hợp lệ"),
    ],
)
def test_parse_file_code_refuses(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        parse_file_code(raw)
    assert info.value.field == "file_code"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("000.17.22.H56-210531-0001", True),
        ("000.17.22.h56-210531-0001", True),
        (" 000.17.22.H56-210531-0001 ", True),
        ("000.17.22.H56-211331-0001", True),  # shape only; the date is checked by parse
        ("Đặng Thị Ánh", False),
        ("210531-0001", False),
        ("020085012345", False),
        ("", False),
    ],
)
def test_is_file_code(raw: str, expected: bool) -> None:
    assert is_file_code(raw) is expected


def test_file_code_str_and_order() -> None:
    codes = [
        FileCode(AGENCY, date(2026, 1, 3), 1),
        FileCode(AGENCY, date(2026, 1, 2), 10),
        FileCode(AGENCY, date(2026, 1, 2), 9),
    ]
    assert [str(c) for c in sorted(codes)] == [
        "000.17.22.H56-260102-0009",
        "000.17.22.H56-260102-0010",
        "000.17.22.H56-260103-0001",
    ]


agencies = st.builds(
    lambda a, b, c, letter, n: f"{a:03d}.{b:02d}.{c:02d}.{letter}{n:02d}",
    st.integers(0, 999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.integers(0, 99),
)


@given(agencies, st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(1, 99999))
def test_file_code_round_trip(agency: str, day: date, seq: int) -> None:
    text = format_file_code(agency, day, seq)
    assert is_file_code(text)
    parsed = parse_file_code(text)
    assert parsed == FileCode(agency, day, seq)
    assert str(parsed) == text
    assert parse_file_code(text.lower()) == parsed


# --- Register -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 1, 1), "2026"), (date(2025, 12, 31), "2025")],
)
def test_register_book_for(day: date, expected: str) -> None:
    assert register_book_for(day) == expected


def test_register_number_format() -> None:
    number = RegisterNumber(register_book_for(date(2026, 3, 4)), 15)
    assert number.format() == "Quyển số 2026, Số thứ tự 15"
    assert str(number) == "Quyển số 2026, Số thứ tự 15"


@pytest.mark.parametrize(("book", "seq"), [("", 1), ("  ", 1), ("2026", 0), ("2026", -3)])
def test_register_number_refuses(book: str, seq: int) -> None:
    with pytest.raises(ValidationError):
        RegisterNumber(book, seq)


# --- Slip numbers ---------------------------------------------------------------------------------


def test_default_slip_suffixes() -> None:
    assert dict(DEFAULT_SLIP_SUFFIXES) == {
        "supplement": "HDHS",
        "refusal": "TCHS",
        "apology": "XLHS",
    }
    with pytest.raises(TypeError):
        DEFAULT_SLIP_SUFFIXES["supplement"] = "X"  # type: ignore[index]


@pytest.mark.parametrize(
    ("n", "suffix", "expected"),
    [
        (12, "HDHS", "12/HDHS"),
        (1, " tchs ", "1/TCHS"),
        (305, "XLHS", "305/XLHS"),
        (7, "QĐ-UBND", "7/QĐ-UBND"),
        (8, "TB/VP", "8/TB/VP"),
    ],
)
def test_format_slip_number(n: int, suffix: str, expected: str) -> None:
    assert format_slip_number(n, suffix) == expected


@pytest.mark.parametrize(("n", "suffix"), [(0, "HDHS"), (-1, "HDHS"), (1, ""), (1, "HD HS")])
def test_format_slip_number_refuses(n: int, suffix: str) -> None:
    with pytest.raises(ValidationError):
        format_slip_number(n, suffix)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/HDHS", (12, "HDHS")),
        (" 12 / hdhs ", (12, "HDHS")),
        ("007/TCHS", (7, "TCHS")),
        ("7/QĐ-UBND", (7, "QĐ-UBND")),
        ("8/TB/VP", (8, "TB/VP")),
    ],
)
def test_parse_slip_number(raw: str, expected: tuple[int, str]) -> None:
    assert parse_slip_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "12", "/HDHS", "12/", "HDHS/12", "0/HDHS", "-1/HDHS", "١٢/HDHS", "12/_X"]
)
def test_parse_slip_number_refuses(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_slip_number(raw)


@given(st.integers(1, 10**6), st.sampled_from(sorted(DEFAULT_SLIP_SUFFIXES.values())))
def test_slip_number_round_trip(n: int, suffix: str) -> None:
    assert parse_slip_number(format_slip_number(n, suffix)) == (n, suffix)


# --- UPU S10 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        # 8+12+12+8+15+30+63+56 = 204; 204 mod 11 = 6; 11 - 6 = 5.
        ("12345678", 5),
        # UPU S10 standard's own example RA473124829GB: 32+42+12+2+6+20+72+14 = 200 → 11-2 = 9.
        ("47312482", 9),
        # Sum 0 → 11 - 0 = 11, written as 5.
        ("00000000", 5),
        # Sum 4*3 = 12 ≡ 1 → 11 - 1 = 10, written as 0.
        ("00004000", 0),
        # Sum 9*8 = 72 ≡ 6 → 5; sum 1*8 = 8 → 3.
        ("90000000", 5),
        ("10000000", 3),
    ],
)
def test_s10_check_digit(serial: str, expected: int) -> None:
    assert s10_check_digit(serial) == expected


@pytest.mark.parametrize("serial", ["1234567", "123456789", "1234567A", "", "١٢٣٤٥٦٧٨"])
def test_s10_check_digit_refuses(serial: str) -> None:
    with pytest.raises(ValidationError):
        s10_check_digit(serial)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RR123456785VN", "RR123456785VN"),
        ("EE123456785VN", "EE123456785VN"),
        ("ra473124829gb", "RA473124829GB"),
        (" EE 123 456 785 VN ", "EE123456785VN"),
        ("EE000000005VN", "EE000000005VN"),
        ("CP000040000VN", "CP000040000VN"),
    ],
)
def test_check_s10_valid(raw: str, expected: str) -> None:
    assert check_s10(raw) == S10Result(expected, True, None)


@pytest.mark.parametrize(
    ("raw", "number", "expected_digit"),
    [
        ("RR123456784VN", "RR123456784VN", "5"),
        ("RA473124828GB", "RA473124828GB", "9"),
        ("EE000040005VN", "EE000040005VN", "0"),
    ],
)
def test_check_s10_wrong_check_digit_warns(raw: str, number: str, expected_digit: str) -> None:
    result = check_s10(raw)
    assert result.number == number
    assert result.check_ok is False
    assert result.warning is not None
    assert "Chữ số kiểm tra" in result.warning
    assert f"tính ra là {expected_digit}" in result.warning


@pytest.mark.parametrize(
    "raw",
    [
        "RR12345678VN",
        "RR1234567850VN",
        "R123456785VN",
        "RR123456785V",
        "1R123456785VN",
        "RR123456785V1",
        "RR12345678XVN",
        "RR-123456785-VN",
    ],
)
def test_check_s10_refuses_bad_shape(raw: str) -> None:
    with pytest.raises(ValidationError, match="Số hiệu bưu gửi phải gồm") as info:
        check_s10(raw)
    assert info.value.field == "postal_number"


def test_check_s10_empty() -> None:
    with pytest.raises(ValidationError, match="không được để trống"):
        check_s10(" ")


@pytest.mark.parametrize(
    ("prefix", "serial", "country", "expected"),
    [
        ("RR", "12345678", "VN", "RR123456785VN"),
        ("ee", "12345678", "vn", "EE123456785VN"),
        ("RA", "47312482", "GB", "RA473124829GB"),
    ],
)
def test_make_s10(prefix: str, serial: str, country: str, expected: str) -> None:
    assert make_s10(prefix, serial, country) == expected


@pytest.mark.parametrize(
    ("prefix", "serial", "country"),
    [
        ("R", "12345678", "VN"),
        ("R1", "12345678", "VN"),
        ("RR", "1234567", "VN"),
        ("RR", "12345678", "V"),
    ],
)
def test_make_s10_refuses(prefix: str, serial: str, country: str) -> None:
    with pytest.raises(ValidationError):
        make_s10(prefix, serial, country)


letters2 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
serials = st.text(alphabet="0123456789", min_size=8, max_size=8)


@given(letters2, serials, letters2)
def test_made_s10_numbers_check_ok(prefix: str, serial: str, country: str) -> None:
    number = make_s10(prefix, serial, country)
    assert check_s10(number) == S10Result(number, True, None)


@given(letters2, serials, st.integers(1, 9))
def test_changed_check_digit_fails(prefix: str, serial: str, shift: int) -> None:
    number = make_s10(prefix, serial)
    wrong = str((int(number[10]) + shift) % 10)
    altered = number[:10] + wrong + number[11:]
    result = check_s10(altered)
    assert result.number == altered
    assert result.check_ok is False
    assert result.warning is not None
