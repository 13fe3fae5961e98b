"""Text normalisation: NFC for storage, diacritic- and case-insensitive folding for search."""

from __future__ import annotations

import unicodedata

from desk_app.errors import ValidationError

# Vietnamese đ has no Unicode decomposition, so stripping combining marks leaves it alone. Text
# converted from legacy encodings (TCVN3, VNI) sometimes carries the look-alike Icelandic eth
# (Ð U+00D0 / ð U+00F0) instead of Đ U+0110; fold it the same way so such names stay findable.
_D_TRANSLATION = str.maketrans({"đ": "d", "ð": "d"})


def nfc(s: str) -> str:
    """Return `s` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", s).strip()


def clean_name(s: str) -> str:
    """Return a person's or organisation's name ready to store: NFC, single spaces, trimmed.

    Case and spelling are kept exactly as typed: the name is a legal record, not a search key.
    """
    return " ".join(unicodedata.normalize("NFC", s).split())


def _strip_marks(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(s: str) -> str:
    """Return the search key of `s`: lower case, no diacritics, `đ` → `d`, single spaces.

    `fold("Đặng Thị Ánh") == "dang thi anh"`; composed and decomposed input fold alike.
    """
    folded = unicodedata.normalize("NFC", s).lower().translate(_D_TRANSLATION)
    return " ".join(_strip_marks(folded).split())


# Vietnamese dictionary order: the letters with their vowel marks (ă â đ ê ô ơ ư) each after
# their base letter, the Latin letters Vietnamese does not use (f j w z) where the Latin alphabet
# has them; then, between words spelt alike, the tones: none, huyền, hỏi, ngã, sắc, nặng.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_LETTERS)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_ETH = str.maketrans({"ð": "đ"})  # the look-alike of legacy encodings, as in `fold`

WordKey = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]
SortKey = tuple[tuple[WordKey, ...], str]


def _word_key(word: str) -> WordKey:
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for ch in word:
        tone = 0
        base = []
        for part in unicodedata.normalize("NFD", ch):
            if part in _TONE_RANK:
                tone = _TONE_RANK[part]
            else:
                base.append(part)
        letter = unicodedata.normalize("NFC", "".join(base)).lower().translate(_ETH)
        if not letter:
            continue  # a stray tone mark on nothing
        if letter in _LETTER_RANK:
            letters.append((2, _LETTER_RANK[letter]))
        elif letter.isdigit():
            letters.append((1, ord(letter)))
        elif letter.isalpha():
            letters.append((3, ord(_strip_marks(letter)[:1] or letter)))
        else:
            letters.append((0, ord(letter[0])))  # punctuation before digits and letters
        tones.append(tone)
    return tuple(letters), tuple(tones)


def sort_key(s: str) -> SortKey:
    """The key that orders Vietnamese text as a dictionary does, word by word: by letters (a ă
    â b c d đ e ê …, case aside), then by tones; exact ties by the NFC text itself.

    `sorted(["Đặng", "Dương", "Ánh", "Anh"], key=sort_key) == ["Anh", "Ánh", "Dương", "Đặng"]`.
    """
    text = unicodedata.normalize("NFC", s)
    return tuple(_word_key(word) for word in text.split()), text


def fold_tokens(s: str) -> list[str]:
    """Return the folded words of `s`, split on whitespace (punctuation stays in the tokens)."""
    return fold(s).split()


# --- what may be stored, and how it is shown -----------------------------------------------------

# Bidirectional embedding, override and isolate controls: they reorder what a reader sees (a name
# or a file code displayed backwards) without being visible themselves.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(ch: str) -> bool:
    """A character that is not text: C0/C1 controls, surrogates, line/paragraph separators,
    bidi controls and Unicode noncharacters (none of them may appear in an XLSX or XML file)."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    if ch in _BIDI_CONTROLS or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
        return True
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_text(value: str, *, field: str, label: str, limit: int, multiline: bool = False) -> str:
    """`value` trimmed (line breaks unified to LF when `multiline`), or ValidationError naming
    `label` when it is longer than `limit` characters or holds a control character.

    Tab and line feed are text only in a `multiline` field (address, notes, reasons); every
    other control character is refused everywhere. Blank is allowed: required-ness is the
    caller's rule. Length is checked first so a huge paste costs no more than counting it.
    """
    text = value.strip()
    length = len(text)
    if limit < length <= 4 * limit:
        # Decomposed Vietnamese (NFD) takes up to three code points a letter; it is stored NFC.
        length = len(unicodedata.normalize("NFC", text))
    if length > limit:
        raise ValidationError(
            f"{label} không được dài quá {_count(limit)} ký tự (đã nhập {_count(length)} ký tự).",
            field=field,
        )
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in text:
        if ch in "\t\n\r":
            if multiline:
                continue
            raise ValidationError(
                f"{label} phải viết trên một dòng, không có ký tự xuống dòng hoặc tab.",
                field=field,
            )
        if _is_control(ch):
            raise ValidationError(
                f"{label} chứa ký tự điều khiển không in được (mã U+{ord(ch):04X}); "
                "hãy xóa ký tự đó rồi nhập lại.",
                field=field,
            )
    return text


def escape_controls(s: str, *, keep: str = "\n\t") -> str:
    """`s` with every control character (see `check_text`) written as a visible escape
    (`\\x1b`, `\\u202e`), except those in `keep`: what a terminal, a log or a spreadsheet shows
    cannot move the cursor, change colours or reorder the line."""
    if not any(_is_control(ch) and ch not in keep for ch in s):
        return s
    out: list[str] = []
    for ch in s:
        if _is_control(ch) and ch not in keep:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
