"""E-mail to applicants (issue 16): consent, the outbox written with the step, a real SMTP server
on loopback (aiosmtpd) receiving each kind with its attachment, retries, the password kept out
of the database."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_app.cli.app import run
from desk_app.clock import PIN_VARIABLE
from desk_app.errors import FieldsError, NotFoundError
from desk_app.services import amend, intake, lifecycle, mail, mail_send
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.lifecycle import MoveInput
from desk_app.services.mail import MailSettingsInput, PasswordStore
from desk_app.services.printing import SlipKind, print_slip
from desk_app.store.engine import Database
from desk_app.store.models import MailConsent, MailMessage, PrintedSlip
from tests import smtp_server
from tests.desk_setup import PASSWORD
from tests.smtp_server import SmtpServer

NOW = datetime(2026, 3, 2, 9, 15)
EMAIL = "dang.thi.anh@example.vn"


@pytest.fixture(scope="module")
def server() -> Iterator[SmtpServer]:
    smtp = SmtpServer()
    yield smtp
    smtp.stop()


@pytest.fixture
def smtp(server: SmtpServer) -> SmtpServer:
    server.handler.reset()
    return server


@pytest.fixture
def passwords(tmp_path: Path) -> PasswordStore:
    return PasswordStore(tmp_path / "secrets")


def _settings(port: int, *, enabled: bool = True, username: str = "") -> MailSettingsInput:
    return MailSettingsInput(
        enabled=enabled,
        host="127.0.0.1",
        port=port,
        security="none",
        username=username,
        sender_address="motcua@langson.gov.vn",
        sender_name="Bộ phận Một cửa Sở VHTTDL",
    )


def _set_up(db: Database, admin: Actor, port: int, **kw: object) -> mail.MailConfig:
    with db.writer.begin() as s:
        return mail.save_config(s, _settings(port, **kw), admin, now=NOW)  # type: ignore[arg-type]


def _accept(
    db: Database, officer: Actor, *, consent: bool = True, email: str | None = EMAIL
) -> str:
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(
            name="Đặng Thị Ánh", id_number="020185001234", phone="0912345678", email=email
        ),
        received_at=NOW,
        mail_consent=consent,
    )
    with db.writer.begin() as s:
        return intake.accept_file(s, data, officer, now=NOW).code


def _result_message(db: Database, officer: Actor, admin: Actor, port: int, **kw: object) -> str:
    """A file whose one message is "result ready" (no slip to draw: these tests are about
    the sending): accepted with consent while e-mail was off, its result recorded once on."""
    _set_up(db, admin, port, enabled=False)
    code = _accept(db, officer)
    _set_up(db, admin, port, **kw)
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=NOW)
    return code


def _outbox(db: Database) -> list[tuple[str, str, int]]:
    with db.reader.begin() as s:
        rows = s.scalars(select(MailMessage).order_by(MailMessage.id)).all()
        return [(m.kind, m.status, m.attempts) for m in rows]


def _send(
    db: Database, passwords: PasswordStore, at: datetime, **kw: object
) -> mail_send.SendReport:
    return mail_send.send_queued(db, now=lambda: at, passwords=passwords, timeout=5, **kw)  # type: ignore[arg-type]


def _pdf_text(part: EmailMessage) -> str:
    data = part.get_content()
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _attachments(message: EmailMessage) -> list[EmailMessage]:
    return list(message.iter_attachments())  # type: ignore[arg-type]


def test_each_kind_arrives_with_its_slip_attached(
    db: Database,
    officer: Actor,
    supervisor: Actor,
    admin: Actor,
    smtp: SmtpServer,
    passwords: PasswordStore,
) -> None:
    _set_up(db, admin, smtp.port)
    code = _accept(db, officer)
    with db.writer.begin() as s:  # the counter prints the receipt right after Ctrl+Enter
        receipt = print_slip(s, code, SlipKind.RECEIPT, officer, now=NOW)
    with db.writer.begin() as s:
        amend.reschedule(
            s,
            code,
            datetime(2026, 3, 16, 9, 15),
            "Chờ ý kiến của Sở Xây dựng",
            supervisor,
            now=NOW + timedelta(minutes=1),
        )
        lifecycle.request_supplement(
            s, MoveInput(code), "Thiếu bản vẽ mặt bằng", officer, now=NOW + timedelta(minutes=2)
        )
    with db.writer.begin() as s:
        lifecycle.receive_supplement(s, MoveInput(code), officer, now=NOW + timedelta(minutes=3))
        lifecycle.record_result(s, MoveInput(code), officer, now=NOW + timedelta(minutes=4))
    assert [k for k, _, _ in _outbox(db)] == ["receipt", "apology", "supplement", "result"]

    # Before the slips' wait ends, only what needs no unprinted slip goes.
    first = _send(db, passwords, NOW + timedelta(minutes=5))
    assert sorted(d.kind for d in first.sent) == ["receipt", "result"]
    assert first.waiting == 2 and not first.failed
    # Ten minutes on, the sender issues the two slips nobody printed (and archives them).
    later = _send(db, passwords, NOW + timedelta(minutes=12))
    assert sorted(d.kind for d in later.sent) == ["apology", "supplement"]
    assert [s for _, s, _ in _outbox(db)] == ["sent"] * 4

    got = {m["Subject"]: m for m in smtp.handler.received}
    assert set(got) == {
        f"Đã tiếp nhận hồ sơ {code}",
        f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
        f"Hồ sơ {code} cần bổ sung giấy tờ",
        f"Hồ sơ {code} đã có kết quả",
    }
    for message in got.values():
        assert message["To"] == EMAIL
        assert message["From"].addresses[0].addr_spec == "motcua@langson.gov.vn"
        assert message["Auto-Submitted"] == "auto-generated"
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert code in body and "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke" in body
        # No more personal data than needed: neither name, identity number nor phone.
        for personal in ("Đặng Thị Ánh", "020185001234", "0912345678"):
            assert personal not in body

    receipt_mail = got[f"Đã tiếp nhận hồ sơ {code}"]
    (pdf,) = _attachments(receipt_mail)
    assert pdf.get_filename() == f"giay-tiep-nhan-{code}.pdf"
    assert pdf.get_content() == receipt.pdf  # the very document the applicant holds on paper
    assert code in _pdf_text(pdf) and "GIẤY TIẾP NHẬN" in _pdf_text(pdf).upper()
    assert "Hẹn trả kết quả: 09:15 ngày 09/03/2026" in receipt_mail.get_body().get_content()  # type: ignore[union-attr]

    apology = got[f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}"]
    (pdf,) = _attachments(apology)
    assert pdf.get_filename().startswith(f"phieu-xin-loi-{code}-1-")
    assert code in _pdf_text(pdf)
    assert "Hẹn trả kết quả mới: 09:15 ngày 16/03/2026" in apology.get_body().get_content()  # type: ignore[union-attr]

    supplement = got[f"Hồ sơ {code} cần bổ sung giấy tờ"]
    (pdf,) = _attachments(supplement)
    assert pdf.get_filename().startswith(f"phieu-yeu-cau-bo-sung-{code}-1-")
    assert code in _pdf_text(pdf) and "bản vẽ mặt bằng" in _pdf_text(pdf)

    assert _attachments(got[f"Hồ sơ {code} đã có kết quả"]) == []
    with db.reader.begin() as s:  # the slips the sender issued are the archive's now
        kinds = s.scalars(select(PrintedSlip.kind).order_by(PrintedSlip.id)).all()
    assert kinds == ["receipt", "apology", "supplement"]
    assert _send(db, passwords, NOW + timedelta(days=1)).sent == ()  # nothing twice


def test_no_mail_without_consent_nor_with_e_mail_off(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    _set_up(db, admin, smtp.port)
    code = _accept(db, officer, consent=False)
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=NOW + timedelta(hours=1))
        assert s.scalar(select(func.count()).select_from(MailConsent)) == 0
    # Consent without an address is refused next to the e-mail field.
    with pytest.raises(FieldsError) as refused:
        _accept(db, officer, email=None)
    assert "cần ghi địa chỉ thư điện tử" in refused.value.errors["email"]
    with pytest.raises(FieldsError) as bad:
        _accept(db, officer, email="anh@@example")
    assert "email" in bad.value.errors
    # Consent recorded while the agency's e-mail is off: nothing queued.
    _set_up(db, admin, smtp.port, enabled=False)
    other = _accept(db, officer)
    with db.reader.begin() as s:
        consent = s.scalars(select(MailConsent)).one()
    assert (consent.email, consent.wording) == (EMAIL, mail.CONSENT_WORDING)
    assert consent.recorded_by == officer.user_id and consent.recorded_at == NOW
    assert _outbox(db) == []
    _set_up(db, admin, smtp.port)
    assert _send(db, passwords, NOW + timedelta(hours=2)).sent == ()
    assert smtp.handler.received == [] and other


def test_a_step_rolled_back_queues_nothing_and_a_withdrawn_consent_stops_the_rest(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    _set_up(db, admin, smtp.port)
    code = _accept(db, officer)
    with pytest.raises(RuntimeError), db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), officer, now=NOW + timedelta(hours=1))
        raise RuntimeError("the window died before the commit")
    assert _outbox(db) == [("receipt", "queued", 0)]
    with db.writer.begin() as s:
        assert mail.withdraw_consent(s, code, officer, now=NOW + timedelta(hours=1)) == 1
        lifecycle.record_result(s, MoveInput(code), officer, now=NOW + timedelta(hours=2))
    assert _outbox(db) == [("receipt", "failed", 0)]
    with db.writer.begin() as s, pytest.raises(NotFoundError):
        mail.withdraw_consent(s, code, officer)
    with db.writer.begin() as s:
        assert mail.retry_failed(s, admin, now=NOW + timedelta(hours=3)) == 0
    assert _send(db, passwords, NOW + timedelta(hours=3)).sent == ()


def test_refused_then_unreachable_then_delivered_with_back_off(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    code = _result_message(db, officer, admin, smtp.port)
    smtp.handler.refuse = "451 4.3.0 Try again later"
    t = NOW + timedelta(minutes=1)
    report = _send(db, passwords, t)
    assert report.failed[0].error.startswith("Máy chủ thư không nhận địa chỉ người nhận (451")
    assert not report.failed[0].final
    assert _outbox(db) == [("result", "queued", 1)]
    assert _send(db, passwords, t + timedelta(seconds=59)).failed == ()  # backing off 1 min
    # Then nobody listens at the address: a try counted, 2 minutes' wait.
    _set_up(db, admin, smtp_server.free_port())
    report = _send(db, passwords, t + timedelta(minutes=1))
    assert report.failed[0].error.startswith("Không kết nối được máy chủ thư 127.0.0.1:")
    with db.reader.begin() as s:
        row = s.scalars(select(MailMessage)).one()
        assert (row.attempts, row.next_attempt_at) == (2, t + timedelta(minutes=3))
        assert row.last_error == report.failed[0].error
    _set_up(db, admin, smtp.port)
    smtp.handler.refuse = None
    assert _send(db, passwords, t + timedelta(minutes=2, seconds=59)).sent == ()
    report = _send(db, passwords, t + timedelta(minutes=3))
    assert [d.code for d in report.sent] == [code]
    assert _outbox(db) == [("result", "sent", 3)]
    assert len(smtp.handler.received) == 1


def test_a_permanent_refusal_fails_at_once_and_the_last_try_gives_up(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    _result_message(db, officer, admin, smtp.port)
    smtp.handler.refuse = "550 5.1.1 No such user"
    report = _send(db, passwords, NOW)
    assert report.failed[0].final and "550 5.1.1" in report.failed[0].error
    assert _outbox(db) == [("result", "failed", 1)]
    with db.writer.begin() as s:
        assert mail.retry_failed(s, admin, now=NOW + timedelta(minutes=5)) == 1
    smtp.handler.refuse = "421 4.7.0 Busy"
    with db.writer.begin() as s:  # the seventh try failed already
        s.get_one(MailMessage, 1).attempts = mail.MAX_ATTEMPTS - 1
    report = _send(db, passwords, NOW + timedelta(minutes=5))
    assert report.failed[0].final
    with db.reader.begin() as s:
        assert s.scalar(select(func.count()).select_from(MailMessage)) == 1
        status = mail.status(s)
    assert (status.failed, status.queued, status.sent) == (1, 0, 0)
    assert [mail.backoff(n) for n in (1, 2, 3, 7, 9)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def test_a_message_a_dead_sender_left_goes_once_after_its_lease(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    code = _result_message(db, officer, admin, smtp.port)
    with db.writer.begin() as s:  # a sender claims it, then its process is killed
        assert mail.claim(s, frozenset({1}), NOW) == [1]
    with db.writer.begin() as s:  # another sender (another counter) does not take it
        assert mail.claim(s, frozenset({1}), NOW) == []
    assert _send(db, passwords, NOW + mail.SENDING_LEASE - timedelta(seconds=1)).sent == ()
    report = _send(db, passwords, NOW + mail.SENDING_LEASE)
    assert [d.code for d in report.sent] == [code]
    (message,) = smtp.handler.received
    assert message["Message-ID"].startswith("<mot-cua.1.")


def test_login_with_the_stored_password_which_never_reaches_the_database(
    db: Database, officer: Actor, admin: Actor, smtp: SmtpServer, passwords: PasswordStore
) -> None:
    code = _result_message(db, officer, admin, smtp.port, username=smtp_server.USER)
    with db.reader.begin() as s:
        config = mail.read_config(s)
    report = _send(db, passwords, NOW)  # no password on this machine: left alone
    assert report.skipped == {1: "Máy này chưa lưu mật khẩu SMTP (Cài đặt › Thư điện tử)."}
    assert _outbox(db) == [("result", "queued", 0)]
    passwords.save(config.password_key, "sai-mat-khau")
    report = _send(db, passwords, NOW)
    assert "từ chối tên đăng nhập hoặc mật khẩu SMTP (535" in report.failed[0].error
    passwords.save(config.password_key, smtp_server.PASSWORD)
    assert [d.code for d in _send(db, passwords, NOW + timedelta(minutes=1)).sent] == [code]
    (kept,) = passwords.folder.iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert smtp_server.PASSWORD.encode() not in kept.read_bytes()  # not written out as typed
    if db.path is not None:
        db.dispose()
        for f in db.path.parent.glob(db.path.name + "*"):
            assert smtp_server.PASSWORD.encode() not in f.read_bytes()
    with db.reader.begin() as s:  # the audit entry says that it changed, not what it is
        assert mail.read_config(s).username == smtp_server.USER


def test_the_test_button_sends_and_says_why_it_failed(
    db: Database, admin: Actor, officer: Actor, smtp: SmtpServer
) -> None:
    config = _set_up(db, admin, smtp.port)
    mail_send.send_test(config, None, "kiemtra@example.vn", now=NOW, timeout=5)
    (message,) = smtp.handler.received
    assert message["Subject"] == "Thư thử – Phần mềm Một cửa"
    with pytest.raises(mail.MailError) as failed:
        closed = mail.MailConfig(**{**config.__dict__, "port": smtp_server.free_port()})
        mail_send.send_test(closed, None, "kiemtra@example.vn", now=NOW, timeout=5)
    assert failed.value.message.startswith("Không kết nối được máy chủ thư 127.0.0.1:")
    with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
        mail.save_config(s, _settings(25), officer)
    with db.writer.begin() as s, pytest.raises(FieldsError) as bad:
        wrong = MailSettingsInput(True, "smtp gov", 0, "tls", "a b", "motcua@", "")
        mail.save_config(s, wrong, admin)
    assert set(bad.value.errors) == {"host", "port", "security", "username", "sender_address"}


def test_the_command_line_sends_the_queue_and_says_what_is_left(
    db: Database,
    officer: Actor,
    admin: Actor,
    smtp: SmtpServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(PIN_VARIABLE, "2026-03-02T09:30")
    monkeypatch.setenv("DESK_SECRETS_DIR", str(tmp_path / "secrets"))
    monkeypatch.setenv("DESK_USER", "canbo")
    monkeypatch.setenv("DESK_PASSWORD", PASSWORD)
    code = _result_message(db, officer, admin, smtp.port)
    db.dispose()
    where = str(db.path or db.url)
    smtp.handler.refuse = "451 4.3.0 Try again later"
    assert run(["--db", where, "mail", "send-queued", "--timeout", "5"]) == 3
    out = capsys.readouterr().out
    assert f"Sẽ thử lại: {code} (Đã có kết quả): Máy chủ thư không nhận" in out
    assert out.endswith("Đã gửi 0, lỗi 1, còn chờ gửi 1.\n")
    assert run(["--db", where, "mail", "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Chờ gửi 1, đang gửi 0, đã gửi 0, không gửi được 0.\n")
    assert f"{code}\tĐã có kết quả\tChờ gửi\t1\tMáy chủ thư không nhận" in out
    smtp.handler.refuse = None
    monkeypatch.setenv(PIN_VARIABLE, "2026-03-02T09:32")
    assert run(["--lang", "en", "--db", where, "mail", "send-queued"]) == 0
    assert (
        capsys.readouterr().out
        == f"Sent: {code} (Result ready)\nSent 1, failed 0, still waiting 0.\n"
    )
    assert run(["--db", where, "mail", "withdraw", code]) == 0
    assert capsys.readouterr().out == "Đã ghi nhận; 0 thư đang chờ sẽ không gửi.\n"
