"""An oversized value is truncated, not dropped with its span (case T-5, SDK side)."""

from __future__ import annotations

import json

import lanterna
import pytest
from lanterna import semconv
from lanterna.testing import configure_in_memory
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog
from tracing_cases import answer


def _stored_output(limit_bytes: int | None) -> tuple[otel_trace.Span, str]:
    exporter = configure_in_memory(max_field_bytes=limit_bytes)
    assert answer("q") == 100
    assert lanterna.flush()
    spans = {s.name: s for s in exporter.get_finished_spans()}
    return spans, spans["retrieve"].attributes[semconv.OUTPUTS]


def test_a_huge_output_is_cut_to_the_limit_and_marked_and_the_span_kept(
    span_log: SpanLog,
) -> None:
    spans, output = _stored_output(None)

    limit = lanterna.settings().max_field_bytes
    assert limit == 64 * 1024
    retrieve_span = spans["retrieve"]
    assert retrieve_span.parent.span_id == spans["answer"].context.span_id
    assert len(output.encode()) <= limit
    assert output.endswith(lanterna.TRUNCATION_MARKER)
    assert retrieve_span.attributes[semconv.OUTPUTS_TRUNCATED] is True
    original = retrieve_span.attributes[semconv.OUTPUTS_ORIGINAL_SIZE_BYTES]
    assert original == len(json.dumps(["lorem " * 8_000] * 100).encode())
    assert retrieve_span.status.status_code is not otel_trace.StatusCode.ERROR
    assert semconv.OUTPUTS_TRUNCATED not in spans["answer"].attributes


def test_a_smaller_limit_from_configure_gives_a_smaller_output(span_log: SpanLog) -> None:
    _, big = _stored_output(64 * 1024)
    _, small = _stored_output(1_000)

    assert len(small.encode()) <= 1_000 < len(big.encode())


def test_the_limit_can_come_from_the_environment(
    span_log: SpanLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNA_MAX_FIELD_BYTES", "2000")

    _, output = _stored_output(None)

    assert 1_000 < len(output.encode()) <= 2_000


def test_huge_inputs_are_truncated_and_marked_too(span_log: SpanLog) -> None:
    exporter = configure_in_memory(max_field_bytes=500)

    @lanterna.trace
    def echo_length(text: str) -> int:
        return len(text)

    assert echo_length("x" * 10_000) == 10_000
    lanterna.flush()
    (span,) = exporter.get_finished_spans()
    assert len(span.attributes[semconv.INPUTS].encode()) <= 500
    assert span.attributes[semconv.INPUTS_TRUNCATED] is True
    assert span.attributes[semconv.INPUTS_ORIGINAL_SIZE_BYTES] == len('{"text": ""}') + 10_000
