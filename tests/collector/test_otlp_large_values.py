"""Huge values are stored truncated and marked; NUL and emoji round-trip."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from otlp_payloads import get_trace, json_request, json_span, new_trace_id, post_json

MAX_FIELD_BYTES = 64 * 1024
TWENTY_MB = 20 * 1024 * 1024


def test_twenty_megabyte_attribute_is_stored_truncated_and_marked(
    collector: Any, otel_tracer_provider: TracerProvider
) -> None:
    tracer = otel_tracer_provider.get_tracer("tests")
    with tracer.start_as_current_span("huge", attributes={"big": "x" * TWENTY_MB}) as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
    assert otel_tracer_provider.force_flush()

    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["attributes"]["big"] == "x" * MAX_FIELD_BYTES
    assert stored["attributes"]["big.truncated"] == "true"
    assert stored["attributes"]["big.original_size_bytes"] == str(TWENTY_MB)


def test_huge_inputs_are_truncated_on_a_character_boundary_and_marked(collector: Any) -> None:
    trace_id = new_trace_id()
    inputs = "é" * MAX_FIELD_BYTES
    span = json_span(trace_id, attributes={"lanterna.inputs": inputs, "lanterna.outputs": "ok"})

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["inputs"] == "é" * (MAX_FIELD_BYTES // 2)
    assert stored["attributes"]["lanterna.inputs.truncated"] == "true"
    assert stored["attributes"]["lanterna.inputs.original_size_bytes"] == str(2 * MAX_FIELD_BYTES)
    assert stored["outputs"] == "ok"
    assert "lanterna.outputs.truncated" not in stored["attributes"]


def test_nul_characters_and_emoji_round_trip_in_names_attributes_and_inputs(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    text = "a\x00b 🦜 ünï"
    span = json_span(
        trace_id, name=text, attributes={"note": text, "lanterna.inputs": text, text: "key"}
    )

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["name"] == text
    assert stored["attributes"]["note"] == text
    assert stored["attributes"][text] == "key"
    assert stored["inputs"] == text
