"""The trace list: a filter box, a table of traces with links, and paging."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from lanterna_dashboard import routes
from lanterna_dashboard.errors import DashboardError
from lanterna_dashboard.formatting import parse_time
from lanterna_dashboard.models import TracePage, TraceSummary
from lanterna_dashboard.views import _common
from lanterna_dashboard.views.paging import page_stack, paging_buttons

FILTER_PLACEHOLDER: Final = "status = 'ERROR' AND duration_ms > 500"
_FILTER_KEY: Final = "traces_filter"
_FILTER_SEEN_KEY: Final = "traces_filter_from_url"
_PAGES_KEY: Final = "traces_pages"
_TABLE_KEY: Final = "traces_table"
_FILTER_HELP: Final = (
    "Fields: name, status, duration_ms, span_count, input_tokens, output_tokens, "
    "total_tokens, session_id, user_id, tags, attributes.<key>. "
    "Operators: = != < <= > >= CONTAINS LIKE ILIKE IN, joined by AND, OR, NOT."
)


def render() -> None:
    """Draw the traces page."""
    st.title("Traces")
    project = _common.project()
    filter_text = _filter_box()
    stack = page_stack(_PAGES_KEY, scope=f"{project}\n{filter_text}")

    try:
        page = _common.client().list_traces(filter_text, stack.current_token, project=project)
    except DashboardError as error:
        _common.show_error(error, filter_text)
        return

    render_trace_table(page, table_key=_TABLE_KEY, project=project)
    paging_buttons(stack, page.next_page_token, key="traces")


def render_trace_table(page: TracePage, table_key: str, project: str) -> None:
    """Show a page of traces; a click on a row opens that trace."""
    if not page.traces:
        st.info("No traces match.", icon=":material/manage_search:")
        return

    selection = st.dataframe(
        traces_frame(page.traces, project),
        hide_index=True,
        key=table_key,
        on_select="rerun",
        selection_mode="single-row",
        column_config=_TRACE_COLUMNS,
    )
    rows = selection.selection.rows if selection else []
    if rows:
        trace_id = page.traces[rows[0]].trace_id
        routes.switch_to(routes.TRACE, {routes.TRACE_ID_PARAM: trace_id})


def traces_frame(traces: list[TraceSummary], project: str) -> pd.DataFrame:
    """One row per trace of ``project`` with the columns the table shows."""
    return pd.DataFrame(
        {
            "time": [parse_time(t.start_time, t.start_time_unix_nano) for t in traces],
            "name": [t.name for t in traces],
            "duration_ms": [t.duration_ms for t in traces],
            "input_tokens": [t.input_tokens for t in traces],
            "output_tokens": [t.output_tokens for t in traces],
            "status": [t.status for t in traces],
            "spans": [t.span_count for t in traces],
            "session": [t.session_id or "" for t in traces],
            "user": [t.user_id or "" for t in traces],
            "link": [routes.trace_href(t.trace_id, project) for t in traces],
        }
    )


_TRACE_COLUMNS: Final = {
    "time": st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm:ss"),
    "name": st.column_config.TextColumn("Name"),
    "duration_ms": st.column_config.NumberColumn("Duration (ms)", format="%.1f"),
    "input_tokens": st.column_config.NumberColumn("Tokens in"),
    "output_tokens": st.column_config.NumberColumn("Tokens out"),
    "status": st.column_config.TextColumn("Status"),
    "spans": st.column_config.NumberColumn("Spans"),
    "session": st.column_config.TextColumn("Session"),
    "user": st.column_config.TextColumn("User"),
    "link": st.column_config.LinkColumn("Trace", display_text="Open"),
}


def _filter_box() -> str:
    """The filter text box, kept in the page URL so a filtered list can be shared."""
    from_url = st.query_params.get(routes.FILTER_PARAM, "")
    if st.session_state.get(_FILTER_SEEN_KEY) != from_url or _FILTER_KEY not in st.session_state:
        # Arrived by a link (or first visit): the URL's filter wins over what was typed.
        st.session_state[_FILTER_KEY] = from_url
        st.session_state[_FILTER_SEEN_KEY] = from_url

    filter_text = st.text_input(
        "Filter",
        key=_FILTER_KEY,
        placeholder=FILTER_PLACEHOLDER,
        help=_FILTER_HELP,
        on_change=_filter_changed,
    )
    return filter_text.strip()


def _filter_changed() -> None:
    filter_text = st.session_state.get(_FILTER_KEY, "").strip()
    st.session_state[_FILTER_SEEN_KEY] = filter_text
    if filter_text:
        st.query_params[routes.FILTER_PARAM] = filter_text
    else:
        st.query_params.pop(routes.FILTER_PARAM, None)
