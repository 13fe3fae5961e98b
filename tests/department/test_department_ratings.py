"""The applicants' ratings in the day summaries (issue 16): stored per procedure and day, summed
in GET /api/v1/ratings and on the page, counts only; a real department on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from desk_app.department import service
from desk_app.department.app import RATINGS_PATH, create_app
from desk_app.department.db import open_department_db
from desk_app.department.models import SummaryRow
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.sync.protocol import COUNT_KEYS, REPORT_PATH, SUMMARIES_PATH
from tests.conftest import NOW

KARAOKE = ("1.001029", "Cấp Giấy phép karaoke", "Văn hóa")
DANCE = ("1.000002", "Cấp Giấy phép vũ trường", "Văn hóa")
TOURISM = ("2.000001", "Công nhận hạng cơ sở lưu trú du lịch", "Du lịch")
A, B = "Một cửa Sở", "Một cửa huyện"
Row = tuple[tuple[str, str, str], dict[str, int], tuple[int, int, int] | None]


def _row(proc: tuple[str, str, str], counts: dict[str, int], ratings: Any) -> dict[str, Any]:
    code, name, field = proc
    out: dict[str, Any] = {
        "procedure": code,
        "name": name,
        "field": field,
        "counts": {k: counts.get(k, 0) for k in COUNT_KEYS},
    }
    if ratings is not None:
        out["ratings"] = dict(
            zip(("very_satisfied", "satisfied", "dissatisfied"), ratings, strict=True)
        )
    return out


def _body(day: str, rows: list[Row], revision: int = 1) -> dict[str, Any]:
    return {
        "protocol": 1,
        "day": day,
        "revision": revision,
        "desk": {"agency_id": "x", "agency_name": "y", "unit_name": "z", "software": "0.9.0"},
        "rows": [_row(*r) for r in rows],
    }


# desk -> day -> rows (procedure, counts, ratings (very, satisfied, dissatisfied) or None)
DAYS: dict[str, dict[str, list[Row]]] = {
    A: {
        "2026-03-01": [
            (KARAOKE, {"received_online": 2, "open_in_time": 2}, (2, 1, 0)),
            (TOURISM, {"received_online": 1, "open_in_time": 1}, None),
        ],
        "2026-03-02": [
            (KARAOKE, {"carried_over": 2, "settled_on_time": 1, "open_in_time": 1}, (1, 0, 1)),
            # A result handed back of a file settled earlier: rated, no other number that day.
            (DANCE, {}, (0, 1, 0)),
        ],
    },
    B: {
        "2026-03-02": [(TOURISM, {"received_direct_postal": 1, "open_in_time": 1}, (0, 0, 3))],
    },
}


@dataclass
class Dept:
    server: RunningServer
    client: httpx.Client
    path: Path
    tokens: dict[str, str]

    def get(self, url: str, who: str = "viewer", **params: str) -> httpx.Response:
        auth = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.get(url, params=params, headers=auth)

    def post(self, who: str, body: dict[str, Any]) -> httpx.Response:
        auth = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.post(SUMMARIES_PATH, json=body, headers=auth)


@pytest.fixture(scope="module")
def dept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dept]:
    path = tmp_path_factory.mktemp("department") / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        tokens = {name: service.add_desk(s, name).token for name in (A, B, "C")}
        tokens["viewer"] = service.add_viewer(s, "Văn phòng Sở").token
    db.dispose()
    server = start_in_thread(str(path), app=create_app(str(path), now=lambda: NOW))
    client = httpx.Client(base_url=server.url, timeout=10)
    d = Dept(server=server, client=client, path=path, tokens=tokens)
    for desk, days in DAYS.items():
        for day, rows in days.items():
            r = d.post(desk, _body(day, rows))
            assert r.json()["state"] == "stored", r.text
    try:
        yield d
    finally:
        client.close()
        server.stop()


def _ratings(very: int, satisfied: int, dissatisfied: int) -> dict[str, int]:
    rated = very + satisfied + dissatisfied
    return {
        "very_satisfied": very,
        "satisfied": satisfied,
        "dissatisfied": dissatisfied,
        "rated": rated,
    }


MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def test_the_ratings_are_summed_over_days_and_desks_by_procedure(dept: Dept) -> None:
    r = dept.get(RATINGS_PATH, **MARCH, by="procedure")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "from": "2026-03-01",
        "to": "2026-03-31",
        "by": "procedure",
        "rows": [
            {"group": DANCE[0], "label": DANCE[1], **_ratings(0, 1, 0)},
            {"group": KARAOKE[0], "label": KARAOKE[1], **_ratings(3, 1, 1)},
            {"group": TOURISM[0], "label": TOURISM[1], **_ratings(0, 0, 3)},
        ],
        "total": _ratings(3, 2, 4),
    }


def test_by_field_one_day_and_a_desk_sees_only_its_own(dept: Dept) -> None:
    by_field = dept.get(RATINGS_PATH, **MARCH).json()
    assert [(r["group"], r["rated"]) for r in by_field["rows"]] == [("Du lịch", 3), ("Văn hóa", 6)]
    day = dept.get(RATINGS_PATH, **{"from": "2026-03-01", "to": "2026-03-01"}).json()
    assert day["rows"] == [{"group": "Văn hóa", "label": "Văn hóa", **_ratings(2, 1, 0)}]
    own = dept.get(RATINGS_PATH, B, **MARCH).json()
    assert own["total"] == _ratings(0, 0, 3)
    assert dept.get(RATINGS_PATH, **MARCH, desk=A).json()["total"] == _ratings(3, 2, 1)
    assert dept.get(RATINGS_PATH, B, **MARCH, desk=A).status_code == 403
    assert dept.get(RATINGS_PATH, **MARCH, desk="Không có").status_code == 404
    assert dept.client.get(RATINGS_PATH, params=MARCH).status_code == 401
    empty = dept.get(RATINGS_PATH, **{"from": "2026-02-01", "to": "2026-02-28"}).json()
    assert (empty["rows"], empty["total"]) == ([], _ratings(0, 0, 0))


def test_a_rated_row_without_numbers_is_stored_but_not_a_row_of_the_report(dept: Dept) -> None:
    report = dept.get(REPORT_PATH, **MARCH, by="procedure").json()
    assert [r["group"] for r in report["rows"]] == [KARAOKE[0], TOURISM[0]]
    db = open_department_db(dept.path)
    try:
        with db.reader.begin() as s:
            stored = s.execute(
                select(
                    SummaryRow.rated_very_satisfied,
                    SummaryRow.rated_satisfied,
                    SummaryRow.rated_dissatisfied,
                ).where(SummaryRow.procedure == DANCE[0])
            ).all()
    finally:
        db.dispose()
    assert [tuple(r) for r in stored] == [(0, 1, 0)]


def test_the_page_shows_the_ratings_under_each_table(dept: Dept) -> None:
    r = dept.client.get("/", params=MARCH, auth=("sở", dept.tokens["viewer"]))
    assert r.status_code == 200, r.text
    page = r.text
    # The total over all desks, desk A, desk B; desk C has none and shows no ratings table.
    assert page.count('<table class="ratings">') == 3
    assert "Đánh giá mức độ hài lòng của người dân, doanh nghiệp" in page
    total = page.split('<section class="total">')[1].split("</section>")[0]
    ratings_total = total.split('<table class="ratings">')[1]
    cells = ratings_total.split('<tr class="total">')[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in cells.split('<td class="n">')[1:]] == ["3", "2", "4", "9"]
    mine = dept.client.get("/", params=MARCH, auth=("b", dept.tokens[B])).text
    assert mine.count('<table class="ratings">') == 1


def test_ratings_belong_to_the_revision_same_again_is_a_duplicate_other_a_conflict(
    dept: Dept,
) -> None:
    day = "2026-04-01"
    first = _body(day, [(KARAOKE, {"received_online": 1, "open_in_time": 1}, (1, 0, 0))])
    stored = dept.post("C", first).json()
    assert stored["state"] == "stored"
    again = dept.post("C", first).json()
    assert (again["state"], again["receipt_id"]) == ("duplicate", stored["receipt_id"])
    other = _body(day, [(KARAOKE, {"received_online": 1, "open_in_time": 1}, (0, 0, 1))])
    assert dept.post("C", other).status_code == 409
    dropped = _body(day, [(KARAOKE, {"received_online": 1, "open_in_time": 1}, None)])
    assert dept.post("C", dropped).status_code == 409
    newer = dept.post("C", {**other, "revision": 2}).json()
    assert newer["state"] == "stored"
    got = dept.get(RATINGS_PATH, "C", **{"from": day, "to": day}).json()
    assert got["total"] == _ratings(0, 0, 1)


def test_a_revision_stored_before_ratings_were_kept_takes_them_when_sent_again(
    dept: Dept,
) -> None:
    # What a department before d0004 kept of a day sent with ratings: the numbers, the hash
    # without the ratings. The desk lost the answer and sends the same revision again.
    day = "2026-04-02"
    sent = _body(day, [(TOURISM, {"received_online": 1, "open_in_time": 1}, (0, 2, 0))])
    bare = {**sent, "rows": [_row(TOURISM, sent["rows"][0]["counts"], None)]}
    assert dept.post("C", bare).json()["state"] == "stored"
    again = dept.post("C", sent)
    assert again.status_code == 200, again.text
    assert again.json()["state"] == "duplicate"
    got = dept.get(RATINGS_PATH, "C", **{"from": day, "to": day}).json()
    assert got["total"] == _ratings(0, 2, 0)
    # Its fingerprint is now the one with ratings: a third copy is a plain duplicate, other
    # ratings a conflict.
    assert dept.post("C", sent).json()["state"] == "duplicate"
    other = _body(day, [(TOURISM, {"received_online": 1, "open_in_time": 1}, (0, 1, 0))])
    assert dept.post("C", other).status_code == 409


@pytest.mark.parametrize(
    "ratings",
    [
        {"very_satisfied": -1, "satisfied": 0, "dissatisfied": 0},
        {"very_satisfied": True, "satisfied": 0, "dissatisfied": 0},
        {"very_satisfied": "1", "satisfied": 0, "dissatisfied": 0},
        {"very_satisfied": 1, "satisfied": 0},
        {"very_satisfied": 1, "satisfied": 0, "dissatisfied": 0, "comment": "tốt"},
    ],
)
def test_a_ratings_object_off_the_protocol_is_refused(
    dept: Dept, ratings: dict[str, object]
) -> None:
    body = _body("2026-04-03", [(KARAOKE, {"received_online": 1, "open_in_time": 1}, None)])
    body["rows"][0]["ratings"] = ratings
    r = dept.post("C", body)
    assert r.status_code == 422, r.text
    assert "tốt" not in r.text  # never echoed
