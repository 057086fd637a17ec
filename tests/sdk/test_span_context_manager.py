"""lanterna.span() as a context manager, sync and async."""

from __future__ import annotations

import asyncio
import json

import lanterna
import pytest
from lanterna import semconv
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog


def test_span_records_inputs_outputs_and_attributes(span_log: SpanLog) -> None:
    with lanterna.span("retrieve", span_type=lanterna.SpanType.RETRIEVER, attributes={"k": 3}) as s:
        s.set_inputs({"query": "q"})
        s.set_outputs(["doc"])
        s.set_attribute("hits", 1)
        s.set_attributes({"scores": [0.5, 0.25], "detail": {"nested": True}})

    span = span_log.one("retrieve")
    assert span.attributes[semconv.SPAN_TYPE] == "RETRIEVER"
    assert span.attributes["k"] == 3 and span.attributes["hits"] == 1
    assert tuple(span.attributes["scores"]) == (0.5, 0.25)
    assert json.loads(span.attributes["detail"]) == {"nested": True}
    assert json.loads(span.attributes[semconv.INPUTS]) == {"query": "q"}
    assert json.loads(span.attributes[semconv.OUTPUTS]) == ["doc"]
    assert lanterna.open_span_count() == 0


def test_async_with_nests_traced_calls_inside(span_log: SpanLog) -> None:
    @lanterna.trace
    async def inner() -> int:
        return 1

    async def main() -> None:
        async with lanterna.span("outer", span_type=lanterna.SpanType.AGENT):
            await inner()

    asyncio.run(main())

    assert span_log.one("inner").parent.span_id == span_log.one("outer").context.span_id


def test_an_exception_inside_marks_the_span_error_and_propagates_unchanged(
    span_log: SpanLog,
) -> None:
    error = KeyError("missing")

    with pytest.raises(KeyError) as caught, lanterna.span("failing"):
        raise error

    assert caught.value is error
    span = span_log.one("failing")
    assert span.status.status_code is otel_trace.StatusCode.ERROR
    assert len(span.events) == 1 and span.events[0].attributes["exception.type"] == "KeyError"


def test_span_with_tracing_disabled_gives_a_handle_that_does_nothing(span_log: SpanLog) -> None:
    exporter = lanterna.testing.configure_in_memory(enabled=False)

    with lanterna.span("quiet") as s:
        s.set_outputs({"a": 1})
        s.set_attribute("x", 1)

    lanterna.flush()
    assert exporter.get_finished_spans() == ()


def test_bad_span_arguments_raise_a_type_error() -> None:
    with pytest.raises(TypeError, match="span name"):
        lanterna.span("")
    with pytest.raises(TypeError, match="attributes"):
        lanterna.span("x", attributes=[1])  # type: ignore[arg-type]
