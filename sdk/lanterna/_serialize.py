"""Turn any Python value into JSON text for a span, without ever raising.

Stored forms of values JSON cannot hold:

- numpy arrays and scalars: their ``tolist()`` / ``item()`` value;
- pydantic models: ``model_dump(mode="json")``;
- dataclass instances: an object of their fields;
- ``bytes`` / ``bytearray`` / ``memoryview``: ``{"__bytes__": "<base64>", "size": n}``,
  where the base64 covers at most the first 1 KiB;
- ``datetime`` / ``date`` / ``time``: ISO 8601 text (with the offset when aware);
- ``UUID``, ``Decimal``, ``Path`` and other path-likes: their ``str()``;
- ``Enum`` members: their value;
- sets and frozensets: a list, sorted when the items can be sorted;
- generators, iterators and async iterators: the text ``"<generator>"``
  (they are never consumed);
- a container reached again inside itself: the text ``"<circular>"``;
- NaN and infinities: the texts ``"NaN"``, ``"Infinity"``, ``"-Infinity"``;
- anything else: its ``repr()``, clipped to 1,000 characters.

A text larger than the field limit is cut to fit and ends with
:data:`TRUNCATION_MARKER`; it is then no longer valid JSON, and the span says so
in its ``lanterna.inputs.truncated`` / ``lanterna.outputs.truncated`` attributes.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import json
import json.encoder as json_encoder
import logging
import math
import os
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from _json import make_encoder as _CMakeEncoder

logger = logging.getLogger(__name__)

TRUNCATION_MARKER: Final = "...[truncated]"
GENERATOR_PLACEHOLDER: Final = "<generator>"
CIRCULAR_PLACEHOLDER: Final = "<circular>"
MAX_DEPTH_PLACEHOLDER: Final = "<max depth>"
BYTES_KEY: Final = "__bytes__"
BYTES_SIZE_KEY: Final = "size"

_MAX_REPR_CHARS = 1_000
_MAX_BYTES_ENCODED = 1_024
_MAX_DEPTH = 64
# UTF-8 needs at most this many bytes per character, so a text this short always fits.
MAX_UTF8_BYTES_PER_CHAR: Final = 4


def _clipped_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not break the traced call
        text = f"<{type(value).__qualname__} object>"
    if len(text) > _MAX_REPR_CHARS:
        return text[:_MAX_REPR_CHARS] + TRUNCATION_MARKER
    return text


def _bytes_form(value: bytes | bytearray | memoryview) -> dict[str, Any]:
    data = bytes(value[:_MAX_BYTES_ENCODED])
    return {BYTES_KEY: base64.b64encode(data).decode("ascii"), BYTES_SIZE_KEY: len(value)}


def _set_form(value: set[Any] | frozenset[Any]) -> list[Any]:
    try:
        return sorted(value)
    except TypeError:
        return list(value)


def _float_form(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _special_form(value: Any) -> Any:
    """Return a JSON-ready stand-in for one value JSON cannot hold (one level deep)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return _bytes_form(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, set | frozenset):
        return _set_form(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump") and not isinstance(value, type):
        return value.model_dump(mode="json")
    if hasattr(value, "tolist") and not isinstance(value, type):
        return value.tolist()
    if hasattr(value, "item") and hasattr(value, "dtype") and not isinstance(value, type):
        return value.item()
    if isinstance(value, Iterator | AsyncIterator):
        return GENERATOR_PLACEHOLDER
    return _clipped_repr(value)


def _encode_default(value: Any) -> Any:
    try:
        return _special_form(value)
    except Exception:  # a value's own conversion failed; fall back to its repr
        return _clipped_repr(value)


_FAST_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_encode_default)

_encode_text = json_encoder.encode_basestring

# One reusable C encoder saves building a new one per call (half the cost for small
# values). Its circular-reference markers are shared: a concurrent call can only
# make another call take the careful path, which gives the same text.
_markers: dict[int, Any] = {}
# json.encoder binds c_make_encoder to _json.make_encoder, or to None without the C
# accelerator; typeshed leaves that private name out, so read it with getattr.
_c_make_encoder: type[_CMakeEncoder] | None = getattr(json_encoder, "c_make_encoder", None)
_c_encoder = (
    _c_make_encoder(
        _markers,
        _encode_default,
        json_encoder.encode_basestring,
        None,
        ": ",
        ", ",
        False,
        False,
        False,
    )
    if _c_make_encoder is not None
    else None
)


def _plain_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool | int | float) or key is None:
        return json.dumps(key)
    return str(_encode_default(key))


def to_jsonable(value: Any, _path: frozenset[int] = frozenset(), _depth: int = 0) -> Any:
    """Return ``value`` as plain JSON data (dict, list, str, number, bool, None).

    Args:
        value: Any Python value.

    Returns:
        A value ``json.dumps`` accepts, following the forms in this module's docstring.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return _float_form(value)
    if _depth >= _MAX_DEPTH:
        return MAX_DEPTH_PLACEHOLDER
    if id(value) in _path:
        return CIRCULAR_PLACEHOLDER
    path = _path | {id(value)}
    if isinstance(value, Mapping):
        return {_plain_key(k): to_jsonable(v, path, _depth + 1) for k, v in list(value.items())}
    if isinstance(value, list | tuple):
        return [to_jsonable(item, path, _depth + 1) for item in value]
    converted = _encode_default(value)
    if isinstance(converted, str) or converted is value:
        return converted
    return to_jsonable(converted, path, _depth + 1)


def to_json(value: Any) -> str:
    """Return ``value`` as JSON text; never raises.

    Args:
        value: Any Python value.

    Returns:
        JSON text following the forms in this module's docstring.
    """
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if kind is int:
        return int.__repr__(value)
    try:
        if _c_encoder is not None:
            return "".join(_c_encoder(value, 0))
        return _FAST_ENCODER.encode(value)
    except (ValueError, TypeError, RecursionError):
        _markers.clear()  # circular data, NaN, or keys JSON cannot hold: the careful path
    except Exception:
        _markers.clear()
        logger.debug("Fast JSON encoding failed; using the careful path.", exc_info=True)
    try:
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    except Exception:  # the documented last resort: the value's repr as a JSON string
        logger.debug("Careful JSON encoding failed; storing the repr.", exc_info=True)
        return json.dumps(_clipped_repr(value), ensure_ascii=False)


def clip(text: str, max_bytes: int) -> tuple[str, int | None]:
    """Cut ``text`` to at most ``max_bytes`` UTF-8 bytes, marking the cut.

    Args:
        text: The text to store.
        max_bytes: The largest stored size in UTF-8 bytes.

    Returns:
        The text to store, and the original size in bytes when it was cut
        (``None`` when the text fits).
    """
    if len(text) * MAX_UTF8_BYTES_PER_CHAR <= max_bytes:
        return text, None
    data = text.encode("utf-8", errors="replace")
    if len(data) <= max_bytes:
        return text, None
    room = max(max_bytes - len(TRUNCATION_MARKER), 0)
    head = data[:room].decode("utf-8", errors="ignore")
    return head + TRUNCATION_MARKER, len(data)
