"""The outbox: one row per (day, revision) to send, kept up to date with the register.

Every change to a file marks the earliest day it can move (triggers, migration 0007); bringing
the outbox up to date rebuilds the days from there to today and adds a new revision for each day
whose numbers differ from its last revision. A row is acknowledged only with the department's
receipt id; a rejected row stops until someone sends it again; network failures back off
exponentially and are retried for ever.

Each agency of a centre's database sends on its own (migration 0014): its own sync settings row
(id == the agency's id), token, outbox rows and days, counting its own files only. Every
function here works for one agency (`agency`, the solo desk's by default).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.errors import ValidationError
from desk_app.services.context import ADMIN, SOLO_AGENCY, Actor, audit, require_role
from desk_app.services.scope import ALL, Scope, agency_ids
from desk_app.store.models import DeskSettings, OutboxRow, SyncSettings
from desk_app.store.sqlfn import spelling
from desk_app.sync.secret import token_key
from desk_app.sync.summary import day_summaries, desk_identity, payload, rows_hash

PENDING, SENDING, ACKNOWLEDGED, REJECTED, SUPERSEDED = (
    "pending",
    "sending",
    "acknowledged",
    "rejected",
    "superseded",
)
# How long a pass may hold a row in "sending" before another pass takes it back (a crash).
SENDING_LEASE = timedelta(minutes=2)
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_LONGEST = timedelta(hours=1)
MIN_INTERVAL, MAX_INTERVAL = 1, 24 * 60


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt in a row: 30 s, 1 min, 2 min, ... at most 1 hour.

    Only the wait is capped: a network failure never stops a row from being tried again.
    """
    steps = max(attempts - 1, 0)
    if steps >= 20:  # 2**20 * 30 s is far past the longest wait
        return BACKOFF_LONGEST
    wait: timedelta = BACKOFF_FIRST * (2**steps)
    return min(wait, BACKOFF_LONGEST)


@dataclass(frozen=True)
class SyncConfig:
    """What the settings say (the token lives in the user's secret store, see secret.py)."""

    enabled: bool
    url: str
    interval_minutes: int
    install_id: str
    # What this machine's secret store keeps the token under (secret.token_key); "" while the
    # agency has no sync row yet (saving the settings makes it).
    token_key: str
    agency: int = SOLO_AGENCY


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    configured: bool
    enabled: bool
    online: bool | None  # None: never tried
    unsent: int  # rows not yet acknowledged (pending or sending), rejected ones apart
    rejected: int
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    agency: int = SOLO_AGENCY
    name: str = ""  # the agency's name, when the database has several


@dataclass(frozen=True)
class OutboxEntry:
    """One row of the sync window."""

    id: int
    day: date
    revision: int
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    receipt_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Claimed:
    """A row taken for sending by one pass."""

    id: int
    day: date
    revision: int
    payload: str
    attempts: int


def ensure_sync_row(session: Session, agency: int) -> SyncSettings:
    """The agency's sync settings row, made (off, no address, a new install id naming its
    token) when it has none yet: adding an agency calls this."""
    row = session.get(SyncSettings, agency)
    if row is None:
        row = SyncSettings(id=agency, install_id=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row


def _settings(session: Session, agency: int = SOLO_AGENCY) -> SyncSettings:
    return ensure_sync_row(session, agency)


def _files_scope(session: Session, agency: int) -> Scope:
    """The files an agency's summaries count: every file when the database holds one agency
    (a solo desk's queries stay as they were), else the agency's own."""
    agencies = int(session.scalar(select(func.count()).select_from(DeskSettings)) or 0)
    return ALL if agencies <= 1 else Scope.of({agency})


def read_config(session: Session, agency: int = SOLO_AGENCY) -> SyncConfig:
    """An agency's settings (read only: an agency without its row yet reads as not set up)."""
    row = session.get(SyncSettings, agency)
    if row is None:
        return SyncConfig(False, "", 15, "", "", agency)
    return SyncConfig(
        enabled=bool(row.enabled),
        url=row.url or "",
        interval_minutes=int(row.interval_minutes or 15),
        install_id=row.install_id,
        token_key=token_key(row.install_id, session.get_bind().engine.url),
        agency=agency,
    )


def chosen_agency(names: dict[int, str], wanted: int) -> int:
    """`wanted` when it is among `names` (or there are none), else the first of them: the
    agency a settings tab shows of those the administrator works for."""
    return wanted if wanted in names or not names else next(iter(names))


def agency_names(session: Session, agencies: Iterable[int] | None = None) -> dict[int, str]:
    """The active agencies (those of `agencies` only, when given) in id order, each with the
    name the pickers show (short name, else full name, else identifier)."""
    wanted = None if agencies is None else set(agencies)
    names: dict[int, str] = {}
    for id_, short, name, code in session.execute(
        select(
            DeskSettings.id,
            DeskSettings.short_name,
            DeskSettings.agency_name,
            DeskSettings.agency_id,
        )
        .where(DeskSettings.active.is_(True))
        .order_by(DeskSettings.id)
    ):
        if wanted is None or id_ in wanted:
            names[int(id_)] = short or name or code or f"Cơ quan {id_}"
    return names


def sending_agencies(session: Session, *, enabled_only: bool) -> list[int]:
    """The agencies a pass over the whole database sends for, in id order: those with the
    department's address (and sync turned on, with `enabled_only`). A database of one agency
    always has its agency in, so that a pass asked for says why nothing can be sent."""
    active = agency_ids(session)
    rows = {
        int(r.id): r
        for r in session.scalars(select(SyncSettings).where(SyncSettings.id.in_(active)))
    }
    chosen = [
        a for a in active if a in rows and rows[a].url and (rows[a].enabled or not enabled_only)
    ]
    if not chosen and len(active) == 1 and not enabled_only:
        return active
    return chosen


def check_url(url: str) -> str:
    """The department's address, checked: http(s)://host[:port][/path], no trailing slash."""
    from urllib.parse import urlsplit

    url = url.strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            "Địa chỉ của Sở phải có dạng http://máy-chủ:cổng hoặc https://máy-chủ.", field="url"
        )
    try:
        _ = parts.port
    except ValueError:
        raise ValidationError("Cổng trong địa chỉ của Sở không hợp lệ.", field="url") from None
    return url


def save_config(
    session: Session,
    *,
    enabled: bool,
    url: str,
    interval_minutes: int,
    actor: Actor,
    token_changed: bool = False,
    now: datetime | None = None,
    agency: int = SOLO_AGENCY,
) -> SyncConfig:
    """Store the settings (administrators only), with an audit entry naming what changed; a
    changed address sends rejected rows again (they may have been refused by the wrong server).

    The token lives outside the database (secret.py); `token_changed` records that a new one
    was saved with these settings. The token itself is never written here or in the audit log.
    The settings are `agency`'s (its row is made if it has none yet).
    """
    require_role(actor, ADMIN, "đổi cài đặt đồng bộ")
    url = check_url(url)
    if not MIN_INTERVAL <= interval_minutes <= MAX_INTERVAL:
        raise ValidationError(
            f"Chu kỳ đồng bộ phải từ {MIN_INTERVAL} đến {MAX_INTERVAL} phút.", field="interval"
        )
    if enabled and not url:
        raise ValidationError("Hãy nhập địa chỉ của Sở trước khi bật đồng bộ.", field="url")
    row = _settings(session, agency)
    before = {"enabled": bool(row.enabled), "url": row.url or "", "interval": row.interval_minutes}
    after = {"enabled": enabled, "url": url, "interval": interval_minutes}
    changes: dict[str, object] = {
        key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]
    }
    if token_changed:
        changes["token"] = "changed"
    if url != row.url:
        retry_rejected(session, agency)
    row.enabled, row.url, row.interval_minutes = enabled, url, interval_minutes
    if changes:
        audit(session, actor, "sync_settings", "sync", _audit_id(agency), changes, at=now)
    return read_config(session, agency)


def _audit_id(agency: int) -> str | None:
    """The audit entry names the agency when it is not the solo desk's (as before agencies)."""
    return None if agency == SOLO_AGENCY else str(agency)


def record_token_removed(
    session: Session, actor: Actor, *, now: datetime | None = None, agency: int = SOLO_AGENCY
) -> None:
    """Audit the removal of an agency's token (administrators only; the store is secret.py)."""
    require_role(actor, ADMIN, "đổi cài đặt đồng bộ")
    audit(session, actor, "sync_settings", "sync", _audit_id(agency), {"token": "removed"}, at=now)


def retry_rejected(session: Session, agency: int = SOLO_AGENCY) -> int:
    """Put the agency's rejected rows back in line (after its token or address was corrected)."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.state == REJECTED, OutboxRow.agency == agency)
        .values(state=PENDING, next_attempt_at=None, attempts=0)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Days rebuilt per write transaction: the first pass over a big register's history would
# otherwise hold the write lock (and the counter) for seconds.
CHUNK_DAYS = 62


def refresh(session: Session, today: date, agency: int = SOLO_AGENCY) -> int:
    """Add a revision for every day up to `today` whose numbers changed; returns how many."""
    added, finished = refresh_step(session, today, agency=agency)
    while not finished:
        more, finished = refresh_step(session, today, agency=agency)
        added += more
    return added


def refresh_step(
    session: Session, today: date, max_days: int = CHUNK_DAYS, *, agency: int = SOLO_AGENCY
) -> tuple[int, bool]:
    """Rebuild up to `max_days` of the agency's days still to look at; (revisions added, all
    done).

    Runs in a write transaction so that no change slips between reading the days and moving
    the mark the triggers left.
    """
    _settings(session, agency)
    scope = _files_scope(session, agency)
    where = {"agency": agency}
    # Raw SQL: the triggers write these columns behind the ORM's back.
    dirty, built = session.execute(
        text("SELECT dirty_from, built_through FROM sync_settings WHERE id = :agency"), where
    ).one()
    first = session.execute(
        text(
            "SELECT substr(min(received_at), 1, 10) FROM files"
            + ("" if scope.is_all else " WHERE agency = :agency")
        ),
        where,
    ).scalar()
    if first is None:
        session.execute(
            text("UPDATE sync_settings SET dirty_from = NULL WHERE id = :agency"), where
        )
        return 0, True
    starts = [date.fromisoformat(built) + timedelta(days=1) if built else date.fromisoformat(first)]
    if dirty:
        starts.append(date.fromisoformat(dirty))
    start = max(min(starts), date.fromisoformat(first))
    if start > today:
        session.execute(
            text("UPDATE sync_settings SET dirty_from = NULL WHERE id = :agency"), where
        )
        return 0, True
    end = min(today, start + timedelta(days=max_days - 1))
    built_through = spelling(session).greatest("coalesce(built_through, '')", ":end")
    session.execute(
        text(
            f"UPDATE sync_settings SET dirty_from = :rest, built_through = {built_through}"
            " WHERE id = :agency"
        ),
        {
            "rest": None if end == today else (end + timedelta(days=1)).isoformat(),
            "end": end.isoformat(),
            "agency": agency,
        },
    )
    return _rebuild(session, start, end, agency, scope), end == today


def _rebuild(session: Session, start: date, today: date, agency: int, scope: Scope) -> int:
    """New revisions for the agency's days of [start, today] whose numbers differ from their
    last one."""
    moment = clock.now().replace(microsecond=0)
    # Today's numbers are as of now (DOMAIN §4.1 rule 6), as the report made now would say.
    summaries = day_summaries(
        session, start, today, moment if moment.date() == today else None, scope=scope
    )
    latest: dict[date, tuple[int, str]] = {}
    for day, revision, digest in session.execute(
        select(OutboxRow.day, OutboxRow.revision, OutboxRow.payload_hash)
        .where(OutboxRow.agency == agency, OutboxRow.day >= start, OutboxRow.day <= today)
        .order_by(OutboxRow.day, OutboxRow.revision)
    ):
        latest[day] = (int(revision), str(digest))
    identity = desk_identity(session, agency)
    now = clock.now().replace(microsecond=0)
    added = 0
    day = start
    while day <= today:
        rows = summaries.get(day, ())
        digest = rows_hash(rows)
        previous = latest.get(day)
        if (previous is None and rows) or (previous is not None and previous[1] != digest):
            revision = 1 if previous is None else previous[0] + 1
            session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.agency == agency,
                    OutboxRow.day == day,
                    OutboxRow.state.in_((PENDING, REJECTED)),
                )
                .values(state=SUPERSEDED, next_attempt_at=None)
            )
            session.add(
                OutboxRow(
                    agency=agency,
                    day=day,
                    revision=revision,
                    state=PENDING,
                    attempts=0,
                    payload=payload(identity, day, revision, rows),
                    payload_hash=digest,
                    created_at=now,
                )
            )
            added += 1
        day += timedelta(days=1)
    session.flush()
    return added


def claim(
    session: Session,
    now: datetime,
    *,
    force: bool = False,
    limit: int = 10_000,
    agency: int = SOLO_AGENCY,
) -> list[Claimed]:
    """Take the agency's rows due for sending (all pending ones when `force`), and rows a
    crashed pass left in "sending"; they stay "sending" for SENDING_LEASE."""
    due: ColumnElement[bool] = (OutboxRow.state == PENDING) & (
        OutboxRow.next_attempt_at.is_(None) | (OutboxRow.next_attempt_at <= now)
    )
    if force:
        due = OutboxRow.state == PENDING
    stale = (OutboxRow.state == SENDING) & (
        OutboxRow.next_attempt_at.is_(None) | (OutboxRow.next_attempt_at <= now)
    )
    rows = list(
        session.scalars(
            select(OutboxRow)
            .where(OutboxRow.agency == agency, due | stale)
            .order_by(OutboxRow.day, OutboxRow.revision)
            .limit(limit)
        )
    )
    for row in rows:
        row.state = SENDING
        row.next_attempt_at = now + SENDING_LEASE
    session.flush()
    return [Claimed(r.id, r.day, r.revision, r.payload, r.attempts) for r in rows]


def acknowledge(session: Session, row_id: int, receipt_id: str) -> None:
    row = session.get(OutboxRow, row_id)
    if row is not None:
        row.state, row.receipt_id, row.last_error = ACKNOWLEDGED, receipt_id, None
        row.next_attempt_at = None
        row.attempts += 1


def reject(session: Session, row_id: int, reason: str) -> None:
    row = session.get(OutboxRow, row_id)
    if row is not None:
        row.state, row.last_error, row.next_attempt_at = REJECTED, reason, None
        row.attempts += 1


def bump_revision(session: Session, row_id: int, reason: str) -> int | None:
    """The department holds this (day, revision) with other numbers (a database restored from
    a backup sent them after the backup was made): the desk's numbers go again as the next
    revision, which replaces them there. Returns the new revision."""
    row = session.get(OutboxRow, row_id)
    if row is None:
        return None
    row.state, row.last_error, row.next_attempt_at = SUPERSEDED, reason, None
    row.attempts += 1
    newest = int(
        session.scalar(
            select(func.max(OutboxRow.revision)).where(
                OutboxRow.agency == row.agency, OutboxRow.day == row.day
            )
        )
        or 0
    )
    body = json.loads(row.payload)
    body["revision"] = newest + 1
    session.add(
        OutboxRow(
            agency=row.agency,
            day=row.day,
            revision=newest + 1,
            state=PENDING,
            attempts=0,
            payload=json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            payload_hash=row.payload_hash,
            created_at=clock.now().replace(microsecond=0),
        )
    )
    session.flush()
    return newest + 1


def postpone(session: Session, row_id: int, reason: str, now: datetime) -> None:
    """A failure worth trying again: count the attempt and wait longer each time."""
    row = session.get(OutboxRow, row_id)
    if row is not None:
        row.attempts += 1
        row.state, row.last_error = PENDING, reason
        row.next_attempt_at = now + backoff(row.attempts)


def release(session: Session, row_ids: list[int], at: datetime | None) -> None:
    """Put rows taken but not tried back in line (the pass stopped early), due at `at`."""
    if row_ids:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(row_ids), OutboxRow.state == SENDING)
            .values(state=PENDING, next_attempt_at=at)
        )


def record_pass(
    session: Session,
    now: datetime,
    *,
    online: bool | None,
    success: bool,
    error: str | None,
    agency: int = SOLO_AGENCY,
) -> None:
    row = _settings(session, agency)
    row.last_attempt_at = now
    if online is not None:  # a pass with nothing to send learns nothing about the network
        row.online = online
    row.last_error = error
    if success:
        row.last_success_at = now


def status(session: Session, agency: int = SOLO_AGENCY) -> SyncStatus:
    """The agency's state (read only: an agency without its sync row reads as not set up)."""
    row = session.get(SyncSettings, agency)
    counts = {
        str(state): int(n)
        for state, n in session.execute(
            select(OutboxRow.state, func.count())
            .where(OutboxRow.agency == agency)
            .group_by(OutboxRow.state)
        )
    }
    return SyncStatus(
        configured=bool(row and row.url),
        enabled=bool(row and row.enabled),
        online=None if row is None else row.online,
        unsent=int(counts.get(PENDING, 0)) + int(counts.get(SENDING, 0)),
        rejected=int(counts.get(REJECTED, 0)),
        last_attempt_at=None if row is None else row.last_attempt_at,
        last_success_at=None if row is None else row.last_success_at,
        last_error=None if row is None else row.last_error,
        agency=agency,
    )


def statuses(session: Session) -> dict[int, SyncStatus]:
    """Every active agency's state, in id order, each with the agency's name."""
    return {
        agency: replace(status(session, agency), name=name)
        for agency, name in agency_names(session).items()
    }


def overall(found: dict[int, SyncStatus]) -> SyncStatus:
    """One state for the status bar: the only agency's as it is; for several, the agencies set
    up taken together (offline when one is, the oldest last success, the first error named by
    its agency)."""
    if len(found) == 1:
        return next(iter(found.values()))
    every = list(found.values())
    shown = [s for s in every if s.configured] or every
    onlines = [s.online for s in shown]
    errors = [f"{s.name}: {s.last_error}" for s in shown if s.last_error]
    attempts = [s.last_attempt_at for s in shown if s.last_attempt_at is not None]
    successes = [s.last_success_at for s in shown]
    return SyncStatus(
        configured=any(s.configured for s in every),
        enabled=any(s.enabled for s in shown),
        online=False if False in onlines else (True if True in onlines else None),
        unsent=sum(s.unsent for s in every),
        rejected=sum(s.rejected for s in every),
        last_attempt_at=max(attempts, default=None),
        last_success_at=None
        if not successes or None in successes
        else min(s for s in successes if s is not None),
        last_error="\n".join(errors) or None,
        agency=SOLO_AGENCY,
        name="",
    )


def overall_status(session: Session) -> SyncStatus:
    """`overall(statuses(session))`: what the status bar shows."""
    return overall(statuses(session))


def entries(session: Session, *, limit: int = 2000, agency: int = SOLO_AGENCY) -> list[OutboxEntry]:
    """The agency's rows, newest first, as the sync window lists them."""
    rows = session.scalars(
        select(OutboxRow)
        .where(OutboxRow.agency == agency)
        .order_by(OutboxRow.day.desc(), OutboxRow.revision.desc())
        .limit(limit)
    )
    return [
        OutboxEntry(
            r.id,
            r.day,
            r.revision,
            r.state,
            r.attempts,
            r.next_attempt_at,
            r.last_error,
            r.receipt_id,
            r.created_at,
        )
        for r in rows
    ]
