"""Argument parsing and dispatch of the admin command line; user mistakes exit with one line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, TextIO

from desk_app import __version__
from desk_app.cli import (
    agency_commands,
    db_commands,
    department_commands,
    desk_commands,
    file_commands,
    lan_commands,
    lang,
    mail_commands,
    post_commands,
    print_commands,
    report_commands,
    sync_commands,
    ticket_commands,
)
from desk_app.cli.common import close_databases, database_target
from desk_app.cli.environment import environment_message
from desk_app.cli.lang import tr
from desk_app.domain.text import escape_controls
from desk_app.errors import DeskError

Handler = Callable[[argparse.Namespace], int]


class TerminalSafe:
    """A text stream that writes control characters escaped (ESC as `\\x1b`): a name or a note
    printed by a command cannot move the cursor, change colours or clear the screen. Line
    feeds, tabs and CRLF line ends pass as they are; everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write("\r\n".join(escape_controls(part) for part in text.split("\r\n")))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Parser(argparse.ArgumentParser):
    """argparse whose one-line mistakes start like the commands' own (`Lỗi:`, `error:`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, tr("Lỗi: {message}", message=message) + "\n")


@contextmanager
def _argparse_language(language: str) -> Iterator[None]:
    """argparse's own words (usage, headings, errors) in `language` while the parser is built
    and used: argparse looks up `_` and `ngettext` in its module at each use. The only place
    that touches argparse's module, restored afterwards (tests run many commands in one
    process)."""
    module = vars(argparse)
    saved = {name: module[name] for name in ("_", "ngettext")}
    module["_"] = partial(lang.argparse_gettext, language)
    module["ngettext"] = partial(lang.argparse_ngettext, language)
    try:
        yield
    finally:
        module.update(saved)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
        description=tr(
            "Bộ phận Một cửa: dòng lệnh quản trị (không có lệnh: mở cửa sổ chương trình)."
        ),
    )
    parser.add_argument(
        "--db",
        type=database_target,
        help=tr("tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng)"),
    )
    parser.add_argument(
        "--lang",
        choices=lang.LANGUAGES,
        help=tr(
            "ngôn ngữ của dòng lệnh: vi (mặc định) hoặc en; nếu không ghi: biến môi trường "
            "{variable}, rồi ngôn ngữ đã chọn cho cửa sổ trên máy này",
            variable=lang.VARIABLE,
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{tr('Bộ phận Một cửa')} {__version__}",
        help=lang.argparse_gettext(lang.current(), "show program's version number and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar=tr("<lệnh>"), parser_class=_Parser)
    desk_commands.register(sub)
    agency_commands.register(sub)
    file_commands.register(sub)
    print_commands.register(sub)
    post_commands.register(sub)
    report_commands.register(sub)
    ticket_commands.register(sub)
    sync_commands.register(sub)
    mail_commands.register(sub)
    department_commands.register(sub)
    lan_commands.register(sub)
    db_commands.register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    language = lang.choose(argv, os.environ)
    # A handler may print a parser's help (`department` alone): argparse speaks throughout.
    with lang.speaking(language), _argparse_language(language):
        parser = build_parser()
        args = parser.parse_args(list(argv))
        if getattr(args, "handler", None) is None:
            parser.print_help()
            return 0
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    handler: Handler = args.handler
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(stdout), TerminalSafe(stderr)
    try:
        return handler(args)
    except DeskError as exc:
        print(tr("Lỗi: {message}", message=exc.message), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(tr("Đã hủy."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        message = environment_message(exc)
        if message is None:
            raise  # a bug: the traceback is wanted
        print(tr("Lỗi: {message}", message=message), file=sys.stderr)
        return 2
    finally:
        close_databases(args)
        sys.stdout, sys.stderr = stdout, stderr
