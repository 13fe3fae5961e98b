"""The agencies of the open database as the window names them (status bar, Settings › This
computer, the procedure picker): read once off the GUI thread, small (a centre has a handful)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from desk_app.services import scope
from desk_app.services.context import get_settings

# Between the counter's name and the agencies on the status bar: "Quầy 3 · Sở Tư pháp".
SEPARATOR = " · "


@dataclass(frozen=True)
class AgencyName:
    """One agency (desk_settings row): `short` for the status bar and the picker's rows,
    `full` for tooltips and the settings."""

    id: int
    short: str
    full: str


def read_agencies(session: Session) -> list[AgencyName]:
    """Every active agency of the database, in id order."""
    found = []
    for agency in scope.agency_ids(session):
        view = get_settings(session, agency)
        found.append(AgencyName(agency, view.display_name, view.agency_name or view.display_name))
    return found


def place_text(
    counter: str, agencies: list[AgencyName], working: frozenset[int] | None
) -> tuple[str, str]:
    """(the status bar's words, its tooltip): the counter's name, then, in a database of more
    than one agency, the agencies the signed-in user works for here (`working` None: all). The
    tooltip has each whole, one a line, with the agencies' full names."""
    parts = [counter] if counter else []
    tips = list(parts)
    if len(agencies) > 1:
        mine = [a for a in agencies if working is None or a.id in working]
        if mine:
            parts.append(", ".join(a.short for a in mine))
            tips.extend(a.full if a.full == a.short else f"{a.short} — {a.full}" for a in mine)
    return SEPARATOR.join(parts), "\n".join(tips)
