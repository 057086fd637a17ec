"""One trace: its summary, span tree, waterfall timeline and the selected span's details."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from lanterna_dashboard import routes
from lanterna_dashboard.errors import BadRequestError, DashboardError, NotFoundError
from lanterna_dashboard.formatting import escape_markdown, format_duration
from lanterna_dashboard.models import TraceDetail
from lanterna_dashboard.span_colours import span_type_colour
from lanterna_dashboard.span_tree import TreeNode, build_tree, waterfall_rows
from lanterna_dashboard.views import _common
from lanterna_dashboard.views.span_details import render_span_details
from lanterna_dashboard.views.waterfall import waterfall_chart, waterfall_height

_SPAN_SELECT_KEY: Final = "trace_span_select"
_TREE_TABLE_KEY: Final = "trace_span_tree"
_TRACE_ID_INPUT_KEY: Final = "trace_id_input"
_STATUS_COLOURS: Final = {"ERROR": "#fee2e2", "OK": "#dcfce7"}


def render() -> None:
    """Draw the trace page for the ``trace_id`` in the URL."""
    trace_id = st.query_params.get(routes.TRACE_ID_PARAM, "").strip()
    if not trace_id:
        _ask_for_trace_id()
        return

    try:
        trace = _common.fetch_trace(trace_id)
    except DashboardError as error:
        st.title("Trace")
        st.code(trace_id, language=None)
        _show_fetch_error(error)
        return

    nodes = build_tree(trace.spans)
    if not nodes:
        st.title("Trace")
        st.info("This trace has no spans yet.", icon=":material/hourglass_empty:")
        return

    _render_header(trace, nodes)
    st.subheader("Spans")
    _render_tree_table(nodes)
    st.subheader("Timeline")
    st.altair_chart(
        waterfall_chart(waterfall_rows(nodes)),
        width="stretch",
        height=waterfall_height(len(nodes)),
    )
    st.subheader("Span details")
    selected = _select_span(nodes)
    render_span_details(selected.span, trace_start_unix_nano=nodes[0].span.start_time_unix_nano)


def _show_fetch_error(error: DashboardError) -> None:
    if isinstance(error, BadRequestError):
        st.error(
            f"This is not a valid trace id: {escape_markdown(error.message)}",
            icon=":material/error:",
        )
    elif isinstance(error, NotFoundError):
        st.warning(
            f"No trace with this id found in project {escape_markdown(_common.project())}. "
            "It may belong to another project (choose it in the sidebar) or not be stored yet.",
            icon=":material/search_off:",
        )
    else:
        _common.show_error(error)


def _ask_for_trace_id() -> None:
    st.title("Trace")
    st.caption("Open a trace from the Traces page, or paste its id.")
    trace_id = st.text_input("Trace id", key=_TRACE_ID_INPUT_KEY)
    if trace_id.strip():
        st.query_params[routes.TRACE_ID_PARAM] = trace_id.strip()
        st.rerun()


def _render_header(trace: TraceDetail, nodes: list[TreeNode]) -> None:
    root = nodes[0].span
    start = min(node.span.start_time_unix_nano for node in nodes)
    end = max(max(node.span.end_time_unix_nano, node.span.start_time_unix_nano) for node in nodes)
    has_error = any(node.span.status == "ERROR" for node in nodes)
    input_tokens = sum(node.span.input_tokens for node in nodes)
    output_tokens = sum(node.span.output_tokens for node in nodes)

    st.title("Trace")
    st.text(root.name or root.span_id)
    st.caption(f"Trace id {trace.trace_id}")
    status, duration, spans, tokens = st.columns(4)
    status.metric("Status", "ERROR" if has_error else "OK")
    duration.metric("Duration", format_duration((end - start) / 1_000_000))
    spans.metric("Spans", len(nodes))
    tokens.metric("Tokens in / out", f"{input_tokens:,} / {output_tokens:,}")


def _render_tree_table(nodes: list[TreeNode]) -> None:
    frame = pd.DataFrame(
        {
            "span": [node.label for node in nodes],
            "type": [node.span.span_type or "UNKNOWN" for node in nodes],
            "status": [node.span.status for node in nodes],
            "duration_ms": [node.span.duration_ms for node in nodes],
            "model": [node.span.model or "" for node in nodes],
            "tokens": [_token_text(node) for node in nodes],
        }
    )
    styled = frame.style.map(_type_badge, subset=["type"]).map(_status_badge, subset=["status"])
    st.dataframe(
        styled,
        hide_index=True,
        key=_TREE_TABLE_KEY,
        on_select=_tree_row_selected,
        selection_mode="single-row",
        column_config={
            "span": st.column_config.TextColumn("Span", width="large"),
            "type": st.column_config.TextColumn("Type"),
            "status": st.column_config.TextColumn("Status"),
            "duration_ms": st.column_config.NumberColumn("Duration (ms)", format="%.2f"),
            "model": st.column_config.TextColumn("Model"),
            "tokens": st.column_config.TextColumn("Tokens in / out"),
        },
    )


def _tree_row_selected() -> None:
    """A row picked in the tree becomes the selected span (set before the selectbox is drawn)."""
    state = st.session_state.get(_TREE_TABLE_KEY)
    rows = state.selection.rows if state else []
    span_ids = st.session_state.get(f"{_SPAN_SELECT_KEY}_options", [])
    if rows and rows[0] < len(span_ids):
        st.session_state[_SPAN_SELECT_KEY] = span_ids[rows[0]]


def _select_span(nodes: list[TreeNode]) -> TreeNode:
    by_id = {node.span.span_id: node for node in nodes}
    span_ids = list(by_id)
    st.session_state[f"{_SPAN_SELECT_KEY}_options"] = span_ids
    wanted = st.query_params.get(routes.SPAN_ID_PARAM)
    if st.session_state.get(_SPAN_SELECT_KEY) not in by_id:
        st.session_state[_SPAN_SELECT_KEY] = wanted if wanted in by_id else span_ids[0]

    span_id = st.selectbox(
        "Span",
        options=span_ids,
        key=_SPAN_SELECT_KEY,
        format_func=lambda value: _option_label(by_id[value]),
    )
    st.query_params[routes.SPAN_ID_PARAM] = span_id
    return by_id[span_id]


def _option_label(node: TreeNode) -> str:
    span = node.span
    return f"{node.label}  ·  {span.span_type or 'UNKNOWN'}  ·  {format_duration(span.duration_ms)}"


def _token_text(node: TreeNode) -> str:
    span = node.span
    if not (span.input_tokens or span.output_tokens):
        return ""
    return f"{span.input_tokens:,} / {span.output_tokens:,}"


def _type_badge(span_type: str) -> str:
    return f"background-color: {span_type_colour(span_type)}; font-weight: 600"


def _status_badge(status: str) -> str:
    colour = _STATUS_COLOURS.get(status)
    return f"background-color: {colour}" if colour else ""
