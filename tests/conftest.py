"""Shared fixtures: a migrated template database copied per test, and a configured desk."""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy.engine import make_url

from desk_app.services.context import Actor
from desk_app.store.engine import Database, open_database
from desk_app.store.migrate import upgrade
from tests.desk_setup import AGENCY_ID as AGENCY_ID  # imported from here by some tests
from tests.desk_setup import set_up_desk, sign_in
from tests.pg_server import DatabasePool, PgServer, start_server

# Qt widgets are tested without a screen; set here, not by whoever runs the tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The machine's own window settings (language, column widths, the saved centre connection) are
# not the suite's: a developer whose window speaks English must still see Vietnamese here.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="desk-test-config-")

# A loaded 2-core CI machine must not turn slow example generation into a failure; the
# properties themselves still have to hold for every example.
settings.register_profile(
    "desk", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("desk")

_TRAVELLER = pytest.StashKey[Any]()

# DESK_TEST_TRAVEL=2027-02-16T09:30 runs the whole suite, and every Python process it starts,
# on that (ticking) day instead of today: the proof that no test depends on the day it runs.
_TRAVEL = os.environ.get("DESK_TEST_TRAVEL")
_TRAVEL_DIR = Path(__file__).resolve().parent / "travel"


def pytest_configure(config: pytest.Config) -> None:
    if not _TRAVEL:
        return
    import time_machine

    traveller = time_machine.travel(datetime.fromisoformat(_TRAVEL).astimezone(), tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller
    paths = [str(_TRAVEL_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


# Tests that hold the program to a time bound run alone after the rest (`make unit`); which ones
# is said once, in tests/timed.txt.
TIMED = tuple(
    line.strip()
    for line in (Path(__file__).resolve().parent / "timed.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)


def _is_timed(where: str, name: str) -> bool:
    """`where` (the module's path from the root) and the test's name without its parameters."""
    return where in TIMED or f"{where}::{name}" in TIMED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).resolve().parent.parent
    for item in items:
        where = Path(str(item.path)).resolve().relative_to(root).as_posix()
        name = getattr(item, "originalname", item.name)
        if _is_timed(where, name):
            item.add_marker(pytest.mark.timed)


_MODULE_FIXTURE = re.compile(r"""scope\s*=\s*["']module["']""")


@functools.cache
def _shares_a_module_fixture(module: str) -> bool:
    """True when the test module at `module` (a path from the root) defines a module-scoped
    fixture: its tests share what the fixture builds."""
    try:
        return bool(_MODULE_FIXTURE.search((_ROOT / module).read_text(encoding="utf-8")))
    except OSError:
        return False


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` here: a module with a module-scoped fixture goes to one worker whole,
    which builds the fixture once (a 320-file simulation, a register of a thousand rows);
    spread over both workers, each built it for its part. Every other test is dealt out one by
    one as `--dist load` does. (xdist's own loadgroup reads xdist_group marks by renaming the
    tests' node ids, which pytest 9 no longer allows: its marks group nothing.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleFixtureScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if _shares_a_module_fixture(module) else nodeid

    return ModuleFixtureScheduling(config, log)


def pytest_report_header(config: pytest.Config) -> str | None:
    return f"clock moved to {_TRAVEL} (DESK_TEST_TRAVEL)" if _TRAVEL else None


# A fixed "now" for tests that must not depend on the day they run: Mon 2 March 2026, 10:00.
NOW = datetime(2026, 3, 2, 10, 0)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema built once from the migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(path)
    return path


# Centre mode: the suites of these folders run on SQLite and on PostgreSQL (a test that only
# makes sense on an SQLite file says so with @pytest.mark.sqlite_only).
BOTH_ENGINES = ("tests/unit/store/", "tests/unit/services/", "tests/unit/sync/")
_ROOT = Path(__file__).resolve().parent.parent


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" not in metafunc.fixturenames:
        return
    where = Path(str(metafunc.definition.path)).resolve().relative_to(_ROOT).as_posix()
    both = where.startswith(BOTH_ENGINES) and not metafunc.definition.get_closest_marker(
        "sqlite_only"
    )
    if both:
        metafunc.parametrize("engine_name", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """Which engine the test's desk database is on ("sqlite" unless parametrised)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server for the session (or DESK_TEST_PG_URL's)."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """The name of a database migrated once; each PostgreSQL test gets a clone."""
    url = pg_server.new_database(prefix="template")
    upgrade(url)
    return str(make_url(url).database)


# The set-up desk is built once per session and engine, and copied per test like the empty
# schema: three scrypt hashes and the catalogue per test were a good part of the suite's time.
@pytest.fixture(scope="session")
def desk_template_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("desk-template") / "desk.sqlite3"
    shutil.copyfile(template_db, path)
    db = open_database(path)
    set_up_desk(db)
    with db.engine.connect() as conn:  # everything into the file, so a plain copy carries it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_desk_template(pg_server: PgServer, pg_template: str) -> str:
    url = pg_server.new_database(template=pg_template, prefix="desktemplate")
    db = open_database(url)
    set_up_desk(db)
    db.dispose()
    return str(make_url(url).database)


@pytest.fixture(scope="session")
def pg_pool(pg_server: PgServer, pg_template: str) -> DatabasePool:
    """Clones of the migrated schema, put back between tests (tests/pg_server.py)."""
    return DatabasePool(pg_server, pg_template)


@pytest.fixture(scope="session")
def pg_desk_pool(pg_server: PgServer, pg_desk_template: str) -> DatabasePool:
    """Clones of the set-up desk, put back between tests."""
    return DatabasePool(pg_server, pg_desk_template)


def _database(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path, *, desk: bool
) -> Iterator[Database]:
    """A copy of the migrated schema (or of the set-up desk) on the test's engine."""
    if engine_name == "postgresql":
        if os.environ.get("DESK_TEST_PG_CLONE_EACH"):  # the old way: a clone per test
            server: PgServer = request.getfixturevalue("pg_server")
            template = request.getfixturevalue("pg_desk_template" if desk else "pg_template")
            url = server.new_database(template=template)
            db = open_database(url)
            yield db
            db.dispose()
            server.drop_database(url)
            return
        pool: DatabasePool = request.getfixturevalue("pg_desk_pool" if desk else "pg_pool")
        url = pool.checkout()
        db = open_database(url)
        yield db
        db.dispose()
        pool.checkin(url)
        return
    source: Path = request.getfixturevalue("desk_template_db" if desk else "template_db")
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(source, path)
    db = open_database(path)
    yield db
    db.dispose()


@pytest.fixture
def empty_db(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """The migrated schema, nothing set up (the first-run wizard's starting point)."""
    yield from _database(engine_name, request, tmp_path, desk=False)


# Databases built once per worker by a module's `build` (a centre of thirty files, a register
# with its history), handed to each test as a copy: an SQLite file copied, or a PostgreSQL
# database of a pool whose template is the built one.
_PREPARED: dict[tuple[str, str], Path | DatabasePool] = {}


def prepared_database(
    engine_name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    key: str,
    build: Callable[[Database], object],
) -> Iterator[Database]:
    """A copy of the set-up desk after `build(db)`, built once per worker and engine under
    `key`: for fixtures that make the same data for every test of a module, where the tests
    may still write to their copy."""
    made = _PREPARED.get((engine_name, key))
    if engine_name == "postgresql":
        if made is None:
            desks: DatabasePool = request.getfixturevalue("pg_desk_pool")
            built_url = desks.checkout()  # kept: the new pool's template from now on
            built = open_database(built_url)
            build(built)
            built.dispose()
            server: PgServer = request.getfixturevalue("pg_server")
            made = DatabasePool(server, str(make_url(built_url).database))
            _PREPARED[(engine_name, key)] = made
        assert isinstance(made, DatabasePool)
        url = made.checkout()
        db = open_database(url)
        yield db
        db.dispose()
        made.checkin(url)
        return
    if made is None:
        source: Path = request.getfixturevalue("desk_template_db")
        folder = request.getfixturevalue("tmp_path_factory").mktemp(f"prepared-{key}")
        made = folder / "desk.sqlite3"
        shutil.copyfile(source, made)
        built = open_database(made)
        build(built)
        with built.engine.connect() as conn:  # everything into the file, for a plain copy
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        built.dispose()
        _PREPARED[(engine_name, key)] = made
    assert isinstance(made, Path)
    shutil.copytree(made.parent, tmp_path / "prepared")
    db = open_database(tmp_path / "prepared" / "desk.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def db(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A desk with its identity, the bundled catalogue and three users (see tests/desk_setup.py)."""
    yield from _database(engine_name, request, tmp_path, desk=True)


@pytest.fixture
def officer(db: Database) -> Actor:
    return sign_in(db, "canbo")


@pytest.fixture
def supervisor(db: Database) -> Actor:
    return sign_in(db, "lanhdao")


@pytest.fixture
def admin(db: Database) -> Actor:
    return sign_in(db, "quantri")
