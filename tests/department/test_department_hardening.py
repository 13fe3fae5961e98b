"""Probes of the department's service against careless or hostile callers, over real HTTP on
loopback: bodies refused before they are read, days and revisions out of range, short 422
answers, the API document off by default, desk names that look alike, tokens revoked and rotated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from desk_app.department import service
from desk_app.department.app import create_app
from desk_app.department.db import open_department_db
from desk_app.department.models import AuditEntry
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.errors import NotFoundError, ValidationError
from desk_app.sync.protocol import COUNT_KEYS, REPORT_PATH, SUMMARIES_PATH

NOW = datetime(2026, 3, 2, 10, 0)
MB = 1024 * 1024
CAP = 64 * 1024  # the body cap of the probes' server


@dataclass
class Dept:
    server: RunningServer
    client: httpx.Client
    db_path: Path
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def post(self, who: str, payload: dict[str, Any]) -> httpx.Response:
        return self.client.post(SUMMARIES_PATH, json=payload, headers=self.auth(who))

    def report(self, who: str = "viewer") -> httpx.Response:
        query = {"from": "2026-03-01", "to": "2026-03-31"}
        return self.client.get(REPORT_PATH, params=query, headers=self.auth(who))


def _start(path: Path, **options: Any) -> tuple[RunningServer, httpx.Client]:
    server = start_in_thread(str(path), app=create_app(str(path), now=lambda: NOW, **options))
    return server, httpx.Client(base_url=server.url, timeout=10)


@pytest.fixture
def dept(tmp_path: Path) -> Iterator[Dept]:
    path = tmp_path / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        tokens = {
            "a": service.add_desk(s, "Một cửa A", now=lambda: NOW).token,
            "viewer": service.add_viewer(s, "Lãnh đạo Sở", now=lambda: NOW).token,
        }
    db.dispose()
    server, client = _start(path, max_body=CAP)
    try:
        yield Dept(server=server, client=client, db_path=path, tokens=tokens)
    finally:
        client.close()
        server.stop()


def body(day: str = "2026-03-02", revision: int = 1) -> dict[str, Any]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts.update(received_online=1, open_in_time=1)
    return {
        "protocol": 1,
        "day": day,
        "revision": revision,
        "desk": {"agency_id": "x", "agency_name": "y", "unit_name": "z", "software": "1"},
        "rows": [{"procedure": "1.001", "name": "Thủ tục", "field": "Văn hóa", "counts": counts}],
    }


# --- a body is refused before it is read --------------------------------------------------------


def _rss_kb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    assert match is not None
    return int(match.group(1))


class Upload:
    """A streamed body of `size` bytes that counts what the client managed to send."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0
        self._chunk = b" " * MB  # JSON whitespace: the body is worthless but costs the reader

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < self.size:
            piece = self._chunk[: self.size - self.sent]
            self.sent += len(piece)
            yield piece


def _post_stream(
    dept: Dept, upload: Upload, headers: dict[str, str], *, chunked: bool
) -> httpx.Response:
    headers = {**headers, "Content-Type": "application/json"}
    if not chunked:
        headers["Content-Length"] = str(upload.size)
    return dept.client.post(SUMMARIES_PATH, content=upload, headers=headers)


@pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(), reason="peak RSS is read from Linux's /proc"
)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_large_body_without_a_valid_token_is_refused_before_it_is_read(
    dept: Dept, chunked: bool
) -> None:
    assert dept.post("a", body()).status_code == 200  # everything loaded before measuring
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        upload = Upload(96 * MB)
        before = _rss_kb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
        r = _post_stream(dept, upload, headers, chunked=chunked)
        peak = _rss_kb("VmHWM")
        assert r.status_code == 401, r.text
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.headers["connection"] == "close"
        # The server (in this process) never held the body: its peak stays far below the body.
        assert (peak - before) * 1024 < 16 * MB, (before, peak)
        assert upload.sent < upload.size
    assert dept.report().json()["total"]["received_online"] == 1


def test_a_body_over_the_cap_is_refused_with_413_even_with_a_valid_token(dept: Dept) -> None:
    for chunked in (False, True):
        upload = Upload(8 * MB)
        r = _post_stream(dept, upload, dept.auth("a"), chunked=chunked)
        assert r.status_code == 413, (chunked, r.text)
        assert str(CAP) in r.json()["detail"]
        assert upload.sent < upload.size
    # Just under the cap the body reaches the checks of the protocol.
    padded = body()
    padded["desk"]["agency_name"] = "y" * 300
    small = httpx.Request("POST", "/", json=padded).content
    assert len(small) < CAP
    assert dept.post("a", padded).status_code == 200
    assert dept.report().json()["total"]["received_online"] == 1


def test_the_body_cap_defaults_to_one_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        token = service.add_desk(s, "Một cửa A").token
    db.dispose()
    server, client = _start(path)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        over = client.post(SUMMARIES_PATH, content=b" " * (MB + 1), headers=headers)
        assert over.status_code == 413
        at_cap = client.post(SUMMARIES_PATH, content=b" " * MB, headers=headers)
        assert at_cap.status_code == 422  # read, and refused as not JSON
    finally:
        client.close()
        server.stop()


# --- days, revisions and the 422 answers --------------------------------------------------------


@pytest.mark.parametrize("day", ["1999-12-31", "0001-01-01", "2100-01-01", "9999-12-31"])
def test_a_day_outside_the_sane_range_is_refused(dept: Dept, day: str) -> None:
    r = dept.post("a", body(day=day))
    assert r.status_code == 422, r.text
    query = {"from": day, "to": "2026-03-31"} if day < "2000" else {"from": "2026-03-01", "to": day}
    assert (
        dept.client.get(REPORT_PATH, params=query, headers=dept.auth("viewer")).status_code == 422
    )
    page = dept.client.get("/", params=query, headers=dept.auth("viewer"))
    assert page.status_code == 422
    assert dept.report().json()["rows"] == []


def test_the_edges_of_the_day_range_are_accepted(dept: Dept) -> None:
    assert dept.post("a", body(day="2000-01-01")).json()["state"] == "stored"
    assert dept.post("a", body(day="2099-12-31")).json()["state"] == "stored"


@pytest.mark.parametrize("revision", [2**31, 2**63, 2**64 + 1, 10**40])
def test_a_revision_beyond_the_column_is_refused_with_422(dept: Dept, revision: int) -> None:
    r = dept.post("a", body(revision=revision))
    assert r.status_code == 422, r.text
    assert dept.report().json()["rows"] == []


def test_the_largest_revision_is_stored(dept: Dept) -> None:
    assert dept.post("a", body(revision=2**31 - 1)).json()["state"] == "stored"


def test_a_422_answer_does_not_echo_the_input(dept: Dept) -> None:
    marker = "SECRET-" + "x" * 2000
    bad = body()
    bad["note"] = marker
    long_key = "phone" + "y" * 2000
    bad["desk"][long_key] = marker
    bad["rows"] = [{**bad["rows"][0], "procedure": str(i), "phone": marker} for i in range(20)]
    r = dept.post("a", bad)
    assert r.status_code == 422
    assert "SECRET" not in r.text  # no value
    assert "y" * 40 not in r.text  # an unknown key's name, cut short
    assert len(r.content) < 4096
    errors = r.json()["detail"]
    assert 1 <= len(errors) <= 10
    assert all(set(e) == {"loc", "msg", "type"} for e in errors)
    assert any(e["type"] == "extra_forbidden" for e in errors)
    # A query parameter's value is not repeated either.
    q = dept.client.get(
        REPORT_PATH, params={"from": "SECRET-date", "to": "x"}, headers=dept.auth("viewer")
    )
    assert q.status_code == 422 and "SECRET" not in q.text


# --- the API document ---------------------------------------------------------------------------


def test_the_api_document_is_off_unless_asked_for(dept: Dept, tmp_path: Path) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert dept.client.get(path).status_code == 404, path
        assert dept.client.get(path, headers=dept.auth("viewer")).status_code == 404, path
    server, client = _start(dept.db_path, api_docs=True)
    try:
        assert client.get("/openapi.json").json()["paths"]
        assert client.get("/docs").status_code == 200
    finally:
        client.close()
        server.stop()


# --- desk names ---------------------------------------------------------------------------------


def test_desk_names_are_normalised_and_lookalikes_refused(tmp_path: Path) -> None:
    db = open_department_db(tmp_path / "department.sqlite3")
    try:
        with db.writer.begin() as s:
            decomposed = unicodedata.normalize("NFD", "  Một   cửa\tSở\u200b VHTTDL ")
            made = service.add_desk(s, decomposed, now=lambda: NOW)
            assert made.name == "Một cửa Sở VHTTDL"
            assert unicodedata.is_normalized("NFC", made.name)
        lookalikes = [
            "Một cửa Sở VHTTDL",
            "MỘT CỬA SỞ VHTTDL",
            "một cửa sở vhttdl",
            "Một cửa Sở ＶＨＴＴＤＬ",  # fullwidth
            "Một\u00a0cửa Sở VHTTDL",  # no-break space
            "Một cửa Sở VH\u200dTTDL",  # zero-width joiner
        ]
        for name in lookalikes:
            for add in (service.add_desk, service.add_viewer):
                with pytest.raises(ValidationError, match="Đã có tên"), db.writer.begin() as s:
                    add(s, name, now=lambda: NOW)
        with pytest.raises(ValidationError, match="ký tự điều khiển"), db.writer.begin() as s:
            service.add_desk(s, "Một cửa\x1b[31m B", now=lambda: NOW)
        with db.writer.begin() as s:
            service.add_desk(s, "Một cửa Sở VHTTDL 2", now=lambda: NOW)
        with db.reader.begin() as s:
            # The report finds a desk by any spelling of its name.
            report = service.consolidated_report(
                s, NOW.date(), NOW.date(), desk_name="một cửa sở ＶＨＴＴＤＬ"
            )
            assert report.rows == ()
            names = [d.name for d in service.desks_overview(s)]
        assert names == ["Một cửa Sở VHTTDL", "Một cửa Sở VHTTDL 2"]
    finally:
        db.dispose()


# --- revoking and rotating tokens ---------------------------------------------------------------


def _audit(path: Path) -> list[tuple[str, str, str]]:
    db = open_department_db(path)
    try:
        with db.reader.begin() as s:
            rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
            return [(r.action, r.role, r.subject) for r in rows]
    finally:
        db.dispose()


def test_a_rotated_token_dies_at_once_and_a_revoked_desk_keeps_its_numbers(dept: Dept) -> None:
    assert dept.post("a", body(day="2026-03-02")).status_code == 200
    db = open_department_db(dept.db_path)
    try:
        with db.writer.begin() as s:
            new = service.rotate_token(s, "một cửa a", role="desk", actor="admin", now=lambda: NOW)
        assert new.name == "Một cửa A" and new.token != dept.tokens["a"]
        old = dept.post("a", body(day="2026-03-03"))
        assert old.status_code == 401
        dept.tokens["a"] = new.token
        assert dept.post("a", body(day="2026-03-03")).json()["state"] == "stored"

        with db.writer.begin() as s:
            service.revoke(s, "Một cửa A", role="desk", actor="admin", now=lambda: NOW)
        for attempt in (
            dept.post("a", body(day="2026-03-04")),
            dept.report("a"),
            dept.client.get("/api/v1/desks", headers=dept.auth("a")),
            dept.client.get("/", headers=dept.auth("a")),
        ):
            assert attempt.status_code == 401
        # A large body of a revoked desk is refused before it is read, like any unknown token.
        upload = Upload(8 * MB)
        assert _post_stream(dept, upload, dept.auth("a"), chunked=False).status_code == 401
        # Its past days stay in the department's numbers.
        total = dept.report("viewer").json()["total"]
        assert total["received_online"] == 2
        desks = dept.client.get("/api/v1/desks", headers=dept.auth("viewer")).json()
        assert desks[0]["name"] == "Một cửa A" and desks[0]["days"] == 2
        assert desks[0]["revoked_at"] == "2026-03-02T10:00:00"

        # Rotating a revoked desk's token gives it back a working one.
        with db.writer.begin() as s:
            again = service.rotate_token(s, "Một cửa A", role="desk", actor="admin")
        dept.tokens["a"] = again.token
        assert dept.post("a", body(day="2026-03-04")).json()["state"] == "stored"

        # Viewers, the same way; a role's command never reaches the other role.
        with db.writer.begin() as s:
            viewer = service.rotate_token(s, "Lãnh đạo Sở", role="viewer", actor="admin")
        assert dept.report("viewer").status_code == 401
        dept.tokens["viewer"] = viewer.token
        assert dept.report("viewer").status_code == 200
        with db.writer.begin() as s:
            service.revoke(s, "Lãnh đạo Sở", role="viewer", actor="admin")
        assert dept.report("viewer").status_code == 401
        with pytest.raises(NotFoundError), db.writer.begin() as s:
            service.revoke(s, "Lãnh đạo Sở", role="desk", actor="admin")
        with pytest.raises(NotFoundError), db.writer.begin() as s:
            service.rotate_token(s, "Một cửa A", role="viewer", actor="admin")
        with pytest.raises(ValidationError, match="đã bị thu hồi"), db.writer.begin() as s:
            service.revoke(s, "Lãnh đạo Sở", role="viewer", actor="admin")
    finally:
        db.dispose()
    assert _audit(dept.db_path) == [
        ("register", "desk", "Một cửa A"),
        ("register", "viewer", "Lãnh đạo Sở"),
        ("rotate", "desk", "Một cửa A"),
        ("revoke", "desk", "Một cửa A"),
        ("rotate", "desk", "Một cửa A"),
        ("rotate", "viewer", "Lãnh đạo Sở"),
        ("revoke", "viewer", "Lãnh đạo Sở"),
    ]
