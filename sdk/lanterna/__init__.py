"""Lanterna: tracing for GenAI applications, on OpenTelemetry.

Quick start::

    import lanterna

    @lanterna.trace(span_type=lanterna.SpanType.RETRIEVER)
    def retrieve(query: str) -> list[str]:
        ...

    with lanterna.session(session_id="s-1", user_id="u-7"):
        retrieve("hello")
    lanterna.flush()

How values are stored as JSON (numpy arrays, pydantic models, bytes, ...) and
how oversized values are cut is described in :mod:`lanterna._serialize`.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace as _otel_trace
from opentelemetry.sdk.trace.export import SpanExporter

from lanterna import _provider
from lanterna._config import Settings
from lanterna._context import session, wrap_context
from lanterna._decorator import trace
from lanterna._provider import dropped_span_count, flush, open_span_count
from lanterna._serialize import TRUNCATION_MARKER
from lanterna._span import LanternaSpan, span
from lanterna.autolog import autolog
from lanterna.semconv import SpanType

__all__ = [
    "TRUNCATION_MARKER",
    "LanternaSpan",
    "Settings",
    "SpanType",
    "autolog",
    "configure",
    "current_trace_id",
    "dropped_span_count",
    "flush",
    "open_span_count",
    "session",
    "settings",
    "span",
    "trace",
    "wrap_context",
]


def configure(
    *,
    endpoint: str | None = None,
    project: str | None = None,
    api_key: str | None = None,
    enabled: bool | None = None,
    capture_inputs: bool | None = None,
    capture_outputs: bool | None = None,
    max_field_bytes: int | None = None,
    export_timeout_s: float | None = None,
    max_queue_size: int | None = None,
    exporter: SpanExporter | None = None,
) -> Settings:
    """Set up tracing; may be called again at any time to change the settings.

    Every call starts from the ``LANTERNA_*`` environment variables (or the
    defaults) and applies the arguments given; settings from an earlier call
    are not kept. The previous exporter is flushed and shut down. Lanterna's
    span processor is added once to the global OpenTelemetry tracer provider
    (the application's, if it set an SDK provider; otherwise Lanterna creates
    one and makes it global), and the application's processors are never touched.

    Args:
        endpoint: Collector base URL, http:// or https:// (``LANTERNA_ENDPOINT``,
            default ``http://127.0.0.1:4318``); spans go to ``<endpoint>/v1/traces``.
            A full traces URL that already ends with ``/v1/traces`` is used as is.
        project: Project name (``LANTERNA_PROJECT``, default ``"default"``).
        api_key: Sent as a bearer token (``LANTERNA_API_KEY``); visible ASCII
            characters only, since it travels in an HTTP header.
        enabled: False makes traced functions plain calls (``LANTERNA_ENABLED``).
        capture_inputs: Record arguments (``LANTERNA_CAPTURE_INPUTS``).
        capture_outputs: Record results (``LANTERNA_CAPTURE_OUTPUTS``).
        max_field_bytes: Largest stored input or output, in UTF-8 bytes
            (``LANTERNA_MAX_FIELD_BYTES``, default 65536, at least 64).
        export_timeout_s: Time allowed for one export, in seconds
            (``LANTERNA_EXPORT_TIMEOUT_S``, default 5, above 0 and at most 86400).
        max_queue_size: Spans waiting for export before new ones are dropped
            (``LANTERNA_MAX_QUEUE_SIZE``, default 65536, from 1 to 10,000,000).
        exporter: Any OpenTelemetry ``SpanExporter`` to use instead of OTLP/HTTP.

    Returns:
        The settings now in force.

    Raises:
        TypeError: An argument has the wrong type.
        ValueError: An argument is out of range (the message names it).
    """
    overrides: dict[str, Any] = {
        "endpoint": endpoint,
        "project": project,
        "api_key": api_key,
        "enabled": enabled,
        "capture_inputs": capture_inputs,
        "capture_outputs": capture_outputs,
        "max_field_bytes": max_field_bytes,
        "export_timeout_s": export_timeout_s,
        "max_queue_size": max_queue_size,
        "exporter": exporter,
    }
    return _provider.configure(**overrides).settings


def settings() -> Settings:
    """Return the settings in force (reading the environment on first use)."""
    return _provider.runtime().settings


def current_trace_id() -> str | None:
    """Return the current trace id as 32 hex characters, or None outside any span."""
    context = _otel_trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return _otel_trace.format_trace_id(context.trace_id)
