"""The file's status from the receipt (issue 16): a desk sends its files' look-up rows to a real
department on loopback; the public page `/tra-cuu` shows a file to whoever holds its code and
look-up key, says nothing about it otherwise, and rations each client address."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select

from desk_app.department.app import create_app
from desk_app.department.db import open_department_db
from desk_app.department.models import LookupRow
from desk_app.department.page import NOT_FOUND, TOO_MANY
from desk_app.department.ratelimit import TokenBuckets
from desk_app.department.server import start_in_thread
from desk_app.services import lifecycle, lookup_keys
from desk_app.services.lifecycle import MoveInput
from desk_app.store.models import DeskSettings, FileRecord, LookupSent
from tests.e2e.test_sync_department import NOW, Department, Desk, _make_desk
from tests.e2e.test_sync_department import department as department  # the fixture

# These tests hold no time bound: the desk waits for the department as long as a loaded machine
# needs (the module they borrow their desks from waits 0.6 s, and runs alone for it).
PATIENT = 30.0


@pytest.fixture
def desk_l(tmp_path: Path, department: Department, template_db: Path) -> Iterator[Desk]:
    made = _make_desk(tmp_path, department, template_db, f"Một cửa L {tmp_path.name}", 3)
    # Every copy of the template shares its secret (and the desks their file codes): a desk of
    # its own, as a real one is.
    with made.db.writer.begin() as s:
        s.get(DeskSettings, 1).lookup_secret = lookup_keys.new_secret()  # type: ignore[union-attr]
    yield made
    made.db.dispose()


def _open_file(desk: Desk) -> tuple[str, str]:
    """A file still being worked on, and its look-up key."""
    with desk.db.reader.begin() as s:
        record = s.scalars(
            select(FileRecord).where(FileRecord.settled_at.is_(None)).order_by(FileRecord.id)
        ).first()
        assert record is not None
        return record.code, lookup_keys.file_key(s, record.agency, record.code)


def _page(department: Department, **params: str) -> httpx.Response:
    return httpx.get(f"{department.server.url}/tra-cuu", params=params, timeout=5)


def test_the_right_key_shows_the_file_and_anything_else_shows_nothing(
    department: Department, desk_l: Desk
) -> None:
    report = desk_l.sync(department.server.url, timeout=PATIENT)
    assert report.online and not report.failed and not report.message
    code, key = _open_file(desk_l)
    right = _page(department, ma=code, khoa=lookup_keys.printed(key))
    assert right.status_code == 200 and right.headers["cache-control"] == "no-store"
    assert 'id="ket-qua"' in right.text and NOT_FOUND not in right.text
    assert "Chưa có kết quả" in right.text and "Nhận trực tiếp tại Bộ phận Một cửa" in right.text
    assert "Nông Thị Hoa" not in right.text and "Trần Đăng Ninh" not in right.text
    # Typed in lower case with a space instead of the dash: the same key.
    typed = _page(department, ma=code, khoa=f"{key[:4].lower()} {key[4:]}")
    assert 'id="ket-qua"' in typed.text

    wrong_key = key[:-1] + ("2" if key[-1] != "2" else "3")
    wrong = _page(department, ma=code, khoa=wrong_key)
    missing = _page(department, ma=code)
    assert wrong.status_code == missing.status_code == 200
    assert wrong.text == missing.text  # not a byte tells a wrong key from a missing one
    assert NOT_FOUND in wrong.text and 'id="ket-qua"' not in wrong.text
    # An unknown code answers the very same page (only the code typed is kept in the form).
    unknown_code = code[:-4] + "9999"
    unknown = _page(department, ma=unknown_code, khoa=key)
    assert unknown.text == missing.text.replace(code, unknown_code)
    # The first visit, without a code, shows the form alone.
    blank = _page(department)
    assert NOT_FOUND not in blank.text and 'id="ket-qua"' not in blank.text


def test_changes_reach_the_page_once_the_department_is_back(
    department: Department, desk_l: Desk
) -> None:
    assert desk_l.sync(department.server.url, timeout=PATIENT).online
    code, key = _open_file(desk_l)
    with desk_l.db.writer.begin() as s:
        record = s.scalars(select(FileRecord).where(FileRecord.code == code)).one()
        if record.status == 2:  # accepted, not yet forwarded
            lifecycle.forward(s, MoveInput(code, at=NOW), desk_l.officer, now=NOW)
        lifecycle.record_result(s, MoveInput(code, at=NOW), desk_l.officer, now=NOW)
    with socket.create_server(("127.0.0.1", 0)) as spare:
        nobody = f"http://127.0.0.1:{spare.getsockname()[1]}"
    assert desk_l.sync(nobody, timeout=PATIENT).online is False
    assert "Chưa có kết quả" in _page(department, ma=code, khoa=key).text
    later = datetime(NOW.year, NOW.month, NOW.day, 11, 0)
    back = desk_l.sync(department.server.url, at=later, timeout=PATIENT)
    assert back.online and not back.message
    page = _page(department, ma=code, khoa=key).text
    assert "Đã có kết quả, chờ trả" in page and 'class="ready">Đã có kết quả' in page
    # Sent again (a retry after a lost answer) nothing doubles: one row per file.
    with desk_l.db.writer.begin() as s:
        s.execute(delete(LookupSent))
    assert desk_l.sync(department.server.url, at=later, timeout=PATIENT).online
    ddb = open_department_db(department.db_url)
    try:
        with ddb.reader.begin() as s:
            rows = s.scalars(
                select(LookupRow.code).where(
                    LookupRow.code == code, LookupRow.key_hash == lookup_keys.key_hash(key)
                )
            ).all()
    finally:
        ddb.dispose()
    assert rows == [code]


def test_the_page_is_rationed_per_client_address(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    open_department_db(url).dispose()
    app = create_app(url, lookup_limit=TokenBuckets(capacity=3, per_seconds=3600))
    server = start_in_thread(url, app=app)
    try:
        answers = [
            httpx.get(f"{server.url}/tra-cuu", params={"ma": "X", "khoa": "ABCD"}, timeout=5)
            for _ in range(4)
        ]
    finally:
        server.stop()
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert TOO_MANY in answers[3].text and answers[3].headers["retry-after"] == "3600"
