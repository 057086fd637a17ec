"""Decode OTLP/protobuf trace requests straight into a ``SpanBatch``."""

from __future__ import annotations

import base64
from typing import Any

from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTracePartialSuccess,
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from lanterna_collector.errors import PayloadError
from lanterna_collector.otlp.batch import (
    ResourceInfo,
    SpanBatch,
    SpanRejectedError,
    check_ids,
    resource_info,
)

_TRACE_ID_BYTES = 16
_SPAN_ID_BYTES = 8


def any_value(value: AnyValue) -> Any:
    """Turn an OTLP ``AnyValue`` into a plain Python value."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "int_value":
        return value.int_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "double_value":
        return value.double_value
    if kind == "array_value":
        return [any_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return key_values(value.kvlist_value.values)
    if kind == "bytes_value":
        return base64.b64encode(value.bytes_value).decode()
    return None


def key_values(items: Any) -> dict[str, Any]:
    """Turn repeated OTLP ``KeyValue`` into a dict."""
    result: dict[str, Any] = {}
    item: KeyValue
    for item in items:
        value = item.value
        kind = value.WhichOneof("value")
        result[item.key] = value.string_value if kind == "string_value" else any_value(value)
    return result


def _id_hex(raw: bytes, size: int, field: str) -> str:
    if len(raw) != size:
        raise SpanRejectedError(
            f"{field} {raw.hex()!r} is not {size} bytes ({size * 2} hex characters)"
        )
    return raw.hex()


def _add_span(batch: SpanBatch, resource: ResourceInfo, scope_name: str, span: Span) -> None:
    trace_id = _id_hex(span.trace_id, _TRACE_ID_BYTES, "traceId")
    span_id = _id_hex(span.span_id, _SPAN_ID_BYTES, "spanId")
    parent_span_id = span.parent_span_id.hex()
    check_ids(trace_id, span_id, parent_span_id)
    events = [
        {
            "name": event.name,
            "time_unix_nano": event.time_unix_nano,
            "attributes": key_values(event.attributes),
        }
        for event in span.events
    ]
    links = [
        {
            "trace_id": link.trace_id.hex(),
            "span_id": link.span_id.hex(),
            "attributes": key_values(link.attributes),
        }
        for link in span.links
    ]
    batch.add(
        resource,
        scope_name,
        (trace_id, span_id, parent_span_id),
        span.name,
        span.kind,
        (span.status.code, span.status.message),
        (span.start_time_unix_nano, span.end_time_unix_nano),
        key_values(span.attributes),
        events,
        links,
    )


def decode_protobuf(body: bytes, batch: SpanBatch) -> None:
    """Decode an ``ExportTraceServiceRequest`` into ``batch``, rejecting invalid spans.

    Raises:
        PayloadError: the body is not an OTLP protobuf trace request.
    """
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except (DecodeError, ValueError) as exc:
        raise PayloadError(
            f"The body is not a valid OTLP protobuf ExportTraceServiceRequest ({exc})."
        ) from exc
    for resource_spans in request.resource_spans:
        resource = resource_info(
            key_values(resource_spans.resource.attributes), batch.max_field_bytes
        )
        for scope_spans in resource_spans.scope_spans:
            scope_name = scope_spans.scope.name
            for span in scope_spans.spans:
                index = batch.next_index()
                try:
                    _add_span(batch, resource, scope_name, span)
                except SpanRejectedError as exc:
                    batch.reject(index, str(exc))


def encode_protobuf_response(rejected_spans: int, error_message: str) -> bytes:
    """Serialise the OTLP reply, with a partial success when spans were rejected."""
    response = ExportTraceServiceResponse()
    if rejected_spans:
        response.partial_success.CopyFrom(
            ExportTracePartialSuccess(rejected_spans=rejected_spans, error_message=error_message)
        )
    # protobuf ships no type information, so SerializeToString() is Any to mypy.
    payload: bytes = response.SerializeToString()
    return payload
