"""A new user's first steps: clone, install into a fresh venv, ``lanterna up``, look, stop.

These tests install the committed state of the repository (a ``git clone`` of
it) from the configured package index into new virtual environments.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser
from process_tree import descendants, is_alive, stop_tree

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

_REPO_ROOT = Path(__file__).resolve().parents[2]
_INSTALL_TIMEOUT_S = 900
_READY_TIMEOUT_S = 240.0
_STOP_TIMEOUT_S = 20.0
_READY_LINE = re.compile(r"Lanterna is running\. API: (?P<api>\S+) .*Dashboard: (?P<dashboard>\S+)")
_SERVER_ONLY_DISTRIBUTIONS = ("fastapi", "clickhouse-connect", "streamlit", "openai", "pandas")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(argv: list[str], timeout_s: float, cwd: Path | None = None) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, cwd=cwd)
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout


def _fresh_venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", str(path)], timeout_s=120)
    return path / "bin"


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of the repository, as a new user gets it."""
    target = tmp_path_factory.mktemp("clone") / "lanterna"
    _run(["git", "clone", "--quiet", str(_REPO_ROOT), str(target)], timeout_s=120)
    return target


class _Background:
    """A process whose combined output a thread collects line by line."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        self.lines.extend(self.process.stdout)

    def wait_for(self, pattern: re.Pattern[str], timeout_s: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            match = pattern.search("".join(self.lines))
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(f"no {pattern.pattern!r} in the output:\n{''.join(self.lines)[-5000:]}")


@pytest.fixture
def running_stack(clone: Path, tmp_path: Path) -> Iterator[_Background]:
    """``lanterna up`` from a fresh venv with every extra, on free ports."""
    bin_dir = _fresh_venv(tmp_path / "venv-all")
    _run([str(bin_dir / "pip"), "install", "--quiet", f"{clone}[all]"], _INSTALL_TIMEOUT_S)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANTERNA_HOME": str(tmp_path / "lanterna-home"),
    }
    argv = [str(bin_dir / "lanterna"), "up", "--port", str(_free_port()),
            "--dashboard-port", str(_free_port())]  # fmt: skip
    stack = _Background(argv, env)
    yield stack
    stop_tree(stack.process, _STOP_TIMEOUT_S)
    stack.reader.join(timeout=10)
    assert stack.process.stdout is not None
    stack.process.stdout.close()


def _screenshot_traces_page(browser: Browser, dashboard_url: str, path: Path) -> None:
    page = browser.new_page()
    try:
        page.goto(dashboard_url, wait_until="networkidle")
        # The trace list is a canvas grid; its cells are in the DOM for assistive tools.
        cell = page.locator('[role="gridcell"]', has_text="answer").first
        cell.wait_for(state="attached", timeout=60_000)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.close()


def test_new_user_installs_everything_runs_up_and_sees_demo_traces(
    running_stack: _Background, browser: Browser, tmp_path: Path
) -> None:
    ready = running_stack.wait_for(_READY_LINE, _READY_TIMEOUT_S)
    api, dashboard = ready["api"], ready["dashboard"]

    traces = httpx.get(f"{api}/traces", params={"limit": 100}, timeout=10).json()["traces"]
    assert len(traces) >= 20
    assert len({trace["session_id"] for trace in traces}) >= 6
    assert httpx.get(f"{dashboard}/_stcore/health", timeout=10).status_code == 200
    screenshot = tmp_path / "dashboard-traces.png"
    _screenshot_traces_page(browser, dashboard, screenshot)
    assert screenshot.stat().st_size > 0

    children = descendants(running_stack.process.pid)
    running_stack.process.send_signal(signal.SIGINT)

    assert running_stack.process.wait(timeout=_STOP_TIMEOUT_S) == 0
    assert [pid for pid in children if is_alive(pid)] == []


def test_plain_install_brings_only_the_sdk(clone: Path, tmp_path: Path) -> None:
    bin_dir = _fresh_venv(tmp_path / "venv-sdk")
    _run([str(bin_dir / "pip"), "install", "--quiet", str(clone)], _INSTALL_TIMEOUT_S)

    installed = _run([str(bin_dir / "pip"), "list", "--format=freeze"], timeout_s=120)
    names = {line.split("==")[0].lower().replace("_", "-") for line in installed.splitlines()}
    assert names.isdisjoint(_SERVER_ONLY_DISTRIBUTIONS), names
    _run([str(bin_dir / "python"), "-c", "import lanterna; lanterna.configure"], timeout_s=60)
    result = subprocess.run(
        [str(bin_dir / "lanterna"), "up"], capture_output=True, text=True, timeout=60,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 1
    assert "pip install 'lanterna[all]'" in result.stderr
    assert "Traceback" not in result.stderr
