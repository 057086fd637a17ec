"""Test doubles for applications traced with Lanterna, and for Lanterna's own tests."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import lanterna
from lanterna.testing._openai_server import (
    BAD_REQUEST_MARKER,
    SERVER_ERROR_MARKER,
    OpenAICompatibleServer,
    echo_reply,
)

__all__ = [
    "BAD_REQUEST_MARKER",
    "SERVER_ERROR_MARKER",
    "InMemorySpanExporter",
    "OpenAICompatibleServer",
    "configure_in_memory",
    "echo_reply",
]


def configure_in_memory(**settings: Any) -> InMemorySpanExporter:
    """Configure Lanterna to keep spans in memory, and return the exporter holding them.

    Call :func:`lanterna.flush` before reading ``exporter.get_finished_spans()``.

    Args:
        **settings: Any other argument of :func:`lanterna.configure`.

    Returns:
        The in-memory exporter that receives every span.
    """
    exporter = InMemorySpanExporter()
    lanterna.configure(exporter=exporter, **settings)
    return exporter
