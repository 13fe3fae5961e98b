"""A real SMTP server on loopback for the e-mail tests (aiosmtpd): it keeps what it receives,
can be told to refuse (a 4xx or 5xx to the recipient), and takes one login."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "motcua@langson.gov.vn"
PASSWORD = "Mk-Smtp#2026"

# aiosmtpd 1.4 logs a deprecation of its own at every login (Session.login_data).
logging.getLogger("mail.log").setLevel(logging.ERROR)


@dataclass
class Handler:
    """What the server received; `refuse` ("451 …" or "550 …") answers each recipient so."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: str | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def reset(self) -> None:
        self.received.clear()
        self.envelopes.clear()
        self.refuse = None


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """Started on a free loopback port; `stop()` ends it (then nobody listens there)."""

    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticate,
            auth_require_tls=False,
            ready_timeout=10.0,
        )
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
