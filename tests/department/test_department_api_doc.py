"""docs/department-api.md against the code: every exchange the document shows (a request and
its answer, marked `<!-- exchange: name -->`) is sent, in the document's order, to a real
department on loopback, and the answer must be the one documented: its status line, the
headers shown, and its JSON body (an HTML answer: each line shown appears in the page). The
document cannot drift from what the service does."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from desk_app.department import service
from desk_app.department.app import create_app
from desk_app.department.db import open_department_db
from desk_app.department.ratelimit import TokenBuckets
from desk_app.department.server import RunningServer, start_in_thread
from tests.conftest import NOW

DOC = Path(__file__).resolve().parents[2] / "docs" / "department-api.md"
_MARK = re.compile(r"<!-- exchange: ([\w-]+) -->\s*```http\n(.*?)```\s*```http\n(.*?)```", re.S)
# Receipt ids are random: a documented id stands for whatever the service answered the first
# time it appears, and must be answered the same wherever the document repeats it.
_RECEIPT = re.compile(r"^(lookup-)?[0-9a-f]{32}$")
_SKIPPED_HEADERS = {"date", "server", "content-length"}


@dataclass
class Exchange:
    name: str
    method: str
    target: str
    headers: dict[str, str]
    body: str
    status: int
    answer_headers: dict[str, str]
    answer_body: str


def _head_and_body(block: str) -> tuple[list[str], str]:
    head, _, body = block.partition("\n\n")
    return head.strip().splitlines(), body.strip()


def _headers(lines: list[str]) -> dict[str, str]:
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def exchanges(text: str) -> list[Exchange]:
    found = []
    for name, request, answer in _MARK.findall(text):
        req_head, req_body = _head_and_body(request)
        ans_head, ans_body = _head_and_body(answer)
        method, target, _version = req_head[0].split(" ")
        status = int(ans_head[0].split(" ")[1])
        found.append(
            Exchange(
                name=name,
                method=method,
                target=target,
                headers=_headers(req_head[1:]),
                body=req_body,
                status=status,
                answer_headers=_headers(ans_head[1:]),
                answer_body=ans_body,
            )
        )
    return found


@dataclass
class Walk:
    server: RunningServer
    client: httpx.Client
    tokens: dict[str, str]
    limiter: TokenBuckets
    receipts: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        for who, token in self.tokens.items():
            text = text.replace(f"<{who} token>", token)
        return text

    def send(self, ex: Exchange) -> tuple[int, dict[str, str], str]:
        headers = {k: self.fill(v) for k, v in ex.headers.items()}
        body = ex.body.encode("utf-8")
        declared = int(headers.get("content-length", len(body)))
        if declared > len(body):
            return self._raw(ex, headers)
        r = self.client.request(
            ex.method, ex.target, headers=headers, content=body if body else None
        )
        return r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.text

    def _raw(self, ex: Exchange, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """A request that announces a body it never sends (the guard answers from the head)."""
        lines = [f"{ex.method} {ex.target} HTTP/1.1", f"Host: {self.server.host}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        with socket.create_connection((self.server.host, self.server.port), timeout=5) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.decode("utf-8").partition("\r\n\r\n")
        status_line, *header_lines = head.split("\r\n")
        return int(status_line.split(" ")[1]), _headers(header_lines), body

    def check_json(self, documented: Any, got: Any, where: str) -> None:
        if isinstance(documented, dict) and isinstance(got, dict):
            assert list(got) == list(documented), where
            for key, value in documented.items():
                self.check_json(value, got[key], f"{where}.{key}")
        elif isinstance(documented, list) and isinstance(got, list):
            assert len(got) == len(documented), where
            for i, (d, g) in enumerate(zip(documented, got, strict=True)):
                self.check_json(d, g, f"{where}[{i}]")
        elif isinstance(documented, str) and _RECEIPT.match(documented):
            assert isinstance(got, str) and _RECEIPT.match(got), where
            assert documented.startswith("lookup-") == got.startswith("lookup-"), where
            assert self.receipts.setdefault(documented, got) == got, where
        else:
            assert got == documented, where


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    path = tmp_path_factory.mktemp("department") / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        tokens = {
            "desk": service.add_desk(s, "Một cửa Sở VHTTDL", now=lambda: NOW).token,
            "viewer": service.add_viewer(s, "Văn phòng Sở", now=lambda: NOW).token,
        }
    db.dispose()
    tokens["unknown"] = "tmMDh0vYx2f4kOq3E1sQ"
    limiter = TokenBuckets()
    app = create_app(str(path), now=lambda: NOW, lookup_limit=limiter)
    server = start_in_thread(str(path), app=app)
    client = httpx.Client(base_url=server.url, timeout=10)
    try:
        yield Walk(server=server, client=client, tokens=tokens, limiter=limiter)
    finally:
        client.close()
        server.stop()


def test_the_document_shows_every_endpoint() -> None:
    found = exchanges(DOC.read_text("utf-8"))
    names = [ex.name for ex in found]
    assert len(names) == len(set(names)), names
    targets = {(ex.method, ex.target.split("?")[0]) for ex in found}
    assert targets >= {
        ("POST", "/api/v1/summaries"),
        ("GET", "/api/v1/report"),
        ("GET", "/api/v1/ratings"),
        ("GET", "/api/v1/desks"),
        ("POST", "/api/v1/lookup-rows"),
        ("GET", "/"),
        ("GET", "/tra-cuu"),
        ("GET", "/openapi.json"),
    }
    # …and every status the service answers with.
    assert {ex.status for ex in found} >= {200, 401, 403, 404, 409, 413, 422, 429}
    app = create_app("sqlite://", api_docs=True)
    served = {
        (method, route.path)  # type: ignore[attr-defined]
        for route in app.routes
        for method in getattr(route, "methods", ()) or ()
        if method != "HEAD" and not route.path.startswith(("/docs", "/redoc"))  # type: ignore[attr-defined]
    }
    assert served - {("GET", "/openapi.json")} <= targets, served - targets


def test_every_documented_exchange_is_what_the_service_answers(walk: Walk) -> None:
    found = exchanges(DOC.read_text("utf-8"))
    assert len(found) >= 15
    for ex in found:
        if "too-many" in ex.name:  # the document says: after the address's look-ups ran out
            while walk.limiter.allow("127.0.0.1"):
                pass
        status, headers, body = walk.send(ex)
        assert status == ex.status, (ex.name, body)
        for key, value in ex.answer_headers.items():
            if key not in _SKIPPED_HEADERS:
                assert headers.get(key) == walk.fill(value), (ex.name, key, headers)
        if not ex.answer_body:
            continue
        if ex.answer_headers.get("content-type", "").startswith("text/html"):
            for line in ex.answer_body.splitlines():
                assert line.strip() in body, (ex.name, line)
        else:
            walk.check_json(json.loads(ex.answer_body), json.loads(body), ex.name)
