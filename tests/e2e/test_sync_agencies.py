"""A centre's database with two agencies sends to a real department service on loopback: each
agency as a desk of its own, with its own token, its own files' numbers only; one agency's
failure (a refused token, its department down) does not keep the other from sending."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from desk_app.department.db import open_department_db
from desk_app.department.server import RunningServer, start_in_thread
from desk_app.department.service import add_desk, add_viewer
from desk_app.domain.documents import Channel
from desk_app.services import intake, lifecycle, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.services.lifecycle import MoveInput
from desk_app.services.scope import Scope, assign
from desk_app.services.statistics import GroupBy, period_report
from desk_app.store.engine import Database, open_database
from desk_app.store.models import DeskSettings, Procedure, User
from desk_app.sync import outbox
from desk_app.sync.runner import run_agencies
from desk_app.sync.secret import SecretStore
from tests.desk_setup import fill_desk

NOW = datetime(2026, 3, 2, 10, 0)
FIRST = date(2026, 2, 23)
NAMES = {1: "Một cửa Sở VHTTDL", 2: "Một cửa Sở Tư pháp"}


class Department:
    def __init__(self, folder: Path) -> None:
        self.url = f"sqlite:///{folder / 'department.sqlite3'}"
        ddb = open_department_db(self.url)
        with ddb.writer.begin() as s:
            self.viewer = add_viewer(s, "Văn phòng Sở").token
            self.tokens = {a: add_desk(s, name).token for a, name in NAMES.items()}
        ddb.dispose()
        self.server: RunningServer = start_in_thread(self.url)

    def report(self, start: date, end: date, agency: int, by: str) -> dict[str, object]:
        response = httpx.get(
            f"{self.server.url}/api/v1/report",
            params={"from": start.isoformat(), "to": end.isoformat(), "desk": NAMES[agency],
                    "by": by},
            headers={"Authorization": f"Bearer {self.viewer}"},
            timeout=10,
        )  # fmt: skip
        response.raise_for_status()
        data: dict[str, object] = response.json()
        return data


@pytest.fixture
def department(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Department]:
    """A department of its own per test: its two desks receive one centre's numbers only."""
    made = Department(tmp_path_factory.mktemp("department"))
    yield made
    made.server.stop()


def _dead_url() -> str:
    with socket.create_server(("127.0.0.1", 0)) as spare:
        return f"http://127.0.0.1:{spare.getsockname()[1]}"


def _centre(tmp_path: Path, template_db: Path) -> tuple[Database, Actor]:
    """Two agencies (the second with a copy of the first's catalogue), an officer for both and
    a week of files: agency 1 gets two a day, agency 2 one every other day."""
    path = tmp_path / "centre.sqlite3"
    shutil.copyfile(template_db, path)
    db = open_database(path)
    with db.writer.begin() as s:
        fill_desk(s, staff=[])
        s.add(
            DeskSettings(
                id=2,
                agency_id="000.00.21.H37",
                agency_name="SỞ TƯ PHÁP",
                short_name="Sở Tư pháp",
                place_name="Lạng Sơn",
            )
        )
        s.flush()
        outbox.ensure_sync_row(s, 2)
        columns = [c.key for c in Procedure.__table__.columns if c.key not in ("id", "agency")]
        for proc in s.scalars(select(Procedure).where(Procedure.agency == 1)).all():
            s.add(Procedure(agency=2, **{c: getattr(proc, c) for c in columns}))
        users.create_user(
            s, "canbo", "Nguyễn Thị Lan", users.Role.OFFICER, "matkhau123", COMMAND_LINE
        )
        s.flush()
        officer = s.scalar(select(User).where(User.username == "canbo"))
        assert officer is not None
        assign(s, officer, {1, 2})
    with db.reader.begin() as s:
        actor = users.sign_in(s, "canbo", "matkhau123")
    for n in range(6):
        day = FIRST + timedelta(days=n)
        for agency, count in ((1, 2), (2, n % 2)):
            for k in range(count):
                at = datetime.combine(day, datetime.min.time()) + timedelta(hours=8 + k)
                with db.writer.begin() as s:
                    code = intake.accept_file(
                        s,
                        intake.IntakeInput(
                            procedure="1.001029",
                            agency=agency,
                            applicant=intake.ApplicantInput(
                                name=f"Hà Thị Thu {agency}-{n}-{k}", address="5 Trần Đăng Ninh"
                            ),
                            channel=Channel.DIRECT,
                            received_at=at,
                        ),
                        actor,
                        now=at,
                    ).code
                    if k == 0 and n < 4:
                        later = at + timedelta(days=1)
                        lifecycle.record_result(s, MoveInput(code, at=later), actor, now=NOW)
    return db, actor


def _configure(
    db: Database, secrets: SecretStore, agency: int, url: str, token: str
) -> outbox.SyncConfig:
    with db.writer.begin() as s:
        config = outbox.save_config(
            s, enabled=True, url=url, interval_minutes=15, actor=COMMAND_LINE, agency=agency
        )
    secrets.save(config.token_key, token)
    return config


def _assert_same_numbers(db: Database, department: Department, agency: int) -> None:
    """The department's numbers of the agency's desk are the agency's own report's."""
    periods = [(FIRST + timedelta(days=i),) * 2 for i in range(8)] + [(FIRST, NOW.date())]
    with db.reader.begin() as s:
        for start, end in periods:
            for by in (GroupBy.PROCEDURE, GroupBy.FIELD):
                mine = period_report(s, start, end, by, scope=Scope.of({agency})).to_json()
                mine.pop("agencies", None)
                theirs = department.report(start, end, agency, str(by))
                assert theirs == json.loads(json.dumps(mine)), (agency, start, end, by)


@pytest.fixture
def centre(tmp_path: Path, template_db: Path) -> Iterator[tuple[Database, Actor, SecretStore]]:
    db, actor = _centre(tmp_path, template_db)
    yield db, actor, SecretStore(tmp_path / "secrets")
    db.dispose()


def test_two_agencies_send_as_two_desks_with_their_own_tokens_and_numbers(
    department: Department, centre: tuple[Database, Actor, SecretStore]
) -> None:
    db, actor, secrets = centre
    url = department.server.url
    for agency in (1, 2):
        _configure(db, secrets, agency, url, department.tokens[agency])
    report = run_agencies(db, now=lambda: NOW, force=True, timeout=5.0, secrets=secrets)
    assert [r.agency for r in report.reports] == [1, 2]
    # Agency 1 from 23/02, agency 2 from its first file on 24/02, to 02/03 (files stay open).
    assert [len(r.sent) for r in report.reports] == [8, 7]
    assert report.online is True and not report.failed
    for agency in (1, 2):
        _assert_same_numbers(db, department, agency)
    whole = department.report(FIRST, NOW.date(), 2, "procedure")
    assert '"received_total": 3' in json.dumps(whole)  # agency 2: one file every other day

    # A result recorded for agency 2 moves agency 2's days only.
    with db.reader.begin() as s:
        from desk_app.store.models import FileRecord

        code = s.scalar(
            select(FileRecord.code).where(FileRecord.agency == 2, FileRecord.status.in_((2, 4)))
        )
    assert code is not None
    with db.writer.begin() as s:
        lifecycle.record_result(s, MoveInput(code, at=datetime(2026, 3, 1, 9, 30)), actor, now=NOW)
    again = run_agencies(db, now=lambda: NOW, force=True, timeout=5.0, secrets=secrets)
    new = {r.agency: r.new_revisions for r in again.reports}
    assert new[1] == 0 and new[2] >= 1
    assert {s.revision for s in again.reports[1].sent} == {2} and not again.reports[0].sent
    for agency in (1, 2):
        _assert_same_numbers(db, department, agency)


def test_one_agencys_failure_does_not_stop_the_other(
    department: Department, centre: tuple[Database, Actor, SecretStore]
) -> None:
    db, _actor, secrets = centre
    url = department.server.url
    # Agency 1 sends with a token the department never gave; agency 2 with its own.
    _configure(db, secrets, 1, url, "a-token-the-department-never-gave")
    _configure(db, secrets, 2, url, department.tokens[2])
    report = run_agencies(db, now=lambda: NOW, force=True, timeout=5.0, secrets=secrets)
    first, second = report.reports
    assert not first.sent and len(first.failed) == 8
    assert all(f.rejected and "mã truy cập (token)" in f.error for f in first.failed)
    assert len(second.sent) == 7 and not second.failed
    with db.reader.begin() as s:
        states = outbox.statuses(s)
        assert states[1].rejected == 8 and "mã truy cập (token)" in (states[1].last_error or "")
        assert states[2].rejected == 0 and states[2].last_error is None
        assert states[2].last_success_at == NOW
        overall = outbox.overall(states)
    assert overall.rejected == 8 and (overall.last_error or "").startswith("SỞ VĂN HÓA")

    # Agency 1's department is down: agency 2 still checks its connection.
    _configure(db, secrets, 1, _dead_url(), department.tokens[1])
    with db.reader.begin() as s:  # a new address sent agency 1's refused rows again, only its
        assert outbox.status(s, 1).unsent == 8 and outbox.status(s, 1).rejected == 0
        assert outbox.status(s, 2).unsent == 0
    down = run_agencies(db, now=lambda: NOW, force=True, timeout=1.0, secrets=secrets)
    assert down.reports[0].online is False and not down.reports[0].sent
    assert down.reports[1].online is True  # nothing left to send: the connection was checked
    assert down.online is False

    # Back up: agency 1 sends everything, agency 2 has nothing new.
    _configure(db, secrets, 1, url, department.tokens[1])
    up = run_agencies(db, now=lambda: NOW, force=True, timeout=5.0, secrets=secrets)
    assert len(up.reports[0].sent) == 8 and not up.reports[1].sent
    for agency in (1, 2):
        _assert_same_numbers(db, department, agency)


def test_the_sync_command_runs_every_agency_or_the_one_named(
    department: Department,
    centre: tuple[Database, Actor, SecretStore],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desk_app.cli.app import run

    db, _actor, secrets = centre
    monkeypatch.setenv("DESK_SECRETS_DIR", str(secrets.folder))
    monkeypatch.setenv("DESK_USER", "canbo")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    # The command's clock pinned: on the real one it sent every day from February to today.
    monkeypatch.setenv("DESK_TEST_NOW", NOW.isoformat(timespec="minutes"))
    url = department.server.url
    _configure(db, secrets, 2, url, department.tokens[2])
    db.dispose()
    db_arg = ["--db", str(db.path)]

    # Several agencies: --url or --token stand for one agency's settings.
    assert run([*db_arg, "sync", "--url", url]) == 2
    assert "--agency" in capsys.readouterr().err
    assert run([*db_arg, "sync", "--agency", "9"]) == 2
    assert "Không có cơ quan số 9" in capsys.readouterr().err

    # Only agency 2 is set up: the pass sends for it alone.
    code = run([*db_arg, "sync"])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Cơ quan Sở Tư pháp:"
    assert not any("VĂN HÓA" in line for line in printed)
    assert printed[-1].startswith("Đã gửi ") and printed[-1].endswith("còn chờ gửi 0.")
    assert code == 0, printed

    # Agency 1 named, with its token on the command line.
    assert run([*db_arg, "sync", "--agency", "1", "--url", url,
                "--token", department.tokens[1]]) == 0  # fmt: skip
    printed = capsys.readouterr().out.splitlines()
    assert not any(line.startswith("Cơ quan ") for line in printed)
    assert any(line.startswith("Đã gửi ngày 2026-02-23 bản 1") for line in printed)
