"""E-mail to applicants (issue 16): consent, the outbox, the SMTP settings and password.

An applicant who gives an address and agrees (Decree 13/2023/NĐ-CP: the wording shown is the
wording stored, with who recorded it and when) gets a short message at four steps of the file:
receipt (the receipt attached), supplement requested (the request attached), result ready, and
a new appointment with an apology (the letter attached). Each message is a row of `mail_outbox`
written in the transaction of the step that calls for it: a step rolled back queues nothing, a
step committed never loses its message. services/mail_send.py sends the rows afterwards.

Nothing is queued for a file without consent, for an agency whose e-mail is off, or after the
applicant withdrew the consent. The SMTP password is kept as the sync token is (sync/secret.py):
in the signed-in user's configuration folder, encrypted with DPAPI on Windows, a 0600 file
elsewhere; never in the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from desk_app import clock
from desk_app.domain import people
from desk_app.domain.text import check_text
from desk_app.errors import FieldsError, NotFoundError, ValidationError
from desk_app.services.context import ADMIN, SOLO_AGENCY, Actor, audit, require_role
from desk_app.services.records import get_file
from desk_app.store.models import FileRecord, MailConsent, MailMessage, MailSettings
from desk_app.sync.secret import default_store, read_secret, token_key, write_secret

# What the applicant agrees to, shown at the counter as it is stored with the file.
CONSENT_WORDING = (
    "Tôi đồng ý để Bộ phận Một cửa dùng địa chỉ thư điện tử này chỉ để báo tình trạng hồ sơ này "
    "(Nghị định 13/2023/NĐ-CP); tôi có thể rút lại sự đồng ý bất cứ lúc nào."
)


class MailKind(StrEnum):
    """The steps that send the applicant a message."""

    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    RESULT = "result"
    APOLOGY = "apology"

    @property
    def label(self) -> str:
        return {
            MailKind.RECEIPT: "Đã tiếp nhận hồ sơ",
            MailKind.SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
            MailKind.RESULT: "Đã có kết quả",
            MailKind.APOLOGY: "Xin lỗi và hẹn lại",
        }[self]


QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUS_LABELS = {
    QUEUED: "Chờ gửi",
    SENDING: "Đang gửi",
    SENT: "Đã gửi",
    FAILED: "Không gửi được",
}

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

# Tries before a message is given up (failed for good; "send again" queues it anew), and the
# wait after the n-th failed try: 1, 2, 4, … minutes, at most an hour.
MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
# A claimed message is the claimer's this long; one left "sending" by a sender that died is
# then taken again (with the same Message-ID, so a copy the server did take reads as one).
SENDING_LEASE = timedelta(minutes=5)


class MailError(ValidationError):
    """E-mail could not be set up or sent; the message says why in Vietnamese."""

    code = "mail"


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try."""
    wait = FIRST_BACKOFF * (1 << min(max(attempts - 1, 0), 16))
    return min(wait, MAX_BACKOFF)


# --- settings and the password ------------------------------------------------------------------


@dataclass(frozen=True)
class MailConfig:
    """An agency's e-mail settings (the password is not part of them)."""

    agency: int
    enabled: bool
    host: str
    port: int
    security: str
    username: str
    sender_address: str
    sender_name: str
    # What this machine's secret store keeps the SMTP password under ("" until first saved).
    password_key: str

    @property
    def ready(self) -> bool:
        """On, with a server and a sender."""
        return self.enabled and bool(self.host) and bool(self.sender_address)


def _password_key(session: Session, install_id: str) -> str:
    return "smtp-" + token_key(install_id, session.get_bind().engine.url)


def _config(session: Session, row: MailSettings | None, agency: int) -> MailConfig:
    if row is None:
        return MailConfig(agency, False, "", DEFAULT_PORTS["starttls"], "starttls", "", "", "", "")
    return MailConfig(
        agency=row.agency,
        enabled=row.enabled,
        host=row.host,
        port=row.port,
        security=row.security,
        username=row.username,
        sender_address=row.sender_address,
        sender_name=row.sender_name,
        password_key=_password_key(session, row.install_id),
    )


def read_config(session: Session, agency: int = SOLO_AGENCY) -> MailConfig:
    return _config(session, session.get(MailSettings, agency), agency)


def enabled_configs(session: Session) -> dict[int, MailConfig]:
    """The agencies whose e-mail is on and set up, with their settings."""
    rows = session.scalars(select(MailSettings).where(MailSettings.enabled.is_(True))).all()
    found = {r.agency: _config(session, r, r.agency) for r in rows}
    return {a: c for a, c in found.items() if c.ready}


@dataclass(frozen=True)
class MailSettingsInput:
    """The settings as typed in Settings › E-mail."""

    enabled: bool
    host: str
    port: int
    security: str
    username: str
    sender_address: str
    sender_name: str


def check_settings(data: MailSettingsInput) -> MailSettingsInput:
    """The settings cleaned, or FieldsError with a Vietnamese message per field."""
    errors: dict[str, str] = {}
    host = data.host.strip()
    if host and (any(c.isspace() for c in host) or "/" in host or len(host) > 253):
        errors["host"] = "Máy chủ SMTP chỉ ghi tên máy hoặc địa chỉ IP, ví dụ smtp.langson.gov.vn."
    if data.enabled and not host:
        errors["host"] = "Cần ghi máy chủ SMTP để bật gửi thư."
    if not 1 <= data.port <= 65535:
        errors["port"] = "Cổng SMTP phải từ 1 đến 65535."
    if data.security not in SECURITY_MODES:
        errors["security"] = "Chọn STARTTLS, SSL/TLS hoặc không mã hóa."
    username = data.username.strip()
    if len(username) > 200 or any(c.isspace() for c in username):
        errors["username"] = "Tên đăng nhập SMTP liền một dòng, không quá 200 ký tự."
    sender = data.sender_address.strip()
    if sender:
        try:
            sender = people.validate_email(sender, field="sender_address")
        except ValidationError as exc:
            errors["sender_address"] = exc.message
    elif data.enabled:
        errors["sender_address"] = "Cần ghi địa chỉ gửi thư để bật gửi thư."
    name = ""
    try:
        name = check_text(data.sender_name, field="sender_name", label="Tên người gửi", limit=200)
    except ValidationError as exc:
        errors["sender_name"] = exc.message
    if errors:
        raise FieldsError(errors)
    return MailSettingsInput(
        data.enabled, host, data.port, data.security, username, sender, " ".join(name.split())
    )


def save_config(
    session: Session,
    data: MailSettingsInput,
    actor: Actor,
    *,
    agency: int = SOLO_AGENCY,
    password_changed: bool = False,
    now: datetime | None = None,
) -> MailConfig:
    """Save an agency's settings (administrators); audited without the password."""
    require_role(actor, ADMIN, "thay đổi cài đặt thư điện tử")
    clean = check_settings(data)
    row = session.get(MailSettings, agency)
    if row is None:
        row = MailSettings(agency=agency, install_id=uuid.uuid4().hex)
        session.add(row)
    row.enabled = clean.enabled
    row.host = clean.host
    row.port = clean.port
    row.security = clean.security
    row.username = clean.username
    row.sender_address = clean.sender_address
    row.sender_name = clean.sender_name
    row.updated_at = now or clock.now()
    details: dict[str, object] = {
        "enabled": clean.enabled,
        "host": clean.host,
        "port": clean.port,
        "security": clean.security,
        "username": clean.username,
        "sender": clean.sender_address,
        "password_changed": password_changed,
    }
    audit(session, actor, "mail_settings", "agency", str(agency), details, at=row.updated_at)
    session.flush()
    return _config(session, row, agency)


class PasswordStore:
    """SMTP passwords by key, one small file each, kept as the sync tokens are."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        safe = "".join(c for c in key if c.isalnum() or c == "-") or "desk"
        return self.folder / f"{safe}.bin"

    def load(self, key: str) -> str | None:
        return read_secret(self._path(key)) if key else None

    def save(self, key: str, password: str) -> None:
        if len(password) > 500 or "\n" in password:
            raise ValidationError(
                "Mật khẩu SMTP liền một dòng, không quá 500 ký tự.", field="password"
            )
        write_secret(self._path(key), password)


def default_passwords() -> PasswordStore:
    """Beside the sync tokens (DESK_SECRETS_DIR or the user's configuration folder)."""
    return PasswordStore(default_store().folder)


def _count(session: Session, statement: Update) -> int:
    """The rows an UPDATE changed."""
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


# --- consent and the queue ----------------------------------------------------------------------


def record_consent(
    session: Session, record: FileRecord, email: str, actor: Actor, now: datetime
) -> None:
    """The applicant of `record` agreed to notices at `email` (already checked) as worded in
    CONSENT_WORDING, recorded by `actor` at `now`."""
    session.add(
        MailConsent(
            file_id=record.id,
            email=email,
            wording=CONSENT_WORDING,
            recorded_at=now,
            recorded_by=actor.user_id,
        )
    )
    session.flush()


def withdraw_consent(
    session: Session, code: str, actor: Actor, *, now: datetime | None = None
) -> int:
    """The applicant takes the consent back: nothing more is queued, and the messages still
    waiting are dropped (failed, "withdrawn"). Returns how many were dropped."""
    now = now or clock.now()
    record = get_file(session, code)
    consent = session.get(MailConsent, record.id)
    if consent is None or consent.withdrawn_at is not None:
        raise NotFoundError(
            f"Hồ sơ {record.code} không có sự đồng ý nhận thư điện tử nào đang hiệu lực.",
            field="code",
        )
    consent.withdrawn_at = now
    consent.withdrawn_by = actor.user_id
    dropped = _count(
        session,
        update(MailMessage)
        .where(MailMessage.file_id == record.id, MailMessage.status == QUEUED)
        .values(status=FAILED, last_error="Người nộp hồ sơ đã rút lại sự đồng ý."),
    )
    audit(
        session, actor, "mail_consent_withdrawn", "file", record.code, {"dropped": dropped}, at=now
    )
    session.flush()
    return dropped


def queue(
    session: Session,
    record: FileRecord,
    kind: MailKind,
    actor: Actor,
    now: datetime,
    *,
    number: str | None = None,
) -> bool:
    """Queue the message of `kind` for `record` in the caller's transaction when its applicant
    agreed and its agency's e-mail is on (`number`: the slip the message carries). One look-up
    by key for a file without consent."""
    consent = session.get(MailConsent, record.id)
    if consent is None or consent.withdrawn_at is not None:
        return False
    settings = session.get(MailSettings, record.agency)
    if settings is None or not settings.enabled:
        return False
    session.add(
        MailMessage(
            file_id=record.id,
            kind=str(kind),
            number=number,
            recipient=consent.email,
            status=QUEUED,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            queued_by=actor.user_id,
        )
    )
    return True


# --- what the sender and the screens read -------------------------------------------------------


@dataclass(frozen=True)
class MailStatus:
    """The outbox in numbers, for the settings tab and `mail status`."""

    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    last_sent_at: datetime | None = None


@dataclass(frozen=True)
class MessageRow:
    """A message as the settings tab lists it."""

    id: int
    code: str
    kind: str
    recipient: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None

    @property
    def kind_label(self) -> str:
        return MailKind(self.kind).label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _scope(agencies: frozenset[int] | None) -> list[ColumnElement[bool]]:
    if agencies is None:
        return []
    return [FileRecord.agency.in_(sorted(agencies))]


def status(session: Session, agencies: frozenset[int] | None = None) -> MailStatus:
    counts = dict(
        session.execute(
            select(MailMessage.status, func.count())
            .join(FileRecord, FileRecord.id == MailMessage.file_id)
            .where(*_scope(agencies))
            .group_by(MailMessage.status)
        ).all()
    )
    last = session.scalar(
        select(func.max(MailMessage.sent_at))
        .join(FileRecord, FileRecord.id == MailMessage.file_id)
        .where(MailMessage.status == SENT, *_scope(agencies))
    )
    return MailStatus(
        queued=int(counts.get(QUEUED, 0)),
        sending=int(counts.get(SENDING, 0)),
        sent=int(counts.get(SENT, 0)),
        failed=int(counts.get(FAILED, 0)),
        last_sent_at=last,
    )


def recent(
    session: Session, agencies: frozenset[int] | None = None, *, limit: int = 200
) -> list[MessageRow]:
    """The messages not yet sent first (failed, then waiting), then the latest sent."""
    order = func.coalesce(MailMessage.sent_at, MailMessage.created_at)
    rows = session.execute(
        select(MailMessage, FileRecord.code)
        .join(FileRecord, FileRecord.id == MailMessage.file_id)
        .where(*_scope(agencies))
        .order_by((MailMessage.status == SENT).asc(), order.desc(), MailMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        MessageRow(
            m.id,
            code,
            m.kind,
            m.recipient,
            m.status,
            m.attempts,
            m.next_attempt_at,
            m.last_error,
            m.created_at,
            m.sent_at,
        )
        for m, code in rows
    ]


def retry_failed(
    session: Session, actor: Actor, agencies: frozenset[int] | None = None, *, now: datetime
) -> int:
    """Queue the failed messages again (their tries counted afresh), except those whose
    applicant withdrew the consent."""
    withdrawn = select(MailConsent.file_id).where(MailConsent.withdrawn_at.is_not(None))
    ids = select(MailMessage.id).join(FileRecord, FileRecord.id == MailMessage.file_id)
    ids = ids.where(
        MailMessage.status == FAILED, MailMessage.file_id.not_in(withdrawn), *_scope(agencies)
    )
    done = _count(
        session,
        update(MailMessage)
        .where(MailMessage.id.in_(ids))
        .values(status=QUEUED, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False),
    )
    if done:
        audit(session, actor, "mail_retry", "mail", None, {"messages": done}, at=now)
    return done


def claim(
    session: Session, agencies: frozenset[int], now: datetime, *, limit: int = 20
) -> list[int]:
    """Take the due messages of `agencies` for sending (queued and due, or left "sending" by a
    sender whose lease ended): each is claimed by one conditional UPDATE, so two senders (two
    counters of a centre) never take the same message."""
    if not agencies:
        return []
    due = ((MailMessage.status == QUEUED) | (MailMessage.status == SENDING)) & (
        MailMessage.next_attempt_at <= now
    )
    candidates = session.scalars(
        select(MailMessage.id)
        .join(FileRecord, FileRecord.id == MailMessage.file_id)
        .where(due, FileRecord.agency.in_(sorted(agencies)))
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
    ).all()
    taken: list[int] = []
    for message_id in candidates:
        done = _count(
            session,
            update(MailMessage)
            .where(MailMessage.id == message_id, due)
            .values(status=SENDING, next_attempt_at=now + SENDING_LEASE)
            .execution_options(synchronize_session=False),
        )
        if done:
            taken.append(message_id)
    return taken


def mark_sent(session: Session, message_id: int, now: datetime) -> None:
    session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id)
        .values(
            status=SENT,
            attempts=MailMessage.attempts + 1,
            sent_at=now,
            next_attempt_at=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


def mark_failed(
    session: Session, message_id: int, error: str, now: datetime, *, permanent: bool = False
) -> str:
    """Count a failed try: back off, or give up after MAX_ATTEMPTS (or at once when the server
    refused for good). Returns the new status."""
    row = session.get_one(MailMessage, message_id)
    row.attempts += 1
    row.last_error = error[:1000]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
        row.next_attempt_at = None
    else:
        row.status = QUEUED
        row.next_attempt_at = now + backoff(row.attempts)
    session.flush()
    return row.status


def release(session: Session, message_ids: list[int], at: datetime) -> None:
    """Give claimed messages back untried, due again at `at`."""
    if message_ids:
        session.execute(
            update(MailMessage)
            .where(MailMessage.id.in_(message_ids), MailMessage.status == SENDING)
            .values(status=QUEUED, next_attempt_at=at)
            .execution_options(synchronize_session=False)
        )
