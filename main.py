"""Start the one-stop desk: the window, or the admin command line when given a command."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from desk_app.cli.app import run

    if argv:
        return run(argv)
    # The counter window arrives with its own issue; until then the program opens the admin
    # command line's help, which is what `make run` shows.
    print("Cửa sổ chương trình chưa có trong phiên bản này; dùng dòng lệnh quản trị:\n")
    return run(["--help"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
