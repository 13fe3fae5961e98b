"""No missing glyphs: every character the forms can print is in the chosen font."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

from desk_app.printing import fonts
from desk_app.printing.formset import FORMS, available_form_sets, load_form_set
from desk_app.services.demo_people import FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, WARDS

PRINTING = Path(fonts.__file__).parent

# Every vowel with every tone, in both cases, plus đ/Đ: the whole Vietnamese alphabet.
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
ALPHABET = (
    "".join(unicodedata.normalize("NFC", v + t) for v in VOWELS + VOWELS.upper() for t in TONES)
    + "đĐ"
)
SAMPLE_NAMES = [
    "Đặng Thị Ánh",
    "Nguyễn Văn Bình",
    "Lương Thị Thu",
    "Vi Đức Thắng",
    "Hoàng Thị Hằng",
    "Nông Văn Quyết",
    "Triệu Thị Huyền",
    "Lục Văn Ưởng",
    "Phùng Thị Nguyệt",
    "Lò Thị Xuyến",
    "Đoàn Ngọc Ẩn",
    "Bế Thị Ỷ",
    "Chu Văn Ỹ",
    "Hứa Thị Ợi",
]


def _string_literals() -> str:
    """Every string literal of the printing code: the fixed text of the forms."""
    parts = []
    for path in sorted(PRINTING.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                parts.append(node.value)
    return "\n".join(parts)


def _form_set_text() -> str:
    out = []
    for name in available_form_sets():
        fs = load_form_set(name)
        for form in FORMS:
            text = fs[form]
            out += [text.number, text.title, text.legal_basis]
    return "\n".join(out)


@pytest.mark.parametrize("style", fonts.STYLES)
def test_the_whole_alphabet_and_sample_names_are_in_the_font(style: str) -> None:
    text = (
        ALPHABET
        + " ".join(SAMPLE_NAMES)
        + " ".join(FAMILY + MIDDLE_FEMALE + GIVEN_FEMALE + GIVEN_MALE + list(WARDS))
    )
    assert fonts.missing_glyphs(text, style) == set()


@pytest.mark.parametrize("style", fonts.STYLES)
def test_every_fixed_text_of_the_forms_is_in_the_font(style: str) -> None:
    text = _string_literals() + _form_set_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert fonts.missing_glyphs(text, style) == set()


def test_a_missing_glyph_is_reported() -> None:
    # A character no serif of this kind carries: the check itself must be able to fail.
    assert fonts.missing_glyphs("Đặng \u2f00", "regular") == {"\u2f00"}


def test_the_bundled_font_is_chosen_without_times_new_roman(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "find_times_new_roman", lambda: None)
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    choice = fonts.choose_font()
    assert choice.name == "Liberation Serif"
    assert all(p.is_file() for p in choice.files.values())


def test_times_new_roman_is_preferred_when_the_system_has_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = {s: tmp_path / f"{s}.ttf" for s in fonts.STYLES}
    monkeypatch.setattr(fonts, "find_times_new_roman", lambda: fake)
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    assert fonts.choose_font() == fonts.FontChoice("Times New Roman", fake)
    monkeypatch.setenv(fonts.FONT_ENV, "bundled")
    assert fonts.choose_font().name == "Liberation Serif"


def test_times_new_roman_files_are_found_in_a_windows_fonts_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("TIMES.TTF", "timesbd.ttf", "timesi.ttf"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(fonts, "_system_font_dirs", lambda: [tmp_path])
    assert fonts.find_times_new_roman() is None  # bold italic is missing: not usable
    (tmp_path / "timesbi.ttf").write_bytes(b"")
    found = fonts.find_times_new_roman()
    assert found is not None
    assert found["regular"].name == "TIMES.TTF"
    assert found["bolditalic"].name == "timesbi.ttf"
