"""Tests for desk_app.domain.text: NFC storage form and search folding."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.text import clean_name, fold, fold_tokens, nfc


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# Vietnamese syllables with their folded form, chosen to cover every tone mark, the letters with
# their own diacritics (ă â ê ô ơ ư đ) and both "oà"/"òa" tone placements.
SYLLABLES: list[tuple[str, str]] = [
    ("Nguyễn", "nguyen"),
    ("Trần", "tran"),
    ("Lê", "le"),
    ("Phạm", "pham"),
    ("Hoàng", "hoang"),
    ("Huỳnh", "huynh"),
    ("Võ", "vo"),
    ("Đặng", "dang"),
    ("Bùi", "bui"),
    ("Đỗ", "do"),
    ("Hồ", "ho"),
    ("Ngô", "ngo"),
    ("Dương", "duong"),
    ("Lý", "ly"),
    ("Thị", "thi"),
    ("Văn", "van"),
    ("Ánh", "anh"),
    ("Hương", "huong"),
    ("Thủy", "thuy"),
    ("Thuỷ", "thuy"),
    ("Hòa", "hoa"),
    ("Hoà", "hoa"),
    ("Quỳnh", "quynh"),
    ("Nguyệt", "nguyet"),
    ("Đức", "duc"),
    ("Khải", "khai"),
    ("Ước", "uoc"),
    ("Tuấn", "tuan"),
    ("Ngọc", "ngoc"),
    ("Hữu", "huu"),
    ("Yến", "yen"),
    ("Ỷ", "y"),
    ("Ơn", "on"),
    ("Ẩn", "an"),
    ("Ắt", "at"),
    ("Ễnh", "enh"),
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đặng Thị Ánh", "dang thi anh"),
        ("dang thi anh", "dang thi anh"),
        ("ĐẶNG THỊ ÁNH", "dang thi anh"),
        ("  Nguyễn   Văn\tA \n", "nguyen van a"),
        ("ĐỖ ĐỨC ĐẠT", "do duc dat"),
        ("Lạng Sơn", "lang son"),
        ("Hòa Bình", "hoa binh"),
        ("Hoà Bình", "hoa binh"),
        ("Trương Ưng Ơn", "truong ung on"),
        ("Bà Rịa - Vũng Tàu", "ba ria - vung tau"),
        ("Nguyễn\u00a0Thị", "nguyen thi"),
        # Eth (U+00D0) from legacy-encoded data looks exactly like Đ.
        ("\u00d0ặng", "dang"),
        ("000.17.22.H56-210531-0001", "000.17.22.h56-210531-0001"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_examples(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_decomposed_input_matches_composed() -> None:
    composed = "Đặng Thị Ánh"
    decomposed = _nfd(composed)
    assert decomposed != composed
    assert fold(decomposed) == "dang thi anh"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đặng Thị Ánh", ["dang", "thi", "anh"]),
        ("  Lê   Văn  ", ["le", "van"]),
        ("", []),
        ("Nguyễn, Lạng Sơn", ["nguyen,", "lang", "son"]),
    ],
)
def test_fold_tokens_examples(raw: str, expected: list[str]) -> None:
    assert fold_tokens(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Đặng Thị Ánh  ", "Đặng Thị Ánh"),
        (_nfd("Đặng Thị Ánh"), "Đặng Thị Ánh"),
        ("nguyễn văn a", "nguyễn văn a"),
        ("  Nguyễn   Văn  ", "Nguyễn   Văn"),
    ],
)
def test_nfc_examples(raw: str, expected: str) -> None:
    assert nfc(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  nguyễn   văn  a ", "nguyễn văn a"),
        ("NGUYỄN VĂN A", "NGUYỄN VĂN A"),
        (_nfd("Đặng Thị Ánh"), "Đặng Thị Ánh"),
        ("Lê\u00a0\u00a0Thị\tHoa", "Lê Thị Hoa"),
        ("", ""),
    ],
)
def test_clean_name_examples(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


def test_clean_name_output_is_nfc() -> None:
    out = clean_name(_nfd("Trương Ưng Ơn"))
    assert out == unicodedata.normalize("NFC", out)
    assert out == "Trương Ưng Ơn"


@given(st.text())
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(st.text())
def test_fold_ignores_normal_form(s: str) -> None:
    assert fold(_nfd(s)) == fold(unicodedata.normalize("NFC", s))


@given(st.text())
def test_fold_output_has_no_marks_or_d_stroke(s: str) -> None:
    out = fold(s)
    assert not any(unicodedata.category(ch) == "Mn" for ch in out)
    assert "đ" not in out
    assert "Đ" not in out
    assert out == out.strip()
    assert "  " not in out


@st.composite
def vietnamese_names(draw: st.DrawFn) -> tuple[str, str]:
    """A name typed in any case, spacing and normal form, with its expected search key."""
    parts = draw(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=5))
    case = draw(st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
    decomposed = draw(st.booleans())
    spaces = draw(
        st.lists(
            st.sampled_from([" ", "  ", "\t", "\u00a0"]),
            min_size=len(parts) + 1,
            max_size=len(parts) + 1,
        )
    )
    typed = spaces[0] + "".join(
        case(word) + gap for (word, _), gap in zip(parts, spaces[1:], strict=True)
    )
    expected = " ".join(ascii_form for _, ascii_form in parts)
    return (_nfd(typed) if decomposed else unicodedata.normalize("NFC", typed)), expected


@given(vietnamese_names())
def test_fold_of_vietnamese_name_is_syllable_wise_ascii(case: tuple[str, str]) -> None:
    typed, expected = case
    assert fold(typed) == expected
    assert fold_tokens(typed) == expected.split()
