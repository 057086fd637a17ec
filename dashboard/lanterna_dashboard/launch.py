"""How to start the dashboard: the command line for ``streamlit run`` and its own flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from lanterna_dashboard.settings import DashboardSettings

APP_PATH: Final = Path(__file__).resolve().parent / "app.py"
_API_URL_FLAG: Final = "--api-url"
_PROJECT_FLAG: Final = "--project"


def command(port: int, api_url: str | None = None, project: str | None = None) -> list[str]:
    """Return the argv that serves the dashboard on 127.0.0.1:``port``.

    ``api_url`` is the collector the dashboard reads from; when ``None`` the
    dashboard reads ``LANTERNA_API_URL`` (default ``http://127.0.0.1:4318``).
    ``project`` is the project it opens on; when ``None`` it reads
    ``LANTERNA_PROJECT``, else picks one from the collector's list.
    """
    argv = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Viewers get no developer menu or deploy button.
        "--client.toolbarMode",
        "viewer",
    ]
    app_flags = []
    if api_url:
        app_flags += [_API_URL_FLAG, api_url]
    if project:
        app_flags += [_PROJECT_FLAG, project]
    return [*argv, "--", *app_flags] if app_flags else argv


def settings_from_args(args: Sequence[str]) -> DashboardSettings:
    """Read the app's own flags (after ``--``); a flag beats the environment."""
    parser = argparse.ArgumentParser(prog="lanterna-dashboard", add_help=False)
    parser.add_argument(_API_URL_FLAG, dest="api_url", default=None)
    parser.add_argument(_PROJECT_FLAG, dest="project", default=None)
    known, _ = parser.parse_known_args(list(args))
    flags: dict[str, Any] = {
        name: value for name, value in vars(known).items() if value is not None
    }
    return DashboardSettings(**flags)
