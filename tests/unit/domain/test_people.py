"""Tests for desk_app.domain.people: identity numbers, phones and e-mail addresses."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desk_app.domain.people import (
    PROVINCE_CODES,
    CccdInfo,
    IdKind,
    Sex,
    cccd_info,
    format_phone,
    normalise_phone,
    validate_cccd,
    validate_cmnd,
    validate_email,
    validate_id_number,
    validate_landline,
    validate_mobile,
    validate_passport,
    validate_phone,
    validate_tax_code,
)
from desk_app.errors import ValidationError

# --- Province codes -------------------------------------------------------------------------------


def test_province_codes_table() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["020"] == "Lạng Sơn"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert all(name == unicodedata.normalize("NFC", name) for name in PROVINCE_CODES.values())
    assert len(set(PROVINCE_CODES.values())) == 63


# --- CCCD -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "info"),
    [
        ("020085012345", "020085012345", CccdInfo("020", 1985, Sex.MALE)),
        ("020 085 012 345", "020085012345", CccdInfo("020", 1985, Sex.MALE)),
        ("001.301.012.345", "001301012345", CccdInfo("001", 2001, Sex.FEMALE)),
        ("079199123456", "079199123456", CccdInfo("079", 1999, Sex.FEMALE)),
        ("096200000000", "096200000000", CccdInfo("096", 2000, Sex.MALE)),
        ("048100654321", "048100654321", CccdInfo("048", 1900, Sex.FEMALE)),
        ("031425000001", "031425000001", CccdInfo("031", 2125, Sex.MALE)),
        ("031599000001", "031599000001", CccdInfo("031", 2199, Sex.FEMALE)),
        ("031610000001", "031610000001", CccdInfo("031", 2210, Sex.MALE)),
        ("031710000001", "031710000001", CccdInfo("031", 2210, Sex.FEMALE)),
        # Circular 07/2016/TT-BCA: 8/9 mean the 24th century (2300s).
        ("031800000001", "031800000001", CccdInfo("031", 2300, Sex.MALE)),
        ("031901000001", "031901000001", CccdInfo("031", 2301, Sex.FEMALE)),
    ],
)
def test_valid_cccd(raw: str, number: str, info: CccdInfo) -> None:
    assert validate_cccd(raw) == number
    assert validate_cccd(raw, info.birth_year) == number
    assert cccd_info(raw) == info


def test_cccd_info_province_name_and_sex_label() -> None:
    info = cccd_info("020185012345")
    assert info.province_name == "Lạng Sơn"
    assert info.sex is Sex.FEMALE
    assert info.sex.label == "Nữ"
    assert Sex.MALE.label == "Nam"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Số CCCD không được để trống."),
        (" . ", "Số CCCD không được để trống."),
        ("02008501234", "Số CCCD phải gồm đúng 12 chữ số."),
        ("0200850123456", "Số CCCD phải gồm đúng 12 chữ số."),
        ("02008501234A", "Số CCCD phải gồm đúng 12 chữ số."),
        ("020-085-012-345", "Số CCCD phải gồm đúng 12 chữ số."),
        ("٠٢٠٠٨٥٠١٢٣٤٥", "Số CCCD phải gồm đúng 12 chữ số."),
        ("000085012345", r"Ba chữ số đầu của số CCCD \(000\)"),
        ("003085012345", r"Ba chữ số đầu của số CCCD \(003\)"),
        ("097085012345", r"Ba chữ số đầu của số CCCD \(097\)"),
        ("120085012345", r"Ba chữ số đầu của số CCCD \(120\)"),
    ],
)
def test_invalid_cccd(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        validate_cccd(raw)
    assert info.value.field == "id_number"


@pytest.mark.parametrize(
    ("raw", "birth_year"),
    [
        ("020085012345", 1986),
        ("020085012345", 2085),
        ("020285012345", 1985),
        ("001301012345", 1901),
    ],
)
def test_cccd_birth_year_mismatch(raw: str, birth_year: int) -> None:
    with pytest.raises(ValidationError, match="không khớp với năm sinh đã khai") as info:
        validate_cccd(raw, birth_year)
    assert str(birth_year) in info.value.message


def test_cccd_field_can_be_renamed() -> None:
    with pytest.raises(ValidationError) as info:
        validate_cccd("1", field="representative_id")
    assert info.value.field == "representative_id"


@st.composite
def generated_cccds(draw: st.DrawFn) -> tuple[str, CccdInfo]:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    birth_year = draw(st.integers(1900, 2399))
    sex = draw(st.sampled_from([Sex.MALE, Sex.FEMALE]))
    digit = 2 * ((birth_year - 1900) // 100) + (0 if sex is Sex.MALE else 1)
    tail = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    number = f"{province}{digit}{birth_year % 100:02d}{tail}"
    return number, CccdInfo(province, birth_year, sex)


@given(generated_cccds())
def test_generated_cccd_validates(case: tuple[str, CccdInfo]) -> None:
    number, info = case
    assert validate_cccd(number) == number
    assert validate_cccd(number, info.birth_year) == number
    assert cccd_info(number) == info
    assert validate_id_number(number) == (IdKind.CCCD, number)


@given(generated_cccds(), st.integers(-5, 5).filter(bool))
def test_generated_cccd_refuses_other_birth_year(case: tuple[str, CccdInfo], delta: int) -> None:
    number, info = case
    with pytest.raises(ValidationError):
        validate_cccd(number, info.birth_year + delta)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_unknown_province_prefix_is_refused(number: str) -> None:
    assume(number[:3] not in PROVINCE_CODES)
    with pytest.raises(ValidationError, match="Ba chữ số đầu"):
        validate_cccd(number)


# --- CMND, passport, tax code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("123456789", "123456789"), ("123 456 789", "123456789"), ("123.456.789", "123456789")],
)
def test_valid_cmnd(raw: str, expected: str) -> None:
    assert validate_cmnd(raw) == expected


@pytest.mark.parametrize("raw", ["12345678", "1234567890", "020085012345", "12345678A"])
def test_invalid_cmnd(raw: str) -> None:
    with pytest.raises(ValidationError, match="Số CMND phải gồm đúng 9 chữ số"):
        validate_cmnd(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C1234567", "C1234567"),
        ("c1234567", "C1234567"),
        ("B 1234567", "B1234567"),
        ("K12345678", "K12345678"),  # foreign formats: 6-9 letters/digits
        ("123456789", "123456789"),
        ("AB1234", "AB1234"),
    ],
)
def test_valid_passport(raw: str, expected: str) -> None:
    assert validate_passport(raw) == expected


@pytest.mark.parametrize("raw", ["C1234", "C123456789", "NGUYEN", "C123-4567", "Č1234567"])
def test_invalid_passport(raw: str) -> None:
    with pytest.raises(ValidationError, match="Số hộ chiếu phải gồm"):
        validate_passport(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4900123456", "4900123456"),
        ("4900123456-001", "4900123456-001"),
        ("4900123456001", "4900123456-001"),
        (" 4900123456 - 001 ", "4900123456-001"),
    ],
)
def test_valid_tax_code(raw: str, expected: str) -> None:
    assert validate_tax_code(raw) == expected


@pytest.mark.parametrize("raw", ["490012345", "49001234567", "4900123456-01", "4900123456/001"])
def test_invalid_tax_code(raw: str) -> None:
    with pytest.raises(ValidationError, match="Mã số thuế phải gồm"):
        validate_tax_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020085012345", (IdKind.CCCD, "020085012345")),
        ("020.085.012.345", (IdKind.CCCD, "020085012345")),
        ("123456789", (IdKind.CMND, "123456789")),
        ("4900123456", (IdKind.TAX_CODE, "4900123456")),
        ("4900123456-001", (IdKind.TAX_CODE, "4900123456-001")),
        ("4900123456001", (IdKind.TAX_CODE, "4900123456-001")),
        ("c1234567", (IdKind.PASSPORT, "C1234567")),
    ],
)
def test_validate_id_number_detects_kind(raw: str, expected: tuple[IdKind, str]) -> None:
    assert validate_id_number(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "12345678901", "Nguyễn Văn A", "12-34"])
def test_validate_id_number_unknown_shape(raw: str) -> None:
    with pytest.raises(ValidationError, match="Không nhận ra loại giấy tờ"):
        validate_id_number(raw)


def test_validate_id_number_empty() -> None:
    with pytest.raises(ValidationError, match="không được để trống"):
        validate_id_number("  ")


def test_validate_id_number_with_explicit_kind() -> None:
    # Nine digits are a CMND by shape, but a foreign passport may be nine digits too.
    assert validate_id_number("123456789", IdKind.PASSPORT) == (IdKind.PASSPORT, "123456789")
    with pytest.raises(ValidationError, match="Số CCCD phải gồm đúng 12 chữ số"):
        validate_id_number("123456789", IdKind.CCCD)


def test_validate_id_number_checks_birth_year_of_cccd() -> None:
    assert validate_id_number("020085012345", birth_year=1985) == (IdKind.CCCD, "020085012345")
    with pytest.raises(ValidationError, match="không khớp"):
        validate_id_number("020085012345", birth_year=1990)
    # The birth year says nothing about other documents.
    assert validate_id_number("123456789", birth_year=1990) == (IdKind.CMND, "123456789")


def test_id_kind_values_and_labels() -> None:
    assert [k.value for k in IdKind] == ["cccd", "cmnd", "passport", "tax_code"]
    assert IdKind.PASSPORT.label == "Hộ chiếu"


# --- Phones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("(0205) 3812 345", "02053812345"),
        ("+84 205 3812 345", "02053812345"),
        # Too short to carry a country code: left alone for the validator to judge.
        ("843456789", "843456789"),
    ],
)
def test_normalise_phone(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Số điện thoại không được để trống."),
        ("+1 202 555 0100", r"mã nước \+84"),
        ("0912 345 67a", "chỉ được gồm chữ số"),
        ("09123/45678", "chỉ được gồm chữ số"),
    ],
)
def test_normalise_phone_refuses(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        normalise_phone(raw)
    assert info.value.field == "phone"


@pytest.mark.parametrize(
    "raw",
    ["0321234567", "0521234567", "0701234567", "0812345678", "0987654321", "+84 868 123 456"],
)
def test_valid_mobile(raw: str) -> None:
    assert validate_mobile(raw) == normalise_phone(raw)


@pytest.mark.parametrize(
    "raw", ["0212345678", "0412345678", "0612345678", "091234567", "09123456789", "02053812345"]
)
def test_invalid_mobile(raw: str) -> None:
    with pytest.raises(ValidationError, match="di động phải gồm 10 chữ số"):
        validate_mobile(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0205 3812 345", "02053812345"),
        ("024 3825 1234", "02438251234"),
        ("+84 28 3829 5555", "02838295555"),
    ],
)
def test_valid_landline(raw: str, expected: str) -> None:
    assert validate_landline(raw) == expected


@pytest.mark.parametrize("raw", ["0205381234", "020538123456", "0912345678", "03053812345"])
def test_invalid_landline(raw: str) -> None:
    with pytest.raises(ValidationError, match="cố định phải gồm 11 chữ số"):
        validate_landline(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0912.345.678", "0912345678"), ("0205 3812 345", "02053812345")],
)
def test_validate_phone_accepts_either(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize("raw", ["0112345678", "02053812", "091234567890"])
def test_validate_phone_refuses(raw: str) -> None:
    with pytest.raises(ValidationError, match="Số điện thoại không hợp lệ"):
        validate_phone(raw)


@pytest.mark.parametrize(
    ("normalised", "expected"),
    [
        ("0912345678", "0912 345 678"),
        ("02053812345", "0205 3812 345"),
        ("02438251234", "024 3825 1234"),
        ("02838295555", "028 3829 5555"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_format_phone(normalised: str, expected: str) -> None:
    assert format_phone(normalised) == expected


mobiles = st.builds(
    lambda prefix, rest: f"0{prefix}{rest}",
    st.sampled_from("35789"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@st.composite
def formatted_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A valid mobile number and the same number as a person might type it."""
    number = draw(mobiles)
    national = number[1:]
    head = draw(st.sampled_from(["0", "+84", "84", "0084", "+84 ", "+84 (0) ", "(+84) "]))
    separators = draw(st.lists(st.sampled_from(["", " ", ".", "-"]), min_size=9, max_size=9))
    body = "".join(d + sep for d, sep in zip(national, separators, strict=True))
    padding = draw(st.sampled_from(["", " ", "  "]))
    return number, f"{padding}{head}{body}{padding}"


@given(formatted_mobiles())
def test_normalise_phone_round_trips_formatted_mobile(case: tuple[str, str]) -> None:
    number, typed = case
    assert normalise_phone(typed) == number
    assert validate_mobile(typed) == number
    assert validate_phone(typed) == number
    assert normalise_phone(format_phone(number)) == number


# --- E-mail ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nguyen.van.a@gmail.com", "nguyen.van.a@gmail.com"),
        ("  Nguyen.Van.A@LangSon.GOV.VN ", "Nguyen.Van.A@langson.gov.vn"),
        ("a+b@example.co", "a+b@example.co"),
    ],
)
def test_valid_email(raw: str, expected: str) -> None:
    assert validate_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "nguyenvana",
        "nguyen@van@a.com",
        "@example.com",
        "a@example",
        "a@.example.com",
        "a@example.com.",
        "a@example..com",
        "a b@example.com",
        "a@exa mple.com",
        "a" * 65 + "@example.com",
    ],
)
def test_invalid_email(raw: str) -> None:
    with pytest.raises(ValidationError, match="Địa chỉ thư điện tử không hợp lệ") as info:
        validate_email(raw)
    assert info.value.field == "email"


def test_email_empty() -> None:
    with pytest.raises(ValidationError, match="không được để trống"):
        validate_email("   ")


def test_an_organisation_is_told_by_its_tax_code() -> None:
    from desk_app.domain.people import is_organisation, organisation_by_number

    assert is_organisation("tax_code") and not is_organisation("cccd")
    assert not is_organisation(None)
    assert organisation_by_number(" 4900123456-001 ")
    assert not organisation_by_number("020185001234")
    assert not organisation_by_number("")
    assert not organisation_by_number(None)
