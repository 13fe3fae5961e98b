"""A sync pass tells the outbox's counts as it builds and sends, from the one status function."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType

import pytest

from desk_app.domain.documents import Channel
from desk_app.services import intake
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.store.engine import Database
from desk_app.sync import client, outbox, runner
from desk_app.sync.outbox import SyncStatus
from desk_app.sync.protocol import DEFAULT_TIMEOUT, SUMMARIES_PATH
from desk_app.sync.secret import SecretStore

NOW = datetime(2026, 3, 2, 10, 0)


class _Department:
    """Stands in for DepartmentClient: acknowledges every day and, at each request, notes what
    the outbox says then (what a screen reading `outbox.status` would show)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.unsent_at_request: list[int] = []

    def __call__(self, url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> _Department:
        return self

    def __enter__(self) -> _Department:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def send(self, body: str, path: str = SUMMARIES_PATH) -> client.Answer:
        if path != SUMMARIES_PATH:  # the files' look-up rows (issue 16), after the days
            return client.Answer(receipt_id="L")
        with self.db.reader.begin() as s:
            self.unsent_at_request.append(outbox.status(s).unsent)
        return client.Answer(receipt_id=f"R{len(self.unsent_at_request)}")


def test_the_pass_tells_the_unsent_count_as_it_goes(
    db: Database, officer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in (26, 27):
        with db.writer.begin() as s:
            intake.accept_file(
                s,
                intake.IntakeInput(
                    procedure="1.001029",
                    applicant=intake.ApplicantInput(name="Hoàng Văn Thụ", address="Lạng Sơn"),
                    channel=Channel.DIRECT,
                    received_at=datetime(2026, 2, day, 9, 0),
                ),
                officer,
                now=datetime(2026, 2, day, 9, 0),
            )
    secrets = SecretStore(tmp_path / "secrets")
    with db.writer.begin() as s:
        config = outbox.save_config(
            s, enabled=True, url="http://so.example", interval_minutes=15, actor=COMMAND_LINE
        )
    secrets.save(config.token_key, "t" * 40)
    department = _Department(db)
    monkeypatch.setattr(client, "DepartmentClient", department)
    monkeypatch.setattr(runner, "PROGRESS_EVERY_S", 0.0)
    told: list[SyncStatus] = []

    report = runner.run_pass(db, now=lambda: NOW, secrets=secrets, progress=told.append)

    # Hand-counted: Thu 26/02 to Mon 02/03 are five days, each one row to send.
    assert len(report.sent) == 5 and report.unsent == 0
    assert department.unsent_at_request == [5, 4, 3, 2, 1]
    # After the outbox was built, then before each request: the count a screen shows then.
    assert [status.unsent for status in told] == [5, 5, 4, 3, 2, 1]


def test_without_a_listener_or_within_the_interval_nothing_is_read(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[SyncStatus] = []
    tell = runner._Teller(db, told.append)
    tell()  # just made: the interval has not passed
    assert told == []
    tell(final=True)
    assert [status.unsent for status in told] == [0]
    runner._Teller(db, None)(final=True)  # no listener: no read, no error
