"""Child processes of ``lanterna up``: start, health-check, watch and stop them.

Each child runs in its own session (and so its own process group), writes to
its own log file, and is stopped together with everything it started.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

logger = logging.getLogger(__name__)

_HEALTH_POLL_S = 0.2
_HEALTH_REQUEST_TIMEOUT_S = 1.0
_STOP_TIMEOUT_S = 10.0
_KILL_TIMEOUT_S = 5.0
_LOG_TAIL_LINES = 30


class StackError(Exception):
    """A child process could not start, did not become healthy, or died."""


def check_port_free(host: str, port: int, what: str) -> None:
    """Raise :class:`StackError` naming ``what`` if it could not listen on ``host:port``.

    The message tells apart a host that is not a valid address or known name, an
    address that does not belong to this machine, a port that needs privileges, and
    a port that something else already uses.
    """
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else str(error)
        raise StackError(
            f"host {host!r} is not a valid IP address or a name this machine can resolve "
            f"({reason}), so the {what} cannot listen there; use an address of this "
            "machine, such as 127.0.0.1 or 0.0.0.0."
        ) from error

    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # Same option as the servers use, so a port in TIME_WAIT still counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as error:
            raise StackError(_bind_failure(host, port, what, error)) from error


def _bind_failure(host: str, port: int, what: str, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use, so the {what} cannot start there "
            f"({error.strerror}); stop what uses it or pick another port with a flag."
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"host {host!r} is not an address of this machine, so the {what} cannot listen "
            "there; use one of its addresses, such as 127.0.0.1 or 0.0.0.0."
        )
    if error.errno == errno.EACCES:
        return (
            f"port {port} on {host} needs privileges this user lacks, so the {what} cannot "
            "start there; pick a port above 1023 with a flag."
        )
    return f"the {what} cannot listen on {host}:{port} ({error.strerror or error})."


@dataclass
class ChildProcess:
    """One child process with its log file and, optionally, a health URL."""

    name: str
    argv: Sequence[str]
    log_path: Path
    env: dict[str, str] | None = None
    health_url: str | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process in a new session, its output going to the log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                list(self.argv),
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        logger.info("started %s (pid %d)", self.name, self.process.pid)

    def exit_code(self) -> int | None:
        """Return the exit code if the process has ended, else ``None``."""
        return None if self.process is None else self.process.poll()

    def is_healthy(self) -> bool:
        """Return whether the health URL answers 200 right now."""
        if self.health_url is None:
            return self.exit_code() is None
        try:
            response = httpx.get(self.health_url, timeout=_HEALTH_REQUEST_TIMEOUT_S)
        except httpx.HTTPError:
            return False
        return response.status_code == httpx.codes.OK

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Return the last ``lines`` lines of the log file."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Terminate the process group, wait, then kill it if it does not end in time."""
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop within %.0f s; killing it", self.name, _STOP_TIMEOUT_S)
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=_KILL_TIMEOUT_S)
        # Grandchildren that outlived their parent are still in the group.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: signal.Signals) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def wait_healthy(children: Sequence[ChildProcess], timeout_s: float, stop: threading.Event) -> None:
    """Wait until every child answers its health check.

    Raises:
        StackError: A child exited, or one was still not healthy after ``timeout_s``.
    """
    deadline = time.monotonic() + timeout_s
    pending = list(children)
    while pending and not stop.is_set():
        for child in list(pending):
            if child.exit_code() is not None:
                raise StackError(died_message(child))
            if child.is_healthy():
                pending.remove(child)
        if pending and time.monotonic() > deadline:
            names = ", ".join(child.name for child in pending)
            raise StackError(f"{names} did not become healthy within {timeout_s:.0f} s.")
        stop.wait(_HEALTH_POLL_S)


def died_message(child: ChildProcess) -> str:
    """Say that ``child`` exited, with its exit code and the tail of its log."""
    return (
        f"the {child.name} exited with code {child.exit_code()}; "
        f"last lines of {child.log_path}:\n{child.log_tail()}"
    )


def stop_all(children: Sequence[ChildProcess]) -> None:
    """Stop ``children`` in the reverse order of their start."""
    for child in reversed(children):
        child.stop()
