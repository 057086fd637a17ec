"""Context follows the code: nesting, asyncio.gather, threads and foreign spans."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import lanterna
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog


@lanterna.trace
def leaf(i: int) -> int:
    return i


@lanterna.trace
def parent() -> list[int]:
    return [leaf(1), leaf(2)]


def _ids(span: otel_trace.Span) -> tuple[int, int]:
    context = span.get_span_context() if hasattr(span, "get_span_context") else span.context
    return context.trace_id, context.span_id


def test_nested_calls_nest(span_log: SpanLog) -> None:
    parent()

    root = span_log.one("parent")
    leaves = span_log.named("leaf")
    assert root.parent is None and len(leaves) == 2
    assert all(s.parent.span_id == root.context.span_id for s in leaves)
    assert all(s.context.trace_id == root.context.trace_id for s in leaves)


def test_asyncio_gather_children_share_their_parent(span_log: SpanLog) -> None:
    @lanterna.trace
    async def child(i: int) -> int:
        await asyncio.sleep(0.01 * (3 - i))
        return i

    @lanterna.trace
    async def fan_out() -> list[int]:
        return list(await asyncio.gather(*(child(i) for i in range(3))))

    assert asyncio.run(fan_out()) == [0, 1, 2]

    root = span_log.one("fan_out")
    children = span_log.named("child")
    assert len(children) == 3
    assert all(s.parent.span_id == root.context.span_id for s in children)


def test_wrap_context_keeps_the_parent_in_a_thread_pool(span_log: SpanLog) -> None:
    with lanterna.span("batch") as batch, ThreadPoolExecutor(max_workers=2) as pool:
        wrapped = list(pool.map(lanterna.wrap_context(leaf), range(4)))
        plain = pool.submit(leaf, 99).result()

    assert wrapped == [0, 1, 2, 3] and plain == 99
    batch_trace, batch_id = _ids(batch.span)
    leaves = span_log.named("leaf")
    inside = [s for s in leaves if s.parent is not None and s.parent.span_id == batch_id]
    outside = [s for s in leaves if s.parent is None]
    assert len(inside) == 4 and all(s.context.trace_id == batch_trace for s in inside)
    # Without the helper a thread starts from an empty context: a trace of its own.
    assert len(outside) == 1 and outside[0].context.trace_id != batch_trace


def test_foreign_opentelemetry_spans_nest_both_ways(span_log: SpanLog) -> None:
    foreign = otel_trace.get_tracer("some.instrumentation")

    @lanterna.trace
    def traced_outer() -> None:
        with foreign.start_as_current_span("foreign-middle"):
            leaf(0)

    with foreign.start_as_current_span("foreign-root"):
        traced_outer()

    root = span_log.one("foreign-root")
    outer = span_log.one("traced_outer")
    middle = span_log.one("foreign-middle")
    inner = span_log.one("leaf")
    assert outer.parent.span_id == root.context.span_id
    assert middle.parent.span_id == outer.context.span_id
    assert inner.parent.span_id == middle.context.span_id
    assert len({s.context.trace_id for s in (root, outer, middle, inner)}) == 1


def test_current_trace_id_is_the_hex_id_of_the_open_span(span_log: SpanLog) -> None:
    assert lanterna.current_trace_id() is None
    with lanterna.span("outer") as handle:
        assert lanterna.current_trace_id() == handle.trace_id
        assert len(handle.trace_id) == 32 and len(handle.span_id) == 16
    assert lanterna.current_trace_id() is None
