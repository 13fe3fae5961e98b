"""The rating page on a tablet paired with the counter (issue 16), over a real uvicorn on loopback:
pairing with the right, a wrong, an expired or a spent code; an unpaired browser sees only the
pairing form and gets nothing from the JSON; a rating after each kind of service (accept, refuse
at intake, return at the counter) stored with the visit; a question left alone withdrawn (a level
chosen stored anyway); a second rating refused in words. One server for the module; the clock
is the test's."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from desk_app.counter_web import rating_pages
from desk_app.counter_web.counter import ASK_IDLE, CODE_TRIES, CODE_TTL, CounterState
from desk_app.counter_web.rating_pages import COOKIE, PATH
from desk_app.counter_web.server import LanServer, build_app, page_url, parse_listen
from desk_app.department.ratelimit import TokenBuckets
from desk_app.services import intake, lifecycle, ratings
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.ratings import Visit
from desk_app.store.engine import Database, open_database
from tests.desk_setup import sign_in

START = datetime(2026, 3, 2, 10, 0)
KARAOKE = "1.001029"
COUNTER = "Quầy 3"
PAIR_BURST = 5


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Monotonic:
    """The pairing limiter's clock: each test starts an hour later, its buckets full."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@dataclass
class Lan:
    db: Database
    clock: Clock
    state: CounterState
    server: LanServer
    officer: Actor
    mono: Monotonic

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://127.0.0.1:{self.server.port}", timeout=5)


@pytest.fixture(scope="module")
def lan(desk_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lan]:
    path = tmp_path_factory.mktemp("lan") / "desk.sqlite3"
    shutil.copyfile(desk_template_db, path)
    db = open_database(path)
    clock = Clock()
    state = CounterState(COUNTER, clock)
    mono = Monotonic()
    limit = TokenBuckets(capacity=PAIR_BURST, per_seconds=12.0, clock=mono)
    app = build_app(db, clock, counter=state, pair_limit=limit, tick_seconds=0.02)
    server = LanServer(app, "127.0.0.1", 0).start()
    officer = sign_in(db, "canbo")
    yield Lan(db, clock, state, server, officer, mono)
    server.stop()
    db.dispose()


@pytest.fixture
def fresh(lan: Lan) -> Lan:
    lan.state.unpair()
    lan.clock.now = START
    lan.mono.seconds += 3600
    return lan


def _pair(lan: Lan, client: httpx.Client) -> None:
    _pair_with(client, lan.state.new_code().code)
    assert lan.state.paired


def _pair_with(client: httpx.Client, code: str) -> None:
    # As a browser posts the form: naming the page's origin (Referrer-Policy "same-origin";
    # under "no-referrer" a browser says "null", which the server would refuse).
    origin = str(client.base_url).rstrip("/")
    answer = client.post(f"{PATH}/ghep", data={"ma": code}, headers={"Origin": origin})
    assert answer.status_code == 303 and answer.headers["location"] == PATH
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def _file(lan: Lan, service: str) -> str:
    data = intake.IntakeInput(
        procedure=KARAOKE,
        applicant=intake.ApplicantInput(name="Đặng Thị Ánh", id_number="020190001234"),
        received_at=lan.clock.now,
    )
    with lan.db.writer.begin() as s:
        if service == "refuse":
            return intake.refuse_file(
                s, data, "Sai thẩm quyền", lan.officer, now=lan.clock.now
            ).code
        view = intake.accept_file(s, data, lan.officer, now=lan.clock.now)
        if service == "return":
            move = MoveInput(view.code)
            lifecycle.forward(s, move, lan.officer, now=lan.clock.now)
            lifecycle.record_result(s, move, lan.officer, now=lan.clock.now)
            lifecycle.return_result(
                s, move, lan.officer, receiver="Đặng Thị Ánh", now=lan.clock.now
            )
        return view.code


def _offer(lan: Lan, service: str) -> Visit:
    """What the window does after the service: open the visit, offer it to the tablet."""
    code = _file(lan, service)
    with lan.db.writer.begin() as s:
        visit = ratings.open_visit(s, code, service, lan.officer, lan.clock.now, counter=COUNTER)
    lan.state.offer(visit)
    return visit


def _stored(lan: Lan, token: str) -> dict[str, object]:
    with lan.db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT r.service, r.level, r.reasons, r.comment, r.counter_name, r.rated_at, "
                "f.code FROM ratings r JOIN files f ON f.id = r.file_id WHERE r.token = :t"
            ),
            {"t": token},
        ).one()
    return dict(row._mapping)


def _state(client: httpx.Client, after: int = -1) -> dict[str, object]:
    answer = client.get(f"{PATH}/trang-thai", params={"sau": after})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_pairing_with_the_right_code_gives_the_rating_page(fresh: Lan) -> None:
    with fresh.client() as tablet:
        form = tablet.get(PATH)
        assert form.status_code == 200 and 'action="/danh-gia/ghep"' in form.text
        assert 'id="p-ask"' not in form.text and COUNTER not in form.text
        _pair(fresh, tablet)
        page = tablet.get(PATH)
        assert 'id="p-ask"' in page.text and "/danh-gia/app.js" in page.text
        assert COUNTER in page.text and "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "same-origin"
        # The code is spent: another browser cannot use it again.
        code_again = fresh.state.live_code()
        assert code_again is None
        script = tablet.get(f"{PATH}/app.js")
        assert script.headers["content-type"].startswith("text/javascript")


def test_a_wrong_expired_or_spent_code_pairs_nothing(fresh: Lan) -> None:
    with fresh.client() as tablet:
        code = fresh.state.new_code().code
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        answer = tablet.post(f"{PATH}/ghep", data={"ma": wrong})
        assert answer.status_code == 400 and "Mã ghép không đúng" in answer.text
        assert COOKIE not in tablet.cookies and not fresh.state.paired
        # Expired: the right digits after CODE_TTL.
        fresh.clock.now += CODE_TTL
        answer = tablet.post(f"{PATH}/ghep", data={"ma": code})
        assert answer.status_code == 400 and "đã hết hạn" in answer.text
        # CODE_TRIES wrong tries burn a live code, whoever types them.
        code = fresh.state.new_code().code
        wrong = f"{(int(code) + 7) % 1_000_000:06d}"
        fresh.mono.seconds += 3600
        for _ in range(CODE_TRIES):
            assert tablet.post(f"{PATH}/ghep", data={"ma": wrong}).status_code == 400
        assert fresh.state.live_code() is None
        fresh.mono.seconds += 3600
        answer = tablet.post(f"{PATH}/ghep", data={"ma": code})
        assert answer.status_code == 400 and not fresh.state.paired


def test_pairing_tries_are_rationed_per_address(fresh: Lan) -> None:
    with fresh.client() as tablet:
        code = fresh.state.new_code().code
        for _ in range(PAIR_BURST):  # letters: never a code, never burning the live one
            assert tablet.post(f"{PATH}/ghep", data={"ma": "abc"}).status_code == 400
        answer = tablet.post(f"{PATH}/ghep", data={"ma": code})
        assert answer.status_code == 429 and "quá nhiều lần" in answer.text
        assert not fresh.state.paired
        fresh.mono.seconds += 12  # one try more after 12 s
        _pair_with(tablet, code)
        assert fresh.state.paired


def test_an_unpaired_browser_sees_and_gets_nothing(fresh: Lan) -> None:
    visit = _offer(fresh, "accept")
    with fresh.client() as stranger:
        page = stranger.get(PATH)
        assert 'id="p-ask"' not in page.text
        for words in (visit.file_code, "canbo", "Nguyễn Thị Lan", "Đặng Thị Ánh", COUNTER):
            assert words not in page.text
        stranger.cookies.set(COOKIE, "made-up-token")
        assert stranger.get(f"{PATH}/trang-thai").status_code == 401
        sent = stranger.post(f"{PATH}/gui", json={"seq": 1, "level": 1})
        assert sent.status_code == 401 and visit.file_code not in sent.text
        assert stranger.post(f"{PATH}/chon", json={"seq": 1, "level": 1}).status_code == 401
    assert _stored(fresh, visit.token)["level"] is None
    # A tablet unpaired by the officer is a stranger again.
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        assert tablet.get(f"{PATH}/trang-thai").status_code == 200
        fresh.state.unpair()
        assert tablet.get(f"{PATH}/trang-thai").status_code == 401
        assert 'action="/danh-gia/ghep"' in tablet.get(PATH).text


@pytest.mark.parametrize("service", ["accept", "refuse", "return"])
def test_a_rating_after_each_kind_of_service(fresh: Lan, service: str) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        idle = _state(tablet)
        assert idle["offer"] is None
        visit = _offer(fresh, service)
        asked = _state(tablet, int(str(idle["version"])))  # the long poll answers at once
        offer = asked["offer"]
        assert isinstance(offer, dict)
        assert offer["service"] == service and offer["counter"] == COUNTER
        assert offer["officer"] == "Nguyễn Thị Lan"
        assert visit.file_code not in json.dumps(asked, ensure_ascii=False)
        seq = offer["seq"]
        chose = tablet.post(f"{PATH}/chon", json={"seq": seq, "level": 1, "reasons": ["thu_tuc"]})
        assert chose.json() == {"ok": True}
        sent = tablet.post(
            f"{PATH}/gui",
            json={"seq": seq, "level": 1, "reasons": ["thu_tuc", "thai_do"], "comment": "Chờ lâu"},
        )
        assert sent.status_code == 200 and sent.json()["words"] == "Không hài lòng"
        assert _state(tablet)["offer"] is None
    row = _stored(fresh, visit.token)
    assert (row["service"], row["level"], row["comment"], row["counter_name"]) == (
        service,
        1,
        "Chờ lâu",
        COUNTER,
    )
    assert json.loads(str(row["reasons"])) == ["thu_tuc", "thai_do"]
    assert row["rated_at"] == "2026-03-02 10:00:00"


def test_a_second_rating_is_refused_in_words(fresh: Lan) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        visit = _offer(fresh, "accept")
        seq = _state(tablet)["offer"]["seq"]  # type: ignore[index]
        first = tablet.post(f"{PATH}/gui", json={"seq": seq, "level": 3})
        assert first.status_code == 200
        again = tablet.post(f"{PATH}/gui", json={"seq": seq, "level": 1, "comment": "đổi ý"})
        assert again.status_code == 409 and again.json()["error"] == ratings.ALREADY_RATED
        # A number never asked about is refused too, in words.
        never = tablet.post(f"{PATH}/gui", json={"seq": 999, "level": 1})
        assert never.status_code == 409 and never.json()["error"] == rating_pages.NOT_ASKED
    row = _stored(fresh, visit.token)
    assert (row["level"], row["comment"]) == (3, None)


def test_a_bad_comment_is_said_and_the_question_stays(fresh: Lan) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        visit = _offer(fresh, "accept")
        seq = _state(tablet)["offer"]["seq"]  # type: ignore[index]
        bad = tablet.post(f"{PATH}/gui", json={"seq": seq, "level": 2, "comment": "Tốt\x1b[31m"})
        assert bad.status_code == 422 and bad.json()["field"] == "comment"
        assert "ký tự điều khiển" in bad.json()["error"]
        assert _state(tablet)["offer"] is not None  # still asked: the comment can be fixed
        good = tablet.post(f"{PATH}/gui", json={"seq": seq, "level": 2, "comment": "Tốt"})
        assert good.status_code == 200
    assert _stored(fresh, visit.token)["level"] == 2


def test_a_question_left_alone_goes_back_to_idle(fresh: Lan) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        # Nothing tapped: withdrawn after ASK_IDLE, nothing stored.
        untouched = _offer(fresh, "accept")
        assert _state(tablet)["offer"] is not None
        fresh.clock.now += ASK_IDLE - timedelta(seconds=1)
        assert _state(tablet)["offer"] is not None
        fresh.clock.now += timedelta(seconds=1)
        assert _state(tablet)["offer"] is None
        # A level tapped, then typing keeps it; left alone after: stored with the reasons.
        chosen = _offer(fresh, "accept")
        seq = _state(tablet)["offer"]["seq"]  # type: ignore[index]
        tablet.post(f"{PATH}/chon", json={"seq": seq, "level": 2, "reasons": ["huong_dan"]})
        fresh.clock.now += ASK_IDLE - timedelta(seconds=1)
        assert tablet.post(f"{PATH}/cham", json={"seq": seq}).json() == {"ok": True}
        fresh.clock.now += ASK_IDLE - timedelta(seconds=1)
        assert _state(tablet)["offer"] is not None
        fresh.clock.now += timedelta(seconds=1)
        assert _state(tablet)["offer"] is None
        late = tablet.post(f"{PATH}/cham", json={"seq": seq})
        assert late.status_code == 409
    # The server's own tick stores the level chosen.
    deadline = time.monotonic() + 3
    while _stored(fresh, chosen.token)["level"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    row = _stored(fresh, chosen.token)
    assert (row["level"], row["reasons"]) == (2, '["huong_dan"]')
    assert _stored(fresh, untouched.token)["level"] is None


def test_a_new_visit_replaces_the_question_and_keeps_a_level_chosen(fresh: Lan) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        first = _offer(fresh, "accept")
        seq = _state(tablet)["offer"]["seq"]  # type: ignore[index]
        tablet.post(f"{PATH}/chon", json={"seq": seq, "level": 3, "reasons": []})
        second = _offer(fresh, "refuse")
        offer = _state(tablet)["offer"]
        assert isinstance(offer, dict) and offer["seq"] != seq and offer["service"] == "refuse"
    deadline = time.monotonic() + 3
    while _stored(fresh, first.token)["level"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stored(fresh, first.token)["level"] == 3
    assert _stored(fresh, second.token)["level"] is None


def test_a_post_from_another_site_is_refused(fresh: Lan) -> None:
    with fresh.client() as tablet:
        _pair(fresh, tablet)
        _offer(fresh, "accept")
        seq = _state(tablet)["offer"]["seq"]  # type: ignore[index]
        forged = tablet.post(
            f"{PATH}/gui", json={"seq": seq, "level": 1}, headers={"Origin": "http://evil.example"}
        )
        assert forged.status_code == 403
        assert _state(tablet)["offer"] is not None


def test_addresses() -> None:
    assert parse_listen("0.0.0.0:8765") == ("0.0.0.0", 8765)
    assert parse_listen("8765") == ("0.0.0.0", 8765)
    assert parse_listen("[::1]:80") == ("::1", 80)
    for bad in ("quay3:80", "1.2.3.4:0", "1.2.3.4:x", "1.2.3.4:70000"):
        with pytest.raises(ValueError):
            parse_listen(bad)
    assert page_url("192.168.1.20", 8765) == "http://192.168.1.20:8765/danh-gia"
    assert page_url("0.0.0.0", 8765).endswith(":8765/danh-gia")
