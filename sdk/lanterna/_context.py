"""Session attributes carried in context, and carrying context into threads.

Lanterna keeps the current span in OpenTelemetry's global context, which lives
in :mod:`contextvars`; the session lives in a context variable of its own.
``asyncio`` tasks copy both automatically; a thread pool does not, which is
what :func:`wrap_context` is for.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from lanterna import semconv
from lanterna._serialize import to_json

_P = ParamSpec("_P")
_R = TypeVar("_R")

AttributeValue = str | bool | int | float | tuple[str, ...]

# The span attributes of the innermost active session, or None outside any session.
_SESSION_ATTRIBUTES: contextvars.ContextVar[Mapping[str, AttributeValue] | None] = (
    contextvars.ContextVar("lanterna_session_attributes", default=None)
)


def current_session_attributes() -> Mapping[str, AttributeValue] | None:
    """Return the attributes every span started now should carry, if any."""
    return _SESSION_ATTRIBUTES.get()


def _check_optional_text(name: str, value: object) -> None:
    if value is not None and not (isinstance(value, str) and value):
        raise TypeError(f"{name} must be a non-empty string or None, got {value!r}.")


def _metadata_value(value: Any) -> AttributeValue:
    if isinstance(value, str | bool | int | float):
        return value
    return to_json(value)


def _session_attributes(
    outer: Mapping[str, AttributeValue] | None,
    session_id: str | None,
    user_id: str | None,
    tags: Sequence[str] | None,
    metadata: Mapping[str, Any] | None,
) -> dict[str, AttributeValue]:
    merged: dict[str, AttributeValue] = dict(outer or {})
    if session_id is not None:
        merged[semconv.SESSION_ID] = session_id
    if user_id is not None:
        merged[semconv.USER_ID] = user_id
    if tags:
        previous = merged.get(semconv.TAGS, ())
        known = tuple(previous) if isinstance(previous, tuple) else ()
        merged[semconv.TAGS] = known + tuple(t for t in tags if t not in known)
    for key, value in (metadata or {}).items():
        merged[semconv.METADATA_PREFIX + key] = _metadata_value(value)
    return merged


def _check_session_arguments(
    session_id: object, user_id: object, tags: object, metadata: object
) -> None:
    _check_optional_text("session_id", session_id)
    _check_optional_text("user_id", user_id)
    if tags is not None and (
        isinstance(tags, str)
        or not isinstance(tags, Sequence | set | frozenset)
        or not all(isinstance(t, str) for t in tags)
    ):
        raise TypeError(f"tags must be a list of strings, got {tags!r}.")
    if metadata is not None and (
        not isinstance(metadata, Mapping) or not all(isinstance(k, str) for k in metadata)
    ):
        raise TypeError(f"metadata must be a dict with string keys, got {metadata!r}.")


@contextlib.contextmanager
def session(
    session_id: str | None = None,
    user_id: str | None = None,
    tags: Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Iterator[None]:
    """Attach a session, user, tags and metadata to every span started inside.

    Works with ``with`` in both sync and async code, and applies to spans of
    other OpenTelemetry instrumentations too. Sessions nest: an inner session
    overrides the ids, adds its tags to the outer ones and merges metadata.

    Args:
        session_id: Stored as ``lanterna.session.id``.
        user_id: Stored as ``lanterna.user.id``.
        tags: Stored as the list ``lanterna.tags``.
        metadata: Each item stored as ``lanterna.metadata.<key>``; values other
            than str, bool, int and float are stored as JSON text.

    Yields:
        Nothing; the session is active inside the ``with`` block.

    Raises:
        TypeError: An argument has the wrong type.
    """
    _check_session_arguments(session_id, user_id, tags, metadata)
    attributes = _session_attributes(_SESSION_ATTRIBUTES.get(), session_id, user_id, tags, metadata)
    token = _SESSION_ATTRIBUTES.set(attributes)
    try:
        yield
    finally:
        _SESSION_ATTRIBUTES.reset(token)


def wrap_context(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Bind ``fn`` to the caller's current context, for running in another thread.

    Spans started by ``fn`` then nest under the span that was current when
    ``wrap_context`` was called, and carry the session active at that moment::

        with lanterna.span("fan-out"):
            pool.submit(lanterna.wrap_context(work), item)

    Args:
        fn: The callable to run later, possibly in another thread.

    Returns:
        A callable with the same arguments and result that runs ``fn`` inside
        a copy of the context captured now. Each call uses its own copy, so the
        returned callable may run in several threads at once.
    """
    captured = contextvars.copy_context()

    @functools.wraps(fn)
    def run_in_captured_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return captured.copy().run(fn, *args, **kwargs)

    return run_in_captured_context
