"""Decode OTLP/JSON trace requests straight into a ``SpanBatch``.

OTLP/JSON differs from the generic protobuf JSON mapping: trace and span ids are hex
strings (not base64), 64-bit integers may be strings or numbers, enums are integers, and
keys are camelCase (snake_case is accepted too). Unknown fields are ignored.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from lanterna_collector.errors import PayloadError
from lanterna_collector.otlp.batch import (
    ResourceInfo,
    SpanBatch,
    SpanRejectedError,
    check_ids,
    resource_info,
)

_STATUS_CODE_NAMES: Final = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}
_SPAN_KIND_PREFIX: Final = "SPAN_KIND_"
_SPAN_KIND_NAMES: Final = ("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER")
_SPAN_KIND_CODES: Final = {name: index for index, name in enumerate(_SPAN_KIND_NAMES)}


def _get(obj: dict[str, Any], camel: str, snake: str) -> Any:
    value = obj.get(camel)
    return obj.get(snake) if value is None else value


def _list(obj: dict[str, Any], camel: str, snake: str, where: str) -> list[Any]:
    value = _get(obj, camel, snake)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{where}.{camel} must be a JSON array, got {type(value).__name__}.")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where} must be a JSON object, got {type(value).__name__}.")
    return value


_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1


def _integer(value: Any, field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        raise SpanRejectedError(f"{field} {value!r} is not a non-negative integer")
    if number < 0 or number >= 2**64:
        raise SpanRejectedError(f"{field} {value!r} is out of range for an unsigned 64-bit value")
    return number


def _enum(value: Any, names: dict[str, int], field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value in names:
        return names[value]
    raise SpanRejectedError(f"{field} {value!r} is not a known enum value")


def any_value(value: Any) -> Any:
    """Turn an OTLP/JSON ``AnyValue`` object into a plain Python value."""
    if not isinstance(value, dict):
        raise SpanRejectedError(f"attribute value {value!r} is not an OTLP AnyValue object")
    for key, item in value.items():
        if key in ("stringValue", "string_value"):
            return item if isinstance(item, str) else str(item)
        if key in ("intValue", "int_value"):
            try:
                number = int(item)
            except (TypeError, ValueError) as exc:
                raise SpanRejectedError(f"intValue {item!r} is not an integer") from exc
            # OTLP integers are 64-bit; a larger one is kept, as its decimal text.
            return number if _INT64_MIN <= number <= _INT64_MAX else str(number)
        if key in ("boolValue", "bool_value"):
            return bool(item)
        if key in ("doubleValue", "double_value"):
            try:
                return float(item)
            except (TypeError, ValueError) as exc:
                raise SpanRejectedError(f"doubleValue {item!r} is not a number") from exc
        if key in ("arrayValue", "array_value"):
            values = item.get("values") if isinstance(item, dict) else None
            return [any_value(element) for element in values or []]
        if key in ("kvlistValue", "kvlist_value"):
            values = item.get("values") if isinstance(item, dict) else None
            return key_values(values or [])
        if key in ("bytesValue", "bytes_value"):
            return str(item)
    return None


def key_values(items: Any) -> dict[str, Any]:
    """Turn an OTLP/JSON ``KeyValue`` list into a dict."""
    if not isinstance(items, list):
        raise SpanRejectedError("attributes must be a JSON array of {key, value} objects")
    result: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise SpanRejectedError(f"attribute {item!r} is not a {{key, value}} object")
        value = item.get("value")
        result[item["key"]] = None if value is None else any_value(value)
    return result


def _hex_id(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SpanRejectedError(f"{field} {value!r} is not a hex string")
    return value.lower()


def _events(span: dict[str, Any]) -> list[dict[str, Any]]:
    events = _get(span, "events", "events") or []
    if not isinstance(events, list):
        raise SpanRejectedError("events must be a JSON array")
    return [
        {
            "name": str(event.get("name", "")),
            "time_unix_nano": _integer(
                _get(event, "timeUnixNano", "time_unix_nano"), "event timeUnixNano"
            ),
            "attributes": key_values(event.get("attributes") or []),
        }
        for event in events
        if isinstance(event, dict)
    ]


def _links(span: dict[str, Any]) -> list[dict[str, Any]]:
    links = _get(span, "links", "links") or []
    if not isinstance(links, list):
        raise SpanRejectedError("links must be a JSON array")
    return [
        {
            "trace_id": _hex_id(_get(link, "traceId", "trace_id"), "link traceId"),
            "span_id": _hex_id(_get(link, "spanId", "span_id"), "link spanId"),
            "attributes": key_values(link.get("attributes") or []),
        }
        for link in links
        if isinstance(link, dict)
    ]


def _add_span(batch: SpanBatch, resource: ResourceInfo, scope_name: str, span: Any) -> None:
    if not isinstance(span, dict):
        raise SpanRejectedError(f"span is a JSON {type(span).__name__}, not an object")
    trace_id = _hex_id(_get(span, "traceId", "trace_id"), "traceId")
    span_id = _hex_id(_get(span, "spanId", "span_id"), "spanId")
    parent_span_id = _hex_id(_get(span, "parentSpanId", "parent_span_id"), "parentSpanId")
    check_ids(trace_id, span_id, parent_span_id)
    status = _get(span, "status", "status") or {}
    if not isinstance(status, dict):
        raise SpanRejectedError("status must be a JSON object")
    kind = _get(span, "kind", "kind")
    if isinstance(kind, str) and kind.startswith(_SPAN_KIND_PREFIX):
        kind = kind.removeprefix(_SPAN_KIND_PREFIX)
    name = span.get("name")
    batch.add(
        resource,
        scope_name,
        (trace_id, span_id, parent_span_id),
        name if isinstance(name, str) else "" if name is None else str(name),
        _enum(kind, _SPAN_KIND_CODES, "kind"),
        (
            _enum(status.get("code"), _STATUS_CODE_NAMES, "status.code"),
            str(status.get("message") or ""),
        ),
        (
            _integer(_get(span, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano"),
            _integer(_get(span, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano"),
        ),
        key_values(span.get("attributes") or []),
        _events(span),
        _links(span),
    )


def _resource(resource_spans: dict[str, Any], max_field_bytes: int) -> ResourceInfo:
    resource = _object(resource_spans.get("resource") or {}, "resourceSpans[].resource")
    try:
        attributes = key_values(resource.get("attributes") or [])
    except SpanRejectedError as exc:
        raise PayloadError(f"resource attributes are malformed: {exc}.") from exc
    return resource_info(attributes, max_field_bytes)


def decode_json(body: bytes, batch: SpanBatch) -> None:
    """Decode an OTLP/JSON ``ExportTraceServiceRequest`` into ``batch``.

    Raises:
        PayloadError: the body is not JSON or does not have the request's shape.
    """
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise PayloadError(f"The body is not valid UTF-8 JSON ({exc}).") from exc
    request = _object(document, "The request body")
    for resource_spans in _list(request, "resourceSpans", "resource_spans", "request"):
        resource_spans = _object(resource_spans, "resourceSpans[]")
        resource = _resource(resource_spans, batch.max_field_bytes)
        for scope_spans in _list(resource_spans, "scopeSpans", "scope_spans", "resourceSpans[]"):
            scope_spans = _object(scope_spans, "scopeSpans[]")
            scope = _object(scope_spans.get("scope") or {}, "scopeSpans[].scope")
            scope_name = str(scope.get("name") or "")
            for span in _list(scope_spans, "spans", "spans", "scopeSpans[]"):
                index = batch.next_index()
                try:
                    _add_span(batch, resource, scope_name, span)
                except SpanRejectedError as exc:
                    batch.reject(index, str(exc))


def encode_json_response(rejected_spans: int, error_message: str) -> bytes:
    """Serialise the OTLP/JSON reply; int64 counts are strings, as the JSON mapping says."""
    if not rejected_spans:
        return b"{}"
    return orjson.dumps(
        {"partialSuccess": {"rejectedSpans": str(rejected_spans), "errorMessage": error_message}}
    )
