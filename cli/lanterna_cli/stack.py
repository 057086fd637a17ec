"""``lanterna up``: the collector, the dashboard and the demo as supervised children."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from lanterna_cli.processes import (
    ChildProcess,
    StackError,
    check_port_free,
    died_message,
    stop_all,
    wait_healthy,
)
from lanterna_cli.settings import CliSettings

logger = logging.getLogger(__name__)

_HEALTH_TIMEOUT_S = 90.0
_DEMO_TIMEOUT_S = 120.0
_WATCH_POLL_S = 0.5
_COLLECTOR_HEALTH_PATH = "/api/v1/health"
_DASHBOARD_HEALTH_PATH = "/_stcore/health"
_DEMO_SUMMARY_START = "Sent "


@dataclass(frozen=True)
class StackOptions:
    """What ``lanterna up`` was asked to run."""

    settings: CliSettings
    with_demo: bool
    # Given only by --project; otherwise the dashboard reads LANTERNA_PROJECT or picks one.
    dashboard_project: str | None = None


def collector_command(host: str, port: int, home: Path) -> list[str]:
    """Return the argv that runs the collector in the foreground, storing under ``home``."""
    return [
        sys.executable, "-m", "lanterna_collector",
        "--host", host, "--port", str(port), "--home", str(home),
    ]  # fmt: skip


def dashboard_command(port: int, api_url: str, project: str | None = None) -> list[str]:
    """Return the argv that runs the dashboard, as the dashboard package defines it."""
    from lanterna_dashboard.launch import command

    return command(port, api_url, project)


def demo_command(endpoint: str, project: str) -> list[str]:
    """Return the argv that runs the demo against ``endpoint`` in a child process."""
    return [
        sys.executable, "-m", "lanterna_cli", "demo", "--endpoint", endpoint, "--project", project,
    ]  # fmt: skip


class Stack:
    """Starts the children, reports their URLs, and stops them on a signal or a death."""

    def __init__(self, options: StackOptions) -> None:
        self._settings = options.settings
        self._with_demo = options.with_demo
        self._dashboard_project = options.dashboard_project
        self._stop = threading.Event()
        self._children: list[ChildProcess] = []

    def run(self) -> int:
        """Run until interrupted; return the exit code for the command."""
        settings = self._settings
        check_port_free(settings.host, settings.port, "collector")
        check_port_free(settings.host, settings.dashboard_port, "dashboard")
        _make_logs_dir(settings)
        self._install_signal_handlers()
        try:
            self._start_services()
            wait_healthy(self._children, _HEALTH_TIMEOUT_S, self._stop)
            if self._with_demo and not self._stop.is_set():
                self._run_demo()
            if not self._stop.is_set():
                self._print_urls()
                self._watch()
        except StackError as error:
            print(f"lanterna up: {error}", file=sys.stderr)
            return 1
        finally:
            print("Stopping Lanterna...", file=sys.stderr)
            stop_all(self._children)
        return 0

    def _install_signal_handlers(self) -> None:
        def request_stop(signum: int, frame: FrameType | None) -> None:
            self._stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

    def _child(self, name: str, argv: list[str], health_url: str | None = None) -> ChildProcess:
        log_path = self._settings.logs_dir / f"{name}.log"
        return ChildProcess(name, argv, log_path, health_url=health_url)

    def _start_services(self) -> None:
        settings = self._settings
        collector = self._child(
            "collector",
            collector_command(settings.host, settings.port, settings.home),
            settings.api_url + _COLLECTOR_HEALTH_PATH,
        )
        dashboard = self._child(
            "dashboard",
            dashboard_command(settings.dashboard_port, settings.api_url, self._dashboard_project),
            self._dashboard_url + _DASHBOARD_HEALTH_PATH,
        )
        for child in (collector, dashboard):
            child.start()
            self._children.append(child)
        print(f"Starting Lanterna; logs in {settings.logs_dir}", file=sys.stderr)

    @property
    def _dashboard_url(self) -> str:
        return f"http://{self._settings.host}:{self._settings.dashboard_port}"

    def _run_demo(self) -> None:
        demo = self._child("demo", demo_command(self._settings.api_url, self._settings.project))
        demo.start()
        self._children.append(demo)
        print("Loading demo data...", file=sys.stderr)
        deadline = time.monotonic() + _DEMO_TIMEOUT_S
        while demo.exit_code() is None and not self._stop.is_set():
            if time.monotonic() > deadline:
                print(
                    f"warning: the demo took over {_DEMO_TIMEOUT_S:.0f} s; stopped it",
                    file=sys.stderr,
                )
                break
            self._check_services()
            self._stop.wait(_WATCH_POLL_S)
        if demo.exit_code() == 0:
            print(_demo_summary(demo), file=sys.stderr)
        elif demo.exit_code() is not None:
            # The stack is still useful without demo data, so this is a warning only.
            print(f"warning: {died_message(demo)}", file=sys.stderr)
        self._children.remove(demo)
        demo.stop()

    def _print_urls(self) -> None:
        api = self._settings.api_url
        print(
            f"Lanterna is running. API: {api}/api/v1  API docs: {api}/docs  "
            f"Dashboard: {self._dashboard_url}",
            flush=True,
        )
        print("Press Ctrl-C to stop.", flush=True)

    def _check_services(self) -> None:
        for child in self._children:
            if child.name != "demo" and child.exit_code() is not None:
                raise StackError(died_message(child))

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._check_services()
            self._stop.wait(_WATCH_POLL_S)


def _make_logs_dir(settings: CliSettings) -> None:
    try:
        settings.logs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StackError(
            f"LANTERNA_HOME={str(settings.home)!r}: cannot create the logs folder "
            f"{settings.logs_dir} ({error.strerror or error}); point LANTERNA_HOME at a "
            "folder you can write to."
        ) from error


def _demo_summary(demo: ChildProcess) -> str:
    """Return the demo's closing line, which says how many traces it sent."""
    lines = demo.log_tail().splitlines()
    return next((line for line in reversed(lines) if line.startswith(_DEMO_SUMMARY_START)), "")
