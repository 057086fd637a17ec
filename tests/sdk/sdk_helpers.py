"""Helpers shared by the SDK tests."""

from __future__ import annotations

import socket

import lanterna
from lanterna.testing import InMemorySpanExporter
from opentelemetry.sdk.trace import ReadableSpan


def unused_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SpanLog:
    """The spans Lanterna exported during one test."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self.exporter = exporter

    def spans(self) -> list[ReadableSpan]:
        assert lanterna.flush(timeout_s=10), "flush timed out"
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [span for span in self.spans() if span.name == name]

    def one(self, name: str) -> ReadableSpan:
        found = self.named(name)
        assert len(found) == 1, f"expected one span {name!r}, got {len(found)}"
        return found[0]
