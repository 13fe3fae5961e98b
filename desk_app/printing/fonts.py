"""The serif for the forms: the system's Times New Roman, else the bundled Liberation Serif.

Liberation Serif (SIL OFL 1.1) has the same metrics as Times New Roman, so a form lays out the
same on a desk with Times and on a bare machine without it. Both cover every Vietnamese letter.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desk_app.resources import resource_path

FAMILY = "DeskSerif"
STYLES = ("regular", "bold", "italic", "bolditalic")
# Set to "bundled" to ignore the system's fonts (the tests do, for identical output anywhere).
FONT_ENV = "DESK_FORM_FONT"

_BUNDLED = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
_TIMES_NAMES = {
    "regular": ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf"),
    "bold": ("timesbd.ttf", "Times New Roman Bold.ttf", "Times_New_Roman_Bold.ttf"),
    "italic": ("timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf"),
    "bolditalic": (
        "timesbi.ttf",
        "Times New Roman Bold Italic.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
    ),
}


@dataclass(frozen=True)
class FontChoice:
    name: str  # what the forms draw with: "Times New Roman" or "Liberation Serif"
    files: dict[str, Path]


def _system_font_dirs() -> list[Path]:
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts")]
    else:
        dirs += [
            Path("/usr/share/fonts/truetype/msttcorefonts"),
            Path("/usr/share/fonts/truetype/ttf-ms-fonts"),
            Path.home() / ".fonts",
            Path.home() / ".local/share/fonts",
        ]
    return dirs


def find_times_new_roman() -> dict[str, Path] | None:
    """The four Times New Roman files of the operating system, or None when any is missing."""
    found: dict[str, Path] = {}
    for folder in _system_font_dirs():
        if not folder.is_dir():
            continue
        entries = {p.name.lower(): p for p in folder.iterdir()}
        for style, names in _TIMES_NAMES.items():
            for name in names:
                path = entries.get(name.lower())
                if path is not None and style not in found:
                    found[style] = path
    return found if len(found) == len(STYLES) else None


def choose_font() -> FontChoice:
    if os.environ.get(FONT_ENV, "").lower() != "bundled":
        times = find_times_new_roman()
        if times is not None:
            return FontChoice("Times New Roman", times)
    return FontChoice(
        "Liberation Serif", {s: resource_path("fonts", f) for s, f in _BUNDLED.items()}
    )


@cache
def register_fonts() -> FontChoice:
    """Register the family once per process under FAMILY ("DeskSerif", "DeskSerif-Bold", …)."""
    choice = choose_font()
    names = {
        "regular": FAMILY,
        "bold": f"{FAMILY}-Bold",
        "italic": f"{FAMILY}-Italic",
        "bolditalic": f"{FAMILY}-BoldItalic",
    }
    for style, font_name in names.items():
        pdfmetrics.registerFont(TTFont(font_name, str(choice.files[style])))
    addMapping(FAMILY, 0, 0, names["regular"])
    addMapping(FAMILY, 1, 0, names["bold"])
    addMapping(FAMILY, 0, 1, names["italic"])
    addMapping(FAMILY, 1, 1, names["bolditalic"])
    return choice


def missing_glyphs(text: str, style: str = "regular") -> set[str]:
    """Characters of `text` (after NFC) that the chosen font cannot draw."""
    register_fonts()
    name = {"regular": FAMILY}.get(style, f"{FAMILY}-{style.capitalize()}")
    if style == "bolditalic":
        name = f"{FAMILY}-BoldItalic"
    font = pdfmetrics.getFont(name)
    cmap = font.face.charToGlyph  # type: ignore[attr-defined]
    return {c for c in unicodedata.normalize("NFC", text) if c.isprintable() and ord(c) not in cmap}
