"""Start the one-stop desk: the window, or the admin command line when given a command."""

from __future__ import annotations

import sys
from pathlib import Path


def _database_target(text: str) -> Path | str:
    """A centre's URL (postgresql+psycopg://…, or sqlite:///…) as written: a Path would fold
    its "//"; anything else is the SQLite file's path."""
    return text if "://" in text else Path(text)


def _window_arguments(argv: list[str]) -> Path | str | bool | None:
    """The database (a path or a URL) when `argv` asks for the window (nothing, or only
    --db PATH|URL); False when it holds a command for the admin command line."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db":
        return _database_target(argv[1])
    if len(argv) == 1 and argv[0].startswith("--db="):
        return _database_target(argv[0].removeprefix("--db="))
    return False


def main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        from desk_app.ui.selftest import run_self_test

        return run_self_test()
    window = _window_arguments(argv)
    if window is False:
        from desk_app.cli.app import run

        return run(argv)
    from desk_app.ui.app import run_gui

    return run_gui(window if isinstance(window, Path | str) else None)


if __name__ == "__main__":
    import multiprocessing

    # The forms are drawn in a "spawn" child (desk_app/printing/worker.py): in the frozen bundle
    # that child is this program again, which must hand over to multiprocessing at once.
    multiprocessing.freeze_support()
    sys.exit(main(sys.argv[1:]))
