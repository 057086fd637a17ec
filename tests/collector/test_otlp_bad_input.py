"""Bad OTLP input gets a clear 4xx, never a 5xx, and takes nothing else down."""

from __future__ import annotations

import gzip
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import orjson
import pytest
from google.rpc import status_pb2
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from otlp_payloads import (
    JSON_HEADERS,
    PROTOBUF_HEADERS,
    get_trace,
    json_request,
    json_span,
    new_trace_id,
)


def _post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{url}/v1/traces", content=body, headers=headers, timeout=30)


def test_malformed_protobuf_is_answered_400_with_a_protobuf_status_naming_the_problem(
    collector: Any,
) -> None:
    response = _post(collector.url, b"\xff\xff\xff\xff not protobuf", PROTOBUF_HEADERS)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/x-protobuf"
    status = status_pb2.Status()
    status.ParseFromString(response.content)
    assert "not a valid OTLP protobuf" in status.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "not valid UTF-8 JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"resourceSpans": {"a": 1}}', "resourceSpans must be a JSON array"),
        (b'{"resourceSpans": [{"scopeSpans": 5}]}', "scopeSpans must be a JSON array"),
    ],
)
def test_malformed_json_is_answered_400_saying_what_is_wrong(
    collector: Any, body: bytes, expected: str
) -> None:
    response = _post(collector.url, body, JSON_HEADERS)

    assert response.status_code == 400
    assert expected in response.json()["message"]


def test_unknown_content_type_is_answered_415_naming_the_supported_types(
    collector: Any,
) -> None:
    response = _post(collector.url, b"hello", {"Content-Type": "text/plain"})

    assert response.status_code == 415
    message = response.json()["message"]
    assert "'text/plain'" in message
    assert "application/x-protobuf" in message
    assert "application/json" in message


def test_unknown_content_encoding_is_answered_415(collector: Any) -> None:
    headers = {**JSON_HEADERS, "Content-Encoding": "br"}

    response = _post(collector.url, b"{}", headers)

    assert response.status_code == 415
    assert "Content-Encoding 'br'" in response.json()["message"]


def test_body_that_claims_gzip_but_is_not_is_answered_400(collector: Any) -> None:
    headers = {**JSON_HEADERS, "Content-Encoding": "gzip"}

    response = _post(collector.url, b"{}", headers)

    assert response.status_code == 400
    assert "gzip" in response.json()["message"]


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress)],
)
def test_compressed_json_bodies_are_stored(collector: Any, encoding: str, compress: Any) -> None:
    trace_id = new_trace_id()
    body = compress(orjson.dumps(json_request([json_span(trace_id, name=encoding)])))

    response = _post(collector.url, body, {**JSON_HEADERS, "Content-Encoding": encoding})

    assert response.status_code == 200, response.text
    assert [s["name"] for s in get_trace(collector.url, trace_id)["spans"]] == [encoding]


def test_empty_batches_are_accepted(collector: Any) -> None:
    assert _post(collector.url, b"{}", JSON_HEADERS).status_code == 200
    assert _post(collector.url, b'{"resourceSpans": []}', JSON_HEADERS).status_code == 200
    assert _post(collector.url, b"", PROTOBUF_HEADERS).status_code == 200


def test_span_with_a_non_numeric_start_time_is_rejected_alone(collector: Any) -> None:
    trace_id = new_trace_id()
    bad = json_span(trace_id, name="bad")
    bad["startTimeUnixNano"] = "yesterday"

    response = httpx.post(
        f"{collector.url}/v1/traces",
        json=json_request([bad, json_span(trace_id, name="good")]),
        timeout=30,
    )

    assert response.status_code == 200
    partial = response.json()["partialSuccess"]
    assert "startTimeUnixNano 'yesterday'" in partial["errorMessage"]
    assert [s["name"] for s in get_trace(collector.url, trace_id)["spans"]] == ["good"]


def test_span_sent_twice_as_json_and_protobuf_and_within_one_batch_is_stored_once(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    span = json_span(trace_id, "00000000000000aa", name="twice")
    httpx.post(
        f"{collector.url}/v1/traces", json=json_request([span, span]), timeout=30
    ).raise_for_status()
    httpx.post(
        f"{collector.url}/v1/traces", json=json_request([span]), timeout=30
    ).raise_for_status()

    assert [s["span_id"] for s in get_trace(collector.url, trace_id)["spans"]] == [
        "00000000000000aa"
    ]
    traces = httpx.get(f"{collector.api}/traces", params={"limit": 1000}, timeout=30).json()
    counts = [t["span_count"] for t in traces["traces"] if t["trace_id"] == trace_id]
    assert counts == [1]


def test_body_that_decompresses_beyond_the_request_limit_is_answered_413(
    collector: Any,
) -> None:
    bomb = gzip.compress(b" " * (65 * 1024 * 1024))

    response = _post(collector.url, bomb, {**JSON_HEADERS, "Content-Encoding": "gzip"})

    assert response.status_code == 413
    assert "LANTERNA_MAX_REQUEST_BYTES" in response.json()["message"]
    assert "refused an OTLP request" in collector.log()


def test_the_same_batch_sent_by_many_clients_at_once_is_stored_once(collector: Any) -> None:
    trace_id = new_trace_id()
    spans = [json_span(trace_id, name=f"s{i}") for i in range(20)]
    body = orjson.dumps(json_request(spans))

    def send(_: int) -> int:
        return _post(collector.url, body, JSON_HEADERS).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, range(8)))

    assert statuses == [200] * 8
    stored = get_trace(collector.url, trace_id)["spans"]
    assert sorted(span["name"] for span in stored) == sorted(f"s{i}" for i in range(20))


def test_json_with_a_lone_surrogate_escape_is_answered_400_not_500(collector: Any) -> None:
    trace_id = new_trace_id()
    body = orjson.dumps(json_request([json_span(trace_id, name="PLACEHOLDER")]))
    body = body.replace(b"PLACEHOLDER", b"\\ud800")

    response = _post(collector.url, body, JSON_HEADERS)

    assert response.status_code == 400
    assert "not valid UTF-8 JSON" in response.json()["message"]


def test_the_opentelemetry_exporter_with_gzip_compression_is_understood(collector: Any) -> None:
    provider = TracerProvider()
    exporter = OTLPSpanExporter(
        endpoint=f"{collector.url}/v1/traces", compression=Compression.Gzip, timeout=30
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with provider.get_tracer("tests").start_as_current_span("gzipped") as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
    provider.shutdown()

    assert [s["name"] for s in get_trace(collector.url, trace_id)["spans"]] == ["gzipped"]
