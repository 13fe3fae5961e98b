"""Which agencies a list, a count or a statistic covers (centre mode, migration 0014).

A solo desk has one agency and every scope covers all of it. In a centre, an officer works for
the agencies assigned to them that the computer also serves; a supervisor looks at one agency or
at every agency they are assigned to; the command line and an administrator see every agency.

`Scope.agencies` None means every agency of the database: no filter at all, so a solo desk's
queries are exactly what they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk_app.store.models import DeskSettings, User, UserAgency


@dataclass(frozen=True)
class Scope:
    """A set of agencies (desk_settings ids); None: all of them."""

    agencies: frozenset[int] | None = None

    @classmethod
    def of(cls, agencies: Iterable[int] | None) -> Scope:
        return cls(None if agencies is None else frozenset(agencies))

    @property
    def is_all(self) -> bool:
        return self.agencies is None

    def covers(self, agency: int) -> bool:
        return self.agencies is None or agency in self.agencies

    def where(self, column: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
        """A WHERE term on an agency column (always true for every agency)."""
        if self.agencies is None:
            return true()
        return column.in_(sorted(self.agencies))

    def sql(self, column: str) -> str:
        """The same as SQL text, for the raw statistics queries: "" or " AND col IN (…)"."""
        if self.agencies is None:
            return ""
        if not self.agencies:
            return " AND 1 = 0"
        return f" AND {column} IN ({', '.join(str(int(a)) for a in sorted(self.agencies))})"


ALL = Scope()


def agency_ids(session: Session) -> list[int]:
    """Every active agency of the database, in id order."""
    return list(
        session.scalars(
            select(DeskSettings.id).where(DeskSettings.active.is_(True)).order_by(DeskSettings.id)
        )
    )


def user_agencies(session: Session, user_id: int) -> frozenset[int]:
    """The agencies a user is assigned to."""
    return frozenset(
        session.scalars(select(UserAgency.agency).where(UserAgency.user_id == user_id))
    )


def working_agencies(
    session: Session, user_id: int | None, role: str, served: Iterable[int] | None
) -> frozenset[int] | None:
    """The agencies a signed-in user works for at a computer that serves `served` (None: the
    computer serves every agency). None when that is every agency of the database."""
    every = frozenset(agency_ids(session))
    mine = every if user_id is None or role == "admin" else user_agencies(session, user_id) & every
    if served is not None:
        mine &= frozenset(served)
    return None if mine == every else mine


def assign(session: Session, user: User, agencies: Iterable[int]) -> None:
    """Replace a user's assignments (the caller audits and commits)."""
    wanted = frozenset(agencies)
    have = user_agencies(session, user.id)
    for agency in have - wanted:
        row = session.get(UserAgency, (user.id, agency))
        if row is not None:
            session.delete(row)
    for agency in sorted(wanted - have):
        session.add(UserAgency(user_id=user.id, agency=agency))
