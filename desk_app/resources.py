"""Locate the top-level `resources/` folder from the source tree or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def program_root() -> Path:
    """The folder holding `resources/` and `db/` (the Alembic scripts).

    In a PyInstaller bundle the data files are unpacked under `sys._MEIPASS`; from a source
    checkout they sit next to the `desk_app` package.
    """
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass is not None:
        return Path(meipass)
    return Path(__file__).resolve().parents[1]


def resources_root() -> Path:
    """The `resources/` folder shipped with the program."""
    return program_root() / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file or folder inside `resources/`, e.g. `resource_path("catalog", "x.json")`.

    Parts may not climb out of the folder (`..`, absolute paths): resources are program data,
    never a way to reach the user's files.
    """
    root = resources_root()
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()):
        msg = f"resource path escapes the resources folder: {parts!r}"
        raise ValueError(msg)
    return path


def read_resource_text(*parts: str) -> str:
    """The UTF-8 text of a file inside `resources/` (a leading byte-order mark is dropped)."""
    return resource_path(*parts).read_bytes().decode("utf-8-sig")
