"""Content types and content encodings of OTLP/HTTP requests."""

from __future__ import annotations

import zlib
from enum import StrEnum
from typing import Final

from lanterna_collector.errors import PayloadError, PayloadTooLargeError, UnsupportedMediaError

PROTOBUF_MEDIA_TYPE: Final = "application/x-protobuf"
JSON_MEDIA_TYPE: Final = "application/json"
_GZIP_WBITS: Final = 16 + zlib.MAX_WBITS
_RAW_DEFLATE_WBITS: Final = -zlib.MAX_WBITS


class BodyFormat(StrEnum):
    """How an OTLP request body is encoded, and so how its reply must be."""

    PROTOBUF = PROTOBUF_MEDIA_TYPE
    JSON = JSON_MEDIA_TYPE


def body_format(content_type: str | None) -> BodyFormat:
    """Read the body format from a ``Content-Type`` header, ignoring parameters.

    Raises:
        UnsupportedMediaError: the content type is neither OTLP protobuf nor JSON.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in (PROTOBUF_MEDIA_TYPE, "application/protobuf"):
        return BodyFormat.PROTOBUF
    if media_type == JSON_MEDIA_TYPE:
        return BodyFormat.JSON
    raise UnsupportedMediaError(
        f"Content-Type {content_type!r} is not supported; send OTLP as "
        f"'{PROTOBUF_MEDIA_TYPE}' or '{JSON_MEDIA_TYPE}'."
    )


def _inflate(body: bytes, wbits: int, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    data = inflater.decompress(body, max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLargeError(
            f"The decompressed body is larger than the limit of {max_bytes} bytes "
            "(LANTERNA_MAX_REQUEST_BYTES)."
        )
    if not inflater.eof:
        raise zlib.error("compressed data is truncated")
    return data


def decompress(body: bytes, content_encoding: str | None, max_bytes: int) -> bytes:
    """Undo ``gzip`` or ``deflate`` content encoding, refusing bodies above ``max_bytes``.

    Raises:
        UnsupportedMediaError: the content encoding is not gzip, deflate or identity.
        PayloadError: the body does not decompress.
        PayloadTooLargeError: the body decompresses to more than ``max_bytes``.
    """
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    try:
        if encoding in ("gzip", "x-gzip"):
            return _inflate(body, _GZIP_WBITS, max_bytes)
        if encoding == "deflate":
            try:
                return _inflate(body, zlib.MAX_WBITS, max_bytes)
            except zlib.error:
                return _inflate(body, _RAW_DEFLATE_WBITS, max_bytes)
    except zlib.error as exc:
        raise PayloadError(
            f"The body is not valid {encoding} data as its Content-Encoding says ({exc})."
        ) from exc
    raise UnsupportedMediaError(
        f"Content-Encoding {content_encoding!r} is not supported; use gzip, deflate or none."
    )
