"""The dashboard's pages: their URL paths and the links between them."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage

TRACES: Final = "traces"
TRACE: Final = "trace"
SESSIONS: Final = "sessions"

TRACE_ID_PARAM: Final = "trace_id"
SPAN_ID_PARAM: Final = "span_id"
FILTER_PARAM: Final = "filter"
PROJECT_PARAM: Final = "project"

_pages: dict[str, StreamlitPage] = {}


def register(url_path: str, page: StreamlitPage) -> None:
    """Remember the page object for ``url_path`` so views can switch to it."""
    _pages[url_path] = page


def switch_to(url_path: str, query_params: dict[str, str]) -> None:
    """Open another page of the app in this tab, with ``query_params`` in its URL.

    The project in the current URL goes along, so the next page shows the same project.
    """
    project = st.query_params.get(PROJECT_PARAM)
    carried = {PROJECT_PARAM: project} if project else {}
    st.switch_page(_pages[url_path], query_params={**carried, **query_params})


def href(url_path: str, query_params: dict[str, str]) -> str:
    """A relative link to a page, for link columns (every page sits at the top level)."""
    # The default page is served at the app's root, not under its own path.
    path = "./" if url_path == TRACES else f"./{url_path}"
    return f"{path}?{urlencode(query_params)}" if query_params else path


def trace_href(trace_id: str, project: str) -> str:
    """A relative link to one trace's page in ``project``."""
    return href(TRACE, {PROJECT_PARAM: project, TRACE_ID_PARAM: trace_id})
