"""E-mail to applicants in the window (issue 16): the consent at intake, Settings › E-mail with
its test message, and the background sender, against a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.services import intake, lifecycle, mail
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.mail import MailSettingsInput, PasswordStore
from desk_app.services.mail_send import SendReport
from desk_app.store.models import AuditEntry, MailConsent, MailMessage
from desk_app.ui.context import UiContext
from desk_app.ui.intake_form import IntakeForm
from desk_app.ui.mail_controller import MailController
from desk_app.ui.settings.mail import MailTab
from tests import smtp_server
from tests.smtp_server import SmtpServer

NOW = datetime(2026, 3, 2, 10, 0)  # the window tests' moment (tests/ui/conftest.py)
# The offscreen platform says it cannot resize a shown window; nothing else may warn.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture(scope="module")
def server() -> Iterator[SmtpServer]:
    smtp = SmtpServer()
    yield smtp
    smtp.stop()


@pytest.fixture
def smtp(server: SmtpServer) -> SmtpServer:
    server.handler.reset()
    return server


def _turn_on(ctx: UiContext, admin: Actor, port: int) -> None:
    data = MailSettingsInput(
        True, "127.0.0.1", port, "none", "", "motcua@langson.gov.vn", "Bộ phận Một cửa"
    )
    with ctx.db.writer.begin() as s:
        mail.save_config(s, data, admin, now=NOW)


def test_the_consent_is_offered_with_its_wording_once_an_address_is_typed(
    qtbot: QtBot, ui_ctx: UiContext, admin: Actor, smtp: SmtpServer
) -> None:
    _turn_on(ui_ctx, admin, smtp.port)
    form = IntakeForm()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    assert form.consent_wording.text() == mail.CONSENT_WORDING  # shown as it is stored
    assert not form.mail_consent.isEnabled()
    form.procedure.setText("1.001029")
    form.name.setText("Đặng Thị Ánh")
    form.email.setText("anh@@example")
    form.validate({"email"})
    assert form.errors.message("email") == (
        "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.com)."
    )
    form.email.setText("anh@example.vn")
    form.validate({"email"})
    assert form.errors.message("email") == ""
    assert form.mail_consent.isEnabled()
    assert not form.intake_input(NOW).mail_consent  # nothing without the tick
    form.mail_consent.setChecked(True)
    data = form.intake_input(NOW)
    assert data.mail_consent and data.applicant.email == "anh@example.vn"
    assert form.state()["mail_consent"] is True  # kept in the crash draft
    form.email.clear()  # no address: the tick counts for nothing
    assert not form.intake_input(NOW).mail_consent
    with ui_ctx.db.writer.begin() as s:
        code = intake.accept_file(s, data, ui_ctx.actor, now=NOW).code
    with ui_ctx.db.reader.begin() as s:
        consent = s.scalars(select(MailConsent)).one()
        queued = s.scalars(select(MailMessage)).one()
    assert (consent.email, consent.recorded_by) == ("anh@example.vn", ui_ctx.actor.user_id)
    assert (queued.kind, queued.recipient, queued.status) == ("receipt", "anh@example.vn", "queued")
    assert code


def test_settings_save_the_server_and_keep_the_password_out_of_the_database(
    qtbot: QtBot, admin_ctx: UiContext, smtp: SmtpServer, tmp_path: Path
) -> None:
    store = PasswordStore(tmp_path / "secrets")
    tab = MailTab(admin_ctx, passwords=store)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.sender_address.setText("motcua@")  # refused next to the field
    tab.enabled.setChecked(True)
    tab.save_button.click()
    assert tab.errors.message("host") == "Cần ghi máy chủ SMTP để bật gửi thư."
    assert tab.errors.message("sender_address").startswith("Địa chỉ thư điện tử không hợp lệ")
    tab.host.setText("127.0.0.1")
    tab.security.setCurrentIndex(tab.security.findData("none"))
    tab.port.setValue(smtp.port)
    tab.username.setText(smtp_server.USER)
    tab.password.setText(smtp_server.PASSWORD)
    tab.sender_address.setText("motcua@langson.gov.vn")
    tab.sender_name.setText("Bộ phận Một cửa Sở VHTTDL")
    tab.save_button.click()
    assert tab.notice.text() == "Saved."
    with admin_ctx.db.reader.begin() as s:
        config = mail.read_config(s)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "mail_settings")).one()
    assert (config.enabled, config.port, config.username) == (True, smtp.port, smtp_server.USER)
    assert store.load(config.password_key) == smtp_server.PASSWORD
    assert smtp_server.PASSWORD not in (entry.detail or "")
    assert tab.password.text() == "" and "stored" in tab.password.placeholderText()

    tab.test_to.setText("kiemtra@example.vn")
    with qtbot.waitSignal(tab.tester.finished, timeout=10_000):
        tab.test_button.click()
    qtbot.waitUntil(tab.test_button.isEnabled)
    assert tab.notice.text() == "The test message was sent to kiemtra@example.vn."
    (message,) = smtp.handler.received
    assert message["Subject"] == "Thư thử – Phần mềm Một cửa"


def test_the_window_sends_on_its_own_thread(
    qtbot: QtBot,
    ui_ctx: UiContext,
    admin: Actor,
    smtp: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESK_SECRETS_DIR", str(tmp_path / "secrets"))
    data = intake.IntakeInput(
        procedure="1.001029",
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh", email="anh@example.vn"),
        received_at=NOW,
        mail_consent=True,
    )
    with ui_ctx.db.writer.begin() as s:  # consent recorded while e-mail was off
        code = intake.accept_file(s, data, ui_ctx.actor, now=NOW).code
    _turn_on(ui_ctx, admin, smtp.port)
    with ui_ctx.db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code), ui_ctx.actor, now=NOW)
    controller = MailController(ui_ctx)
    assert controller.on  # the settings were read (jobs run inline in these tests)
    with qtbot.waitSignal(controller.pass_finished, timeout=10_000) as finished:
        controller.start_pass()
        assert controller.running
    report = finished.args[0] if finished.args else None
    assert isinstance(report, SendReport)
    assert [d.code for d in report.sent] == [code]
    assert not controller.running
    (message,) = smtp.handler.received
    assert message["Subject"] == f"Hồ sơ {code} đã có kết quả"
    controller.shutdown()
