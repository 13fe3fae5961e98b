"""The department's HTTP service: FastAPI app receiving summaries and serving the reports."""

from __future__ import annotations

import calendar
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.http import HTTPBase
from pydantic import AfterValidator

from desk_app import __version__
from desk_app.department import service
from desk_app.department.db import DepartmentDb, open_department_db
from desk_app.department.guard import (
    BASIC_CHALLENGE,
    BEARER_CHALLENGE,
    DEFAULT_MAX_BODY,
    MISSING_TOKEN,
    UNKNOWN_TOKEN,
    BodyGuard,
    basic_password,
)
from desk_app.department.page import (
    NOT_FOUND,
    TITLE,
    TOO_MANY,
    DeskSection,
    render_lookup,
    render_page,
)
from desk_app.department.ratelimit import TokenBuckets
from desk_app.department.schemas import (
    FIRST_DAY,
    LAST_DAY,
    DeskOut,
    ErrorOut,
    LookupIn,
    LookupReceiptOut,
    RatingsReportOut,
    ReceiptOut,
    ReportOut,
    SummaryIn,
    check_day,
)
from desk_app.department.service import (
    AccessError,
    Clock,
    ConflictError,
    GroupBy,
    Principal,
    local_now,
)
from desk_app.domain.statistics import StatCounts
from desk_app.errors import DeskError, NotFoundError
from desk_app.sync.protocol import LOOKUP_PATH, REPORT_PATH, SUMMARIES_PATH

DESKS_PATH = "/api/v1/desks"
RATINGS_PATH = "/api/v1/ratings"

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A desk token (sends its own summaries, reads its own numbers) or a viewer "
    "token (reads every desk), as printed by `department add-desk` / `add-viewer`.",
)
# FastAPI's HTTPBasic refuses a user name that is not ASCII, which a browser sends in UTF-8 when
# asked with charset="UTF-8" (a Vietnamese name): the header is decoded here instead.
_basic = HTTPBase(
    scheme="basic",
    auto_error=False,
    scheme_name="browser",
    description="For the HTML page in a browser: any user name, a viewer or desk token as the "
    "password.",
)
# At most this many validation errors in a 422, each location part and message cut short: the
# answer never grows with the input, nor repeats it (FastAPI's default echoes every `input`).
_ERRORS_SHOWN = 10
_LOC_PART_MAX = 40
_MSG_MAX = 160

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "Missing or unknown token"},
    403: {"model": ErrorOut, "description": "The token does not allow this"},
}


def _db(request: Request) -> DepartmentDb:
    db: DepartmentDb = request.app.state.db
    return db


def _principal(db: DepartmentDb, token: str | None, challenge: str) -> Principal:
    if not token:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, MISSING_TOKEN, headers={"WWW-Authenticate": challenge}
        )
    with db.reader.begin() as s:
        caller = service.authenticate(s, token)
    if caller is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, UNKNOWN_TOKEN, headers={"WWW-Authenticate": challenge}
        )
    return caller


def api_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller of an API endpoint, from its bearer token (401 otherwise)."""
    token = credentials.credentials if credentials else None
    return _principal(_db(request), token, BEARER_CHALLENGE)


def page_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    basic: Annotated[HTTPAuthorizationCredentials | None, Depends(_basic)],
) -> Principal:
    """The caller of the HTML page: a browser's Basic password, or a bearer token."""
    token = bearer.credentials if bearer else None
    if token is None and basic is not None and basic.scheme.lower() == "basic":
        token = basic_password(basic.credentials)
    return _principal(_db(request), token, BASIC_CHALLENGE)


Caller = Annotated[Principal, Depends(api_caller)]
# A period's day, as the summaries' days: between FIRST_DAY and LAST_DAY.
PeriodDay = Annotated[date, AfterValidator(check_day)]
# The period and desk of a report endpoint's query (report, ratings).
FirstDay = Annotated[PeriodDay, Query(alias="from", description="first day, YYYY-MM-DD")]
LastDay = Annotated[PeriodDay, Query(alias="to", description="last day (included)")]
DeskName = Annotated[str | None, Query(description="one desk's name (default: all)")]
_PERIOD_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    404: {"model": ErrorOut, "description": "No desk of that name"},
}


def _short_errors(errors: Sequence[Any]) -> list[dict[str, object]]:
    """FastAPI's validation errors without their `input` and `ctx`, a few, each short."""
    out: list[dict[str, object]] = []
    for error in errors[:_ERRORS_SHOWN]:
        loc = error.get("loc", ())
        out.append(
            {
                "loc": [p if isinstance(p, int) else str(p)[:_LOC_PART_MAX] for p in loc[:8]],
                "msg": str(error.get("msg", ""))[:_MSG_MAX],
                "type": str(error.get("type", ""))[:_LOC_PART_MAX],
            }
        )
    return out


def _month_of(today: date) -> tuple[date, date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def create_app(
    db_url: str,
    *,
    now: Clock | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    api_docs: bool = False,
    lookup_limit: TokenBuckets | None = None,
) -> FastAPI:
    """The department's app on the database at `db_url` (SQLAlchemy URL or SQLite file path).

    `now` gives the department's clock (local time) for last contacts; tests may fix it.
    A request body is refused (413) past `max_body` bytes, and before it is read (401) without
    a token the department knows. `api_docs` serves /openapi.json, /docs and /redoc (off: they
    describe the service to whoever asks). `lookup_limit` rations the public look-up page per
    client address (default: 10 at once, then one every 6 seconds).
    """
    clock: Clock = now or local_now
    db = open_department_db(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title=TITLE,
        version=__version__,
        description="Consolidates the day summaries (counts only, no personal data) that the "
        "one-stop desks send, and serves the Biểu 06 statistics of all desks or one. "
        "See docs/department-api.md.",
        lifespan=lifespan,
        openapi_url="/openapi.json" if api_docs else None,
        docs_url="/docs" if api_docs else None,
        redoc_url="/redoc" if api_docs else None,
    )
    app.state.db = db

    def known_token(token: str) -> bool:
        with db.reader.begin() as s:
            return service.authenticate(s, token) is not None

    app.add_middleware(BodyGuard, authenticate=known_token, max_body=max_body)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"detail": _short_errors(exc.errors())},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(DeskError)
    async def _desk_error(_request: Request, exc: DeskError) -> JSONResponse:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        if isinstance(exc, ConflictError):
            code = status.HTTP_409_CONFLICT
        elif isinstance(exc, AccessError):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, NotFoundError):
            code = status.HTTP_404_NOT_FOUND
        return JSONResponse({"detail": exc.message}, status_code=code)

    @app.post(
        SUMMARIES_PATH,
        response_model=ReceiptOut,
        summary="Send one day's summary (one revision)",
        responses={
            **_ERRORS,
            409: {"model": ErrorOut, "description": "This revision was stored with other numbers"},
        },
    )
    def post_summary(body: SummaryIn, caller: Caller) -> JSONResponse:
        """Stores a desk's day. Idempotent per (desk, day, revision): the same revision again
        gets the same receipt (state `duplicate`); a revision lower than the day's current one
        is kept but does not count (`superseded`)."""
        summary = service.SummaryInput(
            day=body.day,
            revision=body.revision,
            desk=service.DeskInfo(**body.desk.model_dump()),
            rows=tuple(
                service.RowInput(
                    procedure=r.procedure,
                    name=r.name,
                    field=r.field,
                    counts=StatCounts(**r.counts.model_dump()),
                    ratings=(
                        service.DayRatings(**r.ratings.model_dump())
                        if r.ratings is not None
                        else service.NO_RATINGS
                    ),
                )
                for r in body.rows
            ),
        )
        with db.writer.begin() as s:
            receipt = service.store_summary(s, caller, summary, now=clock)
        return JSONResponse(receipt.to_json())

    @app.get(
        REPORT_PATH,
        response_model=ReportOut,
        summary="Biểu 06 statistics for a period",
        responses=_PERIOD_ERRORS,
    )
    def get_report(
        caller: Caller,
        start: FirstDay,
        end: LastDay,
        by: GroupBy = GroupBy.FIELD,
        desk: DeskName = None,
    ) -> JSONResponse:
        """The consolidated numbers of all desks (a desk token: its own only) in the shape of
        the desk's `report --format json`, from the current revision of each day."""
        with db.reader.begin() as s:
            report = service.consolidated_report(s, start, end, by, desk_name=desk, caller=caller)
        # Returned as built so that the keys keep the desk's order.
        return JSONResponse(report.to_json())

    @app.get(
        RATINGS_PATH,
        response_model=RatingsReportOut,
        summary="The applicants' ratings for a period, by level",
        responses=_PERIOD_ERRORS,
    )
    def get_ratings(
        caller: Caller,
        start: FirstDay,
        end: LastDay,
        by: GroupBy = GroupBy.FIELD,
        desk: DeskName = None,
    ) -> JSONResponse:
        """The ratings given at all desks (a desk token: its own only) by level, summed over
        the days' current revisions, grouped like the report; counts only."""
        with db.reader.begin() as s:
            found = service.consolidated_ratings(s, start, end, by, desk_name=desk, caller=caller)
        return JSONResponse(found.to_json())

    @app.get(DESKS_PATH, response_model=list[DeskOut], summary="The registered desks")
    def get_desks(caller: Caller) -> JSONResponse:
        """Every desk (a desk token: itself) with its last contact and the days received."""
        with db.reader.begin() as s:
            desks = service.desks_overview(s, caller)
        return JSONResponse([d.to_json() for d in desks])

    @app.get("/", response_class=HTMLResponse, summary="The statistics page for a browser")
    def get_page(
        caller: Annotated[Principal, Depends(page_caller)],
        start: Annotated[date | None, Query(alias="from")] = None,
        end: Annotated[date | None, Query(alias="to")] = None,
    ) -> HTMLResponse:
        """One Biểu 06 table (by field of work) per desk with its last contact, and the total;
        under each, the applicants' ratings of the period by field when there are any."""
        first, last = _month_of(clock().date())
        start = start or first
        end = end or last
        error = None
        if not (FIRST_DAY <= start <= LAST_DAY and FIRST_DAY <= end <= LAST_DAY):
            error = f"Ngày phải trong khoảng {FIRST_DAY:%d/%m/%Y} – {LAST_DAY:%d/%m/%Y}."
        elif end < start:
            error = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
        if error:
            # The form's own mistake is shown on the page, with the dates kept to correct.
            return HTMLResponse(render_page(start, end, [], None, error), status_code=422)
        with db.reader.begin() as s:
            desks = service.desks_overview(s, caller)
            sections = [
                DeskSection(
                    desk=d,
                    report=service.consolidated_report(
                        s, start, end, GroupBy.FIELD, desk_name=d.name, caller=caller
                    ),
                    ratings=service.consolidated_ratings(
                        s, start, end, GroupBy.FIELD, desk_name=d.name, caller=caller
                    ),
                )
                for d in desks
            ]
            total, total_ratings = None, None
            if caller.is_viewer:
                total = service.consolidated_report(s, start, end, GroupBy.FIELD, caller=caller)
                total_ratings = service.consolidated_ratings(
                    s, start, end, GroupBy.FIELD, caller=caller
                )
        return HTMLResponse(render_page(start, end, sections, total, total_ratings=total_ratings))

    limiter = lookup_limit or TokenBuckets()

    @app.post(
        LOOKUP_PATH,
        response_model=LookupReceiptOut,
        summary="Send the files' look-up rows (status only, no personal data)",
        responses=_ERRORS,
    )
    def post_lookup_rows(body: LookupIn, caller: Caller) -> JSONResponse:
        """Stores each row, replacing the desk's earlier row of the same file code."""
        rows = tuple(service.LookupInput(**r.model_dump()) for r in body.rows)
        with db.writer.begin() as s:
            receipt = service.store_lookup_rows(s, caller, rows, now=clock)
        return JSONResponse({"receipt_id": receipt, "stored": len(rows)})

    @app.get("/tra-cuu", response_class=HTMLResponse, summary="The public look-up page")
    def get_lookup(
        request: Request,
        ma: Annotated[str, Query(max_length=200)] = "",
        khoa: Annotated[str, Query(max_length=200)] = "",
    ) -> HTMLResponse:
        """A file's status for whoever holds its receipt: the file code and its look-up key.
        An unknown code, a wrong key and a missing key get the same answer."""
        headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
        client = request.client.host if request.client else ""
        if not limiter.allow(client):
            return HTMLResponse(
                render_lookup(ma.strip(), None, TOO_MANY),
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={**headers, "Retry-After": str(max(1, round(limiter.per_seconds)))},
            )
        code = ma.strip()
        view = None
        if code:
            with db.reader.begin() as s:
                view = service.find_lookup(s, code, khoa)
        notice = NOT_FOUND if code and view is None else None
        return HTMLResponse(render_lookup(code, view, notice), headers=headers)

    return app
