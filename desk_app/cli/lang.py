"""The command line's language: Vietnamese by default, English on request.

Everything the command line says goes through one catalogue: `tr("Vietnamese text {field}",
field=value)` returns the Vietnamese source text, or its English entry in `catalogue_en.ENGLISH`
when the command runs in English. Names that live elsewhere (statuses, queues, events, slips,
post outcomes) come from their own tables through `named`. argparse's own words (usage,
headings, its errors) are English in argparse and turned Vietnamese by `ARGPARSE_VI`.

The language: `--lang vi|en` before the command, else the DESK_LANG environment variable, else
the window's language on this machine (`[ui] language` in the per-machine preferences,
desk.ini, which the window's Settings writes), else Vietnamese.
"""

from __future__ import annotations

import configparser
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import platformdirs

from desk_app.cli.catalogue_en import ENGLISH

LANGUAGES = ("vi", "en")
DEFAULT = "vi"

# argparse's user-facing words (Python 3.11-3.13 msgids, `gettext` keys). Messages a user never
# sees (a programming mistake in building the parser) stay as argparse writes them.
ARGPARSE_VI: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện phiên bản của chương trình rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "not allowed with argument %s": "không được dùng cùng tham số %s",
    "ignored explicit argument %r": "tham số không nhận giá trị %r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn không rõ: %(option)s có thể là %(matches)s"
    ),
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (%(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}

VARIABLE = "DESK_LANG"


def machine_settings_path() -> Path:
    """The window's per-machine preferences (desk_app.ui.prefs.default_prefs_path, read here
    without Qt: a plain INI file)."""
    return Path(platformdirs.user_config_dir("one-stop-desk", appauthor=False)) / "desk.ini"


def machine_language(path: Path | None = None) -> str | None:
    """The language chosen for the window on this machine, or None (no file, no choice, a file
    that does not read)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path or machine_settings_path(), encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    value = parser.get("ui", "language", fallback="").strip().strip('"').lower()
    return value if value in LANGUAGES else None


def choose(
    argv: Sequence[str], environ: Mapping[str, str], settings_path: Path | None = None
) -> str:
    """The language asked for: the last `--lang X` / `--lang=X` before a command word, else
    DESK_LANG, else the window's language on this machine, else Vietnamese. An unknown value
    falls back to Vietnamese here; argparse then refuses it with its own message."""
    chosen = environ.get(VARIABLE, "").strip().lower()[:2]
    if not chosen:
        chosen = machine_language(settings_path) or DEFAULT
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        if args[i] == "--lang" and i + 1 < len(args):
            chosen = args[i + 1].strip().lower()
        elif args[i].startswith("--lang="):
            chosen = args[i].removeprefix("--lang=").strip().lower()
        # --db and --lang take a value as the next word
        i += 2 if args[i] in ("--db", "--lang") else 1
    return chosen if chosen in LANGUAGES else DEFAULT


def argparse_gettext(language: str, message: str) -> str:
    if language != "vi":
        return message
    return ARGPARSE_VI.get(message, message)  # None (a missing description) passes as it is


def argparse_ngettext(language: str, singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return argparse_gettext(language, chosen)


K = TypeVar("K")

_current = [DEFAULT]


def current() -> str:
    return _current[0]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Run a command in `language`; the previous language afterwards (tests run many commands
    in one process)."""
    saved = _current[0]
    _current[0] = language if language in LANGUAGES else DEFAULT
    try:
        yield
    finally:
        _current[0] = saved


def tr(msgid: str, /, **fields: object) -> str:
    """The catalogue's text for the Vietnamese `msgid` in the current language, its `{field}`
    places filled. The only way a command-line module says something to its user (a test
    checks every literal it prints goes through here, and that every one has its English)."""
    text = ENGLISH.get(msgid, msgid) if _current[0] == "en" else msgid
    return text.format(**fields) if fields else text


def named(key: K, vietnamese: str, english: Mapping[K, str]) -> str:
    """A name kept in its own table (a status, a queue, an event): `vietnamese` (the table's
    own label) or its entry in the `english` table next to it."""
    if _current[0] == "en":
        return english.get(key, vietnamese)
    return vietnamese
