"""The outbox: one row per (day, revision) to send, kept up to date with the register.

Every change to a file marks the earliest day it can move (triggers, migration 0007); bringing
the outbox up to date rebuilds the days from there to today and adds a new revision for each day
whose numbers differ from its last revision. A row is acknowledged only with the department's
receipt id; a rejected row stops until someone sends it again; network failures back off
exponentially and are retried for ever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.errors import ValidationError
from desk_app.services.context import ADMIN, Actor, audit, require_role
from desk_app.store.models import OutboxRow, SyncSettings
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
    # What this machine's secret store keeps the token under (secret.token_key).
    token_key: str


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


def _settings(session: Session) -> SyncSettings:
    row = session.get(SyncSettings, 1)
    if row is None:  # a database made before migration 0007 always has it; be safe
        import uuid

        row = SyncSettings(id=1, install_id=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row


def read_config(session: Session) -> SyncConfig:
    row = _settings(session)
    return SyncConfig(
        enabled=bool(row.enabled),
        url=row.url or "",
        interval_minutes=int(row.interval_minutes or 15),
        install_id=row.install_id,
        token_key=token_key(row.install_id, session.get_bind().engine.url),
    )


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
) -> SyncConfig:
    """Store the settings (administrators only), with an audit entry naming what changed; a
    changed address sends rejected rows again (they may have been refused by the wrong server).

    The token lives outside the database (secret.py); `token_changed` records that a new one
    was saved with these settings. The token itself is never written here or in the audit log.
    """
    require_role(actor, ADMIN, "đổi cài đặt đồng bộ")
    url = check_url(url)
    if not MIN_INTERVAL <= interval_minutes <= MAX_INTERVAL:
        raise ValidationError(
            f"Chu kỳ đồng bộ phải từ {MIN_INTERVAL} đến {MAX_INTERVAL} phút.", field="interval"
        )
    if enabled and not url:
        raise ValidationError("Hãy nhập địa chỉ của Sở trước khi bật đồng bộ.", field="url")
    row = _settings(session)
    before = {"enabled": bool(row.enabled), "url": row.url or "", "interval": row.interval_minutes}
    after = {"enabled": enabled, "url": url, "interval": interval_minutes}
    changes: dict[str, object] = {
        key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]
    }
    if token_changed:
        changes["token"] = "changed"
    if url != row.url:
        retry_rejected(session)
    row.enabled, row.url, row.interval_minutes = enabled, url, interval_minutes
    if changes:
        audit(session, actor, "sync_settings", "sync", None, changes, at=now)
    return read_config(session)


def record_token_removed(session: Session, actor: Actor, *, now: datetime | None = None) -> None:
    """Audit the removal of the desk's token (administrators only; the store is secret.py)."""
    require_role(actor, ADMIN, "đổi cài đặt đồng bộ")
    audit(session, actor, "sync_settings", "sync", None, {"token": "removed"}, at=now)


def retry_rejected(session: Session) -> int:
    """Put every rejected row back in line (after the token or address was corrected)."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.state == REJECTED)
        .values(state=PENDING, next_attempt_at=None, attempts=0)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Days rebuilt per write transaction: the first pass over a big register's history would
# otherwise hold the write lock (and the counter) for seconds.
CHUNK_DAYS = 62


def refresh(session: Session, today: date) -> int:
    """Add a revision for every day up to `today` whose numbers changed; returns how many."""
    added, finished = refresh_step(session, today)
    while not finished:
        more, finished = refresh_step(session, today)
        added += more
    return added


def refresh_step(session: Session, today: date, max_days: int = CHUNK_DAYS) -> tuple[int, bool]:
    """Rebuild up to `max_days` of the days still to look at; (revisions added, all done).

    Runs in a write transaction so that no change slips between reading the days and moving
    the mark the triggers left.
    """
    _settings(session)
    # Raw SQL: the triggers write these columns behind the ORM's back.
    dirty, built = session.execute(
        text("SELECT dirty_from, built_through FROM sync_settings WHERE id = 1")
    ).one()
    first = session.execute(text("SELECT substr(min(received_at), 1, 10) FROM files")).scalar()
    if first is None:
        session.execute(text("UPDATE sync_settings SET dirty_from = NULL WHERE id = 1"))
        return 0, True
    starts = [date.fromisoformat(built) + timedelta(days=1) if built else date.fromisoformat(first)]
    if dirty:
        starts.append(date.fromisoformat(dirty))
    start = max(min(starts), date.fromisoformat(first))
    if start > today:
        session.execute(text("UPDATE sync_settings SET dirty_from = NULL WHERE id = 1"))
        return 0, True
    end = min(today, start + timedelta(days=max_days - 1))
    built_through = spelling(session).greatest("coalesce(built_through, '')", ":end")
    session.execute(
        text(
            f"UPDATE sync_settings SET dirty_from = :rest, built_through = {built_through}"
            " WHERE id = 1"
        ),
        {
            "rest": None if end == today else (end + timedelta(days=1)).isoformat(),
            "end": end.isoformat(),
        },
    )
    return _rebuild(session, start, end), end == today


def _rebuild(session: Session, start: date, today: date) -> int:
    """New revisions for the days of [start, today] whose numbers differ from their last one."""
    moment = clock.now().replace(microsecond=0)
    # Today's numbers are as of now (DOMAIN §4.1 rule 6), as the report made now would say.
    summaries = day_summaries(session, start, today, moment if moment.date() == today else None)
    latest: dict[date, tuple[int, str]] = {}
    for day, revision, digest in session.execute(
        select(OutboxRow.day, OutboxRow.revision, OutboxRow.payload_hash)
        .where(OutboxRow.day >= start, OutboxRow.day <= today)
        .order_by(OutboxRow.day, OutboxRow.revision)
    ):
        latest[day] = (int(revision), str(digest))
    identity = desk_identity(session)
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
                .where(OutboxRow.day == day, OutboxRow.state.in_((PENDING, REJECTED)))
                .values(state=SUPERSEDED, next_attempt_at=None)
            )
            session.add(
                OutboxRow(
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
    session: Session, now: datetime, *, force: bool = False, limit: int = 10_000
) -> list[Claimed]:
    """Take the rows due for sending (all pending ones when `force`), and rows a crashed pass
    left in "sending"; they stay "sending" for SENDING_LEASE."""
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
            .where(due | stale)
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
        session.scalar(select(func.max(OutboxRow.revision)).where(OutboxRow.day == row.day)) or 0
    )
    body = json.loads(row.payload)
    body["revision"] = newest + 1
    session.add(
        OutboxRow(
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
    session: Session, now: datetime, *, online: bool | None, success: bool, error: str | None
) -> None:
    row = _settings(session)
    row.last_attempt_at = now
    if online is not None:  # a pass with nothing to send learns nothing about the network
        row.online = online
    row.last_error = error
    if success:
        row.last_success_at = now


def status(session: Session) -> SyncStatus:
    row = _settings(session)
    counts = {
        str(state): int(n)
        for state, n in session.execute(
            select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
        )
    }
    return SyncStatus(
        configured=bool(row.url),
        enabled=bool(row.enabled),
        online=row.online,
        unsent=int(counts.get(PENDING, 0)) + int(counts.get(SENDING, 0)),
        rejected=int(counts.get(REJECTED, 0)),
        last_attempt_at=row.last_attempt_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
    )


def entries(session: Session, *, limit: int = 2000) -> list[OutboxEntry]:
    """The newest rows first, as the sync window lists them."""
    rows = session.scalars(
        select(OutboxRow).order_by(OutboxRow.day.desc(), OutboxRow.revision.desc()).limit(limit)
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
