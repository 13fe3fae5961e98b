"""The wire format of protocol.py as pydantic models (checked strictly: no extra keys anywhere)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt

from desk_app.domain.statistics import STAT_KEYS
from desk_app.sync.protocol import COUNT_KEYS


def _int_not_bool(value: object) -> object:
    # JSON true would otherwise pass as 1.
    if isinstance(value, bool):
        raise ValueError("must be an integer")
    return value


# The days a desk can have worked: nothing before the program's time, nothing from a clock that
# ran away. Fixed rather than from the department's clock, so that a department whose clock is
# behind still takes today's summaries.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# The revision columns are INTEGER: 64 bits on SQLite but 32 on PostgreSQL, where a larger number
# would fail in the database (500) instead of here (422).
REVISION_MAX = 2**31 - 1


def _iso_day(value: object) -> object:
    # A bare ISO date only: lax pydantic would also take a Unix time number or a date-time.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be an ISO date YYYY-MM-DD")
    return date.fromisoformat(value)


def check_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY}")
    return value


Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(check_day)]
ShortText = Annotated[str, Field(max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountsIn(_Strict):
    """The base numbers of one procedure on one day (DOMAIN §9); totals are derived."""

    received_online: Count
    received_direct_postal: Count
    carried_over: Count
    settled_early: Count
    settled_on_time: Count
    settled_late: Count
    open_in_time: Count
    open_overdue: Count
    withdrawn: Count
    stopped: Count
    postal_received: Count
    postal_sent: Count
    postal_delivered: Count
    postal_returned: Count


class DeskIn(_Strict):
    agency_id: Annotated[str, Field(max_length=64)]
    agency_name: ShortText
    unit_name: ShortText
    software: Annotated[str, Field(max_length=64)]


class DigitisingIn(_Strict):
    """Digitising of the day's files (desk_app/sync/summary.py DigitisingCounts); sent only
    by desks that digitise, and only on days with something to count."""

    files_digitised: Count
    lines_digitised: Count
    online: Count
    shown_only: Count
    produced_in_processing: Count
    confidential: Count
    results_digitised: Count


class RatingsIn(_Strict):
    """The applicants' ratings given on the day, by level (desk_app/sync/summary.py
    RatingsOnDay): counts only; sent only on days with ratings."""

    very_satisfied: Count
    satisfied: Count
    dissatisfied: Count


class RowIn(_Strict):
    procedure: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=1000)]
    field: ShortText
    counts: CountsIn
    digitising: DigitisingIn | None = None
    ratings: RatingsIn | None = None


class SummaryIn(_Strict):
    """One desk's day: ``POST /api/v1/summaries`` (see desk_app/sync/protocol.py)."""

    protocol: Annotated[Literal[1], BeforeValidator(_int_not_bool)]
    day: Day
    revision: Annotated[StrictInt, Field(ge=1, le=REVISION_MAX)]
    desk: DeskIn
    rows: Annotated[list[RowIn], Field(max_length=10_000)]


def _moment(value: object) -> object:
    # A local moment 'YYYY-MM-DDTHH:MM' (or with seconds), no zone, or null.
    if value is None or isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not 16 <= len(value) <= 19:
        raise ValueError("must be an ISO moment YYYY-MM-DDTHH:MM")
    return datetime.fromisoformat(value)


Moment = Annotated[datetime | None, BeforeValidator(_moment)]


class LookupRowIn(_Strict):
    """One file's look-up row (protocol.LOOKUP_KEYS): never a name, number, phone or address."""

    code: Annotated[str, Field(min_length=1, max_length=40)]
    procedure: Annotated[str, Field(max_length=64)]
    procedure_name: Annotated[str, Field(max_length=1000)]
    status: Annotated[StrictInt, Field(ge=1, le=10)]
    due: Moment
    settled: Moment
    result_ready: bool
    result_by: Literal["counter", "post"]
    key_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class LookupIn(_Strict):
    protocol: Literal[1]
    rows: Annotated[list[LookupRowIn], Field(max_length=1000)]


class LookupReceiptOut(BaseModel):
    receipt_id: str
    stored: int


class ReceiptOut(BaseModel):
    receipt_id: str
    day: date
    revision: int
    state: Literal["stored", "duplicate", "superseded"]


class StatsOut(BaseModel):
    """One row of Biểu 06: the base numbers and their totals."""

    received_total: int
    received_online: int
    received_direct_postal: int
    carried_over: int
    settled_total: int
    settled_early: int
    settled_on_time: int
    settled_late: int
    open_total: int
    open_in_time: int
    open_overdue: int
    withdrawn: int
    stopped: int
    postal_received: int
    postal_sent: int
    postal_delivered: int
    postal_returned: int


RowT = TypeVar("RowT", bound=BaseModel)
TotalT = TypeVar("TotalT", bound=BaseModel)


class PeriodReportOut(BaseModel, Generic[RowT, TotalT]):
    """A period's figures by group (field of work or procedure) and their total."""

    model_config = ConfigDict(populate_by_name=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    by: Literal["field", "procedure"]
    rows: list[RowT]
    total: TotalT


class ReportRowOut(StatsOut):
    group: str = Field(description="field of work, or procedure code")
    label: str = Field(description="field of work, or procedure name")


class ReportOut(PeriodReportOut[ReportRowOut, StatsOut]):
    """The same shape as the desk's ``report --format json``."""


class RatingsOut(BaseModel):
    """Ratings by level, and how many were given (their sum)."""

    very_satisfied: int
    satisfied: int
    dissatisfied: int
    rated: int


class RatingsRowOut(RatingsOut):
    group: str = Field(description="field of work, or procedure code")
    label: str = Field(description="field of work, or procedure name")


class RatingsReportOut(PeriodReportOut[RatingsRowOut, RatingsOut]):
    """``GET /api/v1/ratings``: the applicants' ratings given in the period, counts only."""


class DeskOut(BaseModel):
    name: str
    last_contact_at: str | None = Field(description="local time of the department, ISO 8601")
    software: str
    agency_id: str
    agency_name: str
    unit_name: str
    last_day: date | None = Field(description="the latest day received")
    days: int = Field(description="how many days have been received")
    revoked_at: str | None = Field(
        description="when its token was revoked (local time, ISO 8601); null: it can call"
    )


class ErrorOut(BaseModel):
    detail: str


# The models above spell the protocol's keys out for a readable OpenAPI document; a key added
# to the protocol must be added here too.
if tuple(CountsIn.model_fields) != COUNT_KEYS:
    raise RuntimeError("CountsIn does not match COUNT_KEYS")
if tuple(StatsOut.model_fields) != STAT_KEYS:
    raise RuntimeError("StatsOut does not match STAT_KEYS")
