"""``@lanterna.trace``: one core for sync, async, generator and async-generator functions.

Everything that can be worked out once per function (its name, the names of
its parameters, whether to drop ``self``) is worked out at decoration time in
:class:`_TracedFunction`; the four thin wrappers at the bottom only differ in
the syntax their shape needs (``return``, ``await``, ``yield``).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar, overload

from opentelemetry import context as otel_context
from opentelemetry import trace as otel_trace

from lanterna import _provider, _span, semconv
from lanterna._config import Settings
from lanterna._serialize import MAX_UTF8_BYTES_PER_CHAR as _MAX_UTF8_BYTES_PER_CHAR
from lanterna._serialize import to_json

_F = TypeVar("_F", bound=Callable[..., Any])

# Looked up once: the sync and async wrappers call these on every call.
_attach = otel_context.attach
_detach = otel_context.detach
_in_context = otel_trace.set_span_in_context

# A stream's outputs keep its first items only, so a long stream cannot hold memory.
MAX_STREAM_ITEMS: Final = 10_000

_BOUND_FIRST_PARAMETERS: Final = frozenset({"self", "cls"})
_SIMPLE_KINDS: Final = frozenset(
    {inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY}
)


class _Stream:
    """What a traced generator has produced so far, and its span."""

    __slots__ = ("attributes", "count", "items", "settings", "span", "spec")

    def __init__(
        self,
        spec: _TracedFunction,
        span: otel_trace.Span,
        settings: Settings,
        attributes: dict[str, Any],
    ) -> None:
        self.spec = spec
        self.span = span
        self.settings = settings
        self.attributes = attributes
        self.items: list[Any] = []
        self.count = 0

    def add(self, item: Any) -> None:
        """Count a yielded item, keeping it for the outputs while under the cap."""
        self.count += 1
        if self.count <= MAX_STREAM_ITEMS:
            self.items.append(item)

    def _attributes(self, stopped_early: bool) -> dict[str, Any]:
        attributes = {**self.attributes, semconv.STREAM_ITEM_COUNT: self.count}
        if stopped_early:
            attributes[semconv.STREAM_STOPPED_EARLY] = True
        if self.spec.captures_outputs(self.settings):
            attributes.update(_span.field_attributes(semconv.OUTPUTS, self.items, self.settings))
            if self.count > MAX_STREAM_ITEMS:
                attributes[semconv.OUTPUTS_TRUNCATED] = True
        return attributes

    def finish(self, stopped_early: bool = False) -> None:
        try:
            attributes = self._attributes(stopped_early)
        except Exception:  # the tracing boundary
            _span.report_internal_failure("recording a stream")
            attributes = self.attributes
        _span.end_ok(self.span, attributes)

    def end(self, error: BaseException, stopped_early: bool) -> None:
        if stopped_early:
            self.finish(stopped_early=True)
        else:
            self.fail(error)

    def fail(self, error: BaseException) -> None:
        try:
            attributes = self._attributes(stopped_early=False)
        except Exception:  # the tracing boundary
            _span.report_internal_failure("recording a stream")
            attributes = self.attributes
        _span.end_error(self.span, error, attributes)


class _TracedFunction:
    """Per-function facts computed at decoration time, and the core of every call."""

    def __init__(
        self,
        fn: Callable[..., Any],
        name: str,
        span_type: str,
        attributes: Mapping[str, Any] | None,
        capture_inputs: bool | None,
        capture_outputs: bool | None,
        first_is_bound: bool | None = None,
    ) -> None:
        """Work out the per-function facts.

        Args:
            fn: The function being traced.
            name: The span name.
            span_type: The span type.
            attributes: Extra attributes for every span.
            capture_inputs: The per-function inputs switch, None to follow the settings.
            capture_outputs: The per-function outputs switch, None to follow the settings.
            first_is_bound: Whether the first parameter receives the instance or class
                and stays out of the inputs; None guesses from its name (``self``/``cls``).
        """
        self.name = name
        self.static_attributes = {
            **_span.type_attributes(span_type),
            **_span.plain_attributes(attributes or {}),
        }
        self.capture_inputs = capture_inputs
        self.capture_outputs = capture_outputs
        try:
            self.signature: inspect.Signature | None = inspect.signature(fn)
        except (TypeError, ValueError):
            self.signature = None
        parameters = list(self.signature.parameters.values()) if self.signature else []
        if first_is_bound is None:
            first_is_bound = bool(parameters) and parameters[0].name in _BOUND_FIRST_PARAMETERS
        self.drop_first = first_is_bound and bool(parameters)
        self.first_name = parameters[0].name if self.drop_first else ""
        self.simple = all(p.kind in _SIMPLE_KINDS for p in parameters)
        self.names = tuple(p.name for p in parameters)

    def captures_outputs(self, settings: Settings) -> bool:
        if self.capture_outputs is None:
            return settings.capture_outputs
        return self.capture_outputs

    def _captures_inputs(self, settings: Settings) -> bool:
        if self.capture_inputs is None:
            return settings.capture_inputs
        return self.capture_inputs

    def inputs(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
        """Map the call's arguments to parameter names, without ``self``/``cls``."""
        if not kwargs and self.simple and len(args) <= len(self.names):
            if self.drop_first:
                return dict(zip(self.names[1:], args[1:], strict=False))
            return dict(zip(self.names, args, strict=False))
        if self.simple and len(args) <= len(self.names):
            bound = dict(zip(self.names, args, strict=False))
            if kwargs:
                bound.update(kwargs)
        elif self.signature is not None:
            try:
                bound = dict(self.signature.bind(*args, **kwargs).arguments)
            except TypeError:
                return None  # the call itself will raise the user's TypeError
        else:
            bound = {"args": args, "kwargs": kwargs}
        if self.drop_first:
            bound.pop(self.first_name, None)
        return bound

    def begin(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[otel_trace.Span, Settings, dict[str, Any]] | None:
        """Start the call's span, or return None when tracing is off or failing.

        Returns:
            The span, the settings, and the attributes to set when it ends: they
            are set in one call then, which costs OpenTelemetry less than two.
        """
        runtime = _provider._runtime or _provider.runtime()
        settings = runtime.settings
        if not settings.enabled:
            return None
        try:
            attributes = self.static_attributes
            capture = self.capture_inputs
            if settings.capture_inputs if capture is None else capture:
                inputs = self.inputs(args, kwargs)
                if inputs is not None:
                    text = to_json(inputs)
                    if len(text) * _MAX_UTF8_BYTES_PER_CHAR <= settings.max_field_bytes:
                        attributes = {**attributes, semconv.INPUTS: text}
                    else:
                        fields = _span.field_attributes(semconv.INPUTS, inputs, settings)
                        attributes = {**attributes, **fields}
            span = runtime.tracer.start_span(self.name)
            _provider.register_open(span)
            return span, settings, attributes
        except Exception:  # the tracing boundary: the function still runs, untraced
            _span.report_internal_failure("starting a span")
            return None

    def finish(
        self, span: otel_trace.Span, settings: Settings, attributes: dict[str, Any], result: Any
    ) -> None:
        """End the span of a call that returned ``result``."""
        try:
            capture = self.capture_outputs
            if settings.capture_outputs if capture is None else capture:
                text = to_json(result)
                if len(text) * _MAX_UTF8_BYTES_PER_CHAR <= settings.max_field_bytes:
                    attributes = {**attributes, semconv.OUTPUTS: text}
                else:
                    fields = _span.field_attributes(semconv.OUTPUTS, result, settings)
                    attributes = {**attributes, **fields}
            span.set_attributes(attributes)
            span.end()
        except Exception:  # the tracing boundary: never raise into traced code
            _span.report_internal_failure("ending a span")
        finally:
            _provider.unregister_open(span)

    def stream(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> _Stream | None:
        """Start the span of a generator call, or return None when tracing is off."""
        started = self.begin(args, kwargs)
        if started is None:
            return None
        return _Stream(self, *started)


def _wrap_function(fn: Callable[..., Any], core: _TracedFunction) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        started = core.begin(args, kwargs)
        if started is None:
            return fn(*args, **kwargs)
        span, settings, attributes = started
        token = _attach(_in_context(span))
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            _detach(token)
            _span.end_error(span, exc, attributes)
            raise
        _detach(token)
        core.finish(span, settings, attributes, result)
        return result

    return traced


def _wrap_coroutine(fn: Callable[..., Any], core: _TracedFunction) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        started = core.begin(args, kwargs)
        if started is None:
            return await fn(*args, **kwargs)
        span, settings, attributes = started
        token = _attach(_in_context(span))
        try:
            result = await fn(*args, **kwargs)
        except BaseException as exc:
            _detach(token)
            _span.end_error(span, exc, attributes)
            raise
        _detach(token)
        core.finish(span, settings, attributes, result)
        return result

    return traced


def _wrap_generator(fn: Callable[..., Any], core: _TracedFunction) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        stream = core.stream(args, kwargs)
        if stream is None:
            return (yield from fn(*args, **kwargs))
        # The span is current only while the inner generator runs, never between items.
        inner = _start_inner(fn, args, kwargs, stream)
        step: Callable[[], Any] = functools.partial(inner.send, None)
        while True:
            token = _span.attach(stream.span)
            try:
                item = step()
            except StopIteration as stop:
                _span.detach(token)
                stream.finish()
                return stop.value
            except BaseException as exc:
                _span.detach(token)
                stream.fail(exc)
                raise
            _span.detach(token)
            stream.add(item)
            try:
                sent = yield item
                step = functools.partial(inner.send, sent)
            except GeneratorExit:
                _close_generator(inner, stream)
                raise
            except BaseException as exc:
                step = functools.partial(inner.throw, exc)

    return traced


def _close_generator(inner: Any, stream: _Stream) -> None:
    token = _span.attach(stream.span)
    try:
        inner.close()
    except BaseException as exc:
        _span.detach(token)
        stream.fail(exc)
        raise
    _span.detach(token)
    stream.finish(stopped_early=True)


def _wrap_async_generator(fn: Callable[..., Any], core: _TracedFunction) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        stream = core.stream(args, kwargs)
        inner = _start_inner(fn, args, kwargs, stream)
        # Same loop with or without a span; `yield from` does not exist for async generators.
        step: Callable[[], Any] = functools.partial(inner.asend, None)
        # A cancellation thrown in at a yield means the consumer went away (asyncio
        # closes abandoned generators that way at shutdown): a stop, not an error.
        cancelled: BaseException | None = None
        while True:
            token = _span.attach(stream.span) if stream is not None else None
            try:
                item = await step()
            except StopAsyncIteration:
                if stream is not None:
                    _span.detach(token)
                    stream.finish()
                return
            except BaseException as exc:
                if stream is not None:
                    _span.detach(token)
                    stream.end(exc, stopped_early=exc is cancelled)
                raise
            if stream is not None:
                _span.detach(token)
                stream.add(item)
            try:
                sent = yield item
                step = functools.partial(inner.asend, sent)
            except GeneratorExit:
                await _close_async_generator(inner, stream)
                raise
            except BaseException as exc:
                if isinstance(exc, asyncio.CancelledError):
                    cancelled = exc
                step = functools.partial(inner.athrow, exc)

    return traced


def _start_inner(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], stream: _Stream | None
) -> Any:
    """Create the inner generator object, ending the span if even that fails."""
    if stream is None:
        return fn(*args, **kwargs)
    token = _span.attach(stream.span)
    try:
        inner = fn(*args, **kwargs)
    except BaseException as exc:
        _span.detach(token)
        stream.fail(exc)
        raise
    _span.detach(token)
    return inner


async def _close_async_generator(inner: Any, stream: _Stream | None) -> None:
    if stream is None:
        await inner.aclose()
        return
    token = _span.attach(stream.span)
    try:
        await inner.aclose()
    except BaseException as exc:
        _span.detach(token)
        stream.fail(exc)
        raise
    _span.detach(token)
    stream.finish(stopped_early=True)


def _check_options(
    name: str | None,
    span_type: str,
    attributes: Mapping[str, Any] | None,
    capture_inputs: bool | None,
    capture_outputs: bool | None,
) -> None:
    if name is not None and (not isinstance(name, str) or not name):
        raise TypeError(f"trace(name=...) must be a non-empty string, got {name!r}.")
    if not isinstance(span_type, str) or not span_type:
        raise TypeError(f"trace(span_type=...) must be a non-empty string, got {span_type!r}.")
    if attributes is not None and not isinstance(attributes, Mapping):
        raise TypeError(f"trace(attributes=...) must be a dict, got {attributes!r}.")
    for option, value in (("capture_inputs", capture_inputs), ("capture_outputs", capture_outputs)):
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"trace({option}=...) must be True, False or None, got {value!r}.")


def _decorate(
    fn: _F,
    name: str | None,
    span_type: str,
    attributes: Mapping[str, Any] | None,
    capture_inputs: bool | None,
    capture_outputs: bool | None,
    first_is_bound: bool | None = None,
) -> _F:
    if isinstance(fn, staticmethod | classmethod):
        # Above @staticmethod/@classmethod: trace the function inside, keep the descriptor.
        traced = _decorate(
            fn.__func__,
            name,
            span_type,
            attributes,
            capture_inputs,
            capture_outputs,
            first_is_bound=isinstance(fn, classmethod),
        )
        return type(fn)(traced)
    if inspect.isclass(fn):
        raise TypeError(
            f"@lanterna.trace cannot decorate the class {fn.__qualname__!r}: it would "
            "replace the class with a function. Decorate its methods instead."
        )
    if not callable(fn):
        raise TypeError(f"@lanterna.trace needs a function, got {fn!r}.")
    shape = _shape_of(fn)
    span_name = name or _name_of(fn)
    core = _TracedFunction(
        fn, span_name, span_type, attributes, capture_inputs, capture_outputs, first_is_bound
    )
    if inspect.isasyncgenfunction(shape):
        wrapper = _wrap_async_generator(fn, core)
    elif inspect.isgeneratorfunction(shape):
        wrapper = _wrap_generator(fn, core)
    elif inspect.iscoroutinefunction(shape):
        wrapper = _wrap_coroutine(fn, core)
    else:
        wrapper = _wrap_function(fn, core)
    return functools.wraps(fn)(wrapper)  # type: ignore[return-value]


def _shape_of(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return what tells ``fn``'s shape: its ``__call__`` for an instance of a callable class.

    ``inspect`` already looks through bound methods and :func:`functools.partial`.
    """
    if inspect.isroutine(fn) or isinstance(fn, functools.partial):
        return fn
    call: Callable[..., Any] = type(fn).__call__
    return call


def _name_of(fn: Callable[..., Any]) -> str:
    """The default span name: the function's name, looking through partials."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) and name else type(fn).__name__


@overload
def trace(func: _F, /) -> _F: ...


@overload
def trace(
    func: None = None,
    /,
    *,
    name: str | None = None,
    span_type: str = semconv.SpanType.UNKNOWN,
    attributes: Mapping[str, Any] | None = None,
    capture_inputs: bool | None = None,
    capture_outputs: bool | None = None,
) -> Callable[[_F], _F]: ...


def trace(
    func: _F | None = None,
    /,
    *,
    name: str | None = None,
    span_type: str = semconv.SpanType.UNKNOWN,
    attributes: Mapping[str, Any] | None = None,
    capture_inputs: bool | None = None,
    capture_outputs: bool | None = None,
) -> _F | Callable[[_F], _F]:
    """Trace every call of a function as a span, bare (``@trace``) or with options.

    Works on sync functions, coroutines, generators and async generators, and
    keeps the function's name, docstring, signature and kind. The arguments of
    a call (without ``self``/``cls``) are stored as a JSON object in
    ``lanterna.inputs`` and the return value as JSON in ``lanterna.outputs``.
    A generator's span lasts from its first item to its end, however iteration
    stops; its outputs are the list of yielded items (the first 10,000, then
    marked truncated), with the full count in ``lanterna.stream.item_count``.
    An exception marks the span ERROR and reaches the caller unchanged;
    ``sys.exit(0)`` (``SystemExit`` with code 0 or None) is a normal end, recorded
    as ``lanterna.exit_code`` 0.

    Methods can be traced with ``@trace`` above or below ``@staticmethod`` and
    ``@classmethod``. Besides functions, any callable can be traced: a
    :func:`functools.partial` (its span is named after the wrapped function) or
    an instance of a class with ``__call__`` (named after the class, shaped by
    its ``__call__``, so an ``async def __call__`` is traced as a coroutine).
    A class itself cannot be traced, because the decorator would replace it
    with a function.

    Args:
        func: The function, when used bare as ``@trace``.
        name: The span name; the function's ``__name__`` by default.
        span_type: One of :class:`lanterna.SpanType` or any other string.
        attributes: Extra attributes put on every span of this function.
        capture_inputs: Record the arguments; None follows :func:`lanterna.configure`.
        capture_outputs: Record the result; None follows :func:`lanterna.configure`.

    Returns:
        The traced function, or a decorator when called with options only.

    Raises:
        TypeError: An option has the wrong type, or the target is a class or not callable.
    """
    _check_options(name, span_type, attributes, capture_inputs, capture_outputs)
    if func is not None:
        return _decorate(func, name, span_type, attributes, capture_inputs, capture_outputs)

    def decorator(fn: _F) -> _F:
        return _decorate(fn, name, span_type, attributes, capture_inputs, capture_outputs)

    return decorator
