"""The layering rule made mechanical: nothing outside desk_app.ui imports PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desk_app


def _non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(desk_app.__path__, prefix="desk_app."):
        if info.name == "desk_app.ui" or info.name.startswith("desk_app.ui."):
            continue
        names.append(info.name)
    return names


def test_every_non_ui_module_is_found() -> None:
    names = _non_ui_modules()
    for expected in (
        "desk_app.domain.due",
        "desk_app.store.models",
        "desk_app.services.intake",
        "desk_app.cli.app",
        "desk_app.sync.outbox",
        "desk_app.sync.runner",
        "desk_app.department.app",
    ):
        assert expected in names


def test_importing_non_ui_packages_does_not_import_pyside6() -> None:
    # A fresh interpreter, so that nothing imported by other tests can hide the import.
    code = (
        "import importlib, sys\n"
        f"for name in {_non_ui_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(len(sys.modules)); assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 50


def test_the_window_starts_without_the_network_and_department_libraries() -> None:
    """httpx is imported by the first sync pass, FastAPI only by the department's commands:
    neither may slow the window's start."""
    code = (
        "import sys, desk_app.ui.main_window\n"
        "print(sorted(m for m in ('httpx', 'fastapi', 'uvicorn', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
