"""The tracing cases T-1 to T-5 as code, shared by the in-memory and collector tests."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gc
import itertools
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import lanterna
import pydantic

# --- T-1 ---


@lanterna.trace
def tokens(n: int) -> Iterator[str]:
    for i in range(n):
        yield f"t{i}"


@lanterna.trace
def agent() -> list[str]:
    return list(itertools.islice(tokens(100), 2))


@lanterna.trace
async def atokens(n: int) -> AsyncIterator[int]:
    for i in range(n):
        yield i


def run_case_t1(gc_generation: int = 2) -> None:
    """Run the T-1 block; a lower ``gc_generation`` makes the collection cheaper."""
    for _tok in tokens(100):  # top level, break
        break
    g = tokens(100)
    next(g)
    g.close()  # top level, explicit close
    g = tokens(100)
    next(g)
    del g  # top level, dropped
    gc.collect(gc_generation)
    agent()

    async def main() -> None:
        async for _ in atokens(100):  # async, break
            break
        ag = atokens(100)
        await ag.__anext__()
        await ag.aclose()  # async, explicit close

    asyncio.run(main())


# --- T-2 ---


@lanterna.trace
async def lookup(k: int) -> int:
    await asyncio.sleep(0.05)
    return k * 10


@lanterna.trace
async def chunks() -> AsyncIterator[int]:
    for k in range(3):
        await asyncio.sleep(0.05)
        yield await lookup(k)


@lanterna.trace
async def relay() -> AsyncIterator[int]:
    async for item in chunks():
        yield item


@lanterna.trace
async def pipeline() -> list[int]:
    return [item async for item in relay()]


# --- T-3 ---


class Boom(ValueError):
    pass


@lanterna.trace
def f(e: BaseException) -> None:
    raise e


@lanterna.trace
async def af(e: BaseException) -> None:
    raise e


@lanterna.trace
def g(e: BaseException) -> Iterator[int]:
    yield 1
    raise e


@lanterna.trace
async def ag(e: BaseException) -> AsyncIterator[int]:
    yield 1
    raise e


async def drain(agen: AsyncIterator[int]) -> list[int]:
    return [x async for x in agen]


CALLS: dict[str, Callable[[BaseException], object]] = {
    "f": lambda e: f(e),
    "af": lambda e: asyncio.run(af(e)),
    "g": lambda e: list(g(e)),
    "ag": lambda e: asyncio.run(drain(ag(e))),
}


def caught_exception(call: Callable[[BaseException], object]) -> tuple[Boom, BaseException]:
    err = Boom("bad input")
    try:
        call(err)
    except BaseException as caught:
        return err, caught
    raise AssertionError("the exception was lost")


# --- T-4 ---


class Passage(pydantic.BaseModel):
    pid: int
    body: str


@dataclasses.dataclass
class Match:
    weight: float


def numbers() -> Iterator[int]:
    yield from range(3)


@lanterna.trace
def search(vec: Any, passage: Passage, at: dt.datetime, raw: bytes, labels: set[str]) -> Any:
    info = {
        "passage": passage,
        "vec": vec,
        "match": Match(0.25),
        "at": at,
        "ref": uuid.UUID(int=7),
        "raw": raw,
        "labels": labels,
    }
    return numbers(), info


# --- T-5 ---


@lanterna.trace
def retrieve(query: str) -> list[str]:
    return ["lorem " * 8_000 for _ in range(100)]  # about 5 MB of text


@lanterna.trace
def answer(query: str) -> int:
    return len(retrieve(query))
