"""The sidebar's project selector, kept in the URL (``?project=``) so links keep it."""

from __future__ import annotations

import logging
from typing import Final

import streamlit as st

from lanterna_dashboard import routes
from lanterna_dashboard.errors import DashboardError
from lanterna_dashboard.models import ProjectSummary
from lanterna_dashboard.project_choice import default_project, project_options
from lanterna_dashboard.views import _common

logger = logging.getLogger(__name__)

_SELECT_KEY: Final = "project_select"
_PROJECTS_CACHE_TTL_S: Final = 10
_HELP: Final = (
    "Traces are grouped by the project the app names, as in "
    "lanterna.configure(project=...). The list shows the projects that hold traces, "
    "most recently active first."
)


def render_project_picker() -> str:
    """Draw the selector in the sidebar and return the project every page shows."""
    projects = _projects()
    from_url = st.query_params.get(routes.PROJECT_PARAM, "").strip()
    # Sidebar page links drop the query string; the last choice then stays.
    current = (
        from_url
        or st.session_state.get(_SELECT_KEY)
        or default_project(_common.settings().project, projects)
    )
    st.session_state[_SELECT_KEY] = current

    chosen = st.sidebar.selectbox(
        "Project",
        project_options(current, projects),
        key=_SELECT_KEY,
        on_change=_project_changed,
        help=_HELP,
    )
    st.query_params[routes.PROJECT_PARAM] = chosen
    _common.use_project(chosen)
    return str(chosen)


def _project_changed() -> None:
    st.query_params[routes.PROJECT_PARAM] = st.session_state[_SELECT_KEY]


def _projects() -> list[ProjectSummary]:
    """The collector's projects; none when it cannot say, for the page to explain why."""
    try:
        return _cached_projects(_common.settings().api_url)
    except DashboardError as error:
        logger.debug("no project list: %s", error)
        return []


@st.cache_data(ttl=_PROJECTS_CACHE_TTL_S, show_spinner=False)
def _cached_projects(api_url: str) -> list[ProjectSummary]:
    del api_url  # Part of the cache key only.
    return list(_common.client().list_projects().projects)
