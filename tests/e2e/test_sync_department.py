"""Desks send their day summaries to a real department service on loopback through a proxy that
breaks the network on purpose; after every scenario the department's numbers equal the desk's own
statistics for every day, exactly."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from desk_app.department.db import open_department_db
from desk_app.department.models import DaySummary
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.department.service import add_desk, add_viewer
from desk_app.domain.documents import Channel, ResultBy
from desk_app.services import intake, lifecycle, users
from desk_app.services.context import Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database, open_database
from desk_app.sync import outbox
from desk_app.sync.runner import PassReport, run_pass
from desk_app.sync.secret import SecretStore
from tests.desk_setup import OFFICER, fill_desk

NOW = datetime(2026, 3, 2, 10, 0)
FIRST = date(2026, 2, 23)
TIMEOUT = 0.6


class FaultProxy:
    """A loopback HTTP proxy in front of the department that can answer 500, cut the connection
    after the department answered, or answer too late. Each request takes the next planned
    fault; with none left it passes the request through."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.plan: list[str] = []
        self.seen = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop = True
        self._server.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            while True:
                request = _read_http(conn)
                if request is None:
                    return
                with self._lock:
                    self.seen += 1
                    fault = self.plan.pop(0) if self.plan else "pass"
                if fault == "500":
                    body = b'{"detail":"database is locked"}'
                    conn.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    continue
                answer = self._forward(request)
                if fault == "cut":
                    # The department stored it and answered; the desk never hears the answer.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                    return
                if fault == "slow":
                    time.sleep(TIMEOUT * 2.5)
                try:
                    conn.sendall(answer)
                except OSError:
                    return
                if b"connection: close" in answer.lower():
                    return

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as up:
            up.sendall(request)
            answer = _read_http(up)
        assert answer is not None
        return answer


def _read_http(conn: socket.socket) -> bytes | None:
    """One HTTP message (headers and a Content-Length body) from `conn`, or None at its end."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = conn.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


@dataclass
class Department:
    server: RunningServer
    db_url: str
    viewer: str
    proxy: FaultProxy
    names: list[str] = field(default_factory=list)

    def register(self, name: str) -> str:
        ddb = open_department_db(self.db_url)
        try:
            with ddb.writer.begin() as s:
                return add_desk(s, name).token
        finally:
            ddb.dispose()

    def report(self, start: date, end: date, desk_name: str, by: str) -> dict[str, object]:
        response = httpx.get(
            f"{self.server.url}/api/v1/report",
            params={"from": start.isoformat(), "to": end.isoformat(), "desk": desk_name, "by": by},
            headers={"Authorization": f"Bearer {self.viewer}"},
            timeout=10,
        )
        response.raise_for_status()
        data: dict[str, object] = response.json()
        return data

    def stored(self, desk_name: str) -> list[tuple[date, int, str]]:
        ddb = open_department_db(self.db_url)
        try:
            with ddb.reader.begin() as s:
                from desk_app.department.models import Desk

                desk_id = s.scalar(select(Desk.id).where(Desk.name == desk_name))
                return [
                    (r.day, r.revision, r.receipt_id)
                    for r in s.scalars(
                        select(DaySummary)
                        .where(DaySummary.desk_id == desk_id)
                        .order_by(DaySummary.day, DaySummary.revision)
                    )
                ]
        finally:
            ddb.dispose()


@pytest.fixture(scope="module")
def department(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Department]:
    # DESK_TEST_DEPARTMENT_URL runs the same scenarios against another database, e.g.
    # postgresql+psycopg://postgres@127.0.0.1:55432/department (README, "The department").
    folder = tmp_path_factory.mktemp("department")
    url = os.environ.get("DESK_TEST_DEPARTMENT_URL", f"sqlite:///{folder / 'department.sqlite3'}")
    ddb = open_department_db(url)
    with ddb.writer.begin() as s:
        viewer = add_viewer(s, f"Văn phòng Sở {folder.name}").token
    ddb.dispose()
    server = start_in_thread(url)
    proxy = FaultProxy(server.port)
    yield Department(server, url, viewer, proxy)
    proxy.close()
    server.stop()


@dataclass
class Desk:
    db: Database
    name: str
    token: str
    secrets: SecretStore
    officer: Actor

    def sync(
        self,
        url: str,
        *,
        token: str | None = None,
        at: datetime = NOW,
        timeout: float = TIMEOUT,
    ) -> PassReport:
        return run_pass(
            self.db,
            now=lambda: at,
            url=url,
            token=token or self.token,
            force=True,
            timeout=timeout,
            secrets=self.secrets,
        )

    def states(self) -> list[str]:
        with self.db.reader.begin() as s:
            return [e.state for e in outbox.entries(s)]


def _make_desk(
    tmp_path: Path,
    department: Department,
    template_db: Path,
    name: str,
    seed: int,
    *,
    settle_all: bool = False,
) -> Desk:
    import shutil

    path = tmp_path / f"{name}.sqlite3"
    shutil.copyfile(template_db, path)
    db = open_database(path)
    with db.writer.begin() as s:
        fill_desk(s, staff=[OFFICER])
    with db.reader.begin() as s:
        officer = users.sign_in(s, "canbo", "matkhau123")
    _a_week_of_work(db, officer, seed, settle_all=settle_all)
    return Desk(db, name, department.register(name), SecretStore(tmp_path / "secrets"), officer)


def _a_week_of_work(db: Database, actor: Actor, seed: int, *, settle_all: bool = False) -> None:
    """A week at the counter: files received, forwarded, paused, settled, withdrawn, returned.
    With `settle_all`, every file is settled within the week (no numbers after it)."""
    import random

    rng = random.Random(seed)
    procedures = ("1.001029", "VHTTDL-DL-01", "VHTTDL-DL-04", "CHUNG-CT-01")
    for n in range(14):
        day = FIRST + timedelta(days=0 if n == 0 else rng.randint(0, 4 if settle_all else 6))
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=13 * n)
        with db.writer.begin() as s:
            view = intake.accept_file(
                s,
                intake.IntakeInput(
                    procedure=rng.choice(procedures),
                    applicant=intake.ApplicantInput(
                        name=f"Nông Thị Hoa {n}", address="5 Trần Đăng Ninh, Lạng Sơn"
                    ),
                    channel=rng.choice((Channel.DIRECT, Channel.ONLINE, Channel.POSTAL)),
                    received_at=at,
                    result_by=ResultBy.COUNTER,
                ),
                actor,
                now=at,  # typed at the counter when received
            )
            code = view.code
            step = at + timedelta(hours=2)
            if settle_all:
                lifecycle.record_result(s, MoveInput(code, at=step), actor, now=NOW)
                continue
            if n == 0 or step >= NOW:  # the first file stays open: every day has numbers
                continue
            lifecycle.forward(s, MoveInput(code, at=step), actor, now=NOW)
            roll = rng.random()
            later = step + timedelta(days=1)
            if later >= NOW:
                continue
            if roll < 0.2:
                lifecycle.request_supplement(
                    s, MoveInput(code, at=later), "Thiếu bản sao", actor, now=NOW
                )
            elif roll < 0.3:
                lifecycle.withdraw(s, MoveInput(code, at=later), "Công dân rút", actor, now=NOW)
            elif roll < 0.8:
                lifecycle.record_result(s, MoveInput(code, at=later), actor, now=NOW)


def _assert_same_numbers(desk_: Desk, department: Department) -> None:
    """Every day alone, and the whole week, by procedure and by field."""
    periods = [(FIRST + timedelta(days=i),) * 2 for i in range(8)] + [(FIRST, NOW.date())]
    with desk_.db.reader.begin() as s:
        for start, end in periods:
            for by in (GroupBy.PROCEDURE, GroupBy.FIELD):
                mine = period_report(s, start, end, by).to_json()
                theirs = department.report(start, end, desk_.name, str(by))
                assert theirs == json.loads(json.dumps(mine)), (start, end, by)


@pytest.fixture
def desk_a(tmp_path: Path, department: Department, template_db: Path) -> Iterator[Desk]:
    made = _make_desk(tmp_path, department, template_db, f"Một cửa A {tmp_path.name}", 1)
    yield made
    made.db.dispose()


def test_server_down_then_up(department: Department, desk_a: Desk) -> None:
    with socket.create_server(("127.0.0.1", 0)) as spare:
        nobody = f"http://127.0.0.1:{spare.getsockname()[1]}"
    down = desk_a.sync(nobody)
    assert down.online is False and not down.sent
    assert "Không kết nối được với Sở" in down.failed[0].error
    with desk_a.db.reader.begin() as s:
        status = outbox.status(s)
    assert status.online is False and status.unsent == 8 and status.last_success_at is None
    up = desk_a.sync(department.server.url)
    assert up.online is True and len(up.sent) == 8 and not up.failed
    assert set(desk_a.states()) == {outbox.ACKNOWLEDGED}
    _assert_same_numbers(desk_a, department)


def test_server_errors_are_retried_without_blocking_the_other_days(
    department: Department, desk_a: Desk
) -> None:
    department.proxy.plan[:] = ["500", "pass", "500"]
    first = desk_a.sync(department.proxy.url)
    assert len(first.sent) == 6 and len(first.failed) == 2
    assert all(f.error.startswith("Sở đang gặp lỗi (500)") and not f.rejected for f in first.failed)
    assert desk_a.states().count(outbox.PENDING) == 2
    second = desk_a.sync(department.proxy.url)
    assert len(second.sent) == 2 and not second.failed
    _assert_same_numbers(desk_a, department)


def test_a_cut_after_the_department_stored_does_not_count_twice(
    department: Department, desk_a: Desk
) -> None:
    department.proxy.plan[:] = ["pass", "cut"]
    first = desk_a.sync(department.proxy.url)
    assert len(first.sent) == 1 and first.online is False
    stored = department.stored(desk_a.name)
    assert len(stored) == 2  # the second day arrived, its answer did not
    second = desk_a.sync(department.proxy.url)
    assert len(second.sent) == 7 and second.online is True
    again = department.stored(desk_a.name)
    assert len(again) == 8 and len({(d, r) for d, r, _ in again}) == 8
    # The day whose answer was lost got the receipt the department gave the first time.
    (resent,) = [s for s in second.sent if s.day == stored[1][0]]
    assert resent.receipt_id == stored[1][2]
    _assert_same_numbers(desk_a, department)


def test_a_slow_department_past_the_timeout_is_asked_again(
    department: Department, desk_a: Desk
) -> None:
    department.proxy.plan[:] = ["slow"]
    first = desk_a.sync(department.proxy.url)
    assert not first.sent and first.online is False
    assert "không trả lời trong" in first.failed[0].error
    second = desk_a.sync(department.proxy.url)
    assert len(second.sent) == 8
    assert len(department.stored(desk_a.name)) == 8
    _assert_same_numbers(desk_a, department)


def test_a_wrong_token_stops_the_rows_and_says_why(department: Department, desk_a: Desk) -> None:
    refused = desk_a.sync(department.server.url, token="not-the-token-of-this-desk")
    assert not refused.sent and len(refused.failed) == 8
    assert all(f.rejected and "mã truy cập (token)" in f.error for f in refused.failed)
    assert set(desk_a.states()) == {outbox.REJECTED}
    nothing = desk_a.sync(department.server.url)  # rejected rows wait for someone to act
    assert not nothing.sent
    with desk_a.db.writer.begin() as s:
        assert outbox.retry_rejected(s) == 8
    fixed = desk_a.sync(department.server.url)
    assert len(fixed.sent) == 8
    _assert_same_numbers(desk_a, department)


def test_two_desks_at_once_and_a_late_correction(
    tmp_path: Path, department: Department, template_db: Path, desk_a: Desk
) -> None:
    desk_b = _make_desk(tmp_path, department, template_db, f"Một cửa B {tmp_path.name}", 2)
    try:
        results: dict[str, PassReport] = {}
        threads = [
            threading.Thread(
                target=lambda d=d: results.update({d.name: d.sync(department.server.url)})
            )
            for d in (desk_a, desk_b)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert all(len(r.sent) == 8 for r in results.values())
        _assert_same_numbers(desk_a, department)
        _assert_same_numbers(desk_b, department)

        # A result recorded this morning for Saturday: new revisions replace the old ones.
        with desk_b.db.reader.begin() as s:
            from desk_app.store.models import FileRecord

            code = s.scalar(select(FileRecord.code).where(FileRecord.status.in_((2, 4))).limit(1))
        assert code is not None
        with desk_b.db.writer.begin() as s:
            lifecycle.record_result(
                s, MoveInput(code, at=datetime(2026, 2, 28, 9, 30)), desk_b.officer, now=NOW
            )
        again = desk_b.sync(department.server.url)
        assert again.new_revisions >= 2 and {s.revision for s in again.sent} == {2}
        _assert_same_numbers(desk_b, department)
        _assert_same_numbers(desk_a, department)
    finally:
        desk_b.db.dispose()


def test_the_commands_sync_and_report_the_same_json_as_the_desk(
    tmp_path: Path,
    department: Department,
    template_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command line runs on the real clock: every file of this desk was settled in
    February, so the days after that have no numbers to send whatever today is."""
    from desk_app.cli.app import run

    monkeypatch.setenv("DESK_USER", "canbo")  # `sync` writes the outbox: an officer signs in
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")

    desk_c = _make_desk(
        tmp_path, department, template_db, f"Một cửa C {tmp_path.name}", 3, settle_all=True
    )
    desk_c.db.dispose()
    db_arg = ["--db", str(desk_c.db.path)]
    url = department.server.url
    assert run([*db_arg, "sync", "--url", url, "--token", "short"]) == 2
    assert "Lỗi:" in capsys.readouterr().err
    assert run([*db_arg, "sync", "--url", url, "--token", desk_c.token]) == 0
    printed = capsys.readouterr().out.splitlines()
    days = int(printed[0].removeprefix("Số liệu mới hoặc thay đổi: ").removesuffix(" ngày."))
    assert 2 <= days <= 5  # the days files came in (each settled the same day)
    assert printed[1].startswith("Đã gửi ngày 2026-02-23 bản 1: biên nhận ")
    assert len(printed) == days + 2
    assert printed[-1] == f"Đã gửi {days}, lỗi 0, còn chờ gửi 0."
    # Nothing changed since: the next pass only checks the connection.
    assert run([*db_arg, "sync", "--url", url, "--token", desk_c.token]) == 0
    assert capsys.readouterr().out.splitlines() == ["Đã gửi 0, lỗi 0, còn chờ gửi 0."]

    period = ["--from", FIRST.isoformat(), "--to", "2026-03-02"]
    for by in ("field", "procedure"):
        assert run([*db_arg, "report", *period, "--by", by, "--format", "json", "--out", "-"]) == 0
        mine = capsys.readouterr().out
        assert '"settled_total": 14' in mine
        assert run(
            ["department", "report", "--db", department.db_url, *period, "--desk", desk_c.name,
             "--by", by, "--format", "json", "--out", "-"]
        ) == 0  # fmt: skip
        assert capsys.readouterr().out == mine


def test_a_revision_the_department_holds_with_other_numbers_goes_again_as_the_next(
    department: Department, desk_a: Desk
) -> None:
    """After a restore from a backup the desk may number a day's revision as one the department
    already holds with other numbers: the desk's numbers go again under the next revision."""
    stale = {
        "protocol": 1,
        "day": FIRST.isoformat(),
        "revision": 1,
        "desk": {"agency_id": "", "agency_name": "", "unit_name": "", "software": "0.0.9"},
        "rows": [],
    }
    sent = httpx.post(
        f"{department.server.url}/api/v1/summaries",
        json=stale,
        headers={"Authorization": f"Bearer {desk_a.token}"},
        timeout=10,
    )
    assert sent.status_code == 200
    first = desk_a.sync(department.server.url)
    (conflict,) = first.failed
    assert conflict.day == FIRST and not conflict.rejected and "(409)" in conflict.error
    assert len(first.sent) == 7
    second = desk_a.sync(department.server.url)
    assert [(s.day, s.revision) for s in second.sent] == [(FIRST, 2)]
    assert (FIRST, 2) in {(d, r) for d, r, _ in department.stored(desk_a.name)}
    _assert_same_numbers(desk_a, department)
