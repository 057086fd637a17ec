"""What every page shares: the API client, error messages and safe display of user text.

User text (span names, inputs, outputs, attributes, error messages) only ever
goes to elements that show text as text: ``st.text``, ``st.code``, ``st.json``
and data frames. Markdown elements get fixed wording or escaped text.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import streamlit as st

from lanterna_dashboard.api import LanternaApiClient
from lanterna_dashboard.errors import (
    ApiResponseError,
    BadRequestError,
    CollectorUnreachableError,
    DashboardError,
    FilterSyntaxError,
    NotFoundError,
)
from lanterna_dashboard.formatting import ValueKind, display_value, escape_markdown, mark_position
from lanterna_dashboard.models import TraceDetail
from lanterna_dashboard.settings import DEFAULT_PROJECT, DashboardSettings

logger = logging.getLogger(__name__)

_SETTINGS_KEY: Final = "lanterna_settings"
_PROJECT_KEY: Final = "lanterna_project"
_TRACE_CACHE_TTL_S: Final = 10


def use_settings(settings: DashboardSettings) -> None:
    """Make ``settings`` the ones every page of this run uses."""
    st.session_state[_SETTINGS_KEY] = settings


def settings() -> DashboardSettings:
    """The settings chosen at start-up (or read from the environment)."""
    current = st.session_state.get(_SETTINGS_KEY)
    return current if isinstance(current, DashboardSettings) else DashboardSettings()


def use_project(name: str) -> None:
    """Make ``name`` the project every page of this run shows."""
    st.session_state[_PROJECT_KEY] = name


def project() -> str:
    """The project chosen in the sidebar, else the configured one, else ``default``."""
    chosen = st.session_state.get(_PROJECT_KEY)
    if isinstance(chosen, str) and chosen:
        return chosen
    return settings().project or DEFAULT_PROJECT


def client() -> LanternaApiClient:
    """The shared API client for the configured collector."""
    return _client_for(settings())


@st.cache_resource(show_spinner=False)
def _client_for(config: DashboardSettings) -> LanternaApiClient:
    return LanternaApiClient(config)


def fetch_trace(trace_id: str) -> TraceDetail:
    """Fetch a trace, cached briefly so that moving between its spans stays quick."""
    return _cached_trace(settings().api_url, project(), trace_id)


@st.cache_data(ttl=_TRACE_CACHE_TTL_S, show_spinner=False)
def _cached_trace(api_url: str, project_name: str, trace_id: str) -> TraceDetail:
    del api_url  # Part of the cache key only.
    return client().get_trace(trace_id, project=project_name)


def show_error(error: DashboardError, filter_text: str = "") -> None:
    """Explain a failed request to the person looking, without a stack trace."""
    if isinstance(error, CollectorUnreachableError):
        st.error(
            f"Cannot reach the Lanterna collector at {escape_markdown(error.api_url)} "
            f"({escape_markdown(error.reason)}). Start it with `lanterna server` or "
            "`lanterna up`, or set `LANTERNA_API_URL` to where it runs.",
            icon=":material/cloud_off:",
        )
        return
    if isinstance(error, FilterSyntaxError):
        st.error(f"Invalid filter: {escape_markdown(error.message)}", icon=":material/error:")
        if filter_text:
            st.code(mark_position(filter_text, error.position), language=None)
        return
    if isinstance(error, BadRequestError):
        st.error(escape_markdown(error.message), icon=":material/error:")
        return
    if isinstance(error, NotFoundError):
        st.warning(escape_markdown(error.message), icon=":material/search_off:")
        return
    if isinstance(error, ApiResponseError):
        st.error(
            f"The collector could not answer: {escape_markdown(error.message)}",
            icon=":material/error:",
        )
        return
    logger.warning("Unexpected dashboard error: %s", error)
    st.error(escape_markdown(str(error)))


def show_value(value: Any, empty_note: str) -> None:
    """Show an input or output as a JSON tree or as plain text, never as markup."""
    shown = display_value(value)
    if shown.kind is ValueKind.EMPTY:
        st.caption(empty_note)
    elif shown.kind is ValueKind.JSON:
        st.json(shown.value, expanded=2)
    else:
        st.code(shown.value, language=None, wrap_lines=True)
