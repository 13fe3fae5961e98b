"""Logging without personal data: tracebacks keep their frames, exception texts are reduced to
what names code, never the values a person typed (Decree 13/2023/NĐ-CP)."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from sqlalchemy.exc import StatementError

from desk_app.domain.text import escape_controls
from desk_app.errors import DeskError

# Exceptions whose text describes code (a missing attribute, a wrong argument type), not data.
_CODE_MESSAGES: tuple[type[BaseException], ...] = (
    AttributeError,
    ImportError,
    NameError,
    NotImplementedError,
    RecursionError,
    TypeError,
)
_CHAIN_LIMIT = 10

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def exception_summary(exc: BaseException) -> str:
    """One line that says what failed without any value it failed on.

    A database error keeps the driver's own text ("UNIQUE constraint failed: files.code",
    "database is locked"), which names tables and columns; its statement parameters (the
    applicant's name, number, phone, address) are dropped, whatever `hide_parameters` says.
    """
    name = type(exc).__qualname__
    if isinstance(exc, DeskError):
        return f"{name} [{exc.code}]"
    if isinstance(exc, StatementError):
        orig = exc.orig
        if orig is None:
            return f"{name} (statement parameters hidden)"
        return f"{name}: ({type(orig).__qualname__}) {orig} (statement parameters hidden)"
    if isinstance(exc, OSError):
        # The file name may be made from a person's name; errno and its words are enough.
        return f"{name}: [Errno {exc.errno}] {exc.strerror}"
    if isinstance(exc, _CODE_MESSAGES):
        return f"{name}: {exc}"
    text = str(exc)
    return f"{name} (message of {len(text)} characters hidden)" if text else name


def scrubbed_traceback(exc: BaseException) -> str:
    """The traceback of `exc` and its causes (file, line, function, source line) with each
    exception's text replaced by `exception_summary`; no locals, no argument values."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < _CHAIN_LIMIT:
        seen.add(id(current))
        block = ""
        if current.__traceback__ is not None:
            block = "Traceback (most recent call last):\n" + "".join(
                traceback.format_tb(current.__traceback__)
            )
        parts.append(block + exception_summary(current))
        if current.__cause__ is not None:
            parts.append("The above exception was the direct cause of the following exception:")
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            parts.append("During handling of the above exception, another exception occurred:")
            current = current.__context__
        else:
            current = None
    # Printed with the most recent exception last, like Python does.
    return escape_controls("\n\n".join(reversed(parts)).rstrip("\n"))


class ScrubbingFormatter(logging.Formatter):
    """A formatter for the desk's log: exceptions go through `scrubbed_traceback`, and every
    line has its control characters escaped (a name cannot rewrite the terminal it is read in)."""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches a record's traceback text in `exc_text`; another handler (a test's
        # capture, a library's) may have cached the unscrubbed one first, so never reuse it.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:  # noqa: N802
        exc = ei[1]
        return "" if exc is None else scrubbed_traceback(exc)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        return escape_controls(super().formatMessage(record))


__all__ = ["ScrubbingFormatter", "exception_summary", "scrubbed_traceback"]
