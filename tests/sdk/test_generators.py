"""Traced generators: one span per iteration, however it stops (cases T-1 and T-2)."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator

import lanterna
import pytest
from lanterna import semconv
from lanterna._decorator import MAX_STREAM_ITEMS
from lanterna.testing import configure_in_memory
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog
from tracing_cases import pipeline, run_case_t1, tokens


def test_generators_stopped_early_each_end_their_span_once(span_log: SpanLog) -> None:
    run_case_t1()

    spans = span_log.spans()
    assert len(spans) == 7
    assert len({s.context.span_id for s in spans}) == 7
    assert len({s.context.trace_id for s in spans}) == 6
    assert all(s.end_time is not None for s in spans)
    assert all(s.status.status_code is not otel_trace.StatusCode.ERROR for s in spans)
    assert all(not s.events for s in spans)

    (agent_span,) = [s for s in spans if s.name == "agent"]
    (nested,) = [s for s in spans if s.parent is not None]
    assert nested.name == "tokens" and nested.parent.span_id == agent_span.context.span_id
    assert json.loads(nested.attributes[semconv.OUTPUTS]) == ["t0", "t1"]
    assert nested.attributes[semconv.STREAM_STOPPED_EARLY] is True
    assert nested.attributes[semconv.STREAM_ITEM_COUNT] == 2
    for top in (s for s in spans if s.name in ("tokens", "atokens") and s.parent is None):
        assert top.attributes[semconv.STREAM_STOPPED_EARLY] is True


def test_a_thousand_abandoned_generators_leave_no_open_span_behind(span_log: SpanLog) -> None:
    for _ in range(1_000):
        # The youngest generation is enough: the dropped generator is freed by refcount.
        run_case_t1(gc_generation=0)

    assert lanterna.flush(timeout_s=30)
    assert lanterna.open_span_count() == 0
    assert len(span_log.exporter.get_finished_spans()) == 7_000


def test_a_generator_that_was_never_started_opens_no_span(span_log: SpanLog) -> None:
    g = tokens(3)
    del g
    gc.collect()

    assert span_log.spans() == []
    assert lanterna.open_span_count() == 0


def test_spans_inside_a_generator_nest_under_it_and_nothing_leaks_to_the_caller(
    span_log: SpanLog,
) -> None:
    @lanterna.trace
    def step(i: int) -> int:
        return i

    @lanterna.trace
    def producer() -> Iterator[int]:
        for i in range(2):
            yield step(i)

    seen_between_items = []
    with lanterna.span("caller") as caller:
        for _ in producer():
            current = otel_trace.get_current_span().get_span_context().span_id
            seen_between_items.append(current)

    caller_id = caller.span.get_span_context().span_id
    assert seen_between_items == [caller_id, caller_id]
    producer_span = span_log.one("producer")
    assert producer_span.parent.span_id == caller_id
    assert all(s.parent.span_id == producer_span.context.span_id for s in span_log.named("step"))


def test_send_throw_and_return_value_pass_through_the_wrapper(span_log: SpanLog) -> None:
    @lanterna.trace
    def accumulator() -> Iterator[int]:
        total = 0
        while True:
            try:
                value = yield total
            except KeyError:
                return total * 100
            total += value

    gen = accumulator()
    assert next(gen) == 0
    assert gen.send(5) == 5
    assert gen.send(2) == 7
    with pytest.raises(StopIteration) as stop:
        gen.throw(KeyError("done"))
    assert stop.value.value == 700

    span = span_log.one("accumulator")
    assert span.status.status_code is not otel_trace.StatusCode.ERROR
    assert json.loads(span.attributes[semconv.OUTPUTS]) == [0, 5, 7]


def test_an_exhausted_generator_is_not_marked_stopped_early(span_log: SpanLog) -> None:
    assert list(tokens(2)) == ["t0", "t1"]

    span = span_log.one("tokens")
    assert semconv.STREAM_STOPPED_EARLY not in span.attributes
    assert span.attributes[semconv.STREAM_ITEM_COUNT] == 2


def test_async_generators_keep_one_tree_real_durations_and_real_output(
    span_log: SpanLog,
) -> None:
    assert asyncio.run(pipeline()) == [0, 10, 20]

    spans = {s.name: s for s in span_log.spans()}
    assert len({s.context.trace_id for s in span_log.spans()}) == 1
    assert spans["pipeline"].parent is None
    assert spans["relay"].parent.span_id == spans["pipeline"].context.span_id
    assert spans["chunks"].parent.span_id == spans["relay"].context.span_id
    lookups = span_log.named("lookup")
    assert len(lookups) == 3
    assert all(s.parent.span_id == spans["chunks"].context.span_id for s in lookups)
    for name in ("chunks", "relay"):
        assert spans[name].end_time - spans[name].start_time >= 300_000_000
    outputs = spans["chunks"].attributes[semconv.OUTPUTS]
    assert json.loads(outputs) == [0, 10, 20]
    assert "async_generator" not in outputs and "generator object" not in outputs


def test_a_long_stream_keeps_only_its_first_items_and_counts_them_all(
    span_log: SpanLog,
) -> None:
    exporter = configure_in_memory(max_field_bytes=1_000_000)
    total = MAX_STREAM_ITEMS + 5
    assert sum(1 for _ in tokens(total)) == total

    lanterna.flush()
    (span,) = exporter.get_finished_spans()
    assert span.attributes[semconv.STREAM_ITEM_COUNT] == total
    assert span.attributes[semconv.OUTPUTS_TRUNCATED] is True
    assert len(json.loads(span.attributes[semconv.OUTPUTS])) == MAX_STREAM_ITEMS
