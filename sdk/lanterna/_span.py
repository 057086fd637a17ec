"""Starting and ending Lanterna spans, and the ``span()`` context manager.

The functions here are the one core that :func:`lanterna.trace` (for all four
function shapes) and :func:`lanterna.span` build on. Every one of them guards
its own work: a failure inside tracing is logged once and never reaches the
code being traced.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from lanterna import _provider, semconv
from lanterna._config import Settings
from lanterna._serialize import clip, to_json

logger = logging.getLogger(__name__)

_FIELD_KEYS = {
    semconv.INPUTS: (semconv.INPUTS_TRUNCATED, semconv.INPUTS_ORIGINAL_SIZE_BYTES),
    semconv.OUTPUTS: (semconv.OUTPUTS_TRUNCATED, semconv.OUTPUTS_ORIGINAL_SIZE_BYTES),
}


_reported_failures: set[str] = set()


def report_internal_failure(where: str) -> None:
    """Log a failure inside Lanterna once per place, at WARNING; later ones at DEBUG."""
    if where in _reported_failures:
        logger.debug("Lanterna tracing failed in %s again.", where, exc_info=True)
        return
    _reported_failures.add(where)
    logger.warning(
        "Lanterna tracing failed in %s; the traced code is unaffected.", where, exc_info=True
    )


def field_attributes(key: str, value: Any, settings: Settings) -> dict[str, Any]:
    """Return the span attributes storing ``value`` as JSON under ``key``, clipped."""
    text, original_size = clip(to_json(value), settings.max_field_bytes)
    if original_size is None:
        return {key: text}
    truncated_key, size_key = _FIELD_KEYS[key]
    return {key: text, truncated_key: True, size_key: original_size}


def start(name: str, attributes: dict[str, Any], runtime: _provider.Runtime) -> trace.Span:
    """Start a span (not yet current) and record it as open."""
    span = runtime.tracer.start_span(name, attributes=attributes)
    _provider.register_open(span)
    return span


def attach(span: trace.Span) -> object:
    """Make ``span`` current; return the token for :func:`detach`."""
    return otel_context.attach(trace.set_span_in_context(span))


def detach(token: object) -> None:
    """Undo one :func:`attach`."""
    otel_context.detach(token)  # type: ignore[arg-type]


def type_attributes(span_type: str) -> dict[str, str]:
    """The attribute that carries ``span_type``; none for UNKNOWN, which the collector assumes.

    Leaving out the default saves one attribute on every span of an untyped function.
    """
    if span_type == semconv.SpanType.UNKNOWN:
        return {}
    return {semconv.SPAN_TYPE: span_type}


def end_ok(span: trace.Span, attributes: Mapping[str, Any] | None = None) -> None:
    """End ``span`` successfully, adding ``attributes`` first.

    The status stays UNSET ("no error recorded"), which the collector stores as OK:
    setting it explicitly would cost every span a lock and a status object.
    """
    try:
        if attributes:
            if len(attributes) == 1:
                # One plain value takes OpenTelemetry's cheaper single-attribute path.
                for key, value in attributes.items():
                    span.set_attribute(key, value)
            else:
                span.set_attributes(attributes)
        span.end()
    except Exception:  # the tracing boundary: never raise into traced code
        report_internal_failure("ending a span")
    finally:
        _provider.unregister_open(span)


def _exits_with_success(error: SystemExit) -> bool:
    """Whether ``error`` ends the process with status 0 (code None, 0 or False)."""
    code = error.code
    # Compared by type first: a code of any other type (an array, say) may not compare.
    return code is None or (type(code) in (int, bool) and code == 0)


def end_error(
    span: trace.Span, error: BaseException, attributes: Mapping[str, Any] | None = None
) -> None:
    """End ``span`` with status ERROR and one exception event for ``error``.

    ``sys.exit(0)`` and ``sys.exit()`` are a program ending normally, not an
    error: their span ends OK with ``lanterna.exit_code`` 0.
    """
    if isinstance(error, SystemExit) and _exits_with_success(error):
        end_ok(span, {**(attributes or {}), semconv.EXIT_CODE: 0})
        return
    try:
        if attributes:
            span.set_attributes(attributes)
        span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        span.record_exception(error, escaped=True)
        span.end()
    except Exception:  # the tracing boundary: never raise into traced code
        report_internal_failure("recording an error")
    finally:
        _provider.unregister_open(span)


class LanternaSpan:
    """A handle on an open span, for recording inputs, outputs and attributes.

    Every method is safe to call at any time: a failure is logged, never raised.
    """

    __slots__ = ("_settings", "_span")

    def __init__(self, span: trace.Span, settings: Settings) -> None:
        self._span = span
        self._settings = settings

    @property
    def span(self) -> trace.Span:
        """The underlying OpenTelemetry span."""
        return self._span

    @property
    def trace_id(self) -> str:
        """The trace id as 32 lowercase hex characters."""
        return trace.format_trace_id(self._span.get_span_context().trace_id)

    @property
    def span_id(self) -> str:
        """The span id as 16 lowercase hex characters."""
        return trace.format_span_id(self._span.get_span_context().span_id)

    def _set_field(self, key: str, value: Any) -> None:
        try:
            self._span.set_attributes(field_attributes(key, value, self._settings))
        except Exception:  # the tracing boundary
            report_internal_failure("recording a field")

    def set_inputs(self, inputs: Any) -> None:
        """Record ``inputs`` (any value) as the span's JSON inputs.

        Args:
            inputs: The value to record; see :mod:`lanterna` for how values are stored.
        """
        self._set_field(semconv.INPUTS, inputs)

    def set_outputs(self, outputs: Any) -> None:
        """Record ``outputs`` (any value) as the span's JSON outputs.

        Args:
            outputs: The value to record.
        """
        self._set_field(semconv.OUTPUTS, outputs)

    def set_attribute(self, key: str, value: Any) -> None:
        """Set one attribute; values OpenTelemetry cannot hold are stored as JSON text.

        Args:
            key: The attribute key.
            value: The value.
        """
        self.set_attributes({key: value})

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        """Set several attributes at once.

        Args:
            attributes: Keys and values; values other than str, bool, int, float
                and lists of those are stored as JSON text.
        """
        try:
            self._span.set_attributes(plain_attributes(attributes))
        except Exception:  # the tracing boundary
            report_internal_failure("setting attributes")


def _is_plain(value: Any) -> bool:
    if isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list | tuple) and value:
        first = type(value[0])
        return first in (str, bool, int, float) and all(type(v) is first for v in value)
    return False


def plain_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``attributes`` with every value OpenTelemetry can store as an attribute."""
    return {str(k): v if _is_plain(v) else to_json(v) for k, v in attributes.items()}


class SpanScope:
    """The context manager returned by :func:`lanterna.span`, for ``with`` and ``async with``."""

    __slots__ = ("_attributes", "_handle", "_name", "_token")

    def __init__(self, name: str, attributes: dict[str, Any]) -> None:
        self._name = name
        self._attributes = attributes
        self._handle: LanternaSpan | None = None
        self._token: object = None

    def __enter__(self) -> LanternaSpan:
        runtime = _provider.runtime()
        span: trace.Span = trace.INVALID_SPAN
        if runtime.settings.enabled:
            try:
                span = start(self._name, self._attributes, runtime)
                self._token = attach(span)
            except Exception:  # the tracing boundary
                report_internal_failure("starting a span")
        self._handle = LanternaSpan(span, runtime.settings)
        return self._handle

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        span = self._handle.span if self._handle is not None else trace.INVALID_SPAN
        if self._token is not None:
            try:
                detach(self._token)
            except Exception:  # the tracing boundary
                report_internal_failure("leaving a span")
            self._token = None
        if span is trace.INVALID_SPAN:
            return
        if exc is None:
            end_ok(span)
        else:
            end_error(span, exc)

    async def __aenter__(self) -> LanternaSpan:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)


def span(
    name: str,
    span_type: str = semconv.SpanType.UNKNOWN,
    attributes: Mapping[str, Any] | None = None,
) -> SpanScope:
    """Open a span around a block of code, as ``with`` or ``async with``.

    Example::

        with lanterna.span("retrieve", span_type=lanterna.SpanType.RETRIEVER) as s:
            s.set_inputs({"query": query})
            docs = search(query)
            s.set_outputs(docs)

    An exception raised inside the block marks the span ERROR, is recorded as an
    exception event, and propagates unchanged.

    Args:
        name: The span name.
        span_type: One of :class:`lanterna.SpanType` or any other string.
        attributes: Extra span attributes.

    Returns:
        A context manager yielding a :class:`LanternaSpan`.

    Raises:
        TypeError: ``name`` or ``span_type`` is not a non-empty string, or
            ``attributes`` is not a mapping.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"span name must be a non-empty string, got {name!r}.")
    if not isinstance(span_type, str) or not span_type:
        raise TypeError(f"span_type must be a non-empty string, got {span_type!r}.")
    if attributes is not None and not isinstance(attributes, Mapping):
        raise TypeError(f"attributes must be a dict, got {attributes!r}.")
    merged = {**type_attributes(span_type), **plain_attributes(attributes or {})}
    return SpanScope(name, merged)
