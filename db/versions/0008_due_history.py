"""Due history (DOMAIN §4.1 rule 5) and the due-soon threshold in working days (rule 9).

Every change of a file's due or original due becomes a dated row of `due_history`, so that the
statistics can judge a file against its due as it stood at the moment judged. This migration
fills the history of the files already in the register by replaying their receipt, pauses and
reschedules under today's rules (§4.1 rules 1-4). A file whose replayed original due differs
from the stored one (a pause that the old rules wrongly counted, or a calendar edit the old code
had not applied) is corrected, and listed: an audit row `due_rule_fix` and a "correct" event on
its timeline, with the old and new values (and the outcome, for a settled file). The applicant's
appointment of an open file is never moved earlier.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from desk_app.domain.calendar import OfficeHours, WorkCalendar
from desk_app.domain.due import DurationUnit, Pause, PauseKind, compute_due, settlement_outcome
from desk_app.store import ddl

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

_FMT = "%Y-%m-%d %H:%M:%S"


# A new row of the history can move the numbers of the days from its moment on.
def _sync_trigger() -> None:
    least = ddl.least("coalesce(dirty_from, '9999-12-31')", "substr(new.at, 1, 10)")
    ddl.create_trigger(
        "trg_sync_due_history_insert",
        timing="AFTER",
        event="INSERT",
        table="due_history",
        body=f"UPDATE sync_settings SET dirty_from = {least} WHERE id = 1",
    )


def _m(value: str | None) -> datetime | None:
    return None if value is None else datetime.strptime(value, _FMT)


def _t(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).strftime(_FMT)


def _calendar(conn: sa.Connection) -> tuple[WorkCalendar, time]:
    hours, cutoff = conn.execute(
        sa.text("SELECT office_hours, cutoff FROM desk_settings WHERE id = 1")
    ).one()
    rows = conn.execute(sa.text("SELECT day, working, note FROM calendar_overrides")).all()
    cal = WorkCalendar(
        office_hours=OfficeHours.parse(hours),
        overrides={date.fromisoformat(str(d)): bool(w) for d, w, _ in rows},
        override_notes={date.fromisoformat(str(d)): str(n) for d, _, n in rows},
    )
    return cal, time.fromisoformat(cutoff)


def _replay(
    cal: WorkCalendar,
    f: sa.Row[tuple[object, ...]],
    cutoff: time,
    pauses: list[tuple[str, datetime, datetime | None]],
    reschedules: list[tuple[datetime, datetime]],
) -> list[tuple[datetime, str, datetime | None, datetime | None]]:
    """(moment, reason, due, original due) after each step of the file's history that moved it."""
    received = _m(str(f.received_at))
    assert received is not None
    unit = DurationUnit(str(f.unit))
    duration = Decimal(str(f.duration)) if f.duration is not None else Decimal(0)

    def original(moment: datetime) -> datetime | None:
        known = [
            Pause(s, e if e is not None and e <= moment else None, PauseKind(k))
            for k, s, e in pauses
            if s <= moment
        ]
        return compute_due(
            cal,
            received,
            duration,
            unit,
            known,
            restart_on_supplement=bool(f.restart_on_supplement),
            cutoff=cutoff,
        )

    steps: list[tuple[datetime, str]] = [(received, "accept")]
    for _, s, e in pauses:
        steps.append((s, "pause"))
        if e is not None:
            steps.append((e, "resume"))
    steps += [(at, "reschedule") for at, _ in reschedules]
    steps.sort(key=lambda step: step[0])
    out: list[tuple[datetime, str, datetime | None, datetime | None]] = []
    for moment, reason in steps:
        orig = original(moment)
        given = [new for at, new in reschedules if at <= moment]
        due = orig if not given else (given[-1] if orig is None else max(given[-1], orig))
        if not out or (out[-1][2], out[-1][3]) != (due, orig):
            out.append((moment, reason, due, orig))
    return out


def _fill(conn: sa.Connection) -> list[int]:
    """Write every file's history; return the ids of the files corrected."""
    cal, desk_cutoff = _calendar(conn)
    cutoffs = {
        int(i): (time.fromisoformat(c) if c else desk_cutoff)
        for i, c in conn.execute(sa.text("SELECT id, cutoff FROM procedures"))
    }
    pauses: dict[int, list[tuple[str, datetime, datetime | None]]] = {}
    for fid, kind, s, e in conn.execute(
        sa.text("SELECT file_id, kind, start_at, end_at FROM pauses ORDER BY start_at, id")
    ):
        start = _m(s)
        assert start is not None
        pauses.setdefault(int(fid), []).append((str(kind), start, _m(e)))
    reschedules: dict[int, list[tuple[datetime, datetime]]] = {}
    for fid, at, new in conn.execute(
        sa.text("SELECT file_id, at, new_due_at FROM reschedules ORDER BY at, id")
    ):
        at_m, new_m = _m(at), _m(new)
        assert at_m is not None and new_m is not None
        reschedules.setdefault(int(fid), []).append((at_m, new_m))
    insert = sa.text(
        "INSERT INTO due_history (file_id, at, reason, old_due_at, new_due_at,"
        " old_original_due_at, new_original_due_at) VALUES (:f, :at, :r, :od, :nd, :oo, :no)"
    )
    fixed: list[int] = []
    files = conn.execute(
        sa.text(
            "SELECT id, code, status, received_at, duration, unit, restart_on_supplement,"
            " procedure_id, due_at, original_due_at, settled_at, outcome FROM files"
            " WHERE status NOT IN (1, 3) ORDER BY id"
        )
    ).all()
    batch: list[dict[str, object]] = []
    for f in files:
        fid = int(f.id)
        received = _m(f.received_at)
        assert received is not None
        stored_orig, stored_due = _m(f.original_due_at), _m(f.due_at)
        file_pauses = pauses.get(fid, [])
        if not file_pauses:
            # No pause: the stored original due is the rules' answer as it was printed (a later
            # calendar edit that the old code never applied does not rewrite it here).
            steps = [(received, "accept", stored_orig, stored_orig)]
            for at, new in reschedules.get(fid, []):
                due = new if stored_orig is None else max(new, stored_orig)
                steps.append((at, "reschedule", due, stored_orig))
        else:
            steps = _replay(
                cal, f, cutoffs[int(f.procedure_id)], file_pauses, reschedules.get(fid, [])
            )
        prev_due: datetime | None = None
        prev_orig: datetime | None = None
        for at, reason, due, orig in steps:
            batch.append(
                {
                    "f": fid,
                    "at": _t(at),
                    "r": reason,
                    "od": _t(prev_due),
                    "nd": _t(due),
                    "oo": _t(prev_orig),
                    "no": _t(orig),
                }
            )
            prev_due, prev_orig = due, orig
        if prev_orig != stored_orig:
            _correct(conn, f, steps, stored_orig, stored_due)
            fixed.append(fid)
        if len(batch) >= 5000:
            conn.execute(insert, batch)
            batch = []
    if batch:
        conn.execute(insert, batch)
    return fixed


def _correct(
    conn: sa.Connection,
    f: sa.Row[tuple[object, ...]],
    steps: list[tuple[datetime, str, datetime | None, datetime | None]],
    stored_orig: datetime | None,
    stored_due: datetime | None,
) -> None:
    """Bring a file the old rules got wrong to the replayed values, and list it."""
    _, _, due, orig = steps[-1]
    if int(str(f.status)) in (2, 4, 5, 6) and stored_due is not None and due is not None:
        due = max(due, stored_due)  # a printed appointment is never moved earlier
    outcome = f.outcome
    settled = _m(f.settled_at)
    if settled is not None:
        as_it_stood = [o for at, _, _, o in steps if at <= settled]
        outcome = str(settlement_outcome(as_it_stood[-1] if as_it_stood else orig, settled))
    conn.execute(
        sa.text("UPDATE files SET original_due_at = :o, due_at = :d, outcome = :out WHERE id = :i"),
        {"o": _t(orig), "d": _t(due), "out": outcome, "i": int(str(f.id))},
    )
    detail = {
        "field": "original_due_at",
        "label": "Hạn trả theo quy định (tính lại theo quy tắc mới)",
        "old": _t(stored_orig),
        "new": _t(orig),
        "old_outcome": f.outcome,
        "new_outcome": outcome,
    }
    data = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    now = _t(datetime.now())
    conn.execute(
        sa.text(
            "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)"
            " VALUES (:at, NULL, 'due_rule_fix', 'file', :code, :d)"
        ),
        {"at": now, "code": f.code, "d": data},
    )
    conn.execute(
        sa.text(
            "INSERT INTO events (file_id, at, action, from_status, to_status, officer_id, note,"
            " data) VALUES (:i, :at, 'correct', NULL, NULL, NULL, :note, :d)"
        ),
        {
            "i": int(str(f.id)),
            "at": now,
            "note": "Tính lại hạn theo quy tắc tạm dừng mới khi nâng cấp phần mềm",
            "d": data,
        },
    )
    log.warning(
        "due_rule_fix %s: original due %s -> %s, outcome %s -> %s",
        f.code,
        _t(stored_orig),
        _t(orig),
        f.outcome,
        outcome,
    )


def upgrade() -> None:
    op.create_table(
        "due_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=19), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("old_due_at", sa.String(length=19), nullable=True),
        sa.Column("new_due_at", sa.String(length=19), nullable=True),
        sa.Column("old_original_due_at", sa.String(length=19), nullable=True),
        sa.Column("new_original_due_at", sa.String(length=19), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("due_history", schema=None) as batch_op:
        batch_op.create_index("ix_due_history_file_at", ["file_id", "at"], unique=False)
    with op.batch_alter_table("desk_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_soon_days", sa.String(length=32), server_default="1", nullable=False)
        )
    conn = op.get_bind()
    hours, soon = conn.execute(
        sa.text("SELECT office_hours, due_soon_hours FROM desk_settings WHERE id = 1")
    ).one_or_none() or ("07:00-11:30,13:30-17:00", "8")
    day_hours = Decimal(OfficeHours.parse(hours).day_length // timedelta(minutes=1)) / 60
    days = (Decimal(str(soon)) / day_hours).quantize(Decimal("0.01")).normalize()
    conn.execute(sa.text("UPDATE desk_settings SET due_soon_days = :d"), {"d": str(days)})
    with op.batch_alter_table("desk_settings", schema=None) as batch_op:
        batch_op.drop_column("due_soon_hours")
    fixed = _fill(conn)
    for verb in ("UPDATE", "DELETE"):
        ddl.create_trigger(
            f"due_history_no_{verb.lower()}",
            timing="BEFORE",
            event=verb,
            table="due_history",
            body=ddl.refuse("due_history is append-only"),
        )
    _sync_trigger()
    if fixed:
        # The corrected files' days go to the department again.
        conn.execute(
            sa.text(
                "UPDATE sync_settings SET dirty_from = "
                + ddl.least(
                    "coalesce(dirty_from, '9999-12-31')",
                    "(SELECT substr(min(received_at), 1, 10) FROM files WHERE id IN ("
                    + ",".join(str(i) for i in fixed)
                    + "))",
                )
            )
        )
        log.warning("due_rule_fix: %d file(s) corrected, see the audit log", len(fixed))


def downgrade() -> None:
    ddl.drop_trigger("trg_sync_due_history_insert", "due_history")
    for verb in ("update", "delete"):
        ddl.drop_trigger(f"due_history_no_{verb}", "due_history")
    with op.batch_alter_table("desk_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_soon_hours", sa.String(length=32), server_default="8", nullable=False)
        )
        batch_op.drop_column("due_soon_days")
    op.drop_table("due_history")
