"""check_text (control characters, length limits) and escape_controls: what may be stored and
how the rest is shown."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain import limits
from desk_app.domain.text import check_text, escape_controls
from desk_app.errors import ValidationError

HOSTILE = [
    "\x1b[2J\x1b[31mNguyễn Văn A",  # clear screen, red
    "Nguyễn\x00Văn A",
    "Lê Thị\x07 B",  # bell
    "Trần \x9b31m C",  # C1 CSI
    "\u202eA nêyugN",  # right-to-left override
    "Phạm \ud800 D",  # lone surrogate: cannot even be written as UTF-8
    "Hồ \ufffe E",  # noncharacter: illegal in XML
]


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_with_the_field_and_its_label(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_text(text, field="applicant_name", label="Họ và tên", limit=300)
    assert caught.value.field == "applicant_name"
    assert caught.value.message.startswith("Họ và tên chứa ký tự điều khiển")


@pytest.mark.parametrize("text", ["Nguyễn\nVăn A", "Nguyễn\tVăn A", "Nguyễn\r\nVăn A"])
def test_line_breaks_and_tabs_only_where_text_may_span_lines(text: str) -> None:
    with pytest.raises(ValidationError, match="một dòng"):
        check_text(text, field="name", label="Họ và tên", limit=300)
    kept = check_text(text, field="address", label="Địa chỉ", limit=2000, multiline=True)
    assert "\r" not in kept and kept.replace("\n", " ").replace("\t", " ") == "Nguyễn Văn A"


def test_the_limit_names_the_field_and_both_lengths() -> None:
    with pytest.raises(ValidationError) as caught:
        check_text("A" * 301, field="applicant_name", label="Họ và tên", limit=300)
    assert caught.value.message == ("Họ và tên không được dài quá 300 ký tự (đã nhập 301 ký tự).")
    assert check_text("  " + "A" * 300 + "  ", field="n", label="n", limit=300) == "A" * 300


def test_decomposed_vietnamese_is_measured_as_stored() -> None:
    decomposed = unicodedata.normalize("NFD", "Ánh" * 100)  # composed: 300 characters
    assert len(decomposed) > 300
    assert check_text(decomposed, field="n", label="n", limit=300) == decomposed


def test_a_ten_megabyte_name_is_refused_at_once() -> None:
    huge = "Nguyễn Văn A " * 800_000  # about 10 MB
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=r"\(đã nhập 10\.399\.999 ký tự\)"):
        check_text(huge, field="applicant_name", label="Họ và tên", limit=limits.PERSON_NAME)
    assert time.perf_counter() - started < 0.5


@given(st.text())
def test_whatever_passes_is_free_of_controls(text: str) -> None:
    try:
        kept = check_text(text, field="f", label="f", limit=10_000, multiline=True)
    except ValidationError:
        return
    assert escape_controls(kept) == kept
    kept.encode("utf-8")  # raises on a lone surrogate


@given(st.text())
def test_escaped_text_has_no_control_left_and_keeps_the_rest(text: str) -> None:
    shown = escape_controls(text)
    assert not any(_control(ch) for ch in shown)
    if not any(_control(ch) for ch in text):
        assert shown == text


def _control(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 0x20 and ch not in "\n\t")
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
    )


def test_escapes_are_visible() -> None:
    assert escape_controls("\x1b[31mA\u202eB\tC\nD") == "\\x1b[31mA\\u202eB\tC\nD"
    assert escape_controls("a\tb", keep="") == "a\\x09b"
