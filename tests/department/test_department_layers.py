"""The department is a separate program: it shares only the statistics and the wire format."""

from __future__ import annotations

import subprocess
import sys


def test_the_department_does_not_import_the_desk() -> None:
    # A fresh interpreter, so that nothing imported by other tests can hide an import.
    code = (
        "import sys\n"
        "import desk_app.department.server, desk_app.department.app\n"
        "bad = sorted(m for m in sys.modules if m.startswith(\n"
        "    ('desk_app.store', 'desk_app.services', 'desk_app.ui', 'PySide6', 'shiboken6')))\n"
        "assert not bad, bad\n"
        "assert 'desk_app.sync.protocol' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
