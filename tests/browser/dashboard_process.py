"""Starting and stopping a dashboard process for a test, as the CLI would."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
from lanterna_dashboard.launch import command

# Rows per page in the test dashboard: small, so that four traces make two pages.
PAGE_SIZE: Final = 3
_START_TIMEOUT_S: Final = 60.0
_POLL_S: Final = 0.2


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningDashboard:
    """A Streamlit dashboard process serving on 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_dashboard(folder: Path, api_url: str, extra_env: dict[str, str]) -> RunningDashboard:
    """Start the dashboard with ``launch.command`` and wait for Streamlit's health check."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "dashboard.log"
    env = {**os.environ, "LANTERNA_API_URL": api_url, **extra_env}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command(port), env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=folder
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dashboard exited early:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1.0).status_code == 200:
                return RunningDashboard(url, process, log_path)
        except httpx.TransportError:
            pass
        time.sleep(_POLL_S)
    stop_dashboard(RunningDashboard(url, process, log_path))
    raise RuntimeError(f"dashboard did not become healthy:\n{log_path.read_text(errors='replace')}")


def stop_dashboard(dashboard: RunningDashboard) -> None:
    dashboard.process.terminate()
    try:
        dashboard.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        dashboard.process.kill()
        dashboard.process.wait(timeout=10)
