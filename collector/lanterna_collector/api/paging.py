"""Opaque keyset page tokens: base64url of a (time, id) cursor."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from typing import Final

import orjson
from fastapi import HTTPException

from lanterna_collector.api.models import ErrorDetail

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NANOS_PER_MICRO: Final = 1000
_HTTP_BAD_REQUEST: Final = 400


def bad_request(message: str, position: int | None = None) -> HTTPException:
    """A 400 whose body is ``{"detail": {"message": ..., "position": ...}}``."""
    detail = ErrorDetail(message=message, position=position).model_dump()
    return HTTPException(status_code=_HTTP_BAD_REQUEST, detail=detail)


def encode_page_token(time_unix_nano: int, key: str) -> str:
    """Make the token that resumes a list after the row at (time, key)."""
    raw = orjson.dumps([time_unix_nano, key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str | None) -> tuple[int, str] | None:
    """Read a token made by ``encode_page_token``; raise a 400 when it is not one."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        time_unix_nano, key = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise bad_request(f"page_token {token!r} is not a token this API handed out.") from exc
    if not isinstance(time_unix_nano, int) or time_unix_nano < 0 or not isinstance(key, str):
        raise bad_request(f"page_token {token!r} is not a token this API handed out.")
    return time_unix_nano, key


def iso_time(time_unix_nano: int) -> str:
    """Render nanoseconds since the epoch as ISO 8601 in UTC, to the microsecond."""
    moment = _EPOCH + timedelta(microseconds=time_unix_nano // _NANOS_PER_MICRO)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
