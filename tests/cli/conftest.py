"""Fixtures for the CLI tests: running ``lanterna`` as a child process, and ports."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_LANTERNA = [sys.executable, "-m", "lanterna_cli"]
_RUN_TIMEOUT_S = 120

LanternaRunner = Callable[..., subprocess.CompletedProcess[str]]


def _unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def lanterna(tmp_path: Path) -> LanternaRunner:
    """Run ``lanterna ARGS`` with a clean environment and a data folder of the test's own."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_LANTERNA, *args],
            capture_output=True,
            text=True,
            timeout=_RUN_TIMEOUT_S,
            env={"LANTERNA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", **(env or {})},
        )

    return run


@pytest.fixture
def unused_port() -> Callable[[], int]:
    """Return a function giving a port on 127.0.0.1 that nothing listens on right now."""
    return _unused_port


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that a listening socket holds for the whole test."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])
