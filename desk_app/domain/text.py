"""Text normalisation: NFC for storage, diacritic- and case-insensitive folding for search."""

from __future__ import annotations

import unicodedata

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


def fold_tokens(s: str) -> list[str]:
    """Return the folded words of `s`, split on whitespace (punctuation stays in the tokens)."""
    return fold(s).split()
