"""Digitising at intake (Circular 03/2025): pages attached to a file's lines, the exceptions,
the lines still to scan, and rotation of a picture page.

A file's lines are its document set's items (kind "document", line 0..n-1) and, once a result
comes back, the result papers (kind "result", line 0). Each line is digitised (one or more
pages), one of the four exceptions with its reason, "scan later", or pending (not answered yet).
Pages are split on the way in (services/scan_files.py: a multi-page PDF becomes one page per
page, a multi-page TIFF one PNG per frame, in order; a one-page PDF or TIFF, a JPEG and a PNG
are kept byte for byte). The bytes go to the database's page store (store/pages.py); the rows
name them by SHA-256, so the same page attached twice is stored once.

The window's intake form calls `open_lines` right after accepting a file (every line pending,
or "online" for a file submitted online), then `attach` / `set_state` as the officer scans or
explains; `missing_lines` says what is still without a scan or an exception when the officer
saves. When the settling agency's result comes back (lifecycle.record_result), `open_result`
opens the result's line, so the "Chờ số hóa" queue lists the file until the result is scanned
or explained. Every change is the counter's work (permissions.DIGITISE, postal staff included).
Services take the caller's session and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desk_app.domain.digitising import PICTURES, LineKind, LineState
from desk_app.domain.documents import Channel
from desk_app.domain.workflow import OPEN_CODES
from desk_app.errors import NotFoundError, ValidationError
from desk_app.services.context import Actor, audit, require_role
from desk_app.services.permissions import DIGITISE
from desk_app.services.records import decode_documents, get_file
from desk_app.services.scan_files import read_sources, split_pages, turn
from desk_app.store.models import DocumentSet, FileRecord, ScanLine, ScanPage, User
from desk_app.store.pages import PageStore, page_store

RESULT_NAME = "Kết quả giải quyết"
ONLINE_REASON = "Hồ sơ nộp trực tuyến"
MAX_REASON = 500


@dataclass(frozen=True)
class PageView:
    """One page of a line: its bytes' name in the page store, size and type."""

    seq: int
    sha256: str
    size: int
    media_type: str
    added_at: datetime
    officer: str | None

    @property
    def is_picture(self) -> bool:
        return self.media_type in PICTURES


@dataclass(frozen=True)
class LineView:
    """A line of a file with its digitising state and pages in order."""

    kind: LineKind
    line: int
    name: str  # the paper's name (the result's: RESULT_NAME)
    state: LineState
    reason: str | None
    at: datetime | None  # when the state was set (None: never answered)
    officer: str | None
    pages: tuple[PageView, ...] = ()

    @property
    def bytes(self) -> int:
        return sum(p.size for p in self.pages)

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    def to_json(self) -> dict[str, object]:
        """The shape of each line in `files show --json`."""
        return {
            "kind": str(self.kind),
            "line": self.line,
            "name": self.name,
            "state": str(self.state),
            "state_label": self.state.label,
            "reason": self.reason,
            "pages": [
                {"sha256": p.sha256, "bytes": p.size, "media_type": p.media_type}
                for p in self.pages
            ],
            "page_count": len(self.pages),
            "bytes": self.bytes,
        }


# --- the lines --------------------------------------------------------------------------------


def _record(session: Session, file: str | int | FileRecord) -> FileRecord:
    if isinstance(file, FileRecord):
        return file
    if isinstance(file, int):
        record = session.get(FileRecord, file)
        if record is None:
            raise NotFoundError(f"Không tìm thấy hồ sơ số {file}.")
        return record
    return get_file(session, file)


def _names(session: Session, record: FileRecord) -> list[str]:
    return [str(item[0]) for item in decode_documents(session, record)]


def _check_line(session: Session, record: FileRecord, kind: LineKind, line: int) -> str:
    """The line's name; ValidationError for a line the file does not have."""
    if kind == LineKind.RESULT:
        if line != 0:
            raise ValidationError("Kết quả của hồ sơ là dòng 0.", field="line")
        return RESULT_NAME
    names = _names(session, record)
    if not 0 <= line < len(names):
        raise ValidationError(
            f"Hồ sơ {record.code} có {len(names)} giấy tờ (dòng 0 đến {len(names) - 1}); "
            f"không có dòng {line}.",
            field="line",
        )
    return names[line]


def _row(
    session: Session, record: FileRecord, kind: LineKind, line: int, actor: Actor, now: datetime
) -> ScanLine:
    row = session.get(ScanLine, (record.id, str(kind), line))
    if row is None:
        row = ScanLine(
            file_id=record.id,
            kind=str(kind),
            line=line,
            state=str(LineState.PENDING),
            at=now,
            officer_id=actor.user_id,
        )
        session.add(row)
    return row


def open_lines(
    session: Session, file: str | int | FileRecord, actor: Actor, now: datetime
) -> tuple[LineView, ...]:
    """Give every document line without a state its first one: pending (to scan), or "online"
    for a file submitted online (Circular 03/2025's first exception). Called when a file is
    accepted; lines already answered are left as they are."""
    record = _record(session, file)
    online = record.channel == str(Channel.ONLINE)
    have = set(
        session.scalars(
            select(ScanLine.line).where(
                ScanLine.file_id == record.id, ScanLine.kind == str(LineKind.DOCUMENT)
            )
        )
    )
    for i in range(len(_names(session, record))):
        if i not in have:
            session.add(
                ScanLine(
                    file_id=record.id,
                    kind=str(LineKind.DOCUMENT),
                    line=i,
                    state=str(LineState.ONLINE if online else LineState.PENDING),
                    reason=ONLINE_REASON if online else None,
                    at=now,
                    officer_id=actor.user_id,
                )
            )
    session.flush()
    return file_lines(session, record)


def file_lines(session: Session, file: str | int | FileRecord) -> tuple[LineView, ...]:
    """Every document line of the file in order (pending when never answered), then the
    result's line when it has one."""
    record = _record(session, file)
    rows = {
        (r.kind, r.line): r
        for r in session.scalars(select(ScanLine).where(ScanLine.file_id == record.id))
    }
    pages: dict[tuple[str, int], list[ScanPage]] = {}
    for p in session.scalars(
        select(ScanPage)
        .where(ScanPage.file_id == record.id)
        .order_by(ScanPage.kind, ScanPage.line, ScanPage.seq)
    ):
        pages.setdefault((p.kind, p.line), []).append(p)
    officers = {r.officer_id for r in rows.values()} | {
        p.officer_id for ps in pages.values() for p in ps
    }
    names = _officer_names(session, {o for o in officers if o is not None})

    def view(kind: LineKind, line: int, name: str) -> LineView:
        row = rows.get((str(kind), line))
        return LineView(
            kind=kind,
            line=line,
            name=name,
            state=LineState(row.state) if row else LineState.PENDING,
            reason=row.reason if row else None,
            at=row.at if row else None,
            officer=names.get(row.officer_id) if row and row.officer_id else None,
            pages=tuple(
                PageView(
                    p.seq,
                    p.sha256,
                    p.size,
                    p.media_type,
                    p.added_at,
                    names.get(p.officer_id) if p.officer_id else None,
                )
                for p in pages.get((str(kind), line), [])
            ),
        )

    out = [view(LineKind.DOCUMENT, i, n) for i, n in enumerate(_names(session, record))]
    if (str(LineKind.RESULT), 0) in rows:
        out.append(view(LineKind.RESULT, 0, RESULT_NAME))
    return tuple(out)


def _officer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        int(i): str(n)
        for i, n in session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    }


def missing_lines(session: Session, file: str | int | FileRecord) -> tuple[LineView, ...]:
    """The document lines still without a scan or an exception (pending or "scan later"): what
    the intake form asks about before it saves."""
    return tuple(v for v in file_lines(session, file) if v.kind == LineKind.DOCUMENT and v.is_open)


def _line_view(session: Session, record: FileRecord, kind: LineKind, line: int) -> LineView:
    return next(v for v in file_lines(session, record) if v.kind == kind and v.line == line)


# --- changing a line --------------------------------------------------------------------------


def _may_digitise(actor: Actor) -> None:
    require_role(actor, DIGITISE, "số hóa giấy tờ của hồ sơ")


def open_result(
    session: Session, file: str | int | FileRecord, actor: Actor, now: datetime
) -> LineView:
    """The result is back from the settling agency (Action.RECORD_RESULT calls this): its line
    opens as pending, so the "Chờ số hóa" queue lists the file until the result is scanned or
    explained; "online" for a file submitted online, like its papers (`open_lines`). A result
    line already answered (its scan attached before the step was recorded) stays as it is."""
    record = _record(session, file)
    if session.get(ScanLine, (record.id, str(LineKind.RESULT), 0)) is None:
        online = record.channel == str(Channel.ONLINE)
        session.add(
            ScanLine(
                file_id=record.id,
                kind=str(LineKind.RESULT),
                line=0,
                state=str(LineState.ONLINE if online else LineState.PENDING),
                reason=ONLINE_REASON if online else None,
                at=now,
                officer_id=actor.user_id,
            )
        )
        session.flush()
    return _line_view(session, record, LineKind.RESULT, 0)


def attach(
    session: Session,
    file: str | int | FileRecord,
    sources: Sequence[tuple[bytes, str]],
    actor: Actor,
    now: datetime,
    *,
    line: int = 0,
    kind: LineKind = LineKind.DOCUMENT,
    store: PageStore | None = None,
) -> LineView:
    """Attach the pages of `sources` ((bytes, name) each, in order) after the line's pages; the
    line becomes digitised. A result's pages go to kind RESULT (when the result comes back).
    Every source is read and checked before any page is stored."""
    _may_digitise(actor)
    record = _record(session, file)
    _check_line(session, record, kind, line)
    if not sources:
        raise ValidationError("Chưa chọn tệp nào để đính kèm.", field="pages")
    pages = [page for data, name in sources for page in split_pages(data, name)]
    store = store or page_store(session)
    row = _row(session, record, kind, line, actor, now)
    row.state, row.reason, row.at, row.officer_id = (
        str(LineState.DIGITISED),
        None,
        now,
        actor.user_id,
    )
    seq = session.scalar(
        select(func.coalesce(func.max(ScanPage.seq) + 1, 0)).where(
            ScanPage.file_id == record.id, ScanPage.kind == str(kind), ScanPage.line == line
        )
    )
    first = int(seq or 0)
    for i, (data, media_type) in enumerate(pages):
        session.add(
            ScanPage(
                file_id=record.id,
                kind=str(kind),
                line=line,
                seq=first + i,
                sha256=store.put(data),
                size=len(data),
                media_type=media_type,
                added_at=now,
                officer_id=actor.user_id,
            )
        )
    session.flush()
    audit(
        session,
        actor,
        "attach_pages",
        "file",
        record.code,
        {"kind": str(kind), "line": line, "pages": len(pages)},
        at=now,
    )
    return _line_view(session, record, kind, line)


def attach_paths(
    session: Session,
    file: str | int | FileRecord,
    paths: Sequence[Path],
    actor: Actor,
    now: datetime,
    *,
    line: int = 0,
    kind: LineKind = LineKind.DOCUMENT,
) -> LineView:
    """`attach` the files at `paths` (as chosen, dropped or picked from the scan folder)."""
    return attach(session, file, read_sources(paths), actor, now, line=line, kind=kind)


def set_state(
    session: Session,
    file: str | int | FileRecord,
    state: LineState,
    actor: Actor,
    now: datetime,
    *,
    line: int = 0,
    kind: LineKind = LineKind.DOCUMENT,
    reason: str = "",
) -> LineView:
    """Mark a line with one of the four exceptions (its reason required; "online" has its
    own), or "scan later". A line that has pages keeps them and stays digitised: remove its
    pages first."""
    _may_digitise(actor)
    record = _record(session, file)
    _check_line(session, record, kind, line)
    if state not in (*_EXCEPTIONS, LineState.SCAN_LATER):
        raise ValidationError("Chỉ chọn được một trường hợp ngoại lệ hoặc “Số hóa sau”.")
    reason = " ".join(reason.split())
    if state == LineState.ONLINE and not reason:
        reason = ONLINE_REASON
    if state.is_exception and not reason:
        raise ValidationError("Hãy ghi lý do không số hóa giấy tờ này.", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Lý do dài quá {MAX_REASON} ký tự.", field="reason")
    has_pages = session.scalar(
        select(ScanPage.seq)
        .where(ScanPage.file_id == record.id, ScanPage.kind == str(kind), ScanPage.line == line)
        .limit(1)
    )
    if has_pages is not None:
        raise ValidationError(
            "Giấy tờ này đã có bản quét; hãy gỡ các trang trước khi ghi ngoại lệ.", field="line"
        )
    row = _row(session, record, kind, line, actor, now)
    row.state, row.reason, row.at, row.officer_id = str(state), reason or None, now, actor.user_id
    session.flush()
    audit(
        session,
        actor,
        "scan_state",
        "file",
        record.code,
        {"kind": str(kind), "line": line, "state": str(state), "reason": reason or None},
        at=now,
    )
    return _line_view(session, record, kind, line)


_EXCEPTIONS = tuple(s for s in LineState if s.is_exception)


def _page(session: Session, record: FileRecord, kind: LineKind, line: int, seq: int) -> ScanPage:
    page = session.get(ScanPage, (record.id, str(kind), line, seq))
    if page is None:
        raise NotFoundError(f"Hồ sơ {record.code} không có trang {seq + 1} ở dòng {line}.")
    return page


def rotate_page(
    session: Session,
    file: str | int | FileRecord,
    actor: Actor,
    now: datetime,
    *,
    line: int,
    seq: int,
    quarter_turns: int = 1,
    kind: LineKind = LineKind.DOCUMENT,
    store: PageStore | None = None,
) -> PageView:
    """Turn a page by `quarter_turns` quarter turns clockwise (negative: anticlockwise). The
    turned bytes are stored as a new page in the same place; the old bytes stay in the store.
    A JPEG is encoded again (quality 95), a TIFF becomes a PNG; a PDF page gets /Rotate."""
    _may_digitise(actor)
    record = _record(session, file)
    page = _page(session, record, kind, line, seq)
    turns = quarter_turns % 4
    if turns == 0:
        return _line_view(session, record, kind, line).pages[seq]
    store = store or page_store(session)
    data = store.get(page.sha256)
    turned, media_type = turn(data, page.media_type, turns)
    page.sha256, page.size, page.media_type = store.put(turned), len(turned), media_type
    page.added_at, page.officer_id = now, actor.user_id
    session.flush()
    audit(
        session,
        actor,
        "rotate_page",
        "file",
        record.code,
        {"kind": str(kind), "line": line, "page": seq + 1, "quarter_turns": turns},
        at=now,
    )
    return next(p for p in _line_view(session, record, kind, line).pages if p.seq == seq)


def remove_page(
    session: Session,
    file: str | int | FileRecord,
    actor: Actor,
    now: datetime,
    *,
    line: int,
    seq: int,
    kind: LineKind = LineKind.DOCUMENT,
) -> LineView:
    """Take a page off a line (the later pages move up); a line left without pages is pending
    again. The bytes stay in the store (another file may hold the same page)."""
    _may_digitise(actor)
    record = _record(session, file)
    page = _page(session, record, kind, line, seq)
    session.delete(page)
    session.flush()
    later = list(
        session.scalars(
            select(ScanPage)
            .where(
                ScanPage.file_id == record.id,
                ScanPage.kind == str(kind),
                ScanPage.line == line,
                ScanPage.seq > seq,
            )
            .order_by(ScanPage.seq)
        )
    )
    for p in later:  # one at a time, in order: the key (…, seq) stays unique at every step
        p.seq -= 1
        session.flush()
    if not later and seq == 0:
        row = _row(session, record, kind, line, actor, now)
        row.state, row.reason, row.at = str(LineState.PENDING), None, now
        session.flush()
    audit(
        session,
        actor,
        "remove_page",
        "file",
        record.code,
        {"kind": str(kind), "line": line, "page": seq + 1},
        at=now,
    )
    return _line_view(session, record, kind, line)


def page_bytes(session: Session, sha256: str, store: PageStore | None = None) -> bytes:
    """A page's bytes for the viewer (PageMissingError when the store has lost them)."""
    return (store or page_store(session)).get(sha256)


def demo_lines(session: Session, files: Sequence[Mapping[str, Any]]) -> None:
    """Lines still to scan for a demo register (services/demo.py writes its rows in bulk): two
    open files in three received at the counter or by post wait in "Chờ số hóa", every line
    pending or, one in three, "scan later". The demo has no scans, so no line is digitised;
    its other files are, like files received before digitising, not asked."""
    sizes = {
        int(i): len(json.loads(items))
        for i, items in session.execute(select(DocumentSet.id, DocumentSet.items))
    }
    rows = [
        {
            "file_id": f["id"],
            "kind": str(LineKind.DOCUMENT),
            "line": i,
            "state": str(LineState.SCAN_LATER if (f["id"] + i) % 3 == 0 else LineState.PENDING),
            "reason": None,
            "at": f["received_at"],
            "officer_id": f["officer_id"],
        }
        for f in files
        if f["status"] in OPEN_CODES and f["channel"] != str(Channel.ONLINE) and f["id"] % 3
        for i in range(sizes.get(int(f["document_set_id"]), 0))
    ]
    if rows:
        session.execute(insert(ScanLine), rows)
