"""Which project the dashboard opens on, without any Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

from lanterna_dashboard.models import ProjectSummary
from lanterna_dashboard.settings import DEFAULT_PROJECT


def default_project(configured: str | None, projects: Sequence[ProjectSummary]) -> str:
    """The project to show when the URL names none.

    The configured project (``LANTERNA_PROJECT`` or ``--project``) wins; else
    ``default`` if it holds traces; else the most recently active project, so
    that traces sent under another name are not hidden behind an empty page.

    Args:
        configured: The project from the settings, ``None`` when not set.
        projects: The collector's projects, most recently active first.
    """
    if configured:
        return configured
    names = [summary.name for summary in projects]
    if DEFAULT_PROJECT in names or not names:
        return DEFAULT_PROJECT
    return names[0]


def project_options(current: str, projects: Sequence[ProjectSummary]) -> list[str]:
    """The names to offer, most recently active first; ``current`` is kept even if empty."""
    names = [summary.name for summary in projects]
    return names if current in names else [current, *names]
