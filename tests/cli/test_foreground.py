"""``lanterna server`` and ``lanterna dashboard`` run their service in the foreground."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

_START_TIMEOUT_S = 90.0
_STOP_TIMEOUT_S = 20.0


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} never answered:\n{log.read_text(errors='replace')}")


@pytest.fixture
def foreground(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``lanterna ARGS`` with output to a log file; kill it after the test if needed."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        log = tmp_path / "out.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "lanterna_cli", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={"LANTERNA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_server_serves_the_api_and_stops_on_ctrl_c(
    foreground: Callable[..., subprocess.Popen[bytes]],
    unused_port: Callable[[], int],
    tmp_path: Path,
) -> None:
    port = unused_port()
    process = foreground("server", "--port", str(port))

    _wait_healthy(process, f"http://127.0.0.1:{port}/api/v1/health", tmp_path / "out.log")
    assert (tmp_path / "home").is_dir()
    process.send_signal(signal.SIGINT)

    assert process.wait(timeout=_STOP_TIMEOUT_S) == 0


def test_dashboard_serves_streamlit_on_the_given_port(
    foreground: Callable[..., subprocess.Popen[bytes]],
    unused_port: Callable[[], int],
    tmp_path: Path,
) -> None:
    port = unused_port()
    process = foreground("dashboard", "--port", str(port), "--api-url", "http://127.0.0.1:9")

    _wait_healthy(process, f"http://127.0.0.1:{port}/_stcore/health", tmp_path / "out.log")
    process.terminate()

    assert process.wait(timeout=_STOP_TIMEOUT_S) == 0
