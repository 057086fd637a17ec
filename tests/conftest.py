"""Fixtures shared by every test folder: a real collector on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

_START_TIMEOUT_S = 60.0

CHROMIUM_PATH = "/usr/bin/chromium"
# Headless Chromium on a machine without a network: no sandbox, no GPU, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningCollector:
    """A collector process started for a test, with its address and data folder."""

    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_collector(home: Path, extra_env: dict[str, str] | None = None) -> RunningCollector:
    """Start ``python -m lanterna_collector`` on a free port and wait until it is healthy."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LANTERNA_HOME": str(home), **(extra_env or {})}
    log_path = home / "collector.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lanterna_collector",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"collector exited early:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                return RunningCollector(url, home, process, log_path)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"collector did not become healthy:\n{log_path.read_text(errors='replace')}")


def stop_collector(collector: RunningCollector) -> None:
    collector.process.terminate()
    try:
        collector.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        collector.process.kill()
        collector.process.wait(timeout=10)


@pytest.fixture(scope="session")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    """One collector for the whole run; tests keep apart by their own trace ids or projects."""
    running = start_collector(tmp_path_factory.mktemp("lanterna-home"))
    yield running
    stop_collector(running)


@pytest.fixture
def fresh_collector(tmp_path: Path) -> Iterator[RunningCollector]:
    """A collector of this test's own, on an empty store."""
    running = start_collector(tmp_path / "lanterna-home")
    yield running
    stop_collector(running)


# Playwright's sync API keeps an event loop marked as running on this thread while it is
# open, which would break every asyncio test after it: so it lives for one module only.
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (no browser is ever downloaded)."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} is missing; install it with `apt-get install -y chromium`.")
    launched = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()
