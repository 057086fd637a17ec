"""Case I-1: OTLP/JSON hex ids, content-type variants, protobuf replies and bad ids."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span
from otlp_payloads import (
    PROTOBUF_HEADERS,
    get_trace,
    json_request,
    json_span,
    new_trace_id,
    spans_by_name,
)

TRACE_ID = "5b8efff798038103d269b633813fc60c"
ROOT_SPAN_ID = "eee19b7ec3c1b174"
CHILD_SPAN_ID = "eee19b7ec3c1b175"

FIRST_REQUEST = b"""{"resourceSpans": [{
  "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
  "scopeSpans": [{"spans": [
    {"traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174",
     "parentSpanId": "", "name": "root", "kind": 1,
     "startTimeUnixNano": "1712000000000000000", "endTimeUnixNano": "1712000000500000000",
     "fieldFromANewerSchema": 7},
    {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b175",
     "parentSpanId": "eee19b7ec3c1b174", "name": "child",
     "startTimeUnixNano": "1712000000100000000", "endTimeUnixNano": "1712000000300000000"}
  ]}]
}]}"""


def _protobuf_copy_of_first_request() -> bytes:
    root = Span(
        trace_id=bytes.fromhex(TRACE_ID),
        span_id=bytes.fromhex(ROOT_SPAN_ID),
        name="root",
        kind=Span.SPAN_KIND_INTERNAL,
        start_time_unix_nano=1712000000000000000,
        end_time_unix_nano=1712000000500000000,
    )
    child = Span(
        trace_id=bytes.fromhex(TRACE_ID),
        span_id=bytes.fromhex(CHILD_SPAN_ID),
        parent_span_id=bytes.fromhex(ROOT_SPAN_ID),
        name="child",
        start_time_unix_nano=1712000000100000000,
        end_time_unix_nano=1712000000300000000,
    )
    request = ExportTraceServiceRequest(
        resource_spans=[ResourceSpans(scope_spans=[ScopeSpans(spans=[root, child])])]
    )
    return request.SerializeToString()


def _post(url: str, body: bytes, content_type: str) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/traces", content=body, headers={"Content-Type": content_type}, timeout=30
    )


def _partial_success(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["partialSuccess"]


def test_json_with_uppercase_hex_ids_and_charset_is_stored_lowercase_with_its_parent(
    fresh_collector: Any,
) -> None:
    response = _post(fresh_collector.url, FIRST_REQUEST, "application/json; charset=utf-8")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {}
    spans = spans_by_name(get_trace(fresh_collector.url, TRACE_ID))
    assert spans["root"]["span_id"] == ROOT_SPAN_ID
    assert spans["root"]["parent_span_id"] == ""
    assert spans["child"]["span_id"] == CHILD_SPAN_ID
    assert spans["child"]["parent_span_id"] == ROOT_SPAN_ID
    listed = httpx.get(f"{fresh_collector.api}/traces", timeout=30).json()["traces"]
    assert [(t["trace_id"], t["name"], t["span_count"]) for t in listed] == [(TRACE_ID, "root", 2)]

    again = _post(fresh_collector.url, _protobuf_copy_of_first_request(), "application/x-protobuf")

    assert again.status_code == 200
    assert again.headers["content-type"] == "application/x-protobuf"
    reply = ExportTraceServiceResponse()
    reply.ParseFromString(again.content)
    assert reply.partial_success.rejected_spans == 0
    trace = get_trace(fresh_collector.url, TRACE_ID)
    assert sorted(span["span_id"] for span in trace["spans"]) == [ROOT_SPAN_ID, CHILD_SPAN_ID]
    listed = httpx.get(f"{fresh_collector.api}/traces", timeout=30).json()["traces"]
    assert [t["span_count"] for t in listed] == [2]


def test_mixed_batch_stores_the_valid_span_and_rejects_the_bad_trace_id_by_name(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    payload = json_request(
        [json_span(trace_id, name="good"), json_span("abc", name="bad")],
    )

    response = _post(collector.url, orjson.dumps(payload), "application/json")

    partial = _partial_success(response)
    assert int(partial["rejectedSpans"]) == 1
    assert "traceId" in partial["errorMessage"]
    assert "'abc'" in partial["errorMessage"]
    assert [span["name"] for span in get_trace(collector.url, trace_id)["spans"]] == ["good"]


def test_all_zero_span_id_is_rejected_naming_span_id_and_nothing_is_stored(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    payload = json_request([json_span(trace_id, "0000000000000000", name="zero")])

    response = httpx.post(f"{collector.url}/v1/traces", json=payload, timeout=30)

    partial = _partial_success(response)
    assert int(partial["rejectedSpans"]) == 1
    assert "spanId" in partial["errorMessage"]
    assert httpx.get(f"{collector.api}/traces/{trace_id}", timeout=30).status_code == 404


def test_protobuf_with_a_short_trace_id_gets_a_protobuf_partial_success(
    collector: Any,
) -> None:
    good_trace_id = new_trace_id()
    request = ExportTraceServiceRequest(
        resource_spans=[
            ResourceSpans(
                scope_spans=[
                    ScopeSpans(
                        spans=[
                            Span(trace_id=b"\x01\x02", span_id=b"\x01" * 8, name="bad"),
                            Span(
                                trace_id=bytes.fromhex(good_trace_id),
                                span_id=b"\x02" * 8,
                                name="good",
                                start_time_unix_nano=5,
                                end_time_unix_nano=10,
                            ),
                        ]
                    )
                ]
            )
        ]
    )

    response = httpx.post(
        f"{collector.url}/v1/traces",
        content=request.SerializeToString(),
        headers=PROTOBUF_HEADERS,
        timeout=30,
    )

    assert response.status_code == 200
    reply = ExportTraceServiceResponse()
    reply.ParseFromString(response.content)
    assert reply.partial_success.rejected_spans == 1
    assert "span 0 of batch: traceId '0102'" in reply.partial_success.error_message
    assert [s["name"] for s in get_trace(collector.url, good_trace_id)["spans"]] == ["good"]


def test_parent_span_id_that_is_not_hex_rejects_only_that_span(collector: Any) -> None:
    trace_id = new_trace_id()
    payload = json_request(
        [json_span(trace_id, name="orphan", parent_span_id="xyz"), json_span(trace_id, name="ok")]
    )

    response = httpx.post(f"{collector.url}/v1/traces", json=payload, timeout=30)

    partial = _partial_success(response)
    assert "parentSpanId 'xyz'" in partial["errorMessage"]
    assert [s["name"] for s in get_trace(collector.url, trace_id)["spans"]] == ["ok"]
