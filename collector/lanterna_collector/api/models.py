"""Wire models of the REST API: what ``/api/v1`` answers, for OpenAPI and for clients."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class HealthStatus(BaseModel):
    """The collector is up and serving."""

    status: str = "ok"


class ErrorDetail(BaseModel):
    """Why a request was refused; ``position`` points into a filter when it is at fault."""

    message: str
    position: int | None = None


class TraceSummary(BaseModel):
    """One row of the trace list."""

    trace_id: str
    name: str
    start_time: str = Field(description="ISO 8601, UTC")
    start_time_unix_nano: int
    end_time_unix_nano: int
    duration_ms: float
    status: str
    span_count: int
    input_tokens: int
    output_tokens: int
    total_tokens: int
    cost_usd: float
    session_id: str
    user_id: str
    tags: list[str]


class TraceList(BaseModel):
    """A page of traces, newest first, and the token for the next page."""

    traces: list[TraceSummary]
    next_page_token: str | None = None


class SpanDetail(BaseModel):
    """One stored span, with inputs and outputs decoded from JSON when they are JSON."""

    span_id: str
    parent_span_id: str
    name: str
    span_type: str
    span_kind: str
    status: str
    status_message: str
    start_time_unix_nano: int
    end_time_unix_nano: int
    duration_ms: float
    service_name: str
    model: str
    input_tokens: int
    output_tokens: int
    total_tokens: int
    cost_usd: float
    session_id: str
    user_id: str
    tags: list[str]
    attributes: dict[str, str]
    resource_attributes: dict[str, str]
    inputs: Any = None
    outputs: Any = None
    events: list[Any]
    links: list[Any]


class TraceDetail(BaseModel):
    """Every span of one trace, ordered by start time."""

    trace_id: str
    spans: list[SpanDetail]


class SessionSummary(BaseModel):
    """One conversation: the traces that share a session id."""

    session_id: str
    user_id: str
    trace_count: int
    error_count: int
    first_start_time: str
    last_start_time: str
    first_start_time_unix_nano: int
    last_start_time_unix_nano: int
    input_tokens: int
    output_tokens: int
    total_tokens: int
    cost_usd: float


class SessionList(BaseModel):
    """A page of sessions, most recently active first, and the token for the next page."""

    sessions: list[SessionSummary]
    next_page_token: str | None = None


class ProjectSummary(BaseModel):
    """A project that holds traces."""

    name: str
    trace_count: int
    last_start_time: str
    last_start_time_unix_nano: int


class ProjectList(BaseModel):
    """The projects that hold traces, most recently active first."""

    projects: list[ProjectSummary]
