"""The outbox: revisions follow changed days, rows move through their states, no personal data."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app.domain.documents import Channel
from desk_app.errors import ValidationError
from desk_app.services import intake, lifecycle, mail, ratings
from desk_app.services.context import Actor, PermissionDeniedError
from desk_app.services.demo import generate_demo
from desk_app.services.lifecycle import MoveInput
from desk_app.store.engine import Database
from desk_app.store.models import (
    Applicant,
    AuditEntry,
    FileRecord,
    MailConsent,
    OutboxRow,
    User,
)
from desk_app.sync import lookup, outbox
from desk_app.sync.protocol import COUNT_KEYS, LOOKUP_KEYS
from desk_app.sync.secret import SecretStore, check_token, token_key

NOW = datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()


def _accept(db: Database, actor: Actor, at: datetime) -> str:
    with db.writer.begin() as s:
        view = intake.accept_file(
            s,
            intake.IntakeInput(
                procedure="1.001029",
                applicant=intake.ApplicantInput(
                    name="Hoàng Văn Thụ", address="12 Lê Lợi, Vĩnh Trại, Lạng Sơn"
                ),
                channel=Channel.DIRECT,
                received_at=at,
            ),
            actor,
            now=at,  # typed at the counter when received
        )
    return view.code


def _rows(db: Database) -> list[tuple[date, int, str]]:
    with db.reader.begin() as s:
        return [
            (r.day, r.revision, r.state)
            for r in s.scalars(select(OutboxRow).order_by(OutboxRow.day, OutboxRow.revision))
        ]


def _refresh(db: Database, today: date = TODAY) -> int:
    with db.writer.begin() as s:
        return outbox.refresh(s, today)


def test_a_day_gets_a_new_revision_only_when_its_numbers_change(
    db: Database, officer: Actor
) -> None:
    code = _accept(db, officer, datetime(2026, 2, 25, 9, 0))
    _accept(db, officer, datetime(2026, 2, 26, 9, 0))
    assert _refresh(db) == 6  # 25/02 .. 02/03: the files stay open every day since
    assert {r[1] for r in _rows(db)} == {1}
    assert _refresh(db) == 0  # nothing changed, nothing new

    # The result of the first file was recorded this morning for yesterday afternoon.
    with db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(code, at=datetime(2026, 3, 1, 15, 0)), officer, now=NOW
        )
    assert _refresh(db) == 2
    rows = _rows(db)
    assert [(d, r) for d, r, _ in rows if r == 2] == [(date(2026, 3, 1), 2), (TODAY, 2)]
    with db.reader.begin() as s:
        body = json.loads(
            s.scalar(
                select(OutboxRow.payload).where(
                    OutboxRow.day == date(2026, 3, 1), OutboxRow.revision == 2
                )
            )
        )
    (row,) = body["rows"]
    assert row["counts"]["settled_early"] + row["counts"]["settled_on_time"] == 1
    assert row["counts"]["open_in_time"] + row["counts"]["open_overdue"] == 1
    assert row["counts"]["carried_over"] == 2
    # The older, still unsent revision of those days will never be sent: it was replaced.
    assert (date(2026, 3, 1), 1, outbox.SUPERSEDED) in rows
    assert (date(2026, 2, 28), 1, outbox.PENDING) in rows

    # A new day brings that day's row even without any change.
    assert _refresh(db, TODAY + timedelta(days=1)) == 1


def _personal(s: Session, comments: list[str]) -> tuple[set[str], set[str]]:
    """Every personal value of the register (and the file codes), and the postal numbers."""
    personal: set[str] = set()
    for a in s.scalars(select(Applicant)):
        personal |= {v for v in (a.name, a.id_number, a.phone, a.email, a.address) if v}
    for f in s.scalars(select(FileRecord)):
        personal |= {
            v
            for v in (
                f.code,
                f.submitter_name,
                f.submitter_id_number,
                f.submitter_phone,
                f.delivery_name,
                f.delivery_phone,
                f.delivery_address,
                f.postal_in_number,
                f.postal_in_sender,
            )
            if v
        }
    personal |= {u.full_name for u in s.scalars(select(User))}
    # The addresses applicants agreed to be written to (issue 16) stay on the desk too.
    personal |= set(s.scalars(select(MailConsent.email)))
    postal = {str(v) for (v,) in s.execute(text("SELECT number FROM postal_items")) if v}
    personal |= postal
    personal |= {*comments, "thai_do", "Thái độ phục vụ"}
    return personal, postal


def _agree_to_mail(s: Session, codes: list[str], officer: Actor) -> None:
    """Consent to e-mail, with an address of its own, on each of `codes` (issue 16)."""
    for n, code in enumerate(codes):
        record = s.scalars(select(FileRecord).where(FileRecord.code == code)).one()
        mail.record_consent(s, record, f"dong.y.nhan.thu.{n}@example.vn", officer, NOW)


def test_payloads_carry_counts_only_never_personal_data(db: Database, officer: Actor) -> None:
    generate_demo(db, 250, seed=11, now=NOW)
    # Applicants' ratings with reasons and a comment (issue 16): only their counts may travel.
    comments = [f"Góp ý của người dân số {n}" for n in range(3)]
    with db.writer.begin() as s:
        codes = s.scalars(select(FileRecord.code).order_by(FileRecord.id).limit(3)).all()
        for n, (code, comment) in enumerate(zip(codes, comments, strict=True)):
            visit = ratings.open_visit(s, code, "accept", officer, NOW - timedelta(minutes=9))
            level = ratings.Level(n + 1)
            ratings.record_rating(s, visit.token, level, ["thai_do"], comment, NOW)
        _agree_to_mail(s, codes, officer)
    assert _refresh(db) > 100
    with db.reader.begin() as s:
        payloads = list(s.scalars(select(OutboxRow.payload)))
        personal, postal = _personal(s, comments)
    assert len(personal) > 500 and postal  # the check below has something to find
    assert "dong.y.nhan.thu.2@example.vn" in personal
    everything = "\n".join(payloads)
    assert not [p for p in personal if p in everything]
    rated = 0
    for body in map(json.loads, payloads):
        assert set(body) == {"protocol", "day", "revision", "desk", "rows"}
        assert set(body["desk"]) == {"agency_id", "agency_name", "unit_name", "software"}
        for row in body["rows"]:
            assert set(row) - {"ratings"} == {"procedure", "name", "field", "counts"}
            if "ratings" in row:  # the day's ratings by level, nothing else
                assert set(row["ratings"]) == {"very_satisfied", "satisfied", "dissatisfied"}
                assert all(isinstance(v, int) and v >= 0 for v in row["ratings"].values())
                rated += sum(row["ratings"].values())
            assert set(row["counts"]) == set(COUNT_KEYS)
            assert all(isinstance(v, int) and v >= 0 for v in row["counts"].values())
    assert rated == 3  # the three ratings, each day built once


def test_lookup_rows_carry_the_files_status_only_never_personal_data(
    db: Database, officer: Actor
) -> None:
    """Everything the pass sends for the look-up page (issue 16): the file code is the one value
    of the register that travels, with its status, due, procedure and the key's hash."""
    generate_demo(db, 250, seed=12, now=NOW)
    with db.writer.begin() as s:
        s.execute(text("UPDATE files SET notes = 'Ghi chú nội bộ ' || id, delay_reason = 'Lý do'"))
        _agree_to_mail(s, list(s.scalars(select(FileRecord.code).limit(3))), officer)
    bodies: list[str] = []
    with db.writer.begin() as s:
        while (batch := lookup.pending(s, limit=100)).size:
            bodies.append(batch.body)
            lookup.acknowledge(s, batch)
    with db.reader.begin() as s:
        personal, _postal = _personal(s, [])
        codes = set(s.scalars(select(FileRecord.code)))
        personal = (personal - codes) | {"Ghi chú nội bộ", "Lý do"}
    assert len(bodies) == 3 and len(personal) > 500
    assert "dong.y.nhan.thu.2@example.vn" in personal
    everything = "\n".join(bodies)
    assert not [p for p in personal if p in everything]
    sent: list[str] = []
    for body in map(json.loads, bodies):
        assert set(body) == {"protocol", "rows"}
        for row in body["rows"]:
            assert tuple(row) == LOOKUP_KEYS
            assert len(row["key_hash"]) == 64 and row["result_by"] in ("counter", "post")
            sent.append(row["code"])
    assert sorted(sent) == sorted(codes)  # each file once; nothing left to send
    with db.reader.begin() as s:
        assert lookup.pending(s).size == 0


def test_claim_takes_due_rows_and_rows_a_crashed_pass_left_sending(
    db: Database, officer: Actor
) -> None:
    _accept(db, officer, datetime(2026, 2, 27, 9, 0))
    _refresh(db)  # 27/02 .. 02/03
    with db.writer.begin() as s:
        first = outbox.claim(s, NOW, limit=2)
        assert [c.day for c in first] == [date(2026, 2, 27), date(2026, 2, 28)]
        outbox.postpone(s, first[0].id, "Không kết nối được", NOW)
        # first[1] stays "sending": the pass that took it died.
    with db.writer.begin() as s:
        again = outbox.claim(s, NOW + timedelta(seconds=10))
        assert [c.day for c in again] == [date(2026, 3, 1), date(2026, 3, 2)]
    with db.writer.begin() as s:
        later = outbox.claim(s, NOW + timedelta(seconds=10) + outbox.SENDING_LEASE)
        # The backed-off row is due after 30 s, the rows of passes that died after their lease.
        assert [c.day for c in later] == [
            date(2026, 2, 27),
            date(2026, 2, 28),
            date(2026, 3, 1),
            date(2026, 3, 2),
        ]
        outbox.acknowledge(s, later[0].id, "R-1")
        outbox.reject(s, later[1].id, "Sở không nhận dữ liệu (422)")
        outbox.release(s, [later[2].id, later[3].id], None)
        status = outbox.status(s)
    assert (status.unsent, status.rejected) == (2, 1)
    with db.writer.begin() as s:
        assert outbox.retry_rejected(s) == 1
        assert len(outbox.claim(s, NOW + timedelta(hours=1))) == 3


def test_backoff_doubles_and_never_gives_up() -> None:
    waits = [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4, 8, 50, 10_000)]
    assert waits == [30, 60, 120, 240, 3600, 3600, 3600]


def test_settings_are_checked_and_a_new_address_sends_rejected_rows_again(
    db: Database, officer: Actor, admin: Actor
) -> None:
    _accept(db, officer, datetime(2026, 3, 2, 9, 0))
    _refresh(db)
    with db.writer.begin() as s:
        (claimed,) = outbox.claim(s, NOW)
        outbox.reject(s, claimed.id, "Sở không nhận mã truy cập")
    with db.writer.begin() as s, pytest.raises(ValidationError) as bad:
        outbox.save_config(s, enabled=True, url="ftp://so", interval_minutes=15, actor=admin)
    assert bad.value.field == "url"
    with db.writer.begin() as s, pytest.raises(ValidationError) as bad:
        outbox.save_config(s, enabled=True, url="", interval_minutes=15, actor=admin)
    assert bad.value.field == "url"
    with db.writer.begin() as s, pytest.raises(ValidationError) as bad:
        outbox.save_config(s, enabled=True, url="http://so.local", interval_minutes=0, actor=admin)
    assert bad.value.field == "interval"
    with db.writer.begin() as s:
        config = outbox.save_config(
            s,
            enabled=True,
            url=" https://so.langson.gov.vn/motcua/ ",
            interval_minutes=30,
            actor=admin,
        )
    assert (config.url, config.interval_minutes) == ("https://so.langson.gov.vn/motcua", 30)
    assert _rows(db) == [(TODAY, 1, outbox.PENDING)]


def test_only_administrators_change_the_sync_settings_and_each_change_is_audited(
    db: Database, officer: Actor, supervisor: Actor, admin: Actor
) -> None:
    for actor in (officer, supervisor):
        with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
            outbox.save_config(
                s, enabled=False, url="http://so.local", interval_minutes=15, actor=actor
            )
        with db.writer.begin() as s, pytest.raises(PermissionDeniedError):
            outbox.record_token_removed(s, actor)
    with db.writer.begin() as s:
        outbox.save_config(
            s, enabled=True, url="http://so.local", interval_minutes=15, actor=admin, now=NOW
        )
    with db.writer.begin() as s:  # nothing changed: nothing to audit
        outbox.save_config(s, enabled=True, url="http://so.local", interval_minutes=15, actor=admin)
    with db.writer.begin() as s:
        outbox.save_config(
            s,
            enabled=False,
            url="http://so.local",
            interval_minutes=60,
            actor=admin,
            token_changed=True,
            now=NOW,
        )
        outbox.record_token_removed(s, admin, now=NOW)
    with db.reader.begin() as s:
        rows = s.execute(
            select(AuditEntry.user_id, AuditEntry.detail, AuditEntry.at)
            .where(AuditEntry.action == "sync_settings")
            .order_by(AuditEntry.id)
        ).all()
    assert [(user_id, json.loads(detail or "null"), at) for user_id, detail, at in rows] == [
        (
            admin.user_id,
            {"enabled": {"from": False, "to": True}, "url": {"from": "", "to": "http://so.local"}},
            NOW,
        ),
        (
            admin.user_id,
            {
                "enabled": {"from": True, "to": False},
                "interval": {"from": 15, "to": 60},
                "token": "changed",
            },
            NOW,
        ),
        (admin.user_id, {"token": "removed"}, NOW),
    ]


def test_the_token_is_kept_outside_the_database_readable_by_its_owner_only(
    tmp_path: Path, db: Database
) -> None:
    store = SecretStore(tmp_path / "secrets")
    with db.reader.begin() as s:
        config = outbox.read_config(s)
    install = config.token_key
    assert store.load(install) is None
    token = "x" * 20 + "-TOKEN"
    store.save(install, token)
    assert store.load(install) == token
    (path,) = (tmp_path / "secrets").iterdir()
    assert path.stat().st_mode & 0o077 == 0
    if db.path is not None:
        assert config.token_key == config.install_id  # a solo desk's saved token stays found
        assert token.encode() not in db.path.read_bytes()
    else:
        # On a server: kept on this machine under a key of the database's URL, and in no row of
        # any table (each row read whole as text).
        assert config.token_key == token_key(config.install_id, db.url) != config.install_id
        with db.reader.begin() as s:
            tables = s.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).all()
            assert "sync_settings" in tables and "files" in tables
            for table in tables:
                for row in s.scalars(text(f'SELECT CAST(t AS text) FROM "{table}" t')):
                    assert token not in row, table
    with pytest.raises(ValidationError):
        check_token("short")
    store.save(install, "")
    assert store.load(install) is None


def test_a_server_token_is_kept_per_server_and_never_under_its_password() -> None:
    install = "0123456789abcdef"
    url = "postgresql+psycopg://desk:s3cret-pw@centre.lan:5432/desk?sslmode=require"
    key = token_key(install, url)
    assert key.startswith(install + "-") and "s3cret" not in key
    # The same server whatever its password, however it is given.
    assert token_key(install, url.replace("s3cret-pw", "changed")) == key
    assert token_key(install, url.replace(":s3cret-pw", "")) == key
    assert token_key(install, url.replace(":s3cret-pw", "").replace("?", "?password=x&")) == key
    # Another server, port, database or user: another key.
    others = [
        url.replace("centre.lan", "centre-test.lan"),
        url.replace(":5432/", ":5433/"),
        url.replace("/desk?", "/desk_test?"),
        url.replace("//desk:", "//clerk:"),
    ]
    assert len({key, *(token_key(install, u) for u in others)}) == 5
    assert token_key(install, "sqlite:////home/desk/desk.sqlite3") == install


def test_a_long_history_is_rebuilt_in_chunks_and_a_change_between_them_is_not_lost(
    db: Database, officer: Actor
) -> None:
    code = _accept(db, officer, datetime(2026, 2, 23, 9, 0))
    steps = []
    with db.writer.begin() as s:
        steps.append(outbox.refresh_step(s, TODAY, max_days=3))  # 23..25/02
    assert steps == [(3, False)]
    # Settled on the 24th, recorded between two chunks: the 24th and 25th must be redone.
    with db.writer.begin() as s:
        lifecycle.record_result(
            s, MoveInput(code, at=datetime(2026, 2, 24, 15, 0)), officer, now=NOW
        )
    while not steps[-1][1]:
        with db.writer.begin() as s:
            steps.append(outbox.refresh_step(s, TODAY, max_days=3))
    # 24..26/02 (two new revisions), 27/02..01/03, 02/03.
    assert steps[1:] == [(2, False), (0, False), (0, True)]
    assert [(d, r) for d, r, _ in _rows(db)] == [
        (date(2026, 2, 23), 1),
        (date(2026, 2, 24), 1),
        (date(2026, 2, 24), 2),
        (date(2026, 2, 25), 1),
        (date(2026, 2, 25), 2),
    ]
    assert _refresh(db) == 0  # after the 25th the file is settled: no numbers, no rows
