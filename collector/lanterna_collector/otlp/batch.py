"""Decoded spans held as one list per span-table column, ready for a column-oriented insert."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Final

import orjson
from lanterna import semconv

from lanterna_collector.otlp.conventions import extract_fields, to_text
from lanterna_collector.storage.schema import NANOS_PER_MINUTE, STORED_SPAN_COLUMN_NAMES

_TRACE_ID_RE: Final = re.compile(r"[0-9a-f]{32}")
_SPAN_ID_RE: Final = re.compile(r"[0-9a-f]{16}")
_ZERO_TRACE_ID: Final = "0" * 32
_ZERO_SPAN_ID: Final = "0" * 16
_EMPTY_JSON_LIST: Final = "[]"
_MAX_LISTED_REJECTIONS: Final = 5
_TRUE: Final = "true"
# Span names are labels: longer ones are cut, like any oversized value, and marked.
_MAX_NAME_BYTES: Final = 1024
_MAX_FUTURE_SKEW_NS: Final = 24 * 3600 * 1_000_000_000

# OTLP status codes (0 UNSET, 1 OK, 2 ERROR) and span kinds, as stored. A span is OK or ERROR:
# UNSET means no error was recorded, which is what OK means here.
STATUS_NAMES: Final = ("OK", "OK", "ERROR")
SPAN_KIND_NAMES: Final = ("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER")


class SpanRejectedError(ValueError):
    """One span of a batch is invalid; the rest of the batch goes on."""


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """What every span of one OTLP resource shares."""

    project: str
    service_name: str
    attributes: dict[str, str]


def check_ids(trace_id: str, span_id: str, parent_span_id: str) -> None:
    """Raise ``SpanRejectedError`` naming the field when an id is not valid lowercase hex."""
    if not _TRACE_ID_RE.fullmatch(trace_id):
        raise SpanRejectedError(f"traceId {trace_id!r} is not 32 hex characters")
    if trace_id == _ZERO_TRACE_ID:
        raise SpanRejectedError("traceId is all zeros, which OpenTelemetry defines as invalid")
    if not _SPAN_ID_RE.fullmatch(span_id):
        raise SpanRejectedError(f"spanId {span_id!r} is not 16 hex characters")
    if span_id == _ZERO_SPAN_ID:
        raise SpanRejectedError("spanId is all zeros, which OpenTelemetry defines as invalid")
    if parent_span_id and not _SPAN_ID_RE.fullmatch(parent_span_id):
        raise SpanRejectedError(
            f"parentSpanId {parent_span_id!r} is not empty or 16 hex characters"
        )


def latest_plausible_unix_nano() -> int:
    """The latest time a span may claim: now, plus a day of clock skew."""
    return time.time_ns() + _MAX_FUTURE_SKEW_NS


def check_start(start_time_unix_nano: int, latest_unix_nano: int) -> None:
    """Raise ``SpanRejectedError`` for a start time no clock skew explains.

    A missing start would date the span to 1970 and one far ahead would sit on top of every
    newest-first list for ever; an end time, by contrast, is repaired (see ``SpanBatch.add``).
    """
    if start_time_unix_nano == 0:
        raise SpanRejectedError("startTimeUnixNano is missing or 0")
    if start_time_unix_nano > latest_unix_nano:
        raise SpanRejectedError(
            f"startTimeUnixNano {start_time_unix_nano} lies more than a day in the future"
        )


def truncate_text(text: str, max_bytes: int) -> tuple[str, int]:
    """Cut ``text`` to at most ``max_bytes`` UTF-8 bytes; return it and its original size."""
    if len(text) * 4 <= max_bytes:
        return text, -1
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= max_bytes:
        return text, -1
    return encoded[:max_bytes].decode("utf-8", "ignore"), len(encoded)


def text_attributes(attributes: dict[str, Any], max_bytes: int) -> dict[str, str]:
    """Render attribute values as stored text, cutting and marking any over ``max_bytes``."""
    result: dict[str, str] = {}
    for key, value in attributes.items():
        text = value if isinstance(value, str) else to_text(value)
        text, original_size = truncate_text(text, max_bytes)
        result[key] = text
        if original_size >= 0:
            result[key + semconv.VALUE_TRUNCATED_SUFFIX] = _TRUE
            result[key + semconv.VALUE_ORIGINAL_SIZE_SUFFIX] = str(original_size)
    return result


class SpanBatch:
    """Spans of one request in column lists, plus what was rejected and why."""

    def __init__(self, max_field_bytes: int) -> None:
        self.max_field_bytes = max_field_bytes
        # One reading of the clock for the whole request, not one per span.
        self.latest_unix_nano = latest_plausible_unix_nano()
        self.columns: dict[str, list[Any]] = {name: [] for name in STORED_SPAN_COLUMN_NAMES}
        self.rejected_count = 0
        self._rejections: list[str] = []
        self._seen = 0

    def __len__(self) -> int:
        return len(self.columns["span_id"])

    def next_index(self) -> int:
        """Number the next span of the request (0-based), for error messages."""
        index = self._seen
        self._seen += 1
        return index

    def reject(self, index: int, reason: str) -> None:
        """Record that span ``index`` of the request was not stored, and why."""
        self.rejected_count += 1
        if len(self._rejections) < _MAX_LISTED_REJECTIONS:
            self._rejections.append(f"span {index} of batch: {reason}")

    @property
    def error_message(self) -> str:
        """One message for the OTLP partial-success reply; empty when nothing was rejected."""
        message = "; ".join(self._rejections)
        unlisted = self.rejected_count - len(self._rejections)
        return f"{message}; and {unlisted} more" if unlisted > 0 else message

    def text_attributes(self, attributes: dict[str, Any]) -> dict[str, str]:
        """Render attribute values as stored text, truncating any that are too large."""
        return text_attributes(attributes, self.max_field_bytes)

    def _field_text(
        self, text: str, key: str, attributes: dict[str, str], max_bytes: int | None = None
    ) -> str:
        text, original_size = truncate_text(text, max_bytes or self.max_field_bytes)
        if original_size >= 0:
            attributes[key + semconv.VALUE_TRUNCATED_SUFFIX] = _TRUE
            attributes[key + semconv.VALUE_ORIGINAL_SIZE_SUFFIX] = str(original_size)
        return text

    def add(
        self,
        resource: ResourceInfo,
        scope_name: str,
        ids: tuple[str, str, str],
        name: str,
        kind: int,
        status: tuple[int, str],
        times: tuple[int, int],
        attributes: dict[str, Any],
        events: list[dict[str, Any]],
        links: list[dict[str, Any]],
    ) -> None:
        """Normalise one valid span and append it to the columns.

        ``attributes`` holds decoded values (str, int, float, bool, list, dict); it is
        consumed. ``ids`` are lowercase hex (trace, span, parent or '').
        """
        start, end = times
        latest = self.latest_unix_nano
        check_start(start, latest)
        trace_id, span_id, parent_span_id = ids
        if parent_span_id == _ZERO_SPAN_ID:
            parent_span_id = ""  # OpenTelemetry's "no parent"
        try:
            fields = extract_fields(attributes)
            stored = self.text_attributes(attributes)
        except (TypeError, ValueError, OverflowError) as exc:
            # A value no column can hold loses its own span, never the rest of the batch.
            raise SpanRejectedError(f"an attribute value cannot be stored ({exc})") from exc
        name = self._field_text(name, semconv.SPAN_NAME, stored, _MAX_NAME_BYTES)
        if end == 0:
            end = start
            stored[semconv.SPAN_UNFINISHED] = _TRUE
        elif end < start or end > latest:
            # Skewed or impossible: a zero duration is honest, a negative or huge one is not.
            stored[semconv.END_TIME_CORRECTED] = _TRUE
            stored[semconv.END_TIME_ORIGINAL_UNIX_NANO] = str(end)
            end = start
        status_code, status_message = status
        inputs = self._field_text(fields.inputs, semconv.INPUTS, stored) if fields.inputs else ""
        outputs = (
            self._field_text(fields.outputs, semconv.OUTPUTS, stored) if fields.outputs else ""
        )

        columns = self.columns
        columns["project"].append(resource.project)
        columns["trace_id"].append(trace_id)
        columns["span_id"].append(span_id)
        columns["parent_span_id"].append(parent_span_id)
        columns["name"].append(name)
        columns["span_type"].append(fields.span_type)
        columns["span_kind"].append(
            SPAN_KIND_NAMES[kind] if 0 <= kind < len(SPAN_KIND_NAMES) else str(kind)
        )
        columns["status"].append(
            STATUS_NAMES[status_code] if 0 <= status_code < len(STATUS_NAMES) else "OK"
        )
        columns["status_message"].append(status_message)
        columns["start_time_unix_nano"].append(start)
        columns["end_time_unix_nano"].append(end)
        columns["duration_ns"].append(end - start)
        columns["service_name"].append(resource.service_name)
        columns["scope_name"].append(scope_name)
        columns["session_id"].append(fields.session_id)
        columns["user_id"].append(fields.user_id)
        columns["tags"].append(fields.tags)
        columns["model"].append(fields.model)
        columns["input_tokens"].append(fields.input_tokens)
        columns["output_tokens"].append(fields.output_tokens)
        columns["total_tokens"].append(fields.total_tokens)
        columns["cost_usd"].append(fields.cost_usd)
        columns["inputs"].append(inputs)
        columns["outputs"].append(outputs)
        columns["attributes"].append(stored)
        columns["resource_attributes"].append(resource.attributes)
        columns["events"].append(self._events_text(events) if events else _EMPTY_JSON_LIST)
        columns["links"].append(self._events_text(links) if links else _EMPTY_JSON_LIST)
        columns["trace_minute"].append(start // NANOS_PER_MINUTE)

    def _events_text(self, items: list[dict[str, Any]]) -> str:
        for item in items:
            item["attributes"] = self.text_attributes(item.get("attributes") or {})
        return orjson.dumps(items).decode()


def resource_info(attributes: dict[str, Any], max_field_bytes: int) -> ResourceInfo:
    """Build what the spans of one resource share from its decoded attributes."""
    project = attributes.get(semconv.PROJECT)
    service_name = attributes.get(semconv.SERVICE_NAME)
    texts = text_attributes(attributes, max_field_bytes)
    return ResourceInfo(
        project=to_text(project) if project else semconv.DEFAULT_PROJECT,
        service_name=to_text(service_name) if service_name is not None else "",
        attributes=texts,
    )
