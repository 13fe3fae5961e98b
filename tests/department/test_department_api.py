"""The department's service over real HTTP on loopback: auth, idempotency, revisions, checks."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from desk_app.department import service
from desk_app.department.app import create_app
from desk_app.department.db import open_department_db
from desk_app.department.models import DaySummary, SummaryRow
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.sync.protocol import COUNT_KEYS, REPORT_PATH, SUMMARIES_PATH

NOW = datetime(2026, 3, 2, 10, 0)


@dataclass
class Dept:
    server: RunningServer
    client: httpx.Client
    db_path: Path
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def post(self, who: str, body: dict[str, Any]) -> httpx.Response:
        return self.client.post(SUMMARIES_PATH, json=body, headers=self.auth(who))


@pytest.fixture
def dept(tmp_path: Path) -> Iterator[Dept]:
    path = tmp_path / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        tokens = {
            "a": service.add_desk(s, "Một cửa <Sở VHTTDL> & Co", now=lambda: NOW).token,
            "b": service.add_desk(s, "Một cửa huyện B", now=lambda: NOW).token,
            "viewer": service.add_viewer(s, "Lãnh đạo Sở", now=lambda: NOW).token,
        }
    db.dispose()
    server = start_in_thread(str(path), app=create_app(str(path), now=lambda: NOW))
    client = httpx.Client(base_url=server.url, timeout=10)
    try:
        yield Dept(server=server, client=client, db_path=path, tokens=tokens)
    finally:
        client.close()
        server.stop()


def counts(**values: int) -> dict[str, int]:
    out = dict.fromkeys(COUNT_KEYS, 0)
    out.update(values)
    return out


def body(day: str = "2026-03-02", revision: int = 1, **row_counts: int) -> dict[str, Any]:
    return {
        "protocol": 1,
        "day": day,
        "revision": revision,
        "desk": {
            "agency_id": "000.00.20.H37",
            "agency_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
            "unit_name": "Bộ phận Một cửa",
            "software": "0.9.0",
        },
        "rows": [
            {
                "procedure": "1.001029",
                "name": "Cấp Giấy phép karaoke",
                "field": "Văn hóa",
                "counts": counts(**(row_counts or {"received_online": 1, "open_in_time": 1})),
            }
        ],
    }


def stored_summaries(dept: Dept) -> tuple[int, int]:
    db = open_department_db(dept.db_path)
    try:
        with db.reader.begin() as s:
            return (
                int(s.scalar(select(func.count()).select_from(DaySummary)) or 0),
                int(s.scalar(select(func.count()).select_from(SummaryRow)) or 0),
            )
    finally:
        db.dispose()


def report(dept: Dept, who: str = "viewer", **params: str) -> httpx.Response:
    query = {"from": "2026-03-01", "to": "2026-03-31", **params}
    return dept.client.get(REPORT_PATH, params=query, headers=dept.auth(who))


# --- authentication -----------------------------------------------------------------------------


def test_every_endpoint_refuses_a_missing_or_unknown_token(dept: Dept) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    for headers in ({}, bad):
        answers = [
            dept.client.post(SUMMARIES_PATH, json=body(), headers=headers),
            dept.client.get(REPORT_PATH, params={"from": "2026-03-01", "to": "2026-03-02"}),
            dept.client.get("/api/v1/desks", headers=headers),
            dept.client.get("/", headers=headers),
        ]
        for r in answers:
            assert r.status_code == 401, r.text
            assert "token" in r.json()["detail"].lower()
    assert stored_summaries(dept) == (0, 0)
    # A browser is asked for a password; the API asks for a bearer token.
    assert dept.client.get("/").headers["www-authenticate"].startswith("Basic ")
    assert dept.client.get("/api/v1/desks").headers["www-authenticate"] == "Bearer"


def test_a_viewer_cannot_post_summaries(dept: Dept) -> None:
    r = dept.post("viewer", body())
    assert r.status_code == 403
    assert stored_summaries(dept) == (0, 0)


def test_a_desk_reads_only_its_own_numbers(dept: Dept) -> None:
    assert dept.post("a", body(received_online=3, open_in_time=3)).status_code == 200
    assert dept.post("b", body(received_online=5, open_in_time=5)).status_code == 200

    own = report(dept, "a").json()
    assert own["total"]["received_online"] == 3
    assert report(dept, "b").json()["total"]["received_online"] == 5
    assert report(dept, "viewer").json()["total"]["received_online"] == 8
    other = report(dept, "a", desk="Một cửa huyện B")
    assert other.status_code == 403
    assert report(dept, "a", desk="Một cửa <Sở VHTTDL> & Co").json() == own

    desks = dept.client.get("/api/v1/desks", headers=dept.auth("a")).json()
    assert [d["name"] for d in desks] == ["Một cửa <Sở VHTTDL> & Co"]
    all_desks = dept.client.get("/api/v1/desks", headers=dept.auth("viewer")).json()
    assert [d["name"] for d in all_desks] == ["Một cửa <Sở VHTTDL> & Co", "Một cửa huyện B"]


# --- idempotency and revisions ------------------------------------------------------------------


def test_the_same_revision_twice_is_stored_once_with_the_same_receipt(dept: Dept) -> None:
    first = dept.post("a", body())
    again = dept.post("a", body())
    assert first.status_code == again.status_code == 200
    assert first.json()["state"] == "stored"
    assert again.json() == {**first.json(), "state": "duplicate"}
    assert first.json()["day"] == "2026-03-02" and first.json()["revision"] == 1
    assert stored_summaries(dept) == (1, 1)
    # Another desk's same day and revision is its own summary.
    other = dept.post("b", body())
    assert other.json()["state"] == "stored"
    assert other.json()["receipt_id"] != first.json()["receipt_id"]
    assert report(dept).json()["total"]["received_online"] == 2


def test_concurrent_identical_posts_are_all_answered_and_stored_once(dept: Dept) -> None:
    payload = body(received_online=4, open_in_time=4)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=dept.server.url, timeout=10) as c:
            return c.post(SUMMARIES_PATH, json=payload, headers=dept.auth("a"))

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.json()["receipt_id"] for r in answers}) == 1
    assert sorted(r.json()["state"] for r in answers) == ["duplicate"] * 5 + ["stored"]
    assert stored_summaries(dept) == (1, 1)


def test_the_same_revision_with_other_numbers_is_a_conflict(dept: Dept) -> None:
    assert dept.post("a", body(received_online=1, open_in_time=1)).status_code == 200
    changed = dept.post("a", body(received_online=2, open_in_time=2))
    assert changed.status_code == 409
    assert "lần gửi" in changed.json()["detail"]
    assert report(dept).json()["total"]["received_online"] == 1
    assert stored_summaries(dept) == (1, 1)


def test_an_older_revision_never_overwrites_a_newer_one(dept: Dept) -> None:
    newer = dept.post("a", body(revision=2, received_online=5, open_in_time=5))
    older = dept.post("a", body(revision=1, received_online=1, open_in_time=1))
    assert newer.json()["state"] == "stored"
    assert older.status_code == 200
    assert older.json()["state"] == "superseded"
    assert older.json()["receipt_id"] != newer.json()["receipt_id"]
    assert report(dept).json()["total"]["received_online"] == 5
    # Sending the old one again is recognised, still without effect.
    assert dept.post("a", body(revision=1, received_online=1, open_in_time=1)).json() == {
        **older.json(),
        "state": "duplicate",
    }
    # A higher revision replaces the current one.
    third = dept.post("a", body(revision=3, received_online=7, open_in_time=7))
    assert third.json()["state"] == "stored"
    assert report(dept).json()["total"]["received_online"] == 7
    desks = dept.client.get("/api/v1/desks", headers=dept.auth("viewer")).json()
    assert desks[0]["days"] == 1 and desks[0]["last_day"] == "2026-03-02"
    assert stored_summaries(dept) == (3, 3)


def test_a_post_updates_the_desks_contact_and_identity(dept: Dept) -> None:
    before = dept.client.get("/api/v1/desks", headers=dept.auth("viewer")).json()
    assert before[0]["last_contact_at"] is None and before[0]["software"] == ""
    dept.post("a", body())
    after = dept.client.get("/api/v1/desks", headers=dept.auth("viewer")).json()
    assert after[0] == {
        "name": "Một cửa <Sở VHTTDL> & Co",
        "last_contact_at": "2026-03-02T10:00:00",
        "software": "0.9.0",
        "agency_id": "000.00.20.H37",
        "agency_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "unit_name": "Bộ phận Một cửa",
        "last_day": "2026-03-02",
        "days": 1,
        "revoked_at": None,
    }
    assert after[1]["last_contact_at"] is None


# --- the wire format is checked strictly --------------------------------------------------------


def _broken_bodies() -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []

    def case(name: str, change: Any) -> None:
        b = copy.deepcopy(body())
        change(b)
        cases.append((name, b))

    case("extra top-level key", lambda b: b.update(note="x"))
    case("extra desk key", lambda b: b["desk"].update(phone="0912345678"))
    case("extra row key", lambda b: b["rows"][0].update(applicant="Nguyễn Văn A"))
    case("unknown count key", lambda b: b["rows"][0]["counts"].update(received_fax=1))
    case("missing count key", lambda b: b["rows"][0]["counts"].pop("stopped"))
    case("negative count", lambda b: b["rows"][0]["counts"].update(withdrawn=-1))
    case("count as text", lambda b: b["rows"][0]["counts"].update(withdrawn="1"))
    case("count as float", lambda b: b["rows"][0]["counts"].update(withdrawn=1.5))
    case("count as bool", lambda b: b["rows"][0]["counts"].update(withdrawn=True))
    case("protocol 2", lambda b: b.update(protocol=2))
    case("protocol true", lambda b: b.update(protocol=True))
    case("revision 0", lambda b: b.update(revision=0))
    case("day not ISO", lambda b: b.update(day="02/03/2026"))
    case("day as number", lambda b: b.update(day=20260302))
    case("day with time", lambda b: b.update(day="2026-03-02T00:00"))
    case("empty procedure", lambda b: b["rows"][0].update(procedure=""))
    case("same procedure twice", lambda b: b["rows"].append(copy.deepcopy(b["rows"][0])))
    return cases


def test_a_body_off_the_protocol_is_refused_with_422(dept: Dept) -> None:
    # One server for every case: none of them may store anything.
    for name, bad in _broken_bodies():
        r = dept.post("a", bad)
        assert r.status_code == 422, (name, r.text)
    assert stored_summaries(dept) == (0, 0)
    assert dept.post("a", body()).json()["state"] == "stored"  # the valid body is accepted


def test_a_body_that_is_not_json_is_refused(dept: Dept) -> None:
    r = dept.client.post(
        SUMMARIES_PATH,
        content=b"{not json",
        headers={**dept.auth("a"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422


def test_an_empty_day_is_a_valid_summary(dept: Dept) -> None:
    empty = {**body(), "rows": []}
    assert dept.post("a", empty).json()["state"] == "stored"
    assert report(dept).json()["rows"] == []


# --- the page and the API document --------------------------------------------------------------


def test_the_page_shows_each_desk_escaped_with_its_last_contact(dept: Dept) -> None:
    dept.post("a", body(received_online=3, open_in_time=3))
    r = dept.client.get(
        "/", params={"from": "2026-03-01", "to": "2026-03-31"}, auth=("sở", dept.tokens["viewer"])
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "Một cửa &lt;Sở VHTTDL&gt; &amp; Co" in page
    assert "<Sở VHTTDL>" not in page
    assert "Một cửa huyện B" in page
    assert "Liên hệ lần cuối: 02/03/2026 10:00" in page
    assert "Tổng hợp tất cả bộ phận một cửa" in page
    assert "Không có số liệu trong kỳ." in page  # desk B sent nothing
    assert page.count("<table>") == 2  # the total and desk A
    assert "Văn hóa" in page and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in page
    assert "http://" not in page and "https://" not in page  # no external assets


def test_the_page_defaults_to_the_current_month_and_shows_a_desk_only_itself(dept: Dept) -> None:
    r = dept.client.get("/", headers=dept.auth("b"))
    assert r.status_code == 200
    assert 'value="2026-03-01"' in r.text and 'value="2026-03-31"' in r.text
    assert "Một cửa huyện B" in r.text
    assert "VHTTDL" not in r.text and "Tổng hợp tất cả" not in r.text
    reversed_ = dept.client.get(
        "/", params={"from": "2026-03-05", "to": "2026-03-01"}, headers=dept.auth("viewer")
    )
    assert reversed_.status_code == 422
    assert "Ngày kết thúc phải sau" in reversed_.text


def test_the_openapi_document_describes_the_endpoints_and_the_bearer_scheme(dept: Dept) -> None:
    # Served only when asked for (`serve --api-docs`).
    path = dept.db_path
    with start_in_thread(str(path), app=create_app(str(path), api_docs=True)) as server:
        doc = httpx.get(f"{server.url}/openapi.json", timeout=10).json()
    assert doc["info"]["title"] == "Một cửa — Sở (tổng hợp)"
    assert {SUMMARIES_PATH, REPORT_PATH, "/api/v1/desks", "/"} <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    post = doc["paths"][SUMMARIES_PATH]["post"]
    assert post["security"]
    assert {"200", "401", "409", "422"} <= set(post["responses"])
    ok = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/ReceiptOut")
    get = doc["paths"][REPORT_PATH]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ReportOut"
    )
    counts_schema = doc["components"]["schemas"]["CountsIn"]
    assert tuple(counts_schema["properties"]) == COUNT_KEYS
    assert counts_schema["additionalProperties"] is False
    json.dumps(doc)  # a plain JSON document
