"""Sending the queued e-mail to applicants over the agency's SMTP server (issue 16).

One pass (`send_queued`): for each agency whose e-mail is on and whose password this machine
holds, claim the due messages (a short transaction of its own), then for each one build the
message from the database — the text, and the attachment: the file's archived slip, the bytes
the applicant holds on paper — send it, and record the outcome in a transaction of its own. The
network is never waited on inside a transaction.

The attachment is not stored with the message. The receipt and the numbered slips are archived
byte for byte at their first print (services/printing.py), so the message carries the same
document as the paper. A slip the counter has not printed yet is waited for (SLIP_WAIT: the
window prints the receipt and the slips right after the step); after that the sender issues it
itself through `print_slip`, which archives it, so a later paper print is the same document.

Failures: a refusal the server means for good (5xx to the recipient or to the message) fails
the message at once; anything else (server unreachable, timeout, 4xx, a refused login) backs it
off 1, 2, 4, … minutes (at most an hour) and fails it after mail.MAX_ATTEMPTS tries. Every
message carries a Message-ID made from its row, so one sent again after a sender died between
the server's "250" and the "sent" commit reads as the same message.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import clock
from desk_app.domain.documents import ResultBy
from desk_app.services import mail
from desk_app.services.context import Actor, get_settings
from desk_app.services.mail import MailConfig, MailKind, PasswordStore
from desk_app.services.printing import SlipKind, print_slip
from desk_app.services.records import file_view
from desk_app.store.engine import Database
from desk_app.store.models import DueChange, FileRecord, MailMessage, PrintedSlip

log = logging.getLogger(__name__)

# How long a message waits for the counter to print its slip before the sender issues it.
SLIP_WAIT = timedelta(minutes=10)
DEFAULT_TIMEOUT = 20.0  # seconds for the SMTP server to answer each step
BATCH = 50  # messages claimed per agency and pass

_SLIPS = {
    MailKind.RECEIPT: SlipKind.RECEIPT,
    MailKind.SUPPLEMENT: SlipKind.SUPPLEMENT,
    MailKind.APOLOGY: SlipKind.APOLOGY,
}
_FILE_NAMES = {
    SlipKind.RECEIPT: "giay-tiep-nhan",
    SlipKind.SUPPLEMENT: "phieu-yeu-cau-bo-sung",
    SlipKind.APOLOGY: "phieu-xin-loi",
}

# The sender of the window and a `mail send-queued` in the same process take turns.
_PASSES: dict[str, threading.Lock] = {}
_PASSES_GUARD = threading.Lock()


class SmtpFailureError(Exception):
    """A try that did not deliver: `message` in Vietnamese; `permanent` when the server
    refused for good; `connection` when the connection is no longer usable."""

    def __init__(self, message: str, *, permanent: bool = False, connection: bool = True):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.connection = connection


# --- the message ----------------------------------------------------------------------------


def _moment(value: datetime | None) -> str:
    return "không hạn" if value is None else f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def _ascii(text: str) -> str:
    """Plain ASCII for a file name: diacritics dropped, đ as d, anything else a dash."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    kept = "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in plain)
    return "-".join(p for p in kept.split("-") if p)


def attachment_name(kind: SlipKind, code: str, number: str | None) -> str:
    """`giay-tiep-nhan-<code>.pdf`, `phieu-yeu-cau-bo-sung-<code>-12-HDHS.pdf`, …"""
    parts = [_FILE_NAMES[kind], code, *([number] if number else [])]
    return _ascii("-".join(parts)) + ".pdf"


@dataclass(frozen=True)
class Outgoing:
    """A message ready for the server."""

    message_id: int
    code: str
    kind: str
    message: Message


def _slip_pdf(
    session: Session, row: MailMessage, record: FileRecord, now: datetime, slip_wait: timedelta
) -> tuple[str, bytes] | datetime:
    """The attachment (name, PDF) of `row`, or the moment to look again for a slip the counter
    has not printed yet."""
    kind = _SLIPS[MailKind(row.kind)]
    stmt = select(PrintedSlip.pdf).where(
        PrintedSlip.file_id == record.id, PrintedSlip.kind == str(kind)
    )
    if row.number is not None:
        stmt = stmt.where(PrintedSlip.number == row.number)
    pdf = session.scalars(stmt.order_by(PrintedSlip.id.desc()).limit(1)).first()
    if pdf is None:
        if now < row.created_at + slip_wait:
            return row.created_at + slip_wait
        who = Actor(user_id=row.queued_by, name="Gửi thư tự động", role="officer")
        pdf = print_slip(session, record.code, kind, who, number=row.number, now=now).pdf
    return attachment_name(kind, record.code, row.number), bytes(pdf)


def _receipt_due(session: Session, record: FileRecord, due: datetime | None) -> datetime | None:
    """The appointment the receipt gave (a message sent late keeps its attachment's)."""
    first = session.scalars(
        select(DueChange.new_due_at)
        .where(DueChange.file_id == record.id, DueChange.reason == "accept")
        .order_by(DueChange.id)
        .limit(1)
    ).first()
    return first if first is not None else due


def _text(session: Session, row: MailMessage, record: FileRecord) -> tuple[str, str]:
    """The subject and the body, in Vietnamese: the file code, the procedure and the
    appointment; no name, number or address of the applicant."""
    view = file_view(session, record)
    settings = get_settings(session, record.agency)
    agency = " ".join((settings.short_name or settings.agency_name).split())
    kind = MailKind(row.kind)
    lines = ["Kính gửi Ông/Bà,", ""]
    if kind is MailKind.RECEIPT:
        subject = f"Đã tiếp nhận hồ sơ {view.code}"
        lines.append("Bộ phận Một cửa đã tiếp nhận hồ sơ của Ông/Bà.")
        facts = [("Hẹn trả kết quả", _moment(_receipt_due(session, record, view.due)))]
        after = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được gửi kèm thư này (tệp PDF)."
    elif kind is MailKind.SUPPLEMENT:
        subject = f"Hồ sơ {view.code} cần bổ sung giấy tờ"
        lines.append(
            "Hồ sơ của Ông/Bà cần được bổ sung, hoàn thiện theo Phiếu yêu cầu bổ sung, hoàn "
            f"thiện hồ sơ số {row.number} gửi kèm thư này (tệp PDF)."
        )
        facts = []
        after = "Thời hạn giải quyết tạm dừng cho đến khi Bộ phận Một cửa nhận đủ giấy tờ bổ sung."
    elif kind is MailKind.RESULT:
        subject = f"Hồ sơ {view.code} đã có kết quả"
        lines.append("Hồ sơ của Ông/Bà đã có kết quả giải quyết.")
        facts = []
        after = (
            "Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ Ông/Bà đã đăng ký."
            if view.result_by == ResultBy.POST
            else "Mời Ông/Bà đến Bộ phận Một cửa nhận kết quả, mang theo Giấy tiếp nhận hồ sơ "
            "và hẹn trả kết quả."
        )
    else:
        subject = f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {view.code}"
        new_due = next(
            (r.new_due for r in reversed(view.reschedules) if r.slip_number == row.number),
            view.due,
        )
        lines.append("Bộ phận Một cửa xin lỗi Ông/Bà vì hồ sơ chưa được giải quyết đúng hẹn.")
        facts = [("Hẹn trả kết quả mới", _moment(new_due))]
        after = "Thư xin lỗi và hẹn lại ngày trả kết quả được gửi kèm thư này (tệp PDF)."
    lines += ["", f"Mã hồ sơ: {view.code}", f"Thủ tục: {view.procedure_name}"]
    lines += [f"{label}: {value}" for label, value in facts]
    lines += ["", after, "", "--"]
    phone = f"điện thoại {settings.phone.strip()}" if settings.phone.strip() else ""
    contact = ", ".join(p for p in ("Bộ phận Một cửa", agency, phone) if p)
    lines += [
        "Thư được gửi tự động, xin Ông/Bà không trả lời thư này. Liên hệ: " + contact + ".",
        "Ông/Bà nhận thư vì đã đồng ý nhận thông báo về hồ sơ qua thư điện tử khi nộp hồ sơ; "
        "để ngừng nhận, xin báo Bộ phận Một cửa.",
    ]
    return subject, "\n".join(lines) + "\n"


def _message_id(config: MailConfig, message_id: int) -> str:
    domain = config.sender_address.rpartition("@")[2] or "localhost"
    tag = hashlib.sha256(config.password_key.encode("utf-8")).hexdigest()[:16]
    return f"<mot-cua.{message_id}.{tag}@{domain}>"


def _envelope(
    config: MailConfig, to: str, subject: str, body: str, now: datetime, message_id: str
) -> MIMEMultipart:
    """The message's headers and text. Built with the classic MIME classes: the modern
    EmailMessage folds a long Vietnamese subject into encoded words that lose the space at the
    fold ("kết quả" read back as "kếtquả"); Header keeps it."""
    message = MIMEMultipart()
    message["From"] = formataddr((config.sender_name, config.sender_address), "utf-8")
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]  # compat32
    message["Date"] = format_datetime(now.astimezone())
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message.attach(MIMEText(body, "plain", "utf-8"))
    return message


def compose(
    session: Session,
    message_id: int,
    config: MailConfig,
    now: datetime,
    *,
    slip_wait: timedelta = SLIP_WAIT,
) -> Outgoing | datetime:
    """The message of outbox row `message_id`, or when to try again (its slip not printed yet).
    Issuing a slip writes (the archive): run in a writer transaction."""
    row = session.get_one(MailMessage, message_id)
    record = session.get_one(FileRecord, row.file_id)
    attachment: tuple[str, bytes] | None = None
    if MailKind(row.kind) in _SLIPS:
        found = _slip_pdf(session, row, record, now, slip_wait)
        if isinstance(found, datetime):
            return found
        attachment = found
    subject, body = _text(session, row, record)
    message = _envelope(config, row.recipient, subject, body, now, _message_id(config, message_id))
    if attachment is not None:
        name, pdf = attachment
        part = MIMEApplication(pdf, "pdf")
        part.add_header("Content-Disposition", "attachment", filename=name)
        message.attach(part)
    return Outgoing(message_id, record.code, row.kind, message)


# --- the server -----------------------------------------------------------------------------


def _reply(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(said.split())}".strip()


class SmtpConnection:
    """One connection to the agency's server, logged in; `send` raises SmtpFailureError."""

    def __init__(self, config: MailConfig, password: str | None, timeout: float) -> None:
        self.config = config
        where = f"{config.host}:{config.port}"
        try:
            if config.security == "ssl":
                context = ssl.create_default_context()
                self._smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=timeout, context=context
                )
            else:
                self._smtp = smtplib.SMTP(config.host, config.port, timeout=timeout)
                self._smtp.ehlo()
                if config.security == "starttls":
                    self._smtp.starttls(context=ssl.create_default_context())
                    self._smtp.ehlo()
            if config.username:
                self._smtp.login(config.username, password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise SmtpFailureError(
                "Máy chủ thư từ chối tên đăng nhập hoặc mật khẩu SMTP "
                f"({_reply(exc.smtp_code, exc.smtp_error)})."
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            self.close()
            raise SmtpFailureError(
                f"Máy chủ thư {where} không hỗ trợ STARTTLS hoặc đăng nhập: {exc}."
            ) from exc
        except ssl.SSLError as exc:
            self.close()
            raise SmtpFailureError(f"Lỗi mã hóa TLS với máy chủ thư {where}: {exc}.") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise SmtpFailureError(
                f"Không kết nối được máy chủ thư {where}: {exc or type(exc).__name__}."
            ) from exc

    def send(self, message: Message) -> None:
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise SmtpFailureError(
                f"Máy chủ thư không nhận địa chỉ người nhận ({_reply(code, text)}).",
                permanent=code >= 500,
                connection=False,
            ) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise SmtpFailureError(
                f"Máy chủ thư không nhận địa chỉ gửi ({_reply(exc.smtp_code, exc.smtp_error)}).",
                connection=False,
            ) from exc
        except smtplib.SMTPDataError as exc:
            raise SmtpFailureError(
                f"Máy chủ thư không nhận thư ({_reply(exc.smtp_code, exc.smtp_error)}).",
                permanent=exc.smtp_code >= 500,
                connection=False,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpFailureError(
                f"Mất kết nối với máy chủ thư: {exc or type(exc).__name__}."
            ) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise SmtpFailureError(
                f"Máy chủ thư không nhận địa chỉ người nhận ({_reply(code, text)}).",
                permanent=code >= 500,
                connection=False,
            )

    def close(self) -> None:
        smtp = getattr(self, "_smtp", None)
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


Connect = Callable[[MailConfig, str | None, float], SmtpConnection]


def send_test(
    config: MailConfig,
    password: str | None,
    to: str,
    *,
    now: datetime | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Send a short test message to `to` with `config`; MailError says why it failed."""
    from desk_app.domain import people

    to = people.validate_email(to, field="test_to")
    if not config.host or not config.sender_address:
        raise mail.MailError("Cần ghi máy chủ SMTP và địa chỉ gửi thư trước.", field="host")
    now = now or clock.now()
    body = (
        "Đây là thư thử từ Phần mềm Một cửa: cài đặt gửi thư điện tử cho người nộp hồ sơ "
        "đã dùng được.\n"
    )
    tag = hashlib.sha256(f"{config.password_key}{now.isoformat()}".encode()).hexdigest()[:16]
    domain = config.sender_address.rpartition("@")[2]
    message = _envelope(
        config, to, "Thư thử – Phần mềm Một cửa", body, now, f"<mot-cua.test.{tag}@{domain}>"
    )
    try:
        connection = SmtpConnection(config, password, timeout)
    except SmtpFailureError as exc:
        raise mail.MailError(exc.message, field="host") from exc
    try:
        connection.send(message)
    except SmtpFailureError as exc:
        raise mail.MailError(exc.message, field="test_to") from exc
    finally:
        connection.close()


# --- one pass -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    code: str
    kind: str


@dataclass(frozen=True)
class NotDelivered:
    code: str
    kind: str
    error: str
    final: bool  # failed for good (no more tries)


@dataclass(frozen=True)
class SendReport:
    """What one pass did."""

    ran: bool = True
    sent: tuple[Delivered, ...] = ()
    failed: tuple[NotDelivered, ...] = ()
    waiting: int = 0  # messages waiting for their slip to be printed
    # Agencies set up whose messages this machine cannot send, and why.
    skipped: dict[int, str] = field(default_factory=dict)
    message: str = ""


BUSY = "Một lượt gửi thư khác đang chạy."


def _pass_lock(db: Database) -> threading.Lock:
    with _PASSES_GUARD:
        return _PASSES.setdefault(db.label, threading.Lock())


def send_queued(
    db: Database,
    *,
    now: Callable[[], datetime] = clock.now,
    passwords: PasswordStore | None = None,
    agencies: frozenset[int] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int = BATCH,
    slip_wait: timedelta = SLIP_WAIT,
    connect: Connect = SmtpConnection,
) -> SendReport:
    """One pass over the due messages of `agencies` (None: every agency whose e-mail is on)."""
    lock = _pass_lock(db)
    if not lock.acquire(blocking=False):
        return SendReport(ran=False, message=BUSY)
    try:
        return _send(
            db,
            now,
            passwords or mail.default_passwords(),
            agencies,
            timeout,
            limit,
            slip_wait,
            connect,
        )
    finally:
        lock.release()


def _send(
    db: Database,
    now: Callable[[], datetime],
    passwords: PasswordStore,
    agencies: frozenset[int] | None,
    timeout: float,
    limit: int,
    slip_wait: timedelta,
    connect: Connect,
) -> SendReport:
    with db.reader.begin() as s:
        configs = mail.enabled_configs(s)
    if agencies is not None:
        configs = {a: c for a, c in configs.items() if a in agencies}
    sent: list[Delivered] = []
    failed: list[NotDelivered] = []
    skipped: dict[int, str] = {}
    waiting = 0
    for agency, config in sorted(configs.items()):
        password = passwords.load(config.password_key)
        if config.username and not password:
            skipped[agency] = "Máy này chưa lưu mật khẩu SMTP (Cài đặt › Thư điện tử)."
            continue
        with db.writer.begin() as s:
            ids = mail.claim(s, frozenset({agency}), now(), limit=limit)
        connection: SmtpConnection | None = None
        try:
            for i, message_id in enumerate(ids):
                try:
                    with db.writer.begin() as s:
                        out = compose(s, message_id, config, now(), slip_wait=slip_wait)
                except Exception as exc:  # a bug or a broken file: that message, not the pass
                    log.exception("mail %s could not be composed", message_id)
                    with db.writer.begin() as s:
                        mail.mark_failed(s, message_id, f"Lỗi khi soạn thư: {exc}", now())
                    continue
                if isinstance(out, datetime):
                    with db.writer.begin() as s:
                        mail.release(s, [message_id], out)
                    waiting += 1
                    continue
                try:
                    if connection is None:
                        connection = connect(config, password, timeout)
                    connection.send(out.message)
                except SmtpFailureError as exc:
                    with db.writer.begin() as s:
                        state = mail.mark_failed(
                            s, message_id, exc.message, now(), permanent=exc.permanent
                        )
                        row = s.get_one(MailMessage, message_id)
                        again = row.next_attempt_at
                        if exc.connection:
                            # The server is not there: the others wait as long, untried.
                            mail.release(s, ids[i + 1 :], again or now())
                    failed.append(NotDelivered(out.code, out.kind, exc.message, state == "failed"))
                    if exc.connection:
                        if connection is not None:
                            connection.close()
                        break
                    continue
                with db.writer.begin() as s:
                    mail.mark_sent(s, message_id, now())
                sent.append(Delivered(out.code, out.kind))
        finally:
            if connection is not None:
                connection.close()
    return SendReport(sent=tuple(sent), failed=tuple(failed), waiting=waiting, skipped=skipped)


__all__ = [
    "SLIP_WAIT",
    "Outgoing",
    "SendReport",
    "SmtpConnection",
    "SmtpFailureError",
    "compose",
    "send_queued",
    "send_test",
]
