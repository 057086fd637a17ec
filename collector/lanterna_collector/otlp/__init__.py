"""OTLP trace decoding and normalisation into span-table columns."""

from __future__ import annotations

from lanterna_collector.otlp.batch import SpanBatch
from lanterna_collector.otlp.encoding import BodyFormat, body_format, decompress
from lanterna_collector.otlp.json import decode_json, encode_json_response
from lanterna_collector.otlp.protobuf import decode_protobuf, encode_protobuf_response

__all__ = [
    "BodyFormat",
    "SpanBatch",
    "body_format",
    "decode_json",
    "decode_protobuf",
    "decompress",
    "encode_json_response",
    "encode_protobuf_response",
]
