"""`python main.py --self-test` from the source tree: window, demo file and receipt, exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_from_the_source_tree(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    result = subprocess.run(
        [sys.executable, "main.py", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test ok" in result.stdout
    assert "receipt" in result.stdout
    # The self-test works in a temporary folder; the user's data folder stays untouched.
    assert not (tmp_path / ".local" / "share" / "one-stop-desk").exists()
