"""The admin command line run inside the test's process, as `python main.py ARGS` would run it:
its own environment, standard input and output, and exit status; and a set-up desk's file with
its administrator signed in, for the commands that change it. A process costs about a second
of imports; the tests that only read what a command says use this instead, and the tests about
processes (a separate `init`, a killed save, a terminal) still start real ones."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from desk_app.store.engine import Database


def run_main(
    args: list[str] | tuple[str, ...], env: Mapping[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`main.py ARGS` with `env` as the whole environment (os.environ when None) and `stdin` as
    its input; what it printed and its exit status, as subprocess.run would give them."""
    from desk_app.cli.app import run

    saved_env = dict(os.environ)
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        try:
            code = run(list(args))
        except SystemExit as exc:  # argparse: --help, or a mistake in the arguments
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(
        ["main.py", *args], code, stdout=out.getvalue(), stderr=err.getvalue()
    )


def signed_in_admin(db: Database, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The set-up desk's SQLite file, its administrator signed in by the environment (the
    messages in Vietnamese)."""
    assert db.path is not None
    monkeypatch.setenv("DESK_USER", "quantri")
    monkeypatch.setenv("DESK_PASSWORD", "matkhau123")
    monkeypatch.delenv("DESK_LANG", raising=False)
    return db.path


def cli(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    """`main.py --db PATH ARGS` in this process: its exit status and what it printed."""
    from desk_app.cli.app import run

    code = run(["--db", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err
