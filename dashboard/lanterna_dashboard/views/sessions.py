"""The session list: one row per session, each linking to the traces of that session."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from lanterna_dashboard import routes
from lanterna_dashboard.errors import DashboardError
from lanterna_dashboard.formatting import parse_time, quote_filter_string
from lanterna_dashboard.models import SessionSummary
from lanterna_dashboard.views import _common
from lanterna_dashboard.views.paging import page_stack, paging_buttons

_PAGES_KEY: Final = "sessions_pages"
_TABLE_KEY: Final = "sessions_table"
_SESSION_FIELD: Final = "session_id"


def render() -> None:
    """Draw the sessions page."""
    st.title("Sessions")
    project = _common.project()
    stack = page_stack(_PAGES_KEY, scope=project)

    try:
        page = _common.client().list_sessions(stack.current_token, project=project)
    except DashboardError as error:
        _common.show_error(error)
        return

    if not page.sessions:
        st.info(
            "No sessions yet. Spans carry a session when the app sets one.",
            icon=":material/forum:",
        )
        return

    selection = st.dataframe(
        sessions_frame(page.sessions, project),
        hide_index=True,
        key=_TABLE_KEY,
        on_select="rerun",
        selection_mode="single-row",
        column_config=_SESSION_COLUMNS,
    )
    paging_buttons(stack, page.next_page_token, key="sessions")

    rows = selection.selection.rows if selection else []
    if rows:
        filter_text = session_filter(page.sessions[rows[0]].session_id)
        routes.switch_to(routes.TRACES, {routes.FILTER_PARAM: filter_text})


def session_filter(session_id: str) -> str:
    """The trace filter that selects one session's traces."""
    return f"{_SESSION_FIELD} = {quote_filter_string(session_id)}"


def sessions_frame(sessions: list[SessionSummary], project: str) -> pd.DataFrame:
    """One row per session of ``project`` with the columns the table shows."""
    return pd.DataFrame(
        {
            "session": [s.session_id for s in sessions],
            "user": [s.user_id or "" for s in sessions],
            "traces": [s.trace_count for s in sessions],
            "first": [parse_time(s.first_start_time) for s in sessions],
            "last": [parse_time(s.last_start_time) for s in sessions],
            "input_tokens": [s.input_tokens for s in sessions],
            "output_tokens": [s.output_tokens for s in sessions],
            "link": [
                routes.href(
                    routes.TRACES,
                    {
                        routes.PROJECT_PARAM: project,
                        routes.FILTER_PARAM: session_filter(s.session_id),
                    },
                )
                for s in sessions
            ],
        }
    )


_SESSION_COLUMNS: Final = {
    "session": st.column_config.TextColumn("Session"),
    "user": st.column_config.TextColumn("User"),
    "traces": st.column_config.NumberColumn("Traces"),
    "first": st.column_config.DatetimeColumn("First trace (UTC)", format="YYYY-MM-DD HH:mm:ss"),
    "last": st.column_config.DatetimeColumn("Last trace (UTC)", format="YYYY-MM-DD HH:mm:ss"),
    "input_tokens": st.column_config.NumberColumn("Tokens in"),
    "output_tokens": st.column_config.NumberColumn("Tokens out"),
    "link": st.column_config.LinkColumn("Traces", display_text="Show traces"),
}
