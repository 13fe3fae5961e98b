"""The command line opens the database the window would: --db, else the centre's server saved
for this PC in Settings › Máy này (with its kept password), else the user's own SQLite file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from desk_app.cli.app import run
from desk_app.services import intake
from desk_app.services.context import Actor
from desk_app.store import machine_db
from desk_app.store.engine import Database, default_database_path
from desk_app.store.server_login import PasswordStore, ServerLogin
from desk_app.ui.prefs import Prefs

NOW = datetime(2026, 3, 2, 10, 0)
CLOSED_PORT = 9  # nothing listens there: refused at once


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user folders (data, settings, secrets) kept in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DESK_SECRETS_DIR", str(tmp_path / "secrets"))
    return tmp_path


def save_in_settings(login: ServerLogin, password: str | None = None) -> None:
    """As Settings › Máy này saves it: the window's preferences file (QSettings), the password
    in the user's secret store."""
    prefs = Prefs()
    prefs.set_centre_login(login)
    prefs.sync()
    if password:
        PasswordStore().save(login, password)


@pytest.mark.parametrize(
    "login",
    [
        ServerLogin(host="/var/run/postgresql", sslmode="disable"),
        ServerLogin(host="may-chu.trung-tam.lan", port=6543, database="mot_cua", user="quay"),
        ServerLogin(
            host="10.0.0.5", database="kho dữ liệu, 2026", user="cán bộ", sslmode="require"
        ),
    ],
)
def test_the_login_the_window_saves_reads_the_same_without_qt(
    homes: Path, login: ServerLogin
) -> None:
    save_in_settings(login)
    assert Prefs().centre_login() == login
    assert machine_db.saved_login() == login
    assert machine_db.saved_login(Prefs().path) == login


def test_the_choice_goes_db_then_the_saved_server_then_the_own_file(homes: Path) -> None:
    given = homes / "khac.sqlite3"
    assert machine_db.chosen_target(None) is None  # nothing saved: the user's own file
    assert machine_db.chosen_target(given) == given
    login = ServerLogin(host="may-chu", sslmode="disable")
    save_in_settings(login, "mật-khẩu")
    assert machine_db.chosen_target(given) == given
    assert machine_db.chosen_target(None) == login.url("mật-khẩu")
    # Another PC's password store: the URL without a password (libpq's own ways then).
    other = PasswordStore(homes / "elsewhere")
    assert machine_db.chosen_target(None, passwords=other) == login.url()


def test_without_anything_saved_the_command_line_uses_the_own_file(
    homes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["files", "list"]) == 2
    err = capsys.readouterr().err
    assert str(default_database_path()) in err  # no database there yet: said, not created
    assert not default_database_path().exists()


def test_db_wins_over_the_saved_server_and_without_it_the_server_is_tried(
    homes: Path, db: Database, officer: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=NOW).code
    save_in_settings(ServerLogin(host="127.0.0.1", port=CLOSED_PORT, sslmode="disable"))
    assert db.path is not None
    assert run(["--db", str(db.path), "files", "show", code]) == 0
    assert code in capsys.readouterr().out
    assert run(["files", "show", code]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "127.0.0.1" in err
    assert not default_database_path().exists()


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
def test_without_db_the_command_line_opens_the_saved_centre_server(
    homes: Path, db: Database, officer: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    data = intake.IntakeInput(procedure="1.001029", applicant=intake.ApplicantInput(name="An"))
    with db.writer.begin() as s:
        code = intake.accept_file(s, data, officer, now=NOW).code
    url = make_url(db.url)
    login = ServerLogin(
        host=str(url.query.get("host") or url.host),
        port=int(str(url.query.get("port") or url.port or 5432)),
        database=str(url.database),
        user=str(url.username),
        sslmode="disable",
    )
    save_in_settings(login, url.password)
    assert run(["files", "show", code]) == 0, capsys.readouterr().err
    assert code in capsys.readouterr().out
    assert not default_database_path().exists()


def test_restore_without_db_goes_to_the_saved_server_not_the_own_file(
    homes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`restore` replaces a register: without --db it means the same database as every other
    command (here the saved server, out of reach), never the PC's own file."""
    dump = homes / "desk.pgdump"
    dump.write_bytes(b"PGDMP not really")
    save_in_settings(ServerLogin(host="127.0.0.1", port=CLOSED_PORT, sslmode="disable"))
    assert run(["restore", str(dump)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "127.0.0.1" in err
    assert not default_database_path().exists()
