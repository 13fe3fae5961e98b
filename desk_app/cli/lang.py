"""The command line's language: Vietnamese by default, English on request; argparse's own words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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

# The prefix of a one-line user mistake, by language (argparse's and the commands' own).
ERROR_PREFIX = {"vi": "Lỗi", "en": "error"}


def choose(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language asked for: the last `--lang X` / `--lang=X` before a command word, else
    DESK_LANG, else Vietnamese. An unknown value falls back to Vietnamese here; argparse then
    refuses it with its own message."""
    chosen = environ.get("DESK_LANG", "").strip().lower()[:2]
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
