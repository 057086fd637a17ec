"""OTLP/HTTP trace ingest: ``POST /v1/traces`` in protobuf or JSON, optionally compressed."""

from __future__ import annotations

import logging
from typing import Final

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request, Response
from google.rpc import status_pb2

from lanterna_collector.errors import PayloadError, PayloadTooLargeError, UnsupportedMediaError
from lanterna_collector.otlp import (
    BodyFormat,
    SpanBatch,
    body_format,
    decode_json,
    decode_protobuf,
    decompress,
    encode_json_response,
    encode_protobuf_response,
)
from lanterna_collector.settings import CollectorSettings
from lanterna_collector.storage.runner import StoreRunner

logger = logging.getLogger(__name__)

router = APIRouter()

# google.rpc.Code values used in OTLP error bodies.
_RPC_INVALID_ARGUMENT: Final = 3
_RPC_RESOURCE_EXHAUSTED: Final = 8
_HTTP_BAD_REQUEST: Final = 400
_HTTP_TOO_LARGE: Final = 413
_HTTP_UNSUPPORTED: Final = 415


def _error(status_code: int, message: str, fmt: BodyFormat | None) -> Response:
    """An OTLP error reply: a ``google.rpc.Status`` in the request's encoding."""
    rpc_code = _RPC_RESOURCE_EXHAUSTED if status_code == _HTTP_TOO_LARGE else _RPC_INVALID_ARGUMENT
    if fmt is BodyFormat.PROTOBUF:
        body = status_pb2.Status(code=rpc_code, message=message).SerializeToString()
        return Response(body, status_code=status_code, media_type=fmt.value)
    payload = {"code": rpc_code, "message": message, "detail": message}
    return Response(orjson.dumps(payload), status_code=status_code, media_type=BodyFormat.JSON)


async def _read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLargeError(
            f"The body of {declared} bytes is larger than the limit of {max_bytes} bytes "
            "(LANTERNA_MAX_REQUEST_BYTES)."
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"The body is larger than the limit of {max_bytes} bytes "
                "(LANTERNA_MAX_REQUEST_BYTES)."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(
    body: bytes, fmt: BodyFormat, encoding: str | None, settings: CollectorSettings
) -> SpanBatch:
    batch = SpanBatch(settings.max_field_bytes)
    raw = decompress(body, encoding, settings.max_request_bytes)
    if fmt is BodyFormat.PROTOBUF:
        decode_protobuf(raw, batch)
    else:
        decode_json(raw, batch)
    return batch


@router.post("/v1/traces", tags=["otlp"])
async def export_traces(request: Request) -> Response:
    """Receive spans over OTLP/HTTP (protobuf or JSON, optionally gzip or deflate)."""
    settings: CollectorSettings = request.app.state.settings
    runner: StoreRunner = request.app.state.runner
    fmt: BodyFormat | None = None
    try:
        fmt = body_format(request.headers.get("content-type"))
        body = await _read_body(request, settings.max_request_bytes)
        encoding = request.headers.get("content-encoding")
        batch = await anyio.to_thread.run_sync(_decode, body, fmt, encoding, settings)
    except UnsupportedMediaError as exc:
        return _error(_HTTP_UNSUPPORTED, str(exc), fmt)
    except PayloadTooLargeError as exc:
        logger.warning("refused an OTLP request: %s", exc)
        return _error(_HTTP_TOO_LARGE, str(exc), fmt)
    except PayloadError as exc:
        return _error(_HTTP_BAD_REQUEST, str(exc), fmt)

    stored = await runner.insert_spans(batch.columns)
    if batch.rejected_count:
        logger.warning(
            "rejected %d spans of an OTLP request: %s", batch.rejected_count, batch.error_message
        )
    logger.debug("OTLP request: %d spans decoded, %d newly stored", len(batch), stored)
    if fmt is BodyFormat.PROTOBUF:
        content = encode_protobuf_response(batch.rejected_count, batch.error_message)
    else:
        content = encode_json_response(batch.rejected_count, batch.error_message)
    return Response(content, media_type=fmt.value)
