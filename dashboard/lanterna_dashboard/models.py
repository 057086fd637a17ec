"""What the collector's REST API returns, as typed read-only models.

The dashboard never sees the collector's own classes: these models describe the
JSON on the wire and ignore fields they do not know, so a newer collector keeps
working with an older dashboard.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _WireModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class TraceSummary(_WireModel):
    """One row of the trace list."""

    trace_id: str
    name: str = ""
    start_time: str = ""
    start_time_unix_nano: int = 0
    duration_ms: float = 0.0
    status: str = "OK"
    span_count: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    session_id: str | None = None
    user_id: str | None = None
    tags: list[str] = Field(default_factory=list)


class TracePage(_WireModel):
    """One page of traces and the token that fetches the next one."""

    traces: list[TraceSummary]
    next_page_token: str | None = None


class SpanEvent(_WireModel):
    """A timed event on a span, such as a recorded exception."""

    name: str = ""
    time_unix_nano: int = 0
    attributes: dict[str, Any] = Field(default_factory=dict)


class Span(_WireModel):
    """One span of a trace, with its inputs, outputs, attributes and events."""

    span_id: str
    parent_span_id: str | None = None
    name: str = ""
    span_type: str = ""
    span_kind: str = ""
    status: str = "OK"
    status_message: str = ""
    start_time_unix_nano: int = 0
    end_time_unix_nano: int = 0
    duration_ms: float = 0.0
    model: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    session_id: str | None = None
    user_id: str | None = None
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    resource_attributes: dict[str, Any] = Field(default_factory=dict)
    inputs: Any = None
    outputs: Any = None
    events: list[SpanEvent] = Field(default_factory=list)


class TraceDetail(_WireModel):
    """A whole trace: every span the collector holds for it."""

    trace_id: str
    spans: list[Span]


class SessionSummary(_WireModel):
    """One row of the session list."""

    session_id: str
    user_id: str | None = None
    trace_count: int = 0
    first_start_time: str = ""
    last_start_time: str = ""
    input_tokens: int = 0
    output_tokens: int = 0


class SessionPage(_WireModel):
    """One page of sessions and the token that fetches the next one."""

    sessions: list[SessionSummary]
    next_page_token: str | None = None


class ProjectSummary(_WireModel):
    """A project that holds traces, with its most recent activity."""

    name: str
    trace_count: int = 0
    last_start_time: str = ""


class ProjectList(_WireModel):
    """The projects that hold traces, most recently active first."""

    projects: list[ProjectSummary]
