"""Every part of Lanterna type-checks under ``mypy --strict`` (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def test_every_part_type_checks_in_strict_mode() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"mypy exited with {result.returncode}:\n{result.stdout}{result.stderr}"
    )
