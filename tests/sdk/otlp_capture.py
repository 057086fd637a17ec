"""A tiny OTLP/HTTP receiver on 127.0.0.1 that keeps what it is sent, for SDK tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


class _Handler(BaseHTTPRequestHandler):
    server: _CaptureServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.server.received.append(
            (self.path, {k.lower(): v for k, v in self.headers.items()}, request)
        )
        reply = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


class _CaptureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[str, dict[str, str], ExportTraceServiceRequest]] = []


class OTLPCapture:
    """Receives OTLP/HTTP trace exports and keeps path, headers and decoded request."""

    def __enter__(self) -> OTLPCapture:
        self._server = _CaptureServer()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def received(self) -> list[tuple[str, dict[str, str], ExportTraceServiceRequest]]:
        return list(self._server.received)

    def span_names(self) -> list[str]:
        return [
            span.name
            for _, _, request in self.received
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]


def resource_attributes(request: ExportTraceServiceRequest) -> dict[str, str]:
    """The string resource attributes of the first resource in ``request``."""
    attributes = request.resource_spans[0].resource.attributes
    return {kv.key: kv.value.string_value for kv in attributes}
