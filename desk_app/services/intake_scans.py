"""The scans chosen at the intake form, saved with the file they belong to (Circular 03/2025).

The intake dialog accepts a file and, in the same transaction, files what the officer said for
each document line: the scans assigned to it (read and split here, on the worker), one of the
four exceptions with its reason, or "scan later". Every line starts pending (digitise.open_lines;
"online" for a file submitted online); a line of a paper file left without a scan or an answer
refuses the whole file, so the counter never saves a file whose papers nobody accounted for, and
a failure while storing a page leaves no file behind (the caller's transaction rolls back).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from desk_app.domain.digitising import PDF, TIFF, LineKind, LineState
from desk_app.errors import ValidationError
from desk_app.services import digitise
from desk_app.services.context import Actor
from desk_app.services.digitise import LineView
from desk_app.services.records import get_file
from desk_app.services.scan_files import MAX_INPUT_BYTES, media_type_of, read_sources
from desk_app.store.models import FileRecord

# What office scanners write; any other name in a scan folder is not offered.
SCAN_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
FIELD = "scans"  # the intake form's error label next to the document lines


@dataclass(frozen=True)
class LinePlan:
    """What the officer said for one document line (its index among the file's papers):
    scans to attach in order, or, with none, an exception or SCAN_LATER and its reason."""

    line: int
    paths: tuple[Path, ...] = ()
    state: LineState | None = None
    reason: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.paths) or self.state is not None


def missing_message(lines: Sequence[str]) -> str:
    """The message next to the document lines for the numbered `lines` left unanswered."""
    return (
        "Giấy tờ chưa có bản quét: "
        + "; ".join(lines)
        + ". Hãy gán bản quét, hoặc chọn “Số hóa sau” hay trường hợp không phải số hóa "
        "(kèm lý do) cho từng giấy tờ."
    )


def save_intake_scans(
    session: Session,
    file: str | FileRecord,
    plan: Sequence[LinePlan],
    actor: Actor,
    now: datetime,
) -> tuple[LineView, ...]:
    """Open the file's lines, then attach each line's scans or set its answer. A paper file
    (at the counter or by post) must have every line answered: ValidationError (field "scans")
    names the lines that are not, before a single scan is read. Never commits."""
    record = file if isinstance(file, FileRecord) else get_file(session, file)
    lines = digitise.open_lines(session, record, actor, now)
    names = [v.name for v in lines if v.kind == LineKind.DOCUMENT]
    for p in plan:
        if not 0 <= p.line < len(names):
            raise ValidationError(
                f"Hồ sơ chỉ có {len(names)} giấy tờ; không có giấy tờ thứ {p.line + 1}.",
                field=FIELD,
            )
    open_now = {v.line for v in lines if v.kind == LineKind.DOCUMENT and v.is_open}
    answered = {p.line for p in plan if p.answered}
    missing = [f"{i + 1}. {names[i]}" for i in sorted(open_now - answered)]
    if missing:
        raise ValidationError(missing_message(missing), field=FIELD)
    for p in sorted(plan, key=lambda p: p.line):
        if p.paths:
            digitise.attach(session, record, read_sources(p.paths), actor, now, line=p.line)
        elif p.state is not None and p.line in open_now:
            digitise.set_state(session, record, p.state, actor, now, line=p.line, reason=p.reason)
    return digitise.file_lines(session, record)


def count_pages(path: Path) -> int:
    """How many pages the scan at `path` holds (a PDF's pages, a TIFF's frames, 1 for a
    picture), for the intake form's counts: read on the worker, never on the GUI thread.
    ValidationError for a file that is no scan or cannot be read."""
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise ValidationError(f"Tệp {path.name} quá lớn để là một bản quét.", field=FIELD)
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Không đọc được tệp {path.name}: {exc.strerror or exc}.", field=FIELD
        ) from None
    kind = media_type_of(data)
    if kind is None:
        raise ValidationError(f"Tệp {path.name} không phải PDF, JPEG, PNG hay TIFF.", field=FIELD)
    try:
        if kind == PDF:
            from pypdf import PdfReader

            return len(PdfReader(io.BytesIO(data)).pages)
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1)) if kind == TIFF else 1
    except Exception as exc:  # every reader's own error: the file is damaged or half written
        raise ValidationError(
            f"Tệp {path.name} bị hỏng, không đọc được: {exc}", field=FIELD
        ) from None
