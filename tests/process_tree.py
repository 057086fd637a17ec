"""Processes a test started and everything they started in turn, read from /proc."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

_KILL_WAIT_S = 10.0


def descendants(pid: int) -> set[int]:
    """Return the ids of every process below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # The command name may hold spaces; the parent id is the 2nd field after it.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def is_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop_tree(process: subprocess.Popen[str], timeout_s: float) -> None:
    """Ctrl-C ``process``, kill it if it lingers, then kill any child it left behind.

    For teardown after a test that failed before stopping its process itself.
    """
    if process.poll() is not None:
        return
    children = descendants(process.pid)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=_KILL_WAIT_S)
    for pid in children:
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)
