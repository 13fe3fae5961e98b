"""A desk set up as the tests, the benchmarks and the screenshot scripts want it: the identity of
the Lạng Sơn culture department, the bundled catalogue and its staff.

    db = desk_at(tmp / "desk.sqlite3")                       # the three users of the tests
    db = desk_at(path, staff=[DEMO_ADMIN], password=DEMO_PASSWORD)  # the screenshots' admin
    with db.writer.begin() as s:                              # more work in the same transaction
        fill_desk(s, staff=[])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from desk_app.domain.catalog import bundled_catalog
from desk_app.services import desk, users
from desk_app.services.context import COMMAND_LINE, Actor
from desk_app.store.engine import Database, open_database

AGENCY_ID = "000.00.20.H37"
PASSWORD = "matkhau123"  # the tests' users
Staff = tuple[str, str, users.Role]  # user name, full name, role
OFFICER: Staff = ("canbo", "Nguyễn Thị Lan", users.Role.OFFICER)
SUPERVISOR: Staff = ("lanhdao", "Vi Đức Thắng", users.Role.SUPERVISOR)
ADMIN: Staff = ("quantri", "Lăng Văn Quản", users.Role.ADMIN)
STAFF = (OFFICER, SUPERVISOR, ADMIN)
# The administrator the screenshots show signed in, and her password.
DEMO_ADMIN: Staff = ("quantri", "Hoàng Thị Hạnh", users.Role.ADMIN)
DEMO_PASSWORD = "motcua2026"


def identity() -> desk.IdentityInput:
    return desk.IdentityInput(
        governing_body="UBND TỈNH LẠNG SƠN",
        agency_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        agency_id=AGENCY_ID,
        place_name="Lạng Sơn",
    )


def fill_desk(s: Session, staff: Iterable[Staff] = STAFF, password: str = PASSWORD) -> None:
    """The identity, the bundled catalogue and `staff` (all with `password`), in session `s`."""
    desk.update_settings(s, identity(), COMMAND_LINE)
    desk.import_catalog(s, bundled_catalog(), COMMAND_LINE)
    for username, full_name, role in staff:
        users.create_user(s, username, full_name, role, password, COMMAND_LINE)


def set_up_desk(db: Database, staff: Iterable[Staff] = STAFF, password: str = PASSWORD) -> None:
    """`fill_desk` in a writer transaction of its own."""
    with db.writer.begin() as s:
        fill_desk(s, staff, password)


def desk_at(path: Path, staff: Iterable[Staff] = STAFF, password: str = PASSWORD) -> Database:
    """A new desk database at `path` (an SQLite file; the schema from the migrations), set up."""
    db = open_database(path)
    set_up_desk(db, staff, password)
    return db


def sign_in(db: Database, username: str, password: str = PASSWORD, counter: str = "") -> Actor:
    with db.reader.begin() as s:
        return users.sign_in(s, username, password, counter=counter)
