"""@lanterna.trace on static and class methods, partials and callable objects."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import lanterna
import pytest
from lanterna import semconv
from sdk_helpers import SpanLog


def _static_shapes() -> dict[str, Callable[..., Any]]:
    def double(x: int) -> int:
        return x * 2

    async def adouble(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    def gdouble(x: int) -> Iterator[int]:
        yield x * 2

    async def agdouble(x: int) -> AsyncIterator[int]:
        yield x * 2

    return {"sync": double, "async": adouble, "generator": gdouble, "async-generator": agdouble}


def _class_shapes() -> dict[str, Callable[..., Any]]:
    def double(cls: type[Any], x: int) -> int:
        return x * cls.factor

    async def adouble(cls: type[Any], x: int) -> int:
        await asyncio.sleep(0)
        return x * cls.factor

    def gdouble(cls: type[Any], x: int) -> Iterator[int]:
        yield x * cls.factor

    async def agdouble(cls: type[Any], x: int) -> AsyncIterator[int]:
        yield x * cls.factor

    return {"sync": double, "async": adouble, "generator": gdouble, "async-generator": agdouble}


def _result(shape: str, value: Any) -> Any:
    """The plain result of calling a method of ``shape``: awaited or drained."""

    async def drain() -> list[Any]:
        return [item async for item in value]

    if shape == "async":
        return asyncio.run(value)
    if shape == "generator":
        return list(value)
    if shape == "async-generator":
        return asyncio.run(drain())
    return value


SHAPES = ["sync", "async", "generator", "async-generator"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("trace_above", [True, False], ids=["trace-above", "trace-below"])
@pytest.mark.parametrize("descriptor", [staticmethod, classmethod])
def test_static_and_class_methods_work_with_the_decorator_above_or_below(
    span_log: SpanLog, descriptor: type[Any], trace_above: bool, shape: str
) -> None:
    shapes = _static_shapes() if descriptor is staticmethod else _class_shapes()
    fn = shapes[shape]
    method = lanterna.trace(descriptor(fn)) if trace_above else descriptor(lanterna.trace(fn))
    holder = type("Holder", (), {"factor": 2, "method": method})

    from_class = _result(shape, holder.method(3))
    from_instance = _result(shape, holder().method(4))

    expected = (6, 8) if shape in ("sync", "async") else ([6], [8])
    assert (from_class, from_instance) == expected
    assert isinstance(holder.__dict__["method"], descriptor)
    spans = span_log.named(fn.__name__)
    assert [json.loads(s.attributes[semconv.INPUTS]) for s in spans] == [{"x": 3}, {"x": 4}]
    assert [json.loads(s.attributes[semconv.OUTPUTS]) for s in spans] == list(expected)


def test_a_class_method_traced_above_leaves_its_first_parameter_out_whatever_its_name(
    span_log: SpanLog,
) -> None:
    class Registry:
        size = 5

        @lanterna.trace
        @classmethod
        def grow(klass, by: int) -> int:  # an unusual name for the class parameter
            return klass.size + by

    assert Registry.grow(1) == 6

    assert json.loads(span_log.one("grow").attributes[semconv.INPUTS]) == {"by": 1}


def test_a_partial_is_traced_under_the_name_of_the_function_it_wraps(span_log: SpanLog) -> None:
    async def scale(factor: int, x: int) -> int:
        await asyncio.sleep(0)
        return factor * x

    triple = lanterna.trace(functools.partial(scale, 3))

    assert inspect.iscoroutinefunction(triple)
    assert asyncio.run(triple(x=2)) == 6
    span = span_log.one("scale")
    assert json.loads(span.attributes[semconv.INPUTS]) == {"x": 2}
    assert json.loads(span.attributes[semconv.OUTPUTS]) == 6


def test_a_callable_object_is_traced_in_the_shape_of_its_call_method(span_log: SpanLog) -> None:
    class Retriever:
        def __init__(self, docs: list[str]) -> None:
            self.docs = docs

        async def __call__(self, query: str) -> list[str]:
            await asyncio.sleep(0)
            return [doc for doc in self.docs if query in doc]

    retrieve = lanterna.trace(Retriever(["apple pie", "plum"]))

    assert inspect.iscoroutinefunction(retrieve)
    assert asyncio.run(retrieve("apple")) == ["apple pie"]
    span = span_log.one("Retriever")
    assert json.loads(span.attributes[semconv.INPUTS]) == {"query": "apple"}
    assert json.loads(span.attributes[semconv.OUTPUTS]) == ["apple pie"]


def test_decorating_a_class_raises_a_type_error_at_decoration_time() -> None:
    class Model:
        pass

    with pytest.raises(TypeError, match=r"cannot decorate the class .*Model"):
        lanterna.trace(Model)
