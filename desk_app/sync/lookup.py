"""The files' look-up rows sent to the department (issue 16): what its public page needs to
answer an applicant holding a receipt, and nothing else.

A row per file: code, procedure code and name, status, due, settled, result ready, how the
result is returned, and the SHA-256 of the receipt's look-up key (services/lookup_keys.py). Never
a name, identity number, phone, address, note or document. A file is sent again whenever its
`version` (bumped by every change to the file) differs from the one the department acknowledged
(`lookup_sent`, migration 0021): a pass that cannot reach the department leaves the versions as
they were and the next pass catches up; sending a row again replaces it, so a retry is harmless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from desk_app.domain.workflow import Status
from desk_app.services import lookup_keys
from desk_app.services.context import SOLO_AGENCY
from desk_app.store.models import FileRecord, LookupSent, Procedure
from desk_app.sync.protocol import LOOKUP_KEYS, PROTOCOL_VERSION

BATCH = 500  # rows a request (a first pass over a long register sends many batches)

_READY = (int(Status.SETTLED),)


@dataclass(frozen=True)
class Batch:
    """Rows to send and the (file id, version) each one acknowledges."""

    versions: tuple[tuple[int, int], ...]
    body: str

    @property
    def size(self) -> int:
        return len(self.versions)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def pending(session: Session, agency: int = SOLO_AGENCY, limit: int = BATCH) -> Batch:
    """The next files of `agency` whose look-up row the department lacks or holds outdated."""
    secret = lookup_keys.agency_secret(session, agency)
    query = (
        select(
            FileRecord.id,
            FileRecord.version,
            FileRecord.code,
            FileRecord.status,
            FileRecord.due_at,
            FileRecord.settled_at,
            FileRecord.result_by,
            Procedure.code,
            Procedure.name,
        )
        .join(Procedure, Procedure.id == FileRecord.procedure_id)
        .outerjoin(LookupSent, LookupSent.file_id == FileRecord.id)
        .where(
            FileRecord.agency == agency,
            or_(LookupSent.version.is_(None), LookupSent.version != FileRecord.version),
        )
        .order_by(FileRecord.id)
        .limit(limit)
    )
    rows: list[dict[str, Any]] = []
    versions: list[tuple[int, int]] = []
    for (
        file_id,
        version,
        code,
        status,
        due,
        settled,
        result_by,
        proc_code,
        proc_name,
    ) in session.execute(query).all():
        values: dict[str, Any] = {
            "code": code,
            "procedure": proc_code,
            "procedure_name": proc_name,
            "status": int(status),
            "due": _moment(due),
            "settled": _moment(settled),
            "result_ready": int(status) in _READY,
            "result_by": result_by,
            "key_hash": lookup_keys.key_hash(lookup_keys.derive(secret, code)),
        }
        rows.append({k: values[k] for k in LOOKUP_KEYS})
        versions.append((file_id, version))
    body = json.dumps(
        {"protocol": PROTOCOL_VERSION, "rows": rows}, ensure_ascii=False, separators=(",", ":")
    )
    return Batch(tuple(versions), body)


def acknowledge(session: Session, batch: Batch) -> None:
    """The department stored `batch`: its files are up to date there at those versions."""
    ids = [file_id for file_id, _ in batch.versions]
    if not ids:
        return
    session.execute(delete(LookupSent).where(LookupSent.file_id.in_(ids)))
    session.add_all(LookupSent(file_id=f, version=v) for f, v in batch.versions)
    session.flush()
