"""domain.text.sort_key: Vietnamese dictionary order (letters, then tones), hand-ordered lists."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.text import sort_key


@pytest.mark.parametrize(
    "ordered",
    [
        # D before Đ whatever follows; a bare vowel before its toned forms.
        ["Anh", "Ánh", "Dương", "Đặng"],
        # The six tones: none, huyền, hỏi, ngã, sắc, nặng.
        ["ma", "mà", "mả", "mã", "má", "mạ"],
        # The vowels with marks after their base letter, each a letter of its own.
        ["an", "ăn", "ân", "bà"],
        ["oa", "ôm", "ơn", "pha"],
        ["uyên", "ưng", "vân"],
        ["dung", "duy", "đa", "đào", "đặng"],
        # Word by word: every "anh …" before "ành"; a shorter name first.
        ["Anh", "Anh Thư", "Ành"],
        ["Nguyễn Thị Lan", "Nguyễn Văn An", "Phạm Văn Đồng", "Vi Đức Thắng"],
        # Case is no letter; digits before letters.
        ["1 Tiếp nhận", "bình", "Bình An", "Trả kết quả"],
    ],
)
def test_lists_in_vietnamese_order(ordered: list[str]) -> None:
    for shuffled in (list(reversed(ordered)), ordered[1::2] + ordered[::2]):
        assert sorted(shuffled, key=sort_key) == ordered


def test_plain_text_order_is_not_vietnamese_order() -> None:
    # What sorting by the text itself gives: Đ (U+0110) after every Latin letter, Á before…
    names = ["Đặng", "Dương", "Ánh", "Anh", "Bình"]
    assert sorted(names) == ["Anh", "Bình", "Dương", "Ánh", "Đặng"]
    assert sorted(names, key=sort_key) == ["Anh", "Ánh", "Bình", "Dương", "Đặng"]


def test_the_legacy_eth_sorts_as_d_stroke() -> None:
    assert sort_key("Ðặng")[0] == sort_key("Đặng")[0]


@given(st.text(max_size=20))
def test_composed_and_decomposed_text_have_the_same_key(s: str) -> None:
    assert sort_key(unicodedata.normalize("NFD", s)) == sort_key(unicodedata.normalize("NFC", s))
