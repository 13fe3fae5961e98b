"""Writing user files safely: a temporary file beside the target, renamed when complete."""

from __future__ import annotations

import os
from pathlib import Path

from desk_app.errors import DeskError


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash or a full disk never leaves half a file there."""
    path = path.expanduser()
    tmp = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DeskError(f"Không ghi được tệp {path}: {exc.strerror}.", code="io_error") from exc
