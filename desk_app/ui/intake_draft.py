"""The intake form's crash draft: a small JSON file written atomically beside the database."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

DRAFT_NAME = "intake-draft.json"
DRAFT_VERSION = 1


def write_draft(path: Path, state: dict[str, object]) -> None:
    """Replace the draft in one step, so a crash mid-write leaves the previous one intact."""
    partial = path.with_name(path.name + ".partial")
    try:
        # On a centre's server the draft lives in the per-user folder, made here if need be.
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(
            json.dumps({"version": DRAFT_VERSION, **state}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        partial.replace(path)
    except OSError:
        # A draft is a safety net: failing to write one must never interrupt the typing.
        log.warning("could not write the intake draft %s", path, exc_info=True)
        partial.unlink(missing_ok=True)


def read_draft(path: Path) -> dict[str, object] | None:
    """The saved form state, or None when there is none or it cannot be read."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("ignoring an unreadable intake draft %s", path, exc_info=True)
        return None
    if not isinstance(raw, dict) or raw.get("version") != DRAFT_VERSION:
        return None
    return raw


def remove_draft(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove the intake draft %s", path, exc_info=True)
