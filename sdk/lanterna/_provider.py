"""The tracer provider, Lanterna's span processor, export, flush and exit.

Lanterna installs exactly one span processor, once per process, on the global
OpenTelemetry tracer provider: the application's provider when it has set an
SDK one, otherwise a provider Lanterna creates and makes global. That
processor stamps session attributes on every span and hands ended spans to a
replaceable batch processor; :func:`configure` swaps the batch processor and
exporter, and never touches the application's own processors.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from lanterna import semconv
from lanterna._config import Settings, settings_from_env, settings_with
from lanterna._context import _SESSION_ATTRIBUTES

logger = logging.getLogger(__name__)

TRACER_NAME = "lanterna"
_EXIT_TIMEOUT_S = 5.0
_SWAP_SHUTDOWN_TIMEOUT_S = 5.0
_MAX_EXPORT_BATCH_SIZE = 512
_SCHEDULE_DELAY_MS = 500
_MS_PER_S = 1000
# What an infinite flush timeout becomes: longer waits overflow the threading
# primitives (threading.TIMEOUT_MAX is about 49 days on Windows).
_LONGEST_WAIT_S = 30 * 24 * 3600.0


def _run_bounded(work: Callable[[], Any], timeout_s: float, name: str) -> Any:
    """Run ``work`` in a daemon thread; return its result, or None after ``timeout_s``."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(work())
        except Exception:  # export-side failure: reported here, never raised to the caller
            logger.warning("Lanterna could not %s.", name, exc_info=True)

    thread = threading.Thread(target=target, name=f"lanterna-{name}", daemon=True)
    thread.start()
    thread.join(timeout_s)
    return outcome[0] if outcome else None


class _QueueGauge:
    """Counts spans queued for export and those dropped, without locks.

    ``next()`` on an :func:`itertools.count` is atomic in CPython, so these
    counters stay exact when many threads end spans at once.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._submitted = itertools.count(1)
        self._handed = 0
        self._dropped = itertools.count(1)
        self.dropped = 0

    def try_admit(self) -> bool:
        queued = next(self._submitted) - self._handed - self.dropped
        if queued <= self.capacity:
            return True
        self.dropped = next(self._dropped)
        if self.dropped == 1:
            logger.warning(
                "Lanterna's export queue is full (%d spans); new spans are being dropped. "
                "See lanterna.dropped_span_count().",
                self.capacity,
            )
        return False

    def handed(self, count: int) -> None:
        self._handed += count  # only the single export thread writes this


# The OTLP exporter logs every failed batch at ERROR; Lanterna reports a failing
# collector once, at WARNING, so it holds those lines back while it is exporting.
_OTLP_EXPORTER_LOGGER = "opentelemetry.exporter.otlp.proto.http.trace_exporter"


class _ExportLogFilter(logging.Filter):
    """Turns the OTLP exporter's log lines into DEBUG lines of ours during our exports."""

    def __init__(self) -> None:
        super().__init__()
        self._exporting = threading.local()
        self.last_message = ""

    def exporting(self, active: bool) -> None:
        if active:
            self.last_message = ""
        self._exporting.active = active

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(self._exporting, "active", False):
            return True
        message = record.getMessage()
        # The first line of an export says why (for example, connection refused).
        self.last_message = self.last_message or message
        logger.debug("OTLP exporter: %s", message)
        return False


_export_log_filter = _ExportLogFilter()
logging.getLogger(_OTLP_EXPORTER_LOGGER).addFilter(_export_log_filter)


class _GuardedExporter(SpanExporter):
    """Wraps the real exporter: stamps the project, counts, and never raises."""

    def __init__(
        self, inner: SpanExporter, project: str, gauge: _QueueGauge, owns_resource: bool
    ) -> None:
        self._inner = inner
        self._project = project
        self._gauge = gauge
        # On a provider of Lanterna's own, the project is the service name too.
        self._stamp = {semconv.PROJECT: project}
        if owns_resource:
            self._stamp[semconv.SERVICE_NAME] = project
        self._resources: dict[int, tuple[Resource, Resource]] = {}
        self._stamped: Resource | None = None  # the last resource seen already stamped
        self._failing = False

    def _with_project(self, span: ReadableSpan) -> ReadableSpan:
        resource = span.resource
        if resource is self._stamped:
            return span
        attributes = resource.attributes
        if all(attributes.get(key) == value for key, value in self._stamp.items()):
            self._stamped = resource
            return span
        cached = self._resources.get(id(resource))
        if cached is None or cached[0] is not resource:
            merged = resource.merge(Resource(self._stamp))
            cached = (resource, merged)
            self._resources[id(resource)] = cached
        return ReadableSpan(
            name=span.name,
            context=span.context,
            parent=span.parent,
            resource=cached[1],
            attributes=span.attributes,
            events=span.events,
            links=span.links,
            kind=span.kind,
            status=span.status,
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )

    def _report(self, ok: bool, count: int) -> None:
        if ok and self._failing:
            logger.info("Lanterna span export works again.")
        elif not ok and not self._failing:
            logger.warning(
                "Lanterna could not export %d spans (%s); spans are dropped until export "
                "works again (this is reported once).",
                count,
                _export_log_filter.last_message or "the exporter reported a failure",
            )
        self._failing = not ok

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self._gauge.handed(len(spans))
        _export_log_filter.exporting(True)
        try:
            result = self._inner.export([self._with_project(s) for s in spans])
        except Exception as exc:  # the exporter boundary: failures are logged, never raised
            logger.debug("Span exporter raised.", exc_info=True)
            _export_log_filter.last_message = f"{type(exc).__name__}: {exc}"
            result = SpanExportResult.FAILURE
        finally:
            _export_log_filter.exporting(False)
        self._report(result is SpanExportResult.SUCCESS, len(spans))
        return result

    def shutdown(self) -> None:
        try:
            self._inner.shutdown()
        except Exception:  # the exporter boundary
            logger.debug("Span exporter failed to shut down.", exc_info=True)

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        try:
            return bool(self._inner.force_flush(timeout_millis))
        except Exception:  # the exporter boundary
            logger.debug("Span exporter failed to flush.", exc_info=True)
            return False


@dataclass(frozen=True)
class _Pipeline:
    processor: SpanProcessor
    gauge: _QueueGauge


class _LanternaSpanProcessor(SpanProcessor):
    """The one processor Lanterna adds to the provider; its pipeline can be swapped."""

    def __init__(self) -> None:
        self._pipeline: _Pipeline | None = None

    def swap(self, pipeline: _Pipeline | None) -> _Pipeline | None:
        previous, self._pipeline = self._pipeline, pipeline
        return previous

    @property
    def pipeline(self) -> _Pipeline | None:
        return self._pipeline

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        attributes = _SESSION_ATTRIBUTES.get()
        if attributes:
            span.set_attributes(attributes)

    def on_end(self, span: ReadableSpan) -> None:
        pipeline = self._pipeline
        if pipeline is None or not span.context.trace_flags.sampled:
            return
        if pipeline.gauge.try_admit():
            pipeline.processor.on_end(span)

    def shutdown(self) -> None:
        pipeline = self.swap(None)
        if pipeline is not None:
            _run_bounded(pipeline.processor.shutdown, _EXIT_TIMEOUT_S, "shut down export")

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        pipeline = self._pipeline
        if pipeline is None:
            return True
        done = _run_bounded(
            lambda: pipeline.processor.force_flush(timeout_millis),
            timeout_millis / _MS_PER_S,
            "flush spans",
        )
        return bool(done)


def _build_exporter(settings: Settings) -> SpanExporter:
    if settings.exporter is not None:
        return settings.exporter
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else None
    return OTLPSpanExporter(
        endpoint=settings.traces_url, headers=headers, timeout=settings.export_timeout_s
    )


def _build_pipeline(settings: Settings, owns_resource: bool) -> _Pipeline:
    gauge = _QueueGauge(settings.max_queue_size)
    exporter = _GuardedExporter(_build_exporter(settings), settings.project, gauge, owns_resource)
    processor = BatchSpanProcessor(
        exporter,
        # Room for one batch in flight beyond our own limit, so only the gauge drops spans.
        max_queue_size=settings.max_queue_size + _MAX_EXPORT_BATCH_SIZE,
        max_export_batch_size=min(_MAX_EXPORT_BATCH_SIZE, settings.max_queue_size),
        schedule_delay_millis=_SCHEDULE_DELAY_MS,
    )
    return _Pipeline(processor, gauge)


def _install_processor(processor: SpanProcessor, project: str) -> tuple[trace.Tracer, bool]:
    """Add ``processor`` to the global provider (creating one if needed).

    Returns:
        Lanterna's tracer, and whether the provider is Lanterna's own.
    """
    provider = trace.get_tracer_provider()
    own: TracerProvider | None = None
    if isinstance(provider, trace.ProxyTracerProvider):
        resource = Resource.create({semconv.SERVICE_NAME: project, semconv.PROJECT: project})
        own = TracerProvider(resource=resource, shutdown_on_exit=False)
        trace.set_tracer_provider(own)
        provider = trace.get_tracer_provider()
        if provider is not own:
            logger.warning("Another tracer provider became global first; Lanterna uses it.")
    owned = provider is own if own is not None else False
    if isinstance(provider, TracerProvider):
        provider.add_span_processor(processor)
        return provider.get_tracer(TRACER_NAME), owned
    logger.warning(
        "The global tracer provider %r is not an OpenTelemetry SDK provider; Lanterna "
        "exports its own spans through a provider of its own, which other "
        "instrumentations do not share.",
        type(provider).__name__,
    )
    resource = Resource.create({semconv.SERVICE_NAME: project, semconv.PROJECT: project})
    private = TracerProvider(resource=resource, shutdown_on_exit=False)
    private.add_span_processor(processor)
    return private.get_tracer(TRACER_NAME), True


@dataclass(frozen=True)
class Runtime:
    """What traced code needs on every call: the settings and the tracer."""

    settings: Settings
    tracer: trace.Tracer


_lock = threading.Lock()
_processor = _LanternaSpanProcessor()
_tracer: trace.Tracer | None = None
_owns_resource = False
_runtime: Runtime | None = None
_open_spans: set[Any] = set()
_retired_drops = 0


def configure(**overrides: Any) -> Runtime:
    """Apply settings (environment first, then ``overrides``) and swap the pipeline."""
    global _tracer, _runtime, _retired_drops, _owns_resource
    settings = settings_with(settings_from_env(), overrides)
    with _lock:
        if _tracer is None:
            _tracer, _owns_resource = _install_processor(_processor, settings.project)
            atexit.register(_shutdown_at_exit)
        pipeline = _build_pipeline(settings, _owns_resource) if settings.enabled else None
        previous = _processor.swap(pipeline)
        _runtime = Runtime(settings, _tracer)
    if previous is not None:
        _retired_drops += previous.gauge.dropped
        _run_bounded(previous.processor.shutdown, _SWAP_SHUTDOWN_TIMEOUT_S, "retire exporter")
    return _runtime


def runtime() -> Runtime:
    """Return the current runtime, configuring from the environment on first use."""
    current = _runtime
    if current is None:
        return configure()
    return current


def flush(timeout_s: float = 30.0) -> bool:
    """Export every span that has ended so far.

    Args:
        timeout_s: The longest time to wait, in seconds; ``math.inf`` waits until
            the export is done (in practice at most 30 days).

    Returns:
        True when every ended span was handed to the exporter in time.

    Raises:
        TypeError: ``timeout_s`` is not a number.
        ValueError: ``timeout_s`` is NaN, zero or negative.
    """
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float):
        raise TypeError(f"timeout_s must be a number of seconds, got {timeout_s!r}.")
    # Written so that NaN fails too: every comparison with NaN is false.
    if not timeout_s > 0:
        raise ValueError(
            f"timeout_s must be greater than 0 (math.inf waits until done), got {timeout_s!r}."
        )
    wait_s = min(timeout_s, _LONGEST_WAIT_S)
    return _processor.force_flush(int(wait_s * _MS_PER_S))


def dropped_span_count() -> int:
    """Return how many spans were dropped because the export queue was full."""
    pipeline = _processor.pipeline
    return _retired_drops + (pipeline.gauge.dropped if pipeline is not None else 0)


def open_span_count() -> int:
    """Return how many spans Lanterna started and has not ended yet."""
    return len(_open_spans)


# Bound methods rather than wrappers: these run twice per span.
register_open = _open_spans.add
unregister_open = _open_spans.discard


def _shutdown_at_exit() -> None:
    """Flush and stop export at interpreter exit, within a bounded time."""
    _run_bounded(_processor.shutdown, _EXIT_TIMEOUT_S, "export at exit")
