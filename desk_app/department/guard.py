"""A pure ASGI guard in front of the department's app: a request that carries a body is
authenticated from its headers, and its size checked, before a byte of the body is read."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY = 1024 * 1024  # a day's summary of a few hundred procedures is ~100 kB

BEARER_CHALLENGE = "Bearer"
BASIC_CHALLENGE = 'Basic realm="Mot cua - So", charset="UTF-8"'

MISSING_TOKEN = (
    "Missing token: send the header Authorization: Bearer <token> (in a browser: the token as "
    "the password)."
)
UNKNOWN_TOKEN = "Unknown token: it was never issued by this department, or it was replaced."


def basic_password(encoded: str) -> str | None:
    """The password of an HTTP Basic credential (decoded as UTF-8), or None if malformed."""
    try:
        text = base64.b64decode(encoded, validate=True).decode("utf-8", errors="replace")
    except binascii.Error:
        return None
    _user, colon, password = text.partition(":")
    return password if colon else None


def token_of(authorization: str | None) -> str | None:
    """The token of an Authorization header: a bearer token, or a Basic password."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    if not value:
        return None
    if scheme.lower() == "bearer":
        return value
    if scheme.lower() == "basic":
        return basic_password(value)
    return None


def too_large(max_body: int) -> str:
    return f"Request body larger than {max_body} bytes."


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a (truthful) length passes the cap. An
    HTTPException so that FastAPI's body reader lets it through and answers it as it is."""

    def __init__(self, max_body: int) -> None:
        super().__init__(413, too_large(max_body), headers={"Connection": "close"})


class BodyGuard:
    """Refuses a request with a body before reading it: 401 without a token the department
    knows (`authenticate` returns false), 413 when it announces more than `max_body` bytes; a
    chunked body is counted as it arrives and cut at `max_body` with 413.

    The refusals close the connection: the rest of the body is never read.
    """

    def __init__(self, app: ASGIApp, *, authenticate: Callable[[str], bool], max_body: int) -> None:
        self.app = app
        self.authenticate = authenticate
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length_text = headers.get("content-length")
        chunked = "transfer-encoding" in headers
        # The server (h11) has already refused a malformed length or a length with chunks.
        length = int(length_text) if length_text is not None and length_text.isdigit() else None
        if not chunked and not length:
            await self.app(scope, receive, send)  # no body to read
            return
        token = token_of(headers.get("authorization"))
        if token is None or not await run_in_threadpool(self.authenticate, token):
            challenge = BASIC_CHALLENGE if scope.get("path") == "/" else BEARER_CHALLENGE
            detail = UNKNOWN_TOKEN if token else MISSING_TOKEN
            await _refuse(send, 401, detail, {"www-authenticate": challenge})
            return
        if length is not None and length > self.max_body:
            await _refuse(send, 413, too_large(self.max_body))
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:
            # Only when the app let the exception through (its handlers usually answer it).
            if started:
                raise
            await _refuse(send, 413, exc.detail)


async def _refuse(
    send: Send, status: int, detail: str, extra: dict[str, str] | None = None
) -> None:
    payload = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]
    headers += [(k.encode(), v.encode("latin-1")) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
