"""The hall's queue on the counter's LAN web server (issue 16): the kiosk that hands out tickets
and the hall's display of the numbers called. (First cut: the JSON endpoints; pages follow.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException

from desk_app.errors import NotFoundError
from desk_app.services import tickets
from desk_app.store.engine import Database


def queue_router(db: Database, now: Callable[[], datetime]) -> APIRouter:
    """The kiosk's and the hall display's pages and their JSON, over `db` at the clock `now`."""
    router = APIRouter()

    @router.get("/lay-so/api/nhom")
    def kiosk_groups() -> list[dict[str, Any]]:
        with db.reader.begin() as s:
            return [{"id": g.id, "prefix": g.prefix, "name": g.name} for g in tickets.groups(s)]

    @router.post("/lay-so/api/ve/{group_id}")
    def kiosk_issue(group_id: int) -> dict[str, Any]:
        try:
            with db.writer.begin() as s:
                ticket = tickets.issue_ticket(s, group_id, now())
        except NotFoundError as exc:
            raise HTTPException(404, exc.message) from exc
        return {"label": ticket.label, "group": ticket.group_name, "waiting": ticket.waiting}

    return router
