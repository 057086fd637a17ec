"""``lanterna up``: the whole stack on free ports, with demo data, stopped by Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from process_tree import descendants, is_alive, stop_tree

_READY_TIMEOUT_S = 180.0
_STOP_TIMEOUT_S = 20.0
_READY_LINE = re.compile(r"Lanterna is running\. API: (?P<api>\S+) .*Dashboard: (?P<dashboard>\S+)")


class UpProcess:
    """``lanterna up`` running in the background, with its output collected by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_ready_line(self, timeout_s: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            match = _READY_LINE.search(self.output)
            if match:
                return match
            if self.process.poll() is not None:
                pytest.fail(f"lanterna up exited with {self.process.returncode}:\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"lanterna up printed no URLs within {timeout_s} s:\n{self.output}")

    def close(self) -> None:
        stop_tree(self.process, _STOP_TIMEOUT_S)
        self._reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def start_up(tmp_path: Path, unused_port: Callable[[], int]) -> Iterator[Callable[..., UpProcess]]:
    """Start ``lanterna up ARGS`` on free ports; whatever is still running is killed after."""
    started: list[UpProcess] = []

    def start(*args: str) -> UpProcess:
        env = {**os.environ, "LANTERNA_HOME": str(tmp_path / "home")}
        argv = [sys.executable, "-m", "lanterna_cli", "up", "--port", str(unused_port()),
                "--dashboard-port", str(unused_port()), *args]  # fmt: skip
        started.append(UpProcess(argv, env))
        return started[-1]

    yield start
    for running in started:
        running.close()


def test_up_serves_demo_traces_and_the_dashboard_then_stops_cleanly_on_ctrl_c(
    start_up: Callable[..., UpProcess], tmp_path: Path
) -> None:
    lanterna_up = start_up()
    ready = lanterna_up.wait_for_ready_line(_READY_TIMEOUT_S)
    api, dashboard = ready["api"], ready["dashboard"]

    traces = httpx.get(f"{api}/traces", params={"limit": 100}, timeout=10).json()["traces"]
    assert len(traces) >= 20
    assert {trace["name"] for trace in traces} == {"answer"}
    assert httpx.get(f"{dashboard}/_stcore/health", timeout=10).status_code == 200
    assert httpx.get(f"{api.removesuffix('/api/v1')}/docs", timeout=10).status_code == 200
    logs = tmp_path / "home" / "logs"
    assert {"collector.log", "dashboard.log", "demo.log"} <= {p.name for p in logs.iterdir()}

    children = descendants(lanterna_up.process.pid)
    assert children
    lanterna_up.process.send_signal(signal.SIGINT)

    assert lanterna_up.process.wait(timeout=_STOP_TIMEOUT_S) == 0
    assert [pid for pid in children if is_alive(pid)] == []


def test_up_stops_everything_and_says_why_when_the_collector_dies(
    start_up: Callable[..., UpProcess],
) -> None:
    lanterna_up = start_up("--no-demo")
    ready = lanterna_up.wait_for_ready_line(_READY_TIMEOUT_S)
    children = descendants(lanterna_up.process.pid)
    collector_pid = _pid_listening_behind(ready["api"], children)

    os.kill(collector_pid, signal.SIGKILL)

    assert lanterna_up.process.wait(timeout=_STOP_TIMEOUT_S) == 1
    assert "the collector exited with code" in lanterna_up.output
    assert [pid for pid in children if is_alive(pid)] == []


def test_sigterm_stops_up_and_its_children_cleanly(start_up: Callable[..., UpProcess]) -> None:
    lanterna_up = start_up("--no-demo")
    lanterna_up.wait_for_ready_line(_READY_TIMEOUT_S)
    children = descendants(lanterna_up.process.pid)

    lanterna_up.process.terminate()

    assert lanterna_up.process.wait(timeout=_STOP_TIMEOUT_S) == 0
    assert [pid for pid in children if is_alive(pid)] == []


def _pid_listening_behind(api: str, candidates: set[int]) -> int:
    for pid in candidates:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"lanterna_collector" in cmdline:
            return pid
    raise AssertionError(f"no collector among {candidates} for {api}")


def test_up_reports_a_collector_that_cannot_start_with_the_end_of_its_log(
    tmp_path: Path, unused_port: Callable[[], int]
) -> None:
    # Nothing listens there, so the collector starts, fails to reach ClickHouse and exits.
    clickhouse_url = f"http://127.0.0.1:{unused_port()}"
    env = {
        **os.environ,
        "LANTERNA_HOME": str(tmp_path / "home"),
        "LANTERNA_CLICKHOUSE_URL": clickhouse_url,
    }
    argv = [sys.executable, "-m", "lanterna_cli", "up", "--no-demo", "--port", str(unused_port()),
            "--dashboard-port", str(unused_port())]  # fmt: skip

    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert "the collector exited with code 1" in result.stderr
    assert f"LANTERNA_CLICKHOUSE_URL={clickhouse_url!r}: cannot connect" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Lanterna is running" not in result.stdout
