"""Builders for OTLP/JSON requests and small REST readers used by the collector tests."""

from __future__ import annotations

import secrets
from typing import Any

import httpx

BASE_TIME_UNIX_NANO = 1_712_000_000_000_000_000
JSON_HEADERS = {"Content-Type": "application/json"}
PROTOBUF_HEADERS = {"Content-Type": "application/x-protobuf"}


def new_trace_id() -> str:
    return secrets.token_hex(16)


def new_span_id() -> str:
    return secrets.token_hex(8)


def new_project() -> str:
    return f"test-{secrets.token_hex(6)}"


def attribute(key: str, value: Any) -> dict[str, Any]:
    """One OTLP/JSON KeyValue, typed from the Python value."""
    if isinstance(value, bool):
        any_value: dict[str, Any] = {"boolValue": value}
    elif isinstance(value, int):
        any_value = {"intValue": str(value)}
    elif isinstance(value, float):
        any_value = {"doubleValue": value}
    elif isinstance(value, list):
        any_value = {"arrayValue": {"values": [attribute("", item)["value"] for item in value]}}
    else:
        any_value = {"stringValue": value}
    return {"key": key, "value": any_value}


def json_span(
    trace_id: str,
    span_id: str | None = None,
    *,
    name: str = "span",
    parent_span_id: str = "",
    start: int = BASE_TIME_UNIX_NANO,
    duration_ns: int | None = 10_000_000,
    attributes: dict[str, Any] | None = None,
    status_code: int = 0,
) -> dict[str, Any]:
    """An OTLP/JSON span; ``duration_ns=None`` leaves the end time out."""
    span: dict[str, Any] = {
        "traceId": trace_id,
        "spanId": span_id or new_span_id(),
        "parentSpanId": parent_span_id,
        "name": name,
        "kind": 1,
        "startTimeUnixNano": str(start),
        "attributes": [attribute(key, value) for key, value in (attributes or {}).items()],
        "status": {"code": status_code},
    }
    if duration_ns is not None:
        span["endTimeUnixNano"] = str(start + duration_ns)
    return span


def json_request(
    spans: list[dict[str, Any]], project: str | None = None, service: str = "tests"
) -> dict[str, Any]:
    """An OTLP/JSON ExportTraceServiceRequest with one resource and one scope."""
    resource = {"service.name": service}
    if project is not None:
        resource["lanterna.project"] = project
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [attribute(k, v) for k, v in resource.items()]},
                "scopeSpans": [{"scope": {"name": "tests"}, "spans": spans}],
            }
        ]
    }


def post_json(url: str, payload: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}/v1/traces", json=payload, timeout=60)


def get_trace(url: str, trace_id: str, project: str = "default") -> dict[str, Any]:
    response = httpx.get(f"{url}/api/v1/traces/{trace_id}", params={"project": project}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def spans_by_name(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {span["name"]: span for span in trace["spans"]}
