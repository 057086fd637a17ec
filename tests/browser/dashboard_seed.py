"""Seed traces for the dashboard tests, sent to the collector as OTLP/JSON like any exporter."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

SCRIPT_TEXT: Final = "<script>alert(1)</script>"
MARKDOWN_TEXT: Final = "**markdown**"
LLM_MODEL: Final = "gpt-4o-mini"
STACKTRACE: Final = (
    "Traceback (most recent call last):\n"
    '  File "shop/tools.py", line 42, in lookup_order\n'
    "    raise LookupError(order_id)\n"
    "LookupError: order 1234 not found"
)
_MS: Final = 1_000_000
_STATUS_OK: Final = 1
_STATUS_ERROR: Final = 2


@dataclass
class SeededTrace:
    """A trace sent to the collector, with its root name and its spans by name."""

    trace_id: str
    name: str
    span_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Seed:
    """Everything the tests sent: one project, one session, one user, four traces."""

    project: str
    session_id: str
    user_id: str
    agent: SeededTrace
    xss: SeededTrace
    quick: SeededTrace
    slow: SeededTrace

    @property
    def traces(self) -> list[SeededTrace]:
        return [self.agent, self.xss, self.quick, self.slow]


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, list):
        return {"arrayValue": {"values": [_value(item) for item in value]}}
    return {"stringValue": value}


def _attributes(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, "value": _value(value)} for key, value in values.items()]


class _TraceBuilder:
    def __init__(self, name: str, start: int, common: dict[str, Any]) -> None:
        self.trace = SeededTrace(trace_id=secrets.token_hex(16), name=name)
        self.start = start
        self.common = common
        self.spans: list[dict[str, Any]] = []

    def span(
        self,
        name: str,
        *,
        parent: str = "",
        offset_ms: int = 0,
        duration_ms: int = 10,
        attributes: dict[str, Any] | None = None,
        error: str = "",
        events: list[dict[str, Any]] | None = None,
    ) -> str:
        span_id = secrets.token_hex(8)
        start = self.start + offset_ms * _MS
        status: dict[str, Any] = (
            {"code": _STATUS_ERROR, "message": error} if error else {"code": _STATUS_OK}
        )
        self.spans.append(
            {
                "traceId": self.trace.trace_id,
                "spanId": span_id,
                "parentSpanId": self.trace.span_ids.get(parent, ""),
                "name": name,
                "kind": 1,
                "startTimeUnixNano": str(start),
                "endTimeUnixNano": str(start + duration_ms * _MS),
                "attributes": _attributes({**self.common, **(attributes or {})}),
                "status": status,
                "events": events or [],
            }
        )
        self.trace.span_ids[name] = span_id
        return span_id


def _exception_event(time_unix_nano: int) -> dict[str, Any]:
    return {
        "name": "exception",
        "timeUnixNano": str(time_unix_nano),
        "attributes": _attributes(
            {
                "exception.type": "LookupError",
                "exception.message": "order 1234 not found",
                "exception.stacktrace": STACKTRACE,
                "exception.escaped": True,
            }
        ),
    }


def _agent_trace(start: int, common: dict[str, Any]) -> _TraceBuilder:
    builder = _TraceBuilder("checkout-agent", start, common)
    builder.span(
        "checkout-agent",
        duration_ms=1200,
        attributes={
            "lanterna.span.type": "AGENT",
            "lanterna.inputs": json.dumps({"question": "Where is my order 1234?"}),
            "lanterna.outputs": json.dumps("Your order could not be found."),
        },
    )
    builder.span(
        "plan",
        parent="checkout-agent",
        offset_ms=20,
        duration_ms=700,
        attributes={"lanterna.span.type": "CHAIN"},
    )
    builder.span(
        "chat gpt-4o-mini",
        parent="plan",
        offset_ms=50,
        duration_ms=600,
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.system": "openai",
            "gen_ai.request.model": LLM_MODEL,
            "gen_ai.usage.input_tokens": 321,
            "gen_ai.usage.output_tokens": 54,
            "lanterna.inputs": json.dumps([{"role": "user", "content": "Where is order 1234?"}]),
            "lanterna.outputs": json.dumps({"role": "assistant", "content": "Call lookup_order"}),
        },
    )
    builder.span(
        "lookup_order",
        parent="checkout-agent",
        offset_ms=750,
        duration_ms=400,
        attributes={"lanterna.span.type": "TOOL", "lanterna.inputs": json.dumps({"id": 1234})},
        error="LookupError: order 1234 not found",
        events=[_exception_event(start + 1100 * _MS)],
    )
    return builder


def _xss_trace(start: int, common: dict[str, Any]) -> _TraceBuilder:
    builder = _TraceBuilder("render-reply", start, common)
    builder.span(
        "render-reply",
        duration_ms=40,
        attributes={
            "lanterna.span.type": "CHAIN",
            "lanterna.inputs": json.dumps(
                {"prompt": f"{SCRIPT_TEXT} and {MARKDOWN_TEXT} [link](http://example.invalid)"}
            ),
            "lanterna.outputs": f"plain {SCRIPT_TEXT} {MARKDOWN_TEXT}",
        },
    )
    return builder


def _simple_trace(name: str, start: int, duration_ms: int, common: dict[str, Any]) -> _TraceBuilder:
    builder = _TraceBuilder(name, start, common)
    builder.span(name, duration_ms=duration_ms, attributes={"lanterna.span.type": "CHAIN"})
    return builder


def seed_traces(collector_url: str) -> Seed:
    """Send four traces into a project of their own; the collector answers once stored."""
    project = f"dash-{secrets.token_hex(4)}"
    session_id = f"session-{secrets.token_hex(4)}"
    user_id = f"user-{secrets.token_hex(4)}"
    common = {"lanterna.session.id": session_id, "lanterna.user.id": user_id}
    now = time.time_ns()
    builders = [
        _agent_trace(now - 40_000 * _MS, common),
        _xss_trace(now - 30_000 * _MS, common),
        _simple_trace("quick-answer", now - 20_000 * _MS, 15, common),
        _simple_trace("slow-batch", now - 10_000 * _MS, 900, common),
    ]
    body = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": _attributes(
                        {"service.name": "dashboard-tests", "lanterna.project": project}
                    )
                },
                "scopeSpans": [
                    {
                        "scope": {"name": "dashboard-tests"},
                        "spans": [span for b in builders for span in b.spans],
                    }
                ],
            }
        ]
    }
    response = httpx.post(f"{collector_url}/v1/traces", json=body, timeout=30)
    response.raise_for_status()
    agent, xss, quick, slow = (b.trace for b in builders)
    return Seed(project, session_id, user_id, agent, xss, quick, slow)
