"""@lanterna.trace on every function shape keeps the function what it was."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Iterator

import lanterna
import pytest
from lanterna import semconv
from sdk_helpers import SpanLog


@lanterna.trace
def add(a: int, b: int = 2) -> int:
    """Add two numbers."""
    return a + b


@lanterna.trace(name="custom", span_type=lanterna.SpanType.TOOL, attributes={"team": "search"})
async def fetch(key: str, *, retries: int = 1) -> str:
    """Fetch a value."""
    await asyncio.sleep(0)
    return key * retries


@lanterna.trace
def count(n: int) -> Iterator[int]:
    """Count up."""
    yield from range(n)


@lanterna.trace(span_type="MY_KIND")
async def acount(n: int) -> AsyncIterator[int]:
    """Count up, asynchronously."""
    for i in range(n):
        yield i


class Index:
    @lanterna.trace
    def search(self, query: str) -> list[str]:
        return [query]

    @classmethod
    @lanterna.trace
    def build(cls, size: int) -> int:
        return size


def test_wrappers_keep_name_docstring_signature_and_kind() -> None:
    originals = {
        add: inspect.iscoroutinefunction,
        fetch: inspect.iscoroutinefunction,
        count: inspect.isgeneratorfunction,
        acount: inspect.isasyncgenfunction,
    }
    assert add.__name__ == "add" and add.__doc__ == "Add two numbers."
    assert list(inspect.signature(add).parameters) == ["a", "b"]
    assert inspect.signature(add).parameters["b"].default == 2
    assert inspect.signature(fetch) == inspect.signature(fetch.__wrapped__)  # type: ignore[attr-defined]
    assert inspect.signature(fetch).parameters["retries"].kind is inspect.Parameter.KEYWORD_ONLY
    assert fetch.__name__ == "fetch" and count.__doc__ == "Count up."
    assert not inspect.iscoroutinefunction(add) and not inspect.isgeneratorfunction(add)
    for wrapper, check in originals.items():
        if wrapper is not add:
            assert check(wrapper), wrapper.__name__
    assert not inspect.iscoroutinefunction(count) and not inspect.isasyncgenfunction(fetch)


def test_sync_function_records_inputs_outputs_and_type(span_log: SpanLog) -> None:
    assert add(1, b=5) == 6

    span = span_log.one("add")
    assert json.loads(span.attributes[semconv.INPUTS]) == {"a": 1, "b": 5}
    assert json.loads(span.attributes[semconv.OUTPUTS]) == 6
    # UNKNOWN is the default on both sides, so it travels as no attribute at all.
    assert semconv.SPAN_TYPE not in span.attributes
    assert span.end_time is not None and span.end_time >= span.start_time


def test_decorator_with_arguments_sets_name_type_and_attributes(span_log: SpanLog) -> None:
    assert asyncio.run(fetch("ab", retries=2)) == "abab"

    span = span_log.one("custom")
    assert span.attributes[semconv.SPAN_TYPE] == "TOOL"
    assert span.attributes["team"] == "search"
    assert json.loads(span.attributes[semconv.INPUTS]) == {"key": "ab", "retries": 2}
    assert json.loads(span.attributes[semconv.OUTPUTS]) == "abab"


def test_generator_and_async_generator_record_yielded_items(span_log: SpanLog) -> None:
    assert list(count(3)) == [0, 1, 2]

    async def drain() -> list[int]:
        return [i async for i in acount(2)]

    assert asyncio.run(drain()) == [0, 1]

    gen_span, agen_span = span_log.one("count"), span_log.one("acount")
    assert json.loads(gen_span.attributes[semconv.OUTPUTS]) == [0, 1, 2]
    assert gen_span.attributes[semconv.STREAM_ITEM_COUNT] == 3
    assert semconv.STREAM_STOPPED_EARLY not in gen_span.attributes
    assert json.loads(agen_span.attributes[semconv.OUTPUTS]) == [0, 1]
    assert agen_span.attributes[semconv.SPAN_TYPE] == "MY_KIND"


def test_methods_leave_self_and_cls_out_of_inputs(span_log: SpanLog) -> None:
    assert Index().search("q") == ["q"]
    assert Index.build(4) == 4

    assert json.loads(span_log.one("search").attributes[semconv.INPUTS]) == {"query": "q"}
    assert json.loads(span_log.one("build").attributes[semconv.INPUTS]) == {"size": 4}


def test_variadic_and_positional_only_parameters_are_bound_by_name(span_log: SpanLog) -> None:
    @lanterna.trace
    def variadic(first: int, /, *rest: int, flag: bool = False, **extra: str) -> int:
        return first + sum(rest)

    assert variadic(1, 2, 3, flag=True, tag="x") == 6

    inputs = json.loads(span_log.one("variadic").attributes[semconv.INPUTS])
    assert inputs == {"first": 1, "rest": [2, 3], "flag": True, "extra": {"tag": "x"}}


def test_a_call_with_wrong_arguments_raises_the_functions_own_type_error(
    span_log: SpanLog,
) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        add(1, c=3)  # type: ignore[call-arg]

    span = span_log.one("add")
    assert span.status.status_code.name == "ERROR"
    assert lanterna.open_span_count() == 0


def test_capture_can_be_switched_off_per_function_and_globally(span_log: SpanLog) -> None:
    @lanterna.trace(capture_inputs=False, capture_outputs=False)
    def secret(token: str) -> str:
        return token

    assert secret("s3cr3t") == "s3cr3t"
    span = span_log.one("secret")
    assert semconv.INPUTS not in span.attributes and semconv.OUTPUTS not in span.attributes

    exporter = lanterna.testing.configure_in_memory(capture_inputs=False)
    add(1)
    lanterna.flush()
    (plain,) = exporter.get_finished_spans()
    assert semconv.INPUTS not in plain.attributes
    assert json.loads(plain.attributes[semconv.OUTPUTS]) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"name": ""}, "name"),
        ({"span_type": 3}, "span_type"),
        ({"attributes": ["a"]}, "attributes"),
        ({"capture_inputs": "yes"}, "capture_inputs"),
    ],
)
def test_bad_decorator_options_raise_a_type_error_naming_the_option(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        lanterna.trace(**options)  # type: ignore[call-overload]


def test_decorating_something_not_callable_raises_a_type_error() -> None:
    with pytest.raises(TypeError, match="needs a function"):
        lanterna.trace(42)  # type: ignore[call-overload]


def test_disabled_tracing_calls_the_function_directly_and_exports_nothing(
    span_log: SpanLog,
) -> None:
    exporter = lanterna.testing.configure_in_memory(enabled=False)

    assert add(2) == 4
    assert list(count(2)) == [0, 1]
    assert asyncio.run(fetch("x")) == "x"

    lanterna.flush()
    assert exporter.get_finished_spans() == ()
    assert lanterna.open_span_count() == 0
