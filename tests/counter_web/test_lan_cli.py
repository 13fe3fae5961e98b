"""`main.py lan --listen HOST:PORT`: the counter's LAN pages served from a PC with no window (a
kiosk, a hall display); the rating page there only says where it is served; a listening address
that is not one is refused in words."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from desk_app.cli.app import run
from desk_app.counter_web import server
from desk_app.counter_web.rating_pages import NO_COUNTER
from desk_app.store.engine import Database

NOW = datetime(2026, 3, 2, 10, 0)


def test_a_listening_address_that_is_not_one_is_refused(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", str(db.path), "lan", "--listen", "quay3:80"]) == 2
    assert "không phải địa chỉ lắng nghe" in capsys.readouterr().err


def test_the_command_serves_the_desk_s_database_where_asked(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[str | None, str, int]] = []
    # uvicorn's blocking run (until Ctrl+C) is left out; what it is given is checked.
    monkeypatch.setattr(
        server, "serve", lambda d, _now, host, port: served.append((d.label, host, port))
    )
    assert run(["--db", str(db.path), "lan", "--listen", "127.0.0.1:8799"]) == 0
    assert served == [(str(db.path), "127.0.0.1", 8799)]
    assert "http://127.0.0.1:8799/" in capsys.readouterr().out


def test_without_a_counter_the_rating_page_says_where_it_is(db: Database) -> None:
    lan = server.LanServer(server.build_app(db, lambda: NOW), "127.0.0.1", 0)
    with lan, httpx.Client(base_url=f"http://127.0.0.1:{lan.port}", timeout=5) as client:
        page = client.get("/danh-gia")
        assert page.status_code == 200 and NO_COUNTER in page.text
        assert 'action="/danh-gia/ghep"' not in page.text
        assert client.get("/danh-gia/trang-thai").status_code == 401
        refused = client.post("/danh-gia/ghep", data={"ma": "123456"})
        assert refused.status_code == 403
