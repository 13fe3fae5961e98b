"""Column types: moments and dates as sortable ISO text, decimals as exact text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"


class Moment(TypeDecorator[datetime]):
    """A naive local wall-clock moment stored as 'YYYY-MM-DD HH:MM:SS' (sorts as text)."""

    impl = String(19)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return value.replace(microsecond=0).strftime(MOMENT_FORMAT)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.strptime(str(value), MOMENT_FORMAT)


class Day(TypeDecorator[date]):
    """A calendar date stored as 'YYYY-MM-DD'."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(str(value))


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal stored as its exact text (SQLite has no decimal type)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


def parse_moment(value: str) -> datetime:
    """A stored moment's text back as a moment."""
    return datetime.strptime(value, MOMENT_FORMAT)


def moment_text(value: datetime) -> str:
    """The stored text of a moment, for raw SQL comparisons."""
    return value.replace(microsecond=0).strftime(MOMENT_FORMAT)
