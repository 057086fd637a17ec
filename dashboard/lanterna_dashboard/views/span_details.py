"""The selected span: its facts, inputs, outputs, attributes and events, shown as text."""

from __future__ import annotations

from typing import Final

import streamlit as st

from lanterna_dashboard.formatting import format_duration
from lanterna_dashboard.models import Span, SpanEvent
from lanterna_dashboard.views import _common

_NANOS_PER_MS: Final = 1_000_000
_EXCEPTION_EVENT: Final = "exception"
_EXCEPTION_TYPE: Final = "exception.type"
_EXCEPTION_MESSAGE: Final = "exception.message"
_EXCEPTION_STACKTRACE: Final = "exception.stacktrace"


def render_span_details(span: Span, trace_start_unix_nano: int) -> None:
    """Draw everything known about one span."""
    _render_facts(span)
    if span.status == "ERROR":
        st.error("This span ended with an error.", icon=":material/error:")
        if span.status_message:
            st.code(span.status_message, language=None, wrap_lines=True)

    inputs, outputs = st.columns(2)
    with inputs:
        st.markdown("**Inputs**")
        _common.show_value(span.inputs, "No inputs recorded.")
    with outputs:
        st.markdown("**Outputs**")
        _common.show_value(span.outputs, "No outputs recorded.")

    st.markdown("**Attributes**")
    if span.attributes:
        st.json(span.attributes, expanded=True)
    else:
        st.caption("No attributes.")

    st.markdown(f"**Events** ({len(span.events)})")
    if not span.events:
        st.caption("No events.")
    for event in span.events:
        _render_event(event, trace_start_unix_nano)

    if span.resource_attributes:
        with st.expander("Resource attributes"):
            st.json(span.resource_attributes, expanded=True)


def _render_facts(span: Span) -> None:
    facts = {
        "Span id": span.span_id,
        "Type": span.span_type or "UNKNOWN",
        "Kind": span.span_kind,
        "Status": span.status,
        "Duration": format_duration(span.duration_ms),
        "Model": span.model or "",
        "Tokens in / out": f"{span.input_tokens:,} / {span.output_tokens:,}",
        "Session": span.session_id or "",
        "User": span.user_id or "",
        "Tags": ", ".join(span.tags),
    }
    shown = {name: value for name, value in facts.items() if value}
    st.dataframe(
        {"Field": list(shown), "Value": list(shown.values())},
        hide_index=True,
        width="content",
    )


def _render_event(event: SpanEvent, trace_start_unix_nano: int) -> None:
    offset_ms = max(0, event.time_unix_nano - trace_start_unix_nano) / _NANOS_PER_MS
    when = f"at {format_duration(offset_ms)}" if event.time_unix_nano else ""
    if event.name == _EXCEPTION_EVENT:
        exc_type = str(event.attributes.get(_EXCEPTION_TYPE, "Exception"))
        message = str(event.attributes.get(_EXCEPTION_MESSAGE, ""))
        st.text(f"Exception {when}: {exc_type}: {message}")
        stack = event.attributes.get(_EXCEPTION_STACKTRACE)
        if stack:
            st.code(str(stack), language="python")
        others = {
            key: value
            for key, value in event.attributes.items()
            if key not in (_EXCEPTION_TYPE, _EXCEPTION_MESSAGE, _EXCEPTION_STACKTRACE)
        }
    else:
        st.text(f"{event.name} {when}")
        others = dict(event.attributes)
    if others:
        with st.expander("Event attributes"):
            st.json(others, expanded=True)
