"""`files list --json` gives each file the per-file fields of `files show --json`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest

from desk_app.cli.app import run
from desk_app.clock import PIN_VARIABLE
from desk_app.services import lifecycle
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.views import FileView
from desk_app.store.engine import Database

# The lists `files show` adds (`lines`: each document line's digitising state and pages).
LISTS = {"documents", "pauses", "reschedules", "events", "lines"}


def _json(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> object:
    assert run(["--db", str(db.path or db.url), *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_and_show_give_the_same_fields(
    db: Database,
    officer: Actor,
    accept: Callable[..., FileView],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PIN_VARIABLE, "2026-03-12T10:00")
    open_code = accept(received=datetime(2026, 3, 2, 9, 15)).code
    done = accept(received=datetime(2026, 3, 2, 9, 30), name="Hoàng Văn Bình").code
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(done), officer, now=datetime(2026, 3, 6, 15, 0))
        lifecycle.return_result(
            s, MoveInput(done), officer, receiver="Hoàng Văn Bình", now=datetime(2026, 3, 9, 8, 0)
        )
    db.dispose()

    listed = _json(capsys, db, "files", "list", "--queue", "all", "--json")
    assert isinstance(listed, list)
    by_code = {row["code"]: row for row in listed}
    for code in (open_code, done):
        shown = _json(capsys, db, "files", "show", code, "--json")
        assert isinstance(shown, dict)
        assert set(shown) >= LISTS
        assert by_code[code] == {k: v for k, v in shown.items() if k not in LISTS}
    # Hand-computed: 5 working days from Mon 2/3 09:30 is Mon 9/3 09:30; back Fri 6/3 15:00.
    row = by_code[done]
    assert {k: row[k] for k in ("channel", "register_seq", "settled", "outcome", "closed")} == {
        "channel": "direct",
        "register_seq": 2,
        "settled": "2026-03-06T15:00",
        "outcome": "early",
        "closed": "2026-03-09T08:00",
    }
    assert (by_code[open_code]["settled"], by_code[open_code]["closed"]) == (None, None)
    assert by_code[open_code]["register_seq"] == 1


def test_files_list_prints_status_and_queue_names(
    db: Database,
    officer: Actor,
    accept: Callable[..., FileView],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PIN_VARIABLE, "2026-03-12T10:00")
    waiting = accept(received=datetime(2026, 3, 2, 9, 15), name="Lê Thị Hoa").code
    moving = accept(received=datetime(2026, 3, 2, 9, 30), name="Hoàng Văn Bình").code
    with db.writer.begin() as s:
        lifecycle.forward(s, MoveInput(moving), officer, now=datetime(2026, 3, 3, 8, 0))
    db.dispose()

    assert run(["--db", str(db.path or db.url), "files", "list", "--queue", "all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    by_code = {line.split()[0]: line for line in lines[:-1]}
    assert "Được tiếp nhận" in by_code[waiting] and "Lê Thị Hoa" in by_code[waiting]
    assert "Đang xử lý" in by_code[moving]
    # Names, not national codes: no bare status number between the moments and the name.
    assert " 4 " not in by_code[moving] and " 2 " not in by_code[waiting]
    assert lines[-1] == "2/2 hồ sơ (Tất cả)."
    assert run(["--db", str(db.path or db.url), "files", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2/2 hồ sơ (Đang giải quyết)."
