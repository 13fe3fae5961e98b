"""The consolidated report: flows summed, carried from the first day, open from the last day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from desk_app.department import service
from desk_app.department.db import open_department_db
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.domain.statistics import STAT_KEYS, StatCounts
from desk_app.sync.protocol import COUNT_KEYS, REPORT_PATH, SUMMARIES_PATH

KARAOKE = ("1.001029", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Văn hóa")
DANCE = ("1.000002", "Cấp Giấy phép kinh doanh vũ trường", "Văn hóa")
TOURISM = ("2.000001", "Công nhận hạng cơ sở lưu trú du lịch", "Du lịch")
A, B = "Một cửa Sở", "Một cửa huyện"

# desk -> day -> [(procedure, counts)]; every row keeps received = settled + open + closed.
DAYS: dict[str, dict[str, list[tuple[tuple[str, str, str], dict[str, int]]]]] = {
    A: {
        "2026-03-01": [
            (KARAOKE, {"received_online": 2, "carried_over": 3, "settled_on_time": 1,
                       "open_in_time": 4}),
        ],
        "2026-03-02": [
            (KARAOKE, {"carried_over": 4, "received_direct_postal": 1, "settled_early": 2,
                       "open_in_time": 2, "open_overdue": 1, "postal_received": 1}),
            (TOURISM, {"received_online": 1, "open_in_time": 1}),
        ],
        "2026-03-03": [
            (KARAOKE, {"carried_over": 3, "settled_late": 1, "withdrawn": 1,
                       "open_overdue": 1, "postal_sent": 1}),
            (TOURISM, {"carried_over": 1, "settled_on_time": 1, "postal_delivered": 1}),
        ],
    },
    B: {
        "2026-03-01": [
            (TOURISM, {"received_online": 1, "carried_over": 2, "open_overdue": 3}),
        ],
        "2026-03-02": [
            (TOURISM, {"carried_over": 3, "settled_late": 2, "open_overdue": 1}),
        ],
        "2026-03-03": [
            (TOURISM, {"carried_over": 1, "stopped": 1}),
            (DANCE, {"received_direct_postal": 2, "stopped": 1, "open_in_time": 1,
                     "postal_returned": 1}),
        ],
    },
}  # fmt: skip


@dataclass
class Dept:
    server: RunningServer
    client: httpx.Client
    tokens: dict[str, str]

    def report(self, who: str = "viewer", **params: str) -> dict[str, Any]:
        r = self.client.get(
            REPORT_PATH, params=params, headers={"Authorization": f"Bearer {self.tokens[who]}"}
        )
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data


def _body(day: str, rows: list[tuple[tuple[str, str, str], dict[str, int]]]) -> dict[str, Any]:
    return {
        "protocol": 1,
        "day": day,
        "revision": 1,
        "desk": {"agency_id": "x", "agency_name": "y", "unit_name": "z", "software": "0.9.0"},
        "rows": [
            {
                "procedure": code,
                "name": name,
                "field": field,
                "counts": {k: values.get(k, 0) for k in COUNT_KEYS},
            }
            for (code, name, field), values in rows
        ],
    }


@pytest.fixture(scope="module")
def dept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dept]:
    # The data are only read here, so the module shares one server.
    path = tmp_path_factory.mktemp("department") / "department.sqlite3"
    db = open_department_db(path)
    with db.writer.begin() as s:
        tokens = {name: service.add_desk(s, name).token for name in (A, B)}
        tokens["viewer"] = service.add_viewer(s, "Văn phòng Sở").token
    db.dispose()
    server = start_in_thread(str(path))
    client = httpx.Client(base_url=server.url, timeout=10)
    for desk, days in DAYS.items():
        for day, rows in days.items():
            r = client.post(
                SUMMARIES_PATH,
                json=_body(day, rows),
                headers={"Authorization": f"Bearer {tokens[desk]}"},
            )
            assert r.json()["state"] == "stored", r.text
    try:
        yield Dept(server=server, client=client, tokens=tokens)
    finally:
        client.close()
        server.stop()


def _stats(**values: int) -> dict[str, int]:
    return StatCounts(**values).as_dict()


def test_every_row_of_the_fixture_balances() -> None:
    for days in DAYS.values():
        for rows in days.values():
            for _, values in rows:
                assert StatCounts(**values).identity_errors() == []


def test_by_procedure_sums_flows_and_takes_stocks_from_the_first_and_last_day(dept: Dept) -> None:
    got = dept.report(**{"from": "2026-03-01", "to": "2026-03-03", "by": "procedure"})
    assert [r["group"] for r in got["rows"]] == ["1.000002", "1.001029", "2.000001"]
    rows = {r["group"]: r for r in got["rows"]}
    assert rows["1.001029"] == {
        "group": "1.001029",
        "label": KARAOKE[1],
        **_stats(
            received_online=2,
            received_direct_postal=1,
            carried_over=3,  # day 1 only, not 3 + 4 + 3
            settled_early=2,
            settled_on_time=1,
            settled_late=1,
            open_in_time=0,  # day 3 only
            open_overdue=1,
            withdrawn=1,
            postal_received=1,
            postal_sent=1,
        ),
    }
    # Two desks summed: A's tourism files and B's.
    assert rows["2.000001"] == {
        "group": "2.000001",
        "label": TOURISM[1],
        **_stats(
            received_online=2,
            carried_over=2,
            settled_on_time=1,
            settled_late=2,
            stopped=1,
            postal_delivered=1,
        ),
    }
    assert rows["1.000002"]["label"] == DANCE[1]
    assert rows["1.000002"]["postal_returned"] == 1
    # Derived totals come from StatCounts: 3 = 4 + 5 + 6 etc.
    assert rows["1.001029"]["received_total"] == 6
    assert rows["1.001029"]["settled_total"] == 4
    assert rows["1.001029"]["open_total"] == 1
    total = StatCounts()
    for r in got["rows"]:
        total = total + StatCounts.from_dict(r)
    assert got["total"] == total.as_dict()
    assert StatCounts.from_dict(got["total"]).identity_errors() == []


def test_the_json_has_the_desks_report_shape(dept: Dept) -> None:
    got = dept.report(**{"from": "2026-03-01", "to": "2026-03-03"})
    assert list(got) == ["from", "to", "by", "rows", "total"]
    assert (got["from"], got["to"], got["by"]) == ("2026-03-01", "2026-03-03", "field")
    for row in got["rows"]:
        assert list(row) == ["group", "label", *STAT_KEYS]
    assert list(got["total"]) == list(STAT_KEYS)


def test_by_field_groups_procedures_and_labels_with_the_field(dept: Dept) -> None:
    by_proc = dept.report(**{"from": "2026-03-01", "to": "2026-03-03", "by": "procedure"})
    by_field = dept.report(**{"from": "2026-03-01", "to": "2026-03-03"})
    assert [(r["group"], r["label"]) for r in by_field["rows"]] == [
        ("Du lịch", "Du lịch"),
        ("Văn hóa", "Văn hóa"),
    ]
    procs = {r["group"]: StatCounts.from_dict(r) for r in by_proc["rows"]}
    culture = StatCounts.from_dict(by_field["rows"][1])
    assert culture == procs["1.001029"] + procs["1.000002"]
    assert by_field["total"] == by_proc["total"]


def test_a_shorter_period_takes_its_own_first_and_last_day(dept: Dept) -> None:
    one_day = dept.report(**{"from": "2026-03-02", "to": "2026-03-02", "by": "procedure"})
    karaoke = next(r for r in one_day["rows"] if r["group"] == "1.001029")
    assert karaoke["carried_over"] == 4
    assert (karaoke["open_in_time"], karaoke["open_overdue"]) == (2, 1)
    assert karaoke["settled_early"] == 2 and karaoke["received_online"] == 0

    two_days = dept.report(**{"from": "2026-03-02", "to": "2026-03-03", "by": "procedure"})
    tourism = next(r for r in two_days["rows"] if r["group"] == "2.000001")
    assert tourism["carried_over"] == 3  # B's day 2; A had none carried on day 2
    assert tourism["received_online"] == 1  # A's day 2
    assert tourism["settled_total"] == 3  # A 1 on day 3, B 2 on day 2
    assert tourism["open_total"] == 0


def test_the_desk_filter_keeps_one_desk(dept: Dept) -> None:
    period = {"from": "2026-03-01", "to": "2026-03-03", "by": "procedure"}
    only_b = dept.report(**period, desk=B)
    assert [r["group"] for r in only_b["rows"]] == ["1.000002", "2.000001"]
    tourism = only_b["rows"][1]
    assert tourism["received_online"] == 1 and tourism["carried_over"] == 2
    assert tourism["settled_late"] == 2 and tourism["stopped"] == 1
    # The same numbers when desk B asks with its own token.
    assert dept.report(B, **period) == only_b
    both = dept.report(**period)
    only_a = dept.report(**period, desk=A)
    assert StatCounts.from_dict(both["total"]) == StatCounts.from_dict(
        only_a["total"]
    ) + StatCounts.from_dict(only_b["total"])


def test_days_outside_the_period_and_unknown_desks(dept: Dept) -> None:
    empty = dept.report(**{"from": "2026-02-01", "to": "2026-02-28"})
    assert empty["rows"] == [] and empty["total"] == StatCounts().as_dict()
    r = dept.client.get(
        REPORT_PATH,
        params={"from": "2026-03-01", "to": "2026-03-03", "desk": "Không có"},
        headers={"Authorization": f"Bearer {dept.tokens['viewer']}"},
    )
    assert r.status_code == 404
    reversed_ = dept.client.get(
        REPORT_PATH,
        params={"from": "2026-03-03", "to": "2026-03-01"},
        headers={"Authorization": f"Bearer {dept.tokens['viewer']}"},
    )
    assert reversed_.status_code == 422
    assert "Ngày kết thúc" in reversed_.json()["detail"]


def test_the_desks_list_counts_days(dept: Dept) -> None:
    r = dept.client.get(
        "/api/v1/desks", headers={"Authorization": f"Bearer {dept.tokens['viewer']}"}
    )
    desks = {d["name"]: d for d in r.json()}
    assert desks[A]["days"] == 3 and desks[A]["last_day"] == "2026-03-03"
    assert desks[A]["software"] == "0.9.0" and desks[A]["last_contact_at"] is not None
    assert set(desks) == {A, B}  # the viewer is not a desk
