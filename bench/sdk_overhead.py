"""Cost per span of ``@lanterna.trace`` against a bare OpenTelemetry SDK span.

Both sides export through the same kind of ``BatchSpanProcessor`` (same queue
and batch sizes) into an exporter that only counts, so the figures compare the
work done on the calling thread. Run with ``python bench/sdk_overhead.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence

import lanterna
from lanterna import semconv
from opentelemetry import context, trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

_DEFAULT_CALLS = 50_000
_DEFAULT_ROUNDS = 7
_QUEUE_SIZE = 65_536
_BATCH_SIZE = 512
_US_PER_S = 1e6
_TARGET_RATIO = 1.2
_OK = trace.Status(trace.StatusCode.OK)


class CountingExporter(SpanExporter):
    """Counts exported spans and does nothing else."""

    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def _time_per_call_us(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * _US_PER_S


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=_DEFAULT_CALLS)
    parser.add_argument("--rounds", type=int, default=_DEFAULT_ROUNDS)
    options = parser.parse_args()

    lanterna_exporter = CountingExporter()
    lanterna.configure(exporter=lanterna_exporter, max_queue_size=_QUEUE_SIZE)

    bare_exporter = CountingExporter()
    bare_provider = TracerProvider(shutdown_on_exit=False)
    bare_provider.add_span_processor(
        BatchSpanProcessor(
            bare_exporter,
            max_queue_size=_QUEUE_SIZE + _BATCH_SIZE,
            max_export_batch_size=_BATCH_SIZE,
        )
    )
    tracer = bare_provider.get_tracer("bench")

    @lanterna.trace
    def add(a: int, b: int) -> int:
        return a + b

    def bare_add(a: int, b: int) -> int:
        with tracer.start_as_current_span("add"):
            return a + b

    def plain_add(a: int, b: int) -> int:
        return a + b

    def equivalent_add(a: int, b: int) -> int:
        # What @trace records, written by hand against the OpenTelemetry API: the
        # floor for any tracer that stores span type, inputs, outputs and status.
        span = tracer.start_span("add")
        token = context.attach(trace.set_span_in_context(span))
        result = a + b
        context.detach(token)
        span.set_attributes(
            {
                semconv.SPAN_TYPE: semconv.SpanType.UNKNOWN,
                semconv.INPUTS: json.dumps({"a": a, "b": b}),
                semconv.OUTPUTS: json.dumps(result),
            }
        )
        span.set_status(_OK)
        span.end()
        return result

    rows: dict[str, list[float]] = {"plain": [], "bare": [], "equivalent": [], "lanterna": []}
    for _ in range(options.rounds):
        rows["plain"].append(_time_per_call_us(lambda: plain_add(1, 2), options.calls))
        rows["bare"].append(_time_per_call_us(lambda: bare_add(1, 2), options.calls))
        rows["equivalent"].append(_time_per_call_us(lambda: equivalent_add(1, 2), options.calls))
        bare_provider.force_flush()
        rows["lanterna"].append(_time_per_call_us(lambda: add(1, 2), options.calls))
        lanterna.flush()

    bare_us = statistics.median(rows["bare"])
    lanterna_us = statistics.median(rows["lanterna"])
    plain_us = statistics.median(rows["plain"])
    equivalent_us = statistics.median(rows["equivalent"])
    ratio = lanterna_us / bare_us
    print(f"calls per round: {options.calls}, rounds: {options.rounds} (medians)")
    print(f"plain function:            {plain_us:8.2f} us/call")
    print(f"bare OpenTelemetry span:   {bare_us:8.2f} us/span")
    print(f"same data via OTel API:    {equivalent_us:8.2f} us/span")
    print(f"@lanterna.trace span:      {lanterna_us:8.2f} us/span")
    print(f"ratio lanterna / bare:     {ratio:8.2f}  (target <= {_TARGET_RATIO})")
    print(f"ratio lanterna / same-data:{lanterna_us / equivalent_us:8.2f}")
    print(f"spans exported: bare provider {bare_exporter.count}, ", end="")
    print(f"lanterna {lanterna_exporter.count}")
    print(f"dropped by lanterna: {lanterna.dropped_span_count()}")


if __name__ == "__main__":
    main()
